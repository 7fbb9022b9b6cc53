"""A new article answers before anyone curates it: its sentences are indexed as passages."""

from __future__ import annotations

import shutil

import pytest

from bot.config import PROJECT_ROOT
from bot.core.answer import answer
from bot.core.build import build_store
from bot.core.store import Store

ARTICLE = """Google DeepMind loses a key researcher to OpenAI

In March 2026, OpenAI hired Jane Doerr, a principal scientist who led the Gemini reasoning team at \
Google DeepMind. According to people familiar with the matter, her package is worth about 75 million \
dollars over four years. Doerr will lead a new reasoning research group. Google declined to comment \
on her departure.
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    root = tmp_path_factory.mktemp("uncurated")
    shutil.copytree(PROJECT_ROOT / "seeds", root / "seeds")
    shutil.copytree(PROJECT_ROOT / "knowledge", root / "knowledge")
    # Not described in documents.yaml and not curated: only its text is known.
    (root / "seeds" / "900_new_article.txt").write_text(ARTICLE, encoding="utf-8")
    build_store(root / "seeds", root / "knowledge", root / "store.sqlite")
    return Store.open(root / "store.sqlite")


def test_undescribed_article_gets_its_language_from_its_text(store: Store) -> None:
    doc = next(d for d in store.documents if d.file == "900_new_article.txt")
    assert doc.language == "en"
    assert doc.title is None and doc.date is None  # nothing invented


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who did OpenAI hire from Google DeepMind?", "Jane Doerr"),
        ("How much is Jane Doerr paid?", "75 million"),
        ("What did Google say about Doerr leaving?", "declined to comment"),
        ("Combien touche Jane Doerr ?", "75 million"),
    ],
)
def test_a_sentence_of_the_new_article_answers(store: Store, question: str, expected: str) -> None:
    ans = answer(store, question)
    assert ans.answered, ans.text
    assert expected in ans.citations[0].quote
    assert ans.citations[0].source == "seeds/900_new_article.txt"
    assert ans.citations[0].quote in ARTICLE
    assert ans.confidence < 0.9  # an uncurated passage is never presented as a curated fact


def test_french_asker_is_told_the_quote_is_in_english(store: Store) -> None:
    ans = answer(store, "Combien touche Jane Doerr ?")
    assert ans.language == "fr"
    assert "en anglais" in ans.text


def test_unrelated_question_still_declined(store: Store) -> None:
    assert not answer(store, "What is Jane Doerr's favourite food?").answered
    assert not answer(store, "How much does Microsoft pay Jane Doerr?").answered


def test_curated_facts_still_win(store: Store) -> None:
    ans = answer(store, "What was Ruoming Pang's package at Meta?")
    assert ans.answered and "200" in ans.text
