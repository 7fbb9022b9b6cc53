"""The news feed's core: which moves a reload brought, and which of them were announced already.

A move is known by who moved and where to (or where from, when the destination is unknown),
by their names, folded: the key stays the same when a curator reviews an extracted move (its id
changes from `extracted:…` to the curated one), when a person read from articles gets a curated
record (their id changes from the name to a slug), or when a second article reports the same
move. A new status of a known move (in talks, then joined) is an update, not a new move.

What is new is decided twice, and both must agree:

1. `new_moves(before, after)`: the moves of the new snapshot whose key the previous snapshot did
   not have. The first snapshot of a process (start-up) has no previous one: it is the baseline,
   never news. This alone bounds what can ever be posted to what the reload really changed, so a
   lost or damaged ledger can never flood the channel with the whole store.
2. `Ledger`: a small SQLite file beside the store (never inside it: a rebuild replaces the store
   file) of every key announced or present at start-up. It keeps a move from being announced
   twice when an article is removed and added again, and when several processes (`SHARD_IDS`)
   share one store: each reloads on its own, and claiming a key is one transaction, so exactly one
   of them posts it.

No Discord and no settings in here: callers pass the stores and the path.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .models import Transfer
from .text import fold

LEDGER_FILE = "announced.sqlite"  # beside the store, like gaps.sqlite

SCHEMA = """
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS announced (
    key TEXT PRIMARY KEY,
    at REAL NOT NULL,
    how TEXT NOT NULL
) WITHOUT ROWID;
"""
RECORD = "INSERT OR IGNORE INTO announced (key, at, how) VALUES (?, ?, ?)"
COUNT = "SELECT COUNT(*) FROM announced"


class Moves(Protocol):
    """What the feed reads of a store snapshot (`bot.core.store.Store` is one)."""

    @property
    def transfers(self) -> Sequence[Transfer]: ...
    def entity_name(self, entity_id: str | None) -> str: ...


def move_key(t: Transfer, name: Callable[[str | None], str]) -> str:
    """ "ruoming pang -> meta"; "tom gunter <- apple" when only the organisation left is known."""
    who = fold(name(t.who))
    if t.to_org:
        return f"{who} -> {fold(name(t.to_org))}"
    return f"{who} <- {fold(name(t.from_org))}"


def move_keys(store: Moves) -> set[str]:
    return {move_key(t, store.entity_name) for t in store.transfers}


def newest_first(moves: Iterable[Transfer]) -> list[Transfer]:
    """By the move's date (else the date of its newest report), latest first; undated last."""
    return sorted(moves, key=lambda t: t.date or t.reported or "", reverse=True)


def new_moves(before: Moves | None, after: Moves) -> dict[str, Transfer]:
    """The moves of `after` that `before` did not have, by key, newest first (one transfer per
    key: the newest, should two records describe the same move). Nothing when there is no
    `before`: a first snapshot is the baseline, not news."""
    if before is None:
        return {}
    known = move_keys(before)
    fresh: dict[str, Transfer] = {}
    for t in newest_first(after.transfers):
        key = move_key(t, after.entity_name)
        if key not in known:
            fresh.setdefault(key, t)
    return fresh


@dataclass(frozen=True)
class Announcement:
    """What became of a reload's new moves in the news channel, for the moderator's reply.

    `problem` is None when they were posted, else why not: "missing" (no such channel, or not
    one the bot can see), "not_text", "forbidden" (no permission to post) or "refused" (the post
    failed)."""

    moves: int
    channel_id: int
    problem: str | None = None
    channel_found: bool = True


class Ledger:
    """The keys announced (or present at start-up), in their own SQLite file at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        db.executescript(SCHEMA)
        return db

    def remember(self, keys: Iterable[str], how: str = "baseline") -> int:
        """Record `keys` as known (the moves present at start-up); returns how many were new."""
        return len(self.claim(keys, how))

    def claim(self, keys: Iterable[str], how: str = "announced") -> list[str]:
        """Record `keys`; return those no one had recorded before (in order), now this caller's
        to announce. One transaction: two processes claiming the same key get it once in all."""
        now = time.time()
        claimed: list[str] = []
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            for key in dict.fromkeys(keys):
                if db.execute(RECORD, (key, now, how)).rowcount == 1:
                    claimed.append(key)
            db.execute("COMMIT")
        finally:
            db.close()
        return claimed

    def fresh(self, moves: Mapping[str, Transfer]) -> list[Transfer]:
        """The moves (by key, in their order) not announced before, now recorded as announced."""
        claimed = set(self.claim(moves))
        return [t for key, t in moves.items() if key in claimed]

    def __len__(self) -> int:
        db = self._connect()
        try:
            return int(db.execute(COUNT).fetchone()[0])
        finally:
            db.close()
