"""Answers inside sentences: dates (relative ones resolved against the article's date), durations,
amounts of money and head counts, in English and French.

So "when" and "how much" questions can be answered from a sentence nobody curated, and the answer
can lead with the fact itself ("September 29, 2025") before the quote. Regular expressions rather
than a date-parsing library: articles write dates in a handful of ways, the build runs this on
every sentence, and a library that guesses a date in any number ("40 researchers") would make
amounts look like dates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .text import fold, fold_mapped

_MONTHS_EN = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTHS_FR = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
}
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty a an "
    "un une deux trois quatre cinq six sept huit neuf dix onze douze quinze vingt trente hundred cent"
)
# What the number words are worth, for sums written in words ("a hundred million dollars").
_WORD_VALUES = {
    **dict.fromkeys(("a", "an", "un", "une", "one"), 1),
    **{
        w: n
        for n, w in enumerate("zero two three four five six seven eight nine ten eleven twelve".split())
        if n
    },
    **{
        w: n
        for n, w in enumerate("zero deux trois quatre cinq six sept huit neuf dix onze douze".split())
        if n
    },
    "fifteen": 15,
    "quinze": 15,
    "twenty": 20,
    "vingt": 20,
    "thirty": 30,
    "trente": 30,
}
_HUNDRED = frozenset({"hundred", "cent", "cents"})
_NUM = r"(?:\d+(?:[.,]\d+)?|" + "|".join(_NUMBER_WORDS.split()) + r")"
# Round counts: "une vingtaine de personnes", "a dozen engineers", "une centaine de chercheurs".
_ROUND_COUNTS = (
    r"(?:une |a )?(?:dizaine|douzaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|centaine|dozen)"
    r"(?: de| d'| of)?"
)
_COUNT_NUM = (
    r"(?:\d+|"
    + _ROUND_COUNTS
    + "|"
    + "|".join(w for w in _NUMBER_WORDS.split() if w not in ("a", "an", "un", "une"))
    + r")"
)

_EN_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_FR_MONTH = r"(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)"

# Each pattern runs on the folded sentence (lowercase, no accents); offsets map back one to one
# for the Latin scripts articles use.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "date",
        re.compile(
            rf"\b(?:(?:early|mid|late|end of|the end of)[- ]?)?{_EN_MONTH}\.?(?:\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?)?(?:,?\s+(?P<y1>(?:19|20)\d\d))?\b"
        ),
    ),
    (
        "date",
        re.compile(
            rf"\b(?:(?:le\s+)?(?P<d2>\d{{1,2}})(?:er)?\s+|(?:debut|fin|mi-|courant|en)\s*)?{_FR_MONTH}(?:\s+(?P<y2>(?:19|20)\d\d))?\b"
        ),
    ),
    (
        "date",
        re.compile(
            r"\b(?:last|this|next|earlier this|later this) (?:week|month|year|summer|spring|autumn|fall|winter)\b"
            r"|\b(?:la semaine|le mois|l'an|l'annee|l'ete) (?:derniere?|prochaine?)\b"
            r"|\b(?:cette semaine|ce mois-ci|cet ete|cette annee|plus tot ce mois-ci|hier|aujourd'hui|yesterday|today)\b"
        ),
    ),
    (
        "date",
        re.compile(
            r"\b(?:on |le |ce )?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b"
        ),
    ),
    ("date", re.compile(r"\b(?:in |en |since |depuis )?(?P<y3>(?:19|20)\d\d)\b")),
    (
        "duration",
        re.compile(
            rf"\b{_NUM}[- ](?:years?|months?|weeks?|days?|ans?|annees?|mois|semaines?|jours?)\b(?: (?:later|plus tard|ago|earlier))?"
            r"|\ba quarter of a year\b|\bun trimestre\b|\bdecade\b|\bdecennie\b"
            # vague, but what the article says: "in a few weeks", "over several years"
            r"|\b(?:a few|several|quelques|plusieurs) (?:years|months|weeks|days|annees|ans|mois|semaines|jours)\b"
        ),
    ),
    (
        "amount",
        re.compile(
            rf"(?:[$€£]\s?\d[\d.,]*(?:\s?(?:million|billion|bn|m|k)\b)?"
            rf"|\b\d[\d.,\s]*\s?(?:millions?|milliards?|billions?|m)\s+(?:de |d')?(?:dollars|euros)"
            rf"|\b\d[\d.,]*\s?(?:m\$|md\$|m€|md€|k\$|k€)"
            rf"|\b{_NUM} (?:million|billion|milliard)s? (?:de |d')?(?:dollars|euros)"
            rf"|\b(?:tens|hundreds|dizaines|centaines) (?:of|de) millions(?: (?:of|de) (?:dollars|euros))?"
            rf"|\b(?:seven|eight|nine|ten)-figure\b|\ba (?:\d|[a-z]+)-figure\b"
            # "well into eight figures", "a huit chiffres": a sum by its number of digits
            rf"|\b(?:well into |into )?(?:six|seven|eight|nine|ten) figures\b"
            rf"|\b(?:six|sept|huit|neuf|dix) chiffres\b)"
        ),
    ),
    (
        "count",
        re.compile(
            rf"\b(?:about |around |roughly |some |nearly |almost |more than |environ |pres de |quelque |plus de )?{_COUNT_NUM}[- ]"
            r"(?:person|people|researchers?|engineers?|employees?|staff|scientists?|members?|chercheu(?:r|rs|se|ses)|ingenieu(?:r|rs)|salaries|personnes|employes|membres)\b"
            # "two people familiar with the offer" are the reporter's sources, not a head count
            r"(?! (?:familiar|close|briefed|with knowledge|who (?:have|had|has) (?:seen|worked|spoken)|who know|said|say|told|proches|au fait))"
        ),
    ),
    (
        # A bare number after a word for a head count: "double its headcount, to about 150",
        # "a team of 25", "un effectif de 40". Only the number (group n) is the answer.
        "count",
        re.compile(
            r"\b(?:headcount|workforce|team|staff|effectifs?|equipe)\b[^.;:]{0,25}?"
            r"\b(?:to|of|at|de|a)\s+(?:about |around |roughly |some |nearly |environ |pres de |quelque )?"
            rf"(?P<n>{_COUNT_NUM})\b(?![.,]?\d|[- ]?(?:%|percent|pour|million|billion|milliard|years?|ans|mois|months?))"
        ),
    ),
    (
        # A job or title, on the folded sentence: "chief scientist", "head of research", "staff
        # research scientist", "ran DeepMind's dexterous-manipulation team", "responsable de
        # l'alignement", "au poste de directeur", "pilote desormais l'alignement des modeles".
        "role",
        re.compile(
            r"\bchief (?:[a-z-]+ )?(?:officer|scientist|executive)\b|\bchief of staff\b"
            r"|\b(?:ceo|cto|cfo|coo|cso|pdg|vp)\b"
            r"|\b(?:head|director|vice[- ]president|lead|leader|manager|chief)\s+(?:of|for)\s+(?:the\s+)?[a-z-]+(?: [a-z-]+)?"
            r"|\b(?:senior|staff|principal|distinguished|lead|founding)\s+(?:[a-z-]+\s+){0,2}?"
            r"(?:scientist|engineer|researcher|engineering manager|manager)\b"
            r"|\b(?:[a-z-]+ )?(?:research|team|technical|tech|engineering|product) lead\b"
            r"|\b(?:research|engineering|technical|managing|executive|scientific|program|product) (?:director|manager)\b"
            r"|\b(?:research|software|machine[- ]learning|ml|applied) (?:engineer|scientist)\b"
            r"|\bmember of (?:the )?technical staff\b"
            # "Pang's main mission at Meta": what someone was hired to do answers "what job"
            r"|\b(?:main |principal |principale |key )missions?\b|\bmissions? principales?\b"
            r"|\bas (?:a |an |its |the )?(?:[a-z-]+ ){0,3}?(?:director|manager|scientist|engineer|researcher|lead|head|officer|president|architect|fellow)\b"
            r"(?: (?:of|for) (?:the )?[a-z-]+(?: [a-z-]+)?)?"
            r"|\b(?:co-?)?founder\b|\b(?:co)?fondat(?:eur|rice)\b"
            r"|\b(?:lead|led|leads|leading|run|ran|runs|running|head|heads|headed|oversee|oversees|oversaw|manage|manages|managed)\s+"
            r"(?:the |its |a |an |[a-z]+'s )?(?:[a-z-]+ ){0,3}?(?:team|group|lab|division|unit|department|research)\b"
            r"|\b(?:responsable|directeur|directrice|chef|cheffe|patron|patronne|vice-presidente?)\s+"
            r"(?:general |generale |scientifique |technique )?(?:de la |de l'|du |des |de |d')?[a-z-]+"
            r"|\b(?:au poste de|en tant que)\s+[a-z'-]+(?: [a-z'-]+){0,3}"
            r"|\b(?:dirige|dirigeait|dirigera|pilote|pilotait|pilotera|supervise|supervisait)\s+"
            r"(?:desormais |deja )?(?:l'|le |la |les |son |sa |ses )[a-z-]+(?: [a-z-]+)?"
        ),
    ),
]


@dataclass(frozen=True)
class Found:
    """One answer inside a sentence: its kind, the words as written, and a resolved value."""

    kind: str  # "date", "duration", "amount", "count", "role" or "place"
    text: str
    start: int
    value: str = ""  # ISO date ("2025-09-29", "2025-09") when a date can be resolved


def _parse_doc_date(doc_date: str | None) -> date | None:
    if not doc_date:
        return None
    parts = doc_date.split("-")
    try:
        return date(
            int(parts[0]), int(parts[1]) if len(parts) > 1 else 7, int(parts[2]) if len(parts) > 2 else 15
        )
    except (ValueError, IndexError):
        return None


def _resolve(m: re.Match[str], folded: str, doc: date | None) -> str:
    """An ISO date for a date phrase, given the article's date; "" when it cannot be told."""
    groups = m.groupdict()
    phrase = m.group(0)
    month = None
    for name, number in _MONTHS_EN.items():
        if re.search(rf"\b{name}", phrase):
            month = number
    for name, number in _MONTHS_FR.items():
        if re.search(rf"\b{name}\b", phrase):
            month = number
    day = groups.get("d1") or groups.get("d2")
    year = groups.get("y1") or groups.get("y2") or groups.get("y3")
    if month:
        y = int(year) if year else (doc.year - (month > doc.month) if doc else None)
        if y is None:
            return ""
        return f"{y}-{month:02d}-{int(day):02d}" if day else f"{y}-{month:02d}"
    if year and not groups.get("wd"):
        return year
    if doc is None:
        return ""
    if groups.get("wd"):
        back = (doc.weekday() - _WEEKDAYS[groups["wd"]]) % 7
        return (doc - timedelta(days=back)).isoformat()
    if "last week" in phrase or "semaine derniere" in phrase:
        return (doc - timedelta(days=7)).isoformat()[:7]
    if "this week" in phrase or "cette semaine" in phrase or "today" in phrase or "aujourd" in phrase:
        return doc.isoformat()
    if "last month" in phrase or "mois dernier" in phrase:
        return (doc.replace(day=1) - timedelta(days=1)).isoformat()[:7]
    if "this month" in phrase or "ce mois" in phrase:
        return doc.isoformat()[:7]
    if "yesterday" in phrase or "hier" in phrase:
        return (doc - timedelta(days=1)).isoformat()
    if "last year" in phrase or "an dernier" in phrase or "annee derniere" in phrase:
        return str(doc.year - 1)
    if "summer" in phrase or "ete" in phrase:
        return str(doc.year)
    return ""


