"""`python -m bot.core.build_worker PARENT_PID SEEDS KNOWLEDGE STORE`: one build in a child process.

The bot builds a reload's store here rather than in a thread: a build makes millions of Python
objects, and in the bot's own process that work competes with the event loop for the
interpreter. The child prints one JSON line (the result, or the errors with file and line) and
dies with its parent, so a bot killed mid-reload never has a build finishing behind its back.
"""

from __future__ import annotations

import json
import os
import signal
import sys
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


def main(argv: list[str]) -> int:
    parent, seeds, knowledge, store = int(argv[0]), *map(Path, argv[1:4])
    _die_with_parent(parent)
    from .build import BuildFailed, build_store

    try:
        result = build_store(seeds, knowledge, store)
    except BuildFailed as exc:
        errors = [{"file": e.file, "line": e.line, "message": e.message} for e in exc.errors]
        print(json.dumps({"ok": False, "errors": errors}), flush=True)
        return 1
    print(
        json.dumps(
            {
                "ok": True,
                "seconds": result.seconds,
                "documents": result.documents,
                "facts": result.facts,
                "passages": result.passages,
                "version": result.version,
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
