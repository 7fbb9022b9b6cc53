"""Follow-up questions: "how much did Meta pay him?" read with the subject of the question before.

People ask in turns, but retrieval reads one question at a time. A question that leans on the
previous one (a pronoun where a name should be, or an ellipsis: "and how much?", "et chez
Apple ?") is rewritten here into a question that stands alone, and the answer says whom it took
the question to be about, so a wrong guess shows at once. A question that names a person of its
own, or says enough by itself, is left exactly as it is: context must never hijack it.

No Discord and no settings here: the command line and the bot each keep a `Conversations`.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace

from .answer import answer
from .language import detect_language
from .lexicon import INTENT_WORDS, INTENTS, STOPWORDS
from .models import Answer, Entity
from .retrieve import analyse
from .store import Store
from .text import clean, tokens

# Tuning.
FOLLOWUP_SECONDS = 5 * 60  # how long a turn is remembered by default ("within a few minutes")
CONVERSATIONS_MAX = 10_000  # conversations remembered at once; the least recently used go first
ELLIPSIS_MAX_WORDS = 7  # "and what about Google DeepMind then?" is elliptical; longer stands alone
# A follow-up is short; a longer text stands alone (and is not embedded twice, as a rewritten
# question would be: a 2,000-character question costs about a second to embed).
FOLLOWUP_MAX_CHARS = 300

# Pronouns that stand for a person: enough on their own, even when the question names a company
# ("how much did Meta pay him?").
PERSON_PRONOUNS = frozenset("he she him his her hers himself herself il elle lui".split())
# Pronouns that may as well stand for a company ("how much do they pay?", "Meta paie-t-elle ses
# chercheurs ?"): they lean on the previous question only when this one names no one at all.
LOOSE_PRONOUNS = frozenset("they them their theirs themselves ils elles eux leur leurs son sa ses".split())
POSSESSIVES_EN = frozenset({"his", "hers", "their", "theirs"})  # "his package" -> "Wang's package"
_PRONOUN_RE = re.compile(
    r"(?<![\w'’-])(" + "|".join(sorted(PERSON_PRONOUNS | LOOSE_PRONOUNS)) + r")(?![\w'’-])", re.IGNORECASE
)
# French subject inversion: "a-t-il rejoint Meta ?" -> "Tom Gunter a-t-il rejoint Meta ?"
_INVERTED_RE = re.compile(r"(?<![\w'’-])([\w]+)-(?:t-)?(il|elle|ils|elles)(?![\w'’-])", re.IGNORECASE)
# An elided object pronoun before an auxiliary: "Meta l'a recruté quand ?"
_ELIDED_RE = re.compile(
    r"(?<![\w'’-])l['’](?=(?:a|as|ont|avait|avaient|aura|aurait|auraient)(?![\w'’-]))", re.IGNORECASE
)
# "il y a", "il faut", "il s'agit": no one is meant.
_IMPERSONAL_IL = re.compile(r"\s+(?:y|faut|s['’]agit|para[iî]t|semble|reste)(?![\w'’-])", re.IGNORECASE)

# Words that open (or close) an elliptical follow-up, as folded token sequences, longest first.
_FILLERS_START = sorted(
    (
        tuple(p.split())
        for p in (
            "and",
            "and what about",
            "and how about",
            "what about",
            "how about",
            "and at",
            "and for",
            "same for",
            "same question for",
            "and then",
            "so",
            "also",
            "et",
            "et pour",
            "et chez",
            "et a",
            "et du cote de",
            "et pour ce qui est de",
            "pareil pour",
            "idem pour",
            "meme question pour",
            "et sinon",
            "et alors",
            "et puis",
        )
    ),
    key=len,
    reverse=True,
)
_FILLERS_END = frozenset("then too also alors donc aussi".split())
_FILLER_WORDS = frozenset(w for p in _FILLERS_START for w in p) | _FILLERS_END
# Intents a follow-up may replace; "did"/"est-ce" say only that it is a yes/no question.
_INTENT_PHRASES = sorted(
    (
        (intent, tuple(tokens(p)))
        for intent, phrases in INTENTS.items()
        if intent != "yes_no"
        for p in phrases
    ),
    key=lambda x: len(x[1]),
    reverse=True,
)

ABOUT = {"en": "(About {names})", "fr": "(À propos {de}{names})"}
AND = {"en": " and ", "fr": " et "}
_VOWELS = frozenset("aeiouàâäéèêëîïôöùûüœAEIOUÀÂÄÉÈÊËÎÏÔÖÙÛÜŒ")


@dataclass(frozen=True)
class Turn:
    """What a later question may lean on: the subject of one question, as retrieval read it."""

    question: str  # the question as retrieval read it (a follow-up already rewritten)
    people: tuple[Entity, ...]  # in the order named
    orgs: tuple[Entity, ...]
    intents: frozenset[str]
    lang: str
    at: float  # time.monotonic() when it was asked

    @property
    def subject(self) -> tuple[Entity, ...]:
        """Whom the question was about: its people, else its organisations."""
        return self.people or self.orgs


@dataclass(frozen=True)
class Resolved:
    """A question made to stand alone, and what it took from the previous turn."""

    question: str  # what retrieval reads
    leans: bool  # True when it was read with the previous turn
    about: tuple[str, ...]  # names of whom it was taken to be about (when it leans)
    turn: Turn | None  # what the next question may lean on


# -- reading a question -------------------------------------------------------------------------


def _spans(store: Store, words: Sequence[str]) -> list[tuple[int, int, list[Entity]]]:
    """(start, end, entities) of every name in `words`, longest alias first (like AliasIndex.find)."""
    index = store.aliases
    out: list[tuple[int, int, list[Entity]]] = []
    i = 0
    while i < len(words):
        if words[i] not in index.first_words:
            i += 1
            continue
        for n in range(min(index.max_len, len(words) - i), 0, -1):
            ids = index.phrases.get(" ".join(words[i : i + n]))
            ents = [store.entities[e] for e in sorted(ids or ()) if e in store.entities]
            if ents:
                out.append((i, i + n, ents))
                i += n
                break
        else:
            i += 1
    return out


def _intent_spans(words: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, intent) of every intent phrase in `words`, longest first, not overlapping."""
    taken: set[int] = set()
    out = []
    for intent, phrase in _INTENT_PHRASES:
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) == phrase and taken.isdisjoint(range(i, i + n)):
                out.append((i, i + n, intent))
                taken.update(range(i, i + n))
    return sorted(out)


