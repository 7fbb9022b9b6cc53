"""Everything the bot says, as Discord embeds that always fit Discord's limits.

Formatting lives here (not in the commands) so every reply is escaped, cut and checked the same
way: user text cannot break the markdown, long answers are cut at a clean boundary, and no
message can be rejected by Discord for its size. Nothing here pings anyone: see NO_MENTIONS.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import discord
from discord.app_commands import locale_str
from discord.utils import escape_markdown, escape_mentions

from . import strings
from .core.answer import STATUS, format_date, prefer_sentences
from .core.models import Answer, Citation, Document, Transfer
from .core.text import clean

# Every message the bot sends carries this: parse nothing, ping no one, not even the asker.
NO_MENTIONS = discord.AllowedMentions.none()

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
CONTENT_MAX = 2000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_MAX = 256
EMBED_TOTAL_MAX = 6000
EMBEDS_MAX = 10

# What we show, well inside the limits so replies stay readable.
CITATIONS_SHOWN = 5
NAMES_SUGGESTED = 5  # names offered after an unknown company
QUOTE_MAX = 700

GREEN = discord.Colour(0x2ECC71)
BLUE = discord.Colour(0x3498DB)
GREY = discord.Colour(0x95A5A6)
RED = discord.Colour(0xE74C3C)

ELLIPSIS = "…"


def t(key: str, lang: str, **kw: Any) -> str:
    """A bot string in `lang` (English when the language is not French): see bot/strings.py."""
    return strings.t(key, lang, **kw)


def described(key: str) -> locale_str:
    """A command or option description from the catalogue, translated for each Discord locale."""
    return locale_str(strings.EN[key], key=key)


def did_you_mean(names: Sequence[str], lang: str) -> str:
    """ " Did you mean: A, B?" for the closest known names (at most NAMES_SUGGESTED), or ""."""
    return strings.did_you_mean(names[:NAMES_SUGGESTED], lang)


def unknown_company(name: str, close: Sequence[str], lang: str) -> str:
    """The refusal for a company option that names no organisation the store knows."""
    return t("unknown_company", lang, name=escape(one_line(name))[:100], hint=did_you_mean(close, lang))


# -- text safety ------------------------------------------------------------------------------


def escape(text: str) -> str:
    """User (or seed) text made inert: markdown shown literally, mentions shown as text."""
    return escape_mentions(escape_markdown(text or ""))


def one_line(text: str) -> str:
    """User text made safe to echo: valid UTF-8, no control or invisible characters, one line."""
    return " ".join(clean(text or "").split())


# A link target that cannot close the masked link early or open another one.
SAFE_URL = re.compile(r"https?://[^\s()\[\]<>`\\]+")


def masked_link(text: str, url: str) -> str:
    """`[text](<url>)` for an already escaped `text` and a SAFE_URL `url`."""
    return "[" + text.replace("[", "\\[").replace("]", "\\]") + f"](<{url}>)"


_MASS_MENTION = re.compile(r"@(everyone|here)\b")
_ROLE_OR_CHANNEL = re.compile(r"<(@&|#)\d+>")
_USER_MENTION = re.compile(r"<@!?(\d+)>")


def clean_question(text: str, names: dict[int, str] | None = None) -> str:
    """The question without mention syntax: pings are not words, and must not reach the answer.

    User mentions become the user's name when known, role/channel mentions and @everyone/@here
    are dropped.
    """
    names = names or {}
    text = _MASS_MENTION.sub(" ", text or "")
    text = _ROLE_OR_CHANNEL.sub(" ", text)
    text = _USER_MENTION.sub(lambda m: names.get(int(m.group(1)), " "), text)
    return one_line(text)


_BOUNDARIES = ("\n", ". ", "; ", ", ", " ")


def cut(text: str, limit: int) -> str:
    """`text` shortened to at most `limit` characters at a clean boundary, ending with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    room = limit - len(ELLIPSIS)
    head = text[:room]
    at_boundary = text[room].isspace()
    for sep in () if at_boundary else _BOUNDARIES:
        pos = head.rfind(sep)
        if pos >= room * 0.6:
            head = head[: pos + (1 if sep.strip() else 0)]
            break
    # Never leave a dangling escape, a half-written mention or an open code block behind.
    while True:
        before = head
        head = re.sub(r"<[@#][!&]?\d*$", "", head.rstrip()).rstrip("\\")
        if head.count("```") % 2:
            head = head[: head.rfind("```")]
        if head == before:
            break
    return head + ELLIPSIS


