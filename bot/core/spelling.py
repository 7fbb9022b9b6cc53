"""Typos fixed before matching: against the store's own words (names up to two edits away,
since people misspell names worst) and against the everyday question words of both languages
("wehn", "hw much", "qaund"), but never turning one real word into another.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein, Indel, Levenshtein
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


def zipf(word: str) -> float:
    return max(zipf_frequency(word, "en"), zipf_frequency(word, "fr"))


class Speller:
    """Typo candidates found by rapidfuzz's C scan over the store's words and its name words.

    It used to keep symmetric-delete indexes (every word's one-letter deletions, two for names):
    about 420,000 dict entries at 100k items, some 30 MB resident, to save the 2-3 ms a scan
    costs on the rare question word that is neither known nor a real word."""

    def __init__(self, vocab: frozenset[str], names: frozenset[str]) -> None:
        self.vocab = vocab
        self.names = names
        self._words = sorted(w for w in vocab if len(w) >= MIN_WORD)
        self._names = sorted(w for w in names if len(w) >= MIN_SHORT_NAME)

    @property
    def tables(self) -> list[list[str]]:
        return [self._words, self._names]

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
        # One deletion on each side at most: an insertion, an omission, a substitution or a swap.
        candidates = {
            w
            for w, _, _ in process.extract(
                word, self._words, scorer=Indel.distance, score_cutoff=2, limit=None
            )
            if abs(len(w) - len(word)) <= 1
        }
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
        """Name words at most two edits from `word`; a short one only from a typo with one
        letter more ("Otta" for "Ota")."""
        found = set()
        for w, distance, _ in process.extract(
            word, self._names, scorer=Levenshtein.distance, score_cutoff=2, limit=None
        ):
            if len(w) >= MIN_NAME or distance == 0 or (distance == 1 and len(word) == len(w) + 1):
                found.add(w)
        return found
