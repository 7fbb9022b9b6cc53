"""Free-text questions: a mention of the bot, a DM, a reply to one of its answers, or any message in
a configured question channel.

The answer is a reply to the message. Everything else is ignored, and so are bots (the bot itself
included), so two bots can never talk to each other in a loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from typing import TYPE_CHECKING

import discord
from discord.ext import commands
from discord.utils import MISSING

from .. import replies
from ..checks import Cooldown, locale_lang
from ..conversation import conversation_key, in_context, remember_answer
from ..core.answer import answer
from ..core.language import detect_language
from ..core.limits import bound_question
from ..logs import log_event, log_question
from .feedback import after_answer

if TYPE_CHECKING:
    from ..client import TalentWarBot

log = logging.getLogger(__name__)

QUESTION_MAX = 1000
TYPING_AFTER = 0.5  # show "typing…" if the answer is not ready by then
COOLDOWN_NOTICE_TTL = 10.0
ANSWERED_TYPES = (discord.MessageType.default, discord.MessageType.reply)


def is_dm(message: discord.Message) -> bool:
    """A direct message, known by its channel: a guild message whose guild is missing from the
    cache also has no `guild`, and must not be answered as a DM."""
    channel = message.channel
    if isinstance(channel, discord.DMChannel):
        return True
    return getattr(channel, "type", None) is discord.ChannelType.private and message.guild is None


class FreeText(commands.Cog):
    """Decides whether a message is a question for the bot, and answers it."""

    def __init__(self, bot: TalentWarBot) -> None:
        self.bot = bot
        # Users told about their cooldown in this window: bounded and pruned like the cooldown.
        self._notified = Cooldown(bot.question_cooldown.seconds, refunds=False)

    def source(self, message: discord.Message) -> str | None:
        """ "dm", "mention", "reply" or "channel" when the message is a question for the bot, else None."""
        me = self.bot.user
        if me is None or message.author.bot or message.type not in ANSWERED_TYPES:
            return None
        if is_dm(message):
            return "dm"
        # Not `me.mentioned_in(message)`: that is also true for @everyone, which must not summon the bot.
        if any(u.id == me.id for u in message.mentions):
            return "mention"
        self_role = message.guild.self_role if message.guild is not None else None
        if self_role is not None and self_role in message.role_mentions:
            return "mention"
        if self._replies_to_me(message):  # a follow-up written as a reply to an answer
            return "reply" if message.content.strip() else None
        channel_ids = self.bot.settings.question_channel_ids
        parent = getattr(message.channel, "parent_id", None)
        if message.channel.id in channel_ids or (parent is not None and parent in channel_ids):
            # A post with no text (an image, a file, an embed) is not a question to answer.
            return "channel" if message.content.strip() else None
        return None

    def _replies_to_me(self, message: discord.Message) -> bool:
        ref = getattr(message, "reference", None)
        resolved = getattr(ref, "resolved", None)
        me = self.bot.user
        return isinstance(resolved, discord.Message) and me is not None and resolved.author.id == me.id

    def question_text(self, message: discord.Message) -> str:
        """The message without the bot's own mention and other mention syntax, trimmed."""
        me = self.bot.user
        text = message.content[: QUESTION_MAX * 2]
        if me is not None:
            text = re.sub(rf"<@!?{me.id}>", " ", text)
        names = {u.id: u.display_name for u in message.mentions}
        return bound_question(replies.clean_question(text, names)[:QUESTION_MAX])

    def fallback_lang(self, message: discord.Message) -> str:
        """When the question's language is unclear: the server's language, else English."""
        if message.guild is not None:
            return locale_lang(message.guild.preferred_locale)
        return "en"

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        source = self.source(message)
        if source is None:
            return
        started = time.monotonic()
        if self.bot.answers.overloaded():  # before the cooldown: "ask again" must not cost one
            await self._busy(
                message, detect_language(message.content[:QUESTION_MAX]) or self.fallback_lang(message)
            )
            return
        wait = self.bot.question_cooldown.retry_after(message.author.id)
        if wait > 0:
            await self._cooldown_notice(message, wait)
            return
        question = self.question_text(message)
        lang = detect_language(question) or self.fallback_lang(message)
        # Read with this user's previous question in this DM or channel, or with the answer replied to.
        key = conversation_key(message.author.id, message.channel.id, is_dm(message))
        reply_to = getattr(getattr(message, "reference", None), "message_id", None)
        work = in_context(self.bot, key, question, lang, reply_to, compute=lambda *a: answer(*a))
        task = asyncio.ensure_future(self.bot.answers.run(work))
        done, _ = await asyncio.wait({task}, timeout=TYPING_AFTER)
        if not done:
            with contextlib.suppress(discord.HTTPException):
                await message.channel.typing()
        result = await task
        if not result.answered:  # "I don't know" costs no cooldown: a rephrase is answered
            self.bot.question_cooldown.refund(message.author.id)
        view = await after_answer(self.bot, result)
        try:
            sent = await message.channel.send(
                embeds=replies.answer_embeds(result, documents=self.bot.service.store.documents),
                view=view if view is not None else MISSING,
                reference=message.to_reference(fail_if_not_exists=False),
                mention_author=False,
                allowed_mentions=replies.NO_MENTIONS,
            )
        except discord.HTTPException as exc:
            log.warning("could not reply in channel %s (%s %s)", message.channel.id, exc.status, exc.code)
            return
        remember_answer(self.bot, key, sent.id)
        log_question(source, result, started, command="freetext")

    async def _busy(self, message: discord.Message, lang: str) -> None:
        """Too many answers are queued: say so now rather than answer when nobody waits."""
        log_event("refused", command="freetext", reason="Busy")
        with contextlib.suppress(discord.HTTPException):
            await message.channel.send(
                replies.t("busy", lang),
                reference=message.to_reference(fail_if_not_exists=False),
                mention_author=False,
                allowed_mentions=replies.NO_MENTIONS,
                delete_after=COOLDOWN_NOTICE_TTL,
            )

    async def _cooldown_notice(self, message: discord.Message, wait: float) -> None:
        """One short notice per cooldown window (deleted after a few seconds), never a flood."""
        if self._notified.retry_after(message.author.id) > 0:
            return
        lang = detect_language(message.content) or self.fallback_lang(message)
        log_event("refused", command="freetext", reason="OnCooldown")
        with contextlib.suppress(discord.HTTPException):
            await message.channel.send(
                replies.t("cooldown", lang, seconds=max(1.0, wait)),
                reference=message.to_reference(fail_if_not_exists=False),
                mention_author=False,
                allowed_mentions=replies.NO_MENTIONS,
                delete_after=COOLDOWN_NOTICE_TTL,
            )


async def setup(bot: TalentWarBot) -> None:
    await bot.add_cog(FreeText(bot))
