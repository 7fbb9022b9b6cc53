"""Faults from Discord, injected by the fake: the gateway closing or dropping the connection in every
way Discord does, REST calls answered 429 then 500/502, replies that Discord refuses. After each,
the bot is still running and answers the next question; every reply is delivered exactly once.

(Already covered in test_inprocess.py: close 4000 -> RESUME, RECONNECT -> RESUME, 429 on a
callback, 502 on a channel reply.) One bot, in this module's event loop, lives through all of them.
"""

from __future__ import annotations

import asyncio
import importlib
import re
import shutil
import time
from pathlib import Path

import pytest
import pytest_asyncio

import bot.respond as respond
from bot.config import Settings
from tests.fake_discord import InteractionHandle, MessageHandle
from tests.fake_discord.inprocess import InProcessBot

from .conftest import assert_fits, assert_no_pings


def who_command():
    """/who's module as the running bot loaded it (discord.py runs each extension afresh)."""
    return importlib.import_module("bot.exts.who")


pytestmark = pytest.mark.asyncio(loop_scope="module")

REPO = Path(__file__).resolve().parents[2]
RESUME, IDENTIFY = 6, 2


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("reliability-faults")
    shutil.copytree(REPO / "knowledge", root / "knowledge")
    settings = Settings(
        seeds_dir=REPO / "seeds",
        knowledge_dir=root / "knowledge",
        store_path=root / "store.sqlite",
        question_cooldown=0.0,
    )
    async with InProcessBot(settings) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="module", autouse=True)
async def still_running(bot: InProcessBot):
    """After every test: no fault left unused, the bot still running and answering."""
    yield
    assert all(f.times == 0 for f in bot.fake.faults), "an injected fault was never hit"
    bot.fake.faults.clear()
    assert bot.running, "the client crashed or closed"
    await answers_the_next_question(bot)


async def answers_the_next_question(bot: InProcessBot) -> None:
    """A slash command and a mention, both answered from the store."""
    asked = await bot.ask("Who is Ruoming Pang?", timeout=10)
    assert asked.request.status == 200 and "Apple" in asked.embeds[0]["description"]
    mentioned = await bot.mention("who is Ruoming Pang?", timeout=10)
    assert mentioned.request.status == 200 and "Apple" in mentioned.embeds[0]["description"]


def delivered(handle: InteractionHandle | MessageHandle) -> list:
    """Requests about `handle` that made a message visible (accepted message creates and edits)."""
    reqs = handle.requests() if isinstance(handle, InteractionHandle) else handle.replies()
    return [r for r in reqs if r.message is not None and r.status == 200]


# -- the gateway --------------------------------------------------------------------------------


async def close_1000(fake) -> None:
    await fake.close_gateway(1000)


async def close_1001(fake) -> None:
    await fake.close_gateway(1001)


async def close_1011(fake) -> None:
    await fake.close_gateway(1011)


async def drop(fake) -> None:
    await fake.drop_gateway()


async def invalid_session_resumable(fake) -> None:
    await fake.send_invalid_session(resumable=True)


async def invalid_session(fake) -> None:
    await fake.send_invalid_session(resumable=False)


GATEWAY_FAULTS = [
    pytest.param(close_1000, RESUME, id="normal close 1000"),
    pytest.param(close_1001, RESUME, id="close 1001 going away"),
    pytest.param(close_1011, RESUME, id="abnormal close 1011"),
    pytest.param(drop, RESUME, id="connection dropped (1006)"),
    pytest.param(invalid_session_resumable, RESUME, id="INVALID_SESSION resumable"),
    pytest.param(invalid_session, IDENTIFY, id="INVALID_SESSION not resumable"),
]


