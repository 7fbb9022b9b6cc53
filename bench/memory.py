"""Resident memory of a bot-like process with a store loaded (run in a fresh subprocess).

    .venv/bin/python -m bench.memory STORE_PATH   → one JSON line: rss_mb, peak_mb, open_s

It imports what the bot process imports (discord.py and the core), opens the store, answers one
question, collects garbage, then reads VmRSS / VmHWM from /proc/self/status.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from pathlib import Path


def _status(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    import discord  # noqa: F401  (the bot process has it loaded)

    from bot.core.answer import answer
    from bot.core.store import Store

    encoder = None
    if os.environ.get("BENCH_HASHED_TEXTS"):  # a synthetic store of bench.hybrid
        from bench.hybrid import HashedTexts

        encoder = HashedTexts()
    base = _status("VmRSS")
    t = time.perf_counter()
    store = Store.open(Path(sys.argv[1]), encoder=encoder)
    open_s = time.perf_counter() - t
    answer(store, "who left for a better offer?")
    gc.collect()
    print(
        json.dumps(
            {"rss_mb": _status("VmRSS"), "peak_mb": _status("VmHWM"), "base_mb": base, "open_s": open_s}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
