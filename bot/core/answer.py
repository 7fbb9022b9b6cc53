"""Compose what a person reads: the answer in their language, key fact first, with citations.

This is the one function both faces call. It decides whether the best item really answers the
question: an answer must cover the question's entities and most of its content words; anything
less is an honest "I don't know" with the closest topics, never an unrelated fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .answer_types import amount_value, lead
from .answer_types import find as find_answers
from .bylines import Byline, asks_author, author_of
from .language import detect_language, other_language
from .lexicon import BEFORE_WORDS, content_terms, term_keys
from .models import Answer, Citation, Lang, Transfer
from .retrieve import PLACE_INTENT, ROLE_INTENT, Query, Scored, analyse, eligible, rank, roles_held_elsewhere
from .scoring import decision_features, load_weights, probability
from .store import Item, Store
from .text import clean, fold

DECISION_DEPTH = 8  # candidates looked through for one that may answer before declining
LIST_LIMIT = 10  # moves listed in an answer; /transfers pages through the rest
SECOND_FACT_MARGIN = 0.05  # a fact this close (in probability) to the best one is shown too
MAX_EXTRA_FACTS = 1
SECOND_PASSAGE_SHARE = 0.6  # a sentence this likely, relative to the best one, is shown under it
MAX_EXTRA_PASSAGES = 1
# Another article giving a different date or amount for the same question (an eligible candidate
# among the first DECISION_DEPTH) is shown too: two reports that disagree are both given, each with
# its source, newest first. Dates are everywhere in a story, so another date must also come with the
# question's own words (the move asked about); an amount beside the person asked about is enough.
MAX_OTHER_REPORTS = 2
OTHER_DATE_MIN_COVERAGE = 0.5
MAX_CONFIDENCE = 0.99  # never certainty
PASSAGE_MAX_CONFIDENCE = 0.75  # a sentence nobody has reviewed is never shown as sure as a curated fact

MONTHS = {
    "en": "January February March April May June July August September October November December".split(),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
}
STATUS = {
    "confirmed": {"en": "confirmed", "fr": "confirmé"},
    "reported": {"en": "reported", "fr": "rapporté"},
    "destination_unknown": {"en": "destination unknown", "fr": "destination inconnue"},
    "considering": {"en": "considering a move", "fr": "envisage de partir"},
    # Statuses of moves read from articles (bot.core.extract).
    "joined": {"en": "joined", "fr": "arrivé"},
    "left": {"en": "left", "fr": "parti"},
    "set_to_join": {"en": "set to join", "fr": "arrivée annoncée"},
    "in_talks": {"en": "in talks", "fr": "en discussions"},
    "turned_down": {"en": "turned down the offer", "fr": "offre refusée"},
    "returned": {"en": "returned", "fr": "retour"},
}
MESSAGES = {
    "empty": {
        "en": "Ask me a question about the AI talent war, e.g. “How much did Meta offer Ruoming Pang?”",
        "fr": "Posez-moi une question sur la guerre des talents de l'IA, par ex. « Combien Meta a offert à Ruoming Pang ? »",
    },
    "languages": {  # the asker reads neither language for sure: one line in both
        "en": "I answer in English and French only. — Je ne réponds qu'en anglais et en français.",
        "fr": "Je ne réponds qu'en français et en anglais. — I answer in French and English only.",
    },
    "unknown": {
        "en": "I don't know: my sources don't say.",
        "fr": "Je ne sais pas : mes sources ne le disent pas.",
    },
    "closest": {"en": "Closest topics I know: ", "fr": "Sujets proches que je connais : "},
    "hint": {
        "en": "Try naming a person or company, e.g. “What was Ruoming Pang's package at Meta?”",
        "fr": "Essayez de nommer une personne ou une entreprise, par ex. « Quand Alexandr Wang a-t-il rejoint Meta ? »",
    },
    "untitled": {"en": "An untitled article", "fr": "Un article sans titre"},
    "passage": {"en": "{source} says: ", "fr": "D'après {source} : "},
    "passage_other": {"en": "{source} says (in French): ", "fr": "D'après {source}, en anglais : "},
    "moves": {
        "en": "Reported moves, latest first:",
        "fr": "Mouvements rapportés, du plus récent au plus ancien :",
    },
    "moves_org": {
        "en": "Reported moves involving {org}, latest first:",
        "fr": "Mouvements rapportés impliquant {org}, du plus récent au plus ancien :",
    },
    "more_moves": {
        "en": "…and {n} earlier moves (/transfers lists them by company).",
        "fr": "…et {n} mouvements plus anciens (/transfers les liste par entreprise).",
    },
    "no_moves": {
        "en": "I know of no move involving {org}.",
        "fr": "Je ne connais aucun mouvement impliquant {org}.",
    },
    "who_unknown": {
        "en": "I know no one called “{name}”.",
        "fr": "Je ne connais personne qui s'appelle « {name} ».",
    },
    "did_you_mean": {"en": "Did you mean: ", "fr": "Vouliez-vous dire : "},
    "left": {"en": "left {org}", "fr": "a quitté {org}"},
    "before": {"en": "Before that: ", "fr": "Avant cela : "},
    "other_report": {"en": "Another report: ", "fr": "Autre version : "},
}


def confidence_of(p: float) -> float:
    """The fitted probability that the answer is right, as shown (see Weights.shown_confidence),
    never certainty."""
    return round(max(0.0, min(MAX_CONFIDENCE, load_weights().shown_confidence(p))), 3)


def format_date(value: str | None, lang: str) -> str:
    """ "2025-07" → "July 2025" / "juillet 2025"; unknown → empty."""
    if not value:
        return ""
    parts = value.split("-")
    months = MONTHS["fr" if lang == "fr" else "en"]
    if len(parts) == 1:
        return parts[0]
    month = months[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    day = int(parts[2])
    return f"{day} {month} {parts[0]}" if lang == "fr" else f"{month} {day}, {parts[0]}"


def _lang(question: str, lang: str | None) -> Lang:
    if lang in ("en", "fr"):
        return lang  # type: ignore[return-value]
    return detect_language(question) or "en"  # type: ignore[return-value]


def transfer_line(store: Store, t: Transfer, lang: str) -> str:
    """One transfer as a short line: who, from → to, when, package, status."""
    who = store.entity_name(t.who)
    src, dst = store.entity_name(t.from_org), store.entity_name(t.to_org)
    if src and dst:
        move = f"{src} → {dst}"
    elif src:
        move = MESSAGES["left"][lang].format(org=src)
    else:
        move = f"→ {dst}"
    bits = [f"{who}: {move}"]
    when = format_date(t.date, lang)
    if when:
        bits.append(when)
    if t.package:
        bits.append(t.package[lang])
    bits.append(STATUS.get(t.status, {}).get(lang, t.status))
    return " · ".join(bits)


@lru_cache(maxsize=20_000)
def _quote_keys(quote: str) -> frozenset[str]:
    return frozenset(content_terms(quote))


_SENTENCE_MARKS = frozenset(".!?…;:,")
TABLE_ROW_MIN_WORDS = 6
TABLE_ROW_CAPITALS = 3  # capitalised words after the first, and at least a quarter of the words


def is_table_row(quote: str) -> bool:
    """A flattened table row ("Meta Platforms Ruoming Pang Chef de l'équipe foundation models
    chez Apple Plus de 200 M$ Juillet 2025"): no sentence punctuation at all, and many cells
    starting with a capital. A headline or a "Label : value" line is not one."""
    words = quote.split()
    if len(words) < TABLE_ROW_MIN_WORDS or _SENTENCE_MARKS & set(quote):
        return False
    capitals = sum(1 for w in words[1:] if w[0].isupper())
    return capitals >= TABLE_ROW_CAPITALS and capitals * 4 >= len(words)


def prefer_sentences(citations: Iterable[Citation]) -> list[Citation]:
    """Real sentences before flattened table rows (stable otherwise): the first quote is the
    one shown, and a sentence reads better than a row of cells saying the same."""
    return sorted(citations, key=lambda c: is_table_row(c.quote))


def _rank_citations(item_citations: tuple[Citation, ...], query: Query) -> list[Citation]:
    """The quote sharing most words with the question first (stable: curated order on ties),
    real sentences before table rows."""
    if len(item_citations) < 2:
        return list(item_citations)
    keys = query.keys
    return sorted(item_citations, key=lambda c: (is_table_row(c.quote), -len(_quote_keys(c.quote) & keys)))


def _is_list_question(store: Store, query: Query) -> str | None:
    """ "list" for a request of moves; returns the organisation id to filter on ("" for all)."""
    orgs = [e for e in query.entities if not store.entities[e].is_person]
    people = [e for e in query.entities if store.entities[e].is_person]
    if people or len(orgs) > 1:
        return None
    keys = query.keys
    movement = {"HIRE", "LEAVE"} & keys
    other = keys - {"HIRE", "LEAVE", "AI", "RESEARCHER", "transfer", "transfert", "recent", "WHEN"}
    if orgs and store.entities[orgs[0]].kind not in ("company",):
        return None
    if "list" in query.intents and not other:
        return orgs[0] if orgs else ""
    if "who" in query.intents and movement and not other:
        return orgs[0] if orgs else ""
    return None


# Words that ask for someone's current state rather than one fact about them.
NOW_WORDS = frozenset(
    "now currently today still anymore finally actually maintenant actuellement aujourd hui toujours finalement".split()
)
_NOW_KEYS = frozenset(k for w in NOW_WORDS for k in term_keys(w))
# Matching keys a whereabouts question may hold besides its person and organisations.
WHEREABOUTS_KEYS = frozenset({"HIRE", "LEAVE", "WORK", "COMPANY", "ROLE", "AI", "LAB", "TEAM"})


def _asks_whereabouts(store: Store, query: Query) -> str | None:
    """The person whose current employer the question asks for ("Where does X work now?", "Is X
    still at Meta?", "Dara a finalement rejoint Helix ?"), when moves are known for them."""
    people = [e for e in query.entities if e in store.person_ids]
    if len(people) != 1 or query.intents & {
        "how_much",
        "how_many",
        "why",
        "when",
        "what",
        "how",
        PLACE_INTENT,
    }:
        return None  # "which city does X work in" asks for a place, not an employer
    if not query.keys - _NOW_KEYS <= WHEREABOUTS_KEYS:
        return None
    if BEFORE_WORDS.intersection(query.words) and not _origin_known(store, people[0], query):
        return None  # "where did Pang work before Apple": no report says where he came to Apple from
    asks_now = bool(NOW_WORDS & set(query.words))
    asks_where = "where" in query.intents and ("WORK" in query.keys or asks_now)
    asks_status = "yes_no" in query.intents and asks_now
    if not (
        asks_where
        or asks_status
        or ("yes_no" in query.intents and {"HIRE", "LEAVE"} & query.keys and asks_now)
    ):
        return None
    return people[0] if store.moves_of(people[0]) else None


def _origin_known(store: Store, person: str, query: Query) -> bool:
    """Whether a move of `person` says where they came from: to the company the question names
    ("before Apple"), or to anywhere when it names none ("before Helix" with Helix unknown)."""
    companies = {e for e in query.entities if e != person}
    return any(t.from_org and (not companies or t.to_org in companies) for t in store.moves_of(person))


def _whereabouts_answer(store: Store, person: str, lang: Lang, question: str) -> Answer:
    """The newest report of a person's moves is their current state, said with its date and
    source; the earlier reports follow, so a reader sees what changed."""
    moves = store.moves_of(person)
    newest, earlier = moves[0], moves[1:]
    lines = [newest.summary[lang]]
    if earlier:
        lines.append(MESSAGES["before"][lang] + "; ".join(transfer_line(store, t, lang) for t in earlier))
    cites = [c for t in moves for c in t.citations[:1]]
    reviewed = all(t.reviewed for t in moves[:1])
    return Answer(
        question,
        True,
        lang,
        "\n".join(lines),
        0.9 if reviewed else PASSAGE_MAX_CONFIDENCE,
        facts=[t.id for t in moves],
        citations=cites,
        store_version=store.version,
    )


def _author_answer(store: Store, query: Query, byline: Byline, lang: Lang, question: str) -> Answer:
    """The author first, then the byline that names them, cited."""
    return Answer(
        question,
        True,
        lang,
        passage_text(store, query, byline.item, lang, key=byline.author),
        PASSAGE_MAX_CONFIDENCE,
        facts=[byline.item.id],
        citations=list(byline.item.citations),
        store_version=store.version,
    )


def _list_answer(store: Store, query: Query, org: str, lang: Lang, question: str) -> Answer:
    transfers = store.list_transfers(store.entity_name(org) if org else None)
    if not transfers:
        text = MESSAGES["no_moves"][lang].format(org=store.entity_name(org))
        return Answer(question, False, lang, text, 0.0, store_version=store.version)
    head = MESSAGES["moves_org"][lang].format(org=store.entity_name(org)) if org else MESSAGES["moves"][lang]
    shown = transfers[:LIST_LIMIT]
    lines = [head] + [f"• {transfer_line(store, t, lang)}" for t in shown]
    if len(transfers) > len(shown):
        lines.append(MESSAGES["more_moves"][lang].format(n=len(transfers) - len(shown)))
    transfers = shown
    cites = [prefer_sentences(t.citations)[0] for t in transfers if t.citations]
    return Answer(
        question,
        True,
        lang,
        "\n".join(lines),
        0.9,
        facts=[t.id for t in transfers],
        citations=cites,
        store_version=store.version,
    )


def _decline(store: Store, question: str, lang: Lang, ranked: list[Scored], confidence: float) -> Answer:
    seen: list[str] = []
    for s in ranked:
        if s.item.kind == "passage" or not s.item.topic.get(lang):
            continue
        topic = s.item.topic[lang]
        if topic not in seen:
            seen.append(topic)
    text = MESSAGES["unknown"][lang]
    if seen:
        text += " " + MESSAGES["closest"][lang] + "; ".join(seen[:3]) + "."
    text += " " + MESSAGES["hint"][lang]
    return Answer(
        question,
        False,
        lang,
        text,
        confidence_of(confidence),
        suggestions=seen[:3],
        store_version=store.version,
    )


def choose(query: Query, ranked: list[Scored]) -> tuple[Scored | None, float]:
    """The best candidate that may answer, and the fitted confidence that it is right."""
    allowed = [s for s in ranked[:DECISION_DEPTH] if eligible(query, s)]
    if not allowed:
        return None, 0.0
    best = allowed[0]
    weights = load_weights()
    confidence = probability(weights.decision_logit(decision_features(query, best, allowed)))
    return best, confidence


def answer(store: Store, question: str, lang: str | None = None) -> Answer:
    """Answer one question from the store, in the asker's language, with verbatim citations."""
    question = clean(question or "")
    language = _lang(question, lang)
    if other_language(question):
        return Answer(
            question, False, language, MESSAGES["languages"][language], 0.0, store_version=store.version
        )
    query = analyse(store, question, language)
    if not query.entities and not query.terms and (not query.words or not query.intents):
        return Answer(
            question, False, language, MESSAGES["empty"][language], 0.0, store_version=store.version
        )
    org = _is_list_question(store, query)
    if org is not None:
        return _list_answer(store, query, org, language, question)
    person = _asks_whereabouts(store, query)
    if person is not None:
        return _whereabouts_answer(store, person, language, question)
    if asks_author(query.words, query.intents):
        byline = author_of(store, query.words, query.keys)
        if byline is None:  # no byline names the author of the article asked about
            return _decline(store, question, language, [], 0.0)
        return _author_answer(store, query, byline, language, question)
    ranked = rank(store, query, limit=DECISION_DEPTH)
    best, confidence = choose(query, ranked)
    if best is None or confidence < load_weights().threshold:
        return _decline(store, question, language, ranked, confidence)
    return compose(store, query, best, ranked, language, question, confidence)


def compose(
    store: Store,
    query: Query,
    best: Scored,
    ranked: list[Scored],
    language: Lang,
    question: str,
    confidence: float = 0.0,
) -> Answer:
    """The answer a person reads when `best` answers: its text first, then its citations."""
    item = best.item
    if item.kind == "passage":
        reports = _reports(store, query, best, ranked)
        shown = reports or [best] + _close_passages(query, best, ranked)
        lines = [passage_text(store, query, s.item, language) for s in shown]
        if reports:  # newest first; the others are labelled as other versions
            lines[1:] = [MESSAGES["other_report"][language] + line for line in lines[1:]]
        listed = [] if reports else store.items_by_id.following(item.id, announced_items(item))
        lines[1:1] = [quoted_sentence(next(iter(it.text.values())), language) for it in listed]
        return Answer(
            question,
            True,
            language,
            "\n".join(lines),
            min(confidence_of(confidence), PASSAGE_MAX_CONFIDENCE),
            facts=[s.item.id for s in shown] + [it.id for it in listed],
            citations=[c for s in shown for c in s.item.citations]
            + [c for it in listed for c in it.citations],
            store_version=store.version,
        )
    also = _close_seconds(query, best, ranked)
    lines = [item.text[language]] + [s.item.text[language] for s in also]
    citations = _rank_citations(item.citations, query)
    for s in also:
        citations += [c for c in _rank_citations(s.item.citations, query)[:1] if c not in citations]
    return Answer(
        question,
        True,
        language,
        "\n".join(lines),
        confidence_of(confidence),
        facts=[item.id] + [s.item.id for s in also],
        citations=citations,
        store_version=store.version,
    )


LISTED_MAX = 4  # sentences an announced list ("Three suggestions for the boards.") is followed into
_COUNT_WORDS = {
    **dict.fromkeys(("two", "deux", "2"), 2),
    **dict.fromkeys(("three", "trois", "3"), 3),
    **dict.fromkeys(("four", "quatre", "4"), 4),
}
_LIST_NOUNS = (
    "suggestions|recommendations|reasons|lessons|steps|ideas|rules|tips|questions|options|ways|things"
    "|conseils|raisons|recommandations|lecons|etapes|idees|regles|pistes|options|facons|choses"
)
_ANNOUNCED = re.compile(rf"^(?:here are |voici )?({'|'.join(_COUNT_WORDS)}) (?:[a-z-]+ )?(?:{_LIST_NOUNS})\b")


def announced_items(item: Item) -> int:
    """How many following sentences a sentence announces ("Three suggestions for the boards
    signing these cheques."): the answer is in them, not in the announcement."""
    if item.kind != "passage":
        return 0
    m = _ANNOUNCED.match(fold(next(iter(item.text.values()), "")).strip())
    return min(_COUNT_WORDS[m.group(1)], LISTED_MAX) if m else 0


_OPENING_MARKS = '"“«‘'
_CLOSING_MARKS = '"”»’'
# A quotation inside the quoted sentence takes the inner marks: ‘…’ in English, “…” in French.
_INNER_MARKS = {"en": ("‘", "’"), "fr": ("“", "”")}


def quoted_sentence(sentence: str, language: Lang) -> str:
    """A sentence in quotation marks, quoted once: marks around the whole sentence are dropped
    and a quotation inside it ('"I said no," he said') takes the inner marks, so no answer shows
    doubled or unbalanced marks."""
    body = sentence.strip()
    inner = body[1:-1]
    whole = len(body) > 1 and body[0] in _OPENING_MARKS and body[-1] in _CLOSING_MARKS
    if whole and not any(m in inner for m in _OPENING_MARKS + _CLOSING_MARKS if m != "’"):
        body = inner.strip()
    opening, closing = _INNER_MARKS[language]
    if language == "fr":
        body = body.replace("« ", opening).replace(" »", closing).replace("«", opening).replace("»", closing)
    else:
        body = body.replace("“", opening).replace("”", closing)
    if body.count('"') % 2 == 0:
        parts = body.split('"')
        body = "".join(p + (opening if i % 2 == 0 else closing) for i, p in enumerate(parts[:-1])) + parts[-1]
    return f"« {body} »" if language == "fr" else f"“{body}”"


def passage_text(store: Store, query: Query, item: Item, language: Lang, key: str | None = None) -> str:
    """An uncurated sentence as an answer: the fact asked for first (the date, the amount, the
    name), then who says so and the sentence itself, quoted once, in its own language."""
    source_lang, quote = next(iter(item.text.items()))
    cite = item.citations[0]
    doc = store.document_for(cite.source)
    who = cite.title
    if doc is not None:  # an untitled article under its label in the reader's language only
        who = doc.publisher or doc.title or doc.label_in(language) or MESSAGES["untitled"][language]
    when = format_date(cite.date, language)
    source = f"{who} ({when})" if when else who
    prefix = MESSAGES["passage" if source_lang == language else "passage_other"][language].format(
        source=source
    )
    quoted = quoted_sentence(quote, language)
    key = key or _lead(store, query, item, quote, cite.date, language)
    return f"{key[0].upper()}{key[1:]}. {prefix}{quoted}" if key else f"{prefix}{quoted}"


def _lead(store: Store, query: Query, item: Item, quote: str, doc_date: str, language: Lang) -> str:
    answers = find_answers(quote, doc_date)
    if ROLE_INTENT in query.intents:  # not "senior researcher on Anthropic's team" asked her job at Korvane
        elsewhere = roles_held_elsewhere(store, query, quote)
        answers = [f for f in answers if f.kind != "role" or f.text not in elsewhere]
    found = lead(answers, query.intents, set(query.words))
    if found is not None and found.kind == "role" and language != _source_language(item):
        return ""  # a title in the article's language: the quote says it as well as a lead would
    if found is not None:
        if found.value:
            resolved = format_date(found.value, language)
            said = fold(resolved) in fold(found.text)
            if language != _source_language(item):  # "in 2019" is "2019" to a French reader
                return resolved if said else f"{resolved} ({found.text})"
            if not said:
                return f"{found.text} ({resolved})"
        return found.text
    wanted = "who" in query.intents or "where" in query.intents
    if not wanted:
        return ""
    people = "who" in query.intents
    names = [
        store.entity_name(e)
        for e in sorted(item.mentions)
        if e not in query.entities and e in store.entities and store.entities[e].is_person == people
    ]
    return ", ".join(names[:2])


def _source_language(item: Item) -> str:
    return next(iter(item.text))


def _close_passages(query: Query, best: Scored, ranked: list[Scored]) -> list[Scored]:
    """A second sentence nearly as likely to answer as the best one: with uncurated articles the
    answer is often split over two sentences, and showing both beats guessing between them."""
    return [
        s
        for s in ranked[1:DECISION_DEPTH]
        if s.item.kind == "passage"
        and s.probability >= SECOND_PASSAGE_SHARE * best.probability
        and eligible(query, s)
    ][:MAX_EXTRA_PASSAGES]


def _wanted_value(query: Query, item: Item, doc_date: str) -> tuple[str, str]:
    """The kind and comparable value of the date or amount an item gives for a "when" / "how
    much" question (("", "") if none)."""
    found = lead(find_answers(next(iter(item.text.values())), doc_date), query.intents, set(query.words))
    if found is None or found.kind not in ("date", "amount"):
        return "", ""
    if found.kind == "amount":
        return "amount", amount_value(found.text)
    return "date", found.value or fold(found.text)


def _values_in(item: Item, doc_date: str) -> set[str]:
    """Every date and amount an item states, in comparable form."""
    found = find_answers(next(iter(item.text.values())), doc_date)
    return {amount_value(f.text) if f.kind == "amount" else f.value or fold(f.text) for f in found}


def _reports(store: Store, query: Query, best: Scored, ranked: list[Scored]) -> list[Scored]:
    """When other articles answer the same "when" or "how much" question with a different value
    ("$25 million" in August, "$32 million" in October), the reports to show, newest first: a
    reader sees every version and its source rather than whichever ranked first. An earlier value
    the newest report itself mentions ("and not the $50 million that was previously reported")
    is corrected by it, not another version. Empty when no other article disagrees."""
    if not query.intents & {"when", "how_much"} or not query.entities:
        return []
    source = best.item.citations[0].source if best.item.citations else ""
    _, value = _wanted_value(query, best.item, store.item_date(best.item))
    if not value:
        return []
    reports = {value: best}
    for s in ranked[1:DECISION_DEPTH]:
        if s.item.kind != "passage" or not s.item.citations or s.item.citations[0].source == source:
            continue
        if not eligible(query, s):
            continue
        kind, other = _wanted_value(query, s.item, store.item_date(s.item))
        if not other or other in reports or (kind == "date" and s.coverage < OTHER_DATE_MIN_COVERAGE):
            continue
        if any(v.startswith(other + "-") for v in reports):
            continue  # "September" beside "September 5": the same report, less precise
        for v in [v for v in reports if other.startswith(v + "-")]:
            del reports[v]  # the more precise report of the same date stands for both
        reports[other] = s
    if len(reports) < 2:
        return []
    newest = max(reports.values(), key=lambda s: store.item_date(s.item))
    corrected = _values_in(newest.item, store.item_date(newest.item))
    kept = [s for v, s in reports.items() if s is not newest and v not in corrected]
    return [newest] + kept[:MAX_OTHER_REPORTS]


def _close_seconds(query: Query, best: Scored, ranked: list[Scored]) -> list[Scored]:
    """Other curated facts that answer a broad question about as well as the best one does
    ("How is Meta building its team?"): shown after it rather than silently dropped."""
    return [
        s
        for s in ranked[1:]
        if s.item.kind == "fact"
        and best.item.kind == "fact"
        and s.probability >= best.probability - SECOND_FACT_MARGIN
        and eligible(query, s)
    ][:MAX_EXTRA_FACTS]


def profile(store: Store, name: str, lang: str = "en") -> Answer:
    """A person's or organisation's profile: summary, moves, sources; or "did you mean"."""
    language: Lang = "fr" if lang == "fr" else "en"
    name = clean(name or "").strip()
    ent, close = store.resolve_entity(name)
    if ent is None:
        text = MESSAGES["who_unknown"][language].format(name=name[:100])
        suggestions = [e.name for e in close]
        if suggestions:
            text += " " + MESSAGES["did_you_mean"][language] + ", ".join(suggestions) + "?"
        return Answer(name, False, language, text, 0.0, suggestions=suggestions, store_version=store.version)
    lines = [ent.summary[language]]
    moves = [t for t in store.transfers if ent.id in (t.who, t.from_org, t.to_org)]
    lines += [f"• {transfer_line(store, t, language)}" for t in moves]
    cites = list(store.entity_citations.get(ent.id, ()))
    for t in moves:
        cites += [c for c in t.citations if c not in cites]
    cites = prefer_sentences(cites)
    return Answer(
        name,
        True,
        language,
        "\n".join(lines),
        1.0,
        facts=[ent.id] + [t.id for t in moves],
        citations=cites,
        store_version=store.version,
    )
