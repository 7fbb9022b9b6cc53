"""/sources: the documents the store is built from."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from .. import replies
from ..checks import interaction_lang
from ..logs import log_event
from ..replies import described
from ..respond import send

if TYPE_CHECKING:
    from ..client import TalentWarBot


class Sources(commands.Cog):
    """/sources."""

    @app_commands.command(name="sources", description=described("cmd.sources"))
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def sources(self, interaction: discord.Interaction[TalentWarBot]) -> None:
        lang = interaction_lang(interaction)
        documents = interaction.client.service.store.documents
        await send(interaction, embeds=replies.sources_embeds(documents, lang))
        log_event("command", command="sources", documents=len(documents), lang=lang)


async def setup(bot: TalentWarBot) -> None:
    await bot.add_cog(Sources())
