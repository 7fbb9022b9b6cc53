"""The fake Discord: REST API and gateway websocket on 127.0.0.1, driven by tests (see package docs)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .limits import choices_problems, message_problems
from .payloads import (
    ADMINISTRATOR,
    MANAGE_GUILD,
    MEMBER_PERMISSIONS,
    OPTION_TYPES,
    FakeChannel,
    FakeGuild,
    FakeRole,
    FakeUser,
    interaction_create,
    message_create,
    sent_message,
    snowflake,
)

log = logging.getLogger("fake_discord")

API_PREFIX = "/api/v10"
EPHEMERAL = 1 << 6

# Gateway opcodes.
DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE, RESUME, RECONNECT, REQUEST_MEMBERS = 0, 1, 2, 3, 4, 6, 7, 8
INVALID_SESSION, HELLO, HEARTBEAT_ACK = 9, 10, 11

# Interaction callback types.
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, AUTOCOMPLETE_RESULT, MODAL = 4, 5, 8, 9


@dataclass
class RecordedFile:
    """A file the bot attached to a message (multipart/form-data part `files[n]`)."""

    name: str  # the form field, e.g. "files[0]"
    filename: str
    content_type: str
    data: bytes


def parse_multipart(content_type: str, raw: bytes) -> tuple[Any, list[RecordedFile]]:
    """`payload_json` and the files of a multipart/form-data body, as Discord reads them."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    parsed = email.message_from_bytes(head + raw, policy=email.policy.HTTP)
    payload: Any = None
    files: list[RecordedFile] = []
    for part in parsed.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        if name == "payload_json":
            payload = json.loads(data.decode("utf-8"))
        else:
            filename = part.get_filename() or ""
            files.append(RecordedFile(name or "", filename, part.get_content_type(), data))
    return payload, files


@dataclass
class RecordedRequest:
    """One REST request the bot sent, as received (and what the fake answered)."""

    method: str
    path: str  # after the API prefix, e.g. "/channels/1/messages"
    query: dict[str, str]
    json: Any
    body: str
    headers: dict[str, str]
    at: float  # time.monotonic() when it arrived
    status: int = 0
    response: Any = None
    files: list[RecordedFile] = field(default_factory=list)  # attachments of a multipart request

    @property
    def settled(self) -> bool:
        """Answered for good: success or a rejection, not a 429/5xx the bot is expected to retry."""
        return bool(self.status) and self.status != 429 and self.status < 500

    @property
    def message(self) -> dict[str, Any] | None:
        """The message this request creates or edits (None for other requests)."""
        if not isinstance(self.json, dict):
            return None
        if self.path.endswith("/callback"):
            if self.json.get("type") in (CHANNEL_MESSAGE, 7):  # a message now (not a defer)
                return self.json.get("data") or {}
            return None
        if self.method in ("POST", "PATCH") and (
            re.fullmatch(r"/channels/\d+/messages(/\d+)?", self.path)
            or re.fullmatch(r"/webhooks/\d+/[^/]+(/messages/[^/]+)?", self.path)
        ):
            return self.json
        return None


@dataclass
class Reply:
    """A message the bot made visible in answer to something, with where it came from."""

    request: RecordedRequest
    payload: dict[str, Any]
    ephemeral: bool
    deferred: bool = False

    @property
    def content(self) -> str:
        return self.payload.get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.payload.get("embeds") or []

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        return self.payload.get("allowed_mentions")

    @property
    def files(self) -> list[RecordedFile]:
        """Files attached to this reply (multipart requests)."""
        return self.request.files

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.payload.get("components") or []

    def custom_ids(self) -> list[str]:
        """The custom ids of every button (or other component) under this reply."""
        return [
            c["custom_id"] for row in self.components for c in row.get("components", []) if "custom_id" in c
        ]

    @property
    def message(self) -> dict[str, Any]:
        """The message object Discord returned for this reply (what a component click refers to)."""
        response = self.request.response or {}
        if self.request.path.endswith("/callback"):
            return (response.get("resource") or {}).get("message") or {}
        return response

    @property
    def text(self) -> str:
        """All the visible text (content and every embed part), for assertions."""
        parts = [self.content]
        for e in self.embeds:
            parts += [e.get("title", ""), e.get("description", "")]
            parts += [(e.get("author") or {}).get("name", ""), (e.get("footer") or {}).get("text", "")]
            for f in e.get("fields", []):
                parts += [f.get("name", ""), f.get("value", "")]
        return "\n".join(p for p in parts if p)


@dataclass
class Fault:
    """An injected REST failure: the next `times` requests matching answer `status` instead."""

    method: str | None
    path: re.Pattern[str]
    status: int
    retry_after: float = 0.0
    is_global: bool = False
    times: int = 1
    body: Any = None
    delay: float = 0.0

    def matches(self, req: RecordedRequest) -> bool:
        return (self.method is None or self.method == req.method) and bool(self.path.search(req.path))


