"""Formatting: every reply fits Discord's limits and user text cannot break the markdown or ping."""

from __future__ import annotations

import logging
import re
from types import SimpleNamespace

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import replies
from bot.checks import Cooldown, locale_lang
from bot.core.knowledge import BuildError
from bot.core.models import Answer, Citation, Document, Transfer
from bot.logs import RedactingFormatter, fmt
from tests.fake_discord import message_problems

# Text that stresses escaping and cutting: markdown, mentions, backslashes, newlines, long words.
PIECES = list("ab *_~`|>#-\\\n@<&>:/.") + [
    "@everyone",
    "<@123456789012345678>",
    "<@&123456789012345678>",
    "```",
    "é",
    "🙂",
    "word ",
]
nasty = st.lists(st.sampled_from(PIECES), max_size=300).map(lambda parts: "".join(parts) * 5)


def payload(embeds: list[discord.Embed], content: str | None = None) -> dict:
    return {"content": content, "embeds": [e.to_dict() for e in embeds]}


citations = st.builds(
    Citation,
    source=st.just("seeds/000_a72eddb388f69db9.txt"),
    title=nasty,
    date=st.sampled_from(["", "2025", "2025-07", "2025-07-14"]),
    quote=nasty,
)
answers = st.builds(
    Answer,
    question=nasty,
    answered=st.booleans(),
    language=st.sampled_from(["en", "fr"]),
    text=nasty,
    confidence=st.floats(0, 1),
    citations=st.lists(citations, max_size=40),
)


@settings(max_examples=150, deadline=None)
@given(answers)
def test_any_answer_fits_every_limit(ans: Answer) -> None:
    embeds = replies.answer_embeds(ans)
    assert not message_problems(payload(embeds))


@settings(max_examples=60, deadline=None)
@given(st.lists(nasty, min_size=0, max_size=30), st.sampled_from(["en", "fr"]))
def test_any_transfers_list_fits(words: list[str], lang: str) -> None:
    moves = [
        Transfer(
            id=f"t{n}",
            who=f"p{n}",
            from_org="a",
            to_org="b" if n % 2 else None,
            date="2025-07",
            status="confirmed",
            summary={"en": w, "fr": w},
            package={"en": w, "fr": w},
            package_source=w[:50],
            citations=(Citation("seeds/x.txt", w, "2025", w),),
        )
        for n, w in enumerate(words)
    ]
    names = {f"p{n}": w[:300] or "x" for n, w in enumerate(words)} | {"a": "Apple", "b": "Meta"}
    embeds = replies.transfers_embeds(moves, names, lang, company=words[0] if words else None)
    assert not message_problems(payload(embeds))
    assert len(embeds[0].fields) == min(len(words), 25)


def test_many_sources_and_many_errors_fit() -> None:
    docs = [
        Document(f"{n:03}_{'x' * 40}.txt", "T" * 300, "fr", "2025-07", "P" * 80, "https://e.x/" + "a" * 200)
        for n in range(200)
    ]
    assert not message_problems(payload(replies.sources_embeds(docs, "en")))
    report = SimpleNamespace(
        ok=False, errors=[BuildError("knowledge/x.yaml", n, "bad ```" * 80) for n in range(1, 501)]
    )
    embeds = replies.reload_embeds(report, "fr", previous_version="abc")
    assert not message_problems(payload(embeds))
    assert "knowledge/x.yaml:1" in embeds[0].description and "de plus" in embeds[0].description


def test_reload_success_lists_changes() -> None:
    report = SimpleNamespace(
        ok=True,
        added=["a"] * 400,
        removed=["r"],
        changed=[],
        documents=2,
        facts=90,
        seconds=0.4,
        version="v1",
    )
    embeds = replies.reload_embeds(report, "en")
    assert not message_problems(payload(embeds))
    assert "400 added · 1 removed · 0 changed" in embeds[0].description


def test_help_mentions_question_channels_in_both_languages() -> None:
    stats = {"documents": 2, "facts": 80, "people": 4, "orgs": 10, "transfers": 4}
    listing = [("/ask question", "Ask a question.")]  # from the command tree in the bot
    en = replies.help_embeds("en", stats, [42], listing)[0]
    fr = replies.help_embeds("fr", stats, [], listing)[0]
    assert "<#42>" in en.fields[1].value and "/ask" in en.fields[0].value
    assert fr.fields[0].name == "Commandes"


@given(nasty, st.integers(1, 400))
def test_cut_respects_the_limit_and_ends_cleanly(text: str, limit: int) -> None:
    out = replies.cut(text, limit)
    assert len(out) <= limit
    if out != text:
        assert out.endswith("…")
        assert not out[:-1].endswith("\\")


def test_cut_prefers_a_word_boundary() -> None:
    assert replies.cut("The quick brown fox jumps over the lazy dog", 20) == "The quick brown fox…"


@given(nasty)
def test_escape_leaves_no_live_markdown_or_mentions(text: str) -> None:
    out = replies.escape(text)
    unescaped = re.sub(r"\\.", "", out)
    assert not re.search(r"[*_~`|]", unescaped)
    assert "@everyone" not in out and not re.search(r"<@&?\d+>", out)


def test_clean_question_drops_pings_and_names_users() -> None:
    text = "@everyone <@&9> hey <@!7> and <@8>, who is <#5> Pang? @here"
    assert replies.clean_question(text, {7: "Alice"}) == "hey Alice and , who is Pang?"


def test_locale_to_language() -> None:
    assert locale_lang(discord.Locale.french) == "fr"
    assert locale_lang("fr") == "fr"
    assert locale_lang(discord.Locale.american_english) == "en"
    assert locale_lang(discord.Locale.german) == "en"
    assert locale_lang(None) == "en"


def test_cooldown_is_per_user() -> None:
    cd = Cooldown(5)
    assert cd.retry_after(1, now=100.0) == 0
    assert cd.retry_after(1, now=102.0) == 3.0
    assert cd.retry_after(2, now=102.0) == 0
    assert cd.retry_after(1, now=105.5) == 0
    assert Cooldown(0).retry_after(1) == 0


def test_token_is_redacted_even_in_tracebacks() -> None:
    token = "MTIz.secret.token"
    formatter = RedactingFormatter("%(message)s", [token])
    try:
        raise ValueError(f"bad {token}")
    except ValueError as exc:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "using %s", (token,), (type(exc), exc, None)
        )
    text = formatter.format(record)
    assert token not in text and "[redacted]" in text


def test_structured_log_line() -> None:
    line = fmt("question", command="ask", answered=True, latency_ms=12.345, lang="fr", note="a b", skip=None)
    assert line == 'question command=ask answered=true latency_ms=12.3 lang=fr note="a b"'
