"""Validation of seeds/ and knowledge/: every mistake a curator can make is reported with its file
and the exact line to fix, all in one pass, and nothing in a YAML file is ever executed.

Each test writes a tiny, self-contained seeds/ + knowledge/ pair with a known line layout, so the
expected line numbers do not depend on the real (changing) knowledge files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.core.build import BuildFailed, build_store
from bot.core.knowledge import BuildError, load_knowledge

SEED = (
    "Alice Martin a quitté Acme pour rejoindre Globex en juillet 2025.\n"
    "Selon la presse, son salaire dépasse « dix millions » de dollars par an.\n"
    "L’équipe de recherche d’Acme perd ainsi sa meilleure chercheuse.\n"
)

DOCUMENTS = """\
documents:
  - file: a.txt
    title: "Un article"
    language: fr
    date: "2025-07"
"""

# Entities every test file may refer to: alice (person), acme and globex (companies).
BASE = """\
people:
  - id: alice
    name: Alice Martin
    aliases: [Alice]
    summary: {en: "Alice Martin: researcher.", fr: "Alice Martin : chercheuse."}
    cite:
      - seed: a.txt
        quote: "Alice Martin a quitté Acme"
organisations:
  - id: acme
    name: Acme
    kind: company
    summary: {en: "Acme: a company.", fr: "Acme : une entreprise."}
    cite:
      - seed: a.txt
        quote: "Acme pour rejoindre Globex"
  - id: globex
    name: Globex
    kind: company
    summary: {en: "Globex: a company.", fr: "Globex : une entreprise."}
    cite:
      - seed: a.txt
        quote: "rejoindre Globex en juillet 2025"
"""

# A valid fact; tests derive broken variants from it by replacing one line.
FACT = """\
facts:
  - id: alice-salary
    topic: {en: "Alice's salary", fr: "Le salaire d'Alice"}
    about: [alice, globex]
    answers: [how_much]
    keywords: {en: [salary], fr: [salaire]}
    text:
      en: "More than ten million dollars a year."
      fr: "Plus de dix millions de dollars par an."
    cite:
      - seed: a.txt
        quote: "son salaire dépasse « dix millions » de dollars par an"
"""

TRANSFER = """\
transfers:
  - id: alice-acme-to-globex
    who: alice
    from: acme
    to: globex
    date: "2025-07"
    status: confirmed
    summary:
      en: "Alice Martin moved from Acme to Globex in July 2025."
      fr: "Alice Martin est passée d'Acme à Globex en juillet 2025."
    cite:
      - seed: a.txt
        quote: "Alice Martin a quitté Acme pour rejoindre Globex en juillet 2025."
"""

TEAM = """\
organisations:
  - id: acme-lab
    name: Acme Lab
    kind: team
    parent: acme
    summary: {en: "Acme's research team.", fr: "L'équipe de recherche d'Acme."}
    cite:
      - seed: a.txt
        quote: "L’équipe de recherche d’Acme"
