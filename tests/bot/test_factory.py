"""The Discord face in discord.py's idiom: `create_bot`, Cogs, typed settings, the one private access."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from discord.ext import commands

from bot.config import ConfigError, Settings, readme_table
from bot.core.service import StoreService

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("factory")
    shutil.copytree(REPO / "knowledge", root / "knowledge")
    built = Settings(seeds_dir=REPO / "seeds", knowledge_dir=root / "knowledge", store_path=root / "s.sqlite")
    StoreService(built).ensure_built()
    return built


def test_create_bot_gives_a_commands_bot_whose_features_are_cogs(settings: Settings, monkeypatch) -> None:
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    monkeypatch.setattr(Route, "BASE", Route.BASE)  # create_bot points discord.py at the settings' URLs
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)
    from bot import create_bot
    from bot.client import extension_names

    bot = create_bot(settings)
    assert isinstance(bot, commands.Bot) and not isinstance(bot, commands.AutoShardedBot)
    names = extension_names()
    assert "bot.exts.ask" in names and "bot.exts.freetext" in names and len(names) >= 11

    async def load() -> None:
        for name in names:
            await bot.load_extension(name)

    import asyncio

    asyncio.run(load())
    cogs = {type(c).__name__ for c in bot.cogs.values()}
    assert {"Ask", "Who", "Transfers", "FreeText", "Feedback", "Help"} <= cogs
    # Every slash command belongs to a Cog; free text is a Cog listener, not a handler list.
    from_cogs = {c.name for cog in bot.cogs.values() for c in cog.get_app_commands()}
    assert from_cogs == {c.name for c in bot.tree.get_commands()} and len(from_cogs) >= 9
    assert any(name == "on_message" for name, _ in bot.get_cog("FreeText").get_listeners())
    assert not hasattr(bot, "message_handlers")


def test_sharded_settings_give_an_auto_sharded_bot(settings: Settings, monkeypatch) -> None:
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    monkeypatch.setattr(Route, "BASE", Route.BASE)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)
    from bot import create_bot

    bot = create_bot(settings.replace(shard_count=4, shard_ids=frozenset({2, 3})))
    assert isinstance(bot, commands.AutoShardedBot)
    assert bot.shard_count == 4 and bot.shard_ids == [2, 3]


def test_run_goes_through_create_bot() -> None:
    source = (REPO / "bot" / "client.py").read_text(encoding="utf-8")
    main = source[source.index("def main(") :]
    assert "create_bot(settings)" in main and "TalentWarBot(" not in main


def test_no_interaction_client_casts_remain() -> None:
    for path in (REPO / "bot").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "interaction.client  # type: ignore" not in text, path


# -- settings -------------------------------------------------------------------------------------


def env(monkeypatch, **values: str) -> None:
    for key in list(Settings.model_fields):
        monkeypatch.delenv(Settings.model_fields[key].alias or key, raising=False)
    for key, value in values.items():
        monkeypatch.setenv(key, value)


def test_settings_from_the_environment(monkeypatch, tmp_path: Path) -> None:
    env(
        monkeypatch,
        DISCORD_TOKEN="secret-token",
        DISCORD_GUILD_ID="42",
        QUESTION_CHANNEL_IDS="1, 2,3",
        STORE_PATH=str(tmp_path / "s.sqlite"),
        LOG_LEVEL="debug",
        RELOAD_COOLDOWN_SECONDS="0",
        SHARD_COUNT="4",
        SHARD_IDS="0-1,3",
    )
    s = Settings.from_env(tmp_path / "none.env")
    assert s.discord_token.get_secret_value() == "secret-token"
    assert "secret-token" not in repr(s) and "secret-token" not in str(s)
    assert s.guild_id == 42 and s.moderation_guild_ids == {42}  # the dev guild moderates by default
    assert s.question_channel_ids == {1, 2, 3}
    assert s.gaps_path == tmp_path / "gaps.sqlite"  # beside the store
    assert s.log_level == "DEBUG" and s.reload_cooldown == 0.0
    assert s.shard_count == 4 and s.shard_ids == {0, 1, 3}


def test_dotenv_is_read_and_the_environment_wins(monkeypatch, tmp_path: Path) -> None:
    env(monkeypatch, LOG_LEVEL="WARNING")
    dotenv = tmp_path / ".env"
    dotenv.write_text("LOG_LEVEL=ERROR\nQUESTION_COOLDOWN_SECONDS=2\n", encoding="utf-8")
    s = Settings.from_env(dotenv)
    assert s.log_level == "WARNING" and s.question_cooldown == 2.0


def test_empty_variables_mean_the_default(monkeypatch, tmp_path: Path) -> None:
    env(monkeypatch, DISCORD_GUILD_ID="", LOG_LEVEL="", SHARD_COUNT="")
    s = Settings.from_env(tmp_path / "none.env")
    assert s.guild_id is None and s.log_level == "INFO" and s.shard_count is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DISCORD_GUILD_ID", "abc"),
        ("QUESTION_CHANNEL_IDS", "1,x"),
        ("MODERATION_GUILD_IDS", "one"),
        ("RELOAD_COOLDOWN_SECONDS", "-1"),
        ("QUESTION_COOLDOWN_SECONDS", "soon"),
        ("LOG_LEVEL", "LOUD"),
        ("SHARD_COUNT", "many"),
        ("SHARD_IDS", "0-x"),
    ],
)
def test_a_bad_value_is_an_error_that_names_the_variable(monkeypatch, tmp_path: Path, name, value) -> None:
    env(monkeypatch, **{name: value})
    with pytest.raises(ConfigError) as err:
        Settings.from_env(tmp_path / "none.env")
    message = str(err.value)
    assert message.startswith(name) and value.upper()[:3] in message.upper(), message
    assert "default factory" not in message


def test_shard_ids_need_a_shard_count(monkeypatch, tmp_path: Path) -> None:
    env(monkeypatch, SHARD_IDS="0-1")
    with pytest.raises(ConfigError, match="SHARD_IDS needs SHARD_COUNT"):
        Settings.from_env(tmp_path / "none.env")
    env(monkeypatch, SHARD_IDS="2", SHARD_COUNT="2")
    with pytest.raises(ConfigError, match="SHARD_IDS must be below SHARD_COUNT"):
        Settings.from_env(tmp_path / "none.env")


def test_the_readme_table_lists_every_setting_as_declared() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme, "run `python -m bot.config` and paste the table into the README"
    listed = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, re.M))
    assert listed == {f.alias for f in Settings.model_fields.values()}


def test_the_cli_reports_a_bad_setting_in_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "Who is Ruoming Pang?"],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "QUESTION_COOLDOWN_SECONDS": "-3"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "QUESTION_COOLDOWN_SECONDS" in result.stderr and len(result.stderr.strip().splitlines()) == 1


# -- the one private access, and logging ------------------------------------------------------------


def test_member_role_ids_reads_the_payload_roles_then_the_public_list() -> None:
    import discord

    from bot.checks import member_role_ids

    state = SimpleNamespace(_get_guild=lambda _id: None, member_cache_flags=None)
    state.store_user = lambda data, cache=True: discord.User(state=state, data=data)  # type: ignore[arg-type]
    guild = SimpleNamespace(id=1, _state=state, get_role=lambda _id: None)
    data = {
        "user": {"id": "5", "username": "a", "discriminator": "0", "avatar": None},
        "roles": ["7", "8"],
        "flags": 0,
        "joined_at": None,
    }
    member = discord.Member(data=data, guild=guild, state=state)  # type: ignore[arg-type]
    assert member_role_ids(member) == {7, 8}  # though no role is in the guild's cache
    public = SimpleNamespace(roles=[SimpleNamespace(id=9)])
    assert member_role_ids(public) == {9}  # type: ignore[arg-type]


def test_logging_set_up_adds_its_handler_and_keeps_the_others() -> None:
    from bot.logs import HANDLER_NAME, setup_logging

    root = logging.getLogger()
    theirs = logging.NullHandler()
    root.addHandler(theirs)
    level = root.level
    try:
        first = setup_logging("INFO")
        second = setup_logging("INFO")
        assert theirs in root.handlers and second in root.handlers and first not in root.handlers
        assert sum(h.get_name() == HANDLER_NAME for h in root.handlers) == 1
    finally:
        for h in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
            root.removeHandler(h)
        root.removeHandler(theirs)
        root.setLevel(level)
