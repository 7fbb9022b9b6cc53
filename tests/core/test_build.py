"""Building the store: it appears atomically, a failed or killed build leaves the previous store
exactly as it was (and answering), and a missing, corrupt or stale store is rebuilt when needed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.core.answer import answer
from bot.core.build import BuildFailed
from bot.core.knowledge import load_knowledge
from bot.core.service import open_store
from bot.core.store import Store, StoreError

from .conftest import Project, copy_inputs, sha256

QUESTION = "How much did Meta offer Ruoming Pang?"

# A knowledge file with several mistakes at known lines (ids and entities of the real knowledge).
BROKEN = """\
facts:
  - id: zz-broken-one
    topic: {en: "Broken", fr: "Cassé"}
    about: [nobody-at-all]
    answers: [what]
    text: {en: "x", fr: "x"}
    cite:
      - seed: 000_a72eddb388f69db9.txt
        quote: "Ruoming Pang, figure centrale chez Apple"
  - id: zz-broken-two
    topic: {en: "Broken", fr: "Cassé"}
    about: [meta]
    answers: [gossip]
    text: {en: "x", fr: "x"}
    cite:
      - seed: 000_a72eddb388f69db9.txt
        quote: "Ruoming Pang, figure centrale chez Apple"
  - id: zz-broken-three
    topic: {en: "Broken", fr: "Cassé"}
    about: [meta]
    answers: [what]
    text: {en: "x", fr: "x"}
    cite:
      - seed: 000_a72eddb388f69db9.txt
        quote: "Ruoming Pang, figure centrale chez Google"
  - id: zz-broken-four
    colour: red
"""


def test_build_writes_a_store_that_answers(project: Project) -> None:
    result = project.build()
    assert result.store_path == project.store_path
    assert project.store_path.is_file()
    kb, errors = load_knowledge(project.seeds, project.knowledge)
    assert errors == []
    assert result.documents == len(kb.documents) >= 2
    assert result.facts == len(kb.facts) + len(kb.transfers) + len(kb.entities)
    assert result.passages > 0
    store = Store.open(project.store_path)
    assert store.version == result.version
    assert {f["id"] for f in kb.facts} <= store.fact_ids
    assert {t.id for t in kb.transfers} == {t.id for t in store.transfers}
    assert set(kb.entities) == set(store.entities)
    ans = answer(store, QUESTION)
    assert ans.answered and ans.citations
    assert ans.store_version == result.version
    # nothing but the store is left beside it
    assert sorted(p.name for p in project.store_path.parent.iterdir()) == [project.store_path.name]


def test_failed_build_keeps_previous_store(built: Project) -> None:
    before = sha256(built.store_path)
    mtime = built.store_path.stat().st_mtime_ns
    version = Store.open(built.store_path).version
    (built.knowledge / "zz-broken.yaml").write_text(BROKEN, encoding="utf-8")
    with pytest.raises(BuildFailed) as info:
        built.build()
    located = {(e.file, e.line) for e in info.value.errors}
    expected = {("knowledge/zz-broken.yaml", line) for line in (4, 13, 25, 26, 27)}
    assert expected <= located, sorted(located)
    assert sha256(built.store_path) == before
    assert built.store_path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in built.store_path.parent.iterdir()) == [built.store_path.name]
    store = Store.open(built.store_path)
    assert store.version == version
    ans = answer(store, QUESTION)
    assert ans.answered and ans.store_version == version


def test_cli_build_prints_every_error_as_file_line_message(built: Project) -> None:
    before = sha256(built.store_path)
    (built.knowledge / "zz-broken.yaml").write_text(BROKEN, encoding="utf-8")
    (built.knowledge / "zz-syntax.yaml").write_text(
        "facts:\n  - id: x\n    about: [a\n    text: b\n", encoding="utf-8"
    )
    docs = built.seeds / "documents.yaml"
    docs.write_text(
        docs.read_text(encoding="utf-8") + "  - file: gone.txt\n    language: en\n", encoding="utf-8"
    )
    _kb, errors = load_knowledge(built.seeds, built.knowledge)
    assert len(errors) >= 5
    proc = built.cli("build")
    err = proc.stderr.decode("utf-8")
    assert proc.returncode != 0
    assert "Traceback" not in err and "Traceback" not in proc.stdout.decode()
    printed = [line.strip() for line in err.splitlines()]
    for e in errors:
        assert f"{e.file}:{e.line}: {e.message}" in printed
    assert any(line.startswith("seeds/documents.yaml:") and "gone.txt" in line for line in printed)
    assert any(line.startswith("knowledge/zz-syntax.yaml:4: invalid YAML") for line in printed)
    assert any(line.startswith("knowledge/zz-broken.yaml:25: ") for line in printed)
    assert "built" not in proc.stdout.decode()
    assert sha256(built.store_path) == before


def _write_big_inputs(project: Project, root: Path) -> Project:
    """A copy of the inputs plus a ~1.5 MB seed and 200 facts quoting it: a build that takes seconds."""
    big = copy_inputs(project.root, root)
    big = Project(big.root, big.seeds, big.knowledge, project.store_path)  # the same store file
    sentences = [
        f"Le chercheur numéro {i} a rejoint l'entreprise Globex pour un salaire annuel de {i * 7} dollars "
        "selon la presse spécialisée."
        for i in range(12000)
    ]
    (big.seeds / "big.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
    facts = ["facts:"]
    for i in range(0, 12000, 60):
        facts.append(
            f"""  - id: big-{i}
    topic: {{en: "Researcher {i}", fr: "Chercheur {i}"}}
    about: [meta]
    answers: [what]
    text: {{en: "Researcher {i} joined Globex.", fr: "Le chercheur {i} a rejoint Globex."}}
    cite:
      - seed: big.txt
        quote: "Le chercheur numéro {i} a rejoint l'entreprise Globex"