@pytest.mark.parametrize(("fault", "expected_op"), GATEWAY_FAULTS)
async def test_gateway_fault_then_the_next_question_is_answered(
    bot, monkeypatch, fault, expected_op: int
) -> None:
    fake = bot.fake
    before_connections, before_identifies = len(fake.connections), len(fake.identifies)
    waits: list[bool] = []

    async def shorter_wait(shard_id, *, initial: bool = False) -> None:
        """discord.py's hook waits 5 s before every IDENTIFY but the first; 0.2 s keeps this fast."""
        waits.append(initial)
        await asyncio.sleep(0 if initial else 0.2)

    monkeypatch.setattr(bot.client, "before_identify_hook", shorter_wait)
    await fault(fake)
    await fake.wait_for(
        lambda: len(fake.connections) > before_connections and fake.connections[-1].ready.is_set(), 15
    )
    newest = fake.connections[-1]
    ops = [f.get("op") for f in newest.received]
    assert expected_op in ops, ops
    if expected_op == RESUME:
        assert len(fake.identifies) == before_identifies, "resumed the session, no new IDENTIFY"
        assert IDENTIFY not in ops
    else:
        assert len(fake.identifies) == before_identifies + 1, "a new session"
        assert waits == [False], "through discord.py's wait before a new IDENTIFY"
    await answers_the_next_question(bot)


# -- REST: 429 with retry-after, then 500 / 502 ----------------------------------------------------


async def test_rate_limit_then_server_errors_each_reply_is_delivered_once(bot, monkeypatch) -> None:
    """Three replies at once, each hit by a 429 (retry-after 0.3 s) and then a 500 or a 502:

    - a slash command's interaction callback (the direct answer): 429, 500;
    - the edit of a deferred answer (the webhook PATCH after "thinking…"): 429, 502;
    - a reply posted in a channel (a DM question): a global 429, 502.
    discord.py waits out each and retries; every reply arrives once, no duplicate, no follow-up.
    """
    fake = bot.fake
    real_profile = who_command().profile

    def slow_profile(store, name, lang="en"):
        time.sleep(0.6)
        return real_profile(store, name, lang)

    monkeypatch.setattr(who_command(), "profile", slow_profile)
    monkeypatch.setattr(respond, "RESPOND_WITHIN", 0.3)  # /who defers; /ask's instant answer does not
    started = time.monotonic()

    # The fault is injected right after the event is sent: the bot, in this same event loop, cannot
    # have answered yet, and the path names this interaction or channel only.
    ask = await fake.slash("ask", {"question": "How much did Meta offer Ruoming Pang?"}, user=bot.user)
    fake.inject_fault(rf"^/interactions/{ask.id}/", 429, retry_after=0.3)
    fake.inject_fault(rf"^/interactions/{ask.id}/", 500)

    who = await fake.slash("who", {"name": "Ruoming Pang"}, user=bot.mod)
    edit = rf"^/webhooks/\d+/{re.escape(who.token)}/messages/@original$"
    fake.inject_fault(edit, 429, method="PATCH", retry_after=0.3)
    fake.inject_fault(edit, 502, method="PATCH")

    dm = await fake.message("Who is Ruoming Pang?", user=bot.mod2, dm=True)
    post = rf"^/channels/{dm.channel_id}/messages$"
    fake.inject_fault(post, 429, method="POST", retry_after=0.3, is_global=True)
    fake.inject_fault(post, 502, method="POST")

    ask_reply, who_reply, dm_reply = await asyncio.gather(
        ask.reply(timeout=20), who.reply(timeout=20), dm.reply(timeout=20)
    )
    await asyncio.sleep(0.5)  # anything late (a duplicate, a follow-up) would arrive by now

    calls = [r for r in ask.requests() if r.path.endswith("/callback")]
    assert [r.status for r in calls] == [429, 500, 200]
    assert calls[1].at - calls[0].at >= 0.3, "retry-after was honoured"
    assert "200 million" in ask_reply.embeds[0]["description"]

    assert who_reply.deferred
    assert [r.status for r in who.requests()] == [200, 429, 502, 200], "defer, then the edit thrice"
    assert "Apple" in who_reply.embeds[0]["description"]

    assert [r.status for r in dm.replies()] == [429, 502, 200]
    assert "Apple" in dm_reply.embeds[0]["description"]

    for handle, reply in ((ask, ask_reply), (who, who_reply), (dm, dm_reply)):
        assert len(delivered(handle)) == 1, "delivered exactly once"
        assert_fits(reply.payload)
        assert_no_pings(reply.payload)
    assert not [r for r in fake.requests if r.path.startswith("/webhooks/") and r.method == "POST"], (
        "no follow-up message"
    )
    failed = [r for r in fake.requests if r.at >= started and r.status >= 400]
    assert len(failed) == 6, "only the injected failures"


# -- replies Discord refuses ----------------------------------------------------------------------


