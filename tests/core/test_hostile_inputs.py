"""Hostile input files: links to secrets, FIFOs, devices, huge, deep, alias-bombed or binary files.

Each one is refused with an error naming the file (and the line when there is one), the build
never reads through a link, never blocks on a FIFO, and a secret behind a link never reaches
the store, let alone an answer.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bot.core import inputs
from bot.core.answer import answer
from bot.core.build import BuildFailed, build_store
from bot.core.knowledge import MAX_YAML_DEPTH, load_knowledge
from bot.core.store import Store

from .test_validation import BASE, FACT, make_inputs, only_error

SECRET = "DISCORD_TOKEN=MTIzNDU2Nzg5.secret-token-value-for-the-test.XYZ"


def errors_of(seeds: Path, knowledge: Path) -> list:
    _kb, errors = load_knowledge(seeds, knowledge)
    return errors


def test_a_symlinked_seed_to_a_secret_is_refused_and_never_indexed(tmp_path: Path) -> None:
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE})
    env = tmp_path / ".env"
    env.write_text(SECRET + "\n", encoding="utf-8")
    (seeds / "notes.txt").symlink_to("../.env")
    err = only_error(errors_of(seeds, knowledge))
    assert (err.file, err.line) == ("seeds/notes.txt", 1)
    assert "symbolic link" in err.message and "only regular files" in err.message
    with pytest.raises(BuildFailed):
        build_store(seeds, knowledge, tmp_path / "store.sqlite")
    assert not (tmp_path / "store.sqlite").exists()


@pytest.mark.parametrize("target", ["/proc/self/environ", "/etc/passwd", "/dev/zero"])
def test_links_to_system_files_are_refused(tmp_path: Path, target: str) -> None:
    if not os.path.exists(target):
        pytest.skip(f"{target} does not exist here")
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE})
    (seeds / "leak.txt").symlink_to(target)
    (knowledge / "leak.yaml").symlink_to(target)
    started = time.perf_counter()
    errors = errors_of(seeds, knowledge)
    assert time.perf_counter() - started < 2.0  # /dev/zero is never read
    assert {(e.file, e.line) for e in errors} == {("seeds/leak.txt", 1), ("knowledge/leak.yaml", 1)}
    assert all("symbolic link" in e.message for e in errors)


def test_a_fifo_is_refused_at_once_instead_of_blocking(tmp_path: Path) -> None:
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE})
    os.mkfifo(knowledge / "pipe.yaml")
    os.mkfifo(seeds / "pipe.txt")
    started = time.perf_counter()
    errors = errors_of(seeds, knowledge)
    assert time.perf_counter() - started < 2.0
    assert {(e.file, e.line) for e in errors} == {("knowledge/pipe.yaml", 1), ("seeds/pipe.txt", 1)}
    assert all("FIFO" in e.message for e in errors)


def test_a_device_node_is_refused(tmp_path: Path) -> None:
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE})
    try:
        os.mknod(knowledge / "zero.yaml", 0o644 | 0o020000, os.makedev(1, 5))  # like /dev/zero
    except PermissionError:
        pytest.skip("creating a device node needs privileges")
    err = only_error(errors_of(seeds, knowledge))
    assert err.file == "knowledge/zero.yaml" and "device" in err.message


def test_a_file_over_the_size_cap_is_refused_quickly(tmp_path: Path, monkeypatch) -> None:
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE})
    big = seeds / "big.txt"
    with big.open("wb") as fh:  # sparse: the size is real, the disk is not used
        fh.truncate(inputs.MAX_FILE_BYTES + 1)
    started = time.perf_counter()
    err = only_error(errors_of(seeds, knowledge))
    elapsed = time.perf_counter() - started
    assert err.file == "seeds/big.txt" and "over the limit" in err.message
    assert elapsed < 1.0, f"refusing a {inputs.MAX_FILE_BYTES + 1:,}-byte file took {elapsed:.2f}s"


def test_the_build_total_is_capped(tmp_path: Path, monkeypatch) -> None:
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE, "t.yaml": FACT})
    total = sum(p.stat().st_size for p in [*seeds.iterdir(), *knowledge.iterdir()])
    monkeypatch.setattr("bot.core.knowledge.MAX_BUILD_BYTES", total - 10)
    errors = errors_of(seeds, knowledge)
    assert errors and "one build may read" in errors[0].message
    assert errors[0].file == "knowledge/t.yaml"  # the last file read crosses the cap


def test_invalid_utf8_deep_in_a_seed_is_reported_at_its_line(tmp_path: Path) -> None:
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE})
    (seeds / "b.txt").write_bytes(b"Line one is fine.\n" * 40 + b"Here \xff is bad.\n")
    err = only_error(errors_of(seeds, knowledge))
    assert (err.file, err.line) == ("seeds/b.txt", 41)
    assert "UTF-8" in err.message and "line 41" in err.message


def test_nul_characters_from_a_seed_never_reach_the_store(tmp_path: Path) -> None:
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE})
    (seeds / "b.txt").write_text("A clean first line of the article.\nAlice\x00 Martin left Acme.\n")
    err = only_error(errors_of(seeds, knowledge))
    assert (err.file, err.line) == ("seeds/b.txt", 2) and "NUL" in err.message


def test_deep_nesting_is_refused_at_its_line(tmp_path: Path) -> None:
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE})
    depth = 300
    (knowledge / "deep.yaml").write_text("facts:\n  - " + "[" * depth + "]" * depth + "\n")
    err = only_error(errors_of(seeds, knowledge))
    assert (err.file, err.line) == ("knowledge/deep.yaml", 2)
    assert f"more than {MAX_YAML_DEPTH} levels" in err.message


def test_block_nesting_is_refused_too(tmp_path: Path) -> None:
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE})
    text = "facts:\n" + "".join("  " * (n + 1) + "- \n" for n in range(300))
    (knowledge / "deep.yaml").write_text(text)
    err = only_error(errors_of(seeds, knowledge))
    assert err.file == "knowledge/deep.yaml" and "levels" in err.message


def test_a_number_over_python_digit_limit_is_refused_at_its_line(tmp_path: Path) -> None:
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE})
    (knowledge / "num.yaml").write_text("facts:\n  - id: x\n    about: " + "9" * 5000 + "\n")
    err = only_error(errors_of(seeds, knowledge))
    assert (err.file, err.line) == ("knowledge/num.yaml", 3)
    assert "number too large" in err.message


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE})
    word = "x" * 50_000
    text = f"facts:\n  - id: bomb\n    topic: &a {word}\n    about: [" + ", ".join(["*a"] * 2000) + "]\n"
    (knowledge / "bomb.yaml").write_text(text)
    started = time.perf_counter()
    err = only_error(errors_of(seeds, knowledge))
    assert time.perf_counter() - started < 2.0
    assert err.file == "knowledge/bomb.yaml" and "aliases expand" in err.message


def test_a_good_build_still_answers_and_ignores_nothing(tmp_path: Path) -> None:
    seeds, knowledge = make_inputs(tmp_path, {"base.yaml": BASE, "t.yaml": FACT})
    build_store(seeds, knowledge, tmp_path / "store.sqlite")
    store = Store.open(tmp_path / "store.sqlite")
    ans = answer(store, "What is Alice's salary?")
    assert ans.answered and "ten million" in ans.text
