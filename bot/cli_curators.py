"""`python -m bot gaps` and `python -m bot flows`: the curators' view, without Discord.

Kept apart from cli.py (which only registers them) so each feature stays in its own module.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from .config import Settings
from .core.flows import flows, render_png, summary
from .core.gaps import GapStore
from .core.since import BadSince, parse_since
from .core.store import Store
from .strings import did_you_mean, t

GAPS_SHOWN = 50  # groups printed as text (--json prints them all)


class CuratorError(Exception):
    """A mistake in how the command was called (the CLI prints it as one line, exit 2)."""


def since_arg(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return parse_since(text)
    except BadSince:
        raise CuratorError(
            f"--since {text!r}: use a span (7d, 24h, 2w) or a date (2025, 2025-06, 2025-06-01)"
        ) from None


def cmd_gaps(args: argparse.Namespace, settings: Settings) -> int:
    since = since_arg(args.since)
    path = Path(args.gaps).resolve() if args.gaps else settings.gaps_path
    store = GapStore(path)
    try:
        start = since.timestamp() if since else None
        groups = store.groups(start)
        votes = store.votes(start)
    finally:
        store.close()
    if args.json:
        for g in groups:
            print(json.dumps(g.to_json(), ensure_ascii=False))
        return 0
    if not groups:
        print("no gaps: every question was answered and no answer was marked wrong")
    for g in groups[:GAPS_SHOWN]:
        last = time.strftime("%Y-%m-%d", time.gmtime(g.last_asked))
        topic = f" · closest: {g.topic}" if g.topic else ""
        print(
            f"{g.count:>5}×  {g.question} [{g.language}]{topic} · declined {g.declined}, wrong {g.wrong} · {last}"
        )
        for v in g.variants:
            print(f"        also: {v}")
    if len(groups) > GAPS_SHOWN:
        print(f"… and {len(groups) - GAPS_SHOWN} more (--json lists them all)")
    print(f"feedback: {votes['up']} helpful, {votes['down']} wrong")
    return 0


def flows_scope(store: Store, company: str | None, since: datetime | None, lang: str) -> str:
    """The picture's subtitle: the company's proper name and the date, when given."""
    parts = []
    if company:
        ent, _ = store.resolve_entity(company)
        parts.append(ent.name if ent else company)
    if since:
        parts.append(t("flows.since", lang, date=since.strftime("%Y-%m-%d")))  # as /flows says it
    return " · ".join(parts)


def cmd_flows(args: argparse.Namespace, settings: Settings, open_store: Callable[[Settings], Store]) -> int:
    since = since_arg(args.since)
    store = open_store(settings)
    if args.company:
        ent, close = store.resolve_entity(args.company)
        if ent is None:
            hint = did_you_mean([e.name for e in close], "en")
            raise CuratorError(f"no known company matches {args.company!r}{hint}")
    found = flows(store.list_transfers(args.company), store.entities, since)
    scope = flows_scope(store, args.company, since, args.lang)
    png = render_png(found, args.lang, scope)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(png)
    print(summary(found, args.lang, scope))
    print(f"wrote {out} ({len(png):,} bytes)")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """The two subcommands; returns those that read the store (they get --store)."""
    gaps = sub.add_parser("gaps", help="questions the bot could not answer, most asked first")
    gaps.add_argument("--since", help="only since then: 7d, 24h, 2w, 2025-06 or 2025-06-01")
    gaps.add_argument("--json", action="store_true", help="one JSON object per group of questions")
    gaps.add_argument("--gaps", help="gaps file (default: $GAPS_PATH or gaps.sqlite beside the store)")
    fl = sub.add_parser("flows", help="draw the talent flows between organisations as a PNG")
    fl.add_argument("--company", help="only moves from or to this company")
    fl.add_argument("--since", help="only moves dated since then: 2025, 2025-06, 90d")
    fl.add_argument("--lang", choices=["en", "fr"], default="en", help="language of the picture")
    fl.add_argument("--out", required=True, help="the PNG file to write")
    return [fl]
