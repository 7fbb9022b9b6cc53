"""/help: what the bot knows and how to ask it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _

from .. import replies
from ..checks import interaction_lang
from ..logs import log_event
from ..respond import send

if TYPE_CHECKING:
    from ..client import TalentWarBot


def store_stats(bot: TalentWarBot) -> dict[str, int]:
    store = bot.service.store
    people = sum(1 for e in store.entities.values() if e.is_person)
    return {
        "documents": len(store.documents),
        "facts": len(store.fact_ids),
        "people": people,
        "orgs": len(store.entities) - people,
        "transfers": len(store.transfers),
    }


@app_commands.command(name="help", description=_("What the bot knows and how to ask it."))
@app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
async def help_command(interaction: discord.Interaction) -> None:
    bot: TalentWarBot = interaction.client  # type: ignore[assignment]
    lang = interaction_lang(interaction)
    embeds = replies.help_embeds(lang, store_stats(bot), bot.settings.question_channel_ids)
    await send(interaction, embeds=embeds, ephemeral=True)
    log_event("command", command="help", lang=lang)


def setup(bot: TalentWarBot) -> None:
    bot.tree.add_command(help_command)
