"""Moves and people read from every article at build time, curated or not.

Rule-based on purpose: a sentence yields a move only when a known move phrase ("joined",
"is set to join", "a refusé une offre de", ...) links a named person to a named organisation,
and every move keeps the sentence it came from as its verbatim quote. Precision over recall:
a wrong move shown to users is worse than a missing one, which a curator can still add.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass, field, replace
from datetime import date as _date
from datetime import timedelta

from rapidfuzz import fuzz

from .text import fold, split_passages

# Organisations every article may name: canonical name -> the spellings used for it.
KNOWN_ORGS: dict[str, tuple[str, ...]] = {
    "Meta Superintelligence Labs": ("Meta Superintelligence Labs", "MSL"),
    "Google DeepMind": ("Google DeepMind", "DeepMind"),
    "Google Brain": ("Google Brain",),
    "Microsoft Research": ("Microsoft Research",),
    "Microsoft": ("Microsoft France", "Microsoft"),
    "Meta": ("Meta Platforms", "Meta", "Facebook"),
    "OpenAI": ("OpenAI",),
    "Anthropic": ("Anthropic",),
    "Apple": ("Apple",),
    "Nvidia": ("Nvidia", "NVIDIA"),
    "Google": ("Google",),
    "xAI": ("xAI",),
    "Amazon": ("Amazon",),
    "Mistral AI": ("Mistral AI", "Mistral"),
    "Scale AI": ("Scale AI",),
    "Thinking Machines Lab": ("Thinking Machines Lab", "Thinking Machines"),
    "Safe Superintelligence": ("Safe Superintelligence",),
    "Tesla": ("Tesla",),
}
ORG_PARENTS = {"Meta Superintelligence Labs": "Meta", "Google DeepMind": "Google", "Google Brain": "Google"}
ORG_SUFFIX = r"(?:AI|Labs?|Robotics|Reasoning|Research|Systems|Technologies|Intelligence)"
_CAP = r"[A-ZÀ-Ý][\w’'-]*"
NEW_ORG = re.compile(rf"\b((?:{_CAP} ){{1,2}}{ORG_SUFFIX})\b")
_NAME_WORD = r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?"
FULL_NAME = re.compile(rf"\b({_NAME_WORD}(?: {_NAME_WORD}){{1,2}})\b")
# Capitalised words that start no person's name.
NOT_NAMES = frozenset(
    """The A An In On At By For From Of And But Not After Before When While Since Two Three One
    Neither Every Both Some Many Most Last Next This That These Those His Her Their Its Our
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December Le La Les Un Une Des Du De Chez Selon Pour
    Par Cette Ce Cet Dans Avec Sur Aucun Reste Plusieurs Inscrivez Vous Paris London Boston Zurich
    San Santa Menlo Mission Cupertino Redmond Silicon Bay Valley New York Massachusetts Sept Oct
    Nov Dec Jan Feb Aug Sign Rate Know Reporting Opinion Consider Compare Investors Earlier Then
    Tour Mercato Lumen Helix Calanque Gemini Siri Superintelligence Labs Research Robotics
    Reasoning Series Founded Headquarters Chief Latest Employees Why What Who How Also Talent
    Dr Mr Mrs Ms Nobody None Pay People Recruiters Teams Give Tie Hiring Separately""".split()
)
PLACES = frozenset(
    {"San Francisco", "Menlo Park", "Santa Clara", "Mission Bay", "Silicon Valley", "New York"}
)

# Move phrases, most specific first: (status, pattern). Groups: none; positions matter.
EN_MOVES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (s, re.compile(p, re.IGNORECASE))
    for s, p in (
        ("turned_down", r"\b(?:turned (?:the offer |it )?down|turned down|rejected|declined|said no to)\b"),
        ("in_talks", r"\b(?:is|are|was|were) in (?:advanced )?(?:talks|negotiations|discussions)\b"),
        ("set_to_join", r"\b(?:is|are) set to join\b|\bwill join\b|\bis joining\b|\bis to join\b"),
        ("returned", r"\b(?:has |have )?returned to\b|\breturns to\b|\bgoes back to\b|\bwent back to\b"),
        ("considering", r"\bis (?:considering|weighing)\b"),
        ("joined", r"\b(?:left|leaves) (?:[\w’'-]+ ){0,4}(?:to join|and joined|and started at|for)\b"),
        ("joined", r"\b(?:has )?(?:joined|joins|started at|makes it official at)\b"),
        ("hired", r"\b(?:has |had |have )?(?:hired|hires|poached|recruited)\b"),
        ("left", r"\b(?:has )?(?:left|leaves|quit|departed)\b"),
    )
)
FR_MOVES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (s, re.compile(p, re.IGNORECASE))
    for s, p in (
        ("turned_down", r"\ba (?:refusé|décliné|rejeté|dit non à)\b"),
        ("in_talks", r"\b(?:est|serait|sont|seraient) en (?:discussions?|négociations?|pourparlers) avec\b"),
        ("set_to_join", r"\brejoindra\b|\bva rejoindre\b|\bdevrait rejoindre\b"),
        ("returned", r"\b(?:est )?(?:revenue?|retourné[e]?) chez\b|\bretourne chez\b"),
        ("considering", r"\benvisage(?:rait)? de (?:rejoindre|quitter)\b"),
        ("hired", r"\bl[’']arrivée de\b"),
        ("arrived_from", r"\barrivée? de\b"),
        ("joined", r"\ba rejoint\b|\brejoint\b|\ba pris ses fonctions\b"),
        ("joined", r"\bparti[e]? (?:\w+ ){0,3}pour rejoindre\b"),
        ("hired", r"\ba (?:\w+ment )?(?:recruté|attiré|embauché|débauché)\b|\bdébauche\b|\brecrute\b"),
        ("left", r"\ba quitté\b"),
    )
)
# Words that make a move phrase hypothetical or denied: no move.
NOT_A_MOVE = re.compile(
    r"\b(?:would|could|might|should|not|never|no one|nobody|aucun|n[’']|pas|if|whether|aurait)\b",
    re.IGNORECASE,
)
HYPOTHETICAL_WINDOW = 25  # characters before a move phrase searched for NOT_A_MOVE
DESTINATION_REACH = 50  # an organisation further than this after "joined" is not where they went
OBJECT_REACH = 4  # "hired NAME": the person follows the verb at once
PRONOUN_SUBJECT = re.compile(r"\b(?:it|elle|the company|la société|la start-up)\s+$", re.IGNORECASE)
CORRECTION = re.compile(
    r"previously reported|not the .{0,40}reported|understated|overstated|corrected|"
    r"contrairement à ce qui|et non (?:pas )?(?:de )?\d",
    re.IGNORECASE,
)
AMOUNT = re.compile(
    r"(?:[$€£]\s?\d[\d.,]*\s?(?:million|billion|bn|m)?|\d[\d.,]*\s(?:millions?|milliards?) d[e’'] ?(?:dollars|euros))"
    r"(?:\s(?:over|sur) (?:\w+ ){0,2}(?:years|ans))?|nine-figure package|(?:well into )?eight figures",
    re.IGNORECASE,
)
PACKAGE_WORDS = re.compile(
    r"package|offer|contract|worth|pay|compensation|rémunération|offre|enveloppe|contrat|estimée?",
    re.IGNORECASE,
)
EN_ROLE_AFTER = re.compile(
    r"\bas (?:its |their |her |his |the |a |an )?([a-z][a-zA-Z -]{3,60}?)(?= on\b| in\b| at\b| based\b| from\b|,|\.|$)"
)
FR_ROLE_AFTER = re.compile(
    r"\b(?:comme|au poste de|en tant que) ([a-zà-ÿ][\w’' -]{3,70}?)(?= chez\b| en\b| à\b|,|\.|$)"
)

MONTHS = {
    **{
        m: n
        for n, ms in enumerate(
            (
                ("january", "jan"),
                ("february", "feb"),
                ("march",),
                ("april", "apr"),
                ("may",),
                ("june",),
                ("july",),
                ("august", "aug"),
                ("september", "sept", "sep"),
                ("october", "oct"),
                ("november", "nov"),
                ("december", "dec"),
            ),
            start=1,
        )
        for m in ms
    },
    **{
        m: n
        for n, m in enumerate(
            "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(), 1
        )
    },
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DAY_DATE = re.compile(rf"\b(?:on )?(?:\w+day, )?({_MONTH})\.? (\d{{1,2}})\b|\b(\d{{1,2}}) ({_MONTH})\b", re.I)
MONTH_DATE = re.compile(
    rf"\b(?:in |en |fin |début |early |late |mid-)?(?:early |late )?({_MONTH})(?: (20\d\d))?\b", re.I
)
YEAR_DATE = re.compile(r"\b(?:in|en|since) (20\d\d|19\d\d)\b")
RELATIVE = (
    (re.compile(r"\blast week\b|\bla semaine dernière\b|\bpast fortnight\b", re.I), -7),
    (re.compile(r"\blast month\b|\ble mois dernier\b", re.I), -31),
    (
        re.compile(
            r"\b(?:earlier )?this (?:month|week)\b|\bce mois-ci\b|\bcette semaine\b|\bon (?:mon|tues|wednes|thurs|fri)day\b",
            re.I,
        ),
        0,
    ),
)
SEASON = re.compile(r"\bthis summer\b|\bcet été\b|\bthis year\b|\bcette année\b", re.I)
STAGE = {"considering": 0, "in_talks": 1, "set_to_join": 2}  # other statuses: 3 (done)


@dataclass(frozen=True)
class Report:
    """One move as one article reports it."""

    who: str  # the person's full name as the article spells it
    from_org: str | None
    to_org: str | None
    status: str
    date: str | None
    quote: str
    file: str
    reported: str | None  # the article's date
    role_before: str | None = None
    role_after: str | None = None
    package: str | None = None
    corrects: bool = False


@dataclass
class ArticleMoves:
    """What one article names: people (full name -> spellings), organisations, moves."""

    people: dict[str, set[str]] = field(default_factory=dict)
    orgs: set[str] = field(default_factory=set)
    reports: list[Report] = field(default_factory=list)


def _month_back(d: _date, days: int) -> str:
    back = d + timedelta(days=days)
    return f"{back.year}-{back.month:02d}"


def resolve_date(text: str, article_date: str | None) -> str | None:
    """The date a phrase gives, resolved against the article's date ("last week", "Sept. 29",
    "en janvier 2026"); None when the phrase gives none or it cannot be placed in a year."""
    parts = [int(p) for p in (article_date or "").split("-") if p]
    year = parts[0] if parts else None
    base = (
        _date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        if parts
        else None
    )
    m = DAY_DATE.search(text)
    if m and year:
        month = MONTHS[(m.group(1) or m.group(4)).lower()]
        day = int(m.group(2) or m.group(3))
        if 1 <= day <= 31:
            try:
                return _date(year, month, day).isoformat()
            except ValueError:
                pass
    m = MONTH_DATE.search(text)
    if m and not (
        m.group(1).lower() == "may" and not m.group(2) and not re.search(r"\b(?:in|en) may\b", text, re.I)
    ):
        month = MONTHS[m.group(1).lower()]
        if m.group(2):
            return f"{m.group(2)}-{month:02d}"
        if year:
            return f"{year}-{month:02d}"
    m = YEAR_DATE.search(text)
    if m:
        return m.group(1)
    if base is not None and len(parts) >= 2:
        for pattern, days in RELATIVE:
            if pattern.search(text):
                return _month_back(base, days)
    if year and SEASON.search(text):
        return str(year)
    return None


_WORD_RUN = re.compile(r"[\w-]+")  # the characters a spelling's match may not touch (see find_orgs)
_SPELLING_PATTERNS: dict[str, re.Pattern[str]] = {}
_SPELLING_PATTERNS_MAX = 100_000


def _spelling_pattern(spelling: str) -> re.Pattern[str]:
    """The compiled pattern of one spelling (an organisation's or a person's) as a whole word, kept:
    a corpus names more of them than the `re` module's own cache holds (512), and recompiling
    each on every sentence took minutes."""
    pattern = _SPELLING_PATTERNS.get(spelling)
    if pattern is None:
        if len(_SPELLING_PATTERNS) >= _SPELLING_PATTERNS_MAX:
            _SPELLING_PATTERNS.clear()
        pattern = _SPELLING_PATTERNS[spelling] = re.compile(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])")
    return pattern


# One organisation spelling: (-length, position of its organisation in the merged name table,
# position among that organisation's spellings, spelling, canonical name). Sorting these gives
# the order of sorting the (spelling, canonical name) pairs by length alone, ties kept in order.
_Entry = tuple[int, int, int, str, str]


class _Layer:
    """Spellings indexed by their leading run of `[\\w-]` characters.

    A spelling matches only where it is neither preceded nor followed by a word character or a
    hyphen, so a match of a spelling beginning with a word character starts a maximal run of
    `[\\w-]` characters, and that run is exactly the spelling's own leading run: the runs of a
    text name the only spellings worth searching it for."""

    def __init__(self, entries: Iterable[_Entry]) -> None:
        self.by_first_run: dict[str, list[_Entry]] = {}
        self.everywhere: list[_Entry] = []  # spellings not starting with a word character: always tried
        self.words: dict[str, int] = {}  # word -> how many spellings contain it
        for entry in entries:
            spelling = entry[3]
            run = _WORD_RUN.match(spelling)
            if run:
                self.by_first_run.setdefault(run.group(0), []).append(entry)
            else:
                self.everywhere.append(entry)
            for w in set(spelling.split()):
                self.words[w] = self.words.get(w, 0) + 1


def _entries(merged: dict[str, tuple[str, ...]]) -> list[_Entry]:
    return [
        (-len(spelling), k, j, spelling, canon)
        for k, (canon, spellings) in enumerate(merged.items())
        for j, spelling in enumerate(spellings)
    ]


class OrgSpellings:
    """Every (spelling, canonical name) an article is searched for, longest spelling first: the
    organisations of a whole build (indexed once, see KnownOrgs) with the article's own on top.
    `replaced`: the base's organisations (by position) the article's own spellings stand for."""

    def __init__(
        self, base: _Layer, own: _Layer, replaced: frozenset[int] = frozenset(), dropped: Iterable[str] = ()
    ) -> None:
        self.base, self.own, self.replaced = base, own, replaced
        self._dropped_words: dict[str, int] = {}  # words of the replaced spellings, counted alike
        for spelling in dropped:
            for w in set(spelling.split()):
                self._dropped_words[w] = self._dropped_words.get(w, 0) + 1

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> OrgSpellings:
        """Plain pairs, searched in their own order."""
        return cls(_Layer((0, n, 0, s, c) for n, (s, c) in enumerate(pairs)), _Layer(()))

    def candidates(self, text: str) -> list[_Entry]:
        """The spellings `text` may contain, in search order."""
        base, own, replaced = self.base, self.own, self.replaced
        found = set(own.everywhere)
        found.update(e for e in base.everywhere if e[1] not in replaced)
        for run in set(_WORD_RUN.findall(text)):
            hit = base.by_first_run.get(run)
            if hit is not None and replaced:
                found.update(e for e in hit if e[1] not in replaced)
            elif hit is not None:
                found.update(hit)
            hit = own.by_first_run.get(run)
            if hit is not None:
                found.update(hit)
        return sorted(found)

    def __contains__(self, word: object) -> bool:
        """Whether `word` is one of the (whitespace-split) words of some spelling."""
        if not isinstance(word, str):
            return False
        if word in self.own.words:
            return True
        return self.base.words.get(word, 0) > self._dropped_words.get(word, 0)


class KnownOrgs:
    """The organisations every article of a build may name (KNOWN_ORGS and `extra`), indexed
    once for the whole build instead of once per article."""

    def __init__(self, extra: dict[str, tuple[str, ...]] | None = None) -> None:
        self.merged = {**KNOWN_ORGS, **(extra or {})}
        self.position = {canon: k for k, canon in enumerate(self.merged)}
        self.layer = _Layer(_entries(self.merged))

    def spellings(self, own: dict[str, tuple[str, ...]]) -> OrgSpellings:
        """Those with an article's own organisations (`own`: canonical name -> spellings) added;
        an organisation already known takes the article's spellings, as {**known, **own} does."""
        entries: list[_Entry] = []
        replaced: set[int] = set()
        dropped: list[str] = []
        after = len(self.merged)
        for canon, spellings in own.items():
            k = self.position.get(canon)
            if k is None:
                k, after = after, after + 1
            else:
                replaced.add(k)
                dropped += self.merged[canon]
            entries += [(-len(s), k, j, s, canon) for j, s in enumerate(spellings)]
        return OrgSpellings(self.layer, _Layer(entries), frozenset(replaced), dropped)


