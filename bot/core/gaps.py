"""What the bot could not answer: declined questions and answers marked wrong, for curators.

A small SQLite file of its own, beside the store and never inside it, so that a rebuild or a
`/reload` (which replace the store file) cannot lose it. It holds the question, its language,
the time, the answer given and the closest topic the bot found: never who asked. It is bounded
in rows and in age; pruning runs every few hundred writes and costs two indexed deletes.

No Discord and no settings in here: callers pass the path.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rapidfuzz import fuzz, process

from .text import clean, tokens

Kind = Literal["declined", "wrong"]
KINDS: tuple[Kind, ...] = ("declined", "wrong")

# Bounds: what a curator can act on, and what keeps the file small (a row is at most ~2.5 kB).
MAX_ROWS = 10_000
MAX_AGE_DAYS = 180
PRUNE_EVERY = 250  # writes between two prunes: the file may exceed MAX_ROWS by this much
QUESTION_MAX = 500  # characters kept of a question (the longest /ask accepts)
ANSWER_MAX = 700  # characters kept of the answer given
TOPIC_MAX = 200
# Two questions are "near-identical" from this rapidfuzz ratio of their sorted folded words:
# "Who is Ruoming Pang?" and "who is rouming pang" group; "Who is Tom Gunter?" and "Who is
# Alexandr Wang?" do not.
GROUP_SIMILARITY = 88
SIGNATURE_WORDS = 2  # a question is compared with the groups sharing one of its rarest words
MAX_CANDIDATES = 300  # groups compared per word at most (words in every question stay cheap)
VARIANTS_KEPT = 3  # spellings of a group shown besides its most asked one
DAY = 86_400.0

SCHEMA = """
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA journal_size_limit = 1048576;
CREATE TABLE IF NOT EXISTS gaps (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    asked_at REAL NOT NULL,
    language TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS gaps_asked_at ON gaps (asked_at);
CREATE TABLE IF NOT EXISTS votes (
    day TEXT NOT NULL,
    vote TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (day, vote)
) WITHOUT ROWID;
"""
INSERT_GAP = "INSERT INTO gaps (kind, asked_at, language, question, answer, topic) VALUES (?, ?, ?, ?, ?, ?)"
ADD_VOTE = "INSERT INTO votes (day, vote, n) VALUES (?, ?, 1) ON CONFLICT (day, vote) DO UPDATE SET n = n + 1"
PRUNE_OLD = "DELETE FROM gaps WHERE asked_at < ?"
PRUNE_EXTRA = "DELETE FROM gaps WHERE id <= (SELECT id FROM gaps ORDER BY id DESC LIMIT 1 OFFSET ?)"
PRUNE_VOTES = "DELETE FROM votes WHERE day < ?"
SELECT_SINCE = (
    "SELECT kind, asked_at, language, question, answer, topic FROM gaps WHERE asked_at >= ? ORDER BY id"
)
SELECT_VOTES = "SELECT vote, SUM(n) FROM votes WHERE day >= ? GROUP BY vote"
COUNT = "SELECT COUNT(*) FROM gaps"


@dataclass(frozen=True)
class Gap:
    """One declined question, or one answer a member marked wrong."""

    kind: Kind
    asked_at: float  # Unix time, UTC
    language: str
    question: str
    answer: str = ""
    topic: str = ""


@dataclass
class GapGroup:
    """Near-identical questions counted together, most asked spelling first."""

    question: str
    count: int
    declined: int
    wrong: int
    language: str
    topic: str
    last_asked: float
    variants: list[str] = field(default_factory=list)
    answer: str = ""  # the latest answer marked wrong, if any

    def to_json(self) -> dict[str, object]:
        return {
            "question": self.question,
            "count": self.count,
            "declined": self.declined,
            "wrong": self.wrong,
            "language": self.language,
            "topic": self.topic or None,
            "last_asked": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.last_asked)),
            "variants": self.variants,
            "answer": self.answer or None,
        }


def _day(at: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(at))


def _cap(text: str, limit: int) -> str:
    """One clean line of at most `limit` characters (no control or invisible characters)."""
    line = " ".join(clean(text or "").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class GapStore:
    """The gaps database. Safe to share between the event loop and worker threads."""

    def __init__(
        self,
        path: Path,
        *,
        max_rows: int = MAX_ROWS,
        max_age_days: float = MAX_AGE_DAYS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.max_rows = max_rows
        self.max_age = max_age_days * DAY
        self._now = clock
        self._lock = threading.Lock()
        self._writes = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=5.0)
        with self._lock:
            self._db.executescript(SCHEMA)
            self._prune_locked()
            self._db.commit()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def log(
        self,
        kind: Kind,
        question: str,
        language: str,
        answer: str = "",
        topic: str = "",
        at: float | None = None,
    ) -> bool:
        """Record one gap; False (nothing stored) for an empty question or an unknown kind."""
        text = _cap(question, QUESTION_MAX)
        if not text or kind not in KINDS:
            return False
        row = (
            kind,
            self._now() if at is None else at,
            "fr" if language == "fr" else "en",
            text,
            _cap(answer, ANSWER_MAX),
            _cap(topic, TOPIC_MAX),
        )
        with self._lock:
            self._db.execute(INSERT_GAP, row)
            self._after_write()
            self._db.commit()
        return True

    def vote(
        self,
        helpful: bool,
        question: str = "",
        language: str = "en",
        answer: str = "",
        topic: str = "",
        at: float | None = None,
    ) -> None:
        """A 👍 only counts (per day); a 👎 counts and logs the answer as wrong."""
        moment = self._now() if at is None else at
        with self._lock:
            self._db.execute(ADD_VOTE, (_day(moment), "up" if helpful else "down"))
            self._db.commit()
        if not helpful:
            self.log("wrong", question, language, answer, topic, at=moment)

    def _after_write(self) -> None:
        self._writes += 1
        if self._writes >= PRUNE_EVERY:
            self._prune_locked()

    def prune(self) -> None:
        """Drop what is too old, then all but the newest `max_rows`."""
        with self._lock:
            self._prune_locked()
            self._db.commit()

    def _prune_locked(self) -> None:
        self._writes = 0
        cutoff = self._now() - self.max_age
        self._db.execute(PRUNE_OLD, (cutoff,))
        self._db.execute(PRUNE_EXTRA, (self.max_rows,))
        self._db.execute(PRUNE_VOTES, (_day(cutoff),))

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute(COUNT).fetchone()[0])

    def entries(self, since: float | None = None) -> list[Gap]:
        """Gaps logged at or after `since` (Unix time), oldest first; all of them without it."""
        with self._lock:
            rows = self._db.execute(SELECT_SINCE, (since or 0.0,)).fetchall()
        return [Gap(*row) for row in rows]

    def votes(self, since: float | None = None) -> dict[str, int]:
        """👍 and 👎 counts since `since`: {"up": n, "down": m}."""
        with self._lock:
            rows = self._db.execute(SELECT_VOTES, (_day(since or 0.0),)).fetchall()
        counts = {"up": 0, "down": 0}
        counts.update({vote: int(n) for vote, n in rows})
        return counts

    def groups(self, since: float | None = None, limit: int | None = None) -> list[GapGroup]:
        return group(self.entries(since))[:limit]


def question_key(text: str) -> str:
    """What near-identical means: folded words only (case, accents, punctuation and word order
    ignored). Sorted here once, so grouping compares with plain `fuzz.ratio`, the fast scorer."""
    return " ".join(sorted(tokens(text)))


def group(gaps: Iterable[Gap]) -> list[GapGroup]:
    """Near-identical questions grouped, most asked first (then the most recent).

    Identical folded questions are merged first (a dict). Each distinct one is then compared,
    most asked first, only with the groups sharing one of its SIGNATURE_WORDS rarest words: two
    near-identical questions share most words, and the rarest ones pick few groups, so 20,000
    distinct questions group in about a second instead of minutes of all-pairs comparisons.
    """
    by_key: dict[str, list[Gap]] = {}
    for g in gaps:
        key = question_key(g.question) or g.question.lower()
        by_key.setdefault(key, []).append(g)
    order = sorted(by_key, key=lambda k: (-len(by_key[k]), -by_key[k][-1].asked_at))
    frequency = Counter(word for key in by_key for word in set(key.split()))
    reps: list[str] = []
    members: list[list[str]] = []
    by_word: dict[str, list[int]] = {}
    for key in order:
        words = sorted(set(key.split()), key=lambda w: (frequency[w], -len(w)))[:SIGNATURE_WORDS]
        # Groups are made most asked first: the first MAX_CANDIDATES of a common word are the
        # most asked ones, where a question made of common words most likely belongs.
        candidates = sorted({n for w in words for n in by_word.get(w, ())[:MAX_CANDIDATES]})
        found = process.extractOne(
            key, [reps[n] for n in candidates], scorer=fuzz.ratio, score_cutoff=GROUP_SIMILARITY
        )
        if found is None:
            target = len(reps)
            reps.append(key)
            members.append([key])
        else:
            target = candidates[found[2]]
            members[target].append(key)
        for w in words:
            slot = by_word.setdefault(w, [])
            if not slot or slot[-1] != target:
                slot.append(target)
    groups = [_summarise([g for key in keys for g in by_key[key]]) for keys in members]
    groups.sort(key=lambda gr: (-gr.count, -gr.last_asked))
    return groups


def _most_common(values: Sequence[str]) -> str:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else ""


def _summarise(gaps: list[Gap]) -> GapGroup:
    spellings = Counter(g.question for g in gaps)
    ordered = [q for q, _ in spellings.most_common()]
    wrong = [g for g in gaps if g.kind == "wrong"]
    return GapGroup(
        question=ordered[0],
        count=len(gaps),
        declined=len(gaps) - len(wrong),
        wrong=len(wrong),
        language=_most_common([g.language for g in gaps]) or "en",
        topic=_most_common([g.topic for g in gaps]),
        last_asked=max(g.asked_at for g in gaps),
        variants=ordered[1 : 1 + VARIANTS_KEPT],
        answer=max(wrong, key=lambda g: g.asked_at).answer if wrong else "",
    )
