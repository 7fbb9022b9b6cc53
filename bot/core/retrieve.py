"""Understand a question and find the store items that answer it, with a score.

Steps, each small and testable: fold the question into words, fix typos against the store's
own vocabulary, find the entities it names (exact alias, then one edit away), tell what kind
of answer it wants, then score candidate items from the inverted index. The score says how
much of the question an item covers; the caller decides whether that is enough to answer.
"""

from __future__ import annotations

import heapq
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .answer_types import asks_calendar, found_in, sum_keys
from .answer_types import find as find_answers
from .lexicon import (
    BEFORE_WORDS,
    CO_ACTOR_WORDS,
    COMPANION_WORDS,
    DESTINATION_WORDS,
    DOCUMENT_NOUNS,
    EARLIER_WORDS,
    EMPLOYER_WORDS,
    FOUNDING_VERBS,
    FRENCH_POSSESSIVES,
    INTENT_WORDS,
    INTENTS,
    KIND_NOUNS,
    MEANING_BEFORE,
    NAME_PHRASES,
    ORIGIN_AFTER_LEAVING,
    ORIGIN_WORDS,
    PAY_PART_CUES,
    PAY_PARTS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    PLACE_ADJECTIVES,
    PLACE_PHRASES,
    REASON_PHRASES,
    ROLE_COMPOUNDS,
    ROLE_NOUNS,
    ROLE_SKIP,
    ROLE_VERBS,
    SAY_REFUSALS,
    SAY_WORDS,
    SIZE_PHRASES,
    SLANG,
    SOURCE_DETERMINERS,
    SOURCE_LEADS,
    SOURCE_NOUNS,
    SOURCE_TOPIC_LINKS,
    SPEECH_MARKS,
    SPEECH_VERBS,
    STOPWORDS,
    TENURE_VERBS,
    VERB_PARTICLES,
    is_concept,
    keys_of,
    rarity,
    term_keys,
)
from .models import Transfer
from .owners import is_company_sum, value_clause, value_owner
from .scoring import features, is_heading, load_weights, shares
from .store import KEY, TEXT, TOPIC, Item, Store
from .text import clean, fold, tokens

MAX_QUESTION_CHARS = 2000
MAX_WORD_CHARS = 30  # longer "words" are not typos of anything the store knows
CANDIDATES = 60
SEMANTIC_CANDIDATES = 30  # nearest items by meaning, added to the lexical and entity candidates
COMMON_POSTING = 4000  # terms on more items than this only rescore, they do not generate candidates
STRICT_INTENTS = frozenset({"how_much", "how_many", "when"})
# Asked "how long", only a length of time answers, however well a date fits the rest.
DURATION_INTENT = "how_long"
ROLE_KEY = "ROLE"  # a role or title (lexicon.CONCEPTS)
DURATION_AT_ASKED_BONUS = 0.05  # asked how long at a company: a duration told of that company
ROLE_INTENT = "role"  # "quel poste", "what job": answered only by a title or what someone leads
CEO_KEY = "CEO"  # a chief executive (lexicon.CONCEPTS)
FOUNDER_KEY = "FOUNDER"  # founding a company (lexicon.CONCEPTS)
REPLACE_KEY = "REPLACE"  # the concept of replacing someone (lexicon.CONCEPTS)
PLACE_INTENT = "where_place"  # "which city", "quel quartier": answered only by a place
NAME_INTENT = "who_name"  # "what's their name": answered only by a sentence naming someone
OTHER_PERSON_INTENT = "who_else"  # "who co-founded Helix with Feld": answered by naming someone else
NEARBY_BEFORE = 2  # sentences before a passage whose organisations it may be about
NEARBY_AFTER = 0
PERSON_NEARBY_BEFORE = 4  # for a sentence naming a person: its paragraph, roughly
PERSON_NEARBY_AFTER = 2
PRONOUN_BEFORE = 2  # sentences looked back for the person a sentence naming no one is about
QUERY_VECTOR_CACHE = 2048  # recent questions' embeddings (a repeated question is not re-embedded)
# An everyday word the store has never seen ("supposedly", "confier") is mostly a paraphrase of
# a word it has: it counts for this share of its weight, so it cannot outweigh what does match.
UNKNOWN_WORD_SHARE = 0.5

# Words that open a yes/no question ("did…", "est-ce…").
_AUX_START = frozenset(INTENTS["yes_no"]) | {"could", "est", "a"}


@dataclass
class Query:
    """What retrieval understood of a question."""

    text: str
    words: list[str]
    entities: list[str]
    intents: set[str]
    terms: dict[tuple[str, ...], float]  # a word's matching keys (any may match) -> weight
    unknown: list[str] = field(default_factory=list)
    asks_unknown: bool = False  # the thing asked for ("quel âge", "what valuation") is unknown to the store
    unknown_names: list[str] = field(default_factory=list)  # capitalised words the store has never seen
    vector: np.ndarray | None = None  # the question's embedding
    people: frozenset[str] = frozenset()  # the store's person ids (shared, not copied)
    roles: dict[str, str] = field(default_factory=dict)  # organisation -> "to" | "from" in a move question
    # "What did Pang earn at Apple?": the companies he left Apple for, whose sums are not his pay there
    paid_elsewhere: frozenset[str] = frozenset()
    # "how big was Pang's signing bonus?": the parts of a pay package asked about (lexicon.PAY_PARTS)
    pay_parts: frozenset[str] = frozenset()
    asks_quote: bool = False  # "what did Feld say about Haddad?": answered only by reported speech
    # The question's verbs of saying: a sentence reporting speech covers them whatever verb it uses.
    say_terms: frozenset[frozenset[str]] = frozenset()

    @property
    def wants_definition(self) -> bool:
        """ "What is X?" asks for a definition or a profile even when it does not say "define"."""
        return "what" in self.intents and len(self.entities) <= 1

    def __post_init__(self) -> None:
        self.keys = {k for keys in self.terms for k in keys}
        # Precomputed once per question: scoring runs this against every candidate.
        self.content_weight = sum(self.terms.values())
        self.term_sets = [(frozenset(keys), w) for keys, w in self.terms.items()]
        self.specific_intents = self.intents - {"yes_no", "how", "what", "list"}


@dataclass
class Scored:
    item: Item
    score: float
    coverage: float  # share of the question's content words the item covers
    entity_cover: float  # share of the question's entities the item is about
    intent_fit: float
    coverage_all: float  # share of everything the question names (words and entities)
    topic_hit: float = 0.0
    missing: float = 0.0  # the weight of the most informative question word the item lacks (0 to 1)
    semantic: float = 0.0
    probability: float = 0.0  # that this item answers the question (scoring.py)
    names_other: bool = True  # its own words name someone not asked of ("who", NAME_INTENT, who_else)
    role_elsewhere: bool = False  # the role it gives is at another company than the one asked about
    own_role: bool = False  # asked a job: the sentence gives a title not held at another company
    time_at_asked: bool = False  # asked how long at a company: a duration in a clause naming it
    time_elsewhere: bool = False  # every duration it gives is in a clause naming another company
    borrows_person: bool = False  # a sentence about the person asked only through the one before it
    features: list[float] = field(default_factory=list)


