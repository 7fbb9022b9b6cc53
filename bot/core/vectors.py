"""Embeddings of the store's items: computed at build time through a cache keyed by a hash of the
text, stored in the store, and searched at answer time with one matrix product.

The cache is a small SQLite file that outlives any one store (a rebuild, or a `/reload` of an
unchanged store, embeds nothing; a new article embeds only its own sentences). It is an
optimisation only: when it cannot be read or written the build embeds and goes on.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

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
            for key in keys:
                row = self._db.execute("SELECT vec FROM vectors WHERE key = ?", (key,)).fetchone()
                if row is not None:
                    found[key] = row[0]
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


EXACT_SEARCH_MAX = 20_000  # up to this many vectors every one is compared with the question
CELLS = 256  # above it, vectors are grouped into this many cells (k-means on a sample)
PROBE_CELLS = 12  # cells whose vectors are compared with the question
KMEANS_SAMPLE = 8_000
KMEANS_ROUNDS = 6
CHUNK_ROWS = 16_384  # rows scored at a time when scanning (bounded temporary memory)


@cache
def single_blas_thread() -> None:
    """Keep numpy's BLAS to one thread, once per process. A question's search is one small
    matrix-vector product, which gains nothing from threads; but after a threaded product
    OpenBLAS's workers keep spinning on both cores, and the embedding model that runs next
    (its own threads) took 108 ms instead of 10 ms per question on a 100k store."""
    threadpool_limits(limits=1, user_api="blas")


class VectorIndex:
    """Item vectors, rows of one item contiguous, in item order.

    Small stores keep float32 rows and compare every one with the question (exact). Large ones
    keep int8 rows with a scale each (a quarter of the memory) and an inverted file: k-means
    cells, of which only the few nearest the question are scanned, so a question costs about
    the same at a hundred thousand items as at ten thousand.
    """

    def __init__(self, matrix: np.ndarray, owners: np.ndarray, items: int) -> None:
        single_blas_thread()
        owners = np.asarray(owners, dtype=np.int64)
        self.items = items
        self.rows = int(matrix.shape[0])
        # first row and row count of every item (items without a vector have none)
        self.first = np.zeros(items, dtype=np.int64)
        self.count = np.zeros(items, dtype=np.int64)
        if self.rows:
            uniq, first, count = np.unique(owners, return_index=True, return_counts=True)
            self.first[uniq], self.count[uniq] = first, count
        self.owners = owners
        dense = np.asarray(matrix, dtype=np.float32)
        self.exact = self.rows <= EXACT_SEARCH_MAX
        if self.exact:
            self.matrix = np.ascontiguousarray(dense)
            self.scale = None
        else:
            self.scale = np.abs(dense).max(axis=1).astype(np.float32) / 127.0 + 1e-12
            self.matrix = np.round(dense / self.scale[:, None]).astype(np.int8)
            self._build_cells(dense)
        del dense

    @property
    def empty(self) -> bool:
        return self.rows == 0

    def _build_cells(self, dense: np.ndarray) -> None:
        rng = np.random.default_rng(7)
        sample = dense[rng.choice(self.rows, size=min(KMEANS_SAMPLE, self.rows), replace=False)]
        centroids = sample[rng.choice(len(sample), size=min(CELLS, len(sample)), replace=False)].copy()
        for _ in range(KMEANS_ROUNDS):
            assign = np.argmax(sample @ centroids.T, axis=1)
            for c in range(len(centroids)):
                members = sample[assign == c]
                if len(members):
                    v = members.mean(axis=0)
                    centroids[c] = v / (np.linalg.norm(v) + 1e-12)
        cell = np.empty(self.rows, dtype=np.int32)
        for a in range(0, self.rows, CHUNK_ROWS):
            cell[a : a + CHUNK_ROWS] = np.argmax(dense[a : a + CHUNK_ROWS] @ centroids.T, axis=1)
        order = np.argsort(cell, kind="stable")
        self.centroids = centroids
        self.cell_rows = order  # row numbers grouped by cell
        self.cell_start = np.searchsorted(cell[order], np.arange(len(centroids) + 1))

    def _row_scores(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        if self.scale is None:
            return self.matrix[rows] @ query
        return (self.matrix[rows].astype(np.float32) @ query) * self.scale[rows]

    def similarity(self, query: np.ndarray, items: list[int]) -> np.ndarray:
        """Cosine similarity of the question to each of `items` (its best-matching text)."""
        out = np.zeros(len(items), dtype=np.float32)
        if self.empty or not items:
            return out
        idx = np.asarray(items, dtype=np.int64)
        counts = self.count[idx]
        has = counts > 0
        if not has.any():
            return out
        firsts, counts = self.first[idx][has], counts[has]
        rows = np.repeat(firsts, counts) + (
            np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        )
        scores = self._row_scores(rows, query.astype(np.float32))
        out[has] = np.maximum.reduceat(scores, np.concatenate(([0], np.cumsum(counts)[:-1])))
        return out

    def nearest(self, query: np.ndarray, k: int) -> list[int]:
        """The k items most similar to the question, most similar first."""
        if self.empty or k <= 0:
            return []
        q = query.astype(np.float32)
        if self.exact:
            rows = np.arange(self.rows)
            scores = self.matrix @ q
        else:
            near = np.argsort(-(self.centroids @ q))[:PROBE_CELLS]
            rows = np.concatenate([self.cell_rows[self.cell_start[c] : self.cell_start[c + 1]] for c in near])
            scores = self._row_scores(rows, q)
        owners = self.owners[rows]
        take = min(len(scores), k * 4)  # an item may own several of the best rows
        best = np.argpartition(-scores, take - 1)[:take]
        best = best[np.argsort(-scores[best], kind="stable")]
        seen: dict[int, None] = {}
        for r in best:
            seen.setdefault(int(owners[r]), None)
            if len(seen) == k:
                break
        return list(seen)
