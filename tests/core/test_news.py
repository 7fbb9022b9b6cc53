"""The news feed's core, without Discord: which moves a reload brings (a diff of two snapshots by
move, not by record id), and the ledger that keeps a move from being announced twice."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.core.articles import add_article
from bot.core.models import Transfer
from bot.core.news import Ledger, move_key, move_keys, new_moves, newest_first
from bot.core.service import ReloadReport, StoreService
from bot.core.store import Store

from .conftest import REPO, Project


@dataclass
class Snapshot:
    """What the feed reads of a store: its transfers and its entities' names."""

    transfers: list[Transfer]
    names: dict[str, str] = field(default_factory=dict)

    def entity_name(self, entity_id: str | None) -> str:
        if entity_id is None:
            return ""
        return self.names.get(entity_id, entity_id)


def move(tid: str, who: str, src: str | None, dst: str | None, date: str | None, **kw) -> Transfer:
    return Transfer(tid, who, src, dst, date, kw.pop("status", "joined"), {"en": tid, "fr": tid}, **kw)


PANG = move("pang-apple-to-meta", "ruoming-pang", "apple", "meta", "2025-07", status="confirmed")
NAMES = {"ruoming-pang": "Ruoming Pang", "apple": "Apple", "meta": "Meta", "quillon": "Quillon Labs"}


def test_the_first_snapshot_is_the_baseline_not_news() -> None:
    assert new_moves(None, Snapshot([PANG], NAMES)) == {}


def test_a_move_the_previous_snapshot_lacked_is_new_and_only_it() -> None:
    orla = move(
        "extracted:Orla Brennagh:Quillon Labs", "Orla Brennagh", "Vantablue", "Quillon Labs", "2026-03-02"
    )
    before = Snapshot([PANG], NAMES)
    after = Snapshot([PANG, orla], NAMES)
    fresh = new_moves(before, after)
    assert list(fresh.values()) == [orla]
    assert list(fresh) == ["orla brennagh -> quillon labs"]
    assert new_moves(after, after) == {}, "the same store twice brings nothing"


def test_new_moves_come_newest_first_undated_last() -> None:
    old = move("a", "Ann", "X", "Y", "2024-01")
    new = move("b", "Bob", "X", "Y", "2026-02-10")
    reported_only = move("c", "Cy", "X", "Y", None, reported="2025-05-01")
    undated = move("d", "Di", "X", "Y", None)
    fresh = new_moves(Snapshot([]), Snapshot([old, undated, reported_only, new]))
    assert [t.id for t in fresh.values()] == ["b", "c", "a", "d"]
    assert [t.id for t in newest_first([old, new])] == ["b", "a"]


def test_reviewing_an_extracted_move_or_its_person_is_not_a_new_move() -> None:
    """The extracted record's id and its person's id change when a curator confirms them; the
    move (who, where to) does not."""
    extracted = move(
        "extracted:Orla Brennagh:Quillon Labs", "Orla Brennagh", "Vantablue", "Quillon Labs", "2026-03"
    )
    curated = replace(extracted, id="orla-to-quillon", who="orla-brennagh", to_org="quillon", reviewed=True)
    names = {**NAMES, "orla-brennagh": "Orla Brennagh"}
    assert new_moves(Snapshot([extracted]), Snapshot([curated], names)) == {}
    # A later status of the same move (in talks, then joined) is an update, not news.
    talks = replace(extracted, status="in_talks")
    assert new_moves(Snapshot([talks]), Snapshot([extracted])) == {}
    # Accents and case do not make a move new either.
    assert move_key(replace(extracted, who="ORLA BRENNÁGH"), str) == move_key(extracted, str)


def test_a_departure_is_known_by_where_from_and_a_new_destination_is_news() -> None:
    gunter = move("gunter-leaves-apple", "tom-gunter", "apple", None, "2025", status="destination_unknown")
    names = {**NAMES, "tom-gunter": "Tom Gunter"}
    assert move_keys(Snapshot([gunter], names)) == {"tom gunter <- apple"}
    to_meta = replace(gunter, id="gunter-to-meta", to_org="meta", status="joined")
    assert list(new_moves(Snapshot([gunter], names), Snapshot([to_meta], names))) == ["tom gunter -> meta"]


def test_two_records_of_one_move_are_announced_once() -> None:
    a = move("one", "Ann", "X", "Y", "2026-01")
    b = replace(a, id="two", date="2026-02")
    fresh = new_moves(Snapshot([]), Snapshot([a, b]))
    assert list(fresh.values()) == [b], "the newest record of the move"


# -- the ledger -----------------------------------------------------------------------------------


def test_the_ledger_claims_each_key_once_and_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "var" / "announced.sqlite"
    ledger = Ledger(path)
    assert ledger.remember(["a", "b"]) == 2
    assert ledger.claim(["b", "c", "c", "d"]) == ["c", "d"]
    again = Ledger(path)  # a restart
    assert again.claim(["a", "c", "e"]) == ["e"]
    assert len(again) == 5
    x = move("x", "Ann", "X", "Y", "2026-01")
    y = move("y", "Bob", "X", "Y", "2025-01")
    assert again.fresh({"e": x, "f": y}) == [y]


def test_two_processes_claiming_the_same_keys_get_each_once(tmp_path: Path) -> None:
    path = tmp_path / "announced.sqlite"
    keys = [f"k{i}" for i in range(200)]
    got: list[list[str]] = []
    start = threading.Barrier(4)

    def claim() -> None:
        start.wait()
        got.append(Ledger(path).claim(keys))

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    claimed = [k for batch in got for k in batch]
    assert sorted(claimed) == sorted(keys), "every key claimed exactly once in all"


# -- through the service ------------------------------------------------------------------------


def test_a_reload_reports_the_moves_an_article_brings_and_tells_its_listeners(built: Project) -> None:
    service = StoreService(built.settings)
    service.ensure_built()
    seen: list[tuple[ReloadReport, Store]] = []

    async def listener(report: ReloadReport, store: Store) -> None:
        seen.append((report, store))

    async def broken(report: ReloadReport, store: Store) -> None:
        raise RuntimeError("a listener that fails")

    service.swap_listeners += [broken, listener]
    add_article(built.seeds, (REPO / "tests" / "articles" / "zephyr_en.txt").read_bytes())
    report = asyncio.run(service.reload())
    assert report.ok, report.errors
    assert "orla brennagh -> quillon labs" in report.new_moves
    assert "ruoming pang -> meta" not in report.new_moves, "known before"
    assert all(not t.reviewed for t in report.new_moves.values())
    dates = [t.date or t.reported or "" for t in report.new_moves.values()]
    assert dates == sorted(dates, reverse=True)
    assert [r for r, _s in seen] == [report], "a failing listener does not stop the next one"
    assert seen[0][1] is service.store

    second = asyncio.run(service.reload())
    assert second.ok and second.new_moves == {}, "the same store again brings nothing"
    assert len(seen) == 2
