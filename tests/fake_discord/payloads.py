"""Builders for payloads shaped like Discord's own (API v10), so discord.py parses them unmodified.

Only the keys discord.py reads are filled in, with the types Discord sends (snowflakes as strings,
permissions as decimal strings, ISO timestamps).
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits used by the fake's default members (https://discord.com/developers/docs/topics/permissions).
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
MEMBER_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS
)

# Application command option types.
OPTION_TYPES: dict[type, int] = {str: 3, int: 4, bool: 5, float: 10}

_counter = itertools.count()
_lock = threading.Lock()


def snowflake(at: float | None = None) -> int:
    """A unique id that encodes its creation time, like Discord's (discord.py reads the time)."""
    ms = int((time.time() if at is None else at) * 1000) - DISCORD_EPOCH_MS
    with _lock:
        seq = next(_counter)
    return (ms << 22) | (1 << 17) | (seq & 0x1FFFF)


def iso_now() -> str:
    return datetime.now(timezone.utc).isoformat()


@dataclass
class FakeUser:
    """A Discord account; in the fake's guild it is a member with `roles` and `permissions`."""

    id: int
    username: str
    bot: bool = False
    roles: tuple[int, ...] = ()
    permissions: int = MEMBER_PERMISSIONS
    locale: str = "en-US"

    def to_user(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.username.title(),
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }

    def to_member(self, *, with_permissions: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "user": self.to_user(),
            "roles": [str(r) for r in self.roles],
            "nick": None,
            "avatar": None,
            "joined_at": "2024-01-01T00:00:00+00:00",
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_permissions:
            data["permissions"] = str(self.permissions)
        return data

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass
class FakeChannel:
    id: int
    name: str
    guild_id: int | None
    type: int = 0  # 0 guild text, 1 DM, 2 voice, 4 category
    recipient: FakeUser | None = None
    # Discord's permission overwrites: {"id": role or user id, "type": 0 role / 1 member, "allow", "deny"}.
    overwrites: list[dict[str, Any]] = field(default_factory=list)

    def to_payload(self) -> dict[str, Any]:
        if self.type == 1:
            return {
                "id": str(self.id),
                "type": 1,
                "last_message_id": None,
                "flags": 0,
                "recipients": [self.recipient.to_user()] if self.recipient else [],
            }
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": 0,
            "permission_overwrites": [
                {
                    "id": str(o["id"]),
                    "type": o.get("type", 0),
                    "allow": str(o.get("allow", 0)),
                    "deny": str(o.get("deny", 0)),
                }
                for o in self.overwrites
            ],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }


@dataclass
class FakeRole:
    id: int
    name: str
    permissions: int = 0
    managed: bool = False
    bot_id: int | None = None

    def to_payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": 0,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": True,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass
class FakeGuild:
    id: int
    name: str
    owner_id: int
    preferred_locale: str = "en-US"
    channels: list[FakeChannel] = field(default_factory=list)
    roles: list[FakeRole] = field(default_factory=list)

    def channel(self, name: str) -> FakeChannel:
        for ch in self.channels:
            if ch.name == name:
                return ch
        raise KeyError(name)

    def role(self, name: str) -> FakeRole:
        for role in self.roles:
            if role.name == name:
                return role
        raise KeyError(name)

    def to_create(self, bot: FakeUser) -> dict[str, Any]:
        """The GUILD_CREATE payload a bot receives after READY."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "owner_id": str(self.owner_id),
            "unavailable": False,
            "large": False,
            "member_count": 3,
            "joined_at": "2024-01-01T00:00:00+00:00",
            "preferred_locale": self.preferred_locale,
            "features": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "system_channel_flags": 0,
            "roles": [r.to_payload() for r in self.roles],
            "emojis": [],
            "stickers": [],
            "channels": [c.to_payload() for c in self.channels],
            "threads": [],
            "members": [bot.to_member(with_permissions=False)],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


def message_create(
    *,
    message_id: int,
    content: str,
    author: FakeUser,
    channel: FakeChannel,
    users: dict[int, FakeUser],
    reply_to: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A MESSAGE_CREATE event as the gateway sends it (mentions resolved from the content)."""
    mentioned = []
    for raw in _USER_MENTION.findall(content):
        user = users.get(int(raw))
        if user is not None:
            entry = user.to_user()
            if channel.guild_id is not None:
                entry["member"] = {
                    k: v for k, v in user.to_member(with_permissions=False).items() if k != "user"
                }
            mentioned.append(entry)
    data: dict[str, Any] = {
        "id": str(message_id),
        "channel_id": str(channel.id),
        "type": 19 if reply_to else 0,
        "content": content,
        "author": author.to_user(),
        "attachments": [],
        "embeds": [],
        "mentions": mentioned,
        "mention_roles": _ROLE_MENTION.findall(content),
        "mention_everyone": "@everyone" in content or "@here" in content,
        "pinned": False,
        "tts": False,
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "flags": 0,
        "components": [],
        "nonce": str(message_id),
    }
    if channel.guild_id is not None:
        data["guild_id"] = str(channel.guild_id)
        data["member"] = {k: v for k, v in author.to_member(with_permissions=False).items() if k != "user"}
    if reply_to is not None:
        data["message_reference"] = {
            "type": 0,
            "message_id": reply_to["id"],
            "channel_id": reply_to["channel_id"],
        }
        data["referenced_message"] = reply_to
    return data


def sent_message(
    body: dict[str, Any] | None,
    *,
    message_id: int,
    channel_id: int,
    author: FakeUser,
    guild_id: int | None = None,
    application_id: int | None = None,
) -> dict[str, Any]:
    """The message object Discord returns for a message the bot created or edited."""
    body = body or {}
    data: dict[str, Any] = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "type": 19 if body.get("message_reference") else 0,
        "content": body.get("content") or "",
        "author": author.to_user(),
        "attachments": [],
        "embeds": body.get("embeds") or [],
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": bool(body.get("tts", False)),
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "flags": int(body.get("flags") or 0),
        "components": body.get("components") or [],
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    if application_id is not None:
        data["application_id"] = str(application_id)
        data["webhook_id"] = str(application_id)
    if body.get("message_reference"):
        data["message_reference"] = body["message_reference"]
    return data


def interaction_create(
    *,
    interaction_id: int,
    token: str,
    application_id: int,
    kind: int,
    data: dict[str, Any],
    user: FakeUser,
    channel: FakeChannel,
    guild: FakeGuild | None,
    locale: str,
    app_permissions: int,
) -> dict[str, Any]:
    """An INTERACTION_CREATE event (application command = 2, component = 3, autocomplete = 4)."""
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(application_id),
        "type": kind,
        "data": data,
        "token": token,
        "version": 1,
        "locale": locale,
        "channel_id": str(channel.id),
        "channel": channel.to_payload(),
        "app_permissions": str(app_permissions),
        "entitlements": [],
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if guild is not None:
        payload["guild_id"] = str(guild.id)
        payload["guild"] = {"id": str(guild.id), "locale": guild.preferred_locale, "features": []}
        payload["guild_locale"] = guild.preferred_locale
        payload["member"] = user.to_member()
        payload["authorizing_integration_owners"] = {"0": str(guild.id)}
        payload["context"] = 0
    else:
        payload["user"] = user.to_user()
        payload["authorizing_integration_owners"] = {"0": str(user.id)}
        payload["context"] = 1
    return payload