def _phrase_pattern(phrase: str) -> str:
    """A phrase as whole words; one ending in an elision ("combien d'") runs into the next word."""
    end = "" if phrase.endswith("'") else "(?![a-z0-9])"
    return rf"(?<![a-z0-9]){re.escape(phrase)}{end}"


_INTENT_PATTERNS = {
    intent: re.compile("|".join(_phrase_pattern(p) for p in phrases))
    for intent, phrases in INTENTS.items()
    if intent != "yes_no"
}


# Nouns that ask for a sum whatever the question word ("Quel est le salaire de X ?", "What's X's
# pay package?", "What is Lumen valued at?"): the answer must then give an amount.
_MONEY_NOUNS = re.compile(
    r"(?<![a-z0-9])(?:salary|salaries|salaire|salaires|pay package|paycheck"
    r"|valued|valuation|valorisation|valorisee?|worth|signing bonus|prime a la signature)(?![a-z0-9])"
)
_SIZE = re.compile("|".join(_phrase_pattern(p) for p in SIZE_PHRASES))
_NAME_ASKED = re.compile("|".join(_phrase_pattern(p) for p in NAME_PHRASES))
_PLACE_ASKED = re.compile("|".join(_phrase_pattern(p) for p in PLACE_PHRASES))
_NOT_A_SUM = frozenset({"who", "when", "where", "why", "how_many"})
_BESIDES = frozenset("besides beyond apart else outre hormis autre autres".split())
# "Combien de chercheurs ?" counts; "combien de dollars ?" asks for a sum.
_COMBIEN_DE = re.compile(r"(?<![a-z0-9])combien d(?:e |')([a-z]+)")
_SUM_WORDS = frozenset(
    "dollars dollar euros euro millions million milliards milliard argent cash salaire salaires fric thunes pognon".split()
)


def _intents(folded: str, words: list[str]) -> set[str]:
    found = {intent for intent, pattern in _INTENT_PATTERNS.items() if pattern.search(folded)}
    if (
        not found & _NOT_A_SUM
        and _MONEY_NOUNS.search(folded)
        and not ("how" in found or _BESIDES & set(words))
    ):
        # "Quel est le salaire de X ?" asks a sum; "apple répond comment à la surenchère des
        # salaires", "besides the huge salaries, what else…" ask how or what else.
        found.add("how_much")
    if words and (words[0] in _AUX_START or "-t-" in folded or folded.startswith("est-ce")):
        found.add("yes_no")
    if "how_long" in found:
        found.add("when")
    if "when" in found and found & {"how_much", "how_many", "how"}:
        found -= {"how_much", "how_many", "how"}  # "how long", "combien de temps": a duration
    if "how_many" in found and "how_much" in found:
        counted = _COMBIEN_DE.search(folded)
        if "combien" not in folded or (counted and counted.group(1) not in _SUM_WORDS):
            found.discard("how_much")  # "how many" counts; "combien de" counts unless it is money
    if _PLACE_ASKED.search(folded):
        found.add(PLACE_INTENT)
    if _NAME_ASKED.search(folded):
        found |= {"who", NAME_INTENT}
    if (
        "who" in found
        and any(w in KIND_NOUNS for w in words)
        and not _WHO_WORDS & set(words)
        and not _asks_which_person(words)
    ):
        found.discard("who")  # "which engineer profiles": a kind of profile, not a person
    if "who" not in found and _WH.intersection(words) and _names_a_role(words):
        found.add(ROLE_INTENT)  # "what was Pang's actual job at Apple?"
    if ROLE_INTENT in found and (DOCUMENT_NOUNS.intersection(words) or found & {"how_many", "how_much"}):
        # "quel titre a l'article" asks for a headline; "how many researchers is she in charge
        # of", "what's his job and how big is his team" for a figure a title does not give.
        found.discard(ROLE_INTENT)
    if "when" not in found and _SIZE.search(folded):
        found |= {"how_much", "how_many"}
    if "how_much" in found:
        found.discard("how")
    if "what" in found and ("who" in found or "when" in found):
        found.discard("what")
    return found


_WHICH = frozenset("which quel quelle quels quelles".split())
_WH = _WHICH | {"what", "whats", "quoi"}
_WHO_WORDS = frozenset("who qui whom whose".split())
WHICH_REACH = 3  # words from "which" to the person noun it asks of ("which Google DeepMind engineer")


def _names_a_role(words: list[str]) -> bool:
    """A job noun that is not part of "job hopping", "job offers"."""
    return any(
        w in ROLE_NOUNS and (i + 1 == len(words) or words[i + 1] not in ROLE_COMPOUNDS)
        for i, w in enumerate(words)
    )


def _asks_which_person(words: list[str]) -> str:
    """ "Which Nvidia engineer…?": the person noun a "which" is over, when no kind noun follows
    it ("which engineer profiles"); "" when there is none."""
    for i, w in enumerate(words):
        if w not in _WHICH:
            continue
        for j in range(i + 1, min(len(words), i + 1 + WHICH_REACH)):
            if words[j] in PERSON_NOUNS:
                return words[j] if j + 1 == len(words) or words[j + 1] not in KIND_NOUNS else ""
    return ""


def _is_plural(noun: str) -> bool:
    return noun.endswith("s") or noun == "people"


# "Who wrote the op-ed?" asks for its author; "when did he say no?" for a date.
_NOT_A_QUOTE = frozenset({"who", "when", "how_much", "how_many"})
_WHAT = frozenset("what qu que quoi".split())


def _asks_what_was_said(words: list[str], intents: set[str]) -> bool:
    """A verb of saying not followed by a refusal ("what did Marchal say" but not "a dit non").

    A question opening on "what" asks for the words even with a "when" clause after the verb
    ("What did Marwick write when she announced her move?")."""
    said = any(
        w in SAY_WORDS
        and (i + 1 == len(words) or words[i + 1] not in SAY_REFUSALS)
        and (i == 0 or words[i - 1] not in MEANING_BEFORE)
        for i, w in enumerate(words)
    )
    if not said:
        return False
    blocking = _NOT_A_QUOTE - {"when"} if words and words[0] in _WHAT else _NOT_A_QUOTE
    return not intents & blocking


def _asks_where_someone_went(query: Query) -> bool:
    """ "Where did Kallio go after Meta?": a person's destination, not a kind of place."""
    return (
        "where" in query.intents
        and not query.intents & {PLACE_INTENT, "who", NAME_INTENT, OTHER_PERSON_INTENT}
        and bool(query.people.intersection(query.entities))
    )


