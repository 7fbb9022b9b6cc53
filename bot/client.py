"""The Discord bot: `create_bot`, the command tree, error handling, and `main`.

Each feature is a Cog in `bot.exts.<name>`, added by that module's `setup(bot)`; this module only
wires them together. `main(settings)` is what `python -m bot run` calls; it goes through
`create_bot`, as any in-process harness can.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pkgutil
import signal
import sys
import time
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from . import exts, replies, strings
from .checks import BotCheckFailure, Cooldown, interaction_lang
from .config import Settings
from .core.answer import answer
from .core.build import BuildFailed
from .core.gaps import GapStore
from .core.service import StoreService
from .core.store import Store
from .logs import log_event, setup_logging
from .respond import AnswerPool, send_error

log = logging.getLogger(__name__)

WARM_UP = ("Who is Ruoming Pang?", "How much does Sundar Pichai earn?", "Combien gagne Xavier Niel ?")


def use_endpoints(api_base: str, gateway_url: str) -> None:
    """Point discord.py at `api_base` (REST) and `gateway_url` (websocket), e.g. a proxy or a fake.

    discord.py builds every REST URL from `Route.BASE` (webhooks and interaction callbacks
    included) and connects a plain Client to `DiscordWebSocket.DEFAULT_GATEWAY`; both are class
    attributes, so setting them redirects all traffic without touching the library's code.
    """
    Route.BASE = api_base.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def intents_for(settings: Settings) -> discord.Intents:
    """Only what the bot needs: guilds, messages; message content only for question channels.

    Mentions and DMs carry their content without the privileged Message Content intent; plain
    messages in a question channel do not, so it is requested only when such channels are set.
    """
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = bool(settings.question_channel_ids)
    return intents


class Translator(app_commands.Translator):
    """French descriptions for French Discord clients, from the catalogue (bot/strings.py) by the
    key each description carries (`replies.described`); names stay the same in every language."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContext,
    ) -> str | None:
        if locale is discord.Locale.french:
            key = string.extras.get("key")
            return strings.FR.get(key) if key else None
        return None


class Tree(app_commands.CommandTree["TalentWarBot"]):
    """The command tree, with one place that turns failures into one-line ephemeral replies."""

    async def on_error(
        self, interaction: discord.Interaction[TalentWarBot], error: app_commands.AppCommandError
    ) -> None:
        lang = interaction_lang(interaction)
        name = interaction.command.name if interaction.command else "?"
        if interaction.type is discord.InteractionType.autocomplete:
            log.warning("autocomplete for /%s failed: %r", name, error)
            return
        if isinstance(error, BotCheckFailure):
            text = error.text(lang)
            log_event("refused", command=name, reason=type(error).__name__)
        elif isinstance(error, app_commands.NoPrivateMessage):
            text = replies.t("guild_only", lang)
        elif isinstance(error, (app_commands.MissingPermissions, app_commands.MissingAnyRole)):
            text = replies.t("not_moderator", lang)
        elif isinstance(error, app_commands.TransformerError):
            text = replies.t("bad_input", lang, detail=replies.escape(str(error.value))[:200])
        elif isinstance(error, (app_commands.CommandNotFound, app_commands.CommandSignatureMismatch)):
            text = replies.t("out_of_date", lang)
        else:
            original = getattr(error, "original", error)
            log.error(
                "/%s failed: interaction=%s user=%s guild=%s channel=%s",
                name,
                interaction.id,
                interaction.user.id if interaction.user else None,
                interaction.guild_id,
                interaction.channel_id,
                exc_info=(type(original), original, original.__traceback__),
            )
            text = replies.t("failed", lang)
        await send_error(interaction, text)


