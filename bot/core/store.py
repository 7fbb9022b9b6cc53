"""A read-only, in-memory snapshot of a built store, with the indexes retrieval needs.

The SQLite file is read once and closed: answering never touches the disk, so one snapshot
answers consistently while a reload builds the next one, and swapping is one assignment.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import Levenshtein

from .lexicon import content_terms
from .mentions import AliasIndex
from .models import Citation, Document, Entity, Transfer
from .text import fold, tokens


class StoreError(Exception):
    """The store file is missing, corrupt or from another format."""


@dataclass(frozen=True, slots=True)
class Item:
    """One retrievable thing: a curated fact, a transfer, an entity profile or a seed sentence."""

    id: str
    kind: str
    topic: dict[str, str]
    about: tuple[str, ...]
    answers: frozenset[str]
    text: dict[str, str]
    citations: tuple[Citation, ...]
    terms: frozenset[str]
    key_terms: frozenset[str]
    topic_terms: frozenset[str]
    mentions: frozenset[str]  # entities its text names, besides those it is about
    digest: str


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Store:
    """Everything the answering code reads, indexed for constant-ish time lookups."""

    def __init__(
        self,
        version: str,
        fingerprint: str,
        documents: list[Document],
        entities: dict[str, Entity],
        entity_citations: dict[str, tuple[Citation, ...]],
        transfers: list[Transfer],
        items: list[Item],
    ) -> None:
        self.version = version
        self.fingerprint = fingerprint
        self.documents = documents
        self.entities = entities
        self.entity_citations = entity_citations
        self.transfers = sorted(transfers, key=lambda t: t.date or "", reverse=True)
        self.transfers_by_id = {t.id: t for t in self.transfers}
        self.items = items
        self.items_by_id = {it.id: it for it in items}
        self.fact_ids = frozenset(it.id for it in items if it.kind != "passage")
        self.fact_digests = {it.id: it.digest for it in items if it.kind != "passage"}
        self._index()

    # -- loading -----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Store:
        """Read a built store into memory; StoreError if it is missing or unreadable."""
        if not path.is_file():
            raise StoreError(f"no store at {path}")
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                return cls._read(db)
            finally:
                db.close()
        except (sqlite3.Error, ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"store {path} is unreadable: {exc}") from exc

    @classmethod
    def _read(cls, db: sqlite3.Connection) -> Store:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        documents = [
            Document(*row)
            for row in db.execute("SELECT file, title, language, date, publisher, url, label FROM documents")
        ]
        entities: dict[str, Entity] = {}
        entity_citations: dict[str, tuple[Citation, ...]] = {}
        for eid, kind, name, aliases, summary, parent, cites in db.execute("SELECT * FROM entities"):
            entities[eid] = Entity(eid, kind, name, tuple(json.loads(aliases)), json.loads(summary), parent)
            entity_citations[eid] = tuple(Citation(**c) for c in json.loads(cites))
        transfers = []
        for (record,) in db.execute("SELECT record FROM transfers"):
            data = json.loads(record)
            data["citations"] = tuple(Citation(**c) for c in data["citations"])
            transfers.append(Transfer(**data))
        items = []
        cite_cache: dict[str, tuple[Citation, ...]] = {}
        for row in db.execute(
            "SELECT id, kind, topic, about, answers, text, citations, terms, key_terms, topic_terms, mentions, digest"
            " FROM items"
        ):
            iid, kind, topic, about, answers, text, cites, terms, key_terms, topic_terms, mentions, digest = (
                row
            )
            citations = cite_cache.get(cites)
            if citations is None:
                citations = tuple(Citation(**c) for c in json.loads(cites))
            items.append(
                Item(
                    iid,
                    kind,
                    json.loads(topic),
                    tuple(json.loads(about)),
                    frozenset(json.loads(answers)),
                    json.loads(text),
                    citations,
                    frozenset(terms.split()),
                    frozenset(key_terms.split()),
                    frozenset(topic_terms.split()),
                    frozenset(json.loads(mentions)),
                    digest,
                )
            )
        return cls(
            meta["version"],
            meta.get("fingerprint", ""),
            documents,
            entities,
            entity_citations,
            transfers,
            items,
        )

    # -- indexes -----------------------------------------------------------------------------

    def _index(self) -> None:
        postings: dict[str, list[int]] = defaultdict(list)
        by_entity: dict[str, list[int]] = defaultdict(list)
        for n, it in enumerate(self.items):
            for t in it.terms:
                postings[t].append(n)
            for e in it.about:
                by_entity[e].append(n)
        self.postings = dict(postings)
        self.by_entity = dict(by_entity)
        total = max(len(self.items), 1)
        self.idf = {t: math.log(1 + total / len(p)) for t, p in self.postings.items()}
        self.max_idf = math.log(1 + total)

        self.aliases = AliasIndex(self.entities.values())
        # Each entity's names as sets of matching keys, to see whether an item's text names it.
        self.entity_keys: dict[str, tuple[frozenset[str], ...]] = {
            ent.id: tuple({frozenset(content_terms(n)) for n in (ent.name, *ent.aliases)} - {frozenset()})
            for ent in self.entities.values()
        }

        # Vocabulary of every folded word the store knows, with a delete-1 index for typos.
        vocab: set[str] = set()
        for it in self.items:
            for txt in it.text.values():
                vocab.update(tokens(txt))
            for kw in it.topic.values():
                vocab.update(tokens(kw))
        vocab.update(self.aliases.words)
        self.vocab = frozenset(vocab)
        self.alias_vocab = self.aliases.words
        deletes: dict[str, set[str]] = defaultdict(set)
        for w in vocab:
            if len(w) >= 4:
                for d in _deletes(w):
                    deletes[d].add(w)
                deletes[w].add(w)
        self.deletes = dict(deletes)
        # Names are misspelt worse than words ("roumng" for "ruoming"): two edits for them.
        name_deletes: dict[str, set[str]] = defaultdict(set)
        for w in self.alias_vocab:
            if len(w) >= 5:
                for d in _deletes(w):
                    name_deletes[d].add(w)
                    for d2 in _deletes(d):
                        name_deletes[d2].add(w)
        self.name_deletes = dict(name_deletes)
        self._names = [(ent.id, name) for ent in self.entities.values() for name in (ent.name, *ent.aliases)]
        self._folded_names = [utils.default_process(fold(n)) for _, n in self._names]

    # -- lookups -----------------------------------------------------------------------------

    def correct(self, word: str) -> str | None:
        """The known word a typo most likely stands for (one edit away), or None."""
        if word in self.vocab:
            return word
        if len(word) < 4:
            return None
        candidates: set[str] = set(self.deletes.get(word, ()))
        for d in _deletes(word):
            candidates.update(self.deletes.get(d, ()))
        if not candidates and len(word) >= 5:
            candidates = self._close_names(word)
        if not candidates:
            return None
        # Prefer names (users misspell names most), then the closest spelling.
        return max(
            candidates,
            key=lambda c: (fuzz.ratio(word, c), c in self.alias_vocab, -abs(len(c) - len(word)), c),
        )

    def _close_names(self, word: str) -> set[str]:
        """Name words at most two edits from `word`."""
        found: set[str] = set(self.name_deletes.get(word, ()))
        for d in _deletes(word):
            found.update(self.name_deletes.get(d, ()))
            for d2 in _deletes(d):
                found.update(self.name_deletes.get(d2, ()))
        return {w for w in found if Levenshtein.distance(word, w) <= 2}

    def entity_name(self, entity_id: str | None) -> str:
        if entity_id is None:
            return ""
        ent = self.entities.get(entity_id)
        return ent.name if ent else entity_id

    def search_names(self, text: str, limit: int = 25) -> list[Entity]:
        """Autocomplete: exact and prefix matches first, then the fuzzy best, each entity once."""
        query = utils.default_process(fold(text or ""))
        if limit <= 0:
            return []
        limit = min(limit, 25)
        if not query:
            ranked = sorted(self.entities.values(), key=lambda e: (not e.is_person, e.name.lower()))
            return ranked[:limit]
        scored: dict[str, float] = {}
        for (eid, _name), folded in zip(self._names, self._folded_names, strict=True):
            if folded == query:
                score = 300.0
            elif folded.startswith(query) or any(w.startswith(query) for w in folded.split()):
                score = 200.0 + fuzz.ratio(query, folded) / 100
            else:
                continue
            scored[eid] = max(scored.get(eid, 0.0), score)
        for _name, score, idx in process.extract(
            query, self._folded_names, scorer=fuzz.WRatio, limit=limit * 2, score_cutoff=60
        ):
            eid = self._names[idx][0]
            scored[eid] = max(scored.get(eid, 0.0), float(score))
        ranked_ids = sorted(scored, key=lambda e: (-scored[e], self.entities[e].name))
        return [self.entities[e] for e in ranked_ids[:limit]]

    def resolve_entity(self, text: str) -> tuple[Entity | None, list[Entity]]:
        """Exact name or alias first, then a unique fuzzy best; otherwise the close candidates."""
        key = " ".join(tokens(text or ""))
        if key in self.aliases.phrases:
            ids = sorted(self.aliases.phrases[key])
            if len(ids) == 1:
                return self.entities[ids[0]], []
            return None, [self.entities[i] for i in ids]
        query = utils.default_process(fold(text or ""))
        if not query:
            return None, []
        matches = process.extract(query, self._folded_names, scorer=fuzz.WRatio, limit=10, score_cutoff=75)
        best: dict[str, float] = {}
        for _n, score, idx in matches:
            eid = self._names[idx][0]
            best[eid] = max(best.get(eid, 0.0), float(score))
        if not best:
            return None, []
        ranked = sorted(best, key=lambda e: -best[e])
        top = best[ranked[0]]
        if (top >= 88 and (len(ranked) == 1 or best[ranked[1]] < top - 5)) or len(ranked) == 1:
            return self.entities[ranked[0]], []  # a clear or a unique best
        return None, [self.entities[e] for e in ranked[:5]]

    def list_transfers(self, company: str | None = None, limit: int | None = None) -> list[Transfer]:
        """Transfers latest first; with a company, only those from or to it (or its teams)."""
        transfers = self.transfers
        if company and company.strip():
            ent, _ = self.resolve_entity(company)
            if ent is None:
                return []
            family = {ent.id} | {e.id for e in self.entities.values() if e.parent == ent.id}
            transfers = [t for t in transfers if {t.from_org, t.to_org, t.who} & family]
        if limit is not None:
            transfers = transfers[: max(limit, 0)]
        return list(transfers)