def _entities(store: Store, words: Sequence[str]) -> tuple[tuple[Entity, ...], tuple[Entity, ...]]:
    seen: dict[str, Entity] = {}
    for _, _, ents in _spans(store, words):
        for e in ents:
            seen.setdefault(e.id, e)
    people = tuple(e for e in seen.values() if e.is_person)
    return people, tuple(e for e in seen.values() if not e.is_person)


def turn_of(store: Store, question: str, lang: str, at: float) -> Turn:
    """The turn a question leaves behind, read from its words."""
    words = tokens(question)
    people, orgs = _entities(store, words)
    intents = frozenset(i for _, _, i in _intent_spans(words))
    return Turn(question, people, orgs, intents, lang, at)


def _names(entities: Sequence[Entity], lang: str) -> str:
    return AND["fr" if lang == "fr" else "en"].join(e.name for e in entities)


# -- pronouns -----------------------------------------------------------------------------------


def _pronoun_rewrite(
    store: Store, text: str, previous: Turn, names_any: bool
) -> tuple[str, tuple[Entity, ...]] | None:
    """The question with its pronouns replaced by the previous subject's name, or None when it
    has no pronoun that can stand for that subject."""
    person = previous.people[:1]  # "he" is one person: the first one named before
    loose = previous.subject  # "they" may be all of them, or a company
    used: list[Entity] = []

    def name_for(pronoun: str) -> str | None:
        low = pronoun.lower()
        subject = person if low in PERSON_PRONOUNS else (loose if not names_any else ())
        if not subject:
            return None
        used.extend(e for e in subject if e not in used)
        name = _names(subject, previous.lang)
        return f"{name}'s" if low in POSSESSIVES_EN else name

    def plain(m: re.Match[str]) -> str:
        if m.group(1).lower() == "il" and _IMPERSONAL_IL.match(text, m.end()):
            return m.group(0)
        return name_for(m.group(1)) or m.group(0)

    def inverted(m: re.Match[str]) -> str:
        if store.aliases.find(tokens(text[: m.start()]))[0]:
            return m.group(0)  # "Meta paie-t-elle ses chercheurs ?": the pronoun repeats Meta
        name = name_for(m.group(2))
        return f"{name} {m.group(0)}" if name else m.group(0)

    def elided(m: re.Match[str]) -> str:
        name = name_for("lui")
        return f"{name} " if name else m.group(0)

    out = _INVERTED_RE.sub(inverted, text)
    out = _PRONOUN_RE.sub(plain, out)
    out = _ELIDED_RE.sub(elided, out)
    return (out, tuple(used)) if used else None


