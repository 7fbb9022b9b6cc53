"""Answering interactions inside Discord's 3-second window, with one way to send anything.

The core answers in milliseconds, but a reload or a busy host can slow it down: the work runs in
a worker thread and, if it is not done well before the window closes, the bot defers first and
edits its answer in afterwards. Every send here carries NO_MENTIONS.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import discord
from discord.utils import MISSING

from .replies import NO_MENTIONS, content

log = logging.getLogger(__name__)

T = TypeVar("T")

# Answer directly when the result is ready this long after Discord created the interaction;
# otherwise defer (Discord drops responses arriving after 3 s, and the callback itself takes time).
RESPOND_WITHIN = 1.5
# While a reload builds in another thread the host is busy: defer sooner.
RESPOND_WITHIN_BUSY = 0.3


# Tuning: answers run on this many threads (the host has two cores, and answering holds the
# interpreter: more threads only slow the event loop down); a free-text question arriving when
# the queue's estimated wait exceeds BUSY_AFTER (or QUEUE_MAX answers are pending) is told to
# ask again shortly; slash commands are deferred at once and refused only past SLASH_QUEUE_MAX.
ANSWER_WORKERS = 2
QUEUE_MAX = 200
SLASH_QUEUE_MAX = 2000
BUSY_AFTER = 2.5  # seconds of estimated wait
_SMOOTHING = 0.2  # weight of the latest answer in the running mean of answer times


class AnswerPool:
    """A bounded pool of answer threads, and what it knows about its queue.

    Only the event loop touches `pending` and the running mean, so no lock is needed.
    """

    def __init__(self, workers: int = ANSWER_WORKERS, queue_max: int = QUEUE_MAX) -> None:
        self.workers = workers
        self.queue_max = queue_max
        self.pending = 0  # submitted, not finished
        self.mean_seconds = 0.005
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="answer")

    @property
    def queued(self) -> bool:
        """A new answer would wait for a thread: the caller should acknowledge Discord first."""
        return self.pending >= self.workers

    def estimated_wait(self) -> float:
        return self.pending * self.mean_seconds / self.workers

    def overloaded(self) -> bool:
        """Too many answers waiting: a new free-text question would be answered too late."""
        return self.pending >= self.queue_max or self.estimated_wait() > BUSY_AFTER

    async def run(self, work: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        self.pending += 1

        def timed() -> tuple[T, float]:
            started = time.perf_counter()
            result = work()
            return result, time.perf_counter() - started

        try:
            result, seconds = await loop.run_in_executor(self._executor, timed)
        finally:
            self.pending -= 1
        self.mean_seconds += _SMOOTHING * (seconds - self.mean_seconds)
        return result

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


_FALLBACK_POOL: AnswerPool | None = None


def pool_of(client: object) -> AnswerPool:
    """The client's answer pool (one shared fallback for clients that have none)."""
    global _FALLBACK_POOL
    pool = getattr(client, "answers", None)
    if isinstance(pool, AnswerPool):
        return pool
    if _FALLBACK_POOL is None:
        _FALLBACK_POOL = AnswerPool()
    return _FALLBACK_POOL


def _budget(interaction: discord.Interaction[Any], busy: bool) -> float:
    """What is left of the answer budget: measured on discord.py's clock (`utcnow`), the one the
    interaction's creation time (its snowflake) is read with."""
    limit = RESPOND_WITHIN_BUSY if busy else RESPOND_WITHIN
    age = (discord.utils.utcnow() - interaction.created_at).total_seconds()
    return min(limit, max(0.0, limit - age))


async def compute_in_time(
    interaction: discord.Interaction[Any], work: Callable[[], T], *, ephemeral: bool = False
) -> T:
    """Run `work` on the answer pool; defer the interaction at once when answers are queued
    (it would wait for a thread), else when it is not ready within the budget."""
    service = getattr(interaction.client, "service", None)
    busy = bool(getattr(service, "is_reloading", False))
    pool = pool_of(interaction.client)
    if pool.queued:
        await _defer(interaction, ephemeral)
    task = asyncio.ensure_future(pool.run(work))
    if not interaction.response.is_done():
        done, _ = await asyncio.wait({task}, timeout=_budget(interaction, busy))
        if not done:
            await _defer(interaction, ephemeral)
    return await task


async def _defer(interaction: discord.Interaction[Any], ephemeral: bool) -> None:
    if interaction.response.is_done():
        return
    try:
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    except discord.HTTPException:
        log.warning("defer failed for interaction %s", interaction.id)


async def send(
    interaction: discord.Interaction[Any],
    *,
    embeds: Sequence[discord.Embed] = (),
    text: str | None = None,
    ephemeral: bool = False,
    view: discord.ui.View | None = None,
) -> None:
    """Reply to an interaction: the first response, or the edit of a deferred one."""
    body = content(text) if text else None
    buttons = view if view is not None else MISSING  # buttons (see bot.exts.feedback); none: leave as is
    if not interaction.response.is_done():
        await interaction.response.send_message(
            content=body, embeds=list(embeds), ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, view=buttons
        )
    else:
        await interaction.edit_original_response(
            content=body, embeds=list(embeds), allowed_mentions=NO_MENTIONS, view=buttons
        )


async def send_error(interaction: discord.Interaction[Any], text: str) -> None:
    """A one-line ephemeral refusal or error, whatever state the interaction is in."""
    line = content(" ".join(text.split()))
    try:
        if not interaction.response.is_done():
            await interaction.response.send_message(line, ephemeral=True, allowed_mentions=NO_MENTIONS)
        elif interaction.response.type is discord.InteractionResponseType.deferred_channel_message:
            # Replace the "thinking…" placeholder rather than leaving it spinning.
            await interaction.edit_original_response(content=line, embeds=[], allowed_mentions=NO_MENTIONS)
        else:
            await interaction.followup.send(line, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as exc:
        log.warning("could not tell the user about an error (%s)", exc.status)
