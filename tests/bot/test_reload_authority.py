"""Who may change the store, which every guild the bot is in shares: only the moderation guild's
moderators (or the application's owner), only there, not more often than the reload cooldown.
Everyone else gets one private line and the store stays exactly as it was.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.store import Store
from tests.fake_discord.inprocess import InProcessBot
from tests.fake_discord.payloads import MANAGE_GUILD, MEMBER_PERMISSIONS

pytestmark = pytest.mark.asyncio(loop_scope="module")

REPO = Path(__file__).resolve().parents[2]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("authority")
    shutil.copytree(REPO / "seeds", work / "seeds")
    shutil.copytree(REPO / "knowledge", work / "knowledge")
    from bot.config import Settings

    settings = Settings(
        seeds_dir=work / "seeds", knowledge_dir=work / "knowledge", store_path=work / "s.sqlite"
    )
    async with InProcessBot(settings) as running:
        yield running


def changed_knowledge(bot: InProcessBot) -> None:
    """An edit on disk that a reload would pick up (so a refused reload visibly changes nothing)."""
    path = bot.service.settings.knowledge_dir / "people.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")


async def refused(bot: InProcessBot, **where) -> str:
    store = bot.service.store
    before = bot.service.settings.store_path.read_bytes()
    builds = len([r for r in bot.logs.records if "reload ok" in r.getMessage()])
    reply = await (await bot.fake.slash("reload", **where)).reply(timeout=10)
    assert reply.ephemeral, "a refusal is private"
    assert "\n" not in reply.content.strip(), "a refusal is one line"
    assert bot.service.store is store
    assert bot.service.settings.store_path.read_bytes() == before
    assert len([r for r in bot.logs.records if "reload ok" in r.getMessage()]) == builds
    return reply.content


async def test_a_moderator_of_another_guild_cannot_change_the_store(bot: InProcessBot) -> None:
    changed_knowledge(bot)
    other = bot.fake.add_guild("Some Other Server")
    admin_there = bot.fake.add_user("otheradmin", permissions=MEMBER_PERMISSIONS | MANAGE_GUILD)
    role_mod_there = bot.fake.add_user("othermod", roles=(other.role("Moderator").id,))
    for user in (admin_there, role_mod_there):
        text = await refused(bot, user=user, guild=other)
        assert "moderation server" in text


async def test_members_and_dms_are_refused(bot: InProcessBot) -> None:
    changed_knowledge(bot)
    assert "moderators" in (await refused(bot, user=bot.user)).lower()
    assert "server" in (await refused(bot, user=bot.mod, dm=True)).lower()


async def test_the_application_owner_may_reload_in_the_moderation_guild(bot: InProcessBot) -> None:
    owner = bot.fake.owner
    assert owner.id in bot.client.owner_ids
    # The owner without any moderator role or permission in that guild.
    plain_owner = replace(owner, permissions=MEMBER_PERMISSIONS, roles=())
    bot.fake.users[owner.id] = plain_owner
    changed_knowledge(bot)
    version = bot.service.store.version
    reply = await (await bot.fake.slash("reload", user=plain_owner)).reply(timeout=30)
    assert reply.ephemeral and "Reloaded" in (reply.embeds[0].get("title") or "")
    assert bot.service.store.version != version


async def test_a_moderator_may_reload_then_waits_for_the_cooldown(bot: InProcessBot) -> None:
    bot.client.settings = bot.client.settings.replace(reload_cooldown=30.0)
    bot.client.last_reload_end = -1e9  # no reload yet as far as the cooldown knows
    try:
        changed_knowledge(bot)
        first = await (await bot.fake.slash("reload", user=bot.mod)).reply(timeout=30)
        assert "Reloaded" in (first.embeds[0].get("title") or "")
        changed_knowledge(bot)
        text = await refused(bot, user=bot.mod2)
        assert "reload again in" in text
        assert Store.open(bot.service.settings.store_path).version == bot.service.store.version
    finally:
        bot.client.settings = bot.client.settings.replace(reload_cooldown=0.0)
