"""Since when, as people type it: `7d`, `24h`, `2w`, `2025`, `2025-06` or `2025-06-01`.

One parser for `/gaps`, `/flows` and their command-line twins, so the same words mean the same
period everywhere. Relative spans count back from `now`; dates are taken as UTC midnight.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

UNITS = {"h": 3600, "d": 86_400, "w": 7 * 86_400}
_RELATIVE = re.compile(r"(\d{1,5})\s*([hdw])")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


class BadSince(ValueError):
    """Text that is neither a span (7d, 24h, 2w) nor a date (2025, 2025-06, 2025-06-01)."""


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """The moment `text` names, in UTC; raises BadSince with the text it could not read."""
    raw = (text or "").strip().lower()
    now = now or datetime.now(timezone.utc)
    if m := _RELATIVE.fullmatch(raw):
        return now - timedelta(seconds=int(m[1]) * UNITS[m[2]])
    if m := _DATE.fullmatch(raw):
        try:
            return datetime(int(m[1]), int(m[2] or 1), int(m[3] or 1), tzinfo=timezone.utc)
        except ValueError:
            pass
    raise BadSince(raw[:40])


def on_or_after(date: str | None, moment: datetime) -> bool:
    """Whether an ISO date of any precision ("2025", "2025-06", "2025-06-01") is not before
    `moment`, compared at the date's own precision; an undated record is not."""
    if not date:
        return False
    return date >= moment.strftime("%Y-%m-%d")[: len(date)]
