"""/article add: moderators add a news article without a shell, then the store reloads.

The article is stored in seeds/ exactly as `python -m bot add` stores it (same checks, same
documents.yaml entry), so nothing downstream can tell how it arrived.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from .. import replies, strings
from ..checks import interaction_lang, is_moderator, moderators_only
from ..core.articles import MAX_ARTICLE_BYTES, ArticleError, add_article, findings
from ..core.service import ReloadInProgress
from ..logs import log_event
from ..replies import described
from ..respond import send, send_error

if TYPE_CHECKING:
    from ..client import TalentWarBot

log = logging.getLogger(__name__)

MODAL_TEXT_MAX = 4000  # Discord's limit for one text input; longer articles come as a .txt file
NAMES_SHOWN = 10  # people and moves listed in the reply; the rest are counted


def tr(key: str, lang: str, **kw: object) -> str:
    return strings.t("article." + key, lang, **kw)


def _listing(items: tuple[str, ...] | list[str]) -> str:
    shown = ", ".join(replies.escape(i) for i in items[:NAMES_SHOWN])
    if len(items) > NAMES_SHOWN:
        shown += f" (+{len(items) - NAMES_SHOWN})"
    return replies.cut(shown, replies.FIELD_VALUE_MAX)


async def store_and_reload(
    interaction: discord.Interaction[TalentWarBot],
    data: bytes | str,
    *,
    title: str | None,
    date: str | None,
    url: str | None,
) -> None:
    """Save the article, reload, and tell the moderator what the store now knows from it."""
    bot = interaction.client
    lang = interaction_lang(interaction)
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    try:
        added = add_article(bot.settings.seeds_dir, data, title=title or None, date=date or None, url=url)
    except (ArticleError, OSError) as exc:
        await send_error(interaction, tr("refused", lang, detail=str(exc)))
        log_event("article_add", by=interaction.user.id, result="refused")
        return
    try:
        report = await bot.service.reload()
    except ReloadInProgress:
        await send_error(interaction, replies.t("reload_running", lang))
        return
    if not report.ok:
        embeds = replies.reload_embeds(report, lang)
        embeds[0].title = "⚠️ " + tr("not_reloaded", lang)[:200]
        await send(interaction, embeds=embeds)
        log_event("article_add", by=interaction.user.id, result="reload_failed", file=added.file)
        return
    found = findings(bot.service.store, added.file)
    store = bot.service.store
    moves = [f"{store.entity_name(store.transfers_by_id[m].who)}" for m in found.moves]
    embed = discord.Embed(
        title="✅ " + tr("added", lang, file=added.file),
        description=tr("found", lang, sentences=found.sentences, people=len(found.people), moves=len(moves)),
        colour=replies.GREEN,
    )
    if report.announced is not None:
        embed.description = f"{embed.description}\n{replies.announce_line(report.announced, lang)}"
    lines = []
    for key, value in added.entry.items():
        mark = f" ({tr('guessed', lang)})" if key in added.guessed else ""
        lines.append(f"{key}: {replies.escape(replies.one_line(str(value)))}{mark}")
    embed.add_field(name=tr("entry", lang), value=replies.cut("\n".join(lines), 1000), inline=False)
    if found.people:
        embed.add_field(name=tr("people", lang), value=_listing(found.people), inline=False)
    if moves:
        embed.add_field(name=tr("moves", lang), value=_listing(moves), inline=False)
    await send(interaction, embeds=replies.fit([embed]))
    log_event(
        "article_add",
        by=interaction.user.id,
        result="ok",
        file=added.file,
        sentences=found.sentences,
        people=len(found.people),
        moves=len(moves),
    )


class ArticleModal(discord.ui.Modal):
    """Pasted text, with the title, date and URL fields a .txt upload gets as options."""

    def __init__(self, lang: str) -> None:
        super().__init__(title=tr("modal_title", lang), timeout=600)
        self.title_field: discord.ui.TextInput = discord.ui.TextInput(
            label=tr("f_title", lang), required=False, max_length=200
        )
        self.date_field: discord.ui.TextInput = discord.ui.TextInput(
            label=tr("f_date", lang), required=False, max_length=10
        )
        self.url_field: discord.ui.TextInput = discord.ui.TextInput(
            label=tr("f_url", lang), required=False, max_length=500
        )
        self.text_field: discord.ui.TextInput = discord.ui.TextInput(
            label=tr("f_text", lang), style=discord.TextStyle.paragraph, max_length=MODAL_TEXT_MAX
        )
        for item in (self.title_field, self.date_field, self.url_field, self.text_field):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction[TalentWarBot]) -> None:  # type: ignore[override]
        # Checked again: a modal submission is a new interaction.
        if not is_moderator(interaction, interaction.client.settings.moderator_role_ids):
            await send_error(interaction, replies.t("not_moderator", interaction_lang(interaction)))
            return
        await store_and_reload(
            interaction,
            self.text_field.value,
            title=self.title_field.value.strip(),
            date=self.date_field.value.strip(),
            url=self.url_field.value.strip() or None,
        )


class Article(commands.Cog):
    """/article add."""

    article = app_commands.Group(
        name="article",
        description=described("cmd.article"),
        guild_only=True,
        allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False),
        default_permissions=discord.Permissions(manage_guild=True),
    )

    @article.command(name="add", description=described("cmd.article.add"))
    @app_commands.describe(
        file=described("cmd.article.add.file"),
        title=described("cmd.article.add.title"),
        date=described("cmd.article.add.date"),
        url=described("cmd.article.add.url"),
    )
    @moderators_only()
    async def article_add(
        self,
        interaction: discord.Interaction[TalentWarBot],
        file: discord.Attachment | None = None,
        title: app_commands.Range[str, 1, 200] | None = None,
        date: app_commands.Range[str, 4, 10] | None = None,
        url: app_commands.Range[str, 1, 500] | None = None,
    ) -> None:
        lang = interaction_lang(interaction)
        if file is None:
            modal = ArticleModal(lang)
            modal.title_field.default = title
            modal.date_field.default = date
            modal.url_field.default = url
            await interaction.response.send_modal(modal)
            return
        if not file.filename.lower().endswith(".txt"):
            await send_error(interaction, tr("not_txt", lang))
            return
        if file.size > MAX_ARTICLE_BYTES:
            await send_error(interaction, tr("too_big", lang, size=file.size, limit=MAX_ARTICLE_BYTES))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            data = await file.read()
        except discord.HTTPException as exc:
            await send_error(interaction, tr("refused", lang, detail=f"download failed ({exc.status})"))
            return
        await store_and_reload(interaction, data[: MAX_ARTICLE_BYTES + 1], title=title, date=date, url=url)


async def setup(bot: TalentWarBot) -> None:
    await bot.add_cog(Article())
