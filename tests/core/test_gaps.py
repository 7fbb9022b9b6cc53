"""The gaps database: what it keeps (and never keeps), its bounds, grouping, and surviving rebuilds."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.core import gaps
from bot.core.gaps import Gap, GapStore, group
from bot.core.service import StoreService
from bot.core.since import BadSince, on_or_after, parse_since

from .conftest import Project

NOW = 1_750_000_000.0


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_logs_question_language_time_answer_topic_and_nothing_else(tmp_path: Path) -> None:
    store = GapStore(tmp_path / "gaps.sqlite", clock=Clock())
    assert store.log("declined", "What is the weather?\x00", "en", "I don't know.", "Meta's offers")
    assert not store.log("declined", "   ", "en"), "empty questions are not gaps"
    [gap] = store.entries()
    assert gap == Gap("declined", NOW, "en", "What is the weather?", "I don't know.", "Meta's offers")
    columns = {row[1] for row in sqlite3.connect(tmp_path / "gaps.sqlite").execute("PRAGMA table_info(gaps)")}
    assert columns == {"id", "kind", "asked_at", "language", "question", "answer", "topic"}, "never who asked"


def test_long_texts_are_cut(tmp_path: Path) -> None:
    store = GapStore(tmp_path / "gaps.sqlite")
    store.log("wrong", "q" * 10_000, "fr", "a" * 10_000, "t" * 10_000)
    [gap] = store.entries()
    assert len(gap.question) == gaps.QUESTION_MAX and len(gap.answer) == gaps.ANSWER_MAX
    assert len(gap.topic) == gaps.TOPIC_MAX


def test_votes_count_and_thumbs_down_is_a_gap(tmp_path: Path) -> None:
    store = GapStore(tmp_path / "gaps.sqlite", clock=Clock())
    store.vote(True, "Who is Ruoming Pang?", "en", "He is …", "Ruoming Pang")
    store.vote(False, "Who is Tom Gunter?", "en", "An unrelated fact.", "Tom Gunter")
    store.vote(False, "who is tom gunter", "en", "An unrelated fact.", "Tom Gunter")
    assert store.votes() == {"up": 1, "down": 2}
    [grp] = store.groups()
    assert (grp.count, grp.wrong, grp.declined, grp.topic) == (2, 2, 0, "Tom Gunter")
    assert grp.answer == "An unrelated fact."


def test_groups_near_identical_most_asked_first(tmp_path: Path) -> None:
    clock = Clock()
    store = GapStore(tmp_path / "gaps.sqlite", clock=clock)
    for q in ["Who is Yann LeCun?", "who is yann lecun", "Who is Yan LeCun ?", "Qui est Yann LeCun ?"]:
        store.log("declined", q, "en", topic="Meta's AI lab")
        clock.now += 1
    store.log("declined", "What is the weather in Paris?", "en")
    store.log("declined", "What is the weather in Paris?", "en")
    groups = store.groups()
    assert [g.count for g in groups] == [3, 2, 1]
    assert groups[0].question == "Who is Yann LeCun?" and groups[0].topic == "Meta's AI lab"
    assert set(groups[0].variants) == {"who is yann lecun", "Who is Yan LeCun ?"}
    assert groups[1].question == "What is the weather in Paris?"
    assert json.dumps([g.to_json() for g in groups])


def test_grouping_keeps_different_people_apart() -> None:
    found = group(
        [
            Gap("declined", NOW, "en", "Who is Tom Gunter?"),
            Gap("declined", NOW, "en", "Who is Alexandr Wang?"),
        ]
    )
    assert len(found) == 2


def test_since_filters(tmp_path: Path) -> None:
    clock = Clock()
    store = GapStore(tmp_path / "gaps.sqlite", clock=clock)
    store.log("declined", "old question", "en")
    clock.now += 10 * 86_400
    store.log("declined", "new question", "en")
    since = parse_since("7d", now=datetime.fromtimestamp(clock.now, tz=timezone.utc))
    assert [g.question for g in store.groups(since.timestamp())] == ["new question"]


def test_parse_since_forms() -> None:
    now = datetime(2025, 7, 10, tzinfo=timezone.utc)
    assert parse_since("7d", now) == datetime(2025, 7, 3, tzinfo=timezone.utc)
    assert parse_since("2025-06", now) == datetime(2025, 6, 1, tzinfo=timezone.utc)
    assert parse_since(" 2025 ", now) == datetime(2025, 1, 1, tzinfo=timezone.utc)
    for bad in ["yesterday", "2025-13", "", "7 days"]:
        with pytest.raises(BadSince):
            parse_since(bad, now)
    june = datetime(2025, 6, 15, tzinfo=timezone.utc)
    assert on_or_after("2025-06", june) and on_or_after("2025-07", june) and on_or_after("2025", june)
    assert not on_or_after("2025-05", june) and not on_or_after(None, june)


def test_old_gaps_are_pruned(tmp_path: Path) -> None:
    clock = Clock()
    store = GapStore(tmp_path / "gaps.sqlite", clock=clock, max_age_days=30)
    store.log("declined", "stale", "en")
    clock.now += 31 * 86_400
    store.log("declined", "fresh", "en")
    store.prune()
    assert [g.question for g in store.entries()] == ["fresh"]
    reopened = GapStore(tmp_path / "gaps.sqlite", clock=clock, max_age_days=30)
    assert reopened.count() == 1, "pruned at open too"


@pytest.mark.soak
def test_size_stays_bounded_under_100000_questions(tmp_path: Path) -> None:
    """100,000 long, distinct questions: rows never exceed the bound by more than one prune
    interval, and the files (database, WAL) stay within what that many rows can take."""
    path = tmp_path / "gaps.sqlite"
    store = GapStore(path)
    peak = 0
    started = time.perf_counter()
    for n in range(100_000):
        store.log(
            "declined", f"Question number {n} about someone nobody knows? " * 12, "en", "x" * 900, "t" * 300
        )
        if n % 5_000 == 0:
            peak = max(peak, store.count())
    seconds = time.perf_counter() - started
    assert store.count() <= gaps.MAX_ROWS + gaps.PRUNE_EVERY
    assert peak <= gaps.MAX_ROWS + gaps.PRUNE_EVERY
    # A row holds at most QUESTION_MAX + ANSWER_MAX + TOPIC_MAX characters (ASCII here) plus ~40
    # bytes; allow SQLite's page slack twice over, plus the WAL's size limit.
    row = gaps.QUESTION_MAX + gaps.ANSWER_MAX + gaps.TOPIC_MAX + 40
    limit = 2 * row * (gaps.MAX_ROWS + gaps.PRUNE_EVERY) + 2 * 1_048_576 + 65_536
    size = sum(p.stat().st_size for p in tmp_path.glob("gaps.sqlite*"))
    assert size <= limit, (size, limit)
    print(f"100,000 logged in {seconds:.1f}s; {store.count()} rows kept; {size / 1e6:.1f} MB on disk")


async def test_gaps_survive_a_rebuild_and_a_reload(built: Project) -> None:
    """The gaps file sits beside the store: neither a rebuild nor a reload touches it."""
    path = built.store_path.parent / "gaps.sqlite"
    store = GapStore(path)
    store.log("declined", "What did Apple pay Ruoming Pang?", "en")
    built.build()
    service = StoreService(built.settings)
    service.ensure_built()
    report = await service.reload()
    assert report.ok
    assert [g.question for g in GapStore(path).entries()] == ["What did Apple pay Ruoming Pang?"]