"""


def make_inputs(
    root: Path, files: dict[str, str], seed: str = SEED, documents: str = DOCUMENTS
) -> tuple[Path, Path]:
    seeds, knowledge = root / "seeds", root / "knowledge"
    seeds.mkdir(parents=True)
    knowledge.mkdir(parents=True)
    (seeds / "a.txt").write_text(seed, encoding="utf-8")
    (seeds / "documents.yaml").write_text(documents, encoding="utf-8")
    for name, text in files.items():
        (knowledge / name).write_text(text, encoding="utf-8")
    return seeds, knowledge


def errors_for(root: Path, files: dict[str, str], **kw) -> list[BuildError]:
    seeds, knowledge = make_inputs(root, files, **kw)
    _kb, errors = load_knowledge(seeds, knowledge)
    return errors


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing needle (asserted to exist)."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} not found {nth} time(s) in the test YAML"
    return hits[nth - 1]


def only_error(errors: list[BuildError]) -> BuildError:
    assert len(errors) == 1, "expected exactly one error, got:\n" + "\n".join(map(str, errors))
    return errors[0]


def replace_line(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# -- the baseline --------------------------------------------------------------------------------


def test_baseline_inputs_validate(tmp_path: Path) -> None:
    """Guards every test below: the unbroken files produce no error at all."""
    seeds, knowledge = make_inputs(
        tmp_path, {"base.yaml": BASE, "t.yaml": FACT, "u.yaml": TRANSFER, "v.yaml": TEAM}
    )
    kb, errors = load_knowledge(seeds, knowledge)
    assert errors == []
    assert set(kb.entities) == {"alice", "acme", "globex", "acme-lab"}
    assert [f["id"] for f in kb.facts] == ["alice-salary"]
    assert [t.id for t in kb.transfers] == ["alice-acme-to-globex"]
    assert kb.entities["acme-lab"].parent == "acme"


def test_error_str_is_file_line_message() -> None:
    err = BuildError("knowledge/t.yaml", 7, "unknown key 'colour'")
    assert str(err) == "knowledge/t.yaml:7: unknown key 'colour'"


# -- YAML syntax and safety -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad_line", "expected_line"),
    [
        # "mapping values are not allowed here"
        ("    answers: how: much\n", 5),
        # an unclosed flow sequence: the parser notices on the next line, where the list cannot go on
        ("    answers: [how_much\n", 6),
        # a tab where indentation is expected
        ("\tanswers: [how_much]\n", 5),
        # the same key twice in one record (YAML would silently keep the last one): the second one
        ("    answers: [how_much]\n    answers: [who]\n", 6),
    ],
    ids=["mapping-value", "unclosed-list", "tab", "duplicate-key"],
)
def test_invalid_yaml_names_file_and_line(tmp_path: Path, bad_line: str, expected_line: int) -> None:
    text = replace_line(FACT, "    answers: [how_much]\n", bad_line)
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert (err.file, err.line) == ("knowledge/t.yaml", expected_line)
    assert "invalid YAML" in err.message


def test_invalid_yaml_in_documents_yaml(tmp_path: Path) -> None:
    docs = DOCUMENTS.replace("    language: fr\n", "    language: fr: en\n")
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE}, documents=docs))
    assert (err.file, err.line) == ("seeds/documents.yaml", 4)
    assert "invalid YAML" in err.message


def test_python_tags_are_rejected_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = FACT + f'  - !!python/object/apply:os.system ["touch {marker}"]\n'
    errors = errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text})
    assert not marker.exists(), "a YAML tag ran a shell command"
    err = only_error(errors)
    assert err.file == "knowledge/t.yaml"
    assert err.line == line_of(text, "!!python") == 13
    assert "invalid YAML" in err.message


def test_python_tags_in_documents_yaml_are_not_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned-docs"
    docs = DOCUMENTS + f'  - !!python/object/apply:os.system ["touch {marker}"]\n'
    errors = errors_for(tmp_path, {"base.yaml": BASE}, documents=docs)
    assert not marker.exists()
    assert [(e.file, e.line) for e in errors] == [("seeds/documents.yaml", 6)]


def test_dates_stay_text(tmp_path: Path) -> None:
    """An unquoted 2025-07-01 is a date string, not silently turned into something else."""
    text = TRANSFER.replace('    date: "2025-07"\n', "    date: 2025-07-01\n")
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE, "t.yaml": text})
    kb, errors = load_knowledge(seeds, knowledge)
    assert errors == []
    assert kb.transfers[0].date == "2025-07-01"


# -- schema ---------------------------------------------------------------------------------------


def test_unknown_key(tmp_path: Path) -> None:
    text = replace_line(FACT, "    answers: [how_much]\n", "    answers: [how_much]\n    colour: red\n")
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert (err.file, err.line) == ("knowledge/t.yaml", 6)
    assert "colour" in err.message


def test_unknown_key_in_cite(tmp_path: Path) -> None:
    text = FACT + "        page: 3\n"
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert (err.file, err.line) == ("knowledge/t.yaml", 13)
    assert "page" in err.message


def test_unknown_section(tmp_path: Path) -> None:
    text = FACT + "rumours:\n  - id: x\n"
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert (err.file, err.line) == ("knowledge/t.yaml", 13)
    assert "rumours" in err.message


@pytest.mark.parametrize(
    ("section_text", "drop", "field"),
    [
        (FACT, "    answers: [how_much]\n", "answers"),
        (FACT, '    topic: {en: "Alice\'s salary", fr: "Le salaire d\'Alice"}\n', "topic"),
        (TRANSFER, "    status: confirmed\n", "status"),
        (TRANSFER, "    who: alice\n", "who"),
        (TEAM, "    kind: team\n", "kind"),
    ],
    ids=["fact-answers", "fact-topic", "transfer-status", "transfer-who", "org-kind"],
)
def test_missing_required_field(tmp_path: Path, section_text: str, drop: str, field: str) -> None:
    text = replace_line(section_text, drop, "")
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    # reported on the record's first line (the "- id:" line), naming the field
    assert (err.file, err.line) == ("knowledge/t.yaml", 2)
    assert repr(field) in err.message and "missing" in err.message


def test_missing_cite(tmp_path: Path) -> None:
    text = FACT.split("    cite:\n")[0]
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert (err.file, err.line) == ("knowledge/t.yaml", 2)
    assert "cite" in err.message


def test_duplicate_id_in_same_file_names_the_first(tmp_path: Path) -> None:
    second = FACT.replace("facts:\n", "")
    text = FACT + second
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert err.file == "knowledge/t.yaml"
    assert err.line == line_of(text, "- id: alice-salary", nth=2) == 13
    assert "alice-salary" in err.message
    assert "knowledge/t.yaml:2" in err.message


def test_duplicate_id_across_files_names_the_first(tmp_path: Path) -> None:
    # "alice" is first defined in base.yaml line 2; z.yaml sorts after it.
    text = "people:\n" + BASE.split("people:\n")[1].split("organisations:\n")[0]
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "z.yaml": text}))
    assert (err.file, err.line) == ("knowledge/z.yaml", 2)
    assert "'alice'" in err.message
    assert "knowledge/base.yaml:2" in err.message


def test_duplicate_id_across_sections(tmp_path: Path) -> None:
    """Ids are unique across all sections: a fact may not reuse an organisation's id."""
    text = FACT.replace("  - id: alice-salary\n", "  - id: acme\n")
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert (err.file, err.line) == ("knowledge/t.yaml", 2)
    assert "knowledge/base.yaml:10" in err.message