# A place: a capitalised name right after a word that says "where" ("based in Zurich", "à Santa
# Clara", "at its Santa Clara headquarters", "dans le 9e arrondissement"), or a dateline
# ("SAN FRANCISCO, Aug 12"). Read on the sentence as written: capitals mark the name.
_PLACE_CUE = r"(?:\b(?:in|near|at its|based in|based at|à|au|en|dans le|depuis|basée? à)\s+)"
_PLACE = re.compile(
    _PLACE_CUE + r"(?P<p>\d{1,2}e arrondissement|[A-Z][a-zà-ÿ'’-]+\b(?:\s[A-Z][a-zà-ÿ-]+\b)*"
    # a district of a city: "San Francisco's Mission Bay district"
    r"(?:['’]s(?:\s[A-Z][a-zà-ÿ-]+\b)+(?:\s(?:district|neighborhood|neighbourhood|area)\b)?)?)"
    r"|^(?P<d>[A-Z]{3,}(?: [A-Z]{3,})*),"
)
_NOT_PLACES = frozenset(
    """January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday The This That His Her Its Their""".split()
)


def places(sentence: str) -> list[Found]:
    """The places a sentence names (see _PLACE), in reading order."""
    out = []
    for m in _PLACE.finditer(sentence):
        name = m.group("p") or m.group("d")
        if name.split()[0].rstrip("'’") not in _NOT_PLACES:
            out.append(Found("place", name.rstrip("'’").removesuffix("'s").removesuffix("’s"), m.start()))
    return out


