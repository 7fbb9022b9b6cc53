"""Bounds on a question before it reaches retrieval: fold, then cut; no endless words.

Retrieval folds a question (case, accents, compatibility forms) before it looks at it, and
folding can make text longer: "ⅷ" folds to "viii". Cutting the raw text first would let 2,000
characters become 8,000; so the folded length decides where the cut falls. Words are cut too:
no word the store knows is that long, and every distinct word a question brings lands in the
core's word caches, whose size must not grow with the length of words strangers type.
"""

from __future__ import annotations

import re

from .text import clean, fold

# Tuning: the longest question retrieval reads (folded characters; retrieve.MAX_QUESTION_CHARS)
# and the longest word kept (longer ones are cut: they are typos of nothing the store knows).
QUESTION_MAX_FOLDED = 2000
WORD_MAX = 32

_LONG_WORD = re.compile(rf"\w{{{WORD_MAX + 1},}}")


def bound_question(text: str, limit: int = QUESTION_MAX_FOLDED) -> str:
    """`text` cleaned, each word cut to WORD_MAX characters, and cut so that its folded form is
    at most `limit` characters. Never reads more than `limit` raw characters (cheap on huge text)."""
    text = clean(text[:limit])
    text = _LONG_WORD.sub(lambda m: m.group(0)[:WORD_MAX], text)
    if len(fold(text)) <= limit:
        return text
    low, high = 0, len(text)  # the longest prefix whose folded form fits
    while low < high:
        mid = (low + high + 1) // 2
        if len(fold(text[:mid])) <= limit:
            low = mid
        else:
            high = mid - 1
    return text[:low]
