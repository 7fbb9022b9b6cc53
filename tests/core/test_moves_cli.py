"""`transfers` and `draft` from the command line on a fictional article added the documented way."""

from __future__ import annotations

import json
from pathlib import Path

from .test_extract import ARTICLE


def add_article(project, file: str, text: str, title: str, date: str) -> None:
    """An English article added the documented way: its text in seeds/, its entry in documents.yaml."""
    (project.seeds / file).write_text(text, encoding="utf-8")
    with (project.seeds / "documents.yaml").open("a", encoding="utf-8") as fh:
        fh.write(f'  - file: {file}\n    title: "{title}"\n    language: en\n    date: "{date}"\n')


def transfers_json(project) -> list[dict]:
    """`transfers --json`, one move per line, asserted to succeed."""
    done = project.cli("transfers", "--json")
    assert done.returncode == 0, done.stderr.decode()
    return [json.loads(line) for line in done.stdout.decode().splitlines()]


def test_transfers_lists_extracted_moves_newest_first_with_since_and_more(project) -> None:
    add_article(project, "zz_quillon.txt", ARTICLE, "Quillon", "2026-03-03")
    rows = transfers_json(project)
    orla = next(r for r in rows if r["who"] == "Orla Brennagh")
    assert (orla["from"], orla["to"], orla["status"], orla["date"]) == (
        "Vantablue Systems",
        "Quillon Labs",
        "joined",
        "2026-03-02",
    )
    assert orla["reviewed"] is False and orla["citations"][0]["source"] == "seeds/zz_quillon.txt"
    assert any(r["reviewed"] for r in rows), "curated moves are still listed"
    dated = [r["date"] for r in rows if r["date"]]
    assert dated[0] >= dated[-1]
    since = project.cli("transfers", "--since", "2026-03", "--limit", "2").stdout.decode()
    assert "more (raise --limit" in since and "Ruoming Pang" not in since
    draft = project.cli("draft", "seeds/zz_quillon.txt")
    assert draft.returncode == 0, draft.stderr.decode()
    out = project.knowledge / "_draft-zz_quillon.yaml"
    assert "orla-brennagh" in out.read_text(encoding="utf-8")
    out.rename(project.knowledge / "draft-quillon.yaml")  # the curator's edit: accept it as is
    built = project.cli("build")
    assert built.returncode == 0, built.stderr.decode()
    rows = transfers_json(project)
    assert next(r for r in rows if r["who"] == "Orla Brennagh")["reviewed"] is True


def test_draft_of_an_unknown_seed_is_a_one_line_error(project) -> None:
    done = project.cli("draft", str(Path("seeds") / "nope.txt"))
    assert done.returncode == 2 and "no such seed" in done.stderr.decode()


LEFT_AND_BACK = """\
Vantablue Systems welcomes back a founder

By Casey Lund | Synthetic Times | June 9, 2026

Benedikt Sauer left Vantablue Systems in March, the company said.

Benedikt Sauer has returned to Vantablue Systems as chief scientist, the company said on Monday.
"""


def test_someone_who_left_a_company_and_joined_it_again_builds_with_both_moves(project) -> None:
    add_article(project, "zz_back.txt", LEFT_AND_BACK, "Back", "2026-06-09")
    rows = transfers_json(project)
    sauer = {(r["from"], r["to"]) for r in rows if r["who"] == "Benedikt Sauer"}
    assert len(sauer) == 2 and all("Vantablue Systems" in pair for pair in sauer), sauer
    assert len({r["id"] for r in rows}) == len(rows), "every move keeps its own id"
