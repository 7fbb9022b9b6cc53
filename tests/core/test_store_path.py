"""--store / STORE_PATH never replaces what is not a store this project built."""

from __future__ import annotations

import os

import pytest


@pytest.mark.parametrize("command", ["build", "ask"])
def test_a_text_file_is_never_overwritten(project, command) -> None:
    target = project.root / "notes.txt"
    target.write_text("my notes\n", encoding="utf-8")
    args = [command, "--store", str(target)] + (["Who is Ruoming Pang?"] if command == "ask" else [])
    done = project.cli(*args)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "did not build; refusing to replace it" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert target.read_text(encoding="utf-8") == "my notes\n"


def test_a_directory_gets_a_one_line_error(project) -> None:
    target = project.root / "somedir"
    target.mkdir()
    done = project.cli("build", "--store", str(target))
    err = done.stderr.decode()
    assert done.returncode == 2 and "is a directory" in err and len(err.strip().splitlines()) == 1
    assert target.is_dir() and not list(target.iterdir())


def test_a_fifo_or_a_symlink_is_not_replaced(project) -> None:
    fifo = project.root / "fifo"
    os.mkfifo(fifo)
    done = project.cli("build", "--store", str(fifo))
    assert done.returncode == 2 and "not a regular file" in done.stderr.decode()
    link = project.root / "link.sqlite"
    link.symlink_to("/dev/null")
    done = project.cli("build", "--store", str(link))
    assert done.returncode == 2 and "refusing to replace it" in done.stderr.decode()
    assert link.is_symlink()


def test_own_store_and_empty_file_are_rebuilt(built) -> None:
    assert built.cli("build").returncode == 0, "a store this project built is replaced"
    empty = built.root / "empty.sqlite"
    empty.touch()
    done = built.cli("build", "--store", str(empty))
    assert done.returncode == 0, done.stderr.decode()
    assert empty.read_bytes().startswith(b"SQLite format 3")
