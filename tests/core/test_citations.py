"""Citation integrity: whatever the bot shows as a quote stands verbatim in the article it names,
every curated record speaks both languages, and `ask --json` keeps its documented shape.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.core.answer import MESSAGES, answer, profile
from bot.core.limits import bound_question
from bot.core.models import Answer, Citation
from bot.core.store import Store

from .conftest import Project, verbatim_form

QUESTIONS = [
    "How much did Meta offer Ruoming Pang?",
    "What was Ruoming Pang's package at Meta?",
    "When did Ruoming Pang join Meta?",
    "Who is Tom Gunter?",
    "Who is Alexandr Wang?",
    "Why are researchers leaving Apple?",
    "What is the Superintelligence Lab?",
    "Who left Apple?",
    "Who did Meta hire?",
    "List the transfers",
    "Is the MLX team leaving Apple?",
    "What is superintelligence?",
    "How much does Apple pay its engineers?",
    "Who is the CEO of Google?",
    "What is the weather in Paris?",
    "Combien Meta a offert à Ruoming Pang ?",
    "Quand Alexandr Wang a-t-il rejoint Meta ?",
    "Qui a quitté Apple ?",
    "Pourquoi les chercheurs quittent Apple ?",
    "Qui est Tom Gunter ?",
    "Quel est le salaire de Ruoming Pang ?",
    "Qu'est-ce que le Superintelligence Lab ?",
    "Meta",
    "Apple",
    "ruoming pang",
    "",
]

JSON_KEYS = {"question", "answered", "language", "answer", "confidence", "facts", "citations"}
CITATION_KEYS = {"source", "title", "date", "quote"}


def bot_examples() -> list[str]:
    """The example questions the bot itself suggests to users (in its empty/hint messages)."""
    found = []
    for key in ("empty", "hint"):
        for text in MESSAGES[key].values():
            found += re.findall(r"“([^”]+)”|« ([^»]+) »", text)
    examples = [a or b for a, b in found]
    assert len(examples) >= 2
    return examples


@pytest.fixture(scope="module")
def seed_texts(module_project: Project) -> dict[str, str]:
    return {p.name: verbatim_form(p.read_text(encoding="utf-8")) for p in module_project.seeds.glob("*.txt")}


def assert_citation_ok(
    c: Citation, store: Store, seed_texts: dict[str, str], project: Project, where: str
) -> None:
    assert c.source.startswith("seeds/"), f"{where}: source {c.source!r}"
    file = c.source.removeprefix("seeds/")
    assert "/" not in file and (project.seeds / file).is_file(), f"{where}: {c.source} does not exist"
    assert c.quote.strip(), f"{where}: empty quote"
    assert verbatim_form(c.quote) in seed_texts[file], (
        f"{where}: quote not verbatim in {c.source}: {c.quote!r}"
    )
    doc = next(d for d in store.documents if d.file == file)
    assert c.title == doc.display_title, f"{where}: title {c.title!r}"
    assert c.date == (doc.date or ""), f"{where}: date {c.date!r} vs {doc.date!r}"


def assert_answer_citations(ans: Answer, store: Store, seed_texts, project: Project) -> None:
    where = f"answer to {ans.question[:60]!r}"
    if ans.answered:
        assert ans.citations, f"{where}: answered without a citation"
        assert ans.facts, f"{where}: answered without naming what it used"
    for fid in ans.facts:
        assert fid in store.items_by_id or any(t.id == fid for t in store.transfers), f"{where}: {fid}"
    for c in ans.citations:
        assert_citation_ok(c, store, seed_texts, project, where)


# -- the store ------------------------------------------------------------------------------------


def test_every_stored_citation_is_verbatim(module_store: Store, seed_texts, module_project: Project) -> None:
    checked = 0
    for item in module_store.items:
        assert item.citations, f"{item.kind} {item.id} has no citation"
        for c in item.citations:
            assert_citation_ok(c, module_store, seed_texts, module_project, f"{item.kind} {item.id}")
            checked += 1
    for t in module_store.transfers:
        assert t.citations, f"transfer {t.id} has no citation"
        for c in t.citations:
            assert_citation_ok(c, module_store, seed_texts, module_project, f"transfer {t.id}")
            checked += 1
    for eid, cites in module_store.entity_citations.items():
        assert cites, f"entity {eid} has no citation"
        for c in cites:
            assert_citation_ok(c, module_store, seed_texts, module_project, f"entity {eid}")
            checked += 1
    assert checked > 100


def test_sources_are_the_seed_articles(module_store: Store, module_project: Project) -> None:
    files = {p.name for p in module_project.seeds.glob("*.txt")}
    assert {d.file for d in module_store.documents} == files
    assert {d.source for d in module_store.documents} == {f"seeds/{f}" for f in files}
    cited = {c.source for it in module_store.items for c in it.citations}
    assert cited == {f"seeds/{f}" for f in files}, "every article is searchable, and only articles are cited"


def test_every_record_has_english_and_french(module_store: Store) -> None:
    curated = [it for it in module_store.items if it.kind != "passage"]
    assert any(it.kind == "fact" for it in curated)
    for it in curated:
        for field in ("text", "topic"):
            value = getattr(it, field)
            assert set(value) == {"en", "fr"}, f"{it.kind} {it.id}.{field} has {sorted(value)}"
            assert all(isinstance(v, str) and v.strip() for v in value.values()), f"{it.id}.{field}"
    for ent in module_store.entities.values():
        assert set(ent.summary) == {"en", "fr"} and all(v.strip() for v in ent.summary.values()), ent.id
    for t in module_store.transfers:
        assert set(t.summary) == {"en", "fr"} and all(v.strip() for v in t.summary.values()), t.id
        for bilingual in (t.role_before, t.role_after, t.package):
            assert bilingual is None or set(bilingual) == {"en", "fr"}, t.id


def test_facts_are_answered_in_the_asked_language(module_store: Store) -> None:
    for lang in ("en", "fr"):
        ans = answer(module_store, "How much did Meta offer Ruoming Pang?", lang)
        assert ans.language == lang
        assert ans.answered
        assert ans.text == module_store.items_by_id[ans.facts[0]].text[lang]


# -- answers --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", [None, "en", "fr"])
def test_answers_cite_verbatim(module_store: Store, seed_texts, module_project: Project, lang) -> None:
    answered = 0
    for q in QUESTIONS:
        ans = answer(module_store, q, lang)
        assert ans.language == (lang or ans.language) and ans.language in ("en", "fr")
        assert_answer_citations(ans, module_store, seed_texts, module_project)
        answered += ans.answered
    assert answered >= len(QUESTIONS) // 2, "most of these questions are about the seeds"


def test_the_examples_the_bot_suggests_are_answered(module_store: Store, seed_texts, module_project) -> None:
    for q in bot_examples():
        ans = answer(module_store, q)
        assert ans.answered, f"the bot suggests {q!r} but cannot answer it: {ans.text}"
        assert_answer_citations(ans, module_store, seed_texts, module_project)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_profiles_cite_verbatim(module_store: Store, seed_texts, module_project: Project, lang: str) -> None:
    for ent in module_store.entities.values():
        for name in (ent.name, *ent.aliases):
            ans = profile(module_store, name, lang)
            assert ans.language == lang
            assert_answer_citations(ans, module_store, seed_texts, module_project)
        ans = profile(module_store, ent.name, lang)
        assert ans.answered, f"no profile for {ent.name}"
        assert ans.facts[0] == ent.id
        assert ans.text.startswith(ent.summary[lang])


def test_transfer_citations_are_verbatim(module_store: Store, seed_texts, module_project: Project) -> None:
    for t in module_store.list_transfers():
        for c in t.citations:
            assert_citation_ok(c, module_store, seed_texts, module_project, f"transfer {t.id}")


# -- ask --json -----------------------------------------------------------------------------------


def _check_json_line(line: str) -> dict:
    obj = json.loads(line)
    assert set(obj) == JSON_KEYS
    assert isinstance(obj["question"], str)
    assert isinstance(obj["answered"], bool)
    assert obj["language"] in ("en", "fr")
    assert isinstance(obj["answer"], str) and obj["answer"].strip()
    assert isinstance(obj["confidence"], (int, float)) and not isinstance(obj["confidence"], bool)
    assert 0.0 <= obj["confidence"] <= 1.0
    assert isinstance(obj["facts"], list) and all(isinstance(f, str) for f in obj["facts"])
    assert isinstance(obj["citations"], list)
    for c in obj["citations"]:
        assert set(c) == CITATION_KEYS and all(isinstance(v, str) for v in c.values())
    if obj["answered"]:
        assert obj["citations"] and obj["facts"]
    return obj


def test_ask_json_one_line_per_input_line(module_project: Project, seed_texts) -> None:
    long_line = ("Ruoming Pang Meta Apple salary " * 400)[:10_000]
    assert len(long_line) == 10_000
    lines = [
        "How much did Meta offer Ruoming Pang?",
        "",
        "   ",
        "Qui est Tom Gunter ?",
        long_line,
        "",
        '<@123> @everyone ```sql" OR 1=1 --```',
        "🤖🚀 who left apple?",
        "\u200f\u200bWho is Alexandr Wang?",
        "",
        "\udcff\udcfe not utf-8 \x00 NUL",  # sent as the raw bytes ff fe: not UTF-8
    ]
    data = "\n".join(lines).encode("utf-8", "surrogateescape") + b"\n"
    proc = module_project.cli("ask", "--json", input=data)
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode("utf-8").splitlines()
    assert len(out) == len(lines), out
    objs = [_check_json_line(line) for line in out]
    for line, obj in zip(lines, objs, strict=True):
        if line.isprintable() or not line:
            assert obj["question"] == bound_question(line)  # the long line: cut to what is read
            assert line.startswith(obj["question"])
        for c in obj["citations"]:
            file = c["source"].removeprefix("seeds/")
            assert verbatim_form(c["quote"]) in seed_texts[file]
    assert objs[0]["answered"] and objs[0]["language"] == "en"
    assert objs[3]["answered"] and objs[3]["language"] == "fr"
    assert not objs[1]["answered"] and not objs[2]["answered"] and not objs[5]["answered"]
    assert objs[8]["answered"], "invisible marks must not stop a plain question from being answered"


def test_cited_seed_files_are_the_ones_on_disk(module_project: Project) -> None:
    """Paths in citations are relative to the project (seeds/<file>), never absolute or escaping."""
    store = module_project.open()
    for it in store.items:
        for c in it.citations:
            assert not Path(c.source).is_absolute() and ".." not in Path(c.source).parts