def content(text: str) -> str:
    """Message content within Discord's 2,000 characters."""
    return cut(text, CONTENT_MAX)


# -- making embeds fit ------------------------------------------------------------------------


def fit(embeds: Sequence[discord.Embed]) -> list[discord.Embed]:
    """Enforce every limit on a message's embeds: each part, 25 fields, 10 embeds, 6,000 in all."""
    out: list[discord.Embed] = []
    for embed in list(embeds)[:EMBEDS_MAX]:
        if embed.title:
            embed.title = cut(embed.title, TITLE_MAX)
        if embed.description:
            embed.description = cut(embed.description, DESCRIPTION_MAX)
        if embed.author.name:
            embed.set_author(name=cut(embed.author.name, AUTHOR_MAX), url=embed.author.url)
        if embed.footer.text:
            embed.set_footer(text=cut(embed.footer.text, FOOTER_MAX))
        fields = embed.fields[:FIELDS_MAX]
        embed.clear_fields()
        for f in fields:
            embed.add_field(
                name=cut(f.name or "\u200b", FIELD_NAME_MAX),
                value=cut(f.value or "\u200b", FIELD_VALUE_MAX),
                inline=bool(f.inline),
            )
        out.append(embed)
    # The 6,000 total: drop fields from the end, then shorten descriptions, then drop embeds.
    while (total := total_chars(out)) > EMBED_TOTAL_MAX:
        excess = total - EMBED_TOTAL_MAX
        last = out[-1]
        if last.fields:
            last.remove_field(len(last.fields) - 1)
        elif last.description and len(last.description) > excess + 50:
            last.description = cut(last.description, len(last.description) - excess)
        elif len(out) > 1:
            out.pop()
        else:
            last.description = cut(last.description or "", max(1, len(last.description or "") - excess))
            if len(last) > EMBED_TOTAL_MAX:  # title/footer alone over budget: cannot happen after cuts
                last.set_footer(text=None)
    return out


def total_chars(embeds: Iterable[discord.Embed]) -> int:
    return sum(len(e) for e in embeds)


# -- answers ----------------------------------------------------------------------------------


Documents = Mapping[str, Document] | Iterable[Document]


def _by_source(documents: Documents) -> Mapping[str, Document]:
    """The documents by their citation source ("seeds/FILE")."""
    if isinstance(documents, Mapping):
        return documents
    return {d.source: d for d in documents}


def document_name(doc: Document, lang: str) -> str:
    """What a reader of `lang` sees for an article: its own title, else the curator's label in
    that language, else "Untitled article in French" (never another language's label)."""
    if doc.title:
        return doc.title
    label = doc.label_in(lang)
    if label:
        return label
    return t(
        "untitled",
        lang,
        language=t(f"lang.{doc.language}", lang) if doc.language in ("en", "fr") else doc.language,
    )


def safe_url(url: str | None) -> str | None:
    """A link target that cannot close a masked link early or open another one, or None."""
    return url if url and SAFE_URL.fullmatch(url) else None


def _citation_fields(
    citations: Sequence[Citation], lang: str, documents: Mapping[str, Document]
) -> list[tuple[str, str]]:
    """One field per source document (title · date), its quotes under it, then its link and file."""
    groups: dict[str, list[Citation]] = {}
    for c in citations:
        groups.setdefault(c.source, []).append(c)
    fields = []
    for source, cites in groups.items():
        first = cites[0]
        doc = documents.get(source)
        date = format_date(first.date, lang) if first.date else ""
        title = document_name(doc, lang) if doc else first.title
        name = f"📰 {escape(one_line(title))}" + (f" · {date}" if date else "")
        url = safe_url(doc.url) if doc else None
        link = f"🔗 {masked_link(t('read_article', lang), url)} · " if url else ""
        tail = f"\n{link}`{source}`"
        room = FIELD_VALUE_MAX - len(tail)
        quotes: list[str] = []
        for c in cites:
            line = f"> {cut(escape(one_line(c.quote)), QUOTE_MAX)}"
            if quotes and sum(len(q) + 1 for q in quotes) + len(line) > room:
                break
            quotes.append(cut(line, room))
        fields.append((cut(name, FIELD_NAME_MAX), "\n".join(quotes) + tail))
    return fields


