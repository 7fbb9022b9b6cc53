"""StoreService: a reload says what changed; a broken knowledge file never takes the bot down (the
previous store keeps answering, byte for byte); reloads are serialised; and questions answered
while reloads run always come from exactly one consistent store.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
import yaml

from bot.core.answer import answer
from bot.core.service import ReloadInProgress, ReloadReport, StoreService
from bot.core.store import Store

from .conftest import Project, sha256, target_fact

QUESTION = "How much did Meta offer Ruoming Pang?"
OTHER_QUESTIONS = [
    "Who is Tom Gunter?",
    "Qui est Alexandr Wang ?",
    "Who left Apple?",
    "Why are researchers leaving Apple?",
    "What is the weather in Paris?",
    "",
]


@pytest.fixture
def service(built: Project) -> StoreService:
    svc = StoreService(built.settings)
    svc.ensure_built()
    return svc


def a_quote(store: Store, fid: str) -> tuple[str, str]:
    """(seed file name, verbatim quote) of one citation of a record."""
    c = store.items_by_id[fid].citations[0]
    return c.source.removeprefix("seeds/"), c.quote


def fact_yaml(fid: str, about: list[str], seed: str, quote: str, **extra) -> str:
    record = {
        "id": fid,
        "topic": {"en": "A new topic", "fr": "Un nouveau sujet"},
        "about": about,
        "answers": ["what"],
        "text": {"en": "A new fact.", "fr": "Un nouveau fait."},
        "cite": [{"seed": seed, "quote": quote}],
    }
    record.update(extra)
    return yaml.safe_dump({"facts": [record]}, allow_unicode=True, sort_keys=False)


# -- what a reload reports ------------------------------------------------------------------------


async def test_reload_reports_added_removed_changed(built: Project, service: StoreService) -> None:
    old = service.store
    changed = target_fact(old, QUESTION)
    removed = sorted(i for i in old.fact_ids if old.items_by_id[i].kind == "fact" and i != changed)[0]
    new_text = old.items_by_id[changed].text["en"] + " (updated)"

    def change(records, n):
        records[n]["text"]["en"] = new_text

    def remove(records, n):
        del records[n]

    built.edit_records(changed, change)
    built.edit_records(removed, remove)
    seed, quote = a_quote(old, changed)
    (built.knowledge / "zz-new.yaml").write_text(
        fact_yaml("zz-new-fact", ["meta"], seed, quote), encoding="utf-8"
    )

    report = await service.reload()

    assert isinstance(report, ReloadReport)
    assert report.ok and report.errors == []
    assert report.added == ["zz-new-fact"]
    assert report.removed == [removed]
    assert report.changed == [changed]
    assert report.version == service.store.version != old.version
    assert report.facts == len(service.store.fact_ids)
    assert report.documents == len(service.store.documents)
    assert answer(service.store, QUESTION).text == new_text
    assert removed not in service.store.fact_ids
    # the old snapshot is untouched: whoever still holds it gets old answers
    assert answer(old, QUESTION).text == old.items_by_id[changed].text["en"]


# -- broken inputs keep the previous store --------------------------------------------------------


def _break(kind: str, project: Project, store: Store) -> tuple[str, int, str] | None:
    """Break the inputs one way; returns (file, line, part of the message) that must be reported."""
    fid = target_fact(store, QUESTION)
    seed, quote = a_quote(store, fid)
    broken = project.knowledge / "zz-broken.yaml"
    if kind == "invalid-yaml":
        broken.write_text("facts:\n  - id: zz-x\n    about: [meta\n    answers: [what]\n", encoding="utf-8")
        return "knowledge/zz-broken.yaml", 4, "invalid YAML"
    if kind == "wrong-types":
        text = fact_yaml("zz-x", ["meta"], seed, quote).replace("  - what\n", "  - gossip\n")
        broken.write_text(text, encoding="utf-8")
        return "knowledge/zz-broken.yaml", text.splitlines().index("  answers:") + 1, "gossip"
    if kind == "aliases-not-a-list":
        text = (
            "organisations:\n  - id: zz-org\n    name: Zz Org\n    aliases: Zz\n    kind: company\n"
            f"    summary: {{en: x, fr: x}}\n    cite:\n      - seed: {seed}\n        quote: {json.dumps(quote)}\n"
        )
        broken.write_text(text, encoding="utf-8")
        return "knowledge/zz-broken.yaml", 4, "aliases"
    if kind == "duplicate-id":
        first = f"knowledge/{project.file_defining(fid).name}:"
        broken.write_text(fact_yaml(fid, ["meta"], seed, quote), encoding="utf-8")
        return "knowledge/zz-broken.yaml", 2, first
    if kind == "unknown-reference":
        text = fact_yaml("zz-x", ["no-such-entity"], seed, quote)
        broken.write_text(text, encoding="utf-8")
        return "knowledge/zz-broken.yaml", text.splitlines().index("  about:") + 1, "no-such-entity"
    if kind == "quote-not-in-seed":
        text = fact_yaml("zz-x", ["meta"], seed, "Meta a offert un milliard de dollars à tout le monde.")
        broken.write_text(text, encoding="utf-8")
        return "knowledge/zz-broken.yaml", len(text.splitlines()), "verbatim"
    if kind == "missing-seed":
        (project.seeds / seed).unlink()
        return None
    if kind == "unreadable":
        path = project.file_defining(fid)
        path.chmod(0)
        if os.access(path, os.R_OK):
            path.chmod(0o644)
            pytest.skip("running with privileges that read a chmod 000 file anyway")
        return f"knowledge/{path.name}", 1, "cannot read"
    if kind == "not-utf8":
        broken.write_bytes(fact_yaml("zz-x", ["meta"], seed, quote).encode("utf-8") + b"\xff\xfe\n")
        # Reported at the line of the bad bytes (appended after the record), not at line 1.
        return (
            "knowledge/zz-broken.yaml",
            len(fact_yaml("zz-x", ["meta"], seed, quote).splitlines()) + 1,
            "UTF-8",
        )
    if kind == "empty-folder":
        for p in project.knowledge.glob("*.y*ml"):
            p.unlink()
        return "knowledge", 1, "no knowledge file"
    raise AssertionError(kind)


BROKEN_KINDS = [
    "invalid-yaml",
    "wrong-types",
    "aliases-not-a-list",
    "duplicate-id",
    "unknown-reference",
    "quote-not-in-seed",
    "missing-seed",
    "unreadable",
    "not-utf8",
    "empty-folder",
]


@pytest.mark.parametrize("kind", BROKEN_KINDS)
async def test_broken_inputs_keep_previous_store(built: Project, service: StoreService, kind: str) -> None:
    before = service.store
    before_answer = answer(before, QUESTION)
    assert before_answer.answered
    before_bytes = sha256(built.store_path)
    expected = _break(kind, built, before)

    report = await service.reload()

    assert report.ok is False
    assert report.errors, "a failed reload says why"
    for err in report.errors:
        assert err.file and err.line >= 1 and err.message
        assert str(err) == f"{err.file}:{err.line}: {err.message}"
    if expected is not None:
        file, line, words = expected
        assert any((e.file, e.line) == (file, line) and words in e.message for e in report.errors), [
            str(e) for e in report.errors
        ]
    if kind == "missing-seed":
        files = {e.file for e in report.errors}
        assert "seeds/documents.yaml" in files, "the described but missing article is named"
        assert any(f.startswith("knowledge/") for f in files), "the records quoting it are named"
    assert (report.added, report.removed, report.changed) == ([], [], [])
    assert service.store is before
    assert service.store.version == before.version
    assert sha256(built.store_path) == before_bytes
    again = answer(service.store, QUESTION)
    assert again.answered and again.text == before_answer.text
    assert again.store_version == before.version
    for p in built.knowledge.glob("*"):
        p.chmod(0o644)


async def test_reload_succeeds_once_the_file_is_fixed(built: Project, service: StoreService) -> None:
    before = service.store
    broken = built.knowledge / "zz-broken.yaml"
    broken.write_text("facts:\n  - id: zz-x\n    about: [meta\n", encoding="utf-8")
    assert (await service.reload()).ok is False
    seed, quote = a_quote(before, target_fact(before, QUESTION))
    broken.write_text(fact_yaml("zz-x", ["meta"], seed, quote), encoding="utf-8")
    report = await service.reload()
    assert report.ok and report.added == ["zz-x"]
    assert report.removed == [] and report.changed == [], "nothing else is reported as changed"
    assert service.store is not before and "zz-x" in service.store.fact_ids


# -- serialised reloads ---------------------------------------------------------------------------


async def test_two_reloads_at_once_one_runs_other_is_refused(service: StoreService) -> None:
    first = asyncio.create_task(service.reload())

    async def started() -> None:
        while not service.is_reloading:
            assert not first.done(), "the first reload ended before the second could start"
            await asyncio.sleep(0.001)

    await asyncio.wait_for(started(), 10)
    with pytest.raises(ReloadInProgress):
        await service.reload()
    report = await asyncio.wait_for(first, 30)
    assert report.ok
    assert not service.is_reloading, "the refusal left nothing locked"


# -- answering while reloading --------------------------------------------------------------------


@pytest.mark.soak
async def test_answers_during_reloads_come_from_one_store(built: Project, service: StoreService) -> None:
    store_a = service.store
    fid = target_fact(store_a, QUESTION)
    text_a = store_a.items_by_id[fid].text["en"]
    text_b = text_a + " (variant B)"
    path = built.file_defining(fid)
    variant_a = path.read_bytes()

    def change(records, n):
        records[n]["text"]["en"] = text_b

    built.edit_records(fid, change)
    variant_b = path.read_bytes()
    path.write_bytes(variant_a)
    assert variant_a != variant_b
    baseline = {q: answer(store_a, q).text for q in OTHER_QUESTIONS}

    results: list[tuple[str, object, bool]] = []
    reports: list[ReloadReport] = []
    reloads_done = asyncio.Event()

    async def reloader() -> None:
        for k in range(10):
            path.write_bytes(variant_b if k % 2 == 0 else variant_a)
            reports.append(await service.reload())
            await asyncio.sleep(0.01)
        reloads_done.set()

    async def asker(n: int) -> None:
        i = n
        while not reloads_done.is_set() or len(results) < 500:
            q = QUESTION if i % 2 == 0 else OTHER_QUESTIONS[i % len(OTHER_QUESTIONS)]
            reloading = service.is_reloading
            store = service.store
            if i % 3 == 0:
                ans = await asyncio.to_thread(answer, store, q)
            else:
                ans = answer(store, q)
            results.append((q, ans, reloading))
            i += 1
            await asyncio.sleep(0.1)

    await asyncio.wait_for(asyncio.gather(reloader(), *(asker(n) for n in range(10))), 120)

    assert len(reports) == 10
    assert all(r.ok for r in reports), [r.errors for r in reports if not r.ok]
    assert all(r.changed == [fid] and not r.added and not r.removed for r in reports)
    version_a = store_a.version
    version_b = reports[0].version
    assert version_b != version_a
    assert [r.version for r in reports] == [version_b, version_a] * 5
    expected = {version_a: text_a, version_b: text_b}

    assert len(results) >= 500
    seen = set()
    for q, ans, _reloading in results:
        assert ans.store_version in expected, ans.store_version
        seen.add(ans.store_version)
        if q == QUESTION:
            assert ans.answered and ans.facts == [fid]
            assert ans.text == expected[ans.store_version]
        else:
            assert ans.text == baseline[q]
    assert seen == {version_a, version_b}
    assert any(reloading for *_x, reloading in results), "questions were answered while a reload ran"
    assert service.store.version == version_a


def test_service_settings_point_at_tmp(built: Project) -> None:
    """Guard: these tests never touch the repository's own store."""
    repo_store = Path(__file__).resolve().parents[2] / "var" / "store.sqlite"
    assert built.settings.store_path != repo_store
    assert built.store_path.resolve().is_relative_to(built.root.resolve())
