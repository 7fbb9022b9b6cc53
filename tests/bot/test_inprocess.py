"""The bot in the test's own event loop against the fake Discord, for what needs control over timing:

slow answers (defer, then edit), over-long answers, concurrent reloads, cooldowns, failures, guild
sync, and the fake's fault hooks (429, 500, gateway close) with discord.py's networking unmodified.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from pathlib import Path

import pytest
import pytest_asyncio
from discord.gateway import DiscordWebSocket
from discord.http import Route

import bot.exts.ask
import bot.exts.freetext
import bot.respond
from bot.client import TalentWarBot, create_bot
from bot.config import Settings
from bot.core.models import Answer, Citation
from bot.core.service import StoreService
from tests.fake_discord import FakeDiscord

from .conftest import assert_fits, assert_no_pings, message_requests

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Settings:
    """A knowledge copy and a store built from it once; each test opens it (no rebuild)."""
    root = tmp_path_factory.mktemp("inprocess")
    shutil.copytree(REPO / "knowledge", root / "knowledge")
    settings = Settings(
        seeds_dir=REPO / "seeds",
        knowledge_dir=root / "knowledge",
        store_path=root / "store.sqlite",
        question_cooldown=0.0,
    )
    StoreService(settings).ensure_built()
    return settings


class Harness:
    def __init__(self, fake: FakeDiscord, client: TalentWarBot) -> None:
        self.fake = fake
        self.client = client
        self.user = fake.add_user("alice")
        self.mod = fake.add_moderator("mia")
        self.mod2 = fake.add_moderator("max")


async def start(
    settings: Settings, service: StoreService, *, dev_guild: bool = False, **changes
) -> tuple[FakeDiscord, TalentWarBot]:
    fake = await FakeDiscord().start()
    if dev_guild:
        changes["guild_id"] = fake.guild.id
    settings = settings.replace(
        discord_token=fake.token,
        api_base=fake.api_base,
        gateway_url=fake.gateway_url,
        moderator_role_ids=frozenset({fake.guild.role("Moderator").id}),
        question_channel_ids=frozenset({fake.channel("ask-the-bot").id}),
        **{"moderation_guild_ids": frozenset({fake.guild.id}), "reload_cooldown": 0.0, **changes},
    )
    service.settings = settings
    client = create_bot(settings, service=service)
    client._test_task = asyncio.create_task(client.start(fake.token))  # type: ignore[attr-defined]
    await fake.wait_until_ready(10)
    return fake, client


@pytest_asyncio.fixture
async def make(built):
    """Factory: start a bot (optionally with a custom service or settings); everything stops after."""
    started: list[tuple[FakeDiscord, TalentWarBot]] = []
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY

    async def factory(service_cls: type[StoreService] = StoreService, **changes) -> Harness:
        fake, client = await start(built, service_cls(built), **changes)
        started.append((fake, client))
        return Harness(fake, client)

    yield factory
    for fake, client in started:
        await client.close()
        await asyncio.wait_for(client._test_task, 5)  # type: ignore[attr-defined]
        await fake.stop()
    Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


async def test_slow_answer_defers_then_edits(make, monkeypatch) -> None:
    h = await make()
    real = bot.exts.ask.answer
    monkeypatch.setattr(bot.respond, "RESPOND_WITHIN", 0.2)

    def slow(store, question, lang=None):
        time.sleep(0.6)
        return real(store, question, lang)

    monkeypatch.setattr(bot.exts.ask, "answer", slow)
    ask = await h.fake.slash("ask", {"question": "Who is Ruoming Pang?"}, user=h.user)
    cb = await ask.callback()
    assert cb.json["type"] == 5, "deferred (thinking) before the answer was ready"
    assert cb.at - ask.dispatched_at < 0.5
    reply = await ask.reply()
    assert reply.deferred and reply.request.method == "PATCH" and not reply.ephemeral
    assert "Apple" in reply.embeds[0]["description"]
    assert_no_pings(reply.payload)


def huge_answer(store, question, lang=None) -> Answer:
    """Everything over every limit: text, markdown, mentions, 40 long citations with long titles."""
    text = ("**Bold** _claim_ @everyone <@&1> ```code``` " * 40 + "word " * 3000) + "end."
    cites = [
        Citation(f"seeds/file_{n}.txt", "Title " * 80 + f"#{n}", "2025-07", "Quote *with* markdown. " * 200)
        for n in range(40)
    ]
    return Answer(question, True, "en", text, 0.9, facts=["x"], citations=cites, store_version="v")


async def test_over_long_answers_fit_every_discord_limit(make, monkeypatch) -> None:
    h = await make()
    monkeypatch.setattr(bot.exts.ask, "answer", huge_answer)
    monkeypatch.setattr(bot.exts.freetext, "answer", huge_answer)
    question = "@everyone <@&123> " + "very long question " * 30
    slash = await (await h.fake.slash("ask", {"question": question}, user=h.user)).reply()
    mention = await (await h.fake.message(f"{h.fake.bot.mention} {question}", user=h.user)).reply()
    for reply in (slash, mention):
        assert reply.request.status == 200, reply.request.response
        assert_fits(reply.payload)
        assert_no_pings(reply.payload)
        embed = reply.embeds[0]
        assert embed["description"].endswith("…")
        assert len(embed["fields"]) >= 1


async def test_concurrent_reloads_the_second_is_told_one_is_running(make) -> None:
    gate = threading.Event()

    class SlowReload(StoreService):
        def _reload(self):  # the build, held until the test lets it finish
            gate.wait(10)
            return super()._reload()

    h = await make(SlowReload)
    first = await h.fake.slash("reload", user=h.mod)
    await first.callback()
    second = await h.fake.slash("reload", user=h.mod2)
    told = await second.reply()
    assert told.ephemeral and "already under way" in told.text
    # Answers keep flowing while the reload is held.
    ask = await h.fake.slash("ask", {"question": "Who is Ruoming Pang?"}, user=h.user)
    answered = await ask.reply()
    assert not answered.deferred and "Apple" in answered.embeds[0]["description"]
    gate.set()
    done = await first.reply(timeout=20)
    assert done.ephemeral and "Reloaded" in done.text


async def test_cooldown_refuses_with_one_ephemeral_line(make) -> None:
    h = await make(question_cooldown=30.0)
    first = await (await h.fake.slash("ask", {"question": "Who is Ruoming Pang?"}, user=h.user)).reply()
    assert first.embeds
    second = await (await h.fake.slash("ask", {"question": "Who is Alexandr Wang?"}, user=h.user)).reply()
    assert second.ephemeral and "again in" in second.content and "\n" not in second.content
    assert_no_pings(second.payload)
    # Free text shares the cooldown; the notice is posted once per window, never a flood.
    m1 = await h.fake.message(f"{h.fake.bot.mention} who is Ruoming Pang?", user=h.user)
    notice = await m1.reply()
    assert "again in" in notice.content and notice.embeds == []
    m2 = await h.fake.message(f"{h.fake.bot.mention} who is Ruoming Pang?", user=h.user)
    probe = await h.fake.message(f"{h.fake.bot.mention} who is Ruoming Pang?", user=h.fake.add_user("bob"))
    await probe.reply()
    assert not m2.replies()
    # Someone else is not slowed down by alice.
    other = await (await h.fake.slash("ask", {"question": "Who is Ruoming Pang?"}, user=h.mod)).reply()
    assert other.embeds


async def test_unexpected_error_is_one_ephemeral_line(make, monkeypatch) -> None:
    h = await make()

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(bot.exts.ask, "answer", broken)
    reply = await (await h.fake.slash("ask", {"question": "Who is Ruoming Pang?"}, user=h.user)).reply()
    assert reply.ephemeral and "went wrong" in reply.content and "boom" not in reply.content


async def test_dev_guild_gets_the_commands_and_they_work(make) -> None:
    h = await make(dev_guild=True)
    assert set(h.fake.commands) == {h.fake.guild.id}, "synced to the development guild only"
    ask = await h.fake.slash("ask", {"question": "Who is Ruoming Pang?"}, user=h.user)
    assert ask.payload["data"]["guild_id"] == str(h.fake.guild.id)
    assert "Apple" in (await ask.reply()).embeds[0]["description"]


# -- the fake's fault hooks, with discord.py's own retry logic ---------------------------------


async def test_rate_limited_callback_is_retried(make) -> None:
    h = await make()
    h.fake.inject_fault(r"/callback$", 429, retry_after=0.2)
    ask = await h.fake.slash("ask", {"question": "Who is Ruoming Pang?"}, user=h.user)
    reply = await ask.reply()
    calls = [r for r in ask.requests() if r.path.endswith("/callback")]
    assert [r.status for r in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 0.2
    assert reply.embeds


async def test_server_error_on_a_reply_is_retried(make) -> None:
    h = await make()
    h.fake.inject_fault(r"^/channels/\d+/messages$", 502, method="POST")
    msg = await h.fake.message(f"{h.fake.bot.mention} who is Ruoming Pang?", user=h.user)
    reply = await msg.reply(timeout=10)
    assert reply.request.status == 200 and reply.embeds
    assert [r.status for r in msg.replies()] == [502, 200]


async def test_gateway_close_resumes_and_keeps_answering(make) -> None:
    h = await make()
    await h.fake.close_gateway(4000)
    await h.fake.wait_for(lambda: len(h.fake.connections) == 2 and h.fake.connections[-1].ready.is_set(), 15)
    resumed = h.fake.connections[-1]
    assert any(f.get("op") == 6 for f in resumed.received), "RESUME, not a new IDENTIFY"
    reply = await (await h.fake.slash("ask", {"question": "Who is Ruoming Pang?"}, user=h.user)).reply()
    assert reply.embeds


async def test_reconnect_is_survived(make) -> None:
    # (INVALID_SESSION works too, but discord.py waits 5 s before a new IDENTIFY: left to slower suites.)
    h = await make()
    await h.fake.send_reconnect()
    await h.fake.wait_for(lambda: len(h.fake.connections) == 2 and h.fake.connections[-1].ready.is_set(), 15)
    assert any(f.get("op") == 6 for f in h.fake.connections[-1].received), "RECONNECT leads to RESUME"
    reply = await (await h.fake.slash("ask", {"question": "Who is Ruoming Pang?"}, user=h.user)).reply()
    assert reply.embeds


async def test_all_messages_in_process_ping_no_one(make) -> None:
    h = await make()
    await (await h.fake.slash("who", {"name": "Meta"}, user=h.user)).reply()
    await (await h.fake.slash("transfers", {"company": "Apple", "limit": 25}, user=h.user)).reply()
    await (await h.fake.slash("sources", user=h.user)).reply()
    await (await h.fake.slash("help", user=h.user)).reply()
    sent = message_requests(h.fake.requests)
    assert len(sent) == 4
    for req in sent:
        assert req.status == 200
        assert_no_pings(req.message or {})


# -- citations and pages, as the user sees them ---------------------------------------------------


async def test_english_reader_sees_a_sentence_under_the_english_label_counted_by_article(make) -> None:
    h = await make()
    ask = await h.fake.slash("ask", {"question": "How much did Meta offer Ruoming Pang?"}, user=h.user)
    embed = (await ask.reply()).embeds[0]
    first = embed["fields"][0]
    assert first["name"].startswith("📰 Untitled article on Ruoming Pang's arrival at Meta")
    assert "sans titre" not in str(embed)
    shown = first["value"].split("\n")[0]
    assert shown.startswith("> ") and not shown.startswith("> Meta Platforms"), shown
    articles = {f["name"] for f in embed["fields"]}
    assert embed["footer"]["text"].startswith(f"{len(articles)} article"), embed["footer"]


async def test_who_pages_through_its_citations_with_buttons(make) -> None:
    h = await make()
    reply = await (await h.fake.slash("who", {"name": "Ruoming Pang"}, user=h.user)).reply()
    footer = reply.embeds[0]["footer"]["text"]
    assert "page 1/" in footer and "not shown" not in footer, footer
    previous, nxt = reply.custom_ids()
    buttons = reply.components[0]["components"]
    assert [b["label"] for b in buttons] == ["Previous", "Next"] and buttons[0]["disabled"]
    # Someone else cannot turn the asker's pages.
    other = await (await h.fake.click(reply.message, nxt, user=h.mod)).reply()
    assert other.ephemeral and "Only the person" in other.content
    click = await h.fake.click(reply.message, nxt, user=h.user)
    cb = await click.callback()
    assert cb.json["type"] == 7, "the message itself is edited"
    page = cb.json["data"]
    assert "page 2/" in page["embeds"][0]["footer"]["text"]
    assert page["embeds"][0]["fields"] != reply.embeds[0]["fields"]
    assert page["components"][0]["components"][0]["disabled"] is False
    assert_fits(page)
    assert_no_pings(page)


async def test_transfers_past_the_limit_are_reachable_with_buttons(make) -> None:
    h = await make()
    reply = await (await h.fake.slash("transfers", {"limit": 1}, user=h.user)).reply()
    assert len(reply.embeds[0]["fields"]) == 1
    footer = reply.embeds[0]["footer"]["text"]
    assert footer.startswith("page 1/"), footer
    pages = int(footer.split("/")[1].split()[0])
    nxt = reply.custom_ids()[1]
    seen = [reply.embeds[0]["fields"][0]["name"]]
    for n in range(2, pages + 1):
        cb = await (await h.fake.click(reply.message, nxt, user=h.user)).callback()
        embed = cb.json["data"]["embeds"][0]
        assert embed["footer"]["text"].startswith(f"page {n}/{pages}")
        seen.append(embed["fields"][0]["name"])
    assert len(set(seen)) == pages, "every move once"
    assert cb.json["data"]["components"][0]["components"][1]["disabled"] is True


async def test_a_rephrase_right_after_i_dont_know_is_answered(make) -> None:
    h = await make(question_cooldown=30.0)
    declined = await (
        await h.fake.slash("ask", {"question": "What is the weather in Paris?"}, user=h.user)
    ).reply()
    assert "I don't know" in declined.embeds[0]["description"]
    rephrased = await (await h.fake.slash("ask", {"question": "Who is Ruoming Pang?"}, user=h.user)).reply()
    assert rephrased.embeds and "Apple" in rephrased.embeds[0]["description"]
    # An answered question does cost the cooldown.
    again = await (await h.fake.slash("ask", {"question": "Who is Alexandr Wang?"}, user=h.user)).reply()
    assert again.ephemeral and "again in" in again.content
