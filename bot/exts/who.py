"""/who: a person's or organisation's profile, with fast fuzzy autocomplete on names and aliases."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from .. import replies, strings
from ..checks import interaction_lang
from ..core.answer import profile
from ..core.moves import who_timeline
from ..logs import log_question
from ..pages import pager
from ..replies import described
from ..respond import compute_in_time, send

if TYPE_CHECKING:
    from ..client import TalentWarBot

log = logging.getLogger(__name__)


async def name_autocomplete(
    interaction: discord.Interaction[TalentWarBot], current: str
) -> list[app_commands.Choice[str]]:
    """At most 25 choices, exact and prefix matches first; never raises (Discord shows nothing)."""
    bot = interaction.client
    lang = interaction_lang(interaction)
    try:
        found = bot.service.store.search_names(current[:100], 25)
    except Exception:
        log.exception("name autocomplete failed")
        return []
    choices = []
    for e in found[:25]:
        kind = replies.t(f"kind.{e.kind}", lang) if f"kind.{e.kind}" in strings.EN else e.kind
        label = f"{e.name} · {kind}"
        choices.append(app_commands.Choice(name=label[:100], value=e.name[:100]))
    return choices


class Who(commands.Cog):
    """/who."""

    @app_commands.command(name="who", description=described("cmd.who"))
    @app_commands.describe(name=described("cmd.who.name"))
    @app_commands.autocomplete(name=name_autocomplete)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def who(
        self, interaction: discord.Interaction[TalentWarBot], name: app_commands.Range[str, 1, 100]
    ) -> None:
        started = time.monotonic()
        bot = interaction.client
        lang = interaction_lang(interaction)
        store = bot.service.store
        result = await compute_in_time(interaction, lambda: who_timeline(store, name, lang, base=profile))
        deferred = interaction.response.is_done()
        entity = store.entities.get(result.facts[0]) if result.answered and result.facts else None
        title = entity.name if entity else replies.one_line(name)
        docs = store.documents
        pages = [
            replies.answer_embeds(result, title=title, documents=docs, page=n)
            for n in range(replies.citation_pages(result))
        ]
        await send(interaction, embeds=pages[0], view=pager(pages, lang, interaction))
        log_question("slash", result, started, deferred=deferred, command="who")


async def setup(bot: TalentWarBot) -> None:
    await bot.add_cog(Who())