async def test_slash_reply_refused_is_logged_with_context_and_the_bot_goes_on(bot) -> None:
    """The interaction expired (404 Unknown interaction, 10062): no crash, an error line naming the
    command and Discord's error, the failure notice attempted, and the next question answered."""
    fake = bot.fake
    mark = bot.logs.mark()
    ask = await fake.slash("ask", {"question": "Who is Ruoming Pang?"}, user=bot.user)
    fake.inject_fault(
        rf"^/interactions/{ask.id}/", 404, times=2, body={"message": "Unknown interaction", "code": 10062}
    )
    await fake.wait_for(lambda: len(ask.requests()) == 2, 5)  # the answer, then the error notice
    await asyncio.sleep(0.1)
    errors = bot.logs.errors(mark)
    assert len(errors) == 1, bot.logs.text(mark)
    assert errors[0].startswith("ERROR bot.client: /ask failed"), errors[0]
    assert "10062" in errors[0] and "Unknown interaction" in errors[0]
    assert any("could not tell the user about an error (404)" in line for line in bot.logs.lines(mark))


async def test_deferred_reply_refused_is_logged_with_context_and_the_bot_goes_on(bot, monkeypatch) -> None:
    """The interaction token expired before the deferred answer was edited in (404 Unknown Webhook)."""
    fake = bot.fake
    real_profile = who_command().profile

    def slow_profile(store, name, lang="en"):
        time.sleep(0.2)
        return real_profile(store, name, lang)

    monkeypatch.setattr(who_command(), "profile", slow_profile)
    monkeypatch.setattr(respond, "RESPOND_WITHIN", 0.05)
    mark = bot.logs.mark()
    who = await fake.slash("who", {"name": "Ruoming Pang"}, user=bot.user)
    edit = rf"^/webhooks/\d+/{re.escape(who.token)}/messages/@original$"
    fake.inject_fault(edit, 404, times=2, body={"message": "Unknown Webhook", "code": 10015})
    await fake.wait_for(lambda: len(who.requests()) == 3, 5)  # defer, the answer, the error notice
    await asyncio.sleep(0.1)
    errors = bot.logs.errors(mark)
    assert len(errors) == 1, bot.logs.text(mark)
    assert errors[0].startswith("ERROR bot.client: /who failed") and "10015" in errors[0], errors[0]


async def test_channel_reply_refused_is_logged_with_context_and_the_bot_goes_on(bot) -> None:
    """The bot lost Send Messages in a channel (403, 50013): a warning naming the channel and code."""
    fake = bot.fake
    mark = bot.logs.mark()
    msg = await fake.message(f"{fake.bot.mention} who is Ruoming Pang?", user=bot.user)
    fake.inject_fault(
        rf"^/channels/{msg.channel_id}/messages$",
        403,
        method="POST",
        body={"message": "Missing Permissions", "code": 50013},
    )
    await fake.wait_for(lambda: msg.replies(), 5)
    await asyncio.sleep(0.1)
    assert bot.logs.errors(mark) == []
    lines = bot.logs.lines(mark)
    assert any(f"could not reply in channel {msg.channel_id} (403 50013)" in line for line in lines), lines


async def test_autocomplete_reply_refused_is_logged_and_the_bot_goes_on(bot) -> None:
    fake = bot.fake
    mark = bot.logs.mark()
    handle = await fake.autocomplete("who", {"name": "ruo"}, "name", user=bot.user)
    fake.inject_fault(
        rf"^/interactions/{handle.id}/", 404, body={"message": "Unknown interaction", "code": 10062}
    )
    await fake.wait_for(lambda: handle.requests(), 5)
    await asyncio.sleep(0.1)
    errors = bot.logs.errors(mark)
    assert len(errors) == 1 and "autocomplete for 'who'" in errors[0] and "10062" in errors[0], errors


async def test_failed_reply_log_line_names_the_interaction(bot) -> None:
    fake = bot.fake
    mark = bot.logs.mark()
    ask = await fake.slash("ask", {"question": "Who is Ruoming Pang?"}, user=bot.user)
    fake.inject_fault(
        rf"^/interactions/{ask.id}/", 404, times=2, body={"message": "Unknown interaction", "code": 10062}
    )
    await fake.wait_for(lambda: len(ask.requests()) == 2, 5)
    await asyncio.sleep(0.1)
    errors = bot.logs.errors(mark)
    assert errors and str(ask.id) in errors[0], errors
