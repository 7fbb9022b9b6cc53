"""Seeds + knowledge → one SQLite store, written atomically.

The store holds retrieval items of four kinds, all with verbatim citations: curated facts,
transfers, entity profiles, and every sentence of every seed (so an article nobody has curated
yet can already answer). The file is written beside the target and renamed over it only once
it is complete, so a failed or killed build never leaves a half-written store behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat
import tempfile
import time
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .answer_types import Found, amount_keys, answer_kinds
from .answer_types import find as find_answers
from .encoder import Encoder, default_encoder
from .knowledge import BuildError, Knowledge, load_knowledge
from .lexicon import STEMMER_IMPLEMENTATION, WHEN_KEY, keys_of
from .mentions import AliasIndex
from .models import Citation, Entity, Transfer
from .moves import add_extracted_moves
from .names import aliases_of, find_names, surname_counts
from .text import split_passages, tokens
from .vectors import EmbeddingCache, Progress, default_cache_path, embed_texts

# Changes with the store's layout and with the code that decides how text is indexed, so a
# store built by older code is rebuilt instead of being matched with different rules.
_INDEXING_CODE = (
    "build.py",
    "lexicon.py",
    "text.py",
    "vectors.py",
    "names.py",
    "answer_types.py",
    "extract.py",
    "moves.py",
)
_CODE = b"".join((Path(__file__).parent / name).read_bytes() for name in _INDEXING_CODE)
FORMAT = "7:" + hashlib.sha256(_CODE + STEMMER_IMPLEMENTATION.encode()).hexdigest()[:12]

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (file TEXT PRIMARY KEY, title TEXT, language TEXT NOT NULL, date TEXT,
                        publisher TEXT, url TEXT, label TEXT);
CREATE TABLE entities (id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, aliases TEXT NOT NULL,
                       summary TEXT NOT NULL, parent TEXT, citations TEXT NOT NULL);
CREATE TABLE transfers (id TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE items (id TEXT PRIMARY KEY, kind TEXT NOT NULL, topic TEXT NOT NULL, about TEXT NOT NULL,
                    answers TEXT NOT NULL, text TEXT NOT NULL, citations TEXT NOT NULL,
                    mentions TEXT NOT NULL, topic_mentions TEXT NOT NULL, digest TEXT NOT NULL);
-- For each matching key and level (0: anywhere, 1: keywords or topic, 2: topic), the positions
-- (rowid - 1) of the items holding it, as a sorted array of unsigned 32-bit integers.
CREATE TABLE postings (term TEXT NOT NULL, level INTEGER NOT NULL, ids BLOB NOT NULL,
                       PRIMARY KEY (term, level));
CREATE TABLE vocab (word TEXT PRIMARY KEY);
-- Unit embeddings (float16) of the texts an item is matched by, in item order.
CREATE TABLE vectors (item INTEGER NOT NULL, vec BLOB NOT NULL);
"""


@dataclass
class _Indexed:
    """An item's row, and the words it is found under."""

    row: tuple[str, ...]
    levels: tuple[set[str], set[str], set[str]]  # anywhere, keywords or topic, topic
    words: set[str]
    embed: tuple[str, ...] = ()  # the texts a question is compared with, meaning for meaning


class BuildFailed(Exception):
    """The inputs did not validate; `errors` says where."""

    def __init__(self, errors: list[BuildError]) -> None:
        self.errors = errors
        first = "; ".join(str(e) for e in errors[:3])
        super().__init__(f"{len(errors)} error(s): {first}")


@dataclass(frozen=True)
class BuildResult:
    store_path: Path
    seconds: float
    documents: int
    facts: int
    passages: int
    version: str
    embedded: int = 0  # texts the model embedded (the others came from the cache)
    warnings: tuple[BuildError, ...] = ()  # worth fixing, did not block the build


def input_files(seeds_dir: Path, knowledge_dir: Path) -> list[Path]:
    """Every entry whose change must trigger a rebuild: links, FIFOs and devices included (the
    build refuses them by name), never followed or opened here."""
    files = [p for p in seeds_dir.glob("*.txt")] + [seeds_dir / "documents.yaml"]
    files += [p for p in knowledge_dir.glob("*.y*ml") if not p.name.startswith("_")]
    return sorted(p for p in files if os.path.lexists(p))


