"""Logging for the bot process: one structured line per event, secrets never written.

Lines are ``key=value`` pairs (logfmt) so they grep and parse easily on any host. Question lines
carry what operating the bot needs (command, latency, answered or not, language) and no user text.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterable
from typing import Any

events = logging.getLogger("bot.events")


class RedactingFormatter(logging.Formatter):
    """Replaces secrets (the bot token) wherever they appear, tracebacks included."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text


HANDLER_NAME = "talent-war-bot"


def setup_logging(level: str = "INFO", secrets: Iterable[str] = ()) -> logging.Handler:
    """Log to stderr at `level`, redacting `secrets`; discord.py's chatty loggers stay at INFO or above.

    Adds the bot's own handler to the root logger and leaves every other handler alone (a host's
    or a test's); called again, it replaces only the handler it added before."""
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # discord.py logs every gateway frame at DEBUG; keep it readable unless asked explicitly.
    noisy = max(logging.getLevelName(level), logging.INFO) if level != "DEBUG" else logging.DEBUG
    for name in ("discord.gateway", "discord.http", "discord.client", "discord.state", "discord.webhook"):
        logging.getLogger(name).setLevel(noisy)
    return handler


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3g}"
    text = str(value)
    if not text or any(c in text for c in ' ="\n'):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return text


def fmt(event: str, **fields: Any) -> str:
    """`event key=value ...`, skipping None values."""
    parts = [event] + [f"{k}={_value(v)}" for k, v in fields.items() if v is not None]
    return " ".join(parts)


def log_event(event: str, level: int = logging.INFO, **fields: Any) -> None:
    """One structured line on the `bot.events` logger."""
    if events.isEnabledFor(level):
        events.log(level, fmt(event, **fields))


def log_question(
    source: str, answer: Any, started: float, *, deferred: bool = False, command: str = "ask"
) -> None:
    """The one line per question: where it came from, how fast, answered or not. No user text."""
    log_event(
        "question",
        command=command,
        source=source,
        answered=bool(answer.answered),
        lang=answer.language,
        confidence=round(float(answer.confidence), 3),
        citations=len(answer.citations),
        latency_ms=round((time.monotonic() - started) * 1000, 1),
        deferred=deferred,
        store=answer.store_version or None,
    )
