"""The smaller items of issue 10: empty posts in a question channel, a guild missing from the
cache, a URL that tries to inject a link into /sources, Discord unreachable at start, PyNaCl."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import discord

from bot import replies
from bot.core.knowledge import load_knowledge
from bot.core.models import Document
from bot.exts.freetext import FreeText
from tests.core.test_validation import BASE, DOCUMENTS, make_inputs
from tests.fake_discord import BotProcess, FakeDiscord

REPO = Path(__file__).resolve().parents[2]


async def test_a_post_without_text_in_a_question_channel_is_ignored(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        proc = BotProcess(fake, tmp_path)
        await proc.start()
        try:
            user = fake.add_user("alice")
            empty = await fake.message("", user=user, channel=fake.channel("ask-the-bot"))
            await asyncio.sleep(1.0)
            assert empty.replies() == [], "an attachment-only post got a reply"
            real = await fake.message("Who is Ruoming Pang?", user=user, channel=fake.channel("ask-the-bot"))
            assert (await real.reply(10)).embeds  # the channel still answers questions
        finally:
            await proc.stop()
        assert "PyNaCl" not in proc.log()  # a text bot does not warn about voice


def test_a_guild_message_with_its_guild_missing_from_the_cache_is_not_a_dm() -> None:
    me = SimpleNamespace(id=1)
    bot = SimpleNamespace(user=me, settings=SimpleNamespace(question_channel_ids=frozenset()))
    free = FreeText.__new__(FreeText)
    free.bot = bot  # type: ignore[assignment]
    channel = SimpleNamespace(id=5, type=discord.ChannelType.text)
    author = SimpleNamespace(bot=False, id=9)
    message = SimpleNamespace(
        author=author,
        type=discord.MessageType.default,
        guild=None,
        channel=channel,
        mentions=[],
        content="hi",
    )
    assert free.source(message) is None  # type: ignore[arg-type]
    message.mentions = [me]
    assert free.source(message) == "mention"  # type: ignore[arg-type]


def test_a_url_cannot_inject_a_second_link_into_sources(tmp_path: Path) -> None:
    evil = "https://e.x/a) [Click here](https://evil.example"
    docs = DOCUMENTS + f"    url: {evil!r}\n".replace("'", '"')
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE}, documents=docs)
    _kb, errors = load_knowledge(seeds, knowledge)
    assert any(e.file == "seeds/documents.yaml" and "url must be" in e.message for e in errors)
    # And if such a document reached the bot anyway, /sources would show no link at all.
    line = replies.sources_embeds([Document("a.txt", "T", "en", None, url=evil)], "en")[0].description
    assert line is not None and "evil.example" not in line.split("`")[0] and line.count("](") == 0
    good = replies.sources_embeds([Document("a.txt", "T", "en", None, url="https://e.x/a")], "en")[0]
    assert good.description.count("](") == 1


def test_run_with_discord_unreachable_prints_one_line(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "QUESTION_"))}
    env.update(
        DISCORD_TOKEN="MTIz.unreachable.token",
        DISCORD_API_BASE=f"http://127.0.0.1:{port}/api/v10",
        DISCORD_GATEWAY_URL=f"ws://127.0.0.1:{port}/gateway",
        STORE_PATH=str(tmp_path / "s.sqlite"),
        SEEDS_DIR=str(REPO / "seeds"),
        KNOWLEDGE_DIR=str(REPO / "knowledge"),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "run"], capture_output=True, env=env, cwd=tmp_path, timeout=90
    )
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "PyNaCl" not in err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "cannot reach Discord" in errors[0], err[-2000:]
