"""Shards: SHARD_COUNT runs an AutoShardedBot, one gateway connection per shard, each answering."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from discord.ext import commands

from bot.config import Settings
from bot.core.service import StoreService
from tests.fake_discord.inprocess import InProcessBot

REPO = Path(__file__).resolve().parents[2]
BOTH_SHARDS_WITHIN = 20.0  # discord.py waits 5 s before identifying each shard after the first


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("shards")
    shutil.copytree(REPO / "knowledge", root / "knowledge")
    settings = Settings(
        seeds_dir=REPO / "seeds",
        knowledge_dir=root / "knowledge",
        store_path=root / "store.sqlite",
        question_cooldown=0.0,
        shard_count=2,
    )
    StoreService(settings).ensure_built()
    return settings


async def test_two_shards_each_answer(built: Settings) -> None:
    async with InProcessBot(built) as bot:
        fake = bot.fake
        await fake.wait_for(lambda: fake.live_shards() == [0, 1], BOTH_SHARDS_WITHIN)
        assert isinstance(bot.client, commands.AutoShardedBot)
        assert sorted(tuple(i["shard"]) for i in fake.identifies) == [(0, 2), (1, 2)]
        for shard in (0, 1):
            fake.dispatch_shard = shard  # the event arrives on this shard's connection
            reply = await bot.ask("Who is Ruoming Pang?")
            assert "Apple" in reply.embeds[0]["description"], shard
            mention = await bot.mention("Combien gagne Xavier Niel ?")
            assert mention.embeds, shard
        assert bot.logs.errors() == []
