"""How long work shows its progress: a bar on a terminal, plain lines otherwise (logs, pipes)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

PLAIN_EVERY_SECONDS = 2.0  # a plain line at most this often, so a log is not flooded


def build_progress(stream: TextIO | None = None) -> Callable[[int, int], None]:
    """A `progress(done, total)` callback for the build's embedding step."""
    stream = stream or sys.stderr
    if stream.isatty():
        from tqdm import tqdm

        bar: list[tqdm] = []

        def on_terminal(done: int, total: int) -> None:
            if not bar:
                bar.append(tqdm(total=total, desc="embedding", unit="text", file=stream, leave=False))
            bar[0].update(done - bar[0].n)
            if done >= total:
                bar[0].close()

        return on_terminal
    last = [0.0]

    def plain(done: int, total: int) -> None:
        now = time.monotonic()
        if done in (0, total) or now - last[0] >= PLAIN_EVERY_SECONDS:
            last[0] = now
            print(f"embedding new texts: {done}/{total}", file=stream, flush=True)

    return plain
