"""`python -m bot run` as a separate process against the fake Discord, driven as users would.

One bot process serves the whole module (tests run in file order; the /reload tests that edit
the knowledge copy come last). Assertions are on the HTTP requests the bot really sent.
"""

from __future__ import annotations

import asyncio
import time

import pytest
import pytest_asyncio

from tests.fake_discord import MANAGE_GUILD, MEMBER_PERMISSIONS, BotProcess, FakeDiscord

from .conftest import assert_fits, assert_no_pings, message_requests

pytestmark = pytest.mark.asyncio(loop_scope="module")

EPHEMERAL = 64
VALID_FACT = """\
facts:
  - id: e2e-added-fact
    topic: {en: "Ruoming Pang's recruitment date (test)", fr: "Date du recrutement de Ruoming Pang (test)"}
    about: [ruoming-pang]
    answers: [when]
    text: {en: "July 2025 (test fact).", fr: "Juillet 2025 (fait de test)."}
    cite:
      - seed: 000_a72eddb388f69db9.txt
        quote: "Date du recrutement chez Meta : juillet 2025"
"""
BROKEN_FACT = """\
facts:
  - id: e2e-broken-fact
    topic: {en: "Broken", fr: "Cassé"}
    about: [ruoming-pang]
    answers: [what]
    text: {en: "Nothing.", fr: "Rien."}
    cite:
      - seed: 000_a72eddb388f69db9.txt
        quote: "This sentence appears nowhere in the article"
"""


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fake():
    async with FakeDiscord(token="MTIz.fake-e2e-token.secret-do-not-log") as fake:
        yield fake


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(fake, tmp_path_factory):
    proc = BotProcess(fake, tmp_path_factory.mktemp("bot"), env={"QUESTION_COOLDOWN_SECONDS": "0"})
    await proc.start()
    yield proc
    await proc.stop()


@pytest.fixture(scope="module")
def users(fake):
    return {
        "en": fake.add_user("alice", locale="en-US"),
        "fr": fake.add_user("benoit", locale="fr"),
        "mod": fake.add_moderator("mia"),
        "admin": fake.add_user("sam", permissions=MEMBER_PERMISSIONS | MANAGE_GUILD),
    }


# -- start-up ---------------------------------------------------------------------------------


async def test_logs_in_and_syncs_commands_with_descriptions(fake: FakeDiscord, bot: BotProcess) -> None:
    me = fake.requests_matching("GET", r"^/users/@me$")[0]
    assert me.headers["Authorization"] == f"Bot {fake.token}"
    identify = fake.identifies[-1]
    assert identify["intents"] & (1 << 15), "message content intent is needed for question channels"
    commands = {c["name"]: c for c in fake.commands[None]}
    assert set(commands) == {
        "ask",
        "transfers",
        "who",
        "sources",
        "reload",
        "article",
        "help",
        "gaps",
        "flows",
    }
    for cmd in commands.values():
        assert cmd["description"], cmd["name"]
        for option in cmd.get("options", []):
            assert option["description"], (cmd["name"], option["name"])
    assert commands["ask"]["description_localizations"]["fr"]
    assert next(o for o in commands["who"]["options"] if o["name"] == "name")["autocomplete"] is True
    assert int(commands["reload"]["default_member_permissions"]) == MANAGE_GUILD
    assert commands["reload"]["contexts"] == [0], "guild only"
    limit = next(o for o in commands["transfers"]["options"] if o["name"] == "limit")
    assert (limit["min_value"], limit["max_value"], limit["required"]) == (1, 25, False)


# -- /ask -------------------------------------------------------------------------------------


async def test_ask_in_english_with_citations(fake, bot, users) -> None:
    ask = await fake.slash("ask", {"question": "How much did Meta offer Ruoming Pang?"}, user=users["en"])
    reply = await ask.reply()
    assert not reply.deferred and not reply.ephemeral
    assert_no_pings(reply.payload)
    assert_fits(reply.payload)
    embed = reply.embeds[0]
    assert "200 million" in embed["description"]
    assert embed["fields"], "citations"
    assert any("seeds/" in f["value"] and f["value"].startswith(">") for f in embed["fields"])
    assert reply.request.at - ask.dispatched_at < 2.0


async def test_ask_in_french_follows_the_question(fake, bot, users) -> None:
    reply = await (await fake.slash("ask", {"question": "Qui est Ruoming Pang ?"}, user=users["en"])).reply()
    assert "Apple" in reply.embeds[0]["description"]
    assert "article" in reply.embeds[0]["footer"]["text"] and "confiance" in reply.embeds[0]["footer"]["text"]


