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


# Combining marks (accents once NFKD has split them from their letters).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_QUOTE_PAIRS = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u02bc", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u00ab", '"'),
    ("\u00bb", '"'),
    ("\u0153", "oe"),  # œ, æ and ß have no decomposition: spell them out
    ("\u00e6", "ae"),
    ("\u00df", "ss"),
)


def _fold_chars(text: str) -> str:
    """Lowercase, accents removed, typographic quotes made plain; whitespace left as it is."""
    text = text.lower()
    if text.isascii():
        return text
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))  # NFKD also turns NBSP into a space
    for typographic, plain in _QUOTE_PAIRS:
        if typographic in text:
            text = text.replace(typographic, plain)
    return text


def fold(text: str) -> str:
    """Lowercase, accents removed, quotes and whitespace unified."""
    return _SPACE.sub(" ", _fold_chars(text)).strip()


def fold_mapped(text: str) -> tuple[str, list[int]]:
    """`_fold_chars` with, for each folded character, the index of the character it came from:
    a match found on the folded text ("fin aout") is then cut from the original ("fin août"),
    even where folding changed the length ("cœur" → "coeur")."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_chars(ch)
        out.append(folded)
        origin.extend([i] * len(folded))
    return "".join(out), origin


def tokens(text: str) -> list[str]:
    """Folded word tokens; elisions (l', d', qu') split off so "l'IA" gives "ia"."""
    return _TOKEN.findall(_fold_chars(text).replace("'", " "))


def verbatim_form(text: str) -> str:
    """What "verbatim" compares: the same letters, case and accents; only whitespace runs,
    typographic quotes and Unicode composition are unified."""
    return unicodedata.normalize("NFC", normalise_quote(text))


def quote_in(quote: str, haystack: str) -> bool:
    """Whether a quote stands verbatim in a text already passed through verbatim_form()."""
    needle = verbatim_form(quote)
    return bool(needle) and needle in haystack


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“«A-ZÀ-ÖØ-Þ0-9])")
# Words whose full stop ends no sentence: "Sept. 29", "Dr. Feld", "M. Zuckerberg", "U.S. labs".
ABBREVIATIONS = frozenset(
    """jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms dr prof st inc corp co ltd jr sr
    vs no nos fig mme mlle mm gen col sen rep gov""".split()
)
_LAST_WORD = re.compile(r"([\w.]+)\.$")


def _ends_sentence(before: str) -> bool:
    """Whether the full stop ending `before` ends a sentence (not an abbreviation or initial)."""
    if not before.endswith("."):
        return True
    m = _LAST_WORD.search(before)
    if not m:
        return True
    word = m.group(1)
    if word.lower() in ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isupper():
        return False  # an initial: "M. Zuckerberg", "J. Smith"
    return not re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word)  # "U.S", "e.g"


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
            if not _ends_sentence(body[last : m.start()]):
                continue
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
