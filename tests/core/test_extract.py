"""Moves read from an uncurated article: one test per status, dates resolved against the
article's date, surname-only mentions and variant spellings linked, hypotheticals ignored.
The articles are fictional (people and companies invented for the tests)."""

from __future__ import annotations

import pytest

from bot.core.extract import extract_article, resolve_date, same_person

DATE = "2026-03-03"
ARTICLE = """\
Quillon Labs hires Orla Brennagh from Vantablue Systems as head of research

By Casey Lund | Synthetic Times | March 3, 2026

Orla Brennagh, a principal scientist at Vantablue Systems, joined Quillon Labs as head of research on Monday, March 2, the company said.

Brennagh's package is worth $12 million over three years, according to a person familiar with the terms.

Piet Vandermolen, a research engineer at Quillon Labs, is set to join Vantablue Systems in April as a staff engineer, according to two people familiar with his plans.

Ilse Maartens, who leads inference at Vantablue Systems, is in talks to join Quillon Labs, two people said.

Teodor Lasko has returned to Vantablue Systems as chief scientist, a year after he left the company for Quillon Labs.

Yara Okafor, a researcher at Quillon Labs, turned down an offer from Vantablue Systems worth $20 million, she said.

Benedikt Sauer left Vantablue Systems last week, the company said.

Marit Holm, a director at Vantablue Systems, is considering an offer from Quillon Labs, a person familiar with the matter said.

Gerrit Olsen would have joined Quillon Labs had the deal closed.
"""


@pytest.fixture(scope="module")
def moves():
    found = extract_article("t.txt", ARTICLE, DATE)
    return {r.who: r for r in found.reports}


@pytest.mark.parametrize(
    ("who", "src", "dst", "status", "date"),
    [
        ("Orla Brennagh", "Vantablue Systems", "Quillon Labs", "joined", "2026-03-02"),
        ("Piet Vandermolen", "Quillon Labs", "Vantablue Systems", "set_to_join", "2026-04"),
        ("Ilse Maartens", "Vantablue Systems", "Quillon Labs", "in_talks", None),
        ("Teodor Lasko", "Quillon Labs", "Vantablue Systems", "returned", None),
        ("Yara Okafor", "Quillon Labs", "Vantablue Systems", "turned_down", None),
        ("Benedikt Sauer", "Vantablue Systems", None, "left", "2026-02"),
        ("Marit Holm", "Vantablue Systems", "Quillon Labs", "considering", None),
    ],
)
def test_each_status(moves, who, src, dst, status, date) -> None:
    r = moves[who]
    assert (r.from_org, r.to_org, r.status, r.date) == (src, dst, status, date)
    assert r.quote in ARTICLE, "the quote is the article's own sentence"


def test_package_role_and_surname_only_sentence(moves) -> None:
    r = moves["Orla Brennagh"]
    assert r.package == "$12 million over three years", "from the surname-only sentence after it"
    assert r.role_after == "head of research" and r.role_before == "principal scientist"
    assert moves["Yara Okafor"].package == "$20 million"


def test_a_hypothetical_move_is_not_a_move(moves) -> None:
    assert "Gerrit Olsen" not in moves


def test_french_article() -> None:
    text = (
        "Mercato fictif\n\nQuillon Labs a annoncé la semaine dernière l'arrivée de Ségolène Arnaud au "
        "poste de directrice de la recherche. Cette chercheuse a passé cinq ans chez Vantablue Systems, "
        "à Paris.\n\nMathis Berthier, ingénieur chez Vantablue Systems, rejoindra Quillon Labs en mai 2026.\n"
        "\nLilou Garnier, chercheuse chez Quillon Labs, a refusé une offre de Vantablue Systems estimée à "
        "9 millions de dollars.\n"
    )
    found = {r.who: r for r in extract_article("f.txt", text, "2026-03-12", language="fr").reports}
    arnaud = found["Ségolène Arnaud"]
    assert (arnaud.from_org, arnaud.to_org, arnaud.status, arnaud.date) == (
        "Vantablue Systems",
        "Quillon Labs",
        "joined",
        "2026-03",
    )
    assert (found["Mathis Berthier"].status, found["Mathis Berthier"].date) == ("set_to_join", "2026-05")
    refus = found["Lilou Garnier"]
    assert (refus.status, refus.to_org, refus.package) == (
        "turned_down",
        "Vantablue Systems",
        "9 millions de dollars",
    )


def test_dates_resolve_against_the_article_date() -> None:
    assert resolve_date("on Monday, Sept. 29, ending", "2025-10-02") == "2025-09-29"
    assert resolve_date("last week", "2025-09-10") == "2025-09"
    assert resolve_date("last month as head", "2025-11-04") == "2025-10"
    assert resolve_date("en janvier 2026", None) == "2026-01"
    assert resolve_date("in September", None) is None, "no year to place it in"


def test_variant_spellings_are_one_person() -> None:
    assert same_person("Yevgeny Sorokin", "Evgeny Sorokin")
    assert not same_person("Anna Sorokin", "Evgeny Sorokin")


def _find_orgs_every_spelling(text, known, own):
    """The organisation search as first written: every spelling in turn, longest first."""
    import re

    from bot.core.extract import KNOWN_ORGS

    pairs = [(s, canon) for canon, spellings in {**KNOWN_ORGS, **known, **own}.items() for s in spellings]
    taken = []
    for spelling, canon in sorted(pairs, key=lambda p: -len(p[0])):
        for m in re.finditer(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", text):
            if not any(s < m.end() and m.start() < e for s, e, _ in taken):
                taken.append((m.start(), m.end(), canon))
    words = {w for s, _c in pairs for w in s.split()}
    return sorted(taken), words


def test_indexed_organisation_search_finds_what_searching_every_spelling_does():
    """Spellings looked up by their first word, the build's organisations indexed once and an
    article's own laid over them: the same matches, in the same order, and the same name words."""
    import random

    from bot.core.extract import KnownOrgs, find_orgs

    rng = random.Random(7)
    pieces = [
        "A",
        "b",
        "é",
        "É",
        " ",
        "-",
        "'",
        "’",
        ".",
        "(",
        "AI",
        "Lab",
        " Lab",
        "x-",
        "Meta",
        "Google",
        "DeepMind",
    ]
    canons = ["Meta", "Google", "Google DeepMind", "OpenAI", "c1", "c2", "c3"]

    def bit(n: int) -> str:
        return "".join(rng.choice(pieces) for _ in range(rng.randint(0, n)))

    for _ in range(3000):
        known = {
            rng.choice(canons): tuple(bit(4) for _ in range(rng.randint(0, 3)))
            for _ in range(rng.randint(0, 5))
        }
        own = {
            rng.choice(canons): tuple(bit(4) for _ in range(rng.randint(0, 3)))
            for _ in range(rng.randint(0, 3))
        }
        text = bit(25)
        expected, words = _find_orgs_every_spelling(text, known, own)
        spellings = KnownOrgs(known).spellings(own)
        assert find_orgs(text, spellings) == expected, (text, known, own)
        for w in words | set(text.split()):
            assert (w in spellings) == (w in words), (w, known, own)
