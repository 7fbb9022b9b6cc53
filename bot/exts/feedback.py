"""👍 / 👎 under answers, and declined questions logged for curators (the gaps database).

The buttons are discord.py dynamic items: everything a click needs is in the button's custom id
(the vote, the answer's language, the fact it gave) or in the message it sits under (the
question in the embed's title, the answer in its description), so a click on an answer sent
before a restart still works: nothing is kept in memory or stored until someone votes. Who voted
is never stored; an in-memory set only stops one member from counting twice.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from .. import strings
from ..core.models import Answer
from ..logs import log_event

if TYPE_CHECKING:
    from ..client import TalentWarBot

log = logging.getLogger(__name__)

CUSTOM_ID = "tw:vote:{vote}:{lang}:{fact}"
CUSTOM_ID_MAX = 100  # Discord's limit
VOTERS_REMEMBERED = 10_000  # (message, member) pairs kept to refuse a second vote; then forgotten


def t(key: str, lang: str) -> str:
    return strings.t("feedback." + key, lang)


_ESCAPE = re.compile(r"\\([^\w\s])")


def unescape(text: str) -> str:
    """Embed text back to what was said: markdown escapes and anti-mention spaces removed."""
    return _ESCAPE.sub(r"\1", (text or "").replace("\u200b", ""))


def closest_topic(bot: TalentWarBot, fact: str, lang: str) -> str:
    """The topic of the fact an answer gave, in the answer's language ("" once it is gone)."""
    item = bot.service.store.items_by_id.get(fact) if fact else None
    topic = getattr(item, "topic", None)
    if not isinstance(topic, dict):
        return ""
    return topic.get(lang) or next(iter(topic.values()), "")


_VOTERS: dict[tuple[int, int], None] = {}  # (message id, member id): in memory only, bounded


class Vote(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"tw:vote:(?P<vote>up|down):(?P<lang>en|fr):(?P<fact>.*)",
):
    """One of the two buttons under an answer; rebuilt from its custom id after a restart."""

    def __init__(self, vote: str, lang: str, fact: str) -> None:
        custom_id = CUSTOM_ID.format(vote=vote, lang=lang, fact="")
        custom_id += fact[: CUSTOM_ID_MAX - len(custom_id)]
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                emoji="👍" if vote == "up" else "👎",
                label=t("helpful" if vote == "up" else "wrong", lang),
                custom_id=custom_id,
            )
        )
        self.vote, self.lang, self.fact = (
            vote,
            lang,
            custom_id[len(CUSTOM_ID.format(vote=vote, lang=lang, fact="")) :],
        )

    @classmethod
    async def from_custom_id(  # type: ignore[override]  # the bot's own interactions, not any Client's
        cls,
        interaction: discord.Interaction[TalentWarBot],
        item: discord.ui.Button[Any],
        match: re.Match[str],
    ) -> Vote:
        return cls(match["vote"], match["lang"], match["fact"])

    async def callback(self, interaction: discord.Interaction[TalentWarBot]) -> None:  # type: ignore[override]
        bot = interaction.client
        message = interaction.message
        key = (message.id if message else 0, interaction.user.id)
        if key in _VOTERS:
            await interaction.response.send_message(
                t("already", self.lang), ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
            return
        _VOTERS[key] = None
        while len(_VOTERS) > VOTERS_REMEMBERED:
            _VOTERS.pop(next(iter(_VOTERS)))
        embed = message.embeds[0] if message and message.embeds else None
        question = unescape((embed.title or "") if embed else "").removeprefix("❓").strip()
        answer = unescape((embed.description or "") if embed else "")
        helpful = self.vote == "up"
        topic = closest_topic(bot, self.fact, self.lang)
        try:
            await asyncio.to_thread(bot.gaps.vote, helpful, question, self.lang, answer, topic)
        except Exception:  # still thank the member; the log says what went wrong
            log.exception("could not record a vote")
        log_event("feedback", vote=self.vote, lang=self.lang, fact=self.fact or None)
        await interaction.response.send_message(
            t("thanks_up" if helpful else "thanks_down", self.lang),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )


def buttons(result: Answer) -> discord.ui.View:
    """👍 and 👎 for an answer; timeout=None and fixed ids, so they outlive the process."""
    view = discord.ui.View(timeout=None)
    fact = result.facts[0] if result.facts else ""
    view.add_item(Vote("up", result.language, fact))
    view.add_item(Vote("down", result.language, fact))
    return view


async def after_answer(bot: TalentWarBot, result: Answer) -> discord.ui.View | None:
    """Log a declined question for curators; give an answer its feedback buttons.

    Called before the reply is sent, so `/gaps` sees a question as soon as its answer shows."""
    if result.answered:
        return buttons(result)
    topic = result.suggestions[0] if result.suggestions else ""
    try:
        await asyncio.to_thread(
            bot.gaps.log, "declined", result.question, result.language, result.text, topic
        )
    except Exception:  # the gaps file is a help for curators: never let it stop an answer
        log.exception("could not log a declined question")
    return None


class Feedback(commands.Cog):
    """The 👍/👎 buttons: dynamic items, so clicks work on answers sent before a restart."""

    def __init__(self, bot: TalentWarBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.gaps  # noqa: B018  # opened now: a gaps file that cannot be opened shows at start-up
        self.bot.add_dynamic_items(Vote)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(Vote)


async def setup(bot: TalentWarBot) -> None:
    await bot.add_cog(Feedback(bot))