def reports_speech(text: str) -> bool:
    """Whether a sentence reports what someone said: a quotation, or a verb of saying."""
    return any(c in text for c in SPEECH_MARKS) or not SPEECH_VERBS.isdisjoint(tokens(text))


_REWRITES = {**SLANG, **PLACE_ADJECTIVES}
_SLANG_RE = re.compile(r"(?<![\w'-])(?:" + "|".join(map(re.escape, _REWRITES)) + r")(?![\w'-])")


def _capitalised_words(text: str) -> set[str]:
    """Folded words written with a capital anywhere but at the start of a sentence (acronyms
    such as "PDG" or "CEO" are words, not names)."""
    out = set()
    for m in re.finditer(r"(?<![.!?]\s)(?<!^)\b([A-ZÀ-Ý][\w-]+)", text.strip()):
        if not m.group(1).isupper():
            out.update(tokens(m.group(1)))
    return out


# Question words the thing asked for follows ("quel âge", "which university", "combien de
# brevets"); "quoi" ends its clause ("sacrifier quoi pour…"), so what follows it is not asked.
_WH = frozenset("what which quel quelle quels quelles how combien".split())


def _asked_unknown(words: list[str], used: set[int], unknown: list[str]) -> bool:
    """Whether the word right after a question word ("quel âge", "which university") is one the
    store has never seen: then the question asks for something the sources do not cover."""
    for i, w in enumerate(words[:-1]):
        if w not in _WH:
            continue
        for j in range(i + 1, min(i + 4, len(words))):
            if j in used:
                break
            nxt = words[j]
            if nxt in STOPWORDS or nxt in INTENT_WORDS:
                continue
            return nxt in unknown
    return False


def _source_reference(words: list[str], used: set[int]) -> tuple[set[int], set[int]]:
    """Positions of the words that point at a source ("per the Pang article", "l'article sur
    Pang", "the headline of the second piece"), and of the name words among them: "the Pang
    article" names the article's subject, not a person every answer must be about."""
    ref: set[int] = set()
    topic: set[int] = set()
    for i, w in enumerate(words):
        if w not in SOURCE_NOUNS:
            continue
        ref.add(i)
        j = i - 1
        while j >= 0 and (words[j] in SOURCE_DETERMINERS or j in used):  # "the first Pang article"
            (topic if j in used else ref).add(j)
            j -= 1
        while j >= 0 and words[j] in SOURCE_LEADS | SOURCE_DETERMINERS:  # "according to", "selon l'"
            ref.add(j)
            j -= 1
        j = i + 1
        while j < len(words) and (words[j] in SOURCE_TOPIC_LINKS or j in used):
            (topic if j in used else ref).add(j)
            j += 1
    return ref, topic


def _move_roles(store: Store, words: list[str]) -> dict[str, str]:
    """Which end of a move each company the question names is, read from the word before it:
    "left Apple for Meta" has Apple as the origin and Meta as the destination, "move to OpenAI"
    OpenAI as the destination. Read only in questions about a move; "a job at Apple" has none."""
    keys = {k for w in words for k in term_keys(w)}
    if not keys & {"HIRE", "LEAVE"} and not ("WORK" in keys and BEFORE_WORDS.intersection(words)):
        return {}  # "where did Pang work before Apple" is about a move too
    return _roles_in(store, words)


def _roles_in(store: Store, words: list[str]) -> dict[str, str]:
    """The end of a move each company of `words` is, by the word before it (see _move_roles)."""
    roles: dict[str, str] = {}
    # "il bossait chez Apple": after a word of working, "chez" is where one works, not a move's end.
    works = any(term_keys(w) == ("WORK",) for w in words)
    for start, _end, ids in store.aliases.spans(words):
        j = _word_before(words, start)
        before = words[j] if j >= 0 else ""
        if before == "chez" and works:
            continue
        if before in DESTINATION_WORDS or before in BEFORE_WORDS:
            role = "to"
        elif before in ORIGIN_WORDS or (
            before in ORIGIN_AFTER_LEAVING and j > 0 and term_keys(words[j - 1]) == ("LEAVE",)
        ):
            role = "from"
        else:
            continue
        for eid in ids:
            if eid in store.entities and not store.entities[eid].is_person:
                roles.setdefault(eid, role)
    return roles


def _word_before(words: list[str], start: int) -> int:
    """Where the word before a name at `start` is, past its determiners ("for the Meta lab"),
    or -1."""
    j = start - 1
    while j >= 0 and words[j] in ROLE_SKIP:
        j -= 1
    return j


# Words whose meaning depends on the question's language ("comment" is "how" in French).
FRENCH_FUNCTION_WORDS = frozenset({"comment"})


def analyse(store: Store, question: str, language: str | None = None) -> Query:
    """Turn a raw question into words, entities, intents and weighted content terms."""
    text = clean(question)[:MAX_QUESTION_CHARS]
    folded = _SLANG_RE.sub(lambda m: _REWRITES[m.group(0)], fold(text))
    raw_words = tokens(folded)
    words = []
    for w in raw_words:
        if w in STOPWORDS or w in INTENT_WORDS or w.isdigit() or len(w) > MAX_WORD_CHARS:
            words.append(w)
            continue
        # A real word of either language is not a typo ("demand" must not become "demain").
        words.append(store.speller.fix(w) or w)
    for raw, fixed in zip(raw_words, words, strict=True):
        if raw != fixed:  # intents are read from the corrected words ("wehn did" asks "when")
            folded = re.sub(rf"(?<![a-z0-9]){re.escape(raw)}(?![a-z0-9])", fixed, folded)
    words = store.aliases.fix_names(words)
    entities, used = store.aliases.find(words)
    source_words, source_topic = _source_reference(words, used)
    if source_topic:
        # The article's subject stays a word to match, not an entity every answer must be about.
        elsewhere, _ = store.aliases.find([w if i not in source_topic else "" for i, w in enumerate(words)])
        entities = [e for e in entities if e in elsewhere]
        used -= source_topic
    intents = _intents(folded, words)
    asked_person = _asks_which_person(words)
    if asked_person and (not _is_plural(asked_person) or len(set(entities) - store.person_ids) <= 1):
        # "Which Nvidia engineer is Korvane in talks with?" asks who; "which Google researchers
        # joined Meta?" asks for a list of moves from one company to another, which a sentence
        # about one person does not give.
        intents.add("who")
    if "who" in intents and (_asks_for_another(store, words) or _asks_for_a_chief(store, words, entities)):
        intents.add(OTHER_PERSON_INTENT)
    asks_quote = _asks_what_was_said(words, intents)
    if asks_quote:
        intents.discard("when")  # "what did she write when she left?" asks for her words
    capitalised = _capitalised_words(text)
    terms: dict[tuple[str, ...], float] = {}
    say_terms: set[frozenset[str]] = set()
    unknown = []
    for pos, w in enumerate(words):
        if pos in used or pos in source_words or w in STOPWORDS or w in INTENT_WORDS:
            continue
        if language == "fr" and w in FRENCH_FUNCTION_WORDS:
            continue
        if (ROLE_INTENT in intents and w in ROLE_VERBS) or (DURATION_INTENT in intents and w in TENURE_VERBS):
            continue  # "quel poste a-t-elle pris", "how many years did he spend": the question's form
        keys = (FOUNDER_KEY,) if w in FOUNDING_VERBS and _founds_an_org(store, words, pos) else term_keys(w)
        if asks_quote and w in SAY_WORDS:
            say_terms.add(frozenset(keys))
        known = [store.idf[k] for k in keys if k in store.idf]
        if is_concept(keys[0]):
            weight = known[0] if known else store.max_idf * 0.5
        elif known:
            weight = max(known) * rarity(w)
        else:
            unknown.append(w)
            # A capitalised word the store has never seen is most likely a name it knows nothing about.
            weight = store.max_idf * (1.0 if w in capitalised else UNKNOWN_WORD_SHARE * rarity(w))
        terms[keys] = max(terms.get(keys, 0.0), weight)
    # A sum the question quotes ("was the $50m figure right?") also matches every report of that
    # sum by its size, whatever words it is written in; its own words are no unknown name.
    amounts = [f for f in find_answers(text) if f.kind == "amount"] if any(c.isdigit() for c in text) else []
    sums = sum_keys(amounts)
    if sums:
        written = {w for f in amounts for w in tokens(f.text)}
        unknown = [w for w in unknown if w not in written]
        for key in sums:
            terms[(key,)] = store.idf.get(key, store.max_idf)
    names = [w for w in unknown if w in capitalised]
    vector = query_vector(store, text)
    return Query(
        text,
        words,
        entities,
        intents,
        dict(terms),
        unknown,
        _asked_unknown(words, used | source_words, unknown),
        names,
        vector,
        people=store.person_ids,
        roles=_move_roles(store, words),
        paid_elsewhere=_paid_elsewhere(store, words, entities, intents),
        pay_parts=_pay_parts(words),
        asks_quote=asks_quote,
        say_terms=frozenset(say_terms),
    )