@pytest.mark.parametrize(
    ("text", "old", "new", "key"),
    [
        (FACT, "    about: [alice, globex]\n", "    about: [alice, initech]\n", "about"),
        (TRANSFER, "    who: alice\n", "    who: bob\n", "who"),
        (TRANSFER, "    from: acme\n", "    from: initech\n", "from"),
        (TRANSFER, "    to: globex\n", "    to: initech\n", "to"),
        (TEAM, "    parent: acme\n", "    parent: initech\n", "parent"),
    ],
    ids=["about", "who", "from", "to", "parent"],
)
def test_reference_to_unknown_entity(tmp_path: Path, text: str, old: str, new: str, key: str) -> None:
    text = replace_line(text, old, new)
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert err.file == "knowledge/t.yaml"
    assert err.line == line_of(text, new.strip())
    assert key in err.message
    assert ("'bob'" if key == "who" else "'initech'") in err.message


def test_reference_to_entity_defined_in_a_later_file_is_fine(tmp_path: Path) -> None:
    """References are resolved after every file is read, whatever the file order."""
    errors = errors_for(tmp_path, {"a-facts.yaml": FACT, "z-base.yaml": BASE})
    assert errors == []


# -- citations ------------------------------------------------------------------------------------


def test_quote_not_in_seed(tmp_path: Path) -> None:
    text = FACT.replace("son salaire dépasse « dix millions »", "son salaire dépasse « vingt millions »")
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert (err.file, err.line) == ("knowledge/t.yaml", 12)
    assert "a.txt" in err.message and "verbatim" in err.message


def test_quote_in_another_seed_than_the_one_named(tmp_path: Path) -> None:
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE})
    (seeds / "b.txt").write_text("Un tout autre article sur Globex et ses recrutements.\n", encoding="utf-8")
    text = FACT.replace("      - seed: a.txt\n", "      - seed: b.txt\n")
    (knowledge / "t.yaml").write_text(text, encoding="utf-8")
    _kb, errors = load_knowledge(seeds, knowledge)
    err = only_error(errors)
    assert (err.file, err.line) == ("knowledge/t.yaml", 12)
    assert "b.txt" in err.message


def test_cite_of_missing_seed(tmp_path: Path) -> None:
    text = FACT.replace("      - seed: a.txt\n", "      - seed: nope.txt\n")
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert (err.file, err.line) == ("knowledge/t.yaml", 11)
    assert "nope.txt" in err.message


def test_cite_may_spell_the_seed_with_its_folder(tmp_path: Path) -> None:
    text = FACT.replace("      - seed: a.txt\n", "      - seed: seeds/a.txt\n")
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE, "t.yaml": text})
    kb, errors = load_knowledge(seeds, knowledge)
    assert errors == []
    assert kb.facts[0]["citations"][0].source == "seeds/a.txt"


