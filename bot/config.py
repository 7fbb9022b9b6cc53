"""All configuration in one place, read from the environment (and an optional `.env` file).

Both faces (command line and Discord) read their settings here, so a variable means the same
thing everywhere and the README can list every one of them from this module.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_API_BASE = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg"


class ConfigError(ValueError):
    """A setting that cannot be used; the message names the variable."""


def load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines into os.environ without overriding what is already set."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        key = key.strip().removeprefix("export ").strip()
        value = value.strip().strip('"').strip("'")
        os.environ.setdefault(key, value)


def _ids(name: str, env: dict[str, str]) -> frozenset[int]:
    raw = env.get(name, "").strip()
    if not raw:
        return frozenset()
    try:
        return frozenset(int(part) for part in raw.replace(" ", "").split(",") if part)
    except ValueError:
        raise ConfigError(f"{name} must be comma-separated numeric ids, got {raw!r}") from None


def _float(name: str, env: dict[str, str], default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative, got {raw!r}")
    return value


def _path(name: str, env: dict[str, str], default: Path) -> Path:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    path = Path(raw)
    return path if path.is_absolute() else PROJECT_ROOT / path


@dataclass(frozen=True)
class Settings:
    """Every setting the product reads; see README "Configuration" for the variables."""

    seeds_dir: Path = PROJECT_ROOT / "seeds"
    knowledge_dir: Path = PROJECT_ROOT / "knowledge"
    store_path: Path = PROJECT_ROOT / "var" / "store.sqlite"
    gaps_path: Path = PROJECT_ROOT / "var" / "gaps.sqlite"  # beside the store, never inside it
    discord_token: str = field(default="", repr=False)
    guild_id: int | None = None
    question_channel_ids: frozenset[int] = frozenset()
    moderator_role_ids: frozenset[int] = frozenset()
    moderation_guild_ids: frozenset[int] = frozenset()
    reload_cooldown: float = 30.0
    api_base: str = DEFAULT_API_BASE
    gateway_url: str = DEFAULT_GATEWAY_URL
    log_level: str = "INFO"
    question_cooldown: float = 5.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        if env is None:
            load_dotenv(Path.cwd() / ".env")
            env = dict(os.environ)
        guild = env.get("DISCORD_GUILD_ID", "").strip()
        if guild and not guild.isdigit():
            raise ConfigError(f"DISCORD_GUILD_ID must be a numeric id, got {guild!r}")
        level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {level!r}")
        store_path = _path("STORE_PATH", env, PROJECT_ROOT / "var" / "store.sqlite")
        return cls(
            seeds_dir=_path("SEEDS_DIR", env, PROJECT_ROOT / "seeds"),
            knowledge_dir=_path("KNOWLEDGE_DIR", env, PROJECT_ROOT / "knowledge"),
            store_path=store_path,
            gaps_path=_path("GAPS_PATH", env, store_path.parent / "gaps.sqlite"),
            discord_token=env.get("DISCORD_TOKEN", "").strip(),
            guild_id=int(guild) if guild else None,
            question_channel_ids=_ids("QUESTION_CHANNEL_IDS", env),
            moderator_role_ids=_ids("MODERATOR_ROLE_IDS", env),
            # The store is shared by every guild the bot is in: only these guilds may change it.
            # Unset, the development guild (DISCORD_GUILD_ID) is the moderation guild, if any.
            moderation_guild_ids=_ids("MODERATION_GUILD_IDS", env)
            or (frozenset({int(guild)}) if guild else frozenset()),
            reload_cooldown=_float("RELOAD_COOLDOWN_SECONDS", env, 30.0),
            api_base=env.get("DISCORD_API_BASE", "").strip().rstrip("/") or DEFAULT_API_BASE,
            gateway_url=env.get("DISCORD_GATEWAY_URL", "").strip().rstrip("/") or DEFAULT_GATEWAY_URL,
            log_level=level,
            question_cooldown=_float("QUESTION_COOLDOWN_SECONDS", env, 5.0),
        )