# Words a role's pattern may take in at its edges that are not part of the title.
_ROLE_EDGE_WORDS = frozenset(
    "a an the as its and of for at et de des du la le les d' l' au en tant que poste chez".split()
)


def _trim_role(text: str) -> str:
    """ "au poste de responsable de l'alignement et" -> "responsable de l'alignement"."""
    words = text.split()
    while words and fold(words[-1]).replace("\u2019", "'") in _ROLE_EDGE_WORDS:
        words.pop()
    while words and fold(words[0]).replace("\u2019", "'") in _ROLE_EDGE_WORDS:
        words.pop(0)
    return " ".join(words) if words else text


@lru_cache(maxsize=8192)
def found_in(sentence: str) -> tuple[Found, ...]:
    """find() of a sentence with no article date, once per sentence: retrieval asks it of every
    candidate of every question."""
    return tuple(find(sentence))


# "had been at the company since 2016" says how long as well as from when.
_SINCE_YEAR = re.compile(
    r"\b(?:been|was|worked|travaill\w*|etait|est)\b[^.;]{0,40}?\b((?:since|depuis) (?:19|20)\d\d)\b"
)


def find(sentence: str, doc_date: str | None = None) -> list[Found]:
    """Every date, duration, amount, head count and place in a sentence, in reading order."""
    folded, origin = fold_mapped(sentence)
    doc = _parse_doc_date(doc_date)
    out: list[Found] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded):
            if m.end() - m.start() < 3:
                continue
            a, b = m.span("n") if "n" in pattern.groupindex else m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            if (
                kind == "date"
                and m.group(0).strip() in ("may", "mars", "mai")
                and not (m.groupdict().get("d1") or m.groupdict().get("y1") or m.groupdict().get("d2"))
            ):
                continue  # "may" the verb, "mars" the planet: a month only with a day or a year
            taken.append((a, b))
            text = sentence[origin[a] : origin[b - 1] + 1]
            if kind == "role":
                text = _trim_role(text)
            value = _resolve(m, folded, doc) if kind == "date" else ""
            out.append(Found(kind, text.strip(" ,."), a, value))
    for m in _SINCE_YEAR.finditer(folded):  # a date that also says how long
        a, b = m.span(1)
        out.append(Found("duration", sentence[origin[a] : origin[b - 1] + 1], a))
    out += places(sentence)  # offsets in the sentence as written: near enough to order by
    out.sort(key=lambda f: f.start)
    return out