@pytest.mark.parametrize(
    "quote",
    [
        # straight apostrophes where the seed has typographic ones
        "L'équipe de recherche d'Acme perd ainsi",
        # typographic double quotes where the seed has guillemets (same spacing)
        "son salaire dépasse “ dix millions ” de dollars",
        # straight double quotes where the seed has « » (with their spaces)
        'son salaire dépasse " dix millions " de dollars',
        # a line break and runs of spaces inside the quote
        "Alice Martin a quitté Acme pour\n        rejoindre   Globex",
        # a quote spanning the seed's own line break
        "en juillet 2025. Selon la presse",
        # non-breaking spaces
        "son\u00a0salaire\u202fdépasse",
    ],
    ids=["apostrophe", "curly-quotes", "straight-quotes", "line-break", "across-lines", "nbsp"],
)
def test_quote_normalisation_accepts_typography_and_whitespace(tmp_path: Path, quote: str) -> None:
    text = FACT.replace(
        '        quote: "son salaire dépasse « dix millions » de dollars par an"\n',
        "        quote: |-\n          " + quote.replace("\n", "\n          ") + "\n",
    )
    assert text != FACT
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE, "t.yaml": text})
    kb, errors = load_knowledge(seeds, knowledge)
    assert errors == [], [str(e) for e in errors]
    assert len(kb.facts) == 1


@pytest.mark.parametrize(
    "quote",
    [
        "Alice Martin a quitté Acme pour rejoindre Initech en juillet 2025.",  # one word changed
        "Alice Martin a quitté Acme pour Globex en juillet 2025.",  # one word dropped
        "Alice Martin a bien quitté Acme",  # one word added
        "Alice Martin a quitté Acme pour rejoindre Globex en juillet 2024.",  # a figure changed
    ],
    ids=["changed", "dropped", "added", "figure"],
)
def test_quote_with_one_word_changed_is_rejected(tmp_path: Path, quote: str) -> None:
    text = TRANSFER.replace(
        '"Alice Martin a quitté Acme pour rejoindre Globex en juillet 2025."', f'"{quote}"'
    )
    assert text != TRANSFER
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert (err.file, err.line) == ("knowledge/t.yaml", 13)


@pytest.mark.parametrize(
    "quote",
    ["ALICE MARTIN A QUITTÉ ACME", "Alice Martin a quitte Acme"],
    ids=["case", "accents"],
)
def test_quote_with_changed_case_or_accents_is_rejected(tmp_path: Path, quote: str) -> None:
    text = BASE.replace('quote: "Alice Martin a quitté Acme"', f'quote: "{quote}"')
    assert text != BASE
    err = only_error(errors_for(tmp_path, {"base.yaml": text}))
    assert (err.file, err.line) == ("knowledge/base.yaml", 8)


# -- values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ['"2025-13"', "July", '"2025-02-30"', '"25-07"', '"2025/07"'])
def test_transfer_date_that_does_not_parse(tmp_path: Path, bad: str) -> None:
    text = TRANSFER.replace('    date: "2025-07"\n', f"    date: {bad}\n")
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert (err.file, err.line) == ("knowledge/t.yaml", 6)
    assert any(word in err.message for word in ("date", "month", "day"))


@pytest.mark.parametrize("good", ['"2025"', '"2025-07"', '"2025-07-14"', "2025"])
def test_transfer_dates_that_parse(tmp_path: Path, good: str) -> None:
    text = TRANSFER.replace('    date: "2025-07"\n', f"    date: {good}\n")
    assert errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}) == []


@pytest.mark.parametrize("bad", ['"2025-13"', "July"])
def test_document_date_that_does_not_parse(tmp_path: Path, bad: str) -> None:
    docs = DOCUMENTS.replace('    date: "2025-07"\n', f"    date: {bad}\n")
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE}, documents=docs))
    assert (err.file, err.line) == ("seeds/documents.yaml", 5)
    assert any(word in err.message for word in ("date", "month", "day"))


