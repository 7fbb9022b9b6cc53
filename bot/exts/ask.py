"""/ask: a question answered from the store, with citations, in the asker's language."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from .. import replies
from ..checks import interaction_lang, question_cooldown
from ..conversation import conversation_key, in_context
from ..core.answer import answer
from ..core.language import detect_language
from ..core.limits import bound_question
from ..logs import log_event, log_question
from ..replies import described
from ..respond import SLASH_QUEUE_MAX, compute_in_time, send, send_error
from .feedback import after_answer

if TYPE_CHECKING:
    from ..client import TalentWarBot

QUESTION_MAX = 500


class Ask(commands.Cog):
    """/ask."""

    @app_commands.command(name="ask", description=described("cmd.ask"))
    @app_commands.describe(question=described("cmd.ask.question"))
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @question_cooldown()
    async def ask(
        self,
        interaction: discord.Interaction[TalentWarBot],
        question: app_commands.Range[str, 1, QUESTION_MAX],
    ) -> None:
        """The question's own language wins; the user's Discord locale decides when it is unclear."""
        started = time.monotonic()
        bot = interaction.client
        if bot.answers.pending >= SLASH_QUEUE_MAX:  # deferred answers can wait; this many cannot
            await send_error(interaction, replies.t("busy", interaction_lang(interaction)))
            log_event("refused", command="ask", reason="Busy")
            return
        store = bot.service.store
        text = bound_question(replies.clean_question(question[:QUESTION_MAX]))
        lang = detect_language(text) or interaction_lang(interaction)
        # "how much did Meta pay him?" leans on this user's previous question here.
        key = conversation_key(interaction.user.id, interaction.channel_id, interaction.guild_id is None)
        work = in_context(bot, key, text, lang, compute=lambda *a: answer(*a))  # `answer` read when called
        result = await compute_in_time(interaction, work)
        deferred = interaction.response.is_done()
        if not result.answered:  # "I don't know" costs no cooldown: a rephrase is answered
            bot.question_cooldown.refund(interaction.user.id)
        view = await after_answer(bot, result)  # 👍/👎 under an answer; a declined question is logged
        await send(interaction, embeds=replies.answer_embeds(result, documents=store.documents), view=view)
        log_question("slash", result, started, deferred=deferred, command="ask")


async def setup(bot: TalentWarBot) -> None:
    await bot.add_cog(Ask())
