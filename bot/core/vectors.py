"""Embeddings of the store's items: computed at build time through a cache keyed by a hash of the
text, stored in the store, and searched at answer time with one matrix product.

The cache is a small SQLite file that outlives any one store (a rebuild, or a `/reload` of an
unchanged store, embeds nothing; a new article embeds only its own sentences). It is an
optimisation only: when it cannot be read or written the build embeds and goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .encoder import Encoder

EMBED_BATCH = 16  # texts per model call: big enough to amortise, small enough for steady progress
CACHE_ENV = "TALENT_WAR_EMBEDDING_CACHE"

Progress = Callable[[int, int], None]  # (texts embedded so far, texts to embed)


def default_cache_path() -> Path:
    """Where embeddings are cached when the caller names no file: $TALENT_WAR_EMBEDDING_CACHE,
    else the user's cache folder (shared by every checkout and test store on the machine)."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "talent-war-bot" / "embeddings.sqlite"


def text_key(encoder_name: str, text: str) -> str:
    return hashlib.sha256(f"{encoder_name}\x00{text}".encode()).hexdigest()[:32]


class EmbeddingCache:
    """text hash → float16 vector. Every failure degrades to "not cached"."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=10)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")
            self._db = db
        except (OSError, sqlite3.Error):
            self._db = None

    def get(self, keys: Sequence[str]) -> dict[str, bytes]:
        if self._db is None or not keys:
            return {}
        found: dict[str, bytes] = {}
        try:
            for start in range(0, len(keys), 500):
                chunk = json.dumps(list(keys[start : start + 500]))
                # Literal SQL, the keys bound as one JSON array (no placeholders built at run time).
                rows = self._db.execute(
                    "SELECT key, vec FROM vectors WHERE key IN (SELECT value FROM json_each(?))", (chunk,)
                )
                found.update(rows)
        except sqlite3.Error:
            return found
        return found

    def put(self, rows: Sequence[tuple[str, bytes]]) -> None:
        if self._db is None or not rows:
            return
        try:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            self._db.commit()
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def embed_texts(
    encoder: Encoder,
    texts: Sequence[str],
    cache: EmbeddingCache,
    progress: Progress | None = None,
) -> tuple[np.ndarray, int]:
    """Unit float16 vectors for `texts` (cached ones read, the rest embedded and cached), and how
    many texts the model actually embedded."""
    keys = [text_key(encoder.name, t) for t in texts]
    known = cache.get(sorted(set(keys)))
    out = np.zeros((len(texts), encoder.dim), dtype=np.float16)
    todo: dict[str, int] = {}  # key → first position of a text still to embed
    for n, key in enumerate(keys):
        blob = known.get(key)
        if blob is not None and len(blob) == 2 * encoder.dim:
            out[n] = np.frombuffer(blob, dtype=np.float16)
        else:
            todo.setdefault(key, n)
    missing = list(todo.items())
    total = len(missing)
    if progress and total:
        progress(0, total)
    fresh: dict[str, np.ndarray] = {}
    for start in range(0, total, EMBED_BATCH):
        chunk = missing[start : start + EMBED_BATCH]
        vecs = encoder.passages([texts[n] for _, n in chunk]).astype(np.float16)
        rows = []
        for (key, _), vec in zip(chunk, vecs, strict=True):
            fresh[key] = vec
            rows.append((key, vec.tobytes()))
        cache.put(rows)
        if progress:
            progress(min(start + EMBED_BATCH, total), total)
    for n, key in enumerate(keys):
        if key in fresh:
            out[n] = fresh[key]
    return out, total


class VectorIndex:
    """Item vectors as one float32 matrix; rows of one item are contiguous, in item order."""

    def __init__(self, matrix: np.ndarray, owners: np.ndarray, items: int) -> None:
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self.owners = np.asarray(owners, dtype=np.int32)
        self.items = items
        # Where each item's rows start; items without a vector get a similarity of 0.
        self.with_vectors, self.starts = np.unique(self.owners, return_index=True)

    @property
    def empty(self) -> bool:
        return self.matrix.shape[0] == 0

    def similarities(self, query: np.ndarray) -> np.ndarray:
        """Cosine similarity of the question to every item (its best-matching text)."""
        sims = np.zeros(self.items, dtype=np.float32)
        if self.empty:
            return sims
        rows = self.matrix @ query.astype(np.float32)
        sims[self.with_vectors] = np.maximum.reduceat(rows, self.starts)
        return sims

    @staticmethod
    def nearest(sims: np.ndarray, k: int) -> list[int]:
        """Positions of the k most similar items, most similar first."""
        if sims.size == 0 or k <= 0:
            return []
        k = min(k, sims.size)
        top = np.argpartition(-sims, k - 1)[:k]
        return [int(n) for n in top[np.argsort(-sims[top], kind="stable")]]