def find_orgs(text: str, spellings: OrgSpellings | list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """(start, end, canonical name) of each organisation named, longest spelling first.

    Only the spellings whose first word the text contains are searched (see _Layer), in the
    order of `spellings`: the result is that of searching every spelling in turn."""
    index = spellings if isinstance(spellings, OrgSpellings) else OrgSpellings.of(spellings)
    taken: list[tuple[int, int, str]] = []
    for _len, _k, _j, spelling, canon in index.candidates(text):
        if spelling not in text:
            continue
        for m in _spelling_pattern(spelling).finditer(text):
            if not any(s < m.end() and m.start() < e for s, e, _ in taken):
                taken.append((m.start(), m.end(), canon))
    return sorted(taken)


def _new_orgs(text: str) -> dict[str, tuple[str, ...]]:
    """Organisations the article names with an org-like suffix (Helix Reasoning, Calanque AI);
    their first word alone ("Helix") names them too."""
    known = {s for spellings in KNOWN_ORGS.values() for s in spellings}
    found: dict[str, tuple[str, ...]] = {}
    for m in NEW_ORG.finditer(text):
        name = m.group(1)
        words = name.split()
        while words and words[0] in NOT_NAMES - {"Lumen", "Helix", "Calanque"}:
            words = words[1:]
        if len(words) < 2 or name in known or any(w in known for w in words[:-1]):
            continue
        name = " ".join(words)
        found[name] = (name, words[0]) if len(words[0]) > 3 else (name,)
    return found


def _people(text: str, org_words: Container[str]) -> dict[str, set[str]]:
    """Full names (two or three capitalised words that are no organisation or place)."""
    people: dict[str, set[str]] = {}
    for m in FULL_NAME.finditer(text):
        words = m.group(1).split()
        while words and words[0] in NOT_NAMES:
            words = words[1:]
        name = " ".join(words)
        if len(words) < 2 or name in PLACES or any(w in org_words or w in NOT_NAMES for w in words):
            continue
        people.setdefault(name, {name, words[-1]})
    return people


def _mentions(sentence: str, people: dict[str, set[str]]) -> list[tuple[int, int, str]]:
    """(start, end, full name) of each person the sentence names, in full or by surname."""
    found: list[tuple[int, int, str]] = []
    for name, spellings in people.items():
        if not any(spelling in sentence for spelling in spellings):
            continue  # the regexes below find nothing a substring test does not
        for spelling in sorted(spellings, key=len, reverse=True):
            for m in _spelling_pattern(spelling).finditer(sentence):
                if not any(s < m.end() and m.start() < e for s, e, _ in found):
                    found.append((m.start(), m.end(), name))
    return sorted(found)


_LANG = {"french": False}


def _is_french(_sentence: str) -> bool:
    """The article's language (set by extract_article): its sentences are read with its patterns."""
    return _LANG["french"]


def _role(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    return m.group(1).strip() if m else None


def _role_before(name_end: str, org: str | None) -> str | None:
    """The appositive "NAME, a staff research scientist at ORG," as a role."""
    m = re.match(
        r",\s*(?:who (?:leads|ran|runs|led) |a |an |the |l[’']ancienne |l[’']ancien )?([^,]{3,90}?),",
        name_end,
    )
    if not m:
        return None
    role = m.group(1)
    if org and org in role:
        role = re.split(rf"\s(?:at|chez|of|de|d[’']|on)\s.*{re.escape(org)}|{re.escape(org)}[’']s\s", role)[0]
    role = re.sub(r"^(?:who |jusqu[’']ici |now )", "", role).strip(" ,")
    if not role or len(role) < 4 or any(w in role for w in ("who ", "qui ")):
        return None
    return role


def _package(sentence: str) -> str | None:
    if not PACKAGE_WORDS.search(sentence):
        return None
    m = AMOUNT.search(sentence)
    return m.group(0).strip() if m else None


def _orgs_between(orgs: list[tuple[int, int, str]], start: int, end: int) -> list[str]:
    return [c for s, e, c in orgs if s >= start and e <= end]


def _report_from_sentence(
    sentence: str,
    people: dict[str, set[str]],
    spellings: OrgSpellings,
    previous_orgs: list[str],
    offer_org: str | None,
) -> list[tuple[str, str | None, str | None, str, int, int]]:
    """(who, from, to, status, phrase start, phrase end) for each move the sentence states."""
    mentions = _mentions(sentence, people)
    if not mentions:
        return []
    orgs = find_orgs(sentence, spellings)
    patterns = FR_MOVES if _is_french(sentence) else EN_MOVES
    out: list[tuple[str, str | None, str | None, str, int, int]] = []
    to: str | None  # destination of the move being read
    src: str | None  # its origin
    for status, pattern in patterns:
        m = pattern.search(sentence)
        if not m:
            continue
        before = sentence[max(0, m.start() - HYPOTHETICAL_WINDOW) : m.start()]
        if NOT_A_MOVE.search(before) or re.search(r"\b(?:would|could) have\b", before):
            return []
        opened = len(re.findall(r"[“«]", sentence[: m.start()])) + sentence[: m.start()].count('"') % 2
        if opened > len(re.findall(r"[”»]", sentence[: m.start()])):
            return []  # inside a quotation: someone's words, not the article's report
        after_orgs = [c for s, _e, c in orgs if m.end() <= s <= m.end() + DESTINATION_REACH]
        before_orgs = [c for _s, e, c in orgs if e <= m.start()]
        if status == "hired" or (status == "in_talks" and _is_french(sentence)):
            # ORG hired PERSON (from ORG2): the person comes right after the phrase.
            near = [(s, e, n) for s, e, n in mentions if m.end() <= s <= m.end() + OBJECT_REACH]
            if not near:
                return []
            _ps, person_end, who = near[0]
            if before_orgs:
                to = before_orgs[-1]
            elif PRONOUN_SUBJECT.search(sentence[: m.start()]) and previous_orgs:
                to = previous_orgs[-1]
            else:
                return []
            src = next((c for s, _e, c in orgs if s >= person_end and c != to), None)
            if to is None:
                return []
            out.append((who, src, to, "joined" if status == "hired" else status, m.start(), m.end()))
            return out
        # PERSON <phrase> ORG: the person comes before the phrase.
        subject = [(s, e, n) for s, e, n in mentions if e <= m.start()]
        if not subject:
            continue
        _s, person_end, who = subject[-1]
        if (
            any(s > m.start() and s < m.end() + 40 for s, _e, _n in mentions if _n != who)
            and status != "left"
        ):
            pass
        appositive = _orgs_between(orgs, person_end, m.start())
        if status == "turned_down":
            to = next((c for s, _e, c in orgs if s >= m.end()), None) or offer_org
            src = appositive[0] if appositive else None
            if to is None or to == src:
                return []
            out.append((who, src, to, status, m.start(), m.end()))
            return out
        if status == "left":
            right_after = [c for s, _e, c in orgs if m.end() <= s <= m.end() + 1]
            if not right_after:
                return []
            out.append((who, right_after[0], None, status, m.start(), m.end()))
            return out
        phrase = m.group(0).lower()
        if phrase.startswith(("left", "leaves")):
            named = [c for s, _e, c in orgs if m.start() <= s < m.end()]
            to = after_orgs[0] if after_orgs else None
            src = named[0] if named else (appositive[0] if appositive else None)
        elif status == "arrived_from":
            # "NAME, arrivée de ORG en septembre, ... chez ORG2"
            src = after_orgs[0] if after_orgs else None
            chez = re.search(r"\bchez\s", sentence[m.end() :])
            later = [c for s, _e, c in orgs if chez and s >= m.end() + chez.end()]
            to = later[0] if later else None
            status = "joined"
        elif status == "returned":
            to = after_orgs[0] if after_orgs else None
            via = re.search(r"\b(?:for|from|pour|de chez)\s", sentence[m.end() :])
            later = [c for s, _e, c in orgs if via and s >= m.end() + via.end() and c != to]
            src = later[0] if later else None
        else:
            to = after_orgs[0] if after_orgs else None
            chez = re.match(r"\s*chez ", sentence, re.IGNORECASE)
            if to is None and chez and before_orgs:
                to = before_orgs[0]  # "Chez Nvidia, Lena Fischer ... a pris ses fonctions"
                appositive = [c for c in appositive if c != to]
            src = appositive[0] if appositive else None
            others = {c for _s, _e, c in orgs} - {to}
            if src is None and len(others) == 1 and status == "joined":
                src = others.pop()
            if src is None:
                from_m = re.search(r"\b(?:from|de chez|de|d[’'])\s", sentence[m.end() :])
                later = [c for s, _e, c in orgs if from_m and s >= m.end() + from_m.end()]
                if (
                    from_m
                    and later
                    and later[0] != to
                    and sentence[m.end() + from_m.end() :].startswith(later[0])
                ):
                    src = later[0]
        if status == "considering":
            to = to or offer_org
        if to is None or to == src:
            continue
        out.append((who, src, to, status, m.start(), m.end()))
        return out
    return out


def extract_article(
    file: str,
    text: str,
    article_date: str | None,
    known_orgs: KnownOrgs | dict[str, tuple[str, ...]] | None = None,
    language: str = "en",
) -> ArticleMoves:
    """People, organisations and moves of one article, each move with its verbatim sentence."""
    _LANG["french"] = language == "fr"
    known = known_orgs if isinstance(known_orgs, KnownOrgs) else KnownOrgs(known_orgs)
    spellings = known.spellings(_new_orgs(text))
    result = ArticleMoves(people=_people(text, spellings))  # no word of an organisation's name
    result.orgs = {c for _s, _e, c in find_orgs(text, spellings)}
    offer = re.search(r"(?:offer (?:that |from )|offre de |([A-Z]\w+)[’']s (?:rejected )?offer)", text)
    offer_org = None
    if offer:
        near = find_orgs(text[max(0, offer.start() - 20) : offer.end() + 40], spellings)
        offer_org = near[0][2] if near else None
    previous_orgs: list[str] = []
    sentences = _sentences(text)
    for sentence in sentences:
        if sentence.lstrip().startswith(("-", "•")):
            previous_orgs = [c for _s, _e, c in find_orgs(sentence, spellings)] or previous_orgs
            continue  # list items ("- Name: role, now role") are too terse to read a move from
        for who, src, to, status, start, end in _report_from_sentence(
            sentence, result.people, spellings, previous_orgs, offer_org
        ):
            tail = sentence[end:]
            french = _is_french(sentence)
            mention = re.search(rf"{re.escape(who.split()[-1])}", sentence)
            name_end = sentence[mention.end() :] if mention else ""
            role_before = _role_before(
                sentence[sentence.find(who) + len(who) :] if who in sentence else name_end, src
            )
            report = Report(
                who=who,
                from_org=src,
                to_org=to,
                status=status,
                date=resolve_date(sentence[start:], article_date)
                or resolve_date(sentence[:start], article_date),
                quote=sentence.strip(),
                file=file,
                reported=article_date,
                role_before=role_before,
                role_after=_role(FR_ROLE_AFTER if french else EN_ROLE_AFTER, tail),
                package=_package(sentence),
                corrects=bool(CORRECTION.search(sentence)),
            )
            result.reports.append(report)
        previous_orgs = [c for _s, _e, c in find_orgs(sentence, spellings)] or previous_orgs
    _attach_side_facts(result, sentences, article_date)
    _previous_employer(result, sentences, spellings)
    result.reports = _merge_same_article(result.reports)
    return result


ABBREVIATIONS = re.compile(
    r"(?:\b(?:Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|Dr|Mr|Mrs|Ms|St|No)|\b[A-Z]\.[A-Z])\.$"
)


def _sentences(text: str) -> list[str]:
    """The seed's sentences, except that one cut after "Sept." or "U.S." is joined to the next
    (taken from the text itself, so the quote stays verbatim)."""
    out: list[str] = []
    pending: tuple[int, int] | None = None
    for start, end, sentence in split_passages(text):
        if pending is not None and start - pending[1] <= 2:
            start = pending[0]
            sentence = text[start:end]
        pending = None
        if ABBREVIATIONS.search(sentence.rstrip()):
            pending = (start, end)
            continue
        out.append(sentence)
    if pending is not None:
        out.append(text[pending[0] : pending[1]])
    return out


def _attach_side_facts(result: ArticleMoves, sentences: list[str], article_date: str | None) -> None:
    """A package or a start date stated in another sentence naming the same person."""
    for sentence in sentences:
        mentions = _mentions(sentence, result.people)
        if not mentions:
            continue
        names = {n for _s, _e, n in mentions}
        package = _package(sentence)
        starts = re.search(r"\b(?:will start|starts|started|prendra ses fonctions)\b", sentence)
        for k, r in enumerate(result.reports):
            if r.who not in names or r.quote == sentence.strip():
                continue
            if (
                package
                and not r.package
                and "offer" not in sentence.lower()
                or (package and not r.package and r.status in ("turned_down", "in_talks"))
            ):
                result.reports[k] = r = replace(
                    r, package=package, corrects=r.corrects or bool(CORRECTION.search(sentence))
                )
            if starts and r.date is None:
                when = resolve_date(sentence[starts.end() :], article_date)
                if when:
                    result.reports[k] = replace(r, date=when)


PREVIOUS_EMPLOYER = re.compile(
    r"^(?:Cette chercheuse|Ce chercheur|Cette ingénieure|Cet ingénieur|She|He|Elle|Il|{surname})\b[^.]*?"
    r"\b(?:a passé|spent|worked|travaillait)\b[^.]*?\b(?:chez|at)\s",
)


def _previous_employer(result: ArticleMoves, sentences: list[str], spellings: OrgSpellings) -> None:
    """ "… l'arrivée de Sophie Lambert. Cette chercheuse a passé six ans chez Google DeepMind": the
    sentence right after a move says where the person came from."""
    for k, r in enumerate(result.reports):
        if r.from_org is not None or r.quote not in sentences:
            continue
        n = sentences.index(r.quote)
        if n + 1 >= len(sentences):
            continue
        nxt = sentences[n + 1]
        pattern = re.compile(PREVIOUS_EMPLOYER.pattern.replace("{surname}", re.escape(r.who.split()[-1])))
        m = pattern.search(nxt)
        if not m:
            continue
        orgs = [c for s, _e, c in find_orgs(nxt, spellings) if s == m.end() and c != r.to_org]
        if orgs:
            result.reports[k] = replace(r, from_org=orgs[0])


def _merge_same_article(reports: list[Report]) -> list[Report]:
    """One report per move per article: a headline and the body saying the same are one."""
    merged: dict[tuple[str, str | None, str], Report] = {}
    for r in reports:
        key = (r.who, r.to_org or r.from_org, r.status)
        old = merged.get(key)
        if old is None:
            merged[key] = r
            continue
        best, other = (old, r) if len(old.quote) >= len(r.quote) else (r, old)
        merged[key] = replace(
            best,
            from_org=best.from_org or other.from_org,
            date=best.date or other.date,
            role_before=best.role_before or other.role_before,
            role_after=best.role_after or other.role_after,
            package=best.package or other.package,
            corrects=best.corrects or other.corrects,
        )
    return list(merged.values())


def same_person(a: str, b: str) -> bool:
    """Yevgeny and Evgeny Sorokin: the same surname and a first name spelt nearly alike."""
    wa, wb = fold(a).split(), fold(b).split()
    if len(wa) < 2 or len(wb) < 2 or wa[-1] != wb[-1]:
        return False
    return wa[0] == wb[0] or fuzz.ratio(wa[0], wb[0]) >= 70
