"""Curators' features end to end: `python -m bot run` against the fake Discord, driven as users.

Declined questions and 👎 reaching `/gaps` (moderators only), `/flows` answering with a PNG, the
gaps surviving a `/reload`, and the buttons of an answer still working after the bot restarts.
Tests run in file order and share one bot process (restarted once, near the end).
"""

from __future__ import annotations

import struct
from typing import Any

import pytest
import pytest_asyncio

from tests.fake_discord import BotProcess, FakeDiscord

from .conftest import assert_fits, assert_no_pings

pytestmark = pytest.mark.asyncio(loop_scope="module")

DECLINED = "What is the weather in Paris tomorrow?"
ANSWERED = "How much did Meta offer Ruoming Pang?"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fake():
    async with FakeDiscord(token="MTIz.fake-curators-token.secret") as fake:
        yield fake


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("curators")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(fake, workdir):
    proc = BotProcess(fake, workdir, env={"QUESTION_COOLDOWN_SECONDS": "0"})
    await proc.start()
    yield proc
    await proc.stop()


@pytest.fixture(scope="module")
def users(fake):
    return {
        "en": fake.add_user("alice", locale="en-US"),
        "fr": fake.add_user("benoit", locale="fr"),
        "mod": fake.add_moderator("mia"),
        "mod_fr": fake.add_moderator("marc", locale="fr"),
    }


@pytest.fixture(scope="module")
def kept() -> dict[str, Any]:
    """What a test leaves for a later one (the answer whose buttons are pressed after a restart)."""
    return {}


async def gaps_text(fake: FakeDiscord, user, **options: Any) -> str:
    reply = await (await fake.slash("gaps", options or None, user=user)).reply(timeout=10)
    assert reply.ephemeral, "the list is for moderators only"
    assert_no_pings(reply.payload)
    assert_fits(reply.payload)
    return reply.text


async def test_commands_are_synced(fake, bot) -> None:
    commands = {c["name"]: c for c in fake.commands[None]}
    assert {"gaps", "flows"} <= set(commands)
    assert commands["gaps"]["contexts"] == [0], "guild only"
    assert commands["gaps"]["description_localizations"]["fr"].startswith("Modérateurs")
    assert commands["flows"]["description_localizations"]["fr"]
    company = next(o for o in commands["flows"]["options"] if o["name"] == "company")
    assert company["autocomplete"] is True


async def test_declined_question_is_listed_for_moderators_and_not_for_members(fake, bot, users) -> None:
    reply = await (await fake.slash("ask", {"question": DECLINED}, user=users["en"])).reply()
    assert "don't know" in reply.text
    assert not reply.custom_ids(), "no feedback buttons under a declined question"
    refused = await (await fake.slash("gaps", user=users["en"])).reply()
    assert refused.ephemeral and "moderators" in refused.content.lower() and "\n" not in refused.content
    assert DECLINED not in refused.text
    listed = await gaps_text(fake, users["mod"])
    assert f"**1×** {DECLINED}" in listed, listed
    in_dm = await (await fake.slash("gaps", user=users["mod"], dm=True)).reply()
    assert in_dm.ephemeral and "server" in in_dm.content


async def test_near_identical_questions_are_grouped_most_asked_first(fake, bot, users) -> None:
    for question in ["what is the weather in paris tomorrow", "Quel temps fera-t-il demain à Paris ?"]:
        await (await fake.slash("ask", {"question": question}, user=users["fr"], locale="fr")).reply()
    listed = await gaps_text(fake, users["mod_fr"])
    lines = [line for line in listed.splitlines() if "×**" in line]
    assert lines[0].startswith(f"1. **2×** {DECLINED}"), lines
    assert any("Quel temps" in line for line in lines[1:])
    assert "Ce à quoi je n'ai pas su répondre" in listed, "in the moderator's language"
    bad = await (await fake.slash("gaps", {"since": "yesterday"}, user=users["mod"])).reply()
    assert bad.ephemeral and "7d" in bad.content


