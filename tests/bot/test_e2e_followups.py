"""Follow-up questions on the fake Discord: the real `python -m bot run`, driven as users would.

"how much did Meta pay him?" after "Who is Alexandr Wang?" must be answered about Wang (his
package was not disclosed), not with the market-wide figures the question alone would get; and
only for the same user in the same conversation.
"""

from __future__ import annotations

import pytest
import pytest_asyncio

from tests.fake_discord import BotProcess, FakeDiscord

from .conftest import assert_fits, assert_no_pings

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fake():
    async with FakeDiscord(token="MTIz.fake-followups-token.secret") as fake:
        yield fake


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(fake, tmp_path_factory):
    proc = BotProcess(fake, tmp_path_factory.mktemp("bot"), env={"QUESTION_COOLDOWN_SECONDS": "0"})
    await proc.start()
    yield proc
    await proc.stop()


def description(reply) -> str:
    return reply.embeds[0]["description"]


async def test_english_follow_up_with_ask_is_about_wang(fake: FakeDiscord, bot: BotProcess) -> None:
    alice = fake.add_user("alice", locale="en-US")
    first = await (await fake.slash("ask", {"question": "Who is Alexandr Wang?"}, user=alice)).reply()
    assert "Scale AI" in description(first) and not description(first).startswith("(")
    follow = await (await fake.slash("ask", {"question": "how much did Meta pay him?"}, user=alice)).reply()
    text = description(follow)
    assert text.startswith("(About Alexandr Wang)\n"), text
    assert "not disclosed" in text.lower() and "Bloomberg" not in text, text
    assert follow.embeds[0]["title"].endswith("how much did Meta pay him?"), "the title is what she typed"
    assert_no_pings(follow.payload)
    assert_fits(follow.payload)


async def test_french_follow_up_in_a_dm_is_about_gunter(fake: FakeDiscord, bot: BotProcess) -> None:
    benoit = fake.add_user("benoit", locale="fr")
    first = await (await fake.message("Qui est Tom Gunter ?", user=benoit, dm=True)).reply()
    assert "Gunter" in description(first)
    follow = await (await fake.message("il a rejoint Meta ?", user=benoit, dm=True)).reply()
    text = description(follow)
    assert text.startswith("(À propos de Tom Gunter)\n"), text
    assert "Gunter" in text.split("\n", 1)[1] and "Meta" in text
    assert "confiance" in follow.embeds[0]["footer"]["text"]


async def test_french_follow_up_in_a_question_channel(fake: FakeDiscord, bot: BotProcess) -> None:
    chloe = fake.add_user("chloe", locale="fr")
    channel = fake.channel("ask-the-bot")
    await (await fake.message("Qui est Tom Gunter ?", user=chloe, channel=channel)).reply()
    follow = await (await fake.message("et quand ?", user=chloe, channel=channel)).reply()
    assert description(follow).startswith("(À propos de Tom Gunter)\n")


async def test_another_user_or_channel_does_not_inherit_the_context(
    fake: FakeDiscord, bot: BotProcess
) -> None:
    dan, eve = fake.add_user("dan"), fake.add_user("eve")
    await (await fake.slash("ask", {"question": "Who is Alexandr Wang?"}, user=dan)).reply()
    other_user = await (await fake.slash("ask", {"question": "how much did Meta pay him?"}, user=eve)).reply()
    assert not description(other_user).startswith("(About"), "eve never asked about Wang"
    elsewhere = await (
        await fake.message(
            f"{fake.bot.mention} how much did Meta pay him?", user=dan, channel=fake.channel("ask-the-bot")
        )
    ).reply()
    assert not description(elsewhere).startswith("(About"), "another channel is another conversation"


async def test_a_reply_to_an_answer_continues_it(fake: FakeDiscord, bot: BotProcess) -> None:
    fay, gus = fake.add_user("fay"), fake.add_user("gus")
    asked = await fake.message(f"{fake.bot.mention} who is Ruoming Pang?", user=fay)
    answer = await asked.reply()
    # A reply to the bot's answer, with no mention: a question, read with that answer's subject.
    reply = await fake.message("how much did Meta pay him?", user=gus, reply_to=int(answer.message["id"]))
    follow = await reply.reply()
    assert int(follow.payload["message_reference"]["message_id"]) == reply.id
    text = description(follow)
    assert text.startswith("(About Ruoming Pang)\n") and "200 million" in text, text
    assert_no_pings(follow.payload)
