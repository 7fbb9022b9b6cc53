"""/help: what the bot knows and how to ask it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from .. import replies, strings
from ..checks import interaction_lang
from ..logs import log_event
from ..replies import described
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


def command_lines(tree: app_commands.CommandTree[Any], lang: str) -> list[tuple[str, str]]:
    """Every slash command in the tree as ("/name option [optional]", description in `lang`),
    moderators' commands last: a new command shows up here with no list to edit."""
    lines = []
    for cmd in tree.walk_commands():
        if not isinstance(cmd, app_commands.Command):
            continue  # a group: its subcommands are listed
        usage = "/" + cmd.qualified_name
        usage += "".join(f" {p.name}" if p.required else f" [{p.name}]" for p in cmd.parameters)
        key = "cmd." + cmd.qualified_name.replace(" ", ".")
        text = replies.t(key, lang) if key in strings.EN else cmd.description
        moderators = cmd.default_permissions is not None or (
            cmd.parent is not None and cmd.parent.default_permissions is not None
        )
        lines.append((moderators, usage, text))
    return [(usage, text) for _, usage, text in sorted(lines, key=lambda x: x[0])]


class Help(commands.Cog):
    """/help."""

    @app_commands.command(name="help", description=described("cmd.help"))
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def help_command(self, interaction: discord.Interaction[TalentWarBot]) -> None:
        bot = interaction.client
        lang = interaction_lang(interaction)
        listing = command_lines(bot.tree, lang)
        embeds = replies.help_embeds(lang, store_stats(bot), bot.settings.question_channel_ids, listing)
        await send(interaction, embeds=embeds, ephemeral=True)
        log_event("command", command="help", lang=lang)


async def setup(bot: TalentWarBot) -> None:
    await bot.add_cog(Help())
