"""Curation messages a newcomer meets, each located at its file and line: YAML tabs in plain
words, where a non-verbatim quote departs, the closest known id, a seed missing from
documents.yaml, a quote too short to mean anything, and every mistake of a record in one run."""

from __future__ import annotations

from pathlib import Path

from bot.core.knowledge import load_knowledge

from .test_validation import BASE, TRANSFER, errors_for, line_of, make_inputs, replace_line


def test_a_tab_is_explained_with_how_to_fix_it(tmp_path: Path) -> None:
    broken = replace_line(TRANSFER, "    status: confirmed", "\tstatus: confirmed")
    errors = errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": broken})
    err = next(e for e in errors if e.file == "knowledge/t.yaml")
    assert err.line == line_of(broken, "\tstatus"), err
    assert "tab" in err.message and "spaces" in err.message, err.message
    assert "cannot start any token" not in err.message


def test_a_colon_in_a_value_says_to_quote_it(tmp_path: Path) -> None:
    broken = replace_line(TRANSFER, '      en: "Alice Martin moved', "      en: Alice: moved")
    errors = errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": broken})
    err = next(e for e in errors if e.file == "knowledge/t.yaml")
    assert err.line == line_of(broken, "en: Alice: moved")
    assert "double quotes" in err.message, err.message


def test_a_non_verbatim_quote_shows_the_closest_passage_and_where_it_departs(tmp_path: Path) -> None:
    broken = replace_line(
        TRANSFER,
        '"Alice Martin a quitté Acme pour rejoindre Globex en juillet 2025."',
        '"Alice Martin a quitté Acme pour aller chez Globex en juillet 2025."',
    )
    errors = errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": broken})
    assert len(errors) == 1, errors
    err = errors[0]
    assert (err.file, err.line) == ("knowledge/t.yaml", line_of(broken, 'quote: "Alice Martin a quitté'))
    assert "closest passage: 'Alice Martin a quitté Acme pour rejoindre" in err.message, err.message
    assert "departs at character 33" in err.message, err.message
    assert "goes on 'aller chez" in err.message and "the article 'rejoindre" in err.message


def test_an_unknown_id_suggests_the_closest_known_one(tmp_path: Path) -> None:
    broken = replace_line(TRANSFER, "    who: alice", "    who: alicee")
    err = errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": broken})
    assert [(e.file, e.line) for e in err] == [("knowledge/t.yaml", line_of(broken, "who: alicee"))]
    assert "unknown entity 'alicee' (did you mean 'alice'?)" in err[0].message


def test_a_quote_of_a_few_characters_is_refused(tmp_path: Path) -> None:
    broken = replace_line(
        TRANSFER, '"Alice Martin a quitté Acme pour rejoindre Globex en juillet 2025."', '"Acme"'
    )
    errors = errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": broken})
    assert [(e.file, e.line) for e in errors] == [("knowledge/t.yaml", line_of(broken, 'quote: "Acme"'))]
    assert "too short to mean anything" in errors[0].message


def test_every_mistake_of_a_record_in_one_run(tmp_path: Path) -> None:
    broken = TRANSFER.replace("    who: alice", "    who: tom-gunther").replace(
        "status: confirmed", "status: confirmd"
    )
    broken = broken.replace('date: "2025-07"', 'date: "2025-13"').replace(
        '"Alice Martin a quitté Acme pour rejoindre Globex en juillet 2025."', '"Alice Martin est partie."'
    )
    errors = errors_for(tmp_path, {"base.yaml": BASE, "t.yaml": broken})
    lines = sorted(e.line for e in errors)
    expected = sorted(
        line_of(broken, needle) for needle in ("who: tom-gunther", "status:", "date:", "quote:")
    )
    assert lines == expected, errors
    assert any("did you mean 'confirmed'" in e.message for e in errors)


def test_a_seed_missing_from_documents_yaml_is_a_warning_with_the_entry(tmp_path: Path) -> None:
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE})
    (seeds / "003_extra.txt").write_text(
        "Globex hires a researcher\n\nGlobex | 5 May 2025\n\nBody text of the article.\n", encoding="utf-8"
    )
    kb, errors = load_knowledge(seeds, knowledge)
    assert errors == []
    [warning] = kb.warnings
    assert (warning.file, warning.line) == ("seeds/documents.yaml", 1)
    assert "seeds/003_extra.txt is not described" in warning.message
    assert (
        "- file: 003_extra.txt" in warning.message and "title: Globex hires a researcher" in warning.message
    )
    assert kb.documents["003_extra.txt"].display_title == "Globex hires a researcher"


def test_build_prints_the_warning(project) -> None:
    (project.seeds / "003_extra.txt").write_text(
        "Untitled? No: a headline\n\nSome body text for the article, long enough.\n", encoding="utf-8"
    )
    done = project.cli("build")
    assert done.returncode == 0, done.stderr.decode()
    err = done.stderr.decode()
    assert "warning: seeds/documents.yaml:1: seeds/003_extra.txt is not described" in err, err
    assert "  - file: 003_extra.txt" in err
