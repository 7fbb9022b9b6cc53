"""The bot in the test's own event loop against a FakeDiscord, with its logs recorded.

For tests that reach into the running bot (its StoreService, its log lines, discord.py's timing)
while driving it only through Discord, as users would::

    async with InProcessBot(settings) as bot:             # settings: paths of the store and inputs
        reply = await bot.ask("Who is Ruoming Pang?")     # /ask by bot.user
        assert bot.logs.errors() == []

``settings`` gives the store and input paths; the token, endpoints, moderator role and question
channel come from the fake. The bot is made by ``bot.create_bot``, as ``python -m bot run`` makes
it; it points discord.py at the fake through class attributes (``bot.client.use_endpoints``), and
``stop()`` puts them back.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.client import TalentWarBot, create_bot
from bot.config import Settings
from bot.core.service import StoreService

from .payloads import FakeUser
from .server import FakeDiscord, Reply


class LogRecorder(logging.Handler):
    """Every record of the given loggers (at `level` and above), formatted, with tracebacks."""

    def __init__(self, names: tuple[str, ...] = ("bot", "discord"), level: int = logging.INFO) -> None:
        super().__init__(logging.DEBUG)
        self.names = names
        self.level_wanted = level
        self.records: list[logging.LogRecord] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self._saved: list[tuple[logging.Logger, int]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def attach(self) -> LogRecorder:
        for name in self.names:
            logger = logging.getLogger(name)
            self._saved.append((logger, logger.level))
            logger.setLevel(self.level_wanted)
            logger.addHandler(self)
        return self

    def detach(self) -> None:
        for logger, level in self._saved:
            logger.removeHandler(self)
            logger.setLevel(level)
        self._saved.clear()

    def mark(self) -> int:
        """A position in the record list, to look only at what came after it."""
        return len(self.records)

    def lines(self, since: int = 0, level: int = logging.DEBUG) -> list[str]:
        return [self.format(r) for r in self.records[since:] if r.levelno >= level]

    def errors(self, since: int = 0) -> list[str]:
        return self.lines(since, logging.ERROR)

    def text(self, since: int = 0) -> str:
        return "\n".join(self.lines(since))


class InProcessBot:
    """A FakeDiscord and a TalentWarBot in the running event loop, plus a member and two moderators."""

    def __init__(
        self,
        settings: Settings,
        *,
        service: StoreService | None = None,
        token: str = "fake-bot-token",
        log_level: int = logging.INFO,
    ) -> None:
        self.base_settings = settings
        self.token = token
        self.fake = FakeDiscord(token=token)
        self.service = service
        self.logs = LogRecorder(level=log_level)
        self.client: TalentWarBot | None = None
        self._task: asyncio.Task[None] | None = None
        self._saved: tuple[Any, Any] = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
        self.user: FakeUser
        self.mod: FakeUser
        self.mod2: FakeUser

    async def start(self, timeout: float = 10.0) -> InProcessBot:
        self.logs.attach()
        await self.fake.start()
        fake = self.fake
        self.settings = self.base_settings.replace(
            discord_token=self.token,
            api_base=fake.api_base,
            gateway_url=fake.gateway_url,
            moderator_role_ids=frozenset({fake.guild.role("Moderator").id}),
            moderation_guild_ids=frozenset({fake.guild.id}),
            reload_cooldown=0.0,  # tests reload back to back; the cooldown has its own test
            question_channel_ids=frozenset({fake.channel("ask-the-bot").id}),
        )
        self._saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
        if self.service is None:
            self.service = StoreService(self.settings)
        self.service.settings = self.settings
        self.client = create_bot(self.settings, service=self.service)  # as `python -m bot run` does
        self._task = asyncio.create_task(self.client.start(self.token))
        await fake.wait_until_ready(timeout)
        self.user = fake.add_user("alice")
        self.mod = fake.add_moderator("mia")
        self.mod2 = fake.add_moderator("max")
        return self

    @property
    def running(self) -> bool:
        """The client task is alive and the client was not closed (nothing crashed it)."""
        return (
            self._task is not None
            and not self._task.done()
            and self.client is not None
            and not self.client.is_closed()
        )

    async def stop(self) -> None:
        try:
            if self.client is not None:
                await self.client.close()
            if self._task is not None:
                await asyncio.wait_for(self._task, 5)
        finally:
            await self.fake.stop()
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = self._saved
            self.logs.detach()

    async def __aenter__(self) -> InProcessBot:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def ask(self, question: str, *, user: FakeUser | None = None, timeout: float = 5.0) -> Reply:
        """/ask `question` and wait for the visible reply."""
        handle = await self.fake.slash("ask", {"question": question}, user=user or self.user)
        return await handle.reply(timeout)

    async def mention(self, text: str, *, user: FakeUser | None = None, timeout: float = 5.0) -> Reply:
        """`@bot text` in #general and wait for the bot's reply."""
        handle = await self.fake.message(f"{self.fake.bot.mention} {text}", user=user or self.user)
        return await handle.reply(timeout)
