"""Add a news article to seeds/: the file, and its documents.yaml entry guessed from its text.

Both faces call this (`python -m bot add` and `/article add`), so an article added on Discord is
stored exactly like one dropped into seeds/ by hand. Guesses are only guesses: the caller prints
them so a moderator can correct the entry.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from .knowledge import parse_date
from .language import detect_language
from .store import Store

MAX_ARTICLE_BYTES = 200_000  # a long feature is ~60 kB; more is not an article
MIN_ARTICLE_CHARS = 200  # fewer characters cannot carry a move worth citing
TITLE_MAX_CHARS = 200  # a first line longer than this is a paragraph, not a headline
HEAD_CHARS = 800  # where a byline and a date line are looked for

MONTHS_EN = {
    m: n
    for n, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
MONTHS_FR = {
    m: n
    for n, names in enumerate(
        [
            ("janvier",),
            ("février", "fevrier"),
            ("mars",),
            ("avril",),
            ("mai",),
            ("juin",),
            ("juillet",),
            ("août", "aout"),
            ("septembre",),
            ("octobre",),
            ("novembre",),
            ("décembre", "decembre"),
        ],
        start=1,
    )
    for m in names
}
_EN_MONTH = "|".join(sorted(MONTHS_EN, key=len, reverse=True))
_FR_MONTH = "|".join(sorted(MONTHS_FR, key=len, reverse=True))
_ISO = re.compile(r"\b(20\d\d)-(\d\d)(?:-(\d\d))?\b")
_EN_DATE = re.compile(rf"\b({_EN_MONTH})\.?\s+(\d{{1,2}}),?\s+(20\d\d)\b", re.IGNORECASE)
_FR_DATE = re.compile(rf"\b(\d{{1,2}})(?:er)?\s+({_FR_MONTH})\s+(20\d\d)\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b({_EN_MONTH}|{_FR_MONTH})\s+(20\d\d)\b", re.IGNORECASE)


class ArticleError(ValueError):
    """The article cannot be added; the message says why in one sentence."""


@dataclass(frozen=True)
class AddedArticle:
    """What was stored, and which metadata fields were guessed rather than given."""

    file: str
    path: Path
    entry: dict[str, str | None]
    guessed: tuple[str, ...]


def guess_title(text: str) -> str | None:
    """The first line when it reads like a headline (short, no final full stop)."""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if len(line) <= TITLE_MAX_CHARS and not line.endswith((".", ":")):
            return line
        return None
    return None


def guess_date(text: str) -> str | None:
    """The first full date in the article's head (ISO, "August 28, 2025", "10 septembre 2025"),
    else a month and year; None when the head shows none."""
    head = text[:HEAD_CHARS]
    found: list[tuple[int, str]] = []
    for m in _ISO.finditer(head):
        found.append((m.start(), m.group(0)))
    for m in _EN_DATE.finditer(head):
        month = MONTHS_EN[m.group(1).lower()]
        found.append((m.start(), f"{m.group(3)}-{month:02d}-{int(m.group(2)):02d}"))
    for m in _FR_DATE.finditer(head):
        month = MONTHS_FR[m.group(2).lower()]
        found.append((m.start(), f"{m.group(3)}-{month:02d}-{int(m.group(1)):02d}"))
    if not found:
        for m in _MONTH_YEAR.finditer(head):
            word = m.group(1).lower()
            found_month = MONTHS_EN.get(word) or MONTHS_FR.get(word)
            if found_month:
                found.append((m.start(), f"{m.group(2)}-{found_month:02d}"))
    for _, value in sorted(found):
        try:
            return parse_date(value)
        except ValueError:
            continue
    return None


def guess_publisher(text: str) -> str | None:
    """The publisher in a "By X | Publisher | date" or "Publisher | date" byline."""
    for line in text[:HEAD_CHARS].splitlines()[1:6]:
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2:
            continue
        rest = [p for p in parts if p and not p.lower().startswith(("by ", "par ")) and not guess_date(p)]
        if len(rest) == 1 and len(rest[0]) <= 60:
            return rest[0]
    return None


def check_text(data: bytes) -> str:
    """UTF-8 text of a plausible article, or ArticleError saying what is wrong with it."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(f"the article is {len(data)} bytes; the limit is {MAX_ARTICLE_BYTES}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"the article is not UTF-8 text (byte {exc.start} is not valid)") from None
    if "\x00" in text:
        raise ArticleError("the article contains NUL bytes: it is not a text file")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text.strip()) < MIN_ARTICLE_CHARS:
        raise ArticleError(f"the article has fewer than {MIN_ARTICLE_CHARS} characters of text")
    return text if text.endswith("\n") else text + "\n"