async def test_ask_unclear_language_follows_the_locale(fake, bot, users) -> None:
    fr = await (
        await fake.slash("ask", {"question": "Ruoming Pang ?"}, user=users["fr"], locale="fr")
    ).reply()
    en = await (
        await fake.slash("ask", {"question": "Ruoming Pang ?"}, user=users["en"], locale="en-GB")
    ).reply()
    assert "recruté" in fr.embeds[0]["description"] and "confiance" in fr.embeds[0]["footer"]["text"]
    assert "recruited" in en.embeds[0]["description"] and "confidence" in en.embeds[0]["footer"]["text"]


async def test_ask_unknown_is_honest_and_helpful(fake, bot, users) -> None:
    reply = await (
        await fake.slash("ask", {"question": "What is the weather in Paris tomorrow?"}, user=users["en"])
    ).reply()
    assert "don't know" in reply.text
    assert "/help" in reply.text
    assert_no_pings(reply.payload)


async def test_ask_with_everyone_and_role_mentions_pings_no_one(fake, bot, users) -> None:
    role = fake.guild.role("Moderator").id
    question = f"@everyone <@&{role}> <@{users['fr'].id}> **Who** is Ruoming `Pang`?"
    reply = await (await fake.slash("ask", {"question": question}, user=users["en"])).reply()
    assert reply.allowed_mentions == {"parse": []}
    title = reply.embeds[0].get("title", "")
    assert "@everyone" not in title and f"<@&{role}>" not in title
    assert "**Who**" not in title and "\\*\\*Who\\*\\*" in title, title
    assert "Apple" in reply.embeds[0]["description"]


# -- /transfers, /who, /sources, /help --------------------------------------------------------


async def test_transfers_latest_first_with_sources(fake, bot, users) -> None:
    reply = await (await fake.slash("transfers", {"limit": 3}, user=users["en"])).reply()
    assert_no_pings(reply.payload)
    fields = reply.embeds[0]["fields"]
    assert 1 <= len(fields) <= 3
    assert all("📰" in f["value"] for f in fields), "each transfer cites its source"
    assert "→" in fields[0]["name"]


async def test_transfers_for_a_company_and_unknown_company(fake, bot, users) -> None:
    reply = await (await fake.slash("transfers", {"company": "Meta"}, user=users["fr"], locale="fr")).reply()
    assert "Meta" in reply.embeds[0]["title"] and "Derniers transferts" in reply.embeds[0]["title"]
    assert all("Meta" in f["name"] for f in reply.embeds[0]["fields"])
    bad = await (await fake.slash("transfers", {"company": "Zorglub Industries"}, user=users["en"])).reply()
    assert bad.ephemeral and "\n" not in bad.content and "Zorglub" in bad.content
    assert_no_pings(bad.payload)


async def test_who_autocomplete_is_fast_fuzzy_and_bounded(fake, bot, users) -> None:
    for typed, expected in [
        ("ruo", "Ruoming Pang"),
        ("roumin pang", "Ruoming Pang"),
        ("Alexander Wang", "Alexandr Wang"),
    ]:
        handle = await fake.autocomplete("who", {"name": typed}, "name", user=users["en"])
        choices = await handle.choices()
        assert 1 <= len(choices) <= 25
        assert choices[0]["value"] == expected, (typed, choices[:3])
        cb = await handle.callback()
        assert cb.at - handle.dispatched_at < 0.5
    everything = await (await fake.autocomplete("who", {"name": ""}, "name", user=users["en"])).choices()
    assert 1 <= len(everything) <= 25


async def test_who_profile(fake, bot, users) -> None:
    reply = await (await fake.slash("who", {"name": "Ruoming Pang"}, user=users["fr"], locale="fr")).reply()
    assert "Ruoming Pang" in reply.embeds[0]["title"]
    assert "Apple" in reply.embeds[0]["description"]
    unknown = await (await fake.slash("who", {"name": "Nobody Special"}, user=users["en"])).reply()
    assert "Nobody Special" in unknown.text


async def test_sources_and_help(fake, bot, users) -> None:
    sources = await (await fake.slash("sources", user=users["en"])).reply()
    assert "seeds/000_a72eddb388f69db9.txt" in sources.text
    helped = await (await fake.slash("help", user=users["fr"], locale="fr")).reply()
    assert helped.ephemeral and "/ask" in helped.text and "Commandes" in helped.text


# -- free text --------------------------------------------------------------------------------


async def test_mention_question_gets_a_reply(fake, bot, users) -> None:
    role = fake.guild.role("Moderator").id
    msg = await fake.message(
        f"{fake.bot.mention} who is Ruoming Pang? @everyone <@&{role}>", user=users["en"]
    )
    reply = await msg.reply()
    assert int(reply.payload["message_reference"]["message_id"]) == msg.id
    assert reply.allowed_mentions == {"parse": [], "replied_user": False}
    assert "Apple" in reply.embeds[0]["description"]


