"""/transfers: the latest moves, optionally for one company, each with its source."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from .. import replies
from ..checks import interaction_lang
from ..core.knowledge import parse_date
from ..logs import log_event
from ..pages import pager
from ..replies import described
from ..respond import send, send_error

if TYPE_CHECKING:
    from ..client import TalentWarBot

log = logging.getLogger(__name__)


async def company_autocomplete(
    interaction: discord.Interaction[TalentWarBot], current: str
) -> list[app_commands.Choice[str]]:
    """Organisations only, fuzzy on names and aliases."""
    bot = interaction.client
    try:
        found = [e for e in bot.service.store.search_names(current, 25) if not e.is_person]
    except Exception:
        log.exception("company autocomplete failed")
        return []
    return [app_commands.Choice(name=e.name[:100], value=e.name[:100]) for e in found[:25]]


class Transfers(commands.Cog):
    """/transfers."""

    @app_commands.command(
        name="transfers",
        description=described("cmd.transfers"),
    )
    @app_commands.describe(
        company=described("cmd.company"),
        limit=described("cmd.transfers.limit"),
        since=described("cmd.transfers.since"),
    )
    @app_commands.autocomplete(company=company_autocomplete)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def transfers(
        self,
        interaction: discord.Interaction[TalentWarBot],
        company: app_commands.Range[str, 1, 100] | None = None,
        limit: app_commands.Range[int, 1, 25] = 10,
        since: app_commands.Range[str, 4, 10] | None = None,
    ) -> None:
        bot = interaction.client
        lang = interaction_lang(interaction)
        store = bot.service.store
        limit = max(1, min(25, limit))  # Discord enforces the range; a raw payload might not
        if since:
            try:
                parse_date(since.strip())
            except ValueError as exc:
                await send_error(interaction, replies.t("bad_input", lang, detail=replies.escape(str(exc))))
                return
        moves = store.list_transfers(company, None)
        if since:
            moves = [t for t in moves if (t.date or t.reported or "") >= since.strip()]
        title = company
        if company:
            ent, close = store.resolve_entity(company)
            if ent is None:
                close_names = [e.name for e in close]
                await send_error(interaction, replies.unknown_company(company, close_names, lang))
                return
            title = ent.name
        names = {eid: e.name for eid, e in store.entities.items()}
        pages = replies.transfers_pages(moves, names, lang, limit, company=title, documents=store.documents)
        await send(interaction, embeds=pages[0], view=pager(pages, lang, interaction))
        shown = min(limit, len(moves))
        log_event("command", command="transfers", filtered=bool(company), shown=shown, lang=lang)


async def setup(bot: TalentWarBot) -> None:
    await bot.add_cog(Transfers())
