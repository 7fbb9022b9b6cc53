"""The command line: the same answers as the Discord bot, without a token.

python -m bot ask QUESTION [--lang en|fr] [--json]   (no QUESTION: one per line on stdin, each
                                                     a possible follow-up of the one before;
                                                     --no-context reads each on its own)
python -m bot build [--store PATH]
python -m bot transfers [--company NAME] [--limit N] [--json]
python -m bot add FILE [--title T] [--date D] [--language en|fr] [--publisher P] [--url U]
python -m bot draft seeds/FILE
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
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import yaml

from . import cli_curators
from .config import ConfigError, Settings
from .core.answer import answer, transfer_line
from .core.build import BuildFailed, StorePathError, build_store, check_store_path
from .core.followup import Turn, answer_in_context
from .core.limits import QUESTION_MAX_FOLDED, bound_question
from .core.models import Answer
from .core.service import open_store
from .core.store import Store
from .progress import build_progress
from .strings import did_you_mean


class UserError(Exception):
    """A mistake in how the command was called; printed as one line, exit 2."""


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if getattr(args, "store", None):
        settings = settings.replace(store_path=Path(args.store).resolve())
    return settings


def _open(settings: Settings) -> Store:
    check_store_path(settings.store_path)  # a file that is no store of ours: a one-line error, here
    return open_store(settings.store_path, settings.seeds_dir, settings.knowledge_dir)


def _print_answer(ans: Answer, as_json: bool, extra: dict[str, object] | None = None) -> None:
    if as_json:
        print(json.dumps({**ans.to_json(), **(extra or {})}, ensure_ascii=False), flush=True)
        return
    print(ans.text)
    for c in ans.citations:
        date = f", {c.date}" if c.date else ""
        print(f"  — {c.title}{date} ({c.source}): “{c.quote}”")
    print(flush=True)


# Tuning: the most characters of one stdin line kept as a question (retrieval reads at most
# QUESTION_MAX_FOLDED of them); the rest of an over-long line is read in chunks and dropped.
STDIN_LINE_MAX = 4 * QUESTION_MAX_FOLDED
_DISCARD_CHUNK = 1 << 16


def stdin_questions(stream: TextIO) -> Iterator[str]:
    """One question per line, each at most STDIN_LINE_MAX characters: a 50 MB line costs one
    pass over it in small chunks, never 50 MB of memory."""
    while True:
        line = stream.readline(STDIN_LINE_MAX)
        if not line:
            return
        if not line.endswith("\n") and len(line) == STDIN_LINE_MAX:
            while True:  # the rest of this line
                rest = stream.readline(_DISCARD_CHUNK)
                if not rest or rest.endswith("\n"):
                    break
        yield line.rstrip("\n")


def cmd_ask(args: argparse.Namespace) -> int:
    store = _open(_settings(args))
    if args.question:
        _print_answer(answer(store, bound_question(" ".join(args.question)), args.lang), args.json)
        return 0
    # Questions from stdin are answered as they arrive, one output line (or block) each, and
    # read as one person's conversation: "how much did Meta pay him?" leans on the line before.
    previous: Turn | None = None
    for q in stdin_questions(sys.stdin):
        if args.no_context:
            _print_answer(answer(store, bound_question(q), args.lang), args.json)
            continue
        result, resolved = answer_in_context(store, bound_question(q), args.lang, previous)
        previous = resolved.turn
        extra: dict[str, object] = (
            {"read_as": resolved.question, "about": list(resolved.about)} if resolved.leans else {}
        )
        _print_answer(result, args.json, extra)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    settings = _settings(args)
    result = build_store(
        settings.seeds_dir, settings.knowledge_dir, settings.store_path, progress=build_progress()
    )
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"built {result.store_path} (version {result.version}): {result.documents} documents, "
        f"{result.facts} facts, {result.passages} passages in {result.seconds:.2f}s "
        f"({result.embedded} texts embedded, the rest from the cache)"
    )
    return 0


def cmd_transfers(args: argparse.Namespace) -> int:
    from .core.knowledge import parse_date
    from .core.moves import transfer_json

    if args.limit is not None and args.limit < 1:
        raise UserError("--limit must be at least 1")
    if args.since:
        try:
            parse_date(args.since)
        except ValueError as exc:
            raise UserError(f"--since: {exc}") from None
    store = _open(_settings(args))
    transfers = store.list_transfers(args.company, None)
    if args.company and not transfers:
        ent, close = store.resolve_entity(args.company)
        if ent is None:
            hint = did_you_mean([e.name for e in close], "en")
            raise UserError(f"no known company matches {args.company!r}{hint}")
    if args.since:
        transfers = [t for t in transfers if (t.date or t.reported or "") >= args.since]
    shown = transfers[: args.limit] if args.limit else transfers
    names = {eid: e.name for eid, e in store.entities.items()}
    for t in shown:
        if args.json:
            print(json.dumps(transfer_json(names, t), ensure_ascii=False))
        else:
            print(transfer_line(store, t, "en") + ("" if t.reviewed else " · not yet reviewed"))
            if t.citations:
                c = t.citations[0]
                print(f"  — {c.title} ({c.source}): “{c.quote}”")
    if not transfers:
        print("no transfers")
    elif len(shown) < len(transfers) and not args.json:
        print(f"… {len(transfers) - len(shown)} more (raise --limit or narrow with --since / --company)")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from .core.articles import ArticleError, add_article

    settings = _settings(args)
    source = Path(args.file)
    if not source.is_file():
        raise UserError(f"{args.file} is not a file")
    try:
        added = add_article(
            settings.seeds_dir,
            source.read_bytes(),
            title=args.title,
            date=args.date,
            language=args.language,
            publisher=args.publisher,
            url=args.url,
        )
    except ArticleError as exc:
        raise UserError(f"{args.file}: {exc}") from None
    print(f"added {source.name} as seeds/{added.file}; its entry in seeds/documents.yaml:")
    for key, value in added.entry.items():
        mark = "  (guessed: check it)" if key in added.guessed else ""
        print(f"  {key}: {value if value is not None else 'null'}{mark}")
    print("edit seeds/documents.yaml if a guess is wrong, then `python -m bot build` or /reload")
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    from .core.knowledge import load_knowledge
    from .core.moves import draft_records

    settings = _settings(args)
    file = Path(args.file).name
    if not (settings.seeds_dir / file).is_file():
        raise UserError(f"{args.file}: no such seed in {settings.seeds_dir}")
    kb, errors = load_knowledge(settings.seeds_dir, settings.knowledge_dir)
    if errors:
        raise BuildFailed(errors)
    kb.seed_texts = {file: kb.seed_texts[file]}
    records = draft_records(kb, file)
    if not records:
        print(f"no move found in seeds/{file}: nothing to draft")
        return 0
    out = settings.knowledge_dir / f"_draft-{Path(file).stem}.yaml"
    header = (
        f"# Proposed records read from seeds/{file}: check each one against the article, fix or\n"
        "# delete what is wrong, then rename this file without its leading '_' (files starting\n"
        "# with '_' are ignored) and run `python -m bot build`.\n"
    )
    out.write_text(header + yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=100), "utf-8")
    counts = ", ".join(f"{len(v)} {k}" for k, v in records.items())
    print(f"wrote {out} ({counts}); review it, then rename it to {out.name[1:]}")
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
    ask.add_argument(
        "--no-context",
        action="store_true",
        help="read each stdin line on its own, not as a follow-up of the line before",
    )
    build = sub.add_parser("build", help="build the store from seeds/ and knowledge/")
    tr = sub.add_parser("transfers", help="list transfers, latest first")
    tr.add_argument("--company", help="only moves from or to this company")
    tr.add_argument("--limit", type=int, help="at most this many")
    tr.add_argument("--since", help="only moves dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)")
    tr.add_argument("--json", action="store_true", help="one JSON object per transfer")
    add = sub.add_parser("add", help="add a news article to seeds/ with its documents.yaml entry")
    add.add_argument("file", help="the article as a UTF-8 .txt file")
    add.add_argument("--title", help="its title (default: guessed from the first line)")
    add.add_argument("--date", help="YYYY, YYYY-MM or YYYY-MM-DD (default: guessed from the text)")
    add.add_argument("--language", choices=["en", "fr"], help="default: guessed from the text")
    add.add_argument("--publisher", help="default: guessed from a byline")
    add.add_argument("--url", help="where it was published")
    dr = sub.add_parser("draft", help="propose knowledge records for one seed, to review")
    dr.add_argument("file", help="the seed, e.g. seeds/003_….txt")
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
    "add": cmd_add,
    "draft": cmd_draft,
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
    except (UserError, ConfigError, StorePathError, cli_curators.CuratorError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"error: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
