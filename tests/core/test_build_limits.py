"""Builds that fail in ways validation cannot catch: a time limit, a memory limit, a read-only or
full disk, hostile files at start-up. Whatever the failure, the previous good store keeps
answering (at start-up through `open_store` and `python -m bot ask`, and on reload), and the
error names the file and line, the store's folder, or the limit that was hit.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.answer import answer
from bot.core.service import StoreService, open_store

from .conftest import Project, sha256

QUESTION = "How much did Meta offer Ruoming Pang?"
SECRET = "DISCORD_TOKEN=MTIzNDU2Nzg5.secret-token-value-for-the-test.XYZ"


def make_newer(path: Path) -> None:
    later = time.time() + 60
    os.utime(path, (later, later), follow_symlinks=False)


def big_seed(project: Project, lines: int) -> None:
    """A valid seed article whose passages take far more memory to index than its size."""
    text = "\n".join(
        f"Researcher number {i} of lab {i % 977} left company {i * 7 % 1013} for {i} million dollars in 2025."
        for i in range(lines)
    )
    (project.seeds / "big.txt").write_text(text, encoding="utf-8")


HOSTILE = {
    "symlink to a secret": lambda p: (p.seeds / "notes.txt").symlink_to(p.root / ".env"),
    "link to /proc/self/environ": lambda p: (p.seeds / "environ.txt").symlink_to("/proc/self/environ"),
    "FIFO": lambda p: os.mkfifo(p.knowledge / "pipe.yaml"),
    "deep nesting": lambda p: (p.knowledge / "deep.yaml").write_text(
        "facts: " + "[" * 300 + "]" * 300 + "\n"
    ),
    "4,301-digit number": lambda p: (p.knowledge / "num.yaml").write_text("facts:\n  - " + "7" * 4301 + "\n"),
}
EXPECTED_FILE = {
    "symlink to a secret": "seeds/notes.txt",
    "link to /proc/self/environ": "seeds/environ.txt",
    "FIFO": "knowledge/pipe.yaml",
    "deep nesting": "knowledge/deep.yaml",
    "4,301-digit number": "knowledge/num.yaml",
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_start_up_keeps_the_previous_store_whatever_the_input(built: Project, kind: str, caplog) -> None:
    (built.root / ".env").write_text(SECRET + "\n", encoding="utf-8")
    version = built.open().version
    before = sha256(built.store_path)
    HOSTILE[kind](built)
    make_newer(built.seeds) if kind.startswith(("symlink", "link")) else make_newer(built.knowledge)
    started = time.perf_counter()
    store = open_store(built.store_path, built.seeds, built.knowledge)
    assert time.perf_counter() - started < 30
    assert store.version == version and sha256(built.store_path) == before
    assert answer(store, QUESTION).answered
    assert EXPECTED_FILE[kind] in caplog.text  # the warning names the broken file
    leaked = answer(store, "DISCORD_TOKEN MTIzNDU2Nzg5 secret token value")
    assert "secret-token" not in leaked.text and all("secret-token" not in c.quote for c in leaked.citations)


@pytest.mark.parametrize("kind", ["symlink to a secret", "FIFO", "deep nesting", "4,301-digit number"])
def test_cli_ask_answers_from_the_previous_store_without_a_traceback(built: Project, kind: str) -> None:
    (built.root / ".env").write_text(SECRET + "\n", encoding="utf-8")
    HOSTILE[kind](built)
    proc = built.cli("ask", "--json", QUESTION, timeout=60)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 0, err
    assert '"answered": true' in out
    assert "Traceback" not in err and EXPECTED_FILE[kind] in err
    assert "secret-token" not in out


async def test_reload_over_the_time_limit_is_stopped_and_the_old_store_answers(built: Project) -> None:
    svc = StoreService(built.settings)
    old = svc.ensure_built()
    svc.build_timeout = 0.05  # shorter than the child's own start-up
    started = time.perf_counter()
    report = await svc.reload()
    assert time.perf_counter() - started < 10
    assert not report.ok
    assert "time limit" in str(report.errors[0]) and str(report.errors[0]).startswith("build: ")
    assert svc.store is old and answer(svc.store, QUESTION).answered
    assert svc._child is None


async def test_reload_over_the_memory_limit_names_the_limit_and_the_old_store_answers(built: Project) -> None:
    svc = StoreService(built.settings)
    old = svc.ensure_built()
    before = sha256(built.store_path)
    big_seed(built, 40_000)
    svc.build_memory = 64 * 2**20
    report = await svc.reload()
    assert not report.ok, "the build fit in 64 MiB: make the test seed bigger"
    message = str(report.errors[0])
    assert "memory" in message and "64 MiB" in message, message
    assert svc.store is old and sha256(built.store_path) == before
    assert answer(svc.store, QUESTION).answered


async def test_a_fifo_on_reload_is_refused_at_once_and_the_next_reload_runs(built: Project) -> None:
    svc = StoreService(built.settings)
    old = svc.ensure_built()
    os.mkfifo(built.knowledge / "pipe.yaml")
    started = time.perf_counter()
    report = await svc.reload()
    assert time.perf_counter() - started < 10
    assert not report.ok and report.errors[0].file == "knowledge/pipe.yaml"
    assert svc.store is old
    (built.knowledge / "pipe.yaml").unlink()
    assert (await svc.reload()).ok  # not "a reload is under way"


def test_stop_build_kills_a_running_build(built: Project) -> None:
    svc = StoreService(built.settings)
    svc.ensure_built()
    big_seed(built, 200_000)
    svc.build_memory = 0
    result: list = []
    import threading

    worker = threading.Thread(target=lambda: result.append(svc.reload_sync()))
    worker.start()
    deadline = time.monotonic() + 10
    while svc._child is None and time.monotonic() < deadline:
        time.sleep(0.01)
    svc.stop_build()
    worker.join(10)
    assert not worker.is_alive(), "stop_build did not stop the build"
    assert not result[0].ok and "killed by SIGKILL" in str(result[0].errors[0])


# -- the disk ---------------------------------------------------------------------------------


@contextlib.contextmanager
def tmpfs(path: Path, size: int) -> Iterator[Path]:
    """A small filesystem of its own at `path` (a real full or read-only disk), or skip."""
    path.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs root to mount a small filesystem")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


@pytest.mark.parametrize("disk", ["read-only", "full"])
async def test_a_read_only_or_full_disk_keeps_the_store_and_names_the_folder(
    built: Project, disk: str
) -> None:
    good = built.store_path.read_bytes()
    folder = built.root / "disk"
    with tmpfs(folder, len(good) + 64 * 1024):
        store_path = folder / "store.sqlite"
        store_path.write_bytes(good)
        shutil.copystat(built.store_path, store_path)
        if disk == "read-only":
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            (folder / "filler").write_bytes(b"\0" * (48 * 1024))  # what is left is less than a store
        (built.knowledge / "zz-note.yaml").write_text("facts: []\n", encoding="utf-8")  # stale inputs
        settings = built.settings.__class__(
            seeds_dir=built.seeds, knowledge_dir=built.knowledge, store_path=store_path
        )
        svc = StoreService(settings)
        store = svc.ensure_built()  # at start-up
        assert answer(store, QUESTION).answered
        report = await svc.reload()  # and on reload
        assert not report.ok and svc.store is store
        message = str(report.errors[0])
        assert message.startswith(str(folder)), message
        reason = "Read-only file system" if disk == "read-only" else "No space left on device"
        assert reason in message or "disk is full" in message or "readonly" in message, message
        assert store_path.read_bytes() == good