_SCALES = (
    ("milliard", 1e9),
    ("billion", 1e9),
    ("bn", 1e9),
    ("md", 1e9),
    ("million", 1e6),
    ("m", 1e6),
    ("k", 1e3),
)
_AMOUNT_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def amount_value(text: str) -> str:
    """An amount's size in a comparable form ("$50 million", "50 millions de dollars" and "50 M$"
    all give "50000000"); the folded words when no figure can be read ("nine-figure")."""
    folded = fold(text)
    m = _AMOUNT_NUMBER.search(folded.replace(" ", ""))
    if m is None:
        return _worded_value(folded)
    number = float(m.group(0).replace(",", "."))
    rest = folded[folded.find(m.group(0)[0]) :]
    scale = next((f for word, f in _SCALES if re.search(rf"\d\s?{word}|\b{word}", rest)), 1.0)
    return f"{number * scale:.0f}"


def _worded_value(folded: str) -> str:
    """A sum written in words ("a hundred million dollars", "vingt millions"), or the words."""
    words = folded.replace("-", " ").split()
    values = [_WORD_VALUES[w] for w in words if w in _WORD_VALUES]
    if _HUNDRED & set(words):
        number = 100 * (values[0] if values else 1)
    elif values and len(words) > 1:
        number = values[0]
    else:
        return folded
    scale = next((f for word, f in _SCALES if len(word) > 2 and word in folded), 0.0)
    return f"{number * scale:.0f}" if scale else folded


