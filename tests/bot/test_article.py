"""/article add on the fake Discord: a .txt attachment and the pasted-text modal, both stored like
any seed, reloaded, and answered from at once; refused for members and bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import pytest_asyncio

from bot.config import Settings
from bot.core.service import StoreService
from tests.fake_discord.inprocess import InProcessBot

from .conftest import assert_fits, assert_no_pings

pytestmark = pytest.mark.asyncio(loop_scope="module")

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "tests" / "articles"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def harness(tmp_path_factory):
    root = tmp_path_factory.mktemp("article")
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "knowledge", root / "knowledge")
    settings = Settings(
        seeds_dir=root / "seeds",
        knowledge_dir=root / "knowledge",
        store_path=root / "var" / "store.sqlite",
        question_cooldown=0.0,
    )
    async with InProcessBot(settings, service=StoreService(settings)) as bot:
        yield bot


async def test_article_add_is_a_moderator_subcommand(harness) -> None:
    commands = {c["name"]: c for c in harness.fake.commands[None]}
    article = commands["article"]
    assert article["contexts"] == [0], "guild only"
    add = next(o for o in article["options"] if o["name"] == "add")
    assert {o["name"] for o in add["options"]} == {"file", "title", "date", "url"}


async def test_refused_for_members(harness) -> None:
    handle = await harness.fake.slash(
        "article",
        subcommand="add",
        user=harness.user,
        files={"file": ("a.txt", (ARTICLES / "zephyr_en.txt").read_bytes())},
    )
    reply = await handle.reply()
    assert reply.ephemeral and "moderators" in reply.content.lower()
    assert not list((harness.settings.seeds_dir).glob("*zephyr*"))
    assert len(list(harness.settings.seeds_dir.glob("*.txt"))) == 2


async def test_attachment_that_is_not_utf8_is_refused(harness) -> None:
    handle = await harness.fake.slash(
        "article", subcommand="add", user=harness.mod, files={"file": ("bad.txt", b"\xff\xfe" + b"x" * 400)}
    )
    reply = await handle.reply(timeout=10)
    assert reply.ephemeral and "UTF-8" in reply.text
    pdf = await harness.fake.slash(
        "article", subcommand="add", user=harness.mod, files={"file": ("a.pdf", b"%PDF")}
    )
    assert ".txt" in (await pdf.reply()).text


async def test_attachment_is_stored_reloaded_and_answered(harness) -> None:
    handle = await harness.fake.slash(
        "article",
        subcommand="add",
        user=harness.mod,
        files={"file": ("quillon.txt", (ARTICLES / "zephyr_en.txt").read_bytes())},
    )
    reply = await handle.reply(timeout=60)
    assert reply.ephemeral
    assert_no_pings(reply.payload)
    assert_fits(reply.payload)
    assert "sentences" in reply.text and "2026-03-03" in reply.text, reply.text
    assert "Quillon Labs hires Orla Brennagh" in reply.text
    seeds = harness.settings.seeds_dir
    assert len(list(seeds.glob("*.txt"))) == 3
    assert "Quillon Labs hires Orla Brennagh" in (seeds / "documents.yaml").read_text(encoding="utf-8")
    ans = await harness.ask("When did Orla Brennagh join Quillon Labs?")
    assert "March 2" in ans.text, ans.text


async def test_modal_text_is_stored_reloaded_and_answered(harness) -> None:
    opened = await harness.fake.slash("article", subcommand="add", user=harness.mod)
    text = (ARTICLES / "zephyr_fr.txt").read_text(encoding="utf-8")
    submitted = await harness.fake.submit_modal(
        opened,
        {"Title": "Mercato fictif", "Date (YYYY-MM-DD, YYYY-MM or YYYY)": "2026-03-12", "Article text": text},
        user=harness.mod,
    )
    reply = await submitted.reply(timeout=60)
    assert reply.ephemeral and "Mercato fictif" in reply.text and "2026-03-12" in reply.text, reply.text
    docs = (harness.settings.seeds_dir / "documents.yaml").read_text(encoding="utf-8")
    assert "Mercato fictif" in docs
    ans = await harness.ask("Quand Mathis Berthier rejoindra-t-il Quillon Labs ?")
    assert "mai 2026" in ans.text, ans.text
