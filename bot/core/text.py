"""Text normalisation shared by validation, the build and retrieval.

One folding function decides what "the same text" means everywhere: a quote is verbatim when
its folded form is in the folded seed, and a question word matches an index word when both
fold to the same token.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

_QUOTES = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)?")
# Characters that render as nothing or reorder text; never meaningful in a question.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Make arbitrary user text safe to process: no lone surrogates, no invisible controls."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _INVISIBLE.sub("", text)


def normalise_quote(text: str) -> str:
    """Typographic quotes and spaces unified, whitespace runs folded: how quotes are compared."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def _accent_table() -> dict[int, str]:
    """Latin letters with diacritics → their base letters, for str.translate (C speed)."""
    table = {}
    for code in range(0xA0, 0x250):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if base != ch:
            table[code] = base
    return table


_ACCENTS = _accent_table()
# Anything the table does not cover and NFKD would change: combining marks, ligatures, other scripts.
_NEEDS_NFKD = re.compile("[^\x00-\x7f\u00a0-\u024f]")


_FOLD = {**{k: v.lower() for k, v in _ACCENTS.items()}, **_QUOTES}


def fold(text: str) -> str:
    """Lowercase, accents removed, quotes and whitespace unified."""
    text = _SPACE.sub(" ", text.translate(_FOLD).lower()).strip()
    if _NEEDS_NFKD.search(text):
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return text


def tokens(text: str) -> list[str]:
    """Folded word tokens; elisions (l', d', qu') split off so "l'IA" gives "ia"."""
    return _TOKEN.findall(fold(text).replace("'", " "))


def verbatim_form(text: str) -> str:
    """What "verbatim" compares: the same letters, case and accents; only whitespace runs,
    typographic quotes and Unicode composition are unified."""
    return unicodedata.normalize("NFC", normalise_quote(text))


def quote_in(quote: str, haystack: str) -> bool:
    """Whether a quote stands verbatim in a text already passed through verbatim_form()."""
    needle = verbatim_form(quote)
    return bool(needle) and needle in haystack


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“«A-ZÀ-ÖØ-Þ0-9])")


def split_passages(text: str) -> Iterator[tuple[int, int, str]]:
    """Split an article into sentence passages with their character offsets.

    Lines are split first (headings and list items stand alone), then sentences within a line.
    Very short fragments (ratings, lone dates) are skipped: they answer nothing on their own.
    """
    pos = 0
    for line in text.splitlines(keepends=True):
        start = pos
        pos += len(line)
        body = line.rstrip("\r\n")
        last = 0
        pieces = []
        for m in _SENTENCE_END.finditer(body):
            pieces.append((last, m.start()))
            last = m.end()
        pieces.append((last, len(body)))
        for a, b in pieces:
            raw = body[a:b]
            stripped = raw.strip().lstrip("-•* ").strip()
            if len(stripped) < 20 or len(tokens(stripped)) < 4:
                continue
            offset = start + a + raw.find(stripped)
            yield offset, offset + len(stripped), stripped
