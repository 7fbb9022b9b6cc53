"""The news feed on the fake Discord: a reload that brings new moves posts them once in
ANNOUNCE_CHANNEL_ID, with no mentions allowed; the same store again, a restart, or no setting
post nothing; a channel that is missing, not a text channel or closed to the bot is one warning
in the log and a line in the moderator's reply, and the reload succeeds all the same."""

from __future__ import annotations

import itertools
import logging
import re
import shutil
from pathlib import Path

import pytest
import pytest_asyncio

from bot.config import Settings
from bot.core.articles import add_article
from tests.fake_discord.inprocess import InProcessBot
from tests.fake_discord.payloads import SEND_MESSAGES, FakeChannel, snowflake

from .conftest import assert_fits, assert_no_pings

pytestmark = pytest.mark.asyncio(loop_scope="module")

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "tests" / "articles"

_people = itertools.count(1)
SURNAMES = "Quistberg Tallowmere Ardlewick Bransholt Corriveau Dunmarrow Elsworthy Fenwicke".split()
FIRST = "Nadia Emeric Sunniva Torvald Heloise Ambrose Katell Leopold".split()


def an_article() -> tuple[str, str]:
    """A short article reporting one new move (a person no other article names), and that person."""
    n = next(_people)
    who = f"{FIRST[n % len(FIRST)]} {SURNAMES[n // len(FIRST) % len(SURNAMES)]}"  # 64 distinct names
    text = (
        f"Corvane Labs hires {who}\n\nBy Lee Park | Synthetic Wire | April {n}, 2026\n\n"
        f"{who}, a principal researcher at Brightfold, joined Corvane Labs as chief scientist on "
        "Monday, the company said.\n"
    )
    return text, who


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def harness(tmp_path_factory):
    root = tmp_path_factory.mktemp("announce")
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "knowledge", root / "knowledge")
    settings = Settings(
        seeds_dir=root / "seeds",
        knowledge_dir=root / "knowledge",
        store_path=root / "var" / "store.sqlite",
        question_cooldown=0.0,
    )
    bot = InProcessBot(settings)
    guild = bot.fake.guild
    news = FakeChannel(snowflake(), "talent-news", guild.id)
    category = FakeChannel(snowflake(), "Information", guild.id, type=4)
    closed = FakeChannel(
        snowflake(), "read-only", guild.id, overwrites=[{"id": guild.id, "type": 0, "deny": SEND_MESSAGES}]
    )
    guild.channels += [news, category, closed]
    bot.base_settings = settings.replace(announce_channel_id=news.id)
    async with bot:
        bot.news, bot.category, bot.closed = news, category, closed  # type: ignore[attr-defined]
        yield bot


def posts(bot: InProcessBot, channel_id: int, since: int = 0):
    return [
        r
        for r in bot.fake.requests[since:]
        if r.method == "POST" and r.path == f"/channels/{channel_id}/messages"
    ]


def channel_posts(bot: InProcessBot, since: int = 0):
    return [r for r in bot.fake.requests[since:] if r.method == "POST" and r.path.startswith("/channels/")]


async def reload(bot: InProcessBot):
    reply = await (await bot.fake.slash("reload", user=bot.mod)).reply(timeout=60)
    assert reply.ephemeral and "Reloaded" in (reply.embeds[0].get("title") or ""), reply.text
    return reply