def _founds_an_org(store: Store, words: list[str], pos: int) -> bool:
    """Whether the verb at `pos` has an organisation for its object: "who started Helix",
    "qui a monté Calanque" ask who founded it, not who joined it."""
    after = pos + 1 + (pos + 1 < len(words) and words[pos + 1] in VERB_PARTICLES)
    return any(
        start == after and not store.person_ids.intersection(ids)
        for start, _end, ids in store.aliases.spans(words)
    )


def _paid_elsewhere(store: Store, words: list[str], entities: list[str], intents: set[str]) -> frozenset[str]:
    """For "how much did X make at Apple" ("combien gagnait X chez Apple"), where X left Apple:
    the companies X left it for. A sum in a report of that move is the new package, not the pay
    at Apple, which no report gives unless it says so without naming the new employer."""
    people = [e for e in entities if e in store.person_ids]
    if "how_much" not in intents or len(people) != 1:
        return frozenset()
    at: set[str] = set()
    for start, _end, ids in store.aliases.spans(words):
        j = _word_before(words, start)
        if j >= 0 and words[j] in EMPLOYER_WORDS:
            at.update(ids)
    return frozenset(
        t.to_org
        for t in store.moves_of(people[0])
        if t.from_org in at and t.to_org and t.to_org not in entities
    )


_VECTORS: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()


def query_vector(store: Store, text: str) -> np.ndarray:
    """The question's embedding, from a small cache of recent questions."""
    key = (store.encoder.name, text)
    vec = _VECTORS.get(key)
    if vec is None:
        vec = store.encoder.queries([text or " "])[0]
        _VECTORS[key] = vec
        if len(_VECTORS) > QUERY_VECTOR_CACHE:
            _VECTORS.popitem(last=False)
    else:
        _VECTORS.move_to_end(key)
    return vec


def _covers_entity(store: Store, query: Query, item: Item, eid: str, n: int) -> bool:
    if item.kind == "transfer" and not _same_direction(store, query, item, eid):
        return False
    if item.kind == "passage" and not _passage_direction(store, query, item, eid):
        return False
    if item.kind == "passage" and not _passage_figure_is_theirs(store, query, item, eid):
        return False
    if item.kind == "fact" and not _fact_direction(store, query, item, eid):
        return False
    if eid in item.about or eid in item.mentions:
        return True
    if item.kind != "passage" or eid not in store.entities:
        return False
    doc = store.items.document_index(n)
    if doc is not None and eid in store.publishers[doc]:
        return True
    if store.entities[eid].is_person:
        # A sentence naming no one but speaking of someone ("he said by phone from Paris", "the
        # offer…") is about the one person the closest of the PRONOUN_BEFORE sentences before it names.
        sentence = next(iter(item.text.values()), "")
        subject = _subject_before_companion(store, sentence) if item.mentions & store.person_ids else sentence
        if not _speaks_of_someone(subject):
            return False
        return store.items.last_people(n, PRONOUN_BEFORE, store.person_ids) == {eid}
    # A sentence naming no one ("Elle emploie environ 160 personnes") is about the organisation
    # named just before it. One that names a person is about the companies it names itself (or
    # its sentence before names): an article naming OpenAI in another paragraph does not make
    # "Marchal turned down Meta" an answer about OpenAI.
    if any(e in store.person_ids for e in item.mentions):
        sentence = next(iter(item.text.values()), "")
        if (
            query.intents & STRICT_INTENTS
            and not store.person_ids.intersection(query.entities)
            and not is_company_sum(sentence, query.intents, set(query.words))
            and _speaks_of_a_person(store, sentence)
        ):
            # A date or sum beside a person's name is theirs: "Gunter a quitté le navire la
            # semaine dernière" does not date the new Siri ("Latest funding $300 million" is Lumen's).
            return False
        return eid in store.items.nearby_mentions(n, PERSON_NEARBY_BEFORE, PERSON_NEARBY_AFTER)
    return eid in store.items.nearby_mentions(n, NEARBY_BEFORE, NEARBY_AFTER)


def _passage_figure_is_theirs(store: Store, query: Query, item: Item, eid: str) -> bool:
    """Asked for a person's date or sum, a sentence giving someone else's does not answer (see
    owners.py): "how much was Helix offering Okonkwo" is not answered by Haddad's package."""
    if eid not in store.person_ids or not query.intents & STRICT_INTENTS:
        return True
    sentence = next(iter(item.text.values()), "")
    if "how_much" in query.intents and is_company_sum(sentence, query.intents, set(query.words)):
        return False  # "Grace Whitfield's salary": Lumen's "$300 million Series B" is not her pay
    people = item.mentions & store.person_ids
    if len(people) < 2 or eid not in people:
        return True
    owner = value_owner(store.aliases, people, sentence, query.intents, set(query.words))
    return owner is None or owner == eid