def fingerprint(seeds_dir: Path, knowledge_dir: Path) -> str:
    """Cheap identity of the inputs (names, kinds, sizes, mtimes) to tell whether a store is stale."""
    h = hashlib.sha256(FORMAT.encode())
    for p in input_files(seeds_dir, knowledge_dir):
        try:
            st = p.lstat()
        except OSError:
            continue
        h.update(f"{p.absolute()}|{st.st_mode}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def _cites(citations: Iterable[Citation]) -> str:
    return json.dumps([c.to_json() for c in citations], ensure_ascii=False)


_JSON_CACHE: dict[str, str] = {}


def _json(value: Any) -> str:
    """JSON of a small value; the few that repeat on every passage ([], {"en": ""…}) come cached."""
    if not value or (isinstance(value, dict) and not any(value.values())):
        key = repr(value)
        cached = _JSON_CACHE.get(key)
        if cached is None:
            cached = _JSON_CACHE[key] = json.dumps(value, ensure_ascii=False)
        return cached
    return json.dumps(value, ensure_ascii=False)


def _item(
    kind: str,
    item_id: str,
    topic: dict[str, str],
    about: list[str],
    answers: list[str] | None,
    text: dict[str, str],
    citations: Iterable[Citation],
    extra_words: Iterable[str] = (),
    key_words: Iterable[str] = (),
    aliases: AliasIndex | None = None,
    context: Iterable[str] = (),
    people: frozenset[str] = frozenset(),
) -> _Indexed:
    """One item's row and index entries; each piece of text is folded and split once.
    `answers` None: work them out from the text (an uncurated passage)."""
    citations = list(citations)
    own = tokens(" ".join(text.values()))
    said = own + tokens(" ".join(context))  # what the item itself says
    topic_words = tokens(" ".join(topic.values()))
    key_only = tokens(" ".join(key_words))
    extra = tokens(" ".join(extra_words))
    quoted = (
        [] if kind == "passage" else tokens(" ".join(c.quote for c in citations))
    )  # a passage is its quote
    topic_terms = set(keys_of(topic_words))
    key_terms = set(keys_of(key_only)) | topic_terms
    terms = set(keys_of(said)) | set(keys_of(extra)) | set(keys_of(quoted)) | key_terms
    terms |= amount_keys(" ".join(text.values()))  # a sum by its size, however it is written
    topic_mentions = aliases.find(topic_words)[0] if aliases else []
    mentions = aliases.find(own)[0] + topic_mentions if aliases else []
    if aliases and context and not people.intersection(mentions):
        # A sentence naming no one ("She will lead about 40 researchers") speaks of the people
        # and organisations of the sentence before it.
        mentions += aliases.find(tokens(" ".join(context)))[0]
    if answers is None:
        sentence = " ".join(text.values())
        found = find_answers(sentence, citations[0].date if citations else None)
        answers = passage_answers(found)
        if any(f.kind == "date" for f in found):
            terms.add(WHEN_KEY)  # "in 2019" answers "what year…" as a month name would
    if kind == "passage":
        # Rebuilt from its own text at load: no citation list or digest to store.
        cites_json, digest = "[]", ""
    else:
        cites_json = _cites(citations)
        record = [kind, item_id, topic, about, answers, text, cites_json]
        digest = hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[
            :16
        ]
    row = (
        item_id,
        kind,
        _json(topic),
        _json(about),
        _json(answers),
        json.dumps(text, ensure_ascii=False),
        cites_json,
        _json(sorted(set(mentions))),
        _json(topic_mentions),
        digest,
    )
    embed = tuple(dict.fromkeys(t.strip() for t in (*topic.values(), *text.values()) if t and t.strip()))
    return _Indexed(row, (terms, key_terms, topic_terms), {*said, *topic_words, *extra}, embed)


# What every transfer is about, whatever its record says: people ask for moves in these words.
TRANSFER_WORDS = (
    "transfer",
    "move",
    "hire",
    "leave",
    "company",
    "transfert",
    "départ",
    "recrute",
    "entreprise",
)


def passage_answers(found: list[Found]) -> list[str]:
    """Which kinds of question an uncurated sentence can answer, from the answers `found` in it:
    "when" only if it gives a date or a duration, "how much" only if it gives an amount."""
    kinds = ["who", "what", "where", "why", "how", "yes_no"]
    return kinds + sorted(answer_kinds(found))


def _names(kb: Knowledge, ids: Iterable[str | None]) -> list[str]:
    out = []
    for i in ids:
        if i and i in kb.entities:
            ent = kb.entities[i]
            out += [ent.name, *ent.aliases]
    return out


def _items(kb: Knowledge) -> Iterator[_Indexed]:
    aliases = AliasIndex(kb.entities.values())
    people = frozenset(e.id for e in kb.entities.values() if e.is_person)
    for fact in kb.facts:
        kws = [*fact["keywords"]["en"], *fact["keywords"]["fr"]]
        yield _item(
            "fact",
            fact["id"],
            fact["topic"],
            fact["about"],
            fact["answers"],
            fact["text"],
            fact["citations"],
            extra_words=[*kws, *_names(kb, fact["about"])],
            key_words=kws,
            aliases=aliases,
        )
    for t in kb.transfers:
        if not t.reviewed:
            continue  # read by the build, not a curator: lists and profiles show it, answers quote passages
        about = [i for i in (t.who, t.from_org, t.to_org) if i]
        who = kb.entities[t.who].name if t.who in kb.entities else t.who
        topic = {"en": f"{who}'s move", "fr": f"Le départ de {who}"}
        parts = [t.role_before, t.role_after, t.package]
        words = [v for p in parts if p for v in p.values()]
        yield _item(
            "transfer",
            t.id,
            topic,
            about,
            ["where", "when", "who", "list", "yes_no"],
            t.summary,
            t.citations,
            extra_words=[*words, *_names(kb, about)],
            key_words=[*TRANSFER_WORDS, *words],
            aliases=aliases,
        )
    for ent in kb.entities.values():
        if ent.id.startswith(AUTO_PREFIX) or ent.id in kb.extracted:
            continue  # found in an article: its sentences answer, it has no profile text
        topic = {"en": ent.name, "fr": ent.name}
        about = [ent.id] + ([ent.parent] if ent.parent else [])
        yield _item(
            "entity",
            ent.id,
            topic,
            about,
            ["who", "what"],
            ent.summary,
            kb.entity_citations[ent.id],
            extra_words=_names(kb, [ent.id]),
            aliases=aliases,
        )
    for file, text in kb.seed_texts.items():
        doc = kb.documents[file]
        previous, previous_end = "", -1
        for start, end, sentence in split_passages(text):
            cite = Citation(doc.source, doc.display_title, doc.date or "", sentence)
            # The sentence before, when it is close, says who "her" or "the firm" is.
            context = [previous] if previous and start - previous_end < 200 else []
            yield _item(
                "passage",
                f"passage:{file}:{start}",
                {"en": "", "fr": ""},
                [],
                None,
                {doc.language: sentence},
                [cite],
                key_words=[sentence],  # nobody curated it: all its words count as its keywords
                aliases=aliases,
                context=context,
                people=people,
            )
            previous, previous_end = sentence, end


AUTO_PREFIX = "auto:"
NAME_CITATIONS = 3  # sentences quoted for a name found in articles


def add_found_names(kb: Knowledge) -> None:
    """People and organisations the articles name that no curated record covers become
    entities (kind person or company), with their other spellings and surname as aliases and
    the first sentences naming them as citations."""
    known = {" ".join(tokens(a)): e.id for e in kb.entities.values() for a in (e.name, *e.aliases)}
    names = find_names(kb.seed_texts, known)
    surnames = surname_counts(names)
    found: list[Entity] = []
    for n in names:
        titles = ", ".join(kb.documents[f].display_title for f in n.sources[:2])
        found.append(
            Entity(
                n.id,
                "person" if n.kind == "person" else "company",
                n.display,
                tuple(aliases_of(n, names, known, surnames)),
                {
                    "en": f"{n.display}: named in {len(n.sources)} article(s) ({titles}); not curated yet.",
                    "fr": f"{n.display} : cité(e) dans {len(n.sources)} article(s) ({titles}) ; pas encore vérifié.",
                },
            )
        )
    index = AliasIndex(found)
    cites: dict[str, list[Citation]] = {e.id: [] for e in found}
    for file, text in kb.seed_texts.items():
        doc = kb.documents[file]
        for _, _, sentence in split_passages(text):
            for eid in index.find(tokens(sentence))[0]:
                if len(cites[eid]) < NAME_CITATIONS:
                    cites[eid].append(Citation(doc.source, doc.display_title, doc.date or "", sentence))
    for ent in found:
        kb.entities[ent.id] = ent
        kb.entity_citations[ent.id] = tuple(cites[ent.id])


def _write(
    kb: Knowledge,
    path: Path,
    version: str,
    fp: str,
    encoder: Encoder,
    cache: EmbeddingCache,
    progress: Progress | None,
) -> tuple[int, int, int]:
    db = sqlite3.connect(path)
    try:
        db.executescript(SCHEMA)
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("version", version),
                ("fingerprint", fp),
                ("format", FORMAT),
                ("encoder", encoder.name),
                ("built_at", str(time.time())),
            ],
        )
        db.executemany(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (d.file, d.title, d.language, d.date, d.publisher, d.url, json.dumps(d.label))
                for d in kb.documents.values()
            ],
        )
        db.executemany(
            "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    e.id,
                    e.kind,
                    e.name,
                    json.dumps(list(e.aliases), ensure_ascii=False),
                    json.dumps(e.summary, ensure_ascii=False),
                    e.parent,
                    _cites(kb.entity_citations[e.id]),
                )
                for e in kb.entities.values()
            ],
        )
        db.executemany(
            "INSERT INTO transfers VALUES (?, ?)",
            [(t.id, json.dumps(_transfer_record(t), ensure_ascii=False)) for t in kb.transfers],
        )
        facts = passages = 0
        batch: list[tuple[str, ...]] = []
        postings: tuple[dict[str, array], ...] = ({}, {}, {})
        vocab: set[str] = set()
        owners: list[int] = []
        texts: list[str] = []
        for n, indexed in enumerate(_items(kb)):
            owners += [n] * len(indexed.embed)
            texts += indexed.embed
            batch.append(indexed.row)
            if indexed.row[1] == "passage":
                passages += 1
            else:
                facts += 1
            for level, keys in enumerate(indexed.levels):
                for key in keys:
                    ids = postings[level].get(key)
                    if ids is None:
                        ids = postings[level][key] = array("I")
                    ids.append(n)  # n grows: every array stays sorted
            vocab |= indexed.words
            if len(batch) >= 5000:
                db.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
                batch.clear()
        db.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
        db.executemany(
            "INSERT INTO postings VALUES (?, ?, ?)",
            (
                (key, level, ids.tobytes())
                for level, table in enumerate(postings)
                for key, ids in table.items()
            ),
        )
        vocab |= AliasIndex(kb.entities.values()).words
        db.executemany("INSERT INTO vocab VALUES (?)", ((w,) for w in sorted(vocab)))
        vectors, embedded = embed_texts(encoder, texts, cache, progress)
        db.executemany(
            "INSERT INTO vectors VALUES (?, ?)",
            ((n, vec.tobytes()) for n, vec in zip(owners, vectors, strict=True)),
        )
        db.commit()
    finally:
        db.close()
    return facts, passages, embedded


