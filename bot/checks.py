"""Who may do what, and how often: cooldowns, the moderator check, the reply language.

These checks run in the bot itself: Discord's default permissions only hide commands, and server
admins can change them, so the bot never relies on them alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

from . import replies

if TYPE_CHECKING:
    from .client import TalentWarBot

T = TypeVar("T")


def locale_lang(locale: discord.Locale | str | None) -> str:
    """French for a French Discord client, English for every other locale."""
    value = locale.value if isinstance(locale, discord.Locale) else (locale or "")
    return "fr" if value.lower().startswith("fr") else "en"


def interaction_lang(interaction: discord.Interaction[Any]) -> str:
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


class NotModerationGuild(BotCheckFailure):
    key = "not_moderation_guild"


class ReloadCooldown(BotCheckFailure):
    key = "reload_cooldown"


# Tuning: the most users remembered at once by a cooldown map. Past it the oldest entries go
# first (oldest-first order is insertion order, so pruning never scans the whole map); a user
# forgotten that way can only ask sooner, never later.
COOLDOWN_USERS_MAX = 50_000


class Cooldown:
    """Per-user rate limit (questions: slash and free text share one). Bounded in size, and
    pruned from its oldest end in O(pruned) per call, never by rebuilding the map."""

    def __init__(self, seconds: float, max_users: int = COOLDOWN_USERS_MAX, refunds: bool = True) -> None:
        self.seconds = seconds
        self.max_users = max_users
        self._last: dict[int, float] = {}  # user -> last use, oldest first
        # One refund per window: a rephrase after "I don't know" is free, a stream of them is not.
        self._refunds = Cooldown(seconds, max_users, refunds=False) if refunds else None

    def __len__(self) -> int:
        return len(self._last)

    def _prune(self, now: float) -> None:
        last = self._last
        while last:
            user = next(iter(last))
            if now - last[user] < self.seconds and len(last) <= self.max_users:
                break
            del last[user]

    def retry_after(self, user_id: int, now: float | None = None) -> float:
        """0 and the use is recorded when allowed; else the seconds left to wait."""
        if self.seconds <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        last = self._last.get(user_id)
        if last is not None and now - last < self.seconds:
            return self.seconds - (now - last)
        self._last.pop(user_id, None)
        self._last[user_id] = now  # moved to the newest end
        self._prune(now)
        return 0.0

    def refund(self, user_id: int, now: float | None = None) -> bool:
        """Give back the use just recorded (a declined question), at most once per window;
        True when given back."""
        if self._refunds is None or user_id not in self._last:
            return False
        if self._refunds.retry_after(user_id, now) > 0:
            return False
        del self._last[user_id]
        return True


def member_role_ids(user: discord.User | discord.Member) -> frozenset[int]:
    """The role ids an interaction's member has, as Discord sent them.

    The one private access in the bot: `Member.roles` keeps only the roles found in the guild's
    cache, which is empty for a guild on another shard or not cached yet, while the interaction
    payload always lists the member's role ids (kept by discord.py as `Member._roles`). The
    public list is used when that attribute is gone (a future discord.py).
    """
    raw = getattr(user, "_roles", None)
    if raw is not None:
        return frozenset(int(r) for r in raw)
    return frozenset(r.id for r in getattr(user, "roles", ()))


def is_moderator(interaction: discord.Interaction[Any], role_ids: Collection[int]) -> bool:
    """Manage Server (or Administrator) in this guild, or one of the configured moderator roles."""
    if interaction.guild_id is None:
        return False
    perms = interaction.permissions
    if perms.administrator or perms.manage_guild:
        return True
    return not member_role_ids(interaction.user).isdisjoint(role_ids)


def may_change_store(interaction: discord.Interaction[TalentWarBot], owner_ids: Collection[int]) -> None:
    """Raise the refusal when this interaction may not change the store (which every guild
    shares): only in a moderation guild (MODERATION_GUILD_IDS), only by its moderators or the
    application's owner. A moderator of any other guild the bot is in is refused."""
    settings = interaction.client.settings
    if interaction.guild_id is None:
        raise GuildOnly()
    if interaction.guild_id not in settings.moderation_guild_ids:
        raise NotModerationGuild()
    if interaction.user.id in owner_ids:
        return
    if not is_moderator(interaction, settings.moderator_role_ids):
        raise NotModerator()


def moderators_only() -> Callable[[T], T]:
    """App-command check for commands that change the store (see may_change_store)."""

    async def predicate(interaction: discord.Interaction[TalentWarBot]) -> bool:
        may_change_store(interaction, interaction.client.owner_ids)
        return True

    return app_commands.check(predicate)


def question_cooldown() -> Callable[[T], T]:
    """App-command check: the per-user question cooldown."""

    async def predicate(interaction: discord.Interaction[TalentWarBot]) -> bool:
        wait = interaction.client.question_cooldown.retry_after(interaction.user.id)
        if wait > 0:
            raise OnCooldown(seconds=max(1.0, wait))
        return True

    return app_commands.check(predicate)