def _passage_direction(store: Store, query: Query, item: Item, eid: str) -> bool:
    """A sentence reporting a move of the person asked about, read the right way round: "Ota left
    Meta and joined Anthropic" does not say when he joined Meta."""
    quote = next(iter(item.text.values()), "")
    moves = [t for t in store.moves_by_quote.get(quote, ()) if t.who in query.entities]
    if not all(_move_direction(query, t, eid) for t in moves):
        return False
    asked = query.roles.get(eid)
    if asked is None or eid not in item.mentions or any(eid in (t.from_org, t.to_org) for t in moves):
        return True  # the move extracted from the sentence already says which end it is
    # A move no one was extracted for ("She would be the first to leave OpenAI this year"):
    # the sentence's own words say which end the company is.
    said = _roles_in(store, tokens(quote)).get(eid)
    return said is None or said == asked


def _fact_direction(store: Store, query: Query, item: Item, eid: str) -> bool:
    """A curated fact quoting a move read the wrong way round ("Gunter left Apple" for "when did
    Gunter join Apple?") is not about joining Apple, however many words it shares. Read when the
    question says "join", or names the end of a move ("left for Meta", "partis chez Meta")."""
    if eid not in query.roles and ("HIRE" not in query.keys or "LEAVE" in query.keys):
        return True
    return all(
        _move_direction(query, t, eid)
        for c in item.citations
        for t in store.moves_by_quote.get(c.quote, ())
        if t.who in query.entities
    )


def _same_direction(store: Store, query: Query, item: Item, eid: str) -> bool:
    """A move read the right way round: "join X" needs X as the destination, "leave X" as the origin."""
    t = store.transfers_by_id.get(item.id)
    if t is None:
        return True
    return _move_direction(query, t, eid)


def _move_direction(query: Query, t: Transfer, eid: str) -> bool:
    role = query.roles.get(eid)
    if role == "to":
        return not (eid == t.from_org and eid != t.to_org)
    if role == "from":
        return not (eid == t.to_org and eid != t.from_org)
    keys = query.keys
    if "HIRE" in keys and "LEAVE" not in keys:
        return not (eid == t.from_org and eid != t.to_org)
    if "LEAVE" in keys and "HIRE" not in keys:
        return not (eid == t.to_org and eid != t.from_org)
    return True


@dataclass
class Matches:
    """For each of the query's words, which candidates hold it in their topic, their keywords
    (or topic), or anywhere: looked up once per query in the store's posting arrays."""

    by_word: list[tuple[set[int], set[int], set[int]]]
    definitional: set[int]


def matches(store: Store, query: Query, positions: list[int]) -> Matches:
    by_word = [
        (
            store.contains(keys, TOPIC, positions),
            store.contains(keys, KEY, positions),
            store.contains(keys, TEXT, positions),
        )
        for keys, _ in query.term_sets
    ]
    definitional = store.contains(_DEFINITION, KEY, positions) if query.wants_definition else set()
    return Matches(by_word, definitional)


_DEFINITION = frozenset({"DEFINITION"})


def score_item(store: Store, query: Query, n: int, found: Matches) -> Scored:
    """How well item `n` answers the query: term coverage, entity coverage, intent fit, and how
    much of the question its topic alone covers (topics are short, so that breaks ties between
    a focused fact and a long one that merely mentions the same words)."""
    item = store.items[n]
    total = query.content_weight
    entity_weight = store.max_idf * 0.5
    topic_hit = 0.0
    hit = 0.0
    missing = 0.0
    speech = query.say_terms and item.kind == "passage" and reports_speech(next(iter(item.text.values()), ""))
    if total > 0:
        for (keys, w), (in_topic, in_keys, anywhere) in zip(query.term_sets, found.by_word, strict=True):
            if n in in_keys or (speech and keys in query.say_terms):
                hit += w
                if n in in_topic:
                    topic_hit += w
            elif n in anywhere:
                hit += 0.75 * w
            else:
                missing = max(missing, w)
        coverage = hit / total
    else:
        coverage = 1.0
    hit_all = hit if total > 0 else 0.0
    if query.entities:
        covered = 0
        for e in query.entities:
            if _covers_entity(store, query, item, e, n):
                covered += 1
                hit_all += entity_weight
                if e in item.topic_mentions:
                    topic_hit += entity_weight
        entity_cover = covered / len(query.entities)
    else:
        entity_cover = 1.0 if item.kind != "entity" else 0.5
    named = total + entity_weight * len(query.entities)
    topic_hit /= named or 1.0
    coverage_all = hit_all / named if named else 0.0
    specific = query.specific_intents
    if not query.intents:
        intent_fit = 0.6
    elif query.intents & (answers := _answers_for(query, item)):
        # An item made for this kind of question ("what" only: a definition) beats a broad one.
        intent_fit = 1.0 + 0.3 / len(answers)
    elif specific:
        intent_fit = 0.0
    else:
        intent_fit = 0.6  # "is it true that…", "how…": any item on the subject may answer
    score = 0.45 * coverage + 0.3 * entity_cover + 0.15 * intent_fit + 0.15 * topic_hit
    # Small preferences that break ties the way a reader expects.
    if item.about and item.about[0] in query.entities:
        score += 0.03  # the question's subject is the item's main subject
    if query.wants_definition and (
        n in found.definitional or (item.kind == "entity" and item.id in query.entities)
    ):
        score += 0.04
    if item.kind == "passage":
        score -= 0.08
    elif item.kind == "entity":
        if total == 0 and len(query.entities) == 1 and item.id == query.entities[0]:
            score += 0.06
        elif total > 0:
            score -= 0.04
    elif item.kind == "transfer" and total == 0 and len(query.entities) > 1:
        score += 0.03
    missing /= store.max_idf or 1.0
    scored = Scored(item, score, coverage, entity_cover, intent_fit, coverage_all, topic_hit, missing)
    text = next(iter(item.text.values()), "")
    asked_people = query.people.intersection(query.entities)
    if item.kind == "passage" and asked_people:
        # "Brightwave raised $60 million in May 2026" after a sentence on Marand is not about her.
        scored.borrows_person = not asked_people & _named_in(store, text) and not (
            _speaks_of_someone(text) or FRENCH_POSSESSIVES.intersection(tokens(text))
        )
    if ROLE_KEY in query.keys and item.kind in ("passage", "fact") and _role_is_elsewhere(store, query, text):
        scored.role_elsewhere = True
    if DURATION_INTENT in query.intents and item.kind == "passage" and set(query.entities) - store.person_ids:
        # "How long was Ota at Apple?": "nine years at Apple", not "$25 million over four years"
        owners = _clause_owners(store, query, text, "duration", widen=True)
        scored.time_at_asked = any(at for _t, _c, at in owners)
        scored.time_elsewhere = not scored.time_at_asked and _times_told_elsewhere(store, query, text)
        if scored.time_at_asked:
            scored.score += DURATION_AT_ASKED_BONUS
    if ROLE_INTENT in query.intents and item.kind != "transfer":
        titles = {f.text for f in found_in(text) if f.kind == "role"}
        scored.own_role = bool(titles - roles_held_elsewhere(store, query, text))
    if OTHER_PERSON_INTENT in query.intents and item.kind in ("passage", "fact"):
        scored.names_other = bool(_named_in(store, text) & store.person_ids - set(query.entities))
    elif NAME_INTENT in query.intents and item.kind == "passage":
        scored.names_other = bool(_named_in(store, text) - set(query.entities))
    elif "who" in query.intents and item.kind == "passage":
        # Its own names, or those of the sentences before it when it speaks of someone ("Her
        # departure leaves the group under interim leadership"): "Calanque, which raised $1.2
        # billion…" does not say who led the round, whatever the paragraph names.
        others = item.mentions if _speaks_of_someone(text) else _named_in(store, text)
        scored.names_other = bool(others - set(query.entities))
    elif _asks_where_someone_went(query) and item.kind == "passage":
        # "Kallio left Meta for which company?": the sentence itself names another company or a
        # place; "Kallio is one of several researchers to depart since Meta reorganised" does not.
        companies = _named_in(store, text) - store.person_ids - set(query.entities)
        scored.names_other = bool(companies) or _new_places(text, query.words)
    return scored