def _transfer_record(t: Transfer) -> dict[str, Any]:
    record = {f.name: getattr(t, f.name) for f in fields(t)}  # shallow: asdict deep-copies
    record["citations"] = [c.to_json() for c in t.citations]
    return record


def _version(kb: Knowledge) -> str:
    """Identity of the store's content: the bytes validation read (never a second read, which
    a file swapped for a link in between could turn into something else)."""
    h = hashlib.sha256(FORMAT.encode())
    for name, digest in sorted(kb.file_digests.items()):
        h.update(name.encode())
        h.update(digest)
    return h.hexdigest()[:12]


def disk_error(store_path: Path, exc: BaseException) -> BuildError:
    """The error of a store that could not be written, naming its folder and the disk's reason."""
    reason = getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__
    return BuildError(str(store_path.parent), 0, f"cannot write the store {store_path.name} here: {reason}")


ABANDONED_AFTER = 600.0  # seconds: older temp files belong to a build that was killed


def _remove_abandoned_temp_files(store_path: Path) -> None:
    """Delete what a killed build left beside the store (never a build still running)."""
    now = time.time()
    for p in store_path.parent.glob(f".{store_path.name}.*.tmp*"):
        try:
            if now - p.stat().st_mtime > ABANDONED_AFTER:
                p.unlink()
        except OSError:
            continue


