"""Who wrote an article: its byline ("By Helen Achterberg | The Signal Review", "Par Claire
Vautrin – publié le…", "(Reporting by Ines Calloway in San Francisco; …)").

"Who wrote the Signal Review op-ed?" asks about an article, not about anything its sentences
say, so it is answered from the byline of the article the question points at: by its
publisher, the people and companies it is about, and the words of its title.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from .lexicon import AUTHOR_WORDS, SIGN_WORDS, SOURCE_NOUNS, term_keys
from .store import Item, Store
from .text import tokens

BYLINE_REACH = 6  # sentences from an article's start (or end, for reporting credits) a byline stands in
BYLINE_MAX_WORDS = 25  # a byline is a short line, not a sentence that happens to begin "By"
PUBLISHER_WEIGHT = 3.0  # the question names the article's publisher ("the Signal Review op-ed")
ENTITY_WEIGHT = 1.0  # per person or company the question names that the article speaks of

WHICH_WORDS = frozenset("which quel quelle".split())
_NAME = r"[A-ZÀ-Ý][\w'’.-]+(?:\s+[A-ZÀ-Ý][\w'’.-]+){1,3}"
_BYLINE = re.compile(
    rf"(?:^|\|\s*|\(|;\s*)(?:[Bb]y|Par|[Rr]eporting by|[Ww]ritten by|[Tt]exte de)\s+(?P<name>{_NAME})"
)


@dataclass(frozen=True)
class Byline:
    """An article's author as its byline gives them, and the byline sentence (the citation)."""

    author: str
    item: Item


def byline_author(sentence: str) -> str | None:
    """The author a byline sentence names ("By Helen Achterberg | The Signal Review | …"), or None
    ("Par la rédaction du Journal des Algorithmes" names no one)."""
    if len(sentence.split()) > BYLINE_MAX_WORDS:
        return None
    m = _BYLINE.search(sentence)
    return m.group("name").strip() if m else None


def asks_author(words: list[str], intents: set[str]) -> bool:
    """ "Who wrote the op-ed?", "qui signe la tribune ?", "which reporter broke the story" ("pour
    quel montant l'auteur dit-il…" asks a sum, "qui a signé chez Helix" a hire)."""
    present = set(words)
    if AUTHOR_WORDS.isdisjoint(present) and (
        SIGN_WORDS.isdisjoint(present) or SOURCE_NOUNS.isdisjoint(present)
    ):
        return False
    return "who" in intents or any(
        w in WHICH_WORDS and after in AUTHOR_WORDS for w, after in zip(words, words[1:], strict=False)
    )


@dataclass(frozen=True)
class _Articles:
    """What choosing an article needs, by document index: read once per store snapshot, not once
    per question (each needs a pass over every passage)."""

    bylines: dict[int, Byline]
    mentioned: dict[int, frozenset[str]]  # the people and companies its sentences name
    title_keys: list[frozenset[str]]  # the matching keys of its title and publisher


_ARTICLES: weakref.WeakKeyDictionary[Store, _Articles] = weakref.WeakKeyDictionary()


def _bylines(store: Store) -> dict[int, Byline]:
    """Each article's byline, by document index."""
    p = store.items.passages
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for k in range(p.count):
        first.setdefault(p.doc[k], k)
        last[p.doc[k]] = k
    found: dict[int, Byline] = {}
    for doc, start in first.items():
        end = last[doc]
        near = [
            *range(start, min(end + 1, start + BYLINE_REACH)),
            *range(max(start, end - BYLINE_REACH + 1), end + 1),
        ]
        for k in dict.fromkeys(near):
            author = byline_author(p.sentences[k])
            if author:
                found[doc] = Byline(author, p.item(k))
                break
    return found


def _articles(store: Store) -> _Articles:
    cached = _ARTICLES.get(store)
    if cached is None:
        p = store.items.passages
        mentioned: dict[int, set[str]] = {}
        for k, ids in p.mentions.items():
            mentioned.setdefault(p.doc[k], set()).update(ids)
        cached = _Articles(
            _bylines(store),
            {doc: frozenset(ids) for doc, ids in mentioned.items()},
            [
                frozenset(
                    k for w in tokens(" ".join(filter(None, (d.title, d.publisher)))) for k in term_keys(w)
                )
                for d in p.documents
            ],
        )
        _ARTICLES[store] = cached
    return cached


def author_of(store: Store, words: list[str], keys: set[str]) -> Byline | None:
    """The byline of the one article the question points at, or None when that article has none
    or no article stands out (two equally likely articles are not guessed between)."""
    articles = _articles(store)
    if not articles.bylines:
        return None
    entities = set(store.aliases.find(words)[0])  # "l'article sur Okonkwo" names its subject too
    scores = []
    for doc, title_keys in enumerate(
        articles.title_keys
    ):  # an article with no byline may be the one asked about
        publishers = store.publishers[doc]
        score = sum(store.idf.get(k, 0.0) for k in keys & title_keys)
        score += PUBLISHER_WEIGHT * len(publishers & entities)
        score += ENTITY_WEIGHT * len((entities - publishers) & articles.mentioned.get(doc, frozenset()))
        scores.append((score, doc))
    scores.sort(key=lambda s: -s[0])
    best, doc = scores[0]
    if best <= 0 or (len(scores) > 1 and scores[1][0] >= best):
        return None
    return articles.bylines.get(doc)
