"""A read-only, in-memory snapshot of a built store, with the indexes retrieval needs.

The SQLite file is read once and closed: answering never touches the disk, so one snapshot
answers consistently while a reload builds the next one, and swapping is one assignment.
"""

from __future__ import annotations

import asyncio
import json
import math
import sqlite3
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from sys import intern
from typing import Any

import aiosqlite
import numpy as np
from rapidfuzz import fuzz, process, utils

from .encoder import Encoder, default_encoder
from .mentions import AliasIndex
from .models import Citation, Document, Entity, Transfer
from .spelling import Speller
from .text import fold, tokens
from .vectors import VectorIndex

# What a store is read with, table by table (the same for the sync and the async path).
QUERIES = {
    "meta": "SELECT key, value FROM meta",
    "documents": "SELECT file, title, language, date, publisher, url, label FROM documents",
    "entities": "SELECT id, kind, name, aliases, summary, parent, citations FROM entities",
    "transfers": "SELECT record FROM transfers",
    "items": "SELECT id, kind, topic, about, answers, text, citations, mentions, topic_mentions, digest"
    " FROM items ORDER BY rowid",
    "postings": "SELECT term, level, ids FROM postings",
    "vocab": "SELECT word FROM vocab",
    "vectors": "SELECT item, vec FROM vectors ORDER BY rowid",
}


def _label(stored: str | None) -> str | dict[str, str] | None:
    """A document's label as the build stores it: JSON (null, one text, or one per language)."""
    try:
        value = json.loads(stored) if stored is not None else None
    except ValueError:  # plain text, as older builds stored it
        return stored
    return value if isinstance(value, str | dict) else None


def _citations(rows: list[dict[str, str]]) -> tuple[Citation, ...]:
    """Citations as loaded: a store cites the same few articles thousands of times, so their
    source, title and date are interned (one string each, not one per citation)."""
    return tuple(
        Citation(intern(c["source"]), intern(c["title"]), c["date"] and intern(c["date"]), c["quote"])
        for c in rows
    )


class StoreError(Exception):
    """The store file is missing, corrupt or from another format."""


@dataclass(frozen=True, slots=True)
class Item:
    """One retrievable thing: a curated fact, a transfer, an entity profile or a seed sentence.

    What words it contains lives in the store's posting arrays, not here: a hundred thousand
    items with a set of words each would not fit the memory budget.
    """

    id: str
    kind: str
    topic: dict[str, str]
    about: tuple[str, ...]
    answers: frozenset[str]
    text: dict[str, str]
    citations: tuple[Citation, ...]
    mentions: frozenset[str]  # entities its text names, besides those it is about
    topic_mentions: frozenset[str]  # entities its topic names
    digest: str


class Passages:
    """Every seed sentence, kept compact (its text and a few small numbers): a hundred thousand
    full Item objects would not fit the memory budget, and only a few are ever looked at."""

    _NO_TOPIC: dict[str, str] = {"en": "", "fr": ""}

    def __init__(self, documents: list[Document]) -> None:
        self.documents = documents
        self._doc_index = {d.file: n for n, d in enumerate(documents)}
        self.sentences: list[str] = []
        self.doc = array("I")
        self.start = array("I")
        self.answer_code = array("B")
        self._answer_sets: list[frozenset[str]] = []
        self.mentions: dict[int, frozenset[str]] = {}  # only for the few sentences naming someone

    @property
    def count(self) -> int:
        return len(self.sentences)

    def add(self, item_id: str, sentence: str, answers: frozenset[str], mentions: list[str]) -> None:
        _, file, start = item_id.split(":", 2)  # "passage:<file>:<offset>"
        if answers not in self._answer_sets:
            self._answer_sets.append(answers)
        if mentions:
            self.mentions[len(self.sentences)] = frozenset(mentions)
        self.sentences.append(sentence)
        self.doc.append(self._doc_index[file])
        self.start.append(int(start))
        self.answer_code.append(self._answer_sets.index(answers))

    def item(self, k: int) -> Item:
        doc = self.documents[self.doc[k]]
        sentence = self.sentences[k]
        return Item(
            f"passage:{doc.file}:{self.start[k]}",
            "passage",
            self._NO_TOPIC,
            (),
            self._answer_sets[self.answer_code[k]],
            {doc.language: sentence},
            (Citation(doc.source, doc.display_title, doc.date or "", sentence),),
            self.mentions.get(k, frozenset()),
            frozenset(),
            "",
        )