"""
        )
    (big.knowledge / "zz-big.yaml").write_text("\n".join(facts), encoding="utf-8")
    return big


def test_build_killed_midway_leaves_previous_store(built: Project, tmp_path: Path) -> None:
    before = sha256(built.store_path)
    version = Store.open(built.store_path).version
    big = _write_big_inputs(built, tmp_path / "big")
    var = built.store_path.parent
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "build"],
        env=big.env,
        cwd=big.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Wait until the build is writing its temporary file, then kill it without warning.
        deadline = time.monotonic() + 30
        while not any(p.name.endswith(".tmp") for p in var.iterdir()):
            assert proc.poll() is None, "the big build ended before writing anything"
            assert time.monotonic() < deadline, "the big build never started writing"
            time.sleep(0.01)
        time.sleep(0.3)
        assert proc.poll() is None, "the big build finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    assert sha256(built.store_path) == before
    assert Store.open(built.store_path).version == version

    # The next ask (original inputs) answers from the untouched store, without rebuilding it.
    asked = built.cli("ask", "--json", *QUESTION.split())
    assert asked.returncode == 0, asked.stderr.decode()
    [line] = asked.stdout.decode().splitlines()
    reply = json.loads(line)
    assert reply["question"] == QUESTION and reply["answered"] is True
    assert sha256(built.store_path) == before

    # Whatever the kill left behind does not break the next build.
    leftovers = [p for p in var.iterdir() if p != built.store_path]
    assert leftovers, "expected the killed build's temporary file"
    (built.knowledge / "facts-extra.yaml").write_text("facts: []\n", encoding="utf-8")
    built.build()
    store = Store.open(built.store_path)
    assert store.version != version
    assert "big-0" not in store.fact_ids
    assert answer(store, QUESTION).answered


def test_missing_store_is_built_on_first_ask(project: Project) -> None:
    assert not project.store_path.exists()
    proc = project.cli("ask", "--json", QUESTION)
    assert proc.returncode == 0, proc.stderr.decode()
    assert '"answered": true' in proc.stdout.decode()
    assert project.store_path.is_file()
    Store.open(project.store_path)


def test_corrupt_store_is_rebuilt_on_start_with_a_log_line(
    built: Project, caplog: pytest.LogCaptureFixture
) -> None:
    good_version = Store.open(built.store_path).version
    built.store_path.write_bytes(b"\x00\xffgarbage" * 1000)
    with pytest.raises(StoreError):
        Store.open(built.store_path)
    with caplog.at_level(logging.INFO, logger="bot.core.service"):
        store = open_store(built.store_path, built.seeds, built.knowledge)
    assert store.version == good_version
    assert answer(store, QUESTION).answered
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("bot.core")]
    assert any(str(built.store_path) in m for m in messages), messages
    assert Store.open(built.store_path).version == good_version


def test_store_with_tables_missing_is_rebuilt(built: Project) -> None:
    import sqlite3

    version = Store.open(built.store_path).version
    db = sqlite3.connect(built.store_path)
    db.execute("DROP TABLE items")
    db.commit()
    db.close()
    store = open_store(built.store_path, built.seeds, built.knowledge)
    assert store.version == version
    assert answer(store, QUESTION).answered


def _target_fact(project: Project) -> tuple[str, str]:
    """The fact answering QUESTION in this copy, and its English text."""
    store = project.open()
    ans = answer(store, QUESTION)
    assert ans.answered and ans.facts
    fid = ans.facts[0]
    return fid, store.items_by_id[fid].text["en"]


def test_store_older_than_its_inputs_is_rebuilt_by_next_ask(built: Project) -> None:
    fid, old_text = _target_fact(built)
    before = sha256(built.store_path)
    new_text = old_text + " (corrected by the curator)"

    def edit(records, n):
        records[n]["text"]["en"] = new_text

    built.edit_records(fid, edit)
    path = built.file_defining(fid)
    later = time.time() + 60
    os.utime(path, (later, later))
    proc = built.cli("ask", "--json", QUESTION)
    assert proc.returncode == 0, proc.stderr.decode()
    assert new_text in proc.stdout.decode()
    assert sha256(built.store_path) != before
    assert Store.open(built.store_path).items_by_id[fid].text["en"] == new_text


def test_new_seed_file_makes_store_stale(built: Project) -> None:
    version = built.open().version
    shutil.copy(built.seeds / "002_5f3f4c574b21f709.txt", built.seeds / "003_copy.txt")
    store = open_store(built.store_path, built.seeds, built.knowledge)
    assert store.version != version
    assert any(d.file == "003_copy.txt" for d in store.documents)


def test_fresh_store_is_not_rebuilt(built: Project) -> None:
    before = sha256(built.store_path)
    mtime = built.store_path.stat().st_mtime_ns
    store = open_store(built.store_path, built.seeds, built.knowledge)
    assert answer(store, QUESTION).answered
    assert sha256(built.store_path) == before
    assert built.store_path.stat().st_mtime_ns == mtime