async def test_dm_question_gets_a_reply(fake, bot, users) -> None:
    msg = await fake.message("Qui est Ruoming Pang ?", user=users["fr"], dm=True)
    reply = await msg.reply()
    assert reply.request.path == f"/channels/{fake.dm_channel(users['fr']).id}/messages"
    assert "Apple" in reply.embeds[0]["description"]
    assert_no_pings(reply.payload)


async def test_question_channel_answers_everything_and_other_messages_are_ignored(fake, bot, users) -> None:
    asked = await fake.message(
        "When did Alexandr Wang join Meta?", user=users["en"], channel=fake.channel("ask-the-bot")
    )
    assert (await asked.reply()).embeds
    start = time.monotonic()
    ignored = [
        await fake.message("who is Ruoming Pang?", user=users["en"]),  # no mention, not a question channel
        await fake.message("@everyone who is Ruoming Pang?", user=users["en"]),  # @everyone does not summon
        await fake.message(
            f"{fake.bot.mention} who is Ruoming Pang?", user=fake.add_user("otherbot", bot=True)
        ),
    ]
    probe = await fake.message(f"{fake.bot.mention} who is Ruoming Pang?", user=users["en"])
    await probe.reply()  # handled after the ignored ones (one gateway connection, in order)
    await asyncio.sleep(0.2)
    for msg in ignored:
        assert not msg.replies(), msg.payload["content"]
    assert not [r for r in fake.requests if r.at >= start and r.status >= 400]


# -- /reload ----------------------------------------------------------------------------------


async def test_reload_is_refused_for_members_and_in_dms(fake, bot, users) -> None:
    refused = await (await fake.slash("reload", user=users["en"])).reply()
    assert refused.ephemeral and "moderators" in refused.content.lower() and "\n" not in refused.content
    assert_no_pings(refused.payload)
    in_dm = await (await fake.slash("reload", user=users["mod"], dm=True)).reply()
    assert in_dm.ephemeral and "server" in in_dm.content


async def test_reload_by_moderator_role_reports_what_changed(fake, bot, users) -> None:
    (bot.knowledge_dir / "zz-e2e-added.yaml").write_text(VALID_FACT, encoding="utf-8")
    handle = await fake.slash("reload", user=users["mod"])
    cb = await handle.callback()
    assert cb.json["type"] == 5 and cb.json["data"]["flags"] & EPHEMERAL, "deferred, privately, at once"
    reply = await handle.reply(timeout=20)
    assert reply.ephemeral and reply.deferred
    assert_no_pings(reply.payload)
    assert "1 added" in reply.text and "e2e-added-fact" in reply.text


async def test_reload_by_manage_server_permission(fake, bot, users) -> None:
    reply = await (await fake.slash("reload", user=users["admin"])).reply(timeout=20)
    assert "0 added" in reply.text and "0 removed" in reply.text


async def test_broken_file_reports_file_and_line_and_the_old_store_answers(fake, bot, users) -> None:
    (bot.knowledge_dir / "zz-e2e-broken.yaml").write_text(BROKEN_FACT, encoding="utf-8")
    reply = await (await fake.slash("reload", user=users["mod"])).reply(timeout=20)
    assert reply.ephemeral
    assert "zz-e2e-broken.yaml:9" in reply.text, reply.text
    assert "not verbatim" in reply.text
    after = await (await fake.slash("ask", {"question": "Who is Ruoming Pang?"}, user=users["en"])).reply()
    assert "Apple" in after.embeds[0]["description"], "the previous store keeps answering"
    (bot.knowledge_dir / "zz-e2e-broken.yaml").unlink()
    (bot.knowledge_dir / "zz-e2e-added.yaml").unlink()
    fixed = await (await fake.slash("reload", user=users["mod"])).reply(timeout=20)
    assert "1 removed" in fixed.text


# -- across everything ------------------------------------------------------------------------


async def test_every_message_sent_pings_no_one_and_fits(fake, bot) -> None:
    sent = message_requests(fake.requests)
    assert len(sent) > 15
    for req in sent:
        assert_no_pings(req.message or {})
        assert_fits(req.message or {})
    assert not [r for r in fake.requests if r.status >= 400 and "Zorglub" not in r.body]


async def test_stops_cleanly_and_never_logs_the_token(fake, bot) -> None:
    assert await bot.stop() == 0
    log = bot.log()
    assert "question command=ask" in log and "latency_ms=" in log
    assert fake.token not in log
    assert "Who is Ruoming Pang" not in log, "no user message content in the logs"