@dataclass
class GatewaySession:
    id: str
    seq: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class GatewayConnection:
    """One websocket from the bot; `session` is set once it identified or resumed."""

    ws: web.WebSocketResponse
    query: dict[str, str]
    session: GatewaySession | None = None
    received: list[dict[str, Any]] = field(default_factory=list)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    transport: Any = None  # the TCP transport under the websocket (to drop it without a close frame)
    shard: tuple[int, int] = (0, 1)  # (shard id, shard count) from IDENTIFY

    @property
    def owns_guild_of(self) -> Callable[[int], bool]:
        """Whether a guild's events go to this connection: Discord's (guild_id >> 22) % count."""
        shard_id, count = self.shard
        return lambda guild_id: count <= 1 or (guild_id >> 22) % count == shard_id

    async def send(self, payload: dict[str, Any]) -> None:
        await self.ws.send_str(json.dumps(payload))


class _Tracked:
    """Requests about one dispatched thing, indexed as they arrive (no scan of all requests)."""

    def __init__(self) -> None:
        self._requests: list[RecordedRequest] = []
        self._event = asyncio.Event()

    def _record(self, rec: RecordedRequest) -> None:
        self._requests.append(rec)
        self._event.set()

    async def _wait(
        self, predicate: Callable[[RecordedRequest], bool], timeout: float, what: str
    ) -> RecordedRequest:
        async def scan() -> RecordedRequest:
            seen = 0
            while True:
                for r in self._requests[seen:]:
                    if predicate(r):
                        return r
                seen = len(self._requests)
                self._event.clear()
                await self._event.wait()

        try:
            return await asyncio.wait_for(scan(), timeout)
        except asyncio.TimeoutError:
            got = ", ".join(f"{r.method} {r.path} -> {r.status}" for r in self._requests) or "nothing"
            raise AssertionError(f"no {what} within {timeout}s (got: {got})") from None