# -- ellipsis -----------------------------------------------------------------------------------


def _strip_fillers(words: list[str]) -> tuple[list[str], bool]:
    """The words without "and what about" / "et chez" in front and "then" behind."""
    opened = False
    for filler in _FILLERS_START:
        if tuple(words[: len(filler)]) == filler:
            words, opened = words[len(filler) :], True
            break
    while words and words[-1] in _FILLERS_END:
        words = words[:-1]
    return words, opened


def _ellipsis_rewrite(store: Store, words: list[str], previous: Turn) -> str | None:
    """When this question is only names ("what about Apple?"): the previous question with them
    swapped in; when it is an intent ("and how much?", "quand ?"): that intent about the
    previous question's names; else None."""
    if len(words) > ELLIPSIS_MAX_WORDS:
        return None
    core, opened = _strip_fillers(words)
    spans = _spans(store, core)
    named = {i for start, end, _ in spans for i in range(start, end)}
    intents = _intent_spans(core)
    in_intent = {i for start, end, _ in intents for i in range(start, end)}
    content = [
        w
        for i, w in enumerate(core)
        if i not in named and i not in in_intent and w not in STOPWORDS and w not in INTENT_WORDS
    ]
    content = [w for w in content if w not in _FILLER_WORDS]
    if content or not (spans or intents):
        return None  # it says something of its own ("and the salary of Zorglub?"), or nothing
    if not opened and spans:
        return None  # "Meta?" or "Who is Ruoming Pang?" stand alone
    before = tokens(previous.question)
    for start, end, ents in spans:
        before = _swap(store, before, core[start:end], ents[0])
    if intents:
        # A new intent asks something else about the same names: the old question's verbs would
        # drag the old intent along ("how much did Wang join Meta" finds a date), so only its
        # names are kept ("how much alexandr wang meta").
        asked = [w for start, end, _ in intents for w in core[start:end]]
        before = asked + [w for start, end, _ in _spans(store, before) for w in before[start:end]]
    return " ".join(before)


def _swap(store: Store, before: list[str], name: list[str], entity: Entity) -> list[str]:
    """`before` with `name` in the place of the name of the same kind (a person for a person, an
    organisation for an organisation), or of its only name; else with `name` added."""
    spans = _spans(store, before)
    same = [s for s in spans if s[2][0].is_person == entity.is_person]
    target = same[0] if same else (spans[0] if len(spans) == 1 else None)
    if target is None:
        return before + name
    start, end, _ = target
    return before[:start] + name + before[end:]


# -- the one entry point ------------------------------------------------------------------------