# What bounds the clause a title stands in: "Malik Benali, a senior engineer on Apple's team,
# joined Calanque as head of inference" holds two titles at two companies.
_ROLE_CLAUSE_BREAK = re.compile(r"[,;:()\u2013\u2014]| - ")


def _clause_owners(
    store: Store, query: Query, sentence: str, kind: str, widen: bool = False
) -> list[tuple[str, bool, bool]]:
    """For each answer of `kind` in a sentence: its text, whether its clause names a company,
    and whether that is one asked about ("nine years at Apple", "head of inference" after
    "joined Calanque"). With `widen`, a clause naming none is read with its whole sentence
    ("Last week, barely three months later, Ota left Meta")."""
    asked = {e for e in query.entities if e not in store.person_ids}
    clauses = _ROLE_CLAUSE_BREAK.split(sentence)
    out = []
    for f in found_in(sentence):
        if f.kind != kind:
            continue
        clause = next((c for c in clauses if f.text in c), "")
        companies = _companies_in(store, clause)
        if widen and not companies:
            companies = _companies_in(store, sentence)
        out.append((f.text, bool(companies), any(_within(store, ids, asked) for ids in companies)))
    return out


_AT_WORDS = frozenset("at with in for chez a au aupres".split())


def _times_told_elsewhere(store: Store, query: Query, sentence: str) -> bool:
    """Every duration in the sentence is time at another company: said right after it ("nine
    years at Apple" asked about Meta), or alone in its clause in a sentence naming only other
    companies ("Last week, barely three months later, Ota left Meta" asked about Apple).
    "Two months courting Okonkwo from OpenAI" is neither."""
    asked = {e for e in query.entities if e not in store.person_ids}
    words = tokens(sentence)
    spans = {a: set(ids) for a, _b, ids in store.aliases.spans(words)}
    in_sentence = _companies_in(store, sentence)
    only_others = bool(in_sentence) and not any(_within(store, ids, asked) for ids in in_sentence)
    owners = _clause_owners(store, query, sentence, "duration")
    if not owners:
        return False
    for text, clause_names_company, _at_asked in owners:
        own = tokens(text)
        at = next((i for i in range(len(words)) if words[i : i + len(own)] == own), None)
        after = at + len(own) if at is not None else len(words)
        ids = spans.get(after + 1, set()) if after < len(words) and words[after] in _AT_WORDS else set()
        told_at_other = bool(ids) and not store.person_ids & ids and not _within(store, ids, asked)
        if not (told_at_other or (not clause_names_company and only_others)):
            return False
    return True


def _companies_in(store: Store, text: str) -> list[set[str]]:
    named = [set(ids) for _a, _b, ids in store.aliases.spans(tokens(text))]
    return [ids for ids in named if not store.person_ids & ids]


def roles_held_elsewhere(store: Store, query: Query, sentence: str) -> set[str]:
    """The titles in a sentence not held where the question asks: asked Marchal's role at Meta,
    "co-founder and chief scientist of Paris-based Calanque AI" (its clause names only another
    company); asked Pang's post before Meta, "sa mission principale chez Meta"."""
    if not set(query.entities) - store.person_ids:
        return set()
    before = bool(EARLIER_WORDS.intersection(query.words))
    return {
        text
        for text, names_company, at_asked in _clause_owners(store, query, sentence, "role")
        if (before and at_asked) or (not before and names_company and not at_asked)
    }


def _within(store: Store, ids: set[str], asked: set[str]) -> bool:
    """Whether a named organisation is one asked about or part of one ("Meta Superintelligence
    Labs" is Meta's)."""
    parents = {store.entities[e].parent for e in ids if e in store.entities}
    return bool(ids & asked or parents & asked)


def _role_is_elsewhere(store: Store, query: Query, sentence: str) -> bool:
    """Asked someone's role at a company: "Inès Garnier, chercheuse chez Google DeepMind,
    rejoindra Calanque AI" gives her role at DeepMind, not at Calanque (every word of role
    comes before the company asked about, and another company comes between the first of them
    and it: "fondateur de Scale AI et un expert reconnu ; Meta l'a recruté")."""
    asked = {e for e in query.entities if e not in store.person_ids}
    if not asked or EARLIER_WORDS.intersection(query.words):
        return False  # "his role before Meta" is the role held elsewhere
    words = tokens(sentence)
    spans = store.aliases.spans(words)
    at_asked = [a for a, _b, ids in spans if asked.intersection(ids)]
    others = [
        a for a, _b, ids in spans if not asked.intersection(ids) and not store.person_ids.intersection(ids)
    ]
    roles = [i for i, w in enumerate(words) if _ROLE_WORD_KEYS.intersection(term_keys(w))]
    if not at_asked or not roles or not others:
        return False
    first_asked = at_asked[0]
    return all(r < first_asked for r in roles) and any(min(roles) < o < first_asked for o in others)


_ROLE_WORD_KEYS = frozenset({"ROLE", "RESEARCHER", "CEO", "FOUNDER"})


def _subject_before_companion(store: Store, sentence: str) -> str:
    """The part of a sentence before the companion its only named people come after ("...,
    le chercheur a cofondé Calanque AI avec Camille Besson" is about the researcher the
    sentence before names, and Besson too), or "" when someone is named before it."""
    words = tokens(sentence)
    cut = next((i for i, w in enumerate(words) if w in CO_ACTOR_WORDS), None)
    if cut is None or _named_in(store, " ".join(words[:cut])) & store.person_ids:
        return ""
    return " ".join(words[:cut])


