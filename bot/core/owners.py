"""Whose figure a sentence gives: "Helix hired Haddad with a package reported at $32 million, and
then spent two months courting Okonkwo" states Haddad's package, not Okonkwo's.

A sentence naming several people gives each figure to the person named last before it (the
subject the figure follows), or, when no one is named before it, to the first one named after
it ("a $200 million package for Ruoming Pang"). Retrieval uses this so that a "how much" or
"when" question about one person is never answered with another person's figure.

A sum that follows a word of company money ("Latest funding $300 million", "a levé 1,2 milliard",
"valued at") is the company's, whoever the sentence names: not anyone's pay.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from .answer_types import found_in, lead
from .lexicon import COMPANY_MONEY_WORDS
from .mentions import AliasIndex
from .text import tokens


def _people_in(aliases: AliasIndex, words: list[str], people: Collection[str]) -> list[list[str]]:
    """The people named in `words`, one list of candidate ids per name, in reading order."""
    return [[e for e in ids if e in people] for _s, _e, ids in aliases.spans(words)]


# How many words before a sum a word of company money may stand ("raised about $1.2 billion").
COMPANY_MONEY_REACH = 4


def is_company_sum(sentence: str, intents: set[str], question_words: set[str]) -> bool:
    """Whether the sum an answer would lead with is a company's (funding, valuation, revenue)."""
    value = lead(found_in(sentence), intents, question_words)
    if value is None or value.kind != "amount":
        return False
    at = sentence.find(value.text)
    return at >= 0 and not COMPANY_MONEY_WORDS.isdisjoint(tokens(sentence[:at])[-COMPANY_MONEY_REACH:])


def _lead_clause(
    sentence: str, intents: set[str], question_words: set[str]
) -> tuple[int, int, int, int] | None:
    """Where the figure an answer would lead with stands, and the clause around it, as
    (clause start, figure start, figure end, clause end); None when the sentence has none."""
    value = lead(found_in(sentence), intents, question_words)
    if value is None:
        return None
    at = sentence.find(value.text)
    if at < 0:
        return None
    end = at + len(value.text)
    starts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(sentence) if m.end() <= at)]
    stops = [m.start() for m in _CLAUSE_BREAK.finditer(sentence) if m.start() >= end] + [len(sentence)]
    return starts[-1], at, end, stops[0]


def value_clause(sentence: str, intents: set[str], question_words: set[str]) -> tuple[str, str] | None:
    """The clause holding the figure an answer would lead with, as its text before and after the
    figure: in "Wang, founder of Scale AI, joined Meta in June 2025" the date follows "joined"."""
    span = _lead_clause(sentence, intents, question_words)
    if span is None:
        return None
    lo, at, end, hi = span
    return sentence[lo:at], sentence[end:hi]


def value_owner(
    aliases: AliasIndex,
    people: Collection[str],
    sentence: str,
    intents: set[str],
    question_words: set[str],
) -> str | None:
    """The person whose figure (the one an answer to `intents` would lead with) the sentence
    gives, or None when it names no one around it or cannot tell between two namesakes."""
    span = _lead_clause(sentence, intents, question_words)
    if span is None:
        return None
    clause_lo, at, end, clause_hi = span
    # The clause first ("hired Haddad for $32 million, and then spent two months courting
    # Okonkwo": the two months are Okonkwo's), then the whole sentence.
    for lo, hi in ((clause_lo, clause_hi), (0, len(sentence))):
        before = [ids for ids in _people_in(aliases, tokens(sentence[lo:at]), people) if ids]
        after = [ids for ids in _people_in(aliases, tokens(sentence[end:hi]), people) if ids]
        named = before[-1] if before else after[0] if after else []
        if named:
            return named[0] if len(named) == 1 else None
    return None


# Where a new clause starts: ", and then…", ", puis…", "; …".
_CLAUSE_BREAK = re.compile(r",\s*(?:and|then|but|while|whereas|et|puis|mais|tandis)\b|;")
