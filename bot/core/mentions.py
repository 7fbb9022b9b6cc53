"""Finding the entities a text names, by their names and aliases, as whole phrases.

One function serves both sides: the build records which entities each item's text mentions,
and retrieval finds the entities a question names. Matching whole token sequences (not loose
word sets) keeps "Open AI" from being found in any text that says "open" and "AI".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property

from rapidfuzz.distance import Levenshtein

from .models import Entity
from .text import tokens

# A name word misspelt into another real word ("Priya Ramen", "Lena Fisher") is corrected only
# after a first name that matches exactly, and only this close.
NAME_WORD_EDITS = 1
LONG_NAME_WORD = 7  # from this length, two edits


class AliasIndex:
    """Folded names and aliases → entity ids, longest phrase first."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        index: dict[str, set[str]] = defaultdict(set)
        for ent in entities:
            for alias in (ent.name, *ent.aliases):
                key = " ".join(tokens(alias))
                if key:
                    index[key].add(ent.id)
        self.phrases = dict(index)
        self.max_len = max((len(k.split()) for k in self.phrases), default=1)
        self.words = frozenset(w for key in self.phrases for w in key.split())
        self.first_words = frozenset(key.split()[0] for key in self.phrases)

    def find(self, words: list[str]) -> tuple[list[str], set[int]]:
        """Entity ids named in `words` (folded tokens) in order of appearance, and the positions
        of the words that name them."""
        found: list[str] = []
        used: set[int] = set()
        for start, end, ids in self.spans(words):
            found.extend(e for e in ids if e not in found)
            used.update(range(start, end))
        return found, used

    def spans(self, words: list[str]) -> list[tuple[int, int, list[str]]]:
        """Each name in `words`, longest phrase first: (start, end, its entity ids)."""
        out: list[tuple[int, int, list[str]]] = []
        first_words = self.first_words
        if first_words.isdisjoint(words):  # most texts name no one: one set operation says so
            return out
        i = 0
        while i < len(words):
            if words[i] not in first_words:  # most words start no name: skip them cheaply
                i += 1
                continue
            for n in range(min(self.max_len, len(words) - i), 0, -1):
                ids = self.phrases.get(" ".join(words[i : i + n]))
                if ids:
                    out.append((i, i + n, sorted(ids)))
                    i += n
                    break
            else:
                i += 1
        return out

    @cached_property
    def _by_first(self) -> dict[str, list[list[str]]]:
        by_first: dict[str, list[list[str]]] = defaultdict(list)
        for key in self.phrases:
            parts = key.split()
            if len(parts) > 1:
                by_first[parts[0]].append(parts)
        return dict(by_first)

    def fix_names(self, words: list[str]) -> list[str]:
        """`words` with a misspelt name completed from its exact first word: "priya ramen" is
        "priya raman" when the store knows Priya Raman, though "ramen" is a real word the
        speller rightly leaves alone. Only a single close spelling is taken."""
        out = list(words)
        for i, w in enumerate(words[:-1]):
            phrases = self._by_first.get(w)
            if not phrases:
                continue
            fits = set()
            for parts in phrases:
                rest = words[i + 1 : i + len(parts)]
                if len(rest) != len(parts) - 1 or rest == parts[1:]:
                    continue
                if all(
                    Levenshtein.distance(a, b) <= (NAME_WORD_EDITS + (len(b) >= LONG_NAME_WORD))
                    and a[:1] == b[:1]
                    for a, b in zip(rest, parts[1:], strict=True)
                ):
                    fits.add(tuple(parts[1:]))
            if len(fits) == 1:
                out[i + 1 : i + len(next(iter(fits))) + 1] = next(iter(fits))
        return out
