"""`python -m bot add`: the article lands in seeds/ with a documents.yaml entry guessed from its
text and printed for the moderator; the store then answers from it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.core.articles import ArticleError, add_article, guess_date, guess_publisher, guess_title

ARTICLES = Path(__file__).resolve().parents[1] / "articles"


def test_guesses_from_the_head_of_the_text() -> None:
    text = (ARTICLES / "zephyr_en.txt").read_text(encoding="utf-8")
    assert guess_title(text) == "Quillon Labs hires Orla Brennagh from Vantablue as head of research"
    assert guess_date(text) == "2026-03-03"
    assert guess_publisher(text) == "Synthetic Times"
    fr = (ARTICLES / "zephyr_fr.txt").read_text(encoding="utf-8")
    assert guess_date(fr) == "2026-03-12"
    assert guess_date("Headline\n\nNo date at all in this text.") is None


def test_cli_add_copies_writes_the_entry_and_prints_the_guesses(project) -> None:
    before = (project.seeds / "documents.yaml").read_text(encoding="utf-8")
    done = project.cli("add", str(ARTICLES / "zephyr_en.txt"), "--url", "https://example.org/q")
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr.decode()
    assert "title: Quillon Labs hires Orla Brennagh" in out and "(guessed: check it)" in out
    assert "date: 2026-03-03" in out and "language: en" in out
    after = (project.seeds / "documents.yaml").read_text(encoding="utf-8")
    assert after.startswith(before), "existing entries and comments are kept"
    entry = yaml.safe_load(after)["documents"][-1]
    assert entry["url"] == "https://example.org/q" and entry["date"] == "2026-03-03"
    assert (project.seeds / entry["file"]).read_text(encoding="utf-8").startswith("Quillon Labs")
    ask = project.cli("ask", "When did Orla Brennagh join Quillon Labs?")
    assert "March 2" in ask.stdout.decode()
    again = project.cli("add", str(ARTICLES / "zephyr_en.txt"))
    assert again.returncode == 2 and "already in seeds/" in again.stderr.decode()


def test_given_fields_win_and_bad_ones_are_refused(tmp_path: Path) -> None:
    (tmp_path / "documents.yaml").write_text("documents:\n", encoding="utf-8")
    text = (ARTICLES / "zephyr_fr.txt").read_text(encoding="utf-8")
    added = add_article(tmp_path, text, title="Titre donné", date="2026-03", language="fr")
    assert added.entry["title"] == "Titre donné" and added.entry["date"] == "2026-03"
    assert "title" not in added.guessed and "publisher" in added.guessed
    with pytest.raises(ArticleError, match="not a real date"):
        add_article(tmp_path, text + "x", date="2026-02-30")
    with pytest.raises(ArticleError, match="UTF-8"):
        add_article(tmp_path, b"\xff" * 300)
    with pytest.raises(ArticleError, match="fewer than"):
        add_article(tmp_path, "too short")
