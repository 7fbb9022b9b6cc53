"""/gaps: moderators see what the bot could not answer, most asked first, near-identical grouped.

Replies privately: the questions are the community's, the list is for the people who curate.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from .. import replies, strings
from ..checks import interaction_lang, moderators_only
from ..core.gaps import GapGroup
from ..core.since import BadSince, parse_since
from ..logs import log_event
from ..replies import described
from ..respond import compute_in_time, send, send_error

if TYPE_CHECKING:
    from ..client import TalentWarBot

GAPS_SHOWN = 15  # groups listed in the reply (python -m bot gaps --json lists them all)
QUESTION_SHOWN = 150  # characters of a question in the list


def t(key: str, lang: str, **kw: object) -> str:
    return strings.t("gaps." + key, lang, **kw)


def gap_line(g: GapGroup, lang: str) -> str:
    """ "**3×** question · closest: topic · declined 2 · 👎 1", user text escaped."""
    question = replies.cut(replies.escape(replies.one_line(g.question)), QUESTION_SHOWN)
    bits = [f"**{g.count}×** {question}"]
    if g.topic:
        bits.append(t("closest", lang, topic=f"*{replies.escape(replies.one_line(g.topic))}*"))
    if g.declined:
        bits.append(t("declined", lang, n=g.declined))
    if g.wrong:
        bits.append(t("wrong", lang, n=g.wrong))
    return " · ".join(bits)


def gaps_embeds(
    groups: list[GapGroup], votes: dict[str, int], lang: str, since: str = ""
) -> list[discord.Embed]:
    title = t("title_since", lang, date=since) if since else t("title", lang)
    embed = discord.Embed(title=title, colour=replies.GREY)
    lines: list[str] = []
    size = 0
    for n, g in enumerate(groups[:GAPS_SHOWN], 1):
        line = f"{n}. {gap_line(g, lang)}"
        if size + len(line) + 1 > replies.DESCRIPTION_MAX - 100:
            break
        lines.append(line)
        size += len(line) + 1
    embed.description = "\n".join(lines) or t("none", lang)
    total = sum(g.count for g in groups)
    embed.set_footer(
        text=t("footer", lang, groups=len(groups), total=total, up=votes["up"], down=votes["down"])
    )
    return replies.fit([embed])


class Gaps(commands.Cog):
    """/gaps."""

    @app_commands.command(name="gaps", description=described("cmd.gaps"))
    @app_commands.describe(since=described("cmd.gaps.since"))
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @moderators_only()
    async def gaps(
        self,
        interaction: discord.Interaction[TalentWarBot],
        since: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:
        """Checked in the bot like /reload (Manage Server or a MODERATOR_ROLE_IDS role)."""
        bot = interaction.client
        lang = interaction_lang(interaction)
        start = None
        if since:
            try:
                start = parse_since(since)
            except BadSince:
                await send_error(
                    interaction, t("bad_since", lang, text=replies.escape(replies.one_line(since))[:40])
                )
                return
        store = bot.gaps
        moment = start.timestamp() if start else None
        started = time.monotonic()
        groups, votes = await compute_in_time(
            interaction, lambda: (store.groups(moment), store.votes(moment)), ephemeral=True
        )
        shown = start.strftime("%Y-%m-%d") if start else ""
        await send(interaction, embeds=gaps_embeds(groups, votes, lang, shown), ephemeral=True)
        log_event(
            "command",
            command="gaps",
            groups=len(groups),
            lang=lang,
            ms=round((time.monotonic() - started) * 1000),
        )


async def setup(bot: TalentWarBot) -> None:
    await bot.add_cog(Gaps())
