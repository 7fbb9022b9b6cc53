"""◀ / ▶ buttons under a reply with more than fits in one message (/who's citations, /transfers).

Every page is rendered when the command runs and kept in memory by the view: a click edits the
message to the page asked for, nothing is recomputed. The view lives PAGES_TIMEOUT seconds after
its last click, then its buttons are removed (a click after a restart is answered by Discord's
"interaction failed", never by a wrong page). Only the person who ran the command turns pages.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from typing import Any

import discord

from . import strings
from .replies import NO_MENTIONS

log = logging.getLogger(__name__)

PAGES_TIMEOUT = 600.0  # seconds; well inside the 15 minutes an interaction token may edit for


class Pager(discord.ui.View):
    """Previous / Next over pre-rendered pages of embeds."""

    def __init__(
        self,
        pages: Sequence[list[discord.Embed]],
        lang: str,
        owner_id: int,
        interaction: discord.Interaction[Any] | None = None,
        timeout: float = PAGES_TIMEOUT,
    ) -> None:
        super().__init__(timeout=timeout)
        self.pages = list(pages)
        self.page = 0
        self.lang = lang
        self.owner_id = owner_id
        self.interaction = interaction  # the command's, to take the buttons away on timeout
        self.previous.label = strings.t("page.previous", lang)
        self.next.label = strings.t("page.next", lang)
        self._update()

    def _update(self) -> None:
        self.previous.disabled = self.page <= 0
        self.next.disabled = self.page >= len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            strings.t("page.not_yours", self.lang), ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        return False

    async def _show(self, interaction: discord.Interaction[Any], page: int) -> None:
        self.page = max(0, min(len(self.pages) - 1, page))
        self._update()
        await interaction.response.edit_message(
            embeds=self.pages[self.page], view=self, allowed_mentions=NO_MENTIONS
        )

    @discord.ui.button(emoji="◀️", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        await self._show(interaction, self.page - 1)

    @discord.ui.button(emoji="▶️", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        await self._show(interaction, self.page + 1)

    async def on_timeout(self) -> None:
        if self.interaction is None:
            return
        with contextlib.suppress(discord.HTTPException):
            await self.interaction.edit_original_response(view=None)


def pager(
    pages: Sequence[list[discord.Embed]], lang: str, interaction: discord.Interaction[Any]
) -> Pager | None:
    """Buttons for more than one page; None (no buttons) for one."""
    if len(pages) < 2:
        return None
    return Pager(pages, lang, interaction.user.id, interaction)