def resolve(store: Store, question: str, previous: Turn | None, now: float | None = None) -> Resolved:
    """`question` made to stand alone with the help of `previous` (the same user's last turn in
    this conversation, or None), and the turn it leaves for the next question."""
    at = time.monotonic() if now is None else now
    text = clean(question or "")  # as given: a standalone question reaches answer() unchanged
    query = analyse(store, text)
    lang = detect_language(text) or (previous.lang if previous else "en")
    own = [store.entities[e] for e in query.entities if e in store.entities]
    names_person = any(e.is_person for e in own)
    rewritten: str | None = None
    if previous is not None and previous.subject and len(text) <= FOLLOWUP_MAX_CHARS:
        if not names_person:  # a pronoun next to a name of its own means that name
            pronoun = _pronoun_rewrite(store, text, previous, bool(own))
            rewritten = pronoun[0] if pronoun else None
        if rewritten is None:  # "what about Ruoming Pang?" swaps; "Who is Ruoming Pang?" does not
            rewritten = _ellipsis_rewrite(store, list(query.words), previous)
    if rewritten is None:
        if own:
            return Resolved(text, False, (), turn_of(store, " ".join(query.words), lang, at))
        if query.unknown_names:
            # Someone the store does not know ("Who is John Smith?"): a "he" next must not be
            # taken for the person before.
            return Resolved(text, False, (), None)
        # Nothing named and nothing leaned on: the conversation's subject stays what it was.
        return Resolved(text, False, (), previous)
    turn = turn_of(store, rewritten, lang, at)
    if not turn.subject:  # the names it took are no longer known (the store was reloaded)
        return Resolved(text, False, (), None)
    return Resolved(rewritten, True, tuple(e.name for e in turn.subject), turn)


def about_line(names: Sequence[str], lang: str) -> str:
    """ "(About Alexandr Wang)" / "(À propos d'Alexandr Wang)"."""
    lang = "fr" if lang == "fr" else "en"
    joined = AND[lang].join(names)
    de = "d'" if joined[:1] in _VOWELS else "de "
    return ABOUT[lang].format(names=joined, de=de)


AnswerFn = Callable[[Store, str, "str | None"], Answer]


def answer_in_context(
    store: Store,
    question: str,
    lang: str | None,
    previous: Turn | None,
    now: float | None = None,
    compute: AnswerFn = answer,
) -> tuple[Answer, Resolved]:
    """answer() for a question that may lean on the previous turn: the answer to the question as
    resolved, saying first whom it took it to be about; and the resolution (its `turn` is what
    the caller remembers for the next question). `compute` is answer() unless a caller (a test
    making answers slow or huge) says otherwise."""
    resolved = resolve(store, question, previous, now)
    text = clean(question or "")
    language = (
        lang if lang in ("en", "fr") else detect_language(text) or (previous.lang if previous else None)
    )
    result = compute(store, resolved.question, language)
    if resolved.leans:
        result = replace(
            result, question=text, text=f"{about_line(resolved.about, result.language)}\n{result.text}"
        )
    if resolved.turn is not None and resolved.turn.lang != result.language:
        resolved = replace(resolved, turn=replace(resolved.turn, lang=result.language))
    return result, resolved


# -- remembering turns --------------------------------------------------------------------------


class Conversations:
    """The last turn of each conversation, keyed by whatever the caller says a conversation is
    ((channel, user), a DM, the id of an answer someone replies to). Bounded in size, and a turn
    older than its time to live is forgotten: a question asked much later is a new conversation."""

    def __init__(
        self,
        ttl: float = FOLLOWUP_SECONDS,
        max_entries: int = CONVERSATIONS_MAX,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl  # the longest any turn is kept
        self.max_entries = max_entries
        self.clock = clock
        self._turns: OrderedDict[Hashable, Turn] = OrderedDict()
        self._lock = threading.Lock()  # answers are computed on worker threads

    def __len__(self) -> int:
        return len(self._turns)

    def get(self, key: Hashable, max_age: float | None = None) -> Turn | None:
        """The conversation's last turn, if it is at most `max_age` (at most the store's ttl) old."""
        age_limit = self.ttl if max_age is None else min(max_age, self.ttl)
        with self._lock:
            turn = self._turns.get(key)
            if turn is None:
                return None
            if self.clock() - turn.at > age_limit:
                if self.clock() - turn.at > self.ttl:
                    del self._turns[key]
                return None
            return turn

    def put(self, key: Hashable, turn: Turn | None) -> None:
        """Remember `turn` as the conversation's last (None forgets the conversation)."""
        with self._lock:
            if turn is None:
                self._turns.pop(key, None)
                return
            self._turns[key] = turn
            self._turns.move_to_end(key)
            now = self.clock()
            while self._turns:  # the oldest first: drop the expired and the over-bound
                oldest_key, oldest = next(iter(self._turns.items()))
                if len(self._turns) > self.max_entries or now - oldest.at > self.ttl:
                    del self._turns[oldest_key]
                else:
                    break
