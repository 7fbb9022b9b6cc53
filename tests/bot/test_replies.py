"""Formatting: every reply fits Discord's limits and user text cannot break the markdown or ping."""

from __future__ import annotations

import itertools
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


# -- citations as a reader sees them ------------------------------------------------------------

UNTITLED = Document(
    "000_a.txt",
    None,
    "fr",
    "2025-07",
    label={"en": "Untitled article on Ruoming Pang's arrival at Meta", "fr": "Article sans titre sur Pang"},
    url="https://example.com/pang",
)
FRENCH_ONLY = Document("001_b.txt", None, "fr", None, label="Article sans titre sur Meta")


def cited(*pairs: tuple[Document, str], lang: str = "en") -> Answer:
    cites = [Citation(d.source, d.display_title, d.date or "", q) for d, q in pairs]
    return Answer("q", True, lang, "An answer.", 0.8, citations=cites)  # type: ignore[arg-type]


def test_the_untitled_article_is_named_in_the_readers_language_never_by_another_languages_label() -> None:
    ans = cited((UNTITLED, "Une phrase."), (FRENCH_ONLY, "Une autre phrase."))
    en = payload(replies.answer_embeds(ans, documents=[UNTITLED, FRENCH_ONLY]))["embeds"][0]
    names = [f["name"] for f in en["fields"]]
    assert names[0].startswith("📰 Untitled article on Ruoming Pang's arrival at Meta")
    assert names[1] == "📰 Untitled article in French"
    assert "sans titre" not in str(en)
    ans.language = "fr"
    fr = payload(replies.answer_embeds(ans, documents=[UNTITLED, FRENCH_ONLY]))["embeds"][0]
    assert [f["name"] for f in fr["fields"]] == [
        "📰 Article sans titre sur Pang · juillet 2025",
        "📰 Article sans titre sur Meta",
    ]
    # /sources too.
    listing = payload(replies.sources_embeds([UNTITLED, FRENCH_ONLY], "en"))["embeds"][0]["description"]
    assert "Untitled article on Ruoming Pang" in listing and "Untitled article in French" in listing
    assert "sans titre" not in listing


def test_a_citation_links_its_article_when_the_url_is_known_and_safe() -> None:
    unsafe = Document("002_c.txt", "A title", "en", None, url="https://x.test/a)[b](https://evil.test")
    ans = cited((UNTITLED, "Une phrase."), (unsafe, "A sentence."))
    fields = payload(replies.answer_embeds(ans, documents=[UNTITLED, unsafe]))["embeds"][0]["fields"]
    assert "🔗 [Read the article](<https://example.com/pang>) · `seeds/000_a.txt`" in fields[0]["value"]
    assert "](" not in fields[1]["value"] and "evil" not in fields[1]["value"]
    ans.language = "fr"
    fields = payload(replies.answer_embeds(ans, documents=[UNTITLED]))["embeds"][0]["fields"]
    assert "[Lire l'article](<https://example.com/pang>)" in fields[0]["value"]


def test_footer_counts_articles_not_quotes() -> None:
    one_article = cited((UNTITLED, "Une phrase."), (UNTITLED, "Une autre phrase."))
    footer = payload(replies.answer_embeds(one_article))["embeds"][0]["footer"]["text"]
    assert footer.startswith("1 article · ") and "2 " not in footer
    two = cited((UNTITLED, "Une phrase."), (UNTITLED, "Deux."), (FRENCH_ONLY, "Trois."), lang="fr")
    assert payload(replies.answer_embeds(two))["embeds"][0]["footer"]["text"].startswith("2 articles · ")


def test_a_sentence_is_shown_before_a_table_row_saying_the_same() -> None:
    from bot.core.answer import is_table_row, prefer_sentences

    row = "Meta Platforms Ruoming Pang Chef de l'équipe foundation models chez Apple Plus de 200 M$ Juillet 2025"
    sentence = "Selon la presse, une enveloppe supérieure à 200 millions de dollars aurait été proposée."
    assert is_table_row(row)
    assert not is_table_row(sentence)
    assert not is_table_row(
        "Expérience chez Apple : quatre ans en tant que responsable des foundation models"
    )
    assert not is_table_row("Pourquoi les meilleurs chercheurs en IA quittent Apple les uns après les autres")
    cites = prefer_sentences([Citation("seeds/000_a.txt", "t", "", q) for q in (row, sentence)])
    assert [c.quote for c in cites] == [sentence, row]
    move = Transfer(
        "t", "p", "a", "b", "2025-07", "confirmed", {"en": "x", "fr": "x"}, citations=tuple(cites[::-1])
    )
    value = payload(replies.transfers_embeds([move], {"p": "Pang"}, "en"))["embeds"][0]["fields"][0]["value"]
    assert "Selon la presse" in value and "Meta Platforms" not in value