class InteractionHandle(_Tracked):
    """An interaction the fake dispatched, with the requests the bot sent about it."""

    def __init__(self, fake: FakeDiscord, payload: dict[str, Any], dispatched_at: float) -> None:
        super().__init__()
        self.fake = fake
        self.payload = payload
        self.id = int(payload["id"])
        self.token: str = payload["token"]
        self.dispatched_at = dispatched_at

    def requests(self) -> list[RecordedRequest]:
        """Every REST request about this interaction (callback, edits, follow-ups), in order."""
        return list(self._requests)

    async def callback(self, timeout: float = 5.0) -> RecordedRequest:
        """The interaction callback (the bot's first response) once settled (retries of 429/5xx skipped)."""
        return await self._wait(lambda r: r.path.endswith("/callback") and r.settled, timeout, "callback")

    async def reply(self, timeout: float = 5.0) -> Reply:
        """The visible answer: the callback's message, or after a defer the edit / follow-up."""
        cb = await self.callback(timeout)
        kind = cb.json.get("type")
        data = cb.json.get("data") or {}
        if kind == CHANNEL_MESSAGE:
            return Reply(cb, data, ephemeral=bool(int(data.get("flags") or 0) & EPHEMERAL))
        if kind != DEFERRED_CHANNEL_MESSAGE:
            raise AssertionError(f"callback type {kind} carries no message")
        deferred_ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
        req = await self._wait(
            lambda r: r.path.startswith("/webhooks/") and r.method in ("PATCH", "POST") and r.settled,
            timeout,
            "edit or follow-up after the defer",
        )
        flags = int((req.json or {}).get("flags") or 0)
        ephemeral = deferred_ephemeral if req.method == "PATCH" else bool(flags & EPHEMERAL)
        return Reply(req, req.json or {}, ephemeral=ephemeral, deferred=True)

    async def choices(self, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Autocomplete choices the bot returned."""
        cb = await self.callback(timeout)
        assert cb.json.get("type") == AUTOCOMPLETE_RESULT, cb.json
        return cb.json["data"]["choices"]


class MessageHandle(_Tracked):
    """A user message the fake dispatched, with the bot's replies to it."""

    def __init__(self, fake: FakeDiscord, payload: dict[str, Any], dispatched_at: float) -> None:
        super().__init__()
        self.fake = fake
        self.payload = payload
        self.id = int(payload["id"])
        self.channel_id = int(payload["channel_id"])
        self.dispatched_at = dispatched_at

    def replies(self) -> list[RecordedRequest]:
        """Messages the bot posted in reply to this one (message_reference), attempts included."""
        return list(self._requests)

    async def reply(self, timeout: float = 5.0) -> Reply:
        """The bot's reply to this message, once settled (retries of 429/5xx skipped)."""
        req = await self._wait(lambda r: r.settled, timeout, "reply")
        return Reply(req, req.json or {}, ephemeral=False)


_TOKEN_PATH = re.compile(r"^/(?:interactions/\d+|webhooks/\d+)/([^/]+)")
_CHANNEL_POST = re.compile(r"^/channels/(\d+)/messages$")


Handler = Callable[[RecordedRequest, re.Match[str]], Awaitable[tuple[int, Any]]]


class FakeDiscord:
    """A Discord API v10 + gateway stand-in on 127.0.0.1 (one bot, one guild, a few users)."""

    def __init__(self, *, token: str = "fake-bot-token", heartbeat_interval_ms: int = 41_250) -> None:
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.ack_heartbeats = True
        self.dispatch_shard: int | None = None  # send events on this shard's connection (None: the latest)
        self.application_id = snowflake()
        self.bot = FakeUser(self.application_id, "talentwar", bot=True)
        owner = FakeUser(snowflake(), "owner", permissions=ADMINISTRATOR | MEMBER_PERMISSIONS)
        gid = snowflake()
        self.guild = FakeGuild(id=gid, name="AI Talent Watch", owner_id=owner.id)
        self.guild.roles = [
            FakeRole(gid, "@everyone", MEMBER_PERMISSIONS),
            FakeRole(snowflake(), "Moderator", MEMBER_PERMISSIONS),
            FakeRole(snowflake(), "talentwar", MEMBER_PERMISSIONS, managed=True, bot_id=self.bot.id),
        ]
        self.guild.channels = [
            FakeChannel(snowflake(), "general", gid),
            FakeChannel(snowflake(), "ask-the-bot", gid),
        ]
        self.users: dict[int, FakeUser] = {self.bot.id: self.bot, owner.id: owner}
        self.owner = owner
        self._dm_channels: dict[int, FakeChannel] = {}
        self._messages: dict[int, dict[str, Any]] = {}

        self.requests: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        self.rest_delay = 0.0
        self.commands: dict[int | None, list[dict[str, Any]]] = {}  # guild id (None = global) -> commands
        self.identifies: list[dict[str, Any]] = []
        self.connections: list[GatewayConnection] = []
        self.sessions: dict[str, GatewaySession] = {}
        self.interactions: list[InteractionHandle] = []
        self._by_token: dict[str, InteractionHandle] = {}
        self._by_message: dict[int, MessageHandle] = {}
        self.request_hooks: list[Callable[[RecordedRequest], None]] = []
        self.files: dict[str, bytes] = {}  # attachment path -> content, served like Discord's CDN

        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._add_routes()

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_route("GET", "/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        app.router.add_route("GET", "/attachments/{tail:.*}", self._attachment)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        for conn in list(self.connections):
            await conn.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self._port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self._port}/gateway"

    def env(self) -> dict[str, str]:
        """Environment variables that point a bot process at this fake."""
        return {
            "DISCORD_TOKEN": self.token,
            "DISCORD_API_BASE": self.api_base,
            "DISCORD_GATEWAY_URL": self.gateway_url,
        }

    # -- the world ---------------------------------------------------------------------------

    def add_user(
        self,
        username: str,
        *,
        roles: tuple[int, ...] = (),
        permissions: int = MEMBER_PERMISSIONS,
        locale: str = "en-US",
        bot: bool = False,
    ) -> FakeUser:
        user = FakeUser(snowflake(), username, bot=bot, roles=roles, permissions=permissions, locale=locale)
        self.users[user.id] = user
        return user

    def add_moderator(self, username: str = "mod", *, by_role: bool = True, **kw: Any) -> FakeUser:
        """A moderator by role (the guild's "Moderator" role) or by Manage Server permission."""
        if by_role:
            return self.add_user(username, roles=(self.guild.role("Moderator").id,), **kw)
        return self.add_user(username, permissions=MEMBER_PERMISSIONS | MANAGE_GUILD, **kw)

    def add_guild(self, name: str) -> FakeGuild:
        """Another guild the bot is in (with its own Moderator role and #general), for
        interactions sent with `guild=`; not announced on the gateway (interactions do not need it)."""
        gid = snowflake()
        guild = FakeGuild(id=gid, name=name, owner_id=self.owner.id)
        guild.roles = [
            FakeRole(gid, "@everyone", MEMBER_PERMISSIONS),
            FakeRole(snowflake(), "Moderator", MEMBER_PERMISSIONS),
        ]
        guild.channels = [FakeChannel(snowflake(), "general", gid)]
        return guild

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        if user.id not in self._dm_channels:
            self._dm_channels[user.id] = FakeChannel(snowflake(), f"dm-{user.username}", None, 1, user)
        return self._dm_channels[user.id]

    def channel(self, name: str = "general") -> FakeChannel:
        return self.guild.channel(name)

    # -- waiting on what the bot does --------------------------------------------------------

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, condition: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Wait until `condition()` is truthy (re-checked whenever a request or frame arrives)."""

        async def wait() -> Any:
            async with self._changed:
                while True:
                    value = condition()
                    if value:
                        return value
                    await self._changed.wait()

        return await asyncio.wait_for(wait(), timeout)

    async def wait_for_request(
        self, predicate: Callable[[RecordedRequest], bool], timeout: float = 5.0, *, after: float = 0.0
    ) -> RecordedRequest:
        """The first recorded REST request (received at or after `after`) matching `predicate`."""

        def find() -> RecordedRequest | None:
            return next((r for r in self.requests if r.at >= after and predicate(r)), None)

        try:
            return await self.wait_for(find, timeout)
        except asyncio.TimeoutError:
            seen = "\n".join(f"  {r.method} {r.path} -> {r.status}" for r in self.requests[-15:])
            raise AssertionError(f"no matching request within {timeout}s; last requests:\n{seen}") from None

    async def wait_until_ready(self, timeout: float = 20.0) -> GatewayConnection:
        """Wait for a bot that identified, got READY and GUILD_CREATE, and synced its commands."""
        conn = await self.wait_for(lambda: self._live_connection(), timeout)
        await self.wait_for(lambda: self.commands, timeout)
        return conn

    def _live_connection(self) -> GatewayConnection | None:
        for conn in reversed(self.connections):
            wanted = self.dispatch_shard is None or conn.shard[0] == self.dispatch_shard
            if conn.ready.is_set() and not conn.ws.closed and wanted:
                return conn
        return None

    def live_shards(self) -> list[int]:
        """The shard ids with a live, identified connection (sharded bots connect once per shard)."""
        return sorted({c.shard[0] for c in self.connections if c.ready.is_set() and not c.ws.closed})

    def requests_matching(self, method: str | None = None, path: str | None = None) -> list[RecordedRequest]:
        pattern = re.compile(path) if path else None
        return [
            r
            for r in self.requests
            if (method is None or r.method == method) and (pattern is None or pattern.search(r.path))
        ]

    # -- driving the bot ---------------------------------------------------------------------

    async def dispatch(self, event: str, data: dict[str, Any], timeout: float = 10.0) -> float:
        """Send a DISPATCH on the live connection; returns the monotonic time it was sent."""
        conn = await self.wait_for(lambda: self._live_connection(), timeout)
        session = conn.session
        assert session is not None
        session.seq += 1
        frame = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
        session.events.append(frame)
        sent_at = time.monotonic()
        await conn.send(frame)
        return sent_at

    async def _attachment(self, request: web.Request) -> web.Response:
        data = self.files.get(request.path)
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="text/plain")

    def attachment(self, filename: str, data: bytes) -> dict[str, Any]:
        """An uploaded file: its resolved payload, its content served at its URL."""
        aid = snowflake()
        path = f"/attachments/{aid}/{filename}"
        self.files[path] = data
        url = f"http://127.0.0.1:{self._port}{path}"
        return {
            "id": str(aid),
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": "text/plain; charset=utf-8",
        }

    def _command(self, name: str, guild: FakeGuild | None) -> tuple[dict[str, Any] | None, int | None]:
        if guild is not None:
            for cmd in self.commands.get(guild.id, []):
                if cmd["name"] == name:
                    return cmd, guild.id
        for cmd in self.commands.get(None, []):
            if cmd["name"] == name:
                return cmd, None
        return None, None

    def _options(
        self, command: dict[str, Any] | None, values: dict[str, Any], focused: str | None
    ) -> list[dict]:
        schema = {o["name"]: o for o in (command or {}).get("options", [])}
        options = []
        for name, value in values.items():
            if command is not None and name not in schema:
                raise KeyError(f"/{command['name']} has no option {name!r}; it has {sorted(schema)}")
            kind = schema[name]["type"] if name in schema else OPTION_TYPES[type(value)]
            option: dict[str, Any] = {"name": name, "type": kind, "value": value}
            if name == focused:
                option["focused"] = True
            options.append(option)
        return options

    async def _interaction(
        self,
        kind: int,
        name: str,
        options: dict[str, Any] | None,
        *,
        user: FakeUser,
        channel: FakeChannel | None,
        dm: bool,
        locale: str | None,
        focused: str | None = None,
        guild: FakeGuild | None = None,
        subcommand: str | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> InteractionHandle:
        guild = None if dm else (guild or self.guild)
        if channel is None:
            channel = self.dm_channel(user) if dm else guild.channel("general")  # type: ignore[union-attr]
        command, command_guild = self._command(name, guild)
        values = dict(options or {})
        resolved: dict[str, Any] = {}
        for option, (filename, content) in (files or {}).items():
            payload = self.attachment(filename, content)
            resolved[payload["id"]] = payload
            values[option] = payload["id"]
        if subcommand is not None:
            sub = next(
                (o for o in (command or {}).get("options", []) if o["name"] == subcommand),
                {"name": subcommand, "options": []},
            )
            opts = [{"name": subcommand, "type": 1, "options": self._options(sub, values, focused)}]
        else:
            opts = self._options(command, values, focused)
        data: dict[str, Any] = {
            "id": str(command["id"]) if command else str(snowflake()),
            "name": name,
            "type": 1,
            "options": opts,
        }
        if resolved:
            data["resolved"] = {"attachments": resolved}
        if command_guild is not None:
            data["guild_id"] = str(command_guild)
        iid = snowflake()
        payload = interaction_create(
            interaction_id=iid,
            token=f"itoken-{iid}-{secrets.token_hex(8)}",
            application_id=self.application_id,
            kind=kind,
            data=data,
            user=user,
            channel=channel,
            guild=guild,
            locale=locale or user.locale,
            app_permissions=MEMBER_PERMISSIONS,
        )
        handle = InteractionHandle(self, payload, 0.0)
        self.interactions.append(handle)
        self._by_token[handle.token] = handle
        handle.dispatched_at = await self.dispatch("INTERACTION_CREATE", payload)
        return handle

    async def slash(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user: FakeUser,
        channel: FakeChannel | None = None,
        dm: bool = False,
        locale: str | None = None,
        subcommand: str | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
        guild: FakeGuild | None = None,
    ) -> InteractionHandle:
        """A user runs /name [subcommand] with options (typed from the synced command's schema);
        `files` maps an attachment option to (filename, content)."""
        return await self._interaction(
            2,
            name,
            options,
            user=user,
            channel=channel,
            dm=dm,
            locale=locale,
            subcommand=subcommand,
            files=files,
            guild=guild,
        )

    async def submit_modal(
        self, opened: InteractionHandle, values: dict[str, str], *, user: FakeUser
    ) -> InteractionHandle:
        """The user fills in the modal the bot opened on `opened` (text inputs by label) and submits."""
        cb = await opened.callback()
        assert cb.json.get("type") == MODAL, f"no modal was opened: {cb.json}"
        modal = cb.json["data"]
        rows = []
        for row in modal["components"]:
            inputs = []
            for comp in row["components"]:
                inputs.append(
                    {"type": 4, "custom_id": comp["custom_id"], "value": values.get(comp["label"], "")}
                )
            rows.append({"type": 1, "components": inputs})
        iid = snowflake()
        payload = interaction_create(
            interaction_id=iid,
            token=f"itoken-{iid}-{secrets.token_hex(8)}",
            application_id=self.application_id,
            kind=5,
            data={"custom_id": modal["custom_id"], "components": rows},
            user=user,
            channel=self.channel("general"),
            guild=self.guild,
            locale=user.locale,
            app_permissions=MEMBER_PERMISSIONS,
        )
        handle = InteractionHandle(self, payload, 0.0)
        self.interactions.append(handle)
        self._by_token[handle.token] = handle
        handle.dispatched_at = await self.dispatch("INTERACTION_CREATE", payload)
        return handle

    async def autocomplete(
        self,
        name: str,
        options: dict[str, Any],
        focused: str,
        *,
        user: FakeUser,
        dm: bool = False,
        locale: str | None = None,
    ) -> InteractionHandle:
        """A user types in option `focused` of /name; `await handle.choices()` gives the result."""
        return await self._interaction(
            4, name, options, user=user, channel=None, dm=dm, locale=locale, focused=focused
        )

    async def click(
        self,
        message: dict[str, Any],
        custom_id: str,
        *,
        user: FakeUser,
        dm: bool = False,
        locale: str | None = None,
    ) -> InteractionHandle:
        """A user presses the button `custom_id` under `message` (a `Reply.message`)."""
        guild = None if dm else self.guild
        channel = self.dm_channel(user) if dm else self._channel_by_id(int(message["channel_id"]))
        iid = snowflake()
        payload = interaction_create(
            interaction_id=iid,
            token=f"itoken-{iid}-{secrets.token_hex(8)}",
            application_id=self.application_id,
            kind=3,
            data={"custom_id": custom_id, "component_type": 2},
            user=user,
            channel=channel,
            guild=guild,
            locale=locale or user.locale,
            app_permissions=MEMBER_PERMISSIONS,
        )
        payload["message"] = message
        handle = InteractionHandle(self, payload, 0.0)
        self.interactions.append(handle)
        self._by_token[handle.token] = handle
        handle.dispatched_at = await self.dispatch("INTERACTION_CREATE", payload)
        return handle

    def _channel_by_id(self, channel_id: int) -> FakeChannel:
        for c in [*self.guild.channels, *self._dm_channels.values()]:
            if c.id == channel_id:
                return c
        return self.channel("general")

    async def message(
        self,
        content: str,
        *,
        user: FakeUser,
        channel: FakeChannel | None = None,
        dm: bool = False,
        reply_to: int | None = None,
    ) -> MessageHandle:
        """A user posts `content` in a guild channel (default #general) or in a DM with the bot."""
        if channel is None:
            channel = self.dm_channel(user) if dm else self.channel("general")
        payload = message_create(
            message_id=snowflake(),
            content=content,
            author=user,
            channel=channel,
            users=self.users,
            reply_to=self._messages.get(reply_to) if reply_to else None,
        )
        self._messages[int(payload["id"])] = payload
        handle = MessageHandle(self, payload, 0.0)
        self._by_message[handle.id] = handle
        handle.dispatched_at = await self.dispatch("MESSAGE_CREATE", payload)
        return handle

    # -- fault injection (for reliability tests) ---------------------------------------------

    def inject_fault(
        self,
        path: str,
        status: int,
        *,
        method: str | None = None,
        retry_after: float = 0.0,
        is_global: bool = False,
        times: int = 1,
        body: Any = None,
        delay: float = 0.0,
    ) -> Fault:
        """Answer the next `times` requests whose path matches the regex `path` with `status`.

        429 answers carry Discord's rate-limit body and headers (with `Via`, without which
        discord.py takes the 429 for a Cloudflare ban).
        """
        fault = Fault(method, re.compile(path), status, retry_after, is_global, times, body, delay)
        self.faults.append(fault)
        return fault

    async def close_gateway(self, code: int = 4000, message: str = "") -> None:
        """Close the live websocket with `code` (4000 = unknown error: discord.py resumes)."""
        conn = self._live_connection()
        if conn is not None:
            await conn.ws.close(code=code, message=message.encode())

    async def drop_gateway(self) -> None:
        """Cut the live connection's TCP stream without a close frame (the bot sees 1006, abnormal)."""
        conn = self._live_connection()
        if conn is not None and conn.transport is not None:
            conn.transport.abort()

    async def send_op(self, op: int, d: Any = None) -> None:
        """Send a raw gateway opcode (RECONNECT = 7, INVALID_SESSION = 9, ...) on the live connection."""
        conn = self._live_connection()
        if conn is not None:
            await conn.send({"op": op, "d": d, "s": None, "t": None})

    async def send_reconnect(self) -> None:
        await self.send_op(RECONNECT)

    async def send_invalid_session(self, resumable: bool = False) -> None:
        await self.send_op(INVALID_SESSION, resumable)

    # -- gateway -----------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        conn = GatewayConnection(ws, dict(request.query), transport=request.transport)
        self.connections.append(conn)
        await conn.send(
            {"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None, "t": None}
        )
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                conn.received.append(frame)
                await self._on_frame(conn, frame)
                await self._notify()
        finally:
            await self._notify()
        return ws

    async def _on_frame(self, conn: GatewayConnection, frame: dict[str, Any]) -> None:
        op, d = frame.get("op"), frame.get("d")
        if op == HEARTBEAT:
            if self.ack_heartbeats:
                await conn.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            self.identifies.append(d)
            if d.get("token") != self.token:
                await conn.ws.close(code=4004, message=b"Authentication failed.")
                return
            session = GatewaySession(secrets.token_hex(16))
            self.sessions[session.id] = session
            conn.session = session
            shard = d.get("shard") or [0, 1]
            conn.shard = (int(shard[0]), int(shard[1]))
            owns = conn.owns_guild_of(self.guild.id)
            await self._send_event(conn, "READY", self._ready_payload(session, conn.shard, owns))
            if owns:
                await self._send_event(conn, "GUILD_CREATE", self.guild.to_create(self.bot))
            conn.ready.set()
        elif op == RESUME:
            session = self.sessions.get(d.get("session_id", ""))
            if session is None or d.get("token") != self.token:
                await conn.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
                return
            conn.session = session
            for event in session.events:
                if event["s"] > (d.get("seq") or 0):
                    await conn.send(event)
            await self._send_event(conn, "RESUMED", {})
            conn.ready.set()

    async def _send_event(self, conn: GatewayConnection, event: str, data: dict[str, Any]) -> None:
        session = conn.session
        assert session is not None
        session.seq += 1
        frame = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
        session.events.append(frame)
        await conn.send(frame)

    def _ready_payload(
        self, session: GatewaySession, shard: tuple[int, int] = (0, 1), owns_guild: bool = True
    ) -> dict[str, Any]:
        return {
            "v": 10,
            "user": {**self.bot.to_user(), "verified": True, "mfa_enabled": False, "email": None},
            "guilds": [{"id": str(self.guild.id), "unavailable": True}] if owns_guild else [],
            "session_id": session.id,
            "resume_gateway_url": self.gateway_url,
            "session_type": "normal",
            "shard": list(shard),
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "guild_join_requests": [],
        }

    # -- REST --------------------------------------------------------------------------------

    def _add_routes(self) -> None:
        app = r"(?P<app>\d+)"
        tok = r"(?P<token>[^/]+)"
        self._routes = [
            ("GET", re.compile(r"/users/@me"), self._get_me),
            ("GET", re.compile(r"/oauth2/applications/@me"), self._get_application),
            ("GET", re.compile(r"/gateway(/bot)?"), self._get_gateway),
            ("PUT", re.compile(rf"/applications/{app}/commands"), self._put_commands),
            ("PUT", re.compile(rf"/applications/{app}/guilds/(?P<guild>\d+)/commands"), self._put_commands),
            ("GET", re.compile(rf"/applications/{app}/commands"), self._get_commands),
            ("GET", re.compile(rf"/applications/{app}/guilds/(?P<guild>\d+)/commands"), self._get_commands),
            ("POST", re.compile(rf"/interactions/(?P<iid>\d+)/{tok}/callback"), self._callback),
            (
                "PATCH",
                re.compile(rf"/webhooks/{app}/{tok}/messages/(?P<mid>@original|\d+)"),
                self._webhook_message,
            ),
            (
                "GET",
                re.compile(rf"/webhooks/{app}/{tok}/messages/(?P<mid>@original|\d+)"),
                self._webhook_message,
            ),
            (
                "DELETE",
                re.compile(rf"/webhooks/{app}/{tok}/messages/(?P<mid>@original|\d+)"),
                self._no_content,
            ),
            ("POST", re.compile(rf"/webhooks/{app}/{tok}"), self._followup),
            ("GET", re.compile(r"/channels/(?P<channel>\d+)"), self._get_channel),
            ("POST", re.compile(r"/channels/(?P<channel>\d+)/messages"), self._create_message),
            ("PATCH", re.compile(r"/channels/(?P<channel>\d+)/messages/(?P<mid>\d+)"), self._create_message),
            ("DELETE", re.compile(r"/channels/(?P<channel>\d+)/messages/(?P<mid>\d+)"), self._no_content),
            ("POST", re.compile(r"/channels/(?P<channel>\d+)/typing"), self._no_content),
            ("PUT", re.compile(r"/channels/\d+/messages/\d+/reactions/[^/]+/@me"), self._no_content),
            ("POST", re.compile(r"/users/@me/channels"), self._create_dm),
        ]

    async def _rest(self, request: web.Request) -> web.Response:
        path = request.path[len(API_PREFIX) :]
        raw = await request.read()
        parsed: Any = None
        files: list[RecordedFile] = []
        if request.content_type == "multipart/form-data":
            parsed, files = parse_multipart(request.headers["Content-Type"], raw)
            body = json.dumps(parsed)
        else:
            body = raw.decode("utf-8", errors="replace")
            if body and request.content_type == "application/json":
                parsed = json.loads(body)
        rec = RecordedRequest(
            method=request.method,
            path=path,
            query=dict(request.query),
            json=parsed,
            body=body,
            headers=dict(request.headers),
            at=time.monotonic(),
            files=files,
        )
        self.requests.append(rec)
        for hook in self.request_hooks:
            hook(rec)
        try:
            if self.rest_delay:
                await asyncio.sleep(self.rest_delay)
            fault = next((f for f in self.faults if f.times > 0 and f.matches(rec)), None)
            if fault is not None:
                fault.times -= 1
                return await self._fault_response(rec, fault)
            if request.headers.get("Authorization") not in (f"Bot {self.token}", None):
                return self._json(rec, 401, {"message": "401: Unauthorized", "code": 0})
            for method, pattern, handler in self._routes:
                match = pattern.fullmatch(path)
                if match and method == request.method:
                    status, payload = await handler(rec, match)
                    return self._json(rec, status, payload)
            log.warning("fake discord: no route for %s %s", request.method, path)
            return self._json(rec, 404, {"message": "404: Not Found", "code": 0})
        finally:
            self._index(rec)
            await self._notify()

    def _index(self, rec: RecordedRequest) -> None:
        """Hand the request to the interaction or message it answers."""
        if m := _TOKEN_PATH.match(rec.path):
            handle = self._by_token.get(m.group(1))
            if handle is not None:
                handle._record(rec)
        elif rec.method == "POST" and _CHANNEL_POST.match(rec.path) and isinstance(rec.json, dict):
            ref = rec.json.get("message_reference") or {}
            target = self._by_message.get(int(ref.get("message_id") or 0))
            if target is not None and str(target.channel_id) == _CHANNEL_POST.match(rec.path).group(1):
                target._record(rec)

    def _json(self, rec: RecordedRequest, status: int, payload: Any, headers: dict[str, str] | None = None):
        rec.status = status
        rec.response = payload
        if status == 204:
            return web.Response(status=204, headers=headers)
        # Exactly "application/json": discord.py compares the header verbatim (no charset).
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        return web.Response(status=status, body=json.dumps(payload).encode(), headers=all_headers)

    async def _fault_response(self, rec: RecordedRequest, fault: Fault) -> web.Response:
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.status == 429:
            body = fault.body or {
                "message": "You are being rate limited.",
                "retry_after": fault.retry_after,
                "global": fault.is_global,
                "code": 0,
            }
            headers = {
                "Via": "1.1 google",
                "Retry-After": str(fault.retry_after),
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset-After": str(fault.retry_after),
                "X-RateLimit-Bucket": "fakebucket",
                "X-RateLimit-Scope": "global" if fault.is_global else "user",
            }
            if fault.is_global:
                headers["X-RateLimit-Global"] = "true"
            return self._json(rec, 429, body, headers)
        body = fault.body if fault.body is not None else {"message": f"{fault.status}: injected", "code": 0}
        return self._json(rec, fault.status, body)

    @staticmethod
    def _invalid(problems: list[str]) -> tuple[int, Any]:
        """Discord's answer to a message over its limits: 400 Invalid Form Body."""
        return 400, {"message": "Invalid Form Body", "code": 50035, "errors": problems}

    async def _no_content(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        return 204, None

    async def _get_me(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        return 200, {**self.bot.to_user(), "verified": True, "mfa_enabled": False, "locale": "en-US"}

    async def _get_application(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        return 200, {
            "id": str(self.application_id),
            "name": "Talent War Bot",
            "icon": None,
            "description": "",
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "bot": self.bot.to_user(),
            "owner": self.owner.to_user(),
            "summary": "",
            "verify_key": "0" * 64,
            "team": None,
            "flags": 0,
            "interactions_endpoint_url": None,
        }

    async def _get_gateway(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        return 200, {
            "url": self.gateway_url,
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
        }

    async def _put_commands(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        guild = m.groupdict().get("guild")
        guild_id = int(guild) if guild else None
        stored = []
        for cmd in rec.json or []:
            stored.append(
                {
                    "id": str(snowflake()),
                    "application_id": str(self.application_id),
                    "version": str(snowflake()),
                    "type": 1,
                    "default_member_permissions": None,
                    "dm_permission": True,
                    "nsfw": False,
                    **cmd,
                    **({"guild_id": str(guild_id)} if guild_id else {}),
                }
            )
        self.commands[guild_id] = stored
        return 200, stored

    async def _get_commands(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        guild = m.groupdict().get("guild")
        return 200, self.commands.get(int(guild) if guild else None, [])

    def _find_interaction(self, token: str) -> InteractionHandle | None:
        return self._by_token.get(token)

    async def _callback(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        handle = self._find_interaction(m["token"])
        if handle is None or str(handle.id) != m["iid"]:
            return 404, {"message": "Unknown interaction", "code": 10062}
        if any(r.path.endswith("/callback") and r.status == 200 for r in handle.requests()):
            return 400, {"message": "Interaction has already been acknowledged.", "code": 40060}
        body = rec.json or {}
        kind = body.get("type")
        data = body.get("data") or {}
        flags = int(data.get("flags") or 0)
        problems = choices_problems(data.get("choices") or []) if kind == AUTOCOMPLETE_RESULT else []
        if kind == CHANNEL_MESSAGE:
            problems = message_problems(data)
        if problems:
            return self._invalid(problems)
        message_id = snowflake()
        result: dict[str, Any] = {
            "interaction": {
                "id": str(handle.id),
                "type": handle.payload["type"],
                "activity_instance_id": None,
                "response_message_id": str(message_id),
                "response_message_loading": kind == DEFERRED_CHANNEL_MESSAGE,
                "response_message_ephemeral": bool(flags & EPHEMERAL),
            }
        }
        if kind in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE):
            result["resource"] = {
                "type": kind,
                "message": sent_message(
                    data if kind == CHANNEL_MESSAGE else {"flags": flags | 128},
                    message_id=message_id,
                    channel_id=int(handle.payload["channel_id"]),
                    author=self.bot,
                    application_id=self.application_id,
                ),
            }
        elif kind is not None:
            result["resource"] = {"type": kind}
        return 200, result

    async def _webhook_message(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        handle = self._find_interaction(m["token"])
        if handle is None:
            return 404, {"message": "Unknown Webhook", "code": 10015}
        if problems := message_problems(rec.json):
            return self._invalid(problems)
        mid = m["mid"]
        return 200, sent_message(
            rec.json,
            message_id=snowflake() if mid == "@original" else int(mid),
            channel_id=int(handle.payload["channel_id"]),
            author=self.bot,
            application_id=self.application_id,
        )

    async def _followup(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        handle = self._find_interaction(m["token"])
        if handle is None:
            return 404, {"message": "Unknown Webhook", "code": 10015}
        if problems := message_problems(rec.json):
            return self._invalid(problems)
        message = sent_message(
            rec.json,
            message_id=snowflake(),
            channel_id=int(handle.payload["channel_id"]),
            author=self.bot,
            application_id=self.application_id,
        )
        return (200, message) if rec.query.get("wait") in ("true", "1", "True") else (204, None)

    async def _create_message(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        if problems := message_problems(rec.json):
            return self._invalid(problems)
        channel_id = int(m["channel"])
        guild_id = self.guild.id if any(c.id == channel_id for c in self.guild.channels) else None
        mid = m.groupdict().get("mid")
        message = sent_message(
            rec.json,
            message_id=int(mid) if mid else snowflake(),
            channel_id=channel_id,
            author=self.bot,
            guild_id=guild_id,
        )
        self._messages[int(message["id"])] = message  # users may reply to it (`message(reply_to=…)`)
        return 200, message

    async def _get_channel(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        """A channel of the fake's guild (or a DM), else Discord's 404 Unknown Channel."""
        channel_id = int(m["channel"])
        known = [*self.guild.channels, *self._dm_channels.values()]
        channel = next((c for c in known if c.id == channel_id), None)
        if channel is None:
            return 404, {"message": "Unknown Channel", "code": 10003}
        return 200, channel.to_payload()

    async def _create_dm(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        user = self.users.get(int((rec.json or {}).get("recipient_id", 0)))
        if user is None:
            return 400, {"message": "Unknown user", "code": 10013}
        return 200, self.dm_channel(user).to_payload()
