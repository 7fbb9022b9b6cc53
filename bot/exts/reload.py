"""/reload: moderators rebuild the store from disk without a restart; the old store answers meanwhile."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from .. import replies
from ..checks import interaction_lang, moderators_only
from ..core.service import ReloadInProgress
from ..logs import log_event
from ..replies import described
from ..respond import send, send_error

if TYPE_CHECKING:
    from ..client import TalentWarBot

log = logging.getLogger(__name__)


class Reload(commands.Cog):
    """/reload."""

    @app_commands.command(name="reload", description=described("cmd.reload"))
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @moderators_only()
    async def reload(self, interaction: discord.Interaction[TalentWarBot]) -> None:
        """Checked in the bot, not only by Discord's defaults: in a MODERATION_GUILD_IDS guild, by
        a moderator there (Manage Server or a MODERATOR_ROLE_IDS role) or the application's owner."""
        bot = interaction.client
        lang = interaction_lang(interaction)
        # One store for every guild: after a reload, the next waits RELOAD_COOLDOWN_SECONDS (from
        # the end of the last one, so two at once still get "a reload is under way").
        wait = bot.settings.reload_cooldown - (time.monotonic() - bot.last_reload_end)
        if wait > 0 and not bot.service.is_reloading:
            await send_error(interaction, replies.t("reload_cooldown", lang, seconds=max(1.0, wait)))
            log_event("refused", command="reload", reason="ReloadCooldown")
            return
        previous = bot.service.store.version
        # A build takes longer than Discord's 3 seconds: acknowledge first, privately.
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            report = await bot.service.reload()
        except ReloadInProgress:
            await send_error(interaction, replies.t("reload_running", lang))
            log_event("reload", by=interaction.user.id, result="already_running")
            return
        finally:
            if not bot.service.is_reloading:
                bot.last_reload_end = time.monotonic()
        await send(interaction, embeds=replies.reload_embeds(report, lang, previous_version=previous))
        log_event(
            "reload",
            by=interaction.user.id,
            ok=report.ok,
            added=len(report.added),
            removed=len(report.removed),
            changed=len(report.changed),
            errors=len(report.errors),
            seconds=round(report.seconds, 3),
            version=bot.service.store.version,
        )


async def setup(bot: TalentWarBot) -> None:
    await bot.add_cog(Reload())
