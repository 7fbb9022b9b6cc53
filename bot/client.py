"""The Discord client: connection, command tree, extensions, error handling, and `main`.

Each feature lives in `bot.exts.<name>` and registers itself in `setup(bot)`; this module only
wires them together. `main(settings)` is what `python -m bot run` calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import signal
import sys
import time
from collections.abc import Awaitable, Callable

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from . import replies
from .checks import BotCheckFailure, Cooldown, interaction_lang
from .config import Settings
from .core.answer import answer
from .core.build import BuildFailed
from .core.service import StoreService
from .logs import log_event, setup_logging
from .respond import AnswerPool, send_error

log = logging.getLogger(__name__)

EXTENSIONS = (
    "feedback",
    "ask",
    "transfers",
    "who",
    "sources",
    "reload",
    "article",
    "help",
    "freetext",
    "gaps",
    "flows",
)
WARM_UP = ("Who is Ruoming Pang?", "How much does Sundar Pichai earn?", "Combien gagne Xavier Niel ?")

MessageHandler = Callable[[discord.Message], Awaitable[None]]


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


FRENCH = {
    "Ask a question about the AI talent war (English or French).": (
        "Posez une question sur la guerre des talents de l'IA (français ou anglais)."
    ),
    "Your question, e.g. Who is Ruoming Pang?": "Votre question, par ex. Qui est Ruoming Pang ?",
    "Latest moves of AI people between companies, with package and source.": (
        "Derniers mouvements de spécialistes de l'IA entre entreprises, avec rémunération et source."
    ),
    "Only moves from or to this company.": "Seulement les départs de cette entreprise ou arrivées chez elle.",
    "How many moves to show (1-25, default 10).": "Nombre de mouvements à afficher (1 à 25, 10 par défaut).",
    "Profile of a person or organisation in the AI talent war.": (
        "Fiche d'une personne ou d'une organisation de la guerre des talents de l'IA."
    ),
    "Name of the person or organisation.": "Nom de la personne ou de l'organisation.",
    "The news articles the bot's answers come from.": "Les articles de presse d'où viennent les réponses du bot.",
    "Moderators: rebuild the knowledge store from disk.": (
        "Modérateurs : reconstruire la base de connaissances depuis le disque."
    ),
    "What the bot knows and how to ask it.": "Ce que sait le bot et comment l'interroger.",
}


class Translator(app_commands.Translator):
    """French descriptions for French Discord clients (names stay the same in every language)."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContext,
    ) -> str | None:
        if locale is discord.Locale.french:
            return FRENCH.get(string.message)
        return None


class Tree(app_commands.CommandTree):
    """The command tree, with one place that turns failures into one-line ephemeral replies."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
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


class TalentWarBot(discord.Client):
    """A thin Discord face over the answering core: commands and free-text questions."""

    def __init__(self, settings: Settings, service: StoreService) -> None:
        super().__init__(intents=intents_for(settings), allowed_mentions=replies.NO_MENTIONS)
        self.settings = settings
        self.service = service
        self.tree = Tree(self)
        self.question_cooldown = Cooldown(settings.question_cooldown)
        self.message_handlers: list[MessageHandler] = []
        self.started = time.monotonic()
        self.answers = AnswerPool()  # the bounded pool every answer runs on
        self.owner_ids: frozenset[int] = frozenset()  # the application's owner (or its team)
        self.last_reload_end = -1e9

    def add_message_handler(self, handler: MessageHandler) -> None:
        self.message_handlers.append(handler)

    async def setup_hook(self) -> None:
        for name in EXTENSIONS:
            importlib.import_module(f"bot.exts.{name}").setup(self)
        await self.tree.set_translator(Translator())
        await self.load_owners()
        await self.sync_commands()

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
        self.owner_ids = frozenset(ids)

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
            store=self.service.store.version,
            startup_s=round(time.monotonic() - self.started, 2),
        )

    async def close(self) -> None:
        await super().close()
        self.answers.shutdown()

    async def on_message(self, message: discord.Message) -> None:
        for handler in self.message_handlers:
            try:
                await handler(message)
            except Exception:
                log.exception("message handler %s failed", getattr(handler, "__qualname__", handler))


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
    if not settings.discord_token:
        print(
            "error: DISCORD_TOKEN is not set. Create a bot at https://discord.com/developers/applications "
            '(Bot → Reset Token) and export DISCORD_TOKEN=...; `python -m bot ask "..."` works without one.',
            file=sys.stderr,
        )
        return 2
    setup_logging(settings.log_level, secrets=[settings.discord_token])
    use_endpoints(settings.api_base, settings.gateway_url)
    service = StoreService(settings)
    try:
        store = service.ensure_built()
    except BuildFailed as exc:
        print(f"error: the store could not be built ({len(exc.errors)} error(s)):", file=sys.stderr)
        for err in exc.errors[:20]:
            print(f"  {err}", file=sys.stderr)
        return 1
    started = time.monotonic()
    for question in WARM_UP:  # the first answers pay one-off set-up costs: let no user pay them
        answer(store, question)
    log_event(
        "store_loaded",
        version=store.version,
        documents=len(store.documents),
        facts=len(store.fact_ids),
        warmup_ms=round((time.monotonic() - started) * 1000),
    )
    discord.VoiceClient.warn_nacl = False  # a text bot: no voice, so no "PyNaCl is not installed" warning
    client = TalentWarBot(settings, service)
    try:
        asyncio.run(_run(client, settings.discord_token))
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