def _next_name(seeds_dir: Path, text: str) -> str:
    """NNN_<hash>.txt like the existing seeds: next free number, content hash."""
    numbers = [int(m.group(1)) for p in seeds_dir.glob("*.txt") if (m := re.match(r"(\d+)_", p.name))]
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return f"{max(numbers, default=-1) + 1:03d}_{digest}.txt"


def entry_yaml(entry: dict[str, str | None]) -> str:
    """One documents.yaml list item, indented as the file is."""
    dumped = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000)
    return "".join(f"  {line}\n" for line in dumped.splitlines())


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def add_article(
    seeds_dir: Path,
    data: bytes | str,
    *,
    title: str | None = None,
    date: str | None = None,
    language: str | None = None,
    publisher: str | None = None,
    url: str | None = None,
) -> AddedArticle:
    """Store the article in seeds/ and append its documents.yaml entry (comments kept).

    Refuses a duplicate, a bad date or language, and anything that is not a UTF-8 article."""
    text = check_text(data.encode("utf-8") if isinstance(data, str) else data)
    if not seeds_dir.is_dir():
        raise ArticleError(f"the seeds folder {seeds_dir} does not exist")
    for existing in seeds_dir.glob("*.txt"):
        try:
            if existing.read_text(encoding="utf-8").strip() == text.strip():
                raise ArticleError(f"this article is already in seeds/ as {existing.name}")
        except (OSError, UnicodeDecodeError):
            continue
    guessed: list[str] = []
    if not title:
        title = guess_title(text)
        guessed.append("title")
    if date:
        try:
            parse_date(date.strip())
        except ValueError as exc:
            raise ArticleError(str(exc)) from None
        date = date.strip()
    else:
        date = guess_date(text)
        guessed.append("date")
    if language:
        if language not in ("en", "fr"):
            raise ArticleError(f"language must be 'en' or 'fr', got {language!r}")
    else:
        language = detect_language(text[:20_000]) or "en"
        guessed.append("language")
    if not publisher:
        publisher = guess_publisher(text)
        guessed.append("publisher")
    name = _next_name(seeds_dir, text)
    entry: dict[str, str | None] = {
        "file": name,
        "title": title,
        "language": language,
        "date": date,
        "publisher": publisher,
        "url": url or None,
    }
    meta = seeds_dir / "documents.yaml"
    current = meta.read_text(encoding="utf-8") if meta.exists() else "documents:\n"
    if current and not current.endswith("\n"):
        current += "\n"
    path = seeds_dir / name
    _atomic_write(path, text)
    try:
        _atomic_write(meta, current + entry_yaml(entry))
    except OSError:
        path.unlink(missing_ok=True)
        raise
    return AddedArticle(name, path, entry, tuple(guessed))


@dataclass(frozen=True)
class Findings:
    """What the store learnt from one article: shown to the moderator who added it."""

    sentences: int
    people: tuple[str, ...]
    moves: tuple[str, ...]


def findings(store: Store, file: str) -> Findings:
    """Sentences indexed, people named and moves reported by `file` in this store."""
    passages = store.items.passages
    index = next((n for n, d in enumerate(passages.documents) if d.file == file), None)
    sentences = 0
    people: dict[str, None] = {}
    if index is not None:
        for k in range(passages.count):
            if passages.doc[k] != index:
                continue
            sentences += 1
            for eid in sorted(passages.mentions.get(k, ())):
                ent = store.entities.get(eid)
                if ent is not None and ent.is_person:
                    people[ent.name] = None
    source = f"seeds/{file}"
    moves = tuple(t.id for t in store.transfers if any(c.source == source for c in t.citations))
    for t in store.transfers:  # people only the articles name are not entities: count them too
        if t.id in moves and store.entity_name(t.who) not in people:
            people[store.entity_name(t.who)] = None
    return Findings(sentences, tuple(people), moves)