def _speaks_of_a_person(store: Store, sentence: str) -> bool:
    """Whether a sentence names a person or speaks of one ("she", "sa rémunération"): "Le bureau
    devrait compter une vingtaine de personnes" gives the office's size, whoever the paragraph is about."""
    return bool(
        _named_in(store, sentence) & store.person_ids
        or _speaks_of_someone(sentence)
        or FRENCH_POSSESSIVES.intersection(tokens(sentence))
    )


def _named_in(store: Store, text: str) -> set[str]:
    """Whom a text itself names: "Her departure leaves the group under interim leadership" names
    no one, whatever the sentence before it names."""
    return set(store.aliases.find(tokens(text))[0])


def _asks_for_a_chief(store: Store, words: list[str], entities: list[str]) -> bool:
    """ "Who is Apple's CEO?" is answered by naming a person, not by "Apple's leadership is
    studying…"."""
    return not store.person_ids.intersection(entities) and any(term_keys(w) == (CEO_KEY,) for w in words)


def _asks_for_another(store: Store, words: list[str]) -> bool:
    """ "Who co-founded Helix with Feld?", "à part Feld": a person named after "with", "besides",
    "avec" asks for someone else."""
    if any(w in COMPANION_WORDS and after in _WHO_WORDS for w, after in zip(words, words[1:], strict=False)):
        return True  # "avec qui a-t-il cofondé Calanque ?", "with whom"
    if words and words[-1] in CO_ACTOR_WORDS:
        return True  # "who did Feld start Helix with?"
    for start, _end, ids in store.aliases.spans(words):
        if start and words[start - 1] in COMPANION_WORDS and any(e in store.person_ids for e in ids):
            return True
    return False


def candidates(store: Store, query: Query) -> list[int]:
    """Positions of the items sharing an entity or a distinctive term with the query, best
    first, bounded."""
    acc: dict[int, float] = {}
    entity_weight = store.max_idf * 0.5  # as in score_item, so the bound ranks like the score
    for eid in query.entities:
        for n in store.by_entity.get(eid, ()):
            acc[n] = acc.get(n, 0.0) + entity_weight
    weights: dict[str, float] = {}
    for keys, w in query.terms.items():
        for k in keys:
            if k in store.postings:
                weights[k] = max(weights.get(k, 0.0), w)
    rare = [k for k in weights if len(store.postings[k]) <= COMMON_POSTING]
    for k in rare:
        w = weights[k]
        for n in store.postings[k]:
            acc[n] = acc.get(n, 0.0) + w
    if not acc and weights:
        # Only common words (and no entity): the items holding all of them, a bounded few.
        common = sorted(weights, key=lambda k: len(store.postings[k]))
        pool = list(store.postings[common[0]][:COMMON_POSTING])
        for k in common[1:]:
            narrowed = store.contains(frozenset({k}), TEXT, pool)
            pool = [n for n in pool if n in narrowed] or pool
        return pool[:CANDIDATES]
    return heapq.nlargest(CANDIDATES, acc, key=acc.__getitem__)


def eligible(query: Query, s: Scored) -> bool:
    """Whether an item may answer at all: about every entity the question names (an answer
    about someone else is wrong however close it looks), and naming any unknown name it asks
    about; an item the question's words do not touch at all is not an answer either."""
    if query.entities and s.entity_cover < 1.0:
        return False
    if not query.entities and query.terms and len(query.unknown) == len(query.terms):
        return False  # nothing the question names is known to the store ("c'est quoi grok")
    if s.item.kind == "passage" and len(s.item.mentions & query.people) > 1 and is_heading(s.item.text):
        return False  # a flattened table row: which figure belongs to whom cannot be told
    if s.item.kind == "passage" and next(iter(s.item.text.values()), "").rstrip().endswith("?"):
        return False  # the article's own rhetorical question asks, it does not answer
    if query.unknown_names and not set(query.unknown_names) <= _said_words(s.item):
        return False
    strict = query.intents & STRICT_INTENTS
    kinds = answer_kinds_of(s.item) if strict else frozenset()
    if strict and not strict & kinds:
        return False  # asked "when" or "how much": an item with no date or amount does not answer
    if DURATION_INTENT in query.intents and DURATION_INTENT not in kinds:
        return False
    if DURATION_INTENT in query.intents and s.time_elsewhere:
        return False  # "how long was Ota at Meta": "nine years at Apple" is his time elsewhere
    if ROLE_INTENT in query.intents and not s.own_role:
        return False  # "quel poste chez Meta": a sentence giving no title, or only one at another company
    if (strict or DURATION_INTENT in query.intents) and s.borrows_person:
        return False  # a date or sum in a sentence that neither names nor speaks of the person asked
    if (
        "when" in query.intents
        and s.item.kind == "passage"
        and asks_calendar(set(query.words))
        and "date" not in _found_kinds(next(iter(s.item.text.values()), ""))
    ):
        return False  # "en quelle année": "sur quatre ans" is no year
    if (
        query.asks_quote
        and s.item.kind == "passage"
        and not reports_speech(next(iter(s.item.text.values()), ""))
    ):
        return False  # "what did Raman write?": "Raman will start on Oct. 13" reports no words of hers
    if PLACE_INTENT in query.intents and not _new_places(next(iter(s.item.text.values()), ""), query.words):
        return False  # "which city": an item naming no place does not say, nor one naming only London
    if "who" in query.intents and query.keys and s.item.kind == "passage" and not s.names_other:
        return False  # "who replaced X?": a sentence naming no one but X does not say who
    if _asks_where_someone_went(query) and s.item.kind == "passage" and not s.names_other:
        return False  # "where did Kallio go?": a sentence naming no other company nor place
    if query.pay_parts and not all(
        not PAY_PARTS[part].isdisjoint(_said_words(s.item)) for part in query.pay_parts
    ):
        return False  # "Pang's signing bonus": a package of "more than $200 million" does not split it
    if query.paid_elsewhere and s.item.mentions & query.paid_elsewhere:
        return False  # "combien gagnait Pang chez Apple": Meta's $200 million is not his Apple pay
    if REPLACE_KEY in query.keys and REPLACE_KEY not in _text_keys(next(iter(s.item.text.values()), "")):
        return False  # "who replaced Pang?": a fact on Pang's own role does not say who followed him
    asked_event = _asked_event(query)
    if asked_event and s.item.kind != "entity" and _dated_event(query, s.item) not in asked_event:
        return False  # "when did Wang found Scale AI": "founder of Scale AI, joined Meta in June 2025"
    if s.role_elsewhere:
        return False  # "what role will Garnier have at Calanque": "chercheuse chez DeepMind" is not it
    if query.intents & {NAME_INTENT, OTHER_PERSON_INTENT} and not s.names_other:
        return False  # "what's the interim head's name?": the sentence must itself name them
    return not query.asks_unknown