@pytest.mark.parametrize(
    ("old", "new", "expected_line"),
    [
        # flow mapping without fr
        (
            '    topic: {en: "Alice\'s salary", fr: "Le salaire d\'Alice"}\n',
            '    topic: {en: "Alice\'s salary"}\n',
            3,
        ),
        # block mapping without fr
        ('      fr: "Plus de dix millions de dollars par an."\n', "", 7),
        # fr present but empty
        ('      fr: "Plus de dix millions de dollars par an."\n', '      fr: ""\n', 9),
        # plain text instead of {en, fr}
        (
            '    text:\n      en: "More than ten million dollars a year."\n      fr: "Plus de dix millions de dollars par an."\n',
            '    text: "More than ten million dollars a year."\n',
            7,
        ),
    ],
    ids=["flow", "block", "empty", "not-a-mapping"],
)
def test_bilingual_field_missing_fr(tmp_path: Path, old: str, new: str, expected_line: int) -> None:
    text = replace_line(FACT, old, new)
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert (err.file, err.line) == ("knowledge/t.yaml", expected_line)
    assert "topic" in err.message or "text" in err.message


def test_entity_summary_missing_fr(tmp_path: Path) -> None:
    text = BASE.replace(
        '    summary: {en: "Alice Martin: researcher.", fr: "Alice Martin : chercheuse."}\n',
        '    summary: {en: "Alice Martin: researcher."}\n',
    )
    err = only_error(errors_for(tmp_path, {"base.yaml": text}))
    assert (err.file, err.line) == ("knowledge/base.yaml", 5)
    assert "summary.fr" in err.message


@pytest.mark.parametrize(
    ("old", "new", "needle", "word"),
    [
        ("    aliases: [Alice]\n", "    aliases: Alice\n", "aliases: Alice", "aliases"),
        ("    aliases: [Alice]\n", "    aliases: {en: Alice}\n", "aliases: {en", "aliases"),
        ("    aliases: [Alice]\n", "    aliases: [Alice, 3]\n", "aliases: [Alice, 3]", "aliases"),
        ("    kind: company\n", "    kind: country\n", "kind: country", "kind"),
        ("    name: Alice Martin\n", "    name: [Alice, Martin]\n", "name: [Alice", "name"),
    ],
    ids=["aliases-text", "aliases-mapping", "aliases-number", "kind", "name-list"],
)
def test_wrong_types_in_entities(tmp_path: Path, old: str, new: str, needle: str, word: str) -> None:
    text = BASE.replace(old, new, 1)
    assert text != BASE
    errors = errors_for(tmp_path, {"base.yaml": text})
    err = only_error(errors)
    assert (err.file, err.line) == ("knowledge/base.yaml", line_of(text, needle))
    assert word in err.message


@pytest.mark.parametrize(
    ("old", "new", "needle", "word"),
    [
        ("    answers: [how_much]\n", "    answers: [how_much, gossip]\n", "gossip", "gossip"),
        ("    answers: [how_much]\n", "    answers: how_much\n", "answers: how_much", "answers"),
        ("    about: [alice, globex]\n", "    about: alice\n", "about: alice", "about"),
        (
            "    keywords: {en: [salary], fr: [salaire]}\n",
            "    keywords: [salary]\n",
            "keywords: [salary]",
            "keywords",
        ),
    ],
    ids=["unknown-answer-kind", "answers-text", "about-text", "keywords-list"],
)
def test_wrong_types_in_facts(tmp_path: Path, old: str, new: str, needle: str, word: str) -> None:
    text = replace_line(FACT, old, new)
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert (err.file, err.line) == ("knowledge/t.yaml", line_of(text, needle))
    assert word in err.message


def test_transfer_with_unknown_status(tmp_path: Path) -> None:
    text = replace_line(TRANSFER, "    status: confirmed\n", "    status: rumoured\n")
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert (err.file, err.line) == ("knowledge/t.yaml", 7)
    assert "rumoured" in err.message


def test_section_that_is_not_a_list(tmp_path: Path) -> None:
    text = "facts:\n  id: x\n"
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert (err.file, err.line) == ("knowledge/t.yaml", 1)
    assert "facts" in err.message


def test_record_that_is_not_a_mapping_points_at_its_line(tmp_path: Path) -> None:
    text = FACT + "  - just a sentence\n"
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text}))
    assert err.file == "knowledge/t.yaml"
    assert "mapping" in err.message
    assert err.line == 13


def test_every_error_is_reported_in_one_pass(tmp_path: Path) -> None:
    text = FACT.replace("    about: [alice, globex]\n", "    about: [alice, initech]\n")
    text = text.replace("« dix millions »", "« cent millions »")
    transfer = TRANSFER.replace('    date: "2025-07"\n', "    date: July\n").replace(
        "    status: confirmed\n", "    status: confirmed\n    mood: happy\n"
    )
    errors = errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": text, "u.yaml": transfer})
    located = {(e.file, e.line) for e in errors}
    # the fact's bad quote and the transfer's unknown key, in two files, from one call
    assert ("knowledge/t.yaml", 12) in located
    assert ("knowledge/u.yaml", 8) in located
    assert len(errors) >= 2


