"""/flows: a picture of who moved from which organisation to which, with a one-line summary.

The PNG is drawn by bot.core.flows in a worker thread (deferring if it takes long); the message
text is the same summary in words, and the image carries it as its alt text, for screen readers.
"""

from __future__ import annotations

import io
import threading
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from .. import replies, strings
from ..checks import interaction_lang
from ..core.flows import flows, render_png, summary
from ..core.since import BadSince, parse_since
from ..logs import log_event
from ..replies import described
from ..respond import compute_in_time, send_error
from .transfers import company_autocomplete

if TYPE_CHECKING:
    from ..client import TalentWarBot

FILENAME = "talent-flows.png"
ALT_TEXT_MAX = 1024  # Discord's limit on an attachment's description


def t(key: str, lang: str, **kw: object) -> str:
    return strings.t("flows." + key, lang, **kw)


class Flows(commands.Cog):
    """/flows."""

    @app_commands.command(name="flows", description=described("cmd.flows"))
    @app_commands.describe(
        company=described("cmd.company"),
        since=described("cmd.flows.since"),
    )
    @app_commands.autocomplete(company=company_autocomplete)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def flows_command(
        self,
        interaction: discord.Interaction[TalentWarBot],
        company: app_commands.Range[str, 1, 100] | None = None,
        since: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:
        bot = interaction.client
        lang = interaction_lang(interaction)
        store = bot.service.store
        start = None
        if since:
            try:
                start = parse_since(since)
            except BadSince:
                await send_error(
                    interaction, t("bad_since", lang, text=replies.escape(replies.one_line(since))[:40])
                )
                return
        scope_parts = []
        if company:
            ent, close = store.resolve_entity(company)
            if ent is None:
                close_names = [e.name for e in close]
                await send_error(interaction, replies.unknown_company(company, close_names, lang))
                return
            scope_parts.append(ent.name)
        if start:
            scope_parts.append(t("since", lang, date=start.strftime("%Y-%m-%d")))
        scope = " · ".join(scope_parts)

        def draw() -> tuple[str, bytes]:
            found = flows(store.list_transfers(company), store.entities, start)
            return summary(found, lang, scope), render_png(found, lang, scope)

        text, png = await compute_in_time(interaction, draw)
        line = replies.content(replies.escape(text))
        picture = discord.File(
            io.BytesIO(png), filename=FILENAME, description=replies.cut(text, ALT_TEXT_MAX)
        )
        if not interaction.response.is_done():
            await interaction.response.send_message(line, file=picture, allowed_mentions=replies.NO_MENTIONS)
        else:
            await interaction.edit_original_response(
                content=line, attachments=[picture], allowed_mentions=replies.NO_MENTIONS
            )
        log_event("command", command="flows", filtered=bool(company or since), bytes=len(png), lang=lang)


def _warm_up() -> None:
    """Import matplotlib ahead of the first /flows (it takes about a second, once)."""
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401


async def setup(bot: TalentWarBot) -> None:
    await bot.add_cog(Flows())
    threading.Thread(target=_warm_up, name="matplotlib-warm-up", daemon=True).start()