async def test_a_reload_that_brings_a_new_move_posts_it_once_without_pings(harness) -> None:
    assert channel_posts(harness) == [], "nothing at start-up: the first store is the baseline"
    text, who = an_article()
    # Text the post echoes (the article's title) that would ping if it were not escaped.
    add_article(
        harness.settings.seeds_dir,
        text,
        title=f"Corvane hires @everyone @here <@{snowflake()}> <@&{snowflake()}>",
    )
    before = len(harness.fake.requests)
    reply = await reload(harness)
    sent = posts(harness, harness.news.id, before)
    assert len(sent) == 1, [r.json for r in sent]
    body = sent[0].json
    assert_no_pings(body)
    assert_fits(body)
    content = body["content"]
    lines = content.split("\n")
    assert lines[0] == "📰 **1 new move(s)** in the AI talent war", content
    assert (
        lines[1] == f"• **{who}: Brightfold → Corvane Labs** · 📅 April 2026 · joined · 🔎 not yet reviewed"
    ), content
    assert lines[2].startswith("  📰 *Corvane hires") and lines[2].endswith(", April 1, 2026"), content
    assert "everyone" in content and not re.search(r"(?<!\u200b)@(everyone|here)|<@[!&]?\d+>", content)
    assert len(channel_posts(harness, before)) == 1, "nothing anywhere else"
    assert f"📣 1 new move(s) announced in <#{harness.news.id}>." in reply.text, reply.text

    again = len(harness.fake.requests)
    second = await reload(harness)
    assert channel_posts(harness, again) == [], "the same store again posts nothing"
    assert "announced" not in second.text


async def test_article_add_announces_its_moves_newest_first(harness) -> None:
    before = len(harness.fake.requests)
    handle = await harness.fake.slash(
        "article",
        subcommand="add",
        user=harness.mod,
        files={"file": ("quillon.txt", (ARTICLES / "zephyr_en.txt").read_bytes())},
    )
    reply = await handle.reply(timeout=60)
    assert "Quillon Labs hires Orla Brennagh" in reply.text
    sent = posts(harness, harness.news.id, before)
    assert len(sent) == 1, "its moves fit in one message"
    content = sent[0].json["content"]
    assert_no_pings(sent[0].json)
    assert_fits(sent[0].json)
    # Every move the article reports, "Vantablue" read as a company wherever someone works there.
    assert content.startswith("📰 **7 new move(s)**"), content
    people = ["Piet Vandermolen", "Ilse Maartens", "Teodor Lasko", "Yara Okafor", "Marit Holm"]
    people += ["Orla Brennagh", "Benedikt Sauer"]
    assert all(f"• **{p}: " in content for p in people), content
    line = {p: content.index(f"• **{p}: ") for p in people}
    assert line["Ilse Maartens"] < line["Orla Brennagh"], "March 3 before March 2"
    assert "💰 $12 million over three years" in content, "the package, as /transfers shows it"
    assert line["Piet Vandermolen"] < line["Ilse Maartens"], "April before March"
    assert "📣 7 new move(s) announced in <#" in reply.text, reply.text


async def test_no_setting_posts_nothing(harness) -> None:
    harness.client.settings = harness.client.settings.replace(announce_channel_id=None)
    try:
        add_article(harness.settings.seeds_dir, an_article()[0])
        before = len(harness.fake.requests)
        reply = await reload(harness)
        assert channel_posts(harness, before) == []
        assert "announced" not in reply.text
    finally:
        harness.client.settings = harness.client.settings.replace(announce_channel_id=harness.news.id)


@pytest.mark.parametrize(
    ("which", "reason"),
    [
        ("missing", "there is no such channel"),
        ("category", "it is not a text channel"),
        ("closed", "lacks View Channel or Send Messages"),
    ],
)
async def test_an_unusable_channel_is_a_warning_and_the_reload_answers(harness, which, reason) -> None:
    channel_id = {"missing": snowflake(), "category": harness.category.id, "closed": harness.closed.id}[which]
    harness.client.settings = harness.client.settings.replace(announce_channel_id=channel_id)
    try:
        text, who = an_article()
        add_article(harness.settings.seeds_dir, text)
        mark = harness.logs.mark()
        before = len(harness.fake.requests)
        reply = await reload(harness)
        assert reason in reply.text and "not announced" in reply.text, reply.text
        assert channel_posts(harness, before) == []
        warnings = [
            line for line in harness.logs.lines(mark, logging.WARNING) if "ANNOUNCE_CHANNEL_ID" in line
        ]
        assert len(warnings) == 1 and str(channel_id) in warnings[0], harness.logs.text(mark)
        assert harness.logs.errors(mark) == []
        assert any(
            who in harness.service.store.entity_name(t.who) for t in harness.service.store.transfers
        ), "the reload did happen"
        assert harness.running

        # Once: the same problem on the next reload is not warned again.
        add_article(harness.settings.seeds_dir, an_article()[0])
        mark = harness.logs.mark()
        await reload(harness)
        assert not [w for w in harness.logs.lines(mark, logging.WARNING) if "ANNOUNCE_CHANNEL_ID" in w]
    finally:
        harness.client.settings = harness.client.settings.replace(announce_channel_id=harness.news.id)