# Events a "when" question may ask the date of, each answered only by a date told of it; a move
# (joining, leaving) is the event a date most often belongs to.
DATED_EVENT_KEYS = frozenset({"FOUNDER", "FUNDING"})
MOVE_EVENT_KEYS = frozenset({"HIRE", "LEAVE"})
EVENT_AFTER_REACH = 3  # matching keys after a date within which its event word may stand


def _asked_event(query: Query) -> frozenset[str]:
    """The founding or fundraising a "when" question asks the date of (none when it asks of a move)."""
    if "when" not in query.intents or query.keys & MOVE_EVENT_KEYS:
        return frozenset()
    return frozenset(query.keys & DATED_EVENT_KEYS)


def _dated_event(query: Query, item: Item) -> str | None:
    """The event the date an answer would lead with is told of: the last event word before it in
    its clause, else one right after it ("In 2021, Brekke co-founded…")."""
    parts = value_clause(next(iter(item.text.values()), ""), set(query.intents), set(query.words))
    if parts is None:
        return None
    before, after = parts
    if before.rfind("(") > before.rfind(")"):  # "Wang (founder of Scale AI, June 2025)": a list of facts
        before = before[before.rfind("(") + 1 :].rsplit(",", 1)[-1]
        after = re.split(r"[,)]", after, maxsplit=1)[0]
    keys_before, keys_after = (keys_of(tokens(part)) for part in (before, after))
    events = DATED_EVENT_KEYS | MOVE_EVENT_KEYS
    return next((k for k in (*reversed(keys_before), *keys_after[:EVENT_AFTER_REACH]) if k in events), None)


@lru_cache(maxsize=4096)
def _text_keys(text: str) -> frozenset[str]:
    """A text's matching keys, once per text (eligibility asks for each candidate)."""
    return frozenset(keys_of(tokens(text)))


_REASON = re.compile("|".join(_phrase_pattern(p) for p in REASON_PHRASES))


@lru_cache(maxsize=4096)
def gives_reason(sentence: str) -> bool:
    """Whether a sentence gives a reason or a motive ("the decision came down to hardware",
    "less about money than about scope", "parce que", "nous voulons recruter là où…")."""
    return bool(_REASON.search(fold(sentence)))


def _pay_parts(words: list[str]) -> frozenset[str]:
    """The parts of a pay package a question asks about (lexicon.PAY_PARTS)."""
    present = set(words)
    return frozenset(
        part
        for part, said in PAY_PARTS.items()
        if not said.isdisjoint(present) and not PAY_PART_CUES.get(part, present).isdisjoint(present)
    )


def _said_words(item: Item) -> frozenset[str]:
    """The words of an item's texts and quotes, in both languages."""
    return frozenset(tokens(" ".join((*item.text.values(), *(c.quote for c in item.citations)))))


@lru_cache(maxsize=4096)
def _speaks_of_someone(sentence: str) -> bool:
    """Whether a sentence speaks of a person or their move (lexicon.PERSON_PRONOUNS)."""
    return not PERSON_PRONOUNS.isdisjoint(tokens(sentence))


def _new_places(text: str, question_words: list[str]) -> bool:
    """Whether a text names a place the question does not: "dans quel quartier de Londres" is
    not answered by a sentence whose only place is London."""
    asked = {*question_words, *(term_keys(w)[0] for w in question_words)}
    return any(
        not set(tokens(f.text)) <= asked and not {term_keys(w)[0] for w in tokens(f.text)} <= asked
        for f in found_in(text)
        if f.kind == "place"
    )


@lru_cache(maxsize=4096)
def _found_kinds(text: str) -> frozenset[str]:
    return frozenset(f.kind for f in found_in(text))


def _answers_for(query: Query, item: Item) -> frozenset[str]:
    """The item's kinds of answer, with "role" for a curated text that gives a title when the
    question asks for one (curated kinds have no "role")."""
    if ROLE_INTENT in query.intents and item.kind != "passage" and ROLE_INTENT in answer_kinds_of(item):
        return item.answers | {ROLE_INTENT}
    if (
        "why" in query.intents
        and item.kind == "passage"
        and not gives_reason(next(iter(item.text.values()), ""))
    ):
        return item.answers - {"why"}  # "why did Nwosu choose Lumen": a sentence giving a reason
    return item.answers


def answer_kinds_of(item: Item) -> frozenset[str]:
    """The kinds of question an item answers; a curated item answers "how many" when its text
    gives a head count and "how long" when it gives a duration (its curated kinds say only "how
    much" and "when")."""
    if item.kind != "passage":
        found = _found_kinds(next(iter(item.text.values()), ""))
        extra = {"how_many"} if "how_much" in item.answers and "count" in found else set()
        if "when" in item.answers and "duration" in found:
            extra.add(DURATION_INTENT)
        if "role" in found:
            extra.add(ROLE_INTENT)
        return item.answers | extra
    return item.answers


def _newest(store: Store, query: Query, scored: list[Scored]) -> set[int]:
    """Indexes (into `scored`) of the candidates from the most recent source among those about
    the same entities as the question: the newest report is the current state."""
    dated = [(store.item_date(s.item), i) for i, s in enumerate(scored) if s.entity_cover >= 1.0]
    dated = [(d, i) for d, i in dated if d]
    if not dated:
        return set()
    latest = max(d for d, _ in dated)
    return {i for d, i in dated if d == latest}


def rank(store: Store, query: Query, limit: int = 5) -> list[Scored]:
    """The candidates most likely to answer, best first, each with its probability."""
    positions = candidates(store, query)
    if query.vector is not None:
        seen = set(positions)
        positions += [n for n in store.vectors.nearest(query.vector, SEMANTIC_CANDIDATES) if n not in seen]
    found = matches(store, query, positions)
    scored = [score_item(store, query, n, found) for n in positions]
    if not scored:
        return []
    if query.vector is not None:
        for s, sim in zip(scored, store.vectors.similarity(query.vector, positions), strict=True):
            s.semantic = float(sim)
    best_sem = max(s.semantic for s in scored)
    best_lex = max(s.coverage_all for s in scored)
    newest = _newest(store, query, scored)
    weights = load_weights()
    for i, s in enumerate(scored):
        s.features = features(query, s, best_sem, best_lex, i in newest)
    allowed = {id(s) for s in scored if eligible(query, s)}
    # The ranking model's belief is split among the candidates that may answer.
    pool = [s for s in scored if id(s) in allowed]
    for s, share in zip(pool, shares([weights.logit(s.features) for s in pool]), strict=True):
        s.probability = share
    scored.sort(key=lambda s: (id(s) not in allowed, -s.probability, s.item.kind == "passage", s.item.id))
    return scored[:limit]