def citation_pages(ans: Answer) -> int:
    """How many pages of CITATIONS_SHOWN quotes an answer's citations fill (at least one)."""
    return max(1, -(-len(ans.citations) // CITATIONS_SHOWN))


def answer_embeds(
    ans: Answer,
    *,
    title: str | None = None,
    documents: Documents = (),
    page: int | None = None,
) -> list[discord.Embed]:
    """An answer (or an honest "I don't know"), its citations as fields, in the answer's language.

    `documents` give each cited article its name in the reader's language and its link. With
    `page`, the citations shown are that page's (see citation_pages) and the footer says which
    page it is; without, the first ones, and the footer counts the quotes left out."""
    lang = ans.language
    heading = title if title is not None else ans.question
    embed = discord.Embed(
        title=cut("❓ " + escape(one_line(heading)), TITLE_MAX) if heading else None,
        colour=GREEN if ans.answered else GREY,
    )
    start = (page or 0) * CITATIONS_SHOWN
    shown = ans.citations[start : start + CITATIONS_SHOWN]
    for name, value in _citation_fields(shown, lang, _by_source(documents)):
        embed.add_field(name=name, value=cut(value, FIELD_VALUE_MAX), inline=False)
    # The answer gets what the citations leave of the 6,000 (footer included), at least ~1,500.
    room = EMBED_TOTAL_MAX - len(embed) - FOOTER_MAX // 8
    embed.description = cut(escape(ans.text), max(1500, min(DESCRIPTION_MAX, room)))
    footer: list[str] = []
    if ans.answered:
        n = len({c.source for c in ans.citations})  # articles, not quotes
        if n:
            footer.append(t("source_count", lang) if n == 1 else t("sources_count", lang, n=n))
        pages = citation_pages(ans)
        if page is not None and pages > 1:
            footer.append(t("page", lang, page=page + 1, pages=pages))
        elif page is None and len(ans.citations) > len(shown):
            footer.append(t("more_sources", lang, n=len(ans.citations) - len(shown)))
        footer.append(t("confidence", lang, pct=round(ans.confidence * 100)))
    else:
        footer.append(t("try_help", lang))
    embed.set_footer(text=" · ".join(footer))
    return fit([embed])


# -- transfers --------------------------------------------------------------------------------


def _move(who: str, src: str, dst: str) -> str:
    """ "Who: From → To", with "?" for an unknown destination."""
    if src or dst:
        return f"{who}: {src or '?'} → {dst or '?'}"
    return who


def transfers_embeds(
    transfers: Sequence[Transfer],
    names: dict[str, str],
    lang: str,
    company: str | None = None,
    documents: Documents = (),
) -> list[discord.Embed]:
    """Transfers, latest first: who, from → to, when, package, status, and a cited source each."""
    title = (
        t("transfers_company", lang, company=escape(one_line(company)))
        if company
        else t("transfers_title", lang)
    )
    embed = discord.Embed(title=cut(title, TITLE_MAX), colour=BLUE)
    if not transfers:
        embed.description = t("no_transfers", lang)
    shown = transfers[:FIELDS_MAX]
    docs = _by_source(documents)
    # Share the 6,000 characters so that every transfer asked for is shown, each with its source.
    budget = (EMBED_TOTAL_MAX - len(embed.title or "") - 50) // max(1, len(shown))
    name_max = min(FIELD_NAME_MAX, max(40, budget // 3))
    value_max = min(FIELD_VALUE_MAX, budget - name_max)
    for tr in shown:
        value = cut(_transfer_bits(tr, lang), value_max)
        if tr.citations:
            c = prefer_sentences(tr.citations)[0]
            source = f"\n📰 {_transfer_source(c, docs, lang)}: “"
            room = value_max - len(value) - len(source) - 1
            if room >= 20:
                value += source + cut(escape(one_line(c.quote)), min(300, room)) + "”"
        name = cut(_transfer_name(tr, names), name_max)
        embed.add_field(name=name or "?", value=value or "?", inline=False)
    return fit([embed])


def _transfer_name(tr: Transfer, names: Mapping[str, str]) -> str:
    """ "Who: From → To", escaped, on one line."""
    who, src, dst = (names.get(x or "", x or "") for x in (tr.who, tr.from_org, tr.to_org))
    return escape(one_line(_move(who, src, dst)))


def _transfer_bits(tr: Transfer, lang: str) -> str:
    """ "📅 July 2025 · 💰 package (according to …) · confirmed · 🔎 not yet reviewed", escaped."""
    bits = []
    when = format_date(tr.date, lang)
    if when:
        bits.append(f"📅 {when}")
    if tr.package:
        pkg = escape(one_line(tr.package.get(lang) or next(iter(tr.package.values()), "")))
        if tr.package_source:
            pkg += f" ({t('reported_by', lang, who=escape(one_line(tr.package_source)))})"
        bits.append(f"💰 {pkg}")
    bits.append(STATUS.get(tr.status, {}).get(lang, tr.status))
    if not getattr(tr, "reviewed", True):
        bits.append("🔎 " + t("not_reviewed", lang))
    return " · ".join(bits)


def _transfer_source(c: Citation, docs: Mapping[str, Document], lang: str) -> str:
    """ "*[Article title](<url>)*, October 2, 2025": the cited article, linked when it has a URL."""
    doc = docs.get(c.source)
    date = f", {format_date(c.date, lang)}" if c.date else ""
    name = cut(escape(one_line(document_name(doc, lang) if doc else c.title)), 80)
    url = safe_url(doc.url) if doc else None
    return f"*{masked_link(name, url) if url else name}*{date}"


def transfers_pages(
    transfers: Sequence[Transfer],
    names: dict[str, str],
    lang: str,
    per_page: int,
    company: str | None = None,
    documents: Documents = (),
) -> list[list[discord.Embed]]:
    """`transfers` over pages of `per_page` (at most 25, one field each), the footer of each
    saying which page it is and how many moves there are in all, when there is more than one."""
    per_page = max(1, min(FIELDS_MAX, per_page))
    chunks = [transfers[i : i + per_page] for i in range(0, len(transfers), per_page)] or [[]]
    pages = []
    for n, chunk in enumerate(chunks):
        embeds = transfers_embeds(chunk, names, lang, company=company, documents=documents)
        if len(chunks) > 1:
            page = t("page", lang, page=n + 1, pages=len(chunks))
            embeds[0].set_footer(text=f"{page} · {t('moves_count', lang, n=len(transfers))}")
        pages.append(embeds)
    return pages


# -- the news feed ----------------------------------------------------------------------------

ANNOUNCE_LISTED = 30  # moves listed in one announcement; more are counted (/transfers lists them)


def announce_messages(
    moves: Sequence[Transfer], names: Mapping[str, str], lang: str, documents: Documents = ()
) -> list[str]:
    """The news channel's post of a reload's new moves, in the order given (newest first): a
    heading, then one entry per move in /transfers' words (who: from → to, date, package, status,
    and the article it comes from), over as few messages of 2,000 characters as they need.
    Everything is escaped: nothing in it can ping, whatever an article says."""
    docs = _by_source(documents)
    entries = []
    for tr in moves[:ANNOUNCE_LISTED]:
        entry = f"• **{cut(_transfer_name(tr, names), 200)}** · {cut(_transfer_bits(tr, lang), 400)}"
        if tr.citations:
            entry += f"\n  📰 {_transfer_source(prefer_sentences(tr.citations)[0], docs, lang)}"
        entries.append(cut(entry, CONTENT_MAX // 2))
    if len(moves) > ANNOUNCE_LISTED:
        entries.append(t("announce.more", lang, n=len(moves) - ANNOUNCE_LISTED))
    messages: list[str] = []
    current = t("announce.title", lang, n=len(moves))
    for entry in entries:
        if len(current) + 1 + len(entry) > CONTENT_MAX:
            messages.append(current)
            current = entry
        else:
            current += "\n" + entry
    messages.append(current)
    return messages


def announce_line(announcement: Any, lang: str) -> str:
    """For the moderator who reloaded: "📣 3 new move(s) announced in #news.", or why not."""
    where = f"<#{announcement.channel_id}>" if announcement.channel_found else f"`{announcement.channel_id}`"
    if announcement.problem is None:
        return t("announce.done", lang, n=announcement.moves, channel=where)
    reason = t(f"announce.{announcement.problem}", lang)
    return t("announce.failed", lang, n=announcement.moves, channel=where, reason=reason)


# -- sources ----------------------------------------------------------------------------------


def _document_line(d: Document, lang: str) -> str:
    title = escape(one_line(document_name(d, lang)))
    if url := safe_url(d.url):
        title = masked_link(title, url)
    bits = [f"**{title}**"]
    if d.date:
        bits.append(format_date(d.date, lang))
    if d.publisher:
        bits.append(escape(d.publisher))
    bits.append(d.language)
    return "• " + " · ".join(bits) + f" · `{d.source}`"


def sources_embeds(documents: Sequence[Document], lang: str) -> list[discord.Embed]:
    """The documents the store is built from, over as many embeds as needed (within 6,000 in all)."""
    lines = [_document_line(d, lang) for d in documents]
    embeds: list[discord.Embed] = []
    page: list[str] = []
    size = 0
    for line in lines:
        line = cut(line, 1000)
        if page and size + len(line) + 1 > 1800:
            embeds.append(discord.Embed(description="\n".join(page), colour=BLUE))
            page, size = [], 0
        page.append(line)
        size += len(line) + 1
    if page or not embeds:
        embeds.append(discord.Embed(description="\n".join(page) or "—", colour=BLUE))
    embeds[0].title = t("sources_title", lang, n=len(documents))
    return fit(embeds)


# -- reload -----------------------------------------------------------------------------------


def _ids(ids: Sequence[str]) -> str:
    return cut(", ".join(f"`{i}`" for i in ids), FIELD_VALUE_MAX)


def reload_embeds(report: Any, lang: str, previous_version: str = "") -> list[discord.Embed]:
    """What a reload changed, or why it failed (first errors with file and line)."""
    if report.ok:
        embed = discord.Embed(
            title="✅ " + t("reload_ok", lang),
            description=t(
                "reload_summary",
                lang,
                added=len(report.added),
                removed=len(report.removed),
                changed=len(report.changed),
                documents=report.documents,
                facts=report.facts,
                seconds=report.seconds,
                version=getattr(report, "version", "") or "?",
            ),
            colour=GREEN,
        )
        announced = getattr(report, "announced", None)
        if announced is not None:
            embed.description = f"{embed.description}\n{announce_line(announced, lang)}"
        for key in ("added", "removed", "changed"):
            ids = getattr(report, key)
            if ids:
                embed.add_field(name=t(key, lang), value=_ids(ids), inline=False)
        return fit([embed])
    errors = [one_line(str(e)).replace("```", "'''") for e in report.errors]
    shown: list[str] = []
    size = 0
    for line in errors:
        line = cut(line, 400)
        if size + len(line) > 3400 or len(shown) >= 10:
            break
        shown.append(line)
        size += len(line) + 1
    body = "```\n" + "\n".join(shown) + "\n```"
    if len(errors) > len(shown):
        body += "\n" + t("more_errors", lang, n=len(errors) - len(shown))
    title = "⚠️ " + t("reload_failed", lang)
    if previous_version:
        title += f" ({previous_version})"
    embed = discord.Embed(title=title, description=body, colour=RED)
    embed.set_footer(text=t("reload_failed_hint", lang, n=len(errors)))
    return fit([embed])


# -- help -------------------------------------------------------------------------------------


def help_embeds(
    lang: str,
    stats: dict[str, int],
    question_channels: Iterable[int] = (),
    commands: Sequence[tuple[str, str]] = (),
) -> list[discord.Embed]:
    """What the bot knows and how to ask it, in the user's language; `commands` are (usage,
    description) pairs read from the command tree (see bot.exts.help)."""
    channels = sorted(question_channels)
    chan = t("help.channels", lang, list=", ".join(f"<#{c}>" for c in channels)) if channels else ""
    embed = discord.Embed(
        title=t("help.title", lang), description=t("help.intro", lang, **stats), colour=BLUE
    )
    listing = "\n".join(f"`{usage}`: {text}" for usage, text in commands)
    embed.add_field(name=t("help.commands_title", lang), value=listing or "—", inline=False)
    embed.add_field(name=t("help.free_title", lang), value=t("help.free", lang, channels=chan), inline=False)
    embed.add_field(name=t("help.examples_title", lang), value=t("help.examples", lang), inline=False)
    return fit([embed])