def test_pages_of_citations_and_of_transfers_say_which_page_they_are() -> None:
    ans = cited(*[(UNTITLED, f"Phrase {n}.") for n in range(7)])
    assert replies.citation_pages(ans) == 2
    first, second = (replies.answer_embeds(ans, page=n)[0].to_dict() for n in range(2))
    assert "page 1/2" in first["footer"]["text"] and "not shown" not in first["footer"]["text"]
    assert "Phrase 0." in first["fields"][0]["value"] and "Phrase 5." in second["fields"][0]["value"]
    assert "page 2/2" in second["footer"]["text"]
    moves = [
        Transfer(f"t{n}", f"p{n}", "a", "b", "2025-07", "confirmed", {"en": "x", "fr": "x"}) for n in range(5)
    ]
    pages = replies.transfers_pages(moves, {}, "fr", 2)
    assert len(pages) == 3 and [len(p[0].fields) for p in pages] == [2, 2, 1]
    assert pages[2][0].footer.text == "page 3/3 · 5 mouvements"
    assert len(replies.transfers_pages(moves, {}, "en", 10)) == 1


def test_a_declined_question_gives_its_cooldown_back_once_per_window() -> None:
    cd = Cooldown(30.0)
    assert cd.retry_after(1, now=0.0) == 0
    assert cd.refund(1, now=0.0)  # "I don't know": the rephrase is not refused
    assert cd.retry_after(1, now=1.0) == 0
    assert not cd.refund(1, now=1.0)  # a second decline in the window costs the cooldown
    assert cd.retry_after(1, now=2.0) > 0


@given(st.lists(nasty, min_size=1, max_size=40), st.sampled_from(["en", "fr"]))
def test_any_news_feed_post_fits_and_cannot_ping(words: list[str], lang: str) -> None:
    moves = [
        Transfer(
            id=f"t{n}",
            who=f"p{n}",
            from_org="a",
            to_org="b" if n % 2 else None,
            date="2025-07",
            status="joined",
            summary={"en": w, "fr": w},
            package={"en": w, "fr": w} if n % 3 else None,
            citations=(Citation("seeds/x.txt", w, "2025", w),),
            reviewed=False,
        )
        for n, w in enumerate(words)
    ]
    names = {f"p{n}": w[:300] or "x" for n, w in enumerate(words)} | {"a": "Apple", "b": "Meta"}
    docs = [Document("x.txt", words[0][:500] or None, "en", "2025-07", url="https://e.x/a")]
    messages = replies.announce_messages(moves, names, lang, docs)
    for text in messages:
        assert not message_problems({"content": text}), len(text)
        assert not re.search(r"(?<!\u200b)@(everyone|here)|<@[!&]?\d{17,20}>", text), text
    entries = sum(len(re.findall(r"(?m)^• \*\*", m)) for m in messages)
    assert entries == min(len(moves), replies.ANNOUNCE_LISTED)


def test_a_news_feed_post_is_one_message_until_discord_needs_more() -> None:
    def move(n: int) -> Transfer:
        cite = Citation("seeds/x.txt", "A rather long title for an article about the talent war", "2026", "q")
        return Transfer(
            f"t{n}",
            f"Person {n}",
            "Apple",
            "Meta",
            f"2026-01-{n % 28 + 1:02}",
            "joined",
            {},
            citations=(cite,),
        )

    one = replies.announce_messages([move(n) for n in range(5)], {}, "en")
    assert len(one) == 1 and one[0].startswith("📰 **5 new move(s)**")
    many = [move(n) for n in range(replies.ANNOUNCE_LISTED + 7)]
    split = replies.announce_messages(many, {}, "fr")
    assert len(split) > 1 and all(len(m) <= 2000 for m in split)
    assert all(f"• **Person {n}: Apple → Meta**" in "\n".join(split) for n in range(replies.ANNOUNCE_LISTED))
    assert split[-1].endswith("… et 7 de plus : voir /transfers")
    # As few messages as the 2,000 characters need: no two consecutive ones would fit in one.
    assert all(len(a) + 1 + len(b.split("\n")[0]) > 2000 for a, b in itertools.pairwise(split))
