"""Finding the entities a text names, by their names and aliases, as whole phrases.

One function serves both sides: the build records which entities each item's text mentions,
and retrieval finds the entities a question names. Matching whole token sequences (not loose
word sets) keeps "Open AI" from being found in any text that says "open" and "AI".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .models import Entity
from .text import tokens


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
        first_words = self.first_words
        if first_words.isdisjoint(words):  # most texts name no one: one set operation says so
            return found, used
        i = 0
        while i < len(words):
            if words[i] not in first_words:  # most words start no name: skip them cheaply
                i += 1
                continue
            for n in range(min(self.max_len, len(words) - i), 0, -1):
                ids = self.phrases.get(" ".join(words[i : i + n]))
                if ids:
                    found.extend(e for e in sorted(ids) if e not in found)
                    used.update(range(i, i + n))
                    i += n
                    break
            else:
                i += 1
        return found, used
