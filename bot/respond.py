"""Answering interactions inside Discord's 3-second window, with one way to send anything.

The core answers in milliseconds, but a reload or a busy host can slow it down: the work runs in
a worker thread and, if it is not done well before the window closes, the bot defers first and
edits its answer in afterwards. Every send here carries NO_MENTIONS.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import TypeVar

import discord

from .replies import NO_MENTIONS, content

log = logging.getLogger(__name__)

T = TypeVar("T")

# Answer directly when the result is ready this long after Discord created the interaction;
# otherwise defer (Discord drops responses arriving after 3 s, and the callback itself takes time).
RESPOND_WITHIN = 1.5
# While a reload builds in another thread the host is busy: defer sooner.
RESPOND_WITHIN_BUSY = 0.3


def _budget(interaction: discord.Interaction, busy: bool) -> float:
    limit = RESPOND_WITHIN_BUSY if busy else RESPOND_WITHIN
    age = (datetime.now(timezone.utc) - interaction.created_at).total_seconds()
    return min(limit, max(0.0, limit - age))


async def compute_in_time(
    interaction: discord.Interaction, work: Callable[[], T], *, ephemeral: bool = False
) -> T:
    """Run `work` in a thread; defer the interaction if it is not ready within the budget."""
    service = getattr(interaction.client, "service", None)
    busy = bool(getattr(service, "is_reloading", False))
    task = asyncio.ensure_future(asyncio.to_thread(work))
    done, _ = await asyncio.wait({task}, timeout=_budget(interaction, busy))
    if not done and not interaction.response.is_done():
        try:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        except discord.HTTPException:
            log.warning("defer failed for interaction %s", interaction.id)
    return await task


async def send(
    interaction: discord.Interaction,
    *,
    embeds: Sequence[discord.Embed] = (),
    text: str | None = None,
    ephemeral: bool = False,
    view: discord.ui.View | None = None,
) -> None:
    """Reply to an interaction: the first response, or the edit of a deferred one."""
    body = content(text) if text else None
    extra = {"view": view} if view is not None else {}  # buttons (see bot.exts.feedback)
    if not interaction.response.is_done():
        await interaction.response.send_message(
            content=body, embeds=list(embeds), ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, **extra
        )
    else:
        await interaction.edit_original_response(
            content=body, embeds=list(embeds), allowed_mentions=NO_MENTIONS, **extra
        )


async def send_error(interaction: discord.Interaction, text: str) -> None:
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
