"""Typos a user makes, fixed against the store's own words and names; real words left alone."""

from __future__ import annotations

import pytest

from bot.core.spelling import Speller

VOCAB = frozenset("recruitment recrutement salaire salaires anthropic zuckerberg meta ota demand".split())
NAMES = frozenset("zuckerberg anthropic ota".split())


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller(VOCAB, NAMES)


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("recrutment", "recrutement"),  # a letter left out
        ("salairre", "salaire"),  # a letter too many
        ("anthropik", "anthropic"),  # one letter wrong
        ("zukcerberg", "zuckerberg"),  # two letters swapped
        ("zukerbrg", "zuckerberg"),  # a name, two letters left out
        ("otta", "ota"),  # a short name, one letter too many
    ],
)
def test_a_typo_becomes_the_word_meant(speller: Speller, typo: str, meant: str) -> None:
    assert speller.fix(typo) == meant


@pytest.mark.parametrize("word", ["demande", "salary", "xyzzyq"])
def test_a_real_word_or_a_stranger_is_left_alone(speller: Speller, word: str) -> None:
    assert speller.fix(word) is None
