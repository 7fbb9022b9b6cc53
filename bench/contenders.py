"""The two things a user could pick instead of our retrieval, over the same texts as our store.

Both index, per store item, the text a reader sees: every language of its text and, for curated
items, its topic (a passage is its sentence). Both return the id of their top-1 item.

- FTS5: an in-memory SQLite FTS5 table (`unicode61 remove_diacritics 2`), queried with an OR of
  the question's words (bound parameter) ordered by `bm25`, LIMIT 1.
- extractOne: `rapidfuzz.process.extractOne` with `fuzz.WRatio` over all texts; the texts are
  put through `utils.default_process` once up front (the cheapest way to call it), the question
  on each call.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from rapidfuzz import fuzz, process, utils

_WORD = re.compile(r"\w+", re.UNICODE)


def store_texts(store_path: Path) -> tuple[list[str], list[str]]:
    """(ids, texts) of every item in a built store, in store order."""
    db = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    try:
        ids, texts = [], []
        for iid, kind, topic, text in db.execute("SELECT id, kind, topic, text FROM items ORDER BY rowid"):
            parts = list(json.loads(text).values())
            if kind != "passage":
                parts += list(dict.fromkeys(json.loads(topic).values()))
            ids.append(iid)
            texts.append(" ".join(parts))
        return ids, texts
    finally:
        db.close()


class Fts5:
    name = "FTS5 bm25"

    def __init__(self, ids: list[str], texts: list[str]) -> None:
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.execute(
            "CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, body, tokenize='unicode61 remove_diacritics 2')"
        )
        self.db.executemany("INSERT INTO t (id, body) VALUES (?, ?)", zip(ids, texts, strict=True))
        self.db.commit()
        self.sql = "SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 1"

    def top1(self, question: str) -> str | None:
        words = _WORD.findall(question.lower())
        if not words:
            return None
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in dict.fromkeys(words))
        row = self.db.execute(self.sql, (match,)).fetchone()
        return row[0] if row else None


class ExtractOne:
    name = "rapidfuzz extractOne"

    def __init__(self, ids: list[str], texts: list[str]) -> None:
        self.ids = ids
        self.choices = [utils.default_process(t) for t in texts]

    def top1(self, question: str) -> str | None:
        hit = process.extractOne(utils.default_process(question), self.choices, scorer=fuzz.WRatio)
        return self.ids[hit[2]] if hit else None
