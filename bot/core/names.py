"""Names found in articles nobody has curated: people and organisations, linked across mentions.

A news article introduces someone once in full ("Nadia Haddad, who spent eleven years at
Microsoft Research") and then by surname ("Haddad will manage about 40 researchers"); another
article may spell the first name differently ("Yevgeny" / "Evgeny Sorokin"). The build turns the
names found here into entities, so a question naming one of them is matched to every sentence
that speaks of that person, and a question about someone else is not.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from wordfreq import zipf_frequency

from .text import fold, tokens

# A capitalised word: "Haddad", "DeepMind", "Étienne", "O'Neil", "Jean-Luc", "xAI" is missed (fine).
_CAP_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’-]*[\w]|[A-Z]")
_WORD = re.compile(r"[\w'’-]+")
# Lower-case words allowed inside a name ("Marie de La Tour", "Ludwig van Beethoven").
_CONNECTORS = frozenset({"de", "du", "des", "van", "von", "der", "da", "di", "la", "le", "bin", "al"})
# Last words that make a name an organisation rather than a person.
ORG_WORDS = frozenset(
    """ai labs lab robotics reasoning research brain deepmind inc corp corporation technologies systems
    ventures capital partners group university institute review digest wire brief ledger platforms
    intelligence superintelligence fair""".split()
)
# Words that never stand in a person's name, however they are capitalised.
_FUNCTION_WORDS = frozenset(
    """the a an and or of in on at for to with by from this that these those le la les un une des et ou
    en au aux pour par avec sur dans chez ce cette ces son sa ses leur leurs""".split()
)
# First words that make a name an organisation ("Journal des Algorithmes", "Université Paris").
ORG_FIRST_WORDS = frozenset(
    """journal university universite institut institute banque bank groupe laboratoire centre center
    ecole fondation foundation""".split()
)
# The word before a single capitalised word that makes it an employer ("chez Nvidia", "joined
# Nvidia", "at Microsoft"): one word alone is too often a surname or a place otherwise.
EMPLOYER_CUES = frozenset(
    """chez join joins joined joining rejoint rejoindre rejoindra rejoignent quitte quitter quittait
    left leave leaves leaving at""".split()
)
# The words before a place ("à Santa Clara", "its Santa Clara headquarters", "in Menlo Park"): a
# two-word run always written after one of them is a place, not a person.
PLACE_CUES = frozenset("a in its near en au based".split())
COMMON_WORD_ZIPF = 4.2  # an everyday word at a sentence start ("The", "Selon") is no name
SURNAME_MAX_ZIPF = 3.8  # a surname alone names someone only when it is not a common word
SAME_FIRST_NAME = 75  # rapidfuzz ratio of two spellings of one first name (Yevgeny / Evgeny: 91)
MAX_NAME_WORDS = 4


@dataclass
class Name:
    """One person or organisation as the articles spell it."""

    key: str  # folded full name, e.g. "nadia haddad"
    display: str
    kind: str  # "person" or "organisation"
    spellings: set[str] = field(default_factory=set)  # other full spellings seen
    sources: list[str] = field(default_factory=list)  # files that name it, first mention first

    @property
    def id(self) -> str:
        return "auto:" + self.key.replace(" ", "-")


def _common(word: str) -> bool:
    w = fold(word)
    return max(zipf_frequency(w, "en", wordlist="small"), zipf_frequency(w, "fr", wordlist="small")) >= (
        COMMON_WORD_ZIPF
    )


def _sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos].rstrip(' \t"“«(')
    return not before or before[-1] in ".!?:\n|-–—" or pos == 0


_ELISION = re.compile(r"^(?:[DLdl]|Qu|qu)['’](?=[A-ZÀ-ÖØ-Þ])")
_POSSESSIVE = re.compile(r"['’]s?$")


def _word_before(text: str, pos: int) -> str:
    """The folded word just before `pos` in its sentence ("" at a sentence start)."""
    if _sentence_start(text, pos):
        return ""
    before = tokens(text[max(0, pos - 30) : pos])
    return before[-1] if before else ""


def name_runs(text: str) -> Iterable[tuple[int, list[str]]]:
    """Runs of capitalised words (as written), sentence-initial everyday words dropped, a
    possessive ending the run ("DeepMind's London" gives "DeepMind")."""
    words = [(m.start(), m.group(0)) for m in _WORD.finditer(text)]
    i = 0
    while i < len(words):
        start, w = words[i]
        w = _ELISION.sub("", w)
        if not _CAP_WORD.fullmatch(w) or w.isupper() and len(w) < 4:
            i += 1
            continue
        run = [(start, w)]
        j = i + 1
        while j < len(words) and len(run) < MAX_NAME_WORDS and not _POSSESSIVE.search(run[-1][1]):
            s, nxt = words[j]
            gap = text[run[-1][0] + len(run[-1][1]) : s]
            if gap not in (" ", "\u00a0"):
                break
            if (
                _CAP_WORD.fullmatch(nxt)
                or nxt in _CONNECTORS
                and j + 1 < len(words)
                and _CAP_WORD.fullmatch(words[j + 1][1])
            ):
                run.append((s, nxt))
            else:
                break
            j += 1
        i = j
        # "The", "Selon", "When" opening a sentence, or "Paris-based", are not part of a name.
        while len(run) > 1 and (
            (_sentence_start(text, run[0][0]) and _common(run[0][1])) or re.search(r"-[a-z]", run[0][1])
        ):
            run = run[1:]
        out = [_POSSESSIVE.sub("", w) for _, w in run]
        while out and out[-1] in _CONNECTORS:
            out.pop()
        if out:
            yield run[0][0], out


def _is_person_name(words: list[str]) -> bool:
    """Two to four words, none an everyday word ("New York Times" fails), no CamelCase."""
    raw = [w for w in words if w not in _CONNECTORS]
    if not 2 <= len(raw) <= MAX_NAME_WORDS:
        return False
    if any(re.search(r"[a-z][A-Z]", w) or w.isupper() for w in raw):
        return False
    # First names are often everyday words ("Sophie", "Mark"); a surname that is one is no name.
    return not _common(raw[-1]) and not any(fold(w) in _FUNCTION_WORDS for w in raw)


def _key(words: list[str]) -> str:
    return " ".join(tokens(" ".join(words)))


def _classify(words: list[str], known: Mapping[str, str]) -> tuple[str, list[str]] | None:
    """What a run of capitalised words names: ("organisation" | "person", its words) or None.

    A run ending in an organisation word is one ("Google DeepMind", "Helix Reasoning"); known
    names at its ends are cut off first ("Fondateur de Scale AI", "Meta Platforms Ruoming Pang"
    in a flattened table row), and what remains must look like a person's name."""
    if not words or _key(words) in known:
        return None
    last = tokens(words[-1])
    first = tokens(words[0])
    if len(words) >= 2 and (last and last[-1] in ORG_WORDS or first and first[0] in ORG_FIRST_WORDS):
        # A known name ending the run means the run is a table row or a title around it.
        for cut in range(1, len(words)):
            if _key(words[cut:]) in known:
                return _classify(words[:cut], known)
        return "organisation", words
    for n in range(len(words) - 1, 0, -1):  # cut the longest known name at either end
        if _key(words[:n]) in known:
            return _classify(words[n:], known)
        if _key(words[-n:]) in known:
            return _classify(words[:-n], known)
    return ("person", words) if _is_person_name(words) else None