AMOUNT_KEY = "$"  # index key prefix of an amount by its size ("$50000000")


def amount_keys(text: str) -> set[str]:
    """Index keys for the sums a text states, by size: "$50m", "50 millions de dollars" and
    "$50 million" are one key, so a question quoting a figure finds every report of it."""
    if not any(c.isdigit() for c in text):
        return set()
    return sum_keys(find(text))


def sum_keys(found: list[Found]) -> set[str]:
    """The index keys (see amount_keys) of the amounts among answers already found."""
    return {AMOUNT_KEY + v for f in found if f.kind == "amount" and (v := amount_value(f.text)).isdigit()}


WANTS = {
    "when": ("date", "duration"),
    "how_long": ("duration",),
    "how_much": ("amount",),
    "how_many": ("count",),
    "where_place": ("place",),  # "which city", "quel quartier": a place, not an employer
    "role": ("role",),  # "quel poste", "what job": a title or what someone leads
}


def answer_kinds(found: list[Found]) -> set[str]:
    """Which question intents the sentence's answers serve."""
    kinds = {f.kind for f in found}
    return {intent for intent, wanted in WANTS.items() if kinds & set(wanted)}


# "how long", "combien de temps", "how many years", "combien d'années"
DURATION_WORDS = frozenset(
    {"long", "longtemps", "temps", "duree", "years", "annees", "ans", "months", "weeks", "semaines"}
)
# "Since when", "depuis quand": a duration ("for four years") answers it as well as a date.
SINCE_WORDS = frozenset({"since", "depuis"})


def asks_calendar(question_words: set[str]) -> bool:
    """Whether a "when" question wants a point in time: "when did she join", "en quelle année",
    which "six years" does not answer (unlike "how long" or "since when")."""
    return not (DURATION_WORDS | SINCE_WORDS) & question_words


def lead(found: Sequence[Found], intents: set[str], question_words: set[str]) -> Found | None:
    """The answer to lead with for a question of these intents: the first fitting one the
    question does not already say (asked "when did X join in 2024", the year is no answer).
    "When" wants a date; "since when" a date before a duration ("who spent nine years at Apple
    ... joined in early July"), and "how long" the reverse."""
    for intent, wanted in WANTS.items():
        if intent not in intents:
            continue
        if intent == "when" and DURATION_WORDS & question_words:
            wanted = ("duration", "date")
        elif intent == "when" and asks_calendar(question_words):
            wanted = ("date",)
        for kind in wanted:
            for f in found:
                if f.kind == kind and not set(fold(f.text).split()) <= question_words:
                    return f
    return None
