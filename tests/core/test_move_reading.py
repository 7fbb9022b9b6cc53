"""Questions about a move read the way a reader means them, on a fictional article nobody
curated: which end of the move a company is, a misspelt surname, a year given as a bare number."""

from __future__ import annotations

import pytest

from bot.core.answer import answer
from bot.core.store import Store

from .test_moves_cli import add_article

ARTICLE = """Apple compiler chief Ada Rosen leaves for Mistral AI

PARIS, Oct 3, 2026 (Test Wire) - Ada Rosen, who ran the inference compiler group at Apple, has left \
the iPhone maker for Mistral AI, the company said on Friday. Rosen joined Apple in 2017 after a \
doctorate in Uppsala. She is the third senior engineer this year to leave Apple for a European \
start-up. Mistral AI said she would lead a team of about 30 engineers in Paris.
"""


@pytest.fixture
def store(project) -> Store:
    add_article(project, "zz_rosen.txt", ARTICLE, "Apple compiler chief Ada Rosen leaves", "2026-10-03")
    project.build()
    return project.open()


@pytest.mark.parametrize(
    "question",
    [
        "What year did Ada Rosen join Apple?",
        "what year did rosen move to apple",  # "move to": Apple is where she went, not what she left
        "What year did Ada Rose join Apple?",  # a surname misspelt into another real word
    ],
)
def test_the_year_she_joined_is_the_bare_year_not_the_year_she_left(store: Store, question: str) -> None:
    ans = answer(store, question)
    assert ans.answered, ans.text
    assert "2017" in ans.text.split(".")[0], ans.text
    assert "Rosen joined Apple in 2017" in ans.citations[0].quote


def test_a_french_reader_gets_the_year_in_french_before_the_english_quote(store: Store) -> None:
    ans = answer(store, "En quelle année Ada Rosen a-t-elle rejoint Apple ?")
    assert ans.answered, ans.text
    assert ans.text.startswith("2017"), ans.text
    assert not ans.text.lower().startswith("in 2017")


def test_a_misspelt_surname_is_not_a_stranger(store: Store) -> None:
    """Without the correction "Rose" is a name the store has never seen, and the bot declines."""
    ans = answer(store, "Where did Ada Rose go after Apple?")
    assert ans.answered, ans.text
    assert "Mistral" in ans.text
