"""The flows picture: what is counted as a flow, the summary line, the PNG, and the CLI."""

from __future__ import annotations

import json
import struct
from datetime import datetime, timezone

from bot.core import flows as F
from bot.core.models import Entity, Transfer
from bot.core.store import Store

from .conftest import Project


def org(eid: str, parent: str | None = None) -> Entity:
    return Entity(eid, "company", eid.title(), (), {"en": "", "fr": ""}, parent)


def person(eid: str) -> Entity:
    return Entity(eid, "person", eid.title(), (), {"en": "", "fr": ""})


def move(
    n: int, who: str, src: str | None, dst: str | None, date: str | None = "2025-06", status="confirmed"
):
    return Transfer(f"t{n}", who, src, dst, date, status, {"en": "", "fr": ""})


def test_shipped_seeds_flows(module_store: Store) -> None:
    found = F.flows(module_store.list_transfers(), module_store.entities)
    pairs = {(f.source, f.target, f.confirmed): f.people for f in found}
    assert pairs[("Apple", "Meta", True)] == ("Ruoming Pang",)
    assert pairs[("Scale AI", "Meta", True)] == ("Alexandr Wang",)
    assert pairs[("Apple", F.UNKNOWN, False)] == ("Tom Gunter",)
    line = F.summary(found, "en")
    assert "\n" not in line and line.startswith("4 move(s) between 4 organisation(s)")
    assert "Apple → ? (unknown) 1 (Tom Gunter)" in line
    assert "mouvement" in F.summary(found, "fr")


def test_teams_count_as_their_organisation_and_since_keeps_dated_moves() -> None:
    entities = {
        e.id: e for e in [org("meta"), org("lab", parent="meta"), org("apple"), person("ann"), person("bob")]
    }
    moves = [
        move(1, "ann", "apple", "lab", "2025-07"),
        move(2, "bob", "apple", "meta", "2024-01"),
        move(3, "bob", "lab", "meta"),  # inside Meta: not a flow
        move(4, "ann", "apple", "meta", None),
    ]
    found = F.flows(moves, entities)
    assert [(f.source, f.target, f.count) for f in found] == [("Apple", "Meta", 3)]
    june = datetime(2025, 6, 1, tzinfo=timezone.utc)
    assert [f.people for f in F.flows(moves, entities, june)] == [("Ann",)]


def test_many_organisations_fold_into_others_and_stay_readable() -> None:
    entities = {f"o{n}": org(f"o{n}") for n in range(30)} | {f"p{n}": person(f"p{n}") for n in range(60)}
    moves = [move(n, f"p{n}", f"o{n % 30}", f"o{(n * 7 + 1) % 30}") for n in range(60)]
    found = F.flows(moves, entities)
    nodes = {f.source for f in found} | {f.target for f in found}
    assert len(nodes) <= F.MAX_NODES and len(found) <= F.MAX_EDGES
    assert F.OTHERS in nodes
    png = F.render_png(found, "fr", "test")
    assert png.startswith(b"\x89PNG")


def test_png_size_and_determinism(module_store: Store) -> None:
    found = F.flows(module_store.list_transfers(), module_store.entities)
    png = F.render_png(found, "en")
    assert struct.unpack(">II", png[16:24]) == (1200, 760)
    assert png == F.render_png(found, "en"), "same flows, same bytes (the README picture)"
    empty = F.render_png([], "en")
    assert empty.startswith(b"\x89PNG") and F.summary([], "en", "Meta") == "No move known (Meta)."


def test_cli_flows_and_gaps(built: Project) -> None:
    out = built.root / "out" / "flows.png"
    done = built.cli("flows", "--company", "meta", "--since", "2025-06", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"\x89PNG")
    assert "Meta · since 2025-06-01: 2 move(s)" in done.stdout.decode()
    bad = built.cli("flows", "--company", "zorglub", "--out", str(out))
    assert bad.returncode == 2 and b"zorglub" in bad.stderr and b"Traceback" not in bad.stderr
    from bot.core.gaps import GapStore

    gaps = GapStore(built.store_path.parent / "gaps.sqlite")
    gaps.log("declined", "Who is Yann LeCun?", "en", topic="Meta's AI lab")
    gaps.log("declined", "who is yann lecun", "en")
    listed = built.cli("gaps", "--json", "--since", "7d")
    assert listed.returncode == 0, listed.stderr
    [group] = [json.loads(line) for line in listed.stdout.decode().splitlines()]
    assert (
        group["count"] == 2
        and group["topic"] == "Meta's AI lab"
        and group["variants"] == ["who is yann lecun"]
    )
    text = built.cli("gaps").stdout.decode()
    assert "2×  Who is Yann LeCun?" in text
    assert built.cli("gaps", "--since", "someday").returncode == 2
