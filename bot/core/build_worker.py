"""`python -m bot.core.build_worker PARENT_PID MEMORY_BYTES SEEDS KNOWLEDGE STORE`: one build in a
child process, within a memory limit.

The bot builds its store here rather than in its own process: a build makes millions of Python
objects, and in the bot's process that work competes with the event loop for the interpreter;
a hostile input that makes it ask for gigabytes must hit this process's limit (RLIMIT_AS), not
the bot's. The child prints one JSON line (the result, or the errors with file and line, or the
limit it hit) and dies with its parent, so a bot killed mid-reload never has a build finishing
behind its back. The parent enforces the time limit (see service.build_in_child).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from pathlib import Path


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies (elsewhere, just check the parent)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        sys.exit(3)


def limit_memory(limit: int) -> None:
    """Cap this process's address space at `limit` bytes (0: no cap), so a runaway build gets a
    MemoryError instead of taking the host's memory."""
    if limit <= 0:
        return
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):  # not on this platform: the time limit still holds
        pass


def _emit(payload: dict) -> None:
    print(json.dumps(payload, ensure_ascii=False), flush=True)


def _fail(message: str, file: str = "build", line: int = 0) -> int:
    _emit({"ok": False, "errors": [{"file": file, "line": line, "message": message}]})
    return 1


def main(argv: list[str]) -> int:
    parent, memory = int(argv[0]), int(argv[1])
    seeds, knowledge, store = map(Path, argv[2:5])
    _die_with_parent(parent)
    from .build import BuildFailed, StorePathError, build_store  # imported before the cap: code, not input

    limit_memory(memory)
    try:
        result = build_store(seeds, knowledge, store)
    except BuildFailed as exc:
        errors = [{"file": e.file, "line": e.line, "message": e.message} for e in exc.errors]
        _emit({"ok": False, "errors": errors})
        return 1
    except StorePathError as exc:
        return _fail(str(exc))
    except MemoryError:
        return _fail(
            f"the build ran out of memory: its limit is {memory // 2**20:,} MiB (BUILD_MEMORY_BYTES)"
        )
    except RecursionError:
        return _fail("the build failed: the inputs nest too deeply (RecursionError)")
    except Exception as exc:  # whatever else: the previous store stays, and the reason is told
        traceback.print_exc(file=sys.stderr)
        return _fail(f"the build failed: {exc.__class__.__name__}: {str(exc)[:300]}")
    _emit(
        {
            "ok": True,
            "seconds": result.seconds,
            "documents": result.documents,
            "facts": result.facts,
            "passages": result.passages,
            "version": result.version,
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
