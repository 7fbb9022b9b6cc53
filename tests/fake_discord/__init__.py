"""A fake Discord (REST API v10 and gateway) on 127.0.0.1, for testing the bot with discord.py unmodified.

The bot is pointed at it with ``DISCORD_API_BASE`` / ``DISCORD_GATEWAY_URL`` (``fake.env()`` gives
both plus ``DISCORD_TOKEN``), either as a separate ``python -m bot run`` process or in the test's own
event loop. The fake plays Discord's part: HELLO, heartbeat ACKs, IDENTIFY -> READY + GUILD_CREATE,
RESUME, command sync, interaction callbacks, webhook edits and follow-ups, channel messages. Every
REST request the bot sends is recorded (method, path, query, JSON body, headers, monotonic time,
status) so tests assert on what the bot really sent.

Usage::

    async with FakeDiscord() as fake:
        ... start the bot with fake.env() ...
        await fake.wait_until_ready()                     # identified, READY, commands synced
        alice = fake.add_user("alice", locale="fr")
        mod = fake.add_moderator("mia")                   # has the guild's "Moderator" role
        ask = await fake.slash("ask", {"question": "Who is Ruoming Pang?"}, user=alice)
        reply = await ask.reply()                         # callback message, or edit after a defer
        assert reply.allowed_mentions == {"parse": []}
        choices = await (await fake.autocomplete("who", {"name": "ruo"}, "name", user=alice)).choices()
        msg = await fake.message(f"{fake.bot.mention} who left Apple?", user=alice)
        answer = await msg.reply()                        # the bot's reply to that message
        dm = await fake.message("Qui est Ruoming Pang ?", user=alice, dm=True)

The bot as a separate process: ``bot = await BotProcess(fake, tmp_path).start()`` runs ``python -m
bot run`` with the fake's endpoints, its own store and a private copy of knowledge/ (``bot.knowledge_dir``),
waits until ready; ``await bot.stop()`` sends SIGTERM and returns the exit code; ``bot.log()``.

Buttons: ``reply.custom_ids()`` lists the buttons under a reply, ``await fake.click(reply.message,
custom_id, user=alice)`` presses one (a component interaction carrying that message, as Discord
sends it; it works across bot restarts, since the message is the test's). Attachments of multipart
requests are in ``request.files`` / ``reply.files`` (``RecordedFile``: name, filename, type, bytes).

Messages are checked against Discord's limits (``limits.message_problems``): one over a limit gets
Discord's 400 "Invalid Form Body", like the real service.

Measuring (for benchmarks): ``handle.dispatched_at`` and ``RecordedRequest.at`` are both
``time.monotonic()``; ``await handle.callback()`` is the callback request.

Faults (for reliability tests): ``fake.inject_fault(r"/callback$", 429, retry_after=0.2)`` or
``500``/``502`` (``times``, ``delay``, ``is_global``); ``fake.rest_delay``; ``await
fake.close_gateway(4000)``, ``await fake.drop_gateway()`` (TCP cut, no close frame), ``await
fake.send_reconnect()``, ``await fake.send_invalid_session()``, ``fake.ack_heartbeats = False``
(zombie connection), ``fake.heartbeat_interval_ms``. RESUME replays
the session's missed events; ``fake.identifies`` / ``fake.connections`` show what happened. Note that
discord.py waits 5 s before any IDENTIFY but the first (``Client.before_identify_hook``).

The bot in the test's own event loop (reliability tests that reach into its service and logs):
``tests.fake_discord.inprocess.InProcessBot`` (not imported here: the fake itself needs no bot).
"""

from .limits import message_problems
from .payloads import (
    ADMINISTRATOR,
    MANAGE_GUILD,
    MEMBER_PERMISSIONS,
    FakeChannel,
    FakeGuild,
    FakeUser,
    snowflake,
)
from .process import BotProcess
from .server import (
    FakeDiscord,
    Fault,
    GatewayConnection,
    InteractionHandle,
    MessageHandle,
    RecordedFile,
    RecordedRequest,
    Reply,
)

__all__ = [
    "ADMINISTRATOR",
    "BotProcess",
    "message_problems",
    "MANAGE_GUILD",
    "MEMBER_PERMISSIONS",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeUser",
    "Fault",
    "GatewayConnection",
    "InteractionHandle",
    "MessageHandle",
    "RecordedFile",
    "RecordedRequest",
    "Reply",
    "snowflake",
]