# -- folders and files ----------------------------------------------------------------------------


def test_empty_knowledge_folder(tmp_path: Path) -> None:
    err = only_error(errors_for(tmp_path, {}))
    assert err.file == "knowledge"
    assert err.line == 1
    assert "no knowledge file" in err.message


def test_knowledge_folder_with_only_skipped_files(tmp_path: Path) -> None:
    err = only_error(errors_for(tmp_path, {"_draft.yaml": BASE, "notes.txt": "hello"}))
    assert (err.file, err.line) == ("knowledge", 1)


def test_missing_knowledge_folder(tmp_path: Path) -> None:
    seeds, knowledge = make_inputs(tmp_path, {})
    knowledge.rmdir()
    _kb, errors = load_knowledge(seeds, knowledge)
    err = only_error(errors)
    assert "knowledge" in err.file
    assert "does not exist" in err.message


def test_unreadable_file_chmod_000(tmp_path: Path) -> None:
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE, "t.yaml": FACT})
    path = knowledge / "t.yaml"
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with privileges that read a chmod 000 file anyway")
        _kb, errors = load_knowledge(seeds, knowledge)
    finally:
        path.chmod(0o644)
    err = only_error(errors)
    assert (err.file, err.line) == ("knowledge/t.yaml", 1)
    assert "cannot read" in err.message


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE})
    (knowledge / "t.yaml").write_bytes(FACT.encode("latin-1", "replace"))
    _kb, errors = load_knowledge(seeds, knowledge)
    err = only_error(errors)
    # The line of the first byte that is not UTF-8 (the "é" of "dépasse"), not line 1.
    assert (err.file, err.line) == ("knowledge/t.yaml", line_of(FACT, "dépasse"))
    assert "cannot read" in err.message and "UTF-8" in err.message


def test_documents_entry_for_missing_seed_file(tmp_path: Path) -> None:
    docs = DOCUMENTS + '  - file: gone.txt\n    title: "Parti"\n    language: en\n'
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE}, documents=docs))
    assert (err.file, err.line) == ("seeds/documents.yaml", 6)
    assert "gone.txt" in err.message


def test_seed_deleted_while_cited(tmp_path: Path) -> None:
    """Deleting a described, cited seed names both the documents entry and the citing record."""
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE, "t.yaml": FACT})
    (seeds / "b.txt").write_text(
        "Un autre article, assez long pour compter comme une phrase.\n", encoding="utf-8"
    )
    (seeds / "a.txt").unlink()
    _kb, errors = load_knowledge(seeds, knowledge)
    located = {(e.file, e.line) for e in errors}
    assert ("seeds/documents.yaml", 2) in located
    assert ("knowledge/t.yaml", 11) in located


def test_documents_entry_described_twice(tmp_path: Path) -> None:
    docs = DOCUMENTS + "  - file: a.txt\n    language: fr\n"
    err = only_error(errors_for(tmp_path, {"base.yaml": BASE}, documents=docs))
    assert (err.file, err.line) == ("seeds/documents.yaml", 6)


def test_build_store_raises_the_same_errors(tmp_path: Path) -> None:
    text = replace_line(FACT, "    answers: [how_much]\n", "    answers: [how_much]\n    colour: red\n")
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE, "t.yaml": text})
    store = tmp_path / "var" / "store.sqlite"
    with pytest.raises(BuildFailed) as info:
        build_store(seeds, knowledge, store)
    assert [str(e) for e in info.value.errors] == ["knowledge/t.yaml:6: " + info.value.errors[0].message]
    assert not store.exists()
    assert not (tmp_path / "var").exists() or not any((tmp_path / "var").iterdir())


def test_small_valid_inputs_build_and_answer(tmp_path: Path) -> None:
    from bot.core.answer import answer
    from bot.core.store import Store

    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE, "t.yaml": FACT, "u.yaml": TRANSFER})
    store_path = tmp_path / "store.sqlite"
    build_store(seeds, knowledge, store_path)
    store = Store.open(store_path)
    ans = answer(store, "How much is Alice Martin's salary?")
    assert ans.answered
    assert ans.text == "More than ten million dollars a year."
    assert ans.citations[0].source == "seeds/a.txt"
    assert ans.citations[0].title == "Un article"
