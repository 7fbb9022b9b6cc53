"""The command line: the same answers as the Discord bot, without a token.

python -m bot ask QUESTION [--lang en|fr] [--json]   (no QUESTION: one per line on stdin)
python -m bot build [--store PATH]
python -m bot transfers [--company NAME] [--limit N] [--json]
python -m bot eval FILE [--min-answerable F] [--min-unanswerable F]
python -m bot gaps [--since 7d] [--json]             (what it could not answer)
python -m bot flows [--company NAME] [--since 2025-06] --out FILE.png
python -m bot run                                    (the Discord bot; needs DISCORD_TOKEN)
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import replace
from pathlib import Path

import yaml

from . import cli_curators
from .config import ConfigError, Settings
from .core.answer import answer, transfer_line
from .core.build import BuildFailed, build_store
from .core.models import Answer
from .core.service import open_store
from .core.store import Store
from .progress import build_progress


class UserError(Exception):
    """A mistake in how the command was called; printed as one line, exit 2."""


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if getattr(args, "store", None):
        settings = replace(settings, store_path=Path(args.store).resolve())
    return settings


def _open(settings: Settings) -> Store:
    return open_store(settings.store_path, settings.seeds_dir, settings.knowledge_dir)


def _print_answer(ans: Answer, as_json: bool) -> None:
    if as_json:
        print(json.dumps(ans.to_json(), ensure_ascii=False), flush=True)
        return
    print(ans.text)
    for c in ans.citations:
        date = f", {c.date}" if c.date else ""
        print(f"  — {c.title}{date} ({c.source}): “{c.quote}”")
    print(flush=True)


def cmd_ask(args: argparse.Namespace) -> int:
    store = _open(_settings(args))
    # Questions from stdin are answered as they arrive, one output line (or block) each.
    questions = [" ".join(args.question)] if args.question else (line.rstrip("\n") for line in sys.stdin)
    for q in questions:
        _print_answer(answer(store, q, args.lang), args.json)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    settings = _settings(args)
    result = build_store(
        settings.seeds_dir, settings.knowledge_dir, settings.store_path, progress=build_progress()
    )
    print(
        f"built {result.store_path} (version {result.version}): {result.documents} documents, "
        f"{result.facts} facts, {result.passages} passages in {result.seconds:.2f}s "
        f"({result.embedded} texts embedded, the rest from the cache)"
    )
    return 0


def cmd_transfers(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise UserError("--limit must be at least 1")
    store = _open(_settings(args))
    transfers = store.list_transfers(args.company, args.limit)
    if args.company and not transfers:
        ent, close = store.resolve_entity(args.company)
        if ent is None:
            hint = f" (did you mean: {', '.join(e.name for e in close)}?)" if close else ""
            raise UserError(f"no known company matches {args.company!r}{hint}")
    for t in transfers:
        if args.json:
            record = {
                "id": t.id,
                "who": store.entity_name(t.who),
                "from": store.entity_name(t.from_org) or None,
                "to": store.entity_name(t.to_org) or None,
                "date": t.date,
                "status": t.status,
                "package": t.package["en"] if t.package else None,
                "citations": [c.to_json() for c in t.citations],
            }
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(transfer_line(store, t, "en"))
            if t.citations:
                c = t.citations[0]
                print(f"  — {c.title} ({c.source}): “{c.quote}”")
    if not transfers:
        print("no transfers")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .core.evaluate import evaluate_file

    store = _open(_settings(args))
    try:
        report = evaluate_file(store, Path(args.file))
    except (ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UserError(
            f"{args.file} is not a question file (answerable/unanswerable lists): {first}"
        ) from None
    for miss in report.misses:
        print("miss", miss)
    print(report.summary())
    ok = report.answerable_rate >= args.min_answerable and report.unanswerable_rate >= args.min_unanswerable
    return 0 if ok and report.bad_citations == 0 else 1


def cmd_run(args: argparse.Namespace) -> int:
    from .client import main as run_bot  # discord.py is imported only by the command that needs it

    return run_bot(_settings(args))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bot", description="Talent War Bot: cited answers on the AI talent war."
    )
    sub = p.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer a question (or one per line on stdin)")
    ask.add_argument("question", nargs="*", help="the question; omit to read questions from stdin")
    ask.add_argument("--lang", choices=["en", "fr"], help="answer in this language instead of the question's")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    build = sub.add_parser("build", help="build the store from seeds/ and knowledge/")
    tr = sub.add_parser("transfers", help="list transfers, latest first")
    tr.add_argument("--company", help="only moves from or to this company")
    tr.add_argument("--limit", type=int, help="at most this many")
    tr.add_argument("--json", action="store_true", help="one JSON object per transfer")
    ev = sub.add_parser("eval", help="score a question file (dev_questions.yaml format)")
    ev.add_argument("file")
    ev.add_argument("--min-answerable", type=float, default=0.95)
    ev.add_argument("--min-unanswerable", type=float, default=0.9)
    sub.add_parser("run", help="run the Discord bot (needs DISCORD_TOKEN)")
    curators = cli_curators.add_parsers(sub)
    for sp in (ask, build, tr, ev, *curators):
        sp.add_argument("--store", help="store file (default: $STORE_PATH or var/store.sqlite)")
    return p


def cmd_gaps(args: argparse.Namespace) -> int:
    return cli_curators.cmd_gaps(args, _settings(args))


def cmd_flows(args: argparse.Namespace) -> int:
    return cli_curators.cmd_flows(args, _settings(args), _open)


COMMANDS = {
    "ask": cmd_ask,
    "build": cmd_build,
    "transfers": cmd_transfers,
    "eval": cmd_eval,
    "run": cmd_run,
    "gaps": cmd_gaps,
    "flows": cmd_flows,
}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return COMMANDS[args.command](args)
    except BuildFailed as exc:
        print(f"error: the store could not be built ({len(exc.errors)} error(s)):", file=sys.stderr)
        for err in exc.errors:
            print(f"  {err}", file=sys.stderr)
        return 1
    except (UserError, ConfigError, cli_curators.CuratorError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"error: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
