"""All configuration in one place, read from the environment (and an optional `.env` file).

Both faces (command line and Discord) read their settings here, so a variable means the same
thing everywhere. Each variable is declared once below: its type, its default, and the text the
README's configuration table shows (`python -m bot.config` prints that table; a test keeps the
README in step with it).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_API_BASE = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
Ids = Annotated[frozenset[int], NoDecode]  # "1,2,3" in the environment, not JSON


class ConfigError(ValueError):
    """A setting that cannot be used; the message names the variable."""


def _var(name: str, default: Any, shown: str, text: str) -> Any:
    """A field read from the variable `name`, with its default (a value, or a function of the
    settings declared before it); `shown` and `text` are its README default and meaning."""
    extra: dict[str, Any] = {"alias": name, "description": text, "json_schema_extra": {"shown": shown}}
    if callable(default):
        return Field(default_factory=default, **extra)
    return Field(default=default, **extra)


def _beside_store(data: dict[str, Any]) -> Path:
    return Path(data["store_path"]).parent / "gaps.sqlite"


def _dev_guild(data: dict[str, Any]) -> frozenset[int]:
    # The store is shared by every guild the bot is in: only these guilds may change it.
    # Unset, the development guild (DISCORD_GUILD_ID) is the moderation guild, if any.
    return frozenset({data["guild_id"]}) if data.get("guild_id") else frozenset()


class Settings(BaseModel):
    """Every setting the product reads, one declaration each (see README "Configuration").

    Built directly (`Settings(store_path=...)`, field names) it reads nothing from the
    environment; `Settings.from_env()` reads the environment and `.env`.
    """

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore", validate_default=True)

    discord_token: SecretStr = _var(
        "DISCORD_TOKEN", SecretStr(""), "*(none; required for `run`)*", "The bot token. Never logged."
    )
    guild_id: int | None = _var(
        "DISCORD_GUILD_ID",
        None,
        "*(unset: global sync)*",
        "A server id: sync commands there instantly (development).",
    )
    question_channel_ids: Ids = _var(
        "QUESTION_CHANNEL_IDS",
        frozenset(),
        "*(none)*",
        "Comma-separated channel ids where every message is a question (needs the Message Content intent).",
    )
    moderator_role_ids: Ids = _var(
        "MODERATOR_ROLE_IDS",
        frozenset(),
        "*(none)*",
        "Comma-separated role ids allowed to `/reload`, besides members with Manage Server.",
    )
    moderation_guild_ids: Ids = _var(
        "MODERATION_GUILD_IDS",
        _dev_guild,
        "*(`DISCORD_GUILD_ID` if set, else none)*",
        "Comma-separated server ids where the store may be changed (`/reload`). Every server the bot is "
        "in shares one store, so moderators of any other server are refused; with none set, nobody can "
        "reload from Discord.",
    )
    announce_channel_id: int | None = _var(
        "ANNOUNCE_CHANNEL_ID",
        None,
        "*(unset: no news feed)*",
        "A text channel id: after a reload that brings new moves, the bot lists them there once (no "
        "pings; what was announced is kept in `announced.sqlite` beside `STORE_PATH`).",
    )
    reload_cooldown: float = _var(
        "RELOAD_COOLDOWN_SECONDS",
        30.0,
        "`30`",
        "Delay after a reload ends before the next may start (for the whole bot); `0` turns it off.",
    )
    question_cooldown: float = _var(
        "QUESTION_COOLDOWN_SECONDS",
        5.0,
        "`5`",
        "Per-user delay between questions (`/ask` and free text share it); `0` turns it off.",
    )
    store_path: Path = _var(
        "STORE_PATH",
        "var/store.sqlite",
        "`var/store.sqlite`",
        "The built store (built at start-up when missing or stale).",
    )
    gaps_path: Path = _var(
        "GAPS_PATH",
        _beside_store,
        "`gaps.sqlite` beside `STORE_PATH`",
        "Declined questions and answers marked 👎, for `/gaps` (a file of its own: rebuilds and "
        "`/reload` never touch it).",
    )
    knowledge_dir: Path = _var(
        "KNOWLEDGE_DIR", "knowledge", "`knowledge`", "Curated knowledge files (`*.yaml`)."
    )
    seeds_dir: Path = _var("SEEDS_DIR", "seeds", "`seeds`", "The source articles and `documents.yaml`.")
    log_level: LogLevel = _var(
        "LOG_LEVEL", "INFO", "`INFO`", "`DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL`."
    )
    api_base: str = _var(
        "DISCORD_API_BASE",
        DEFAULT_API_BASE,
        f"`{DEFAULT_API_BASE}`",
        "REST base URL: a REST proxy, or a local fake Discord in tests.",
    )
    gateway_url: str = _var(
        "DISCORD_GATEWAY_URL",
        DEFAULT_GATEWAY_URL,
        f"`{DEFAULT_GATEWAY_URL}`",
        "Gateway websocket URL, likewise.",
    )
    shard_count: int | None = _var(
        "SHARD_COUNT",
        None,
        "*(unset: one connection)*",
        "Gateway shards in all: a number, or `auto` for the count Discord recommends (large bots).",
    )
    shard_ids: Ids = _var(
        "SHARD_IDS",
        frozenset(),
        "*(all of `SHARD_COUNT`)*",
        "The shards this process runs, e.g. `0-3` or `4,5` (needs `SHARD_COUNT`), to spread shards over processes.",
    )

    @field_validator("store_path", "gaps_path", "knowledge_dir", "seeds_dir", mode="before")
    @classmethod
    def _path(cls, value: Any) -> Path:
        return _resolve(value)

    @field_validator("question_channel_ids", "moderator_role_ids", "moderation_guild_ids", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
            except ValueError:
                raise ValueError(f"must be comma-separated numeric ids, got {value!r}") from None
        return value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _shard_ids(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        ids: set[int] = set()
        for part in value.replace(" ", "").split(","):
            if not part:
                continue
            m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
            if m is None:
                raise ValueError(f"must be shard numbers or ranges such as 0-3,6, got {value!r}")
            low, high = int(m[1]), int(m[2] or m[1])
            ids.update(range(low, high + 1))
        return frozenset(ids)

    @field_validator("shard_count", mode="before")
    @classmethod
    def _shard_count(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() == "auto":
            return 0  # 0: ask Discord for the recommended count
        return value

    @field_validator("guild_id", "announce_channel_id", mode="before")
    @classmethod
    def _guild_id(cls, value: Any) -> Any:
        return _guild(value)

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("reload_cooldown", "question_cooldown")
    @classmethod
    def _not_negative(cls, value: float) -> float:
        if value < 0:
            raise ValueError(f"must not be negative, got {value!r}")
        return value

    @field_validator("api_base", "gateway_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return value.strip().rstrip("/")

    @model_validator(mode="after")
    def _shards(self) -> Settings:
        if self.shard_count is not None and self.shard_count < 0:
            raise ValueError("SHARD_COUNT must be a positive number or auto")
        if self.shard_ids and not self.shard_count:
            raise ValueError("SHARD_IDS needs SHARD_COUNT (the number of shards in all)")
        if self.shard_ids and self.shard_count and max(self.shard_ids) >= self.shard_count:
            raise ValueError(f"SHARD_IDS must be below SHARD_COUNT ({self.shard_count})")
        return self

    @classmethod
    def from_env(cls, env_file: Path | None = None) -> Settings:
        """The environment, then `.env` in the working directory (the environment wins)."""
        try:
            return _FromEnv(_env_file=env_file or Path.cwd() / ".env")
        except ValidationError as exc:
            raise ConfigError(describe(exc, cls)) from None

    def replace(self, **changes: Any) -> Settings:
        """A copy with `changes` (field names), checked like the original."""
        try:
            return type(self).model_validate({**dict(self), **changes})
        except ValidationError as exc:
            raise ConfigError(describe(exc, type(self))) from None


class _FromEnv(BaseSettings, Settings):
    """Settings filled from the environment and `.env` by pydantic-settings."""

    model_config = SettingsConfigDict(
        frozen=True,
        populate_by_name=True,
        extra="ignore",
        validate_default=True,
        env_ignore_empty=True,
        case_sensitive=True,
    )


def _resolve(value: Any) -> Path:
    path = Path(str(value).strip())
    return path if path.is_absolute() else PROJECT_ROOT / path


def _guild(value: Any) -> Any:
    if isinstance(value, str):
        if not value.strip().isdigit():
            raise ValueError(f"must be a numeric id, got {value!r}")
        return int(value)
    return value


def describe(exc: ValidationError, model: type[BaseModel] = Settings) -> str:
    """One line per problem, each naming its environment variable."""
    names = {name: f.alias or name for name, f in model.model_fields.items()}
    lines = []
    for err in exc.errors():
        if err["type"] == "default_factory_not_called":  # follows from another error, named already
            continue
        loc = str(err["loc"][0]) if err["loc"] else ""
        var = names.get(loc, loc)
        msg = err["msg"].removeprefix("Value error, ")
        if var and not msg.startswith(var):
            got = err.get("input")
            tail = "" if "got" in msg or isinstance(got, dict) else f", got {got!r}"
            msg = f"{var}: {msg}{tail}"
        lines.append(msg)
    return "; ".join(lines)


def readme_table() -> str:
    """The README's configuration table, from the declarations above."""
    rows = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for field in Settings.model_fields.values():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        rows.append(f"| `{field.alias}` | {extra.get('shown', '')} | {field.description} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(readme_table())
