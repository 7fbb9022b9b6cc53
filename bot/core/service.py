"""Holds the current store snapshot and rebuilds it on demand, never blocking the event loop.

Answers always come from one snapshot: a reload builds and opens the next one in a worker
thread, then swaps the reference in a single assignment. A failed reload changes nothing.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .build import BuildFailed, BuildResult, fingerprint
from .knowledge import BuildError
from .models import Transfer
from .news import Announcement, new_moves
from .store import Store, StoreError

log = logging.getLogger(__name__)

# Tuning: how long one build may run and how much address space it may take. The synthetic
# 100k-item benchmark store builds in well under a minute and a few hundred MB; a FIFO, an
# endless file or an alias bomb meets one of these limits instead of the bot hanging or
# swapping. The child is killed at the time limit; at the memory limit it gets a MemoryError.
BUILD_TIMEOUT_SECONDS = 300.0
BUILD_MEMORY_BYTES = 3 * 1024**3
# How long what runs after a swap (the news feed's post) may take before the reload answers anyway.
LISTENER_TIMEOUT_SECONDS = 30.0


class ReloadInProgress(RuntimeError):
    """Another reload is running; this one was not started."""


@dataclass
class ReloadReport:
    """What a reload did, for the moderator who asked for it."""

    ok: bool
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    documents: int = 0
    facts: int = 0
    seconds: float = 0.0
    errors: list[BuildError] = field(default_factory=list)
    version: str = ""
    # Moves (by news.move_key) the new snapshot has and the previous one had not, newest first.
    new_moves: dict[str, Transfer] = field(default_factory=dict)
    announced: Announcement | None = None  # set by the news feed's swap listener, if it posted


# Called after every successful swap of `reload()`, with its report and the new snapshot; may
# fill in the report (e.g. `announced`) before the caller sees it. Never breaks a reload.
SwapListener = Callable[[ReloadReport, Store], Awaitable[None]]


def is_stale(store_path: Path, seeds_dir: Path, knowledge_dir: Path) -> bool:
    """True when the store is missing, unreadable or built from other inputs."""
    import sqlite3

    if not store_path.is_file():
        return True
    try:
        db = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        finally:
            db.close()
        return row is None or row[0] != fingerprint(seeds_dir, knowledge_dir)
    except (sqlite3.Error, OSError):
        return True


def _limit_error(message: str) -> BuildFailed:
    return BuildFailed([BuildError("build", 0, message)])


def build_in_child(
    seeds_dir: Path,
    knowledge_dir: Path,
    store_path: Path,
    *,
    timeout: float = BUILD_TIMEOUT_SECONDS,
    memory: int = BUILD_MEMORY_BYTES,
    started: Callable[[subprocess.Popen], None] | None = None,
) -> BuildResult:
    """Build the store in a child process (bot.core.build_worker) within a time and a memory
    limit. Every failure, whatever its kind, is a BuildFailed whose errors name the file and
    line, the store's folder (a read-only or full disk), or the limit that was hit.
    `started` receives the child, so that whoever stops the bot can stop the build too."""
    command = [sys.executable, "-m", "bot.core.build_worker", str(os.getpid()), str(memory)]
    command += [str(seeds_dir), str(knowledge_dir), str(store_path)]
    try:
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as exc:
        raise _limit_error(f"the build process could not start: {exc.strerror or exc}") from None
    if started is not None:
        started(child)
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise _limit_error(
            f"the build was stopped after {timeout:g} s, its time limit (BUILD_TIMEOUT_SECONDS)"
        ) from None
    lines = out.strip().splitlines()
    try:
        report = json.loads(lines[-1])
    except (IndexError, ValueError):
        code = child.returncode
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
            raise _limit_error(
                f"the build process was killed by {name} (memory limit {memory // 2**20:,} MiB)"
            ) from None
        tail = (err or "").strip().splitlines()[-1:] or [f"exit status {code}"]
        raise _limit_error(f"the build process failed: {tail[0][:300]}") from None
    if not report["ok"]:
        raise BuildFailed([BuildError(e["file"], e["line"], e["message"]) for e in report["errors"]])
    return BuildResult(
        store_path,
        report["seconds"],
        report["documents"],
        report["facts"],
        report["passages"],
        report["version"],
    )


def open_store(
    store_path: Path,
    seeds_dir: Path,
    knowledge_dir: Path,
    *,
    timeout: float = BUILD_TIMEOUT_SECONDS,
    memory: int = BUILD_MEMORY_BYTES,
) -> Store:
    """Open the store, building it first (in a limited child process) when it is missing,
    stale or corrupt.

    When the build fails in any way (inputs that do not validate, a read-only or full disk, a
    limit hit) but a readable store exists, that store keeps answering, with a warning naming
    the first error: a broken edit must not take the bot down. Raises BuildFailed only when
    there is no usable store at all.
    """

    def build() -> None:
        build_in_child(seeds_dir, knowledge_dir, store_path, timeout=timeout, memory=memory)

    if is_stale(store_path, seeds_dir, knowledge_dir):
        reason = "missing" if not store_path.exists() else "stale or unreadable"
        log.info("store %s is %s: building from %s and %s", store_path, reason, seeds_dir, knowledge_dir)
        try:
            build()
        except BuildFailed as exc:
            try:
                previous = Store.open(store_path)
            except StoreError:
                raise exc from None
            log.warning(
                "the inputs do not build (%d error(s), first: %s); answering from the previous store %s",
                len(exc.errors),
                exc.errors[0],
                previous.version,
            )
            return previous
    try:
        return Store.open(store_path)
    except StoreError as exc:
        log.warning("store %s could not be opened (%s): rebuilding", store_path, exc)
        build()
        try:
            return Store.open(store_path)
        except StoreError as again:
            raise BuildFailed([BuildError(str(store_path), 0, str(again))]) from None


def _release(holder: list[Store | None]) -> None:
    """Free a replaced store off the event loop. When nothing else holds it, its big tables are
    emptied piece by piece first; an answer still using it keeps it whole (and frees it later)."""
    old = holder[0]
    if old is not None and sys.getrefcount(old) <= 3:  # the holder, `old`, getrefcount's argument
        old.dispose()
    del old
    holder.clear()


def settle_memory() -> None:
    """Move what exists now (the store snapshot above all) out of the collector's sight: it lives
    until the next reload, and later collections then scan only what was made since."""
    gc.freeze()


class StorePaths(Protocol):
    """Where the store and its inputs are: all the service reads of the product's settings
    (the core never imports the settings module; `bot.config.Settings` satisfies this)."""

    @property
    def store_path(self) -> Path: ...
    @property
    def seeds_dir(self) -> Path: ...
    @property
    def knowledge_dir(self) -> Path: ...


class StoreService:
    """The one place the bot gets its store from; reloads are serialised."""

    def __init__(self, settings: StorePaths) -> None:
        self.settings = settings
        self._store: Store | None = None
        self._reload_lock = threading.Lock()
        self._child: subprocess.Popen | None = None
        self.build_timeout = BUILD_TIMEOUT_SECONDS
        self.build_memory = BUILD_MEMORY_BYTES
        self.swap_listeners: list[SwapListener] = []
        self.listener_timeout = LISTENER_TIMEOUT_SECONDS

    @property
    def store(self) -> Store:
        if self._store is None:
            self.ensure_built()
        assert self._store is not None
        return self._store

    @property
    def is_reloading(self) -> bool:
        return self._reload_lock.locked()

    def ensure_built(self) -> Store:
        """Open the store at start-up, (re)building it if needed."""
        s = self.settings
        self._store = open_store(
            s.store_path, s.seeds_dir, s.knowledge_dir, timeout=self.build_timeout, memory=self.build_memory
        )
        settle_memory()
        return self._store

    def stop_build(self) -> None:
        """Kill a build under way (the bot is stopping): nothing waits for it, nothing is swapped."""
        child = self._child
        if child is not None and child.poll() is None:
            child.kill()

    def reload_sync(self) -> ReloadReport:
        """Rebuild from disk and swap, without an event loop (the command line, tests)."""
        if not self._reload_lock.acquire(blocking=False):
            raise ReloadInProgress("a reload is already under way")
        try:
            started = time.perf_counter()
            try:
                result = self._reload()
                new = Store.open(self.settings.store_path)
            except Exception as exc:  # any failure at all: the previous store keeps answering
                return self._failed(exc, started)
            return self._swap(new, result, started)
        finally:
            self._reload_lock.release()

    async def reload(self) -> ReloadReport:
        """Rebuild from disk and swap, never blocking the event loop: the build runs in a worker
        thread, the new store's rows are read through aiosqlite and indexed in a worker thread.
        The previous store keeps answering until the swap, and stays on any failure. After a
        swap, the swap listeners run (outside the reload lock) before the report is returned."""
        report = await self._reload_async()
        new = self._store
        if report.ok and new is not None:
            for listener in list(self.swap_listeners):
                try:
                    await asyncio.wait_for(listener(report, new), self.listener_timeout)
                except asyncio.TimeoutError:
                    log.warning(
                        "after the reload to %s, %r took over %g s: stopped",
                        new.version,
                        listener,
                        self.listener_timeout,
                    )
                except Exception:  # the reload succeeded: whatever a listener does cannot undo it
                    log.exception("after the reload to %s, %r failed", new.version, listener)
        return report

    async def _reload_async(self) -> ReloadReport:
        if not self._reload_lock.acquire(blocking=False):
            raise ReloadInProgress("a reload is already under way")
        collecting = gc.isenabled()
        # A full garbage collection over the build's millions of objects would hold the GIL
        # for hundreds of milliseconds (a frozen event loop); everything the build makes is
        # freed by reference counting, so collections wait until the new store is in place.
        gc.disable()
        try:
            started = time.perf_counter()
            try:
                result = await asyncio.to_thread(self._reload)
                new = await Store.open_async(self.settings.store_path)
            except Exception as exc:  # any failure at all: the previous store keeps answering
                return self._failed(exc, started)
            previous = [self._store]
            report = self._swap(new, result, started)
            await asyncio.to_thread(_release, previous)
            return report
        finally:
            settle_memory()
            if collecting:
                gc.enable()
            self._reload_lock.release()

    def _reload(self) -> BuildResult:
        """The build step of a reload, in a limited child process (see build_in_child):
        BuildFailed on any failure, naming the file and line, the disk or the limit."""
        s = self.settings

        def started(child: subprocess.Popen) -> None:
            self._child = child

        try:
            return build_in_child(
                s.seeds_dir,
                s.knowledge_dir,
                s.store_path,
                timeout=self.build_timeout,
                memory=self.build_memory,
                started=started,
            )
        finally:
            self._child = None

    def _failed(self, exc: Exception, started: float) -> ReloadReport:
        old = self._store
        seconds = time.perf_counter() - started
        if isinstance(exc, BuildFailed):
            log.warning(
                "reload failed with %d error(s); keeping store %s", len(exc.errors), old and old.version
            )
            return ReloadReport(ok=False, errors=exc.errors, seconds=seconds)
        log.error("reload failed; keeping the previous store", exc_info=exc)
        err = BuildError(str(self.settings.store_path), 0, f"{exc.__class__.__name__}: {exc}")
        return ReloadReport(ok=False, errors=[err], seconds=seconds)

    def _swap(self, new: Store, result: BuildResult, started: float) -> ReloadReport:
        old = self._store
        before = old.fact_digests if old else {}
        after = new.fact_digests
        self._store = new  # the swap: one assignment, readers see old or new, never a mix
        report = ReloadReport(
            ok=True,
            added=sorted(set(after) - set(before)),
            removed=sorted(set(before) - set(after)),
            changed=sorted(k for k in set(after) & set(before) if after[k] != before[k]),
            documents=len(new.documents),
            facts=len(after),
            seconds=time.perf_counter() - started,
            version=new.version,
            new_moves=new_moves(old, new),
        )
        log.info(
            "reload ok: version=%s added=%d removed=%d changed=%d new_moves=%d build_s=%.2f",
            new.version,
            len(report.added),
            len(report.removed),
            len(report.changed),
            len(report.new_moves),
            result.seconds,
        )
        return report