async def test_answer_has_buttons_and_a_thumbs_down_reaches_gaps(fake, bot, users, kept) -> None:
    reply = await (await fake.slash("ask", {"question": ANSWERED}, user=users["en"])).reply()
    ids = reply.custom_ids()
    assert len(ids) == 2 and ids[0].startswith("tw:vote:up:en:") and ids[1].startswith("tw:vote:down:en:")
    assert all(len(i) <= 100 for i in ids)
    kept["answer"], kept["down"], kept["up"] = reply.message, ids[1], ids[0]
    thanks = await (await fake.click(reply.message, ids[1], user=users["fr"])).reply()
    assert thanks.ephemeral and "curators" in thanks.content
    assert_no_pings(thanks.payload)
    again = await (await fake.click(reply.message, ids[1], user=users["fr"])).reply()
    assert again.ephemeral and "already" in again.content, "one member counts once"
    liked = await (await fake.click(reply.message, ids[0], user=users["en"])).reply()
    assert liked.ephemeral and "Thanks" in liked.content
    listed = await gaps_text(fake, users["mod"])
    line = next(line for line in listed.splitlines() if "Ruoming Pang" in line)
    assert "👎 1" in line and "**1×**" in line, line
    assert "👍 1 · 👎 1" in listed


async def test_free_text_answers_have_buttons_too(fake, bot, users) -> None:
    msg = await fake.message(f"{fake.bot.mention} who is Ruoming Pang?", user=users["en"])
    reply = await msg.reply()
    assert [i.split(":")[2] for i in reply.custom_ids()] == ["up", "down"]
    assert_no_pings(reply.payload)


async def test_flows_replies_with_a_png_and_a_summary(fake, bot, users) -> None:
    reply = await (await fake.slash("flows", user=users["en"])).reply(timeout=30)
    assert not reply.ephemeral
    [picture] = reply.files
    assert picture.filename.endswith(".png") and picture.data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", picture.data[16:24])
    assert (width, height) == (1200, 760)
    assert "Apple → Meta" in reply.content and "Ruoming Pang" in reply.content
    assert "\n" not in reply.content, "one line for screen readers"
    [attachment] = reply.payload["attachments"]
    assert attachment["description"] == reply.content, "the summary is the image's alt text"
    assert_no_pings(reply.payload)


async def test_flows_for_a_company_since_a_date_in_french(fake, bot, users) -> None:
    reply = await (
        await fake.slash("flows", {"company": "Scale AI", "since": "2025-06"}, user=users["fr"], locale="fr")
    ).reply(timeout=30)
    assert reply.files and "Scale AI" in reply.content and "mouvement" in reply.content
    assert "Apple" not in reply.content
    unknown = await (await fake.slash("flows", {"company": "Zorglub Industries"}, user=users["en"])).reply()
    assert unknown.ephemeral and "Zorglub" in unknown.content and not unknown.files
    bad = await (await fake.slash("flows", {"since": "soon"}, user=users["en"])).reply()
    assert bad.ephemeral and "2025-06" in bad.content


async def test_gaps_survive_a_reload(fake, bot, users) -> None:
    reloaded = await (await fake.slash("reload", user=users["mod"])).reply(timeout=30)
    assert "0 added" in reloaded.text
    listed = await gaps_text(fake, users["mod"])
    assert DECLINED in listed and "Ruoming Pang" in listed


async def test_buttons_still_work_after_a_restart(fake, bot, users, workdir, kept) -> None:
    assert await bot.stop() == 0
    again = BotProcess(fake, workdir, env={"QUESTION_COOLDOWN_SECONDS": "0"})
    await again.start()
    try:
        thanks = await (await fake.click(kept["answer"], kept["down"], user=users["en"])).reply(timeout=10)
        assert thanks.ephemeral and "curators" in thanks.content
        listed = await gaps_text(fake, users["mod"])
        line = next(line for line in listed.splitlines() if "Ruoming Pang" in line)
        assert "👎 2" in line, line
        assert DECLINED in listed, "the gaps outlive the process"
    finally:
        assert await again.stop() == 0
    log = again.log()
    assert "feedback vote=down" in log
    assert ANSWERED not in log and DECLINED not in log, "no user text in the logs"
    assert fake.token not in log
