"""One catalogue for everything the bot says: both languages, same keys, same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

from bot import strings

REPO = Path(__file__).resolve().parents[2]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_key_is_in_both_languages_with_the_same_placeholders() -> None:
    assert set(strings.EN) == set(strings.FR)
    for key in strings.EN:
        assert placeholders(strings.EN[key]) == placeholders(strings.FR[key]), key
        assert strings.EN[key].strip() and strings.FR[key].strip(), key


def test_no_string_table_is_left_outside_the_catalogue() -> None:
    """The Discord face keeps no {"en": ..., "fr": ...} tables, nor French inline."""
    for path in [*(REPO / "bot").glob("*.py"), *(REPO / "bot" / "exts").glob("*.py")]:
        if path.name == "strings.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r'"fr":\s*"', text), path
        assert 'if lang == "fr" else' not in text, path


def test_every_command_description_comes_from_the_catalogue() -> None:
    for path in (REPO / "bot" / "exts").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "locale_str as _" not in text, path
        for key in re.findall(r'described\("([^"]+)"\)', text):
            assert key in strings.EN, (path, key)


def test_did_you_mean_is_one_sentence_in_each_language() -> None:
    assert strings.did_you_mean(["Meta", "Apple"], "en") == " Did you mean: Meta, Apple?"
    assert strings.did_you_mean(["Meta"], "fr") == " Vouliez-vous dire : Meta ?"
    assert strings.did_you_mean([], "en") == ""


async def test_french_descriptions_reach_discord_by_their_key() -> None:
    import discord
    from discord import app_commands

    from bot.client import Translator
    from bot.replies import described

    ctx = app_commands.TranslationContext(app_commands.TranslationContextLocation.command_description, None)
    text = await Translator().translate(described("cmd.ask"), discord.Locale.french, ctx)
    assert text == strings.FR["cmd.ask"]
    assert await Translator().translate(described("cmd.ask"), discord.Locale.german, ctx) is None


def test_help_lists_every_command_of_the_tree_with_its_catalogue_text() -> None:
    """A new command is one new Cog file plus its strings: /help lists it with no list to edit."""
    import discord
    from discord import app_commands
    from discord.ext import commands

    from bot.exts.help import command_lines
    from bot.replies import described

    class Weather(commands.Cog):
        @app_commands.command(name="who", description=described("cmd.who"))
        async def who(self, interaction: discord.Interaction, name: str, since: str | None = None) -> None:
            """A stand-in for a new command."""

    tree = app_commands.CommandTree(discord.Client(intents=discord.Intents.none()))
    for command in Weather().get_app_commands():
        tree.add_command(command)
    assert command_lines(tree, "fr") == [("/who name [since]", strings.FR["cmd.who"])]
