"""The news feed: after a reload brings new moves, the bot lists them once in ANNOUNCE_CHANNEL_ID.

What is new is the core's answer (bot.core.news): the reload's report carries the moves the new
snapshot has and the previous one had not, and the ledger beside the store drops those announced
before (an article removed and added again, another process sharing the store). This Cog is a
swap listener of the StoreService, so every path that swaps in a new store announces (/reload,
/article add, any later one); the store opened at start-up is the baseline, never news. It only
finds the channel, formats (bot.replies.announce_messages) and sends, with no mentions allowed.

A channel that is missing, not a text channel or closed to the bot is one warning in the log
(once per problem until a post succeeds again) and a line in the moderator's reply; the reload
itself has already succeeded and is never undone by the feed.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from contextlib import suppress
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from .. import replies
from ..core.models import Transfer
from ..core.news import LEDGER_FILE, Announcement, Ledger, move_keys
from ..core.service import ReloadReport
from ..core.store import Store
from ..logs import log_event

if TYPE_CHECKING:
    from ..client import TalentWarBot

log = logging.getLogger(__name__)

Postable = discord.TextChannel | discord.Thread

# The log's words for each problem (the moderator's are in bot/strings.py, "announce.<problem>").
PROBLEMS = {
    "missing": "there is no channel with this id, or the bot cannot see it (is the bot in that server?)",
    "not_text": "it is not a text channel (a category, voice, forum or DM channel?)",
    "forbidden": "the bot lacks the View Channel or Send Messages permission there",
    "refused": "Discord refused the request",
}


class Announce(commands.Cog):
    """Posts each reload's new moves in the news channel, once."""

    def __init__(self, bot: TalentWarBot) -> None:
        self.bot = bot
        self.ledger = Ledger(bot.settings.store_path.parent / LEDGER_FILE)
        self._warned: set[tuple[int, str]] = set()
        self._checked = False

    @property
    def channel_id(self) -> int | None:
        return self.bot.settings.announce_channel_id

    async def cog_load(self) -> None:
        self.bot.service.swap_listeners.append(self.on_swap)
        if self.channel_id is None:
            return
        # The moves of the store this process starts with were news before, or never will be:
        # recorded, so that a restart (or another process's reload) does not announce them.
        keys = move_keys(self.bot.service.store)
        try:
            new = await asyncio.to_thread(self.ledger.remember, keys)
        except (sqlite3.Error, OSError) as exc:
            log.warning(
                "the announced-moves file %s is unusable (%s): each reload's new moves are still "
                "announced once, but a move removed and added again may be announced again",
                self.ledger.path,
                exc,
            )
            return
        log_event("announce_baseline", channel=self.channel_id, moves=len(keys), recorded=new)

    async def cog_unload(self) -> None:
        with suppress(ValueError):
            self.bot.service.swap_listeners.remove(self.on_swap)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Say at start-up, not at the first reload, that the channel cannot be used."""
        if self._checked or self.channel_id is None:
            return
        self._checked = True
        _channel, problem = await self._channel(self.channel_id)
        if problem is not None:
            self._warn(self.channel_id, problem)

    async def on_swap(self, report: ReloadReport, store: Store) -> None:
        channel_id = self.channel_id
        if channel_id is None or not report.new_moves:
            return
        channel, problem = await self._channel(channel_id)
        if channel is None or problem is not None:
            self._warn(channel_id, problem or "missing")
            report.announced = Announcement(len(report.new_moves), channel_id, problem, channel is not None)
            return
        moves = await self._unannounced(report.new_moves)
        if not moves:
            return
        lang = "fr" if channel.guild.preferred_locale.value.startswith("fr") else "en"
        names = {eid: e.name for eid, e in store.entities.items()}
        texts = replies.announce_messages(moves, names, lang, store.documents)
        sent = 0
        try:
            for text in texts:
                await channel.send(text, allowed_mentions=replies.NO_MENTIONS, suppress_embeds=True)
                sent += 1
        except discord.HTTPException as exc:
            problem = "forbidden" if isinstance(exc, discord.Forbidden) else "refused"
            self._warn(channel_id, problem, f" ({exc.status} {exc.text[:200]})")
        else:
            self._warned = {w for w in self._warned if w[0] != channel_id}  # warn again if it breaks
        report.announced = Announcement(len(moves), channel_id, problem)
        log_event(
            "announce",
            channel=channel_id,
            moves=len(moves),
            messages=sent,
            ok=problem is None,
            version=store.version,
        )

    async def _channel(self, channel_id: int) -> tuple[Postable | None, str | None]:
        """The channel and None, or what is wrong with it ("missing", "not_text", "forbidden")."""
        channel = self.bot.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(channel_id)
            except (discord.NotFound, discord.Forbidden):
                return None, "missing"
            except discord.HTTPException:
                return None, "refused"
        if not isinstance(channel, (discord.TextChannel, discord.Thread)):
            return None, "not_text"
        me = channel.guild.me
        if me is not None:
            perms = channel.permissions_for(me)
            send = (
                perms.send_messages_in_threads if isinstance(channel, discord.Thread) else perms.send_messages
            )
            if not (perms.view_channel and send):
                return channel, "forbidden"
        return channel, None

    async def _unannounced(self, moves: dict[str, Transfer]) -> list[Transfer]:
        """The moves no one announced yet, now recorded as announced (before posting: a move is
        posted at most once, even by two processes at the same time)."""
        try:
            return await asyncio.to_thread(self.ledger.fresh, moves)
        except (sqlite3.Error, OSError) as exc:
            log.warning(
                "the announced-moves file %s is unusable (%s): announcing this reload's new moves without it",
                self.ledger.path,
                exc,
            )
            return list(moves.values())

    def _warn(self, channel_id: int, problem: str, detail: str = "") -> None:
        if (channel_id, problem) in self._warned:
            log.info(
                "ANNOUNCE_CHANNEL_ID %s still unusable (%s): new moves not announced", channel_id, problem
            )
            return
        self._warned.add((channel_id, problem))
        log.warning(
            "ANNOUNCE_CHANNEL_ID %s: %s%s; new moves are not announced there (reloads work as usual)",
            channel_id,
            PROBLEMS.get(problem, problem),
            detail,
        )


async def setup(bot: TalentWarBot) -> None:
    await bot.add_cog(Announce(bot))
