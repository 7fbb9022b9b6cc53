"""Understand a question and find the store items that answer it, with a score.

Steps, each small and testable: fold the question into words, fix typos against the store's
own vocabulary, find the entities it names (exact alias, then one edit away), tell what kind
of answer it wants, then score candidate items from the inverted index. The score says how
much of the question an item covers; the caller decides whether that is enough to answer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .lexicon import INTENT_WORDS, INTENTS, STOPWORDS, content_terms, is_concept, term
from .store import Item, Store
from .text import clean, fold, tokens

MAX_QUESTION_CHARS = 2000
CANDIDATES = 150
COMMON_POSTING = 4000  # terms on more items than this only rescore, they do not generate candidates

_AUX_START = {"did", "does", "do", "is", "are", "will", "was", "were", "has", "have", "can", "could", "est", "a"}


@dataclass
class Query:
    """What retrieval understood of a question."""

    text: str
    words: list[str]
    entities: list[str]
    intents: set[str]
    terms: dict[str, float]  # matching key -> weight
    unknown: list[str] = field(default_factory=list)

    @property
    def content_weight(self) -> float:
        return sum(self.terms.values())


@dataclass
class Scored:
    item: Item
    score: float
    coverage: float
    entity_cover: float
    intent_fit: float


def _intents(folded: str, words: list[str]) -> set[str]:
    found = set()
    padded = f" {folded} "
    for intent, phrases in INTENTS.items():
        if intent == "yes_no":
            continue
        for phrase in phrases:
            if re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", padded):
                found.add(intent)
                break
    if words and (words[0] in _AUX_START or "-t-" in folded or folded.startswith("est-ce")):
        found.add("yes_no")
    if "how_much" in found:
        found.discard("how")
    if "what" in found and ("who" in found or "when" in found):
        found.discard("what")
    return found


def _find_entities(store: Store, words: list[str]) -> tuple[list[str], set[int]]:
    """Entities named in the question, longest alias first; positions of the words they use."""
    found: list[str] = []
    used: set[int] = set()
    i = 0
    while i < len(words):
        matched = False
        for n in range(min(store.alias_max_len, len(words) - i), 0, -1):
            key = " ".join(words[i : i + n])
            ids = store.alias_to_entities.get(key)
            if ids:
                for eid in sorted(ids):
                    if eid not in found:
                        found.append(eid)
                used.update(range(i, i + n))
                i += n
                matched = True
                break
        if not matched:
            i += 1
    return found, used


def analyse(store: Store, question: str) -> Query:
    """Turn a raw question into words, entities, intents and weighted content terms."""
    text = clean(question)[:MAX_QUESTION_CHARS]
    folded = fold(text)
    raw_words = tokens(text)
    words = []
    for w in raw_words:
        if w in store.vocab or w in STOPWORDS or w in INTENT_WORDS or len(w) < 4 or w.isdigit():
            words.append(w)
            continue
        fixed = store.correct(w)
        if fixed is None or (fixed not in store.alias_vocab and len(w) < 6):
            words.append(w)
        else:
            words.append(fixed)
    entities, used = _find_entities(store, words)
    intents = _intents(folded, raw_words)
    terms: Counter[str] = Counter()
    unknown = []
    for pos, w in enumerate(words):
        if pos in used or w in STOPWORDS or w in INTENT_WORDS:
            continue
        key = term(w)
        if is_concept(key):
            weight = 2.0
        elif key in store.idf:
            weight = store.idf[key]
        elif w in store.vocab:
            weight = store.max_idf * 0.5
        else:
            unknown.append(w)
            weight = store.max_idf
        terms[key] = max(terms[key], weight)
    return Query(text, words, entities, intents, dict(terms), unknown)


def _entity_terms(store: Store, eid: str) -> set[frozenset[str]]:
    ent = store.entities[eid]
    return {frozenset(content_terms(n)) for n in (ent.name, *ent.aliases)} - {frozenset()}


def _covers_entity(store: Store, item: Item, eid: str) -> bool:
    if eid in item.about:
        return True
    ent = store.entities[eid]
    if ent.parent and ent.parent in item.about and item.kind == "entity":
        return False
    return any(ts <= item.terms for ts in _entity_terms(store, eid))


def score_item(store: Store, query: Query, item: Item) -> Scored:
    """How well one item answers the query: term coverage, entity coverage, intent fit."""
    total = query.content_weight
    if total > 0:
        hit = sum(w for t, w in query.terms.items() if t in item.terms)
        key_hit = sum(w for t, w in query.terms.items() if t in item.key_terms)
        coverage = hit / total
        coverage = min(1.0, coverage + 0.15 * key_hit / total)
    else:
        coverage = 1.0
    if query.entities:
        covered = sum(1 for e in query.entities if _covers_entity(store, item, e))
        entity_cover = covered / len(query.entities)
    else:
        entity_cover = 1.0 if item.kind != "entity" else 0.5
    specific = query.intents - {"yes_no", "how", "what", "list"}
    if not query.intents:
        intent_fit = 0.6
    elif query.intents & item.answers:
        intent_fit = 1.0
    elif specific:
        intent_fit = 0.0
    else:
        intent_fit = 0.5
    score = 0.5 * coverage + 0.3 * entity_cover + 0.2 * intent_fit
    # Small preferences that break ties the way a reader expects.
    if item.kind == "passage":
        score -= 0.08
    elif item.kind == "entity":
        if total == 0 and len(query.entities) == 1 and item.id == query.entities[0]:
            score += 0.06
        elif total > 0:
            score -= 0.04
    elif item.kind == "transfer" and total == 0 and len(query.entities) > 1:
        score += 0.03
    return Scored(item, score, coverage, entity_cover, intent_fit)


def candidates(store: Store, query: Query) -> list[Item]:
    """Items sharing an entity or a distinctive term with the query, best first, bounded."""
    acc: Counter[int] = Counter()
    for eid in query.entities:
        for n in store.by_entity.get(eid, ()):
            acc[n] += 3.0
    rare = [t for t in query.terms if t in store.postings]
    usable = [t for t in rare if len(store.postings[t]) <= COMMON_POSTING] or sorted(
        rare, key=lambda t: len(store.postings[t])
    )[:1]
    for t in usable:
        w = query.terms[t]
        for n in store.postings[t]:
            acc[n] += w
    return [store.items[n] for n, _ in acc.most_common(CANDIDATES)]


def rank(store: Store, query: Query, limit: int = 5) -> list[Scored]:
    """The best-scoring items for a query, best first."""
    scored = [score_item(store, query, it) for it in candidates(store, query)]
    scored.sort(key=lambda s: (-s.score, s.item.kind == "passage", s.item.id))
    return scored[:limit]