def find_names(texts: Mapping[str, str], known: Mapping[str, str]) -> list[Name]:
    """Names in `texts` (file → article) that `known` (folded alias → entity id) does not cover.

    People are two-to-four-word names none of whose words is an everyday word; organisations are
    capitalised runs ending in an organisation word ("Helix Reasoning", "Lumen Robotics").
    Spellings of one person with the same surname and a close first name are merged.
    """
    found: dict[str, Name] = {}
    employers: dict[str, Name] = {}  # single words written as someone's employer
    before: defaultdict[str, set[str]] = defaultdict(set)  # the words found before each name
    for file, text in texts.items():
        for start, run in name_runs(text):
            classified = _classify(run, known)
            if classified is None:
                if len(run) == 1 and _word_before(text, start) in EMPLOYER_CUES:
                    _add(employers, run, "organisation", file)
                continue
            kind, words = classified
            name = _add(found, words, kind, file)
            before[name.key].add(_word_before(text, start))
    # A "person" only ever written after "à", "in", "its" is a place ("Santa Clara").
    places = {k for k, n in found.items() if n.kind == "person" and before[k] <= PLACE_CUES}
    taken = {w for k in found for w in k.split()}  # "at Helix": a short form of a found name
    for key, name in employers.items():
        if key not in known and key not in found and key not in taken and not _common(name.display):
            found[key] = name
    return _merge_spellings([n for k, n in found.items() if k not in places])