class Items(Sequence[Item]):
    """All items by position: curated ones first, then passages made into Items on demand."""

    def __init__(self, curated: list[Item], passages: Passages) -> None:
        self.curated = curated
        self.passages = passages

    def __len__(self) -> int:
        return len(self.curated) + self.passages.count

    def nearby_mentions(self, n: int, before: int, after: int) -> frozenset[str]:
        """What the sentences around passage `n` name, in the same article (`before` sentences
        before it, `after` after): "Elle emploie environ 160 personnes" is about the start-up
        named two sentences earlier. Empty for a curated item."""
        k = n - len(self.curated)
        if k < 0:
            return frozenset()
        p = self.passages
        doc = p.doc[k]
        near: set[str] = set()
        for j in range(max(0, k - before), min(p.count, k + after + 1)):
            if p.doc[j] == doc:
                near |= p.mentions.get(j, frozenset())
        return frozenset(near)

    def last_people(self, n: int, before: int, people: frozenset[str]) -> frozenset[str]:
        """The people named by the closest of the `before` sentences before passage `n` (same
        article) that names anyone: whom "he said by phone from Paris" is about."""
        k = n - len(self.curated)
        if k < 0:
            return frozenset()
        p = self.passages
        for j in range(k - 1, max(-1, k - before - 1), -1):
            if p.doc[j] != p.doc[k]:
                break
            named = p.mentions.get(j, frozenset()) & people
            if named:
                return named
        return frozenset()

    def document_index(self, n: int) -> int | None:
        """Which article passage `n` is from (None for a curated item)."""
        k = n - len(self.curated)
        return self.passages.doc[k] if k >= 0 else None

    def __getitem__(self, n: int) -> Item:  # type: ignore[override]
        if n < 0:
            n += len(self)
        if n < len(self.curated):
            return self.curated[n]
        if n >= len(self):
            raise IndexError(n)
        return self.passages.item(n - len(self.curated))


class ItemsById(Mapping[str, Item]):
    """Items by id; a passage's id says where it is, so only curated ids need a table."""

    def __init__(self, items: Items) -> None:
        self._items = items
        self._curated = {it.id: it for it in items.curated}
        self._passages: dict[tuple[int, int], int] | None = None  # built on the first passage lookup

    def _passage_position(self, item_id: str) -> int:
        """Where passage `item_id` ("passage:<file>:<offset>") is among the passages; KeyError
        when it is none."""
        try:
            _, file, start = item_id.split(":", 2)
            p = self._items.passages
            if self._passages is None:
                self._passages = {(p.doc[k], p.start[k]): k for k in range(p.count)}
            return self._passages[(p._doc_index[file], int(start))]
        except (ValueError, KeyError):
            raise KeyError(item_id) from None

    def __getitem__(self, item_id: str) -> Item:
        if item_id in self._curated:
            return self._curated[item_id]
        return self._items.passages.item(self._passage_position(item_id))

    def following(self, item_id: str, count: int) -> list[Item]:
        """The `count` sentences after passage `item_id` in its article (fewer at its end):
        what "Three suggestions for the boards:" goes on to list."""
        try:
            k = self._passage_position(item_id)
        except KeyError:
            return []
        p = self._items.passages
        end = min(p.count, k + 1 + count)
        return [p.item(j) for j in range(k + 1, end) if p.doc[j] == p.doc[k]]

    def __iter__(self) -> Iterator[str]:
        yield from self._curated
        p = self._items.passages
        for k in range(p.count):
            yield f"passage:{p.documents[p.doc[k]].file}:{p.start[k]}"

    def __len__(self) -> int:
        return len(self._items)


CHUNK_ROWS = 2000  # rows read and turned into objects at a time by Store.open_async