class TalentWarBot(commands.Bot):
    """A thin Discord face over the answering core: commands and free-text questions.

    Features are Cogs in `bot.exts`, found by `extension_names()` and loaded in `setup_hook`;
    there are no prefix commands (every command is a slash command), so messages reach only the
    Cogs' listeners. Build one with `create_bot`.
    """

    def __init__(self, settings: Settings, service: StoreService, **options: Any) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,  # never used: no prefix commands are registered
            help_command=None,
            tree_cls=Tree,
            intents=intents_for(settings),
            allowed_mentions=replies.NO_MENTIONS,
            **options,
        )
        self.settings = settings
        self.service = service
        self.question_cooldown = Cooldown(settings.question_cooldown)
        self.started = time.monotonic()
        self.answers = AnswerPool()  # the bounded pool every answer runs on
        self.owner_ids: set[int] = set()  # the application's owner (or its team)
        self.last_reload_end = -1e9
        self._gaps: GapStore | None = None

    @property
    def gaps(self) -> GapStore:
        """The gaps database (declined questions, votes), opened on first use at GAPS_PATH."""
        if self._gaps is None:
            self._gaps = GapStore(self.settings.gaps_path)
        return self._gaps

    async def setup_hook(self) -> None:
        for name in extension_names():
            await self.load_extension(name)
            # discord.py runs each extension as a fresh module object; make `bot.exts.<name>`
            # name that one, as an import would, so what patches or reads it sees the live code.
            setattr(exts, name.rpartition(".")[2], sys.modules[name])
        await self.tree.set_translator(Translator())
        await self.load_owners()
        await self.sync_commands()

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: free text is the `FreeText` Cog's listener, not a command."""

    async def load_owners(self) -> None:
        """Who owns the application (its owner, or every member of its team): they may change
        the store from a moderation guild even without a moderator role there."""
        try:
            app = await self.application_info()
        except discord.HTTPException as exc:
            log.warning("could not read the application's owner (%s); only moderators may reload", exc.status)
            return
        ids = {app.owner.id} if app.owner else set()
        if app.team is not None:
            ids |= {m.id for m in app.team.members}
        self.owner_ids = ids

    async def sync_commands(self) -> None:
        """Instant sync to DISCORD_GUILD_ID during development; global sync otherwise."""
        try:
            if self.settings.guild_id:
                guild = discord.Object(id=self.settings.guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                log_event("commands_synced", scope="guild", guild=self.settings.guild_id, count=len(synced))
            else:
                synced = await self.tree.sync()
                log_event("commands_synced", scope="global", count=len(synced))
        except discord.HTTPException as exc:
            # The commands synced last time still work; free-text questions work regardless.
            log.error(
                "command sync failed (%s %s); keeping the commands Discord already has", exc.status, exc.text
            )

    async def on_ready(self) -> None:
        log_event(
            "ready",
            user=str(self.user),
            guilds=len(self.guilds),
            shards=self.shard_count or 1,
            store=self.service.store.version,
            startup_s=round(time.monotonic() - self.started, 2),
        )

    async def close(self) -> None:
        await super().close()
        self.answers.shutdown()


class ShardedTalentWarBot(TalentWarBot, commands.AutoShardedBot):
    """The same bot over several gateway connections (SHARD_COUNT, SHARD_IDS)."""


def extension_names() -> list[str]:
    """Every module in `bot.exts`, sorted: a new feature is a new file there, no list to edit."""
    return sorted(f"{exts.__name__}.{m.name}" for m in pkgutil.iter_modules(exts.__path__) if not m.ispkg)


def warm_up(store: Store) -> None:
    """The first answers pay one-off set-up costs: let no user pay them."""
    started = time.monotonic()
    for question in WARM_UP:
        answer(store, question)
    log_event(
        "store_loaded",
        version=store.version,
        documents=len(store.documents),
        facts=len(store.fact_ids),
        warmup_ms=round((time.monotonic() - started) * 1000),
    )


def create_bot(settings: Settings | None = None, *, service: StoreService | None = None) -> TalentWarBot:
    """The ready bot: settings (from the environment and `.env` when none are given), discord.py
    pointed at their endpoints, the store built or opened and warmed up, extensions loaded when it
    starts (`setup_hook`). `python -m bot run` and the in-process test harness both start here.

    Raises BuildFailed when the store cannot be built.
    """
    settings = settings if settings is not None else Settings.from_env()
    use_endpoints(settings.api_base, settings.gateway_url)
    discord.VoiceClient.warn_nacl = False  # a text bot: no voice, so no "PyNaCl is not installed" warning
    service = service if service is not None else StoreService(settings)
    warm_up(service.ensure_built())
    if settings.shard_count is None and not settings.shard_ids:
        return TalentWarBot(settings, service)
    count = settings.shard_count or None  # 0: "auto", Discord's recommended count
    ids = sorted(settings.shard_ids) if settings.shard_ids else None
    return ShardedTalentWarBot(settings, service, shard_count=count, shard_ids=ids)


async def _run(client: TalentWarBot, token: str) -> None:
    loop = asyncio.get_running_loop()

    def stop() -> None:
        client.service.stop_build()  # a build under way must not keep the bot from exiting
        asyncio.ensure_future(client.close())

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not available on Windows
            loop.add_signal_handler(sig, stop)
    async with client:
        await client.start(token)


def main(settings: Settings) -> int:
    """Run the bot until stopped (SIGINT/SIGTERM); returns the process exit code."""
    token = settings.discord_token.get_secret_value()
    if not token:
        print(
            "error: DISCORD_TOKEN is not set. Create a bot at https://discord.com/developers/applications "
            '(Bot → Reset Token) and export DISCORD_TOKEN=...; `python -m bot ask "..."` works without one.',
            file=sys.stderr,
        )
        return 2
    setup_logging(settings.log_level, secrets=[token])
    try:
        client = create_bot(settings)
    except BuildFailed as exc:
        print(f"error: the store could not be built ({len(exc.errors)} error(s)):", file=sys.stderr)
        for err in exc.errors[:20]:
            print(f"  {err}", file=sys.stderr)
        return 1
    try:
        asyncio.run(_run(client, token))
    except (aiohttp.ClientError, OSError, asyncio.TimeoutError, discord.GatewayNotFound) as exc:
        reason = " ".join(str(exc).split()) or exc.__class__.__name__
        print(
            f"error: cannot reach Discord at {settings.api_base} ({reason[:200]}); check the network.",
            file=sys.stderr,
        )
        return 1
    except discord.HTTPException as exc:
        print(f"error: Discord answered {exc.status} at start-up; try again in a moment.", file=sys.stderr)
        return 1
    except discord.LoginFailure:
        print(
            "error: Discord refused DISCORD_TOKEN; reset the token in the Developer Portal (Bot tab).",
            file=sys.stderr,
        )
        return 1
    except discord.PrivilegedIntentsRequired:
        print(
            "error: QUESTION_CHANNEL_IDS needs the Message Content intent: enable it in the Developer Portal "
            "(Bot → Privileged Gateway Intents) or unset QUESTION_CHANNEL_IDS.",
            file=sys.stderr,
        )
        return 1
    log_event("stopped")
    return 0
