"""Who may do what, and how often: cooldowns, the moderator check, the reply language.

These checks run in the bot itself: Discord's default permissions only hide commands, and server
admins can change them, so the bot never relies on them alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from typing import TypeVar

import discord
from discord import app_commands

from . import replies

T = TypeVar("T")


def locale_lang(locale: discord.Locale | str | None) -> str:
    """French for a French Discord client, English for every other locale."""
    value = locale.value if isinstance(locale, discord.Locale) else (locale or "")
    return "fr" if value.lower().startswith("fr") else "en"


def interaction_lang(interaction: discord.Interaction) -> str:
    return locale_lang(interaction.locale)


class BotCheckFailure(app_commands.CheckFailure):
    """A refusal with a one-line, translated message for the user."""

    key = "failed"

    def __init__(self, **fields: float | str) -> None:
        super().__init__(self.key)
        self.fields = fields

    def text(self, lang: str) -> str:
        return replies.t(self.key, lang, **self.fields)


class OnCooldown(BotCheckFailure):
    key = "cooldown"


class NotModerator(BotCheckFailure):
    key = "not_moderator"


class GuildOnly(BotCheckFailure):
    key = "guild_only"


class Cooldown:
    """Per-user rate limit on questions (slash and free text share it)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._last: dict[int, float] = {}

    def retry_after(self, user_id: int, now: float | None = None) -> float:
        """0 and the use is recorded when allowed; else the seconds left to wait."""
        if self.seconds <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        last = self._last.get(user_id)
        if last is not None and now - last < self.seconds:
            return self.seconds - (now - last)
        self._last[user_id] = now
        if len(self._last) > 10_000:  # forget users whose cooldown is long over
            self._last = {u: t for u, t in self._last.items() if now - t < self.seconds}
        return 0.0


def is_moderator(interaction: discord.Interaction, role_ids: Collection[int]) -> bool:
    """Manage Server (or Administrator) in this guild, or one of the configured moderator roles."""
    if interaction.guild_id is None:
        return False
    perms = interaction.permissions
    if perms.administrator or perms.manage_guild:
        return True
    member = interaction.user
    roles = getattr(member, "_roles", None)  # role ids straight from the interaction payload
    if roles is None:
        roles = [r.id for r in getattr(member, "roles", [])]
    return any(int(r) in role_ids for r in roles)


def moderators_only() -> Callable[[T], T]:
    """App-command check: refused in DMs, refused to members who are not moderators."""

    async def predicate(interaction: discord.Interaction) -> bool:
        if interaction.guild_id is None:
            raise GuildOnly()
        if not is_moderator(interaction, interaction.client.settings.moderator_role_ids):  # type: ignore[attr-defined]
            raise NotModerator()
        return True

    return app_commands.check(predicate)


def question_cooldown() -> Callable[[T], T]:
    """App-command check: the per-user question cooldown."""

    async def predicate(interaction: discord.Interaction) -> bool:
        wait = interaction.client.question_cooldown.retry_after(interaction.user.id)  # type: ignore[attr-defined]
        if wait > 0:
            raise OnCooldown(seconds=max(1.0, wait))
        return True

    return app_commands.check(predicate)