async def test_a_post_discord_refuses_is_a_warning_and_the_reload_answers(harness) -> None:
    harness.fake.inject_fault(rf"^/channels/{harness.news.id}/messages$", 403, method="POST")
    add_article(harness.settings.seeds_dir, an_article()[0])
    mark = harness.logs.mark()
    reply = await reload(harness)
    assert "not announced" in reply.text and "lacks View Channel" in reply.text, reply.text
    assert any("ANNOUNCE_CHANNEL_ID" in line for line in harness.logs.lines(mark, logging.WARNING))
    assert harness.logs.errors(mark) == []


async def test_a_failing_feed_never_breaks_the_reload(harness, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("formatting blew up")

    monkeypatch.setattr("bot.replies.announce_messages", broken)
    text, who = an_article()
    add_article(harness.settings.seeds_dir, text)
    before = len(harness.fake.requests)
    reply = await reload(harness)
    assert "Reloaded" in reply.text and "announced" not in reply.text
    assert channel_posts(harness, before) == []
    assert any(who == harness.service.store.entity_name(t.who) for t in harness.service.store.transfers)


async def test_a_restart_announces_nothing_again(tmp_path: Path) -> None:
    """Stop the bot, add an article while it is down, start it again on the same store: the
    first store is the baseline; reloading it, or removing an article and adding it back, posts
    nothing (the ledger beside the store remembers what was announced)."""
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    shutil.copytree(REPO / "knowledge", tmp_path / "knowledge")
    base = Settings(
        seeds_dir=tmp_path / "seeds", knowledge_dir=tmp_path / "knowledge", store_path=tmp_path / "s.sqlite"
    )
    news = FakeChannel(snowflake(), "talent-news", 0)

    def with_news(bot: InProcessBot) -> InProcessBot:
        news.guild_id = bot.fake.guild.id
        bot.fake.guild.channels.append(news)
        bot.base_settings = base.replace(announce_channel_id=news.id)
        return bot

    async with with_news(InProcessBot(base)) as first:
        add_article(base.seeds_dir, an_article()[0])
        await reload(first)
        assert len(posts(first, news.id)) == 1

    add_article(base.seeds_dir, an_article()[0])  # while the bot is down: not news either
    async with with_news(InProcessBot(base)) as second:
        await second.client.wait_until_ready()
        assert channel_posts(second) == [], "nothing at start-up"
        await reload(second)
        assert channel_posts(second) == [], "a reload of the same store after a restart"

        documents = base.seeds_dir / "documents.yaml"
        entries = documents.read_text(encoding="utf-8")
        text = an_article()[0]
        added = add_article(base.seeds_dir, text)
        await reload(second)
        assert len(posts(second, news.id)) == 1, "the restarted bot announces what is new"
        # The article removed, then added back: its move is not news the second time.
        (base.seeds_dir / added.file).unlink()
        documents.write_text(entries, encoding="utf-8")
        await reload(second)
        add_article(base.seeds_dir, text)
        before = len(second.fake.requests)
        await reload(second)
        assert channel_posts(second, before) == [], "announced already"
