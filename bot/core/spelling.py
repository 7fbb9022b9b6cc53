"""Typos fixed before matching: against the store's own words (names up to two edits away,
since people misspell names worst) and against the everyday question words of both languages
("wehn", "hw much", "qaund"), but never turning one real word into another.
"""

from __future__ import annotations

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein, Levenshtein
from wordfreq import zipf_frequency

MIN_WORD = 4  # shorter store words are not corrected (too many neighbours)
MIN_NAME = 5  # name words get two edits from this length
MIN_SHORT_NAME = 3  # shorter name words are found only from a typo with one letter more
REAL_WORD_ZIPF = 2.6  # a word this frequent in English or French is a word, not a typo
COMMON_FIX_ZIPF = 4.0  # a short typo may become a store word only when that word is everyday
SHORT_TYPO_ZIPF = 3.6  # "hw" (3.2) is chat for "how"; "who" itself is far above
# Question words a two- to four-letter typo may stand for.
QUESTION_WORDS = frozenset(
    "how who what when where why much many which quand qui quoi combien pourquoi comment quel".split()
)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _add(index: dict[str, str | tuple[str, ...]], key: str, word: str) -> None:
    """index[key] gains `word`; a lone word is kept as a str (most keys have one)."""
    old = index.get(key)
    if old is None:
        index[key] = word
    elif isinstance(old, str):
        if old != word:
            index[key] = (old, word)
    elif word not in old:
        index[key] = (*old, word)


def zipf(word: str) -> float:
    return max(zipf_frequency(word, "en"), zipf_frequency(word, "fr"))


class Speller:
    """Symmetric-delete indexes over the store's vocabulary and its name words."""

    def __init__(self, vocab: frozenset[str], names: frozenset[str]) -> None:
        self.vocab = vocab
        self.names = names
        # Every known word and its one-letter deletions point back to the word.
        self.deletes: dict[str, str | tuple[str, ...]] = {}
        for w in vocab:
            if len(w) >= MIN_WORD:
                _add(self.deletes, w, w)
                for d in _deletes(w):
                    _add(self.deletes, d, w)
        self.name_deletes: dict[str, str | tuple[str, ...]] = {}
        for w in names:
            if MIN_SHORT_NAME <= len(w) < MIN_NAME:
                _add(self.name_deletes, w, w)  # "Otta" for "Ota": one letter too many
            if len(w) >= MIN_NAME:
                for d in _deletes(w):
                    _add(self.name_deletes, d, w)
                    for d2 in _deletes(d):
                        _add(self.name_deletes, d2, w)

    @property
    def tables(self) -> list[dict[str, str | tuple[str, ...]]]:
        return [self.deletes, self.name_deletes]

    def fix(self, word: str) -> str | None:
        """The word a typo stands for, or None when `word` is fine or nothing fits."""
        if word in self.vocab or word in QUESTION_WORDS:
            return None
        if len(word) <= 4:
            question = self._question_word(word)
            if question:
                return question
        if len(word) < MIN_WORD or zipf(word) >= REAL_WORD_ZIPF:
            return None
        fixed = self.correct(word)
        if fixed is None:
            return None
        if len(word) < 6 and fixed not in self.names and zipf(fixed) < COMMON_FIX_ZIPF:
            return None  # a short word one edit from a rare store word is more likely itself
        return fixed

    def _question_word(self, word: str) -> str | None:
        if zipf(word) >= SHORT_TYPO_ZIPF:
            return None
        close = [
            q
            for q in QUESTION_WORDS
            if DamerauLevenshtein.distance(word, q) == 1 and abs(len(q) - len(word)) <= 1
        ]
        return close[0] if len(close) == 1 else None

    def correct(self, word: str) -> str | None:
        """The known word a typo most likely stands for (one edit away), or None."""
        if word in self.vocab:
            return word
        if len(word) < MIN_WORD:
            return None
        candidates: set[str] = set()
        for d in (word, *_deletes(word)):
            hit = self.deletes.get(d)
            if hit:
                candidates.update((hit,) if isinstance(hit, str) else hit)
        if not candidates and len(word) >= MIN_SHORT_NAME + 1:
            candidates = self._close_names(word)
        if not candidates:
            return None
        # Prefer names (users misspell names most), then the closest spelling.
        return max(
            candidates,
            key=lambda c: (fuzz.ratio(word, c), c in self.names, -abs(len(c) - len(word)), c),
        )

    def _close_names(self, word: str) -> set[str]:
        """Name words at most two edits from `word`."""
        found: set[str] = set()
        firsts = _deletes(word)
        for key in {word, *firsts, *(d2 for d1 in firsts for d2 in _deletes(d1))}:
            hit = self.name_deletes.get(key)
            if hit:
                found.update((hit,) if isinstance(hit, str) else hit)
        return {w for w in found if Levenshtein.distance(word, w) <= (2 if len(w) >= MIN_NAME else 1)}