class StorePathError(ValueError):
    """The store path names something a build must not replace; the message is one line."""


SQLITE_MAGIC = b"SQLite format 3\x00"
TEXT_SNIFF_BYTES = 4096  # enough of a file to tell a document from a damaged store


def _looks_like_text(head: bytes) -> bool:
    """UTF-8 text without NUL bytes: someone's notes, never a store."""
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # only a character cut at the end of the sample
    return True


def check_store_path(store_path: Path) -> None:
    """Refuse to overwrite anything but a missing file, an empty one, or a store this project built:
    `--store notes.txt`, a directory or a device node must never be replaced by a database."""
    try:
        st = os.lstat(store_path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StorePathError(f"store path {store_path} cannot be checked: {exc.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise StorePathError(
            f"store path {store_path} is a directory; give a file name, e.g. {store_path}/store.sqlite"
        )
    if not stat.S_ISREG(st.st_mode):
        what = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a regular file"
        raise StorePathError(f"store path {store_path} is {what}; refusing to replace it with a store")
    if st.st_size == 0:
        return
    try:
        with open(store_path, "rb") as fh:
            head = fh.read(TEXT_SNIFF_BYTES)
    except OSError as exc:
        raise StorePathError(f"store path {store_path} cannot be read: {exc.strerror}") from None
    ours = False
    if head.startswith(SQLITE_MAGIC):
        try:
            db = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
            try:
                ours = db.execute("SELECT 1 FROM meta WHERE key = 'format'").fetchone() is not None
            finally:
                db.close()
        except sqlite3.Error:
            ours = True  # a damaged database at the store path: a store a killed disk left behind
    elif not _looks_like_text(head):
        ours = True  # binary garbage, not someone's document: a store damaged beyond its header
    if not ours:
        raise StorePathError(
            f"store path {store_path} is a file this project did not build; refusing to replace it "
            "(choose another --store / STORE_PATH, or move the file away)"
        )


def build_store(
    seeds_dir: Path,
    knowledge_dir: Path,
    store_path: Path,
    *,
    encoder: Encoder | None = None,
    embedding_cache: Path | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Validate the inputs and write the store; on any error raise BuildFailed and touch nothing.

    `embedding_cache` is the file of already embedded texts (default: default_cache_path());
    `progress(done, total)` is told how the embedding of new texts goes."""
    started = time.perf_counter()
    fp = fingerprint(seeds_dir, knowledge_dir)
    kb, errors = load_knowledge(seeds_dir, knowledge_dir)
    if errors:
        raise BuildFailed(errors)
    add_found_names(kb)
    add_extracted_moves(kb)  # after the names: its people are the same entities
    version = _version(kb)
    check_store_path(store_path)
    try:
        store_path.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned_temp_files(store_path)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{store_path.name}.", suffix=".tmp", dir=store_path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            tmp.unlink()  # sqlite creates it afresh
            cache = EmbeddingCache(embedding_cache or default_cache_path())
            try:
                facts, passages, embedded = _write(
                    kb, tmp, version, fp, encoder or default_encoder(), cache, progress
                )
            finally:
                cache.close()
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, store_path)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
    except sqlite3.IntegrityError as exc:
        # Not the disk: two records built from the inputs collide. Say so rather than blame the folder.
        raise BuildFailed(
            [
                BuildError(
                    str(store_path.parent), 0, f"two records of the store collide ({exc}); please report this"
                )
            ]
        ) from None
    except (OSError, sqlite3.Error) as exc:
        # A read-only or full disk: the inputs are fine, the store's folder is not.
        raise BuildFailed([disk_error(store_path, exc)]) from None
    return BuildResult(
        store_path,
        time.perf_counter() - started,
        len(kb.documents),
        facts,
        passages,
        version,
        embedded,
        tuple(kb.warnings),
    )