def _add(found: dict[str, Name], words: list[str], kind: str, file: str) -> Name:
    """The name `words` spell, entered in `found` with `file` among its sources."""
    key = _key(words)
    name = found.get(key)
    if name is None:
        name = found[key] = Name(key, " ".join(words), kind)
    # Files are read one at a time: only the last source can be this one.
    if not name.sources or name.sources[-1] != file:
        name.sources.append(file)
    return name


def _merge_spellings(names: list[Name]) -> list[Name]:
    by_surname: dict[str, list[Name]] = defaultdict(list)
    for n in names:
        if n.kind == "person":
            by_surname[n.key.split()[-1]].append(n)
    dropped: set[str] = set()
    for group in by_surname.values():
        for a_i, a in enumerate(group):
            if a.key in dropped:
                continue
            for b in group[a_i + 1 :]:
                if b.key in dropped:
                    continue
                if fuzz.ratio(a.key.split()[0], b.key.split()[0]) >= SAME_FIRST_NAME:
                    a.spellings.add(b.display)
                    a.sources += [s for s in b.sources if s not in a.sources]
                    dropped.add(b.key)
    return [n for n in names if n.key not in dropped]


def surname_counts(names: Iterable[Name]) -> Counter[str]:
    """How many of `names` are people with each (folded) surname."""
    return Counter(n.key.split()[-1] for n in names if n.kind == "person")


def aliases_of(
    name: Name, all_names: list[Name], known: Mapping[str, str], surnames: Mapping[str, int] | None = None
) -> list[str]:
    """The other ways an article refers to `name`: its other spellings and, for a person, the
    surname alone when no one else found or curated shares it and it is no everyday word.
    `surnames`: surname_counts(all_names), counted once by a caller asking for every name
    (counting it again for each name grew with the square of the names)."""
    out = sorted(name.spellings)
    if name.kind == "person":
        surname = name.key.split()[-1]
        shared = (surnames if surnames is not None else surname_counts(all_names)).get(surname, 0)
        if shared == 1 and surname not in known and _rare(surname):
            out.append(name.display.split()[-1])
    else:
        first, last = name.key.split()[0], name.key.split()[-1]
        # "Helix" for "Helix Reasoning", "Lumen" for "Lumen Robotics": the distinctive first word;
        # "DeepMind" for "Google DeepMind": a distinctive last word after a known one.
        if first not in known and _rare(first):
            out.append(name.display.split()[0])
        elif first in known and last not in known and _rare(last):
            out.append(name.display.split()[-1])
    return out


def _rare(word: str) -> bool:
    return max(zipf_frequency(word, "en"), zipf_frequency(word, "fr")) < SURNAME_MAX_ZIPF
