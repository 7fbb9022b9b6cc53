"""Who wrote an article: answered from its byline, for the article the question points at."""

from __future__ import annotations

import pytest

from bot.core.answer import answer
from bot.core.bylines import asks_author, byline_author
from bot.core.retrieve import analyse
from bot.core.store import Store

from .conftest import store_with_articles

OPINION = """Opinion: Equity cliffs will not keep your researchers

By Marta Oyelaran | The Harbor Review | March 3, 2026

Boards keep paying for arrivals and forgetting about the years after. Vesta Labs learned that the hard way.
"""

WIRE = """Vesta Labs hires a Google planner

Vesta Labs hired Jonas Albrecht from Google in February 2026, the company said on Tuesday.

(Reporting by Keiko Brandt in Berlin; editing by Sam Ferris)
"""

DESK = """Mercato : Vesta Labs ouvre un bureau à Lyon

Par la rédaction de La Gazette des Labos

Vesta Labs ouvre un bureau à Lyon, a indiqué l'entreprise.
"""

ENTRIES = [
    (
        "921_opinion.txt",
        OPINION,
        "Opinion: Equity cliffs will not keep your researchers",
        "en",
        "The Harbor Review",
    ),
    ("922_wire.txt", WIRE, "Vesta Labs hires a Google planner", "en", "Northline Wire"),
    ("923_desk.txt", DESK, "Mercato : Vesta Labs ouvre un bureau à Lyon", "fr", "La Gazette des Labos"),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    articles = {
        file: (text, {"title": title, "language": language, "date": "2026-03-03", "publisher": publisher})
        for file, text, title, language, publisher in ENTRIES
    }
    return store_with_articles(tmp_path_factory.mktemp("bylines"), articles)


@pytest.mark.parametrize(
    "question",
    [
        "Who wrote the Harbor Review op-ed about equity cliffs?",
        "Qui a écrit la tribune sur les equity cliffs ?",
    ],
)
def test_the_author_of_an_opinion_piece_is_its_byline(store: Store, question: str) -> None:
    ans = answer(store, question)
    assert ans.answered, ans.text
    assert ans.text.startswith("Marta Oyelaran"), ans.text
    assert ans.citations[0].quote.startswith("By Marta Oyelaran")


def test_a_reporting_credit_at_the_end_names_the_reporter(store: Store) -> None:
    ans = answer(store, "Which reporter wrote the story about Vesta Labs hiring Jonas Albrecht?")
    assert ans.answered, ans.text
    assert ans.text.startswith("Keiko Brandt"), ans.text  # not the editor, nor the hire


def test_a_newsroom_byline_names_no_author(store: Store) -> None:
    ans = answer(store, "Qui a écrit l'article de La Gazette des Labos sur le bureau de Lyon ?")
    assert not ans.answered, ans.text


def test_a_seed_without_a_byline_is_not_answered_with_something_else(store: Store) -> None:
    ans = answer(store, "who wrote the article about ruoming pang going to meta?")
    assert not ans.answered, ans.text


@pytest.mark.parametrize(
    "question",
    [
        "okonkwo a finalement signé chez helix ?",
        "pour quel montant de package l'auteur dit que la fidélité a ses limites ?",
        "What did Marwick write when she left?",
    ],
)
def test_signing_a_contract_or_asking_what_was_written_is_no_author_question(
    store: Store, question: str
) -> None:
    query = analyse(store, question)
    assert not asks_author(query.words, query.intents)


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("By Helen Achterberg | The Signal Review | October 21, 2025", "Helen Achterberg"),
        ("Tech Ledger | November 4, 2025 | By Rachel Imbert", "Rachel Imbert"),
        ("Par Claire Vautrin – publié le 10 septembre 2025", "Claire Vautrin"),
        ("By Monday, Meta had hired three more researchers.", None),
        ("Par ailleurs, Calanque recrute.", None),
    ],
)
def test_bylines_are_read_and_sentences_beginning_with_by_are_not(line: str, author: str | None) -> None:
    assert byline_author(line) == author