class _Loader:
    """Turns a store's rows into a Store, table by table and chunk by chunk (tables arrive in
    QUERIES order: documents before items)."""

    def __init__(self) -> None:
        self.meta: dict[str, str] = {}
        self.documents: list[Document] = []
        self.entities: dict[str, Entity] = {}
        self.entity_citations: dict[str, tuple[Citation, ...]] = {}
        self.transfers: list[Transfer] = []
        self.curated: list[Item] = []
        self.passages: Passages | None = None
        self.postings: tuple[dict[str, array], dict[str, array], dict[str, array]] = ({}, {}, {})
        self.vocab: set[str] = set()
        self.vector_owners = array("I")
        self.vector_blobs: list[bytes] = []
        self._answer_sets: dict[str, frozenset[str]] = {}  # few distinct sets: share them

    def feed(self, table: str, rows: Iterable[Sequence[Any]]) -> None:
        """Rows of one table: tuples from sqlite3, or aiosqlite's (typed as sqlite3.Row)."""
        getattr(self, f"_{table}")(rows)

    def _meta(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.meta.update(rows)

    def _documents(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.documents += [
            Document(file, title, language, date, publisher, url, _label(label))
            for file, title, language, date, publisher, url, label in rows
        ]

    def _entities(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for eid, kind, name, aliases, summary, parent, cites in rows:
            self.entities[eid] = Entity(
                eid, kind, name, tuple(json.loads(aliases)), json.loads(summary), parent
            )
            self.entity_citations[eid] = _citations(json.loads(cites))

    def _transfers(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for (record,) in rows:
            data = json.loads(record)
            data["citations"] = _citations(data["citations"])
            self.transfers.append(Transfer(**data))

    def _items(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Curated items and passages, in build order (posting arrays refer to their positions;
        the build writes every curated item before the first passage)."""
        if self.passages is None:
            self.passages = Passages(self.documents)
        passages = self.passages
        for iid, kind, topic, about, answers, text, cites, mentions, topic_mentions, digest in rows:
            answer_set = self._answer_sets.get(answers)
            if answer_set is None:
                answer_set = self._answer_sets[answers] = frozenset(json.loads(answers))
            if kind == "passage":
                passages.add(iid, next(iter(json.loads(text).values())), answer_set, json.loads(mentions))
                continue
            if passages.count:
                raise ValueError("a curated item stored after the passages")
            self.curated.append(
                Item(
                    iid,
                    kind,
                    json.loads(topic),
                    tuple(json.loads(about)),
                    answer_set,
                    json.loads(text),
                    _citations(json.loads(cites)),
                    frozenset(json.loads(mentions)),
                    frozenset(json.loads(topic_mentions)),
                    digest,
                )
            )

    def _postings(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for term, level, blob in rows:
            ids = array("I")
            ids.frombytes(blob)
            self.postings[level][term] = ids

    def _vocab(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.vocab.update(w for (w,) in rows)

    def _vectors(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for item, blob in rows:
            self.vector_owners.append(item)
            self.vector_blobs.append(blob)

    def finish(self, encoder: Encoder | None = None) -> Store:
        encoder = encoder or default_encoder()
        matrix = np.frombuffer(b"".join(self.vector_blobs), dtype=np.float16).reshape(-1, encoder.dim)
        self.vector_blobs.clear()
        passages = self.passages or Passages(self.documents)
        count = len(self.curated) + passages.count
        vectors = VectorIndex(matrix, np.frombuffer(self.vector_owners, dtype=np.uint32), count)
        if self.meta.get("encoder", encoder.name) != encoder.name:
            raise ValueError(f"store embedded with {self.meta.get('encoder')}, not {encoder.name}")
        return Store(
            self.meta["version"],
            self.meta.get("fingerprint", ""),
            self.documents,
            self.entities,
            self.entity_citations,
            self.transfers,
            self.curated,
            passages,
            self.postings,
            frozenset(self.vocab),
            vectors,
            encoder,
        )


# Posting levels: where in an item a word stands. The key level includes the topic level.
TEXT, KEY, TOPIC = 0, 1, 2
_EMPTY = array("I")


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
        curated: list[Item],
        passages: Passages,
        postings: tuple[dict[str, array], dict[str, array], dict[str, array]],
        vocab: frozenset[str],
        vectors: VectorIndex,
        encoder: Encoder,
    ) -> None:
        self.version = version
        self.fingerprint = fingerprint
        self.documents = documents
        self.entities = entities
        self.entity_citations = entity_citations
        self.transfers = sorted(transfers, key=lambda t: t.date or "", reverse=True)
        self.transfers_by_id = {t.id: t for t in self.transfers}
        # The moves each sentence reports (by its quote): which way a move goes in a sentence.
        self.moves_by_quote: dict[str, list[Transfer]] = defaultdict(list)
        for t in self.transfers:
            for c in t.citations:
                self.moves_by_quote[c.quote].append(t)
        self.items = Items(curated, passages)
        self.items_by_id = ItemsById(self.items)
        self.fact_ids = frozenset(it.id for it in curated)
        self.fact_digests = {it.id: it.digest for it in curated}
        self.levels = postings
        self.postings = postings[TEXT]
        self.vocab = vocab
        self.vectors = vectors
        self.encoder = encoder
        self._index()

    # -- loading -----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, encoder: Encoder | None = None) -> Store:
        """Read a built store into memory; StoreError if it is missing or unreadable."""
        if not path.is_file():
            raise StoreError(f"no store at {path}")
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                return cls._read(db, encoder)
            finally:
                db.close()
        except (sqlite3.Error, ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"store {path} is unreadable: {exc}") from exc

    @classmethod
    async def open_async(cls, path: Path, encoder: Encoder | None = None) -> Store:
        """Store.open for the event loop: rows come through aiosqlite in chunks, each chunk is
        turned into objects in a worker thread, and no step holds the interpreter for long (a
        single list of a hundred thousand rows takes a tenth of a second just to free)."""
        if not path.is_file():
            raise StoreError(f"no store at {path}")
        loader = _Loader()
        try:
            async with aiosqlite.connect(f"file:{path}?mode=ro", uri=True) as db:
                for table in QUERIES:
                    async with db.execute(QUERIES[table]) as cursor:
                        while chunk := await cursor.fetchmany(CHUNK_ROWS):
                            await asyncio.to_thread(loader.feed, table, chunk)
                            del chunk
            return await asyncio.to_thread(loader.finish, encoder)
        except (sqlite3.Error, ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"store {path} is unreadable: {exc}") from exc

    @classmethod
    def _read(cls, db: sqlite3.Connection, encoder: Encoder | None = None) -> Store:
        loader = _Loader()
        for table in QUERIES:
            loader.feed(table, db.execute(QUERIES[table]))
        return loader.finish(encoder)

    # -- indexes -----------------------------------------------------------------------------

    def _index(self) -> None:
        by_entity: dict[str, list[int]] = defaultdict(list)
        for n, it in enumerate(self.items.curated):
            for e in it.about:
                by_entity[e].append(n)
        first_passage = len(self.items.curated)
        passages = self.items.passages
        for k, mentioned in sorted(passages.mentions.items()):
            for e in mentioned:
                by_entity[e].append(first_passage + k)
        self.by_entity = dict(by_entity)
        total = max(len(self.items), 1)
        self.idf = {t: math.log(1 + total / len(p)) for t, p in self.postings.items()}
        self.max_idf = math.log(1 + total)

        self.person_ids = frozenset(e.id for e in self.entities.values() if e.is_person)
        self._by_source = {d.source: d for d in self.documents}  # a passage answer names its article
        self.aliases = AliasIndex(self.entities.values())
        self.alias_vocab = self.aliases.words
        # "According to the Signal Review", "what did Marchal tell Tech Ledger": an article is
        # by its publisher, though its sentences never name it.
        self.publishers = [
            frozenset(self.aliases.find(tokens(d.publisher))[0]) if d.publisher else frozenset()
            for d in self.items.passages.documents
        ]
        self.speller = Speller(self.vocab, self.alias_vocab)
        self._names = [(ent.id, name) for ent in self.entities.values() for name in (ent.name, *ent.aliases)]
        self._folded_names = [utils.default_process(fold(n)) for _, n in self._names]

    def contains(self, keys: frozenset[str], level: int, candidates: list[int]) -> set[int]:
        """Which of `candidates` (item positions, any order) have one of `keys` at `level`."""
        found: set[int] = set()
        postings = self.levels[level]
        for key in keys:
            ids = postings.get(key, _EMPTY)
            if not ids:
                continue
            if len(ids) <= 4 * len(candidates):
                found.update(set(ids).intersection(candidates))
                continue
            for n in candidates:  # a long posting: binary search instead of a set
                i = bisect_left(ids, n)
                if i < len(ids) and ids[i] == n:
                    found.add(n)
        return found

    def dispose(self) -> None:
        """Empty the big tables piece by piece, so freeing a replaced snapshot never holds the
        interpreter for long (freeing a 300,000-entry dict is one uninterruptible call). Only
        for a store nobody else holds any more: it cannot answer afterwards."""
        tables: list[Any] = [*self.levels, self.idf, self.by_entity]
        tables += [self.items_by_id._curated, self.fact_digests]
        for table in tables:
            while table:
                for _ in range(min(len(table), 2000)):
                    table.popitem()
        sequences: list[list[Any]] = [self.items.passages.sentences, self.items.curated, *self.speller.tables]
        for sequence in sequences:
            while sequence:
                del sequence[-2000:]

    # -- lookups -----------------------------------------------------------------------------

    def moves_of(self, person: str) -> list[Transfer]:
        """A person's moves, the newest report first (a report's date, else the move's own)."""
        moves = [t for t in self.transfers if t.who == person]
        return sorted(moves, key=lambda t: (t.reported or t.date or "", t.date or ""), reverse=True)

    def document_for(self, source: str) -> Document | None:
        """The seed article a citation's source names ("seeds/FILE")."""
        return self._by_source.get(source)

    def item_date(self, item: Item) -> str:
        """The date of the source an item cites first ("" when unknown): newer reports win."""
        return item.citations[0].date if item.citations else ""

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
