"""Compose what a person reads: the answer in their language, key fact first, with citations.

This is the one function both faces call. It decides whether the best item really answers the
question: an answer must cover the question's entities and most of its content words; anything
less is an honest "I don't know" with the closest topics, never an unrelated fact.
"""

from __future__ import annotations

from functools import lru_cache

from .language import detect_language
from .lexicon import content_terms
from .models import Answer, Citation, Lang, Transfer
from .retrieve import Query, Scored, analyse, rank
from .store import Store
from .text import clean

ANSWER_THRESHOLD = 0.72
PASSAGE_THRESHOLD = 0.70
PASSAGE_COVERAGE = 0.75  # an uncurated sentence must cover nearly all of the question
MIN_COVERAGE = 0.6
STRICT_INTENTS = frozenset({"how_much", "when"})
LIST_LIMIT = 10  # moves listed in an answer; /transfers pages through the rest
SECOND_FACT_MARGIN = 0.04  # a fact this close to the best one is shown too
MAX_EXTRA_FACTS = 1
PASSAGE_MAX_CONFIDENCE = 0.8  # an uncurated sentence is never presented as sure as a curated fact

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
    "unknown": {
        "en": "I don't know: my sources don't say.",
        "fr": "Je ne sais pas : mes sources ne le disent pas.",
    },
    "closest": {"en": "Closest topics I know: ", "fr": "Sujets proches que je connais : "},
    "hint": {
        "en": "Try naming a person or company, e.g. “What was Ruoming Pang's package at Meta?”",
        "fr": "Essayez de nommer une personne ou une entreprise, par ex. « Quand Alexandr Wang a-t-il rejoint Meta ? »",
    },
    "passage": {"en": "The article says: ", "fr": "L'article dit : "},
    "passage_other": {"en": "The article says (in French): ", "fr": "L'article dit (en anglais) : "},
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
}


def confidence_of(score: float) -> float:
    """A retrieval score (about 0.4 to 1.1) as a share: the best possible match reads 0.99, never
    certainty, and a just-good-enough one about two thirds."""
    return round(max(0.0, min(0.99, score / 1.1)), 3)


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


def _rank_citations(item_citations: tuple[Citation, ...], query: Query) -> list[Citation]:
    """The quote sharing most words with the question first (stable: curated order on ties)."""
    if len(item_citations) < 2:
        return list(item_citations)
    keys = query.keys
    return sorted(item_citations, key=lambda c: -len(_quote_keys(c.quote) & keys))


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
    cites = [t.citations[0] for t in transfers if t.citations]
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
        if s.item.kind == "passage" or s.score < 0.35:
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


def _answers(query: Query, best: Scored) -> bool:
    """Whether the best item really answers: it must be about every entity the question names,
    cover most of what the question says, and answer the kind of question asked."""
    passage = best.item.kind == "passage"
    threshold, coverage = (
        (PASSAGE_THRESHOLD, PASSAGE_COVERAGE) if passage else (ANSWER_THRESHOLD, MIN_COVERAGE)
    )
    if best.score < threshold or best.coverage_all < coverage or query.asks_unknown:
        return False
    if query.entities and best.entity_cover < 1.0:
        return False
    # Asked "how much" or "when" and the best item answers neither: not an answer.
    return not (best.intent_fit == 0.0 and (query.intents & STRICT_INTENTS or best.coverage < 0.9))


def answer(store: Store, question: str, lang: str | None = None) -> Answer:
    """Answer one question from the store, in the asker's language, with verbatim citations."""
    question = clean(question or "")
    language = _lang(question, lang)
    query = analyse(store, question, language)
    if not query.entities and not query.terms and (not query.words or not query.intents):
        return Answer(
            question, False, language, MESSAGES["empty"][language], 0.0, store_version=store.version
        )
    org = _is_list_question(store, query)
    if org is not None:
        return _list_answer(store, query, org, language, question)
    ranked = rank(store, query)
    if not ranked:
        return _decline(store, question, language, [], 0.0)
    best = ranked[0]
    if not _answers(query, best):
        return _decline(store, question, language, ranked, best.score)
    item = best.item
    if item.kind == "passage":
        source_lang, quote = next(iter(item.text.items()))
        prefix = MESSAGES["passage" if source_lang == language else "passage_other"][language]
        text = f"{prefix}« {quote} »" if language == "fr" else f"{prefix}“{quote}”"
        return Answer(
            question,
            True,
            language,
            text,
            min(confidence_of(best.score), PASSAGE_MAX_CONFIDENCE),
            facts=[item.id],
            citations=list(item.citations),
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
        confidence_of(best.score),
        facts=[item.id] + [s.item.id for s in also],
        citations=citations,
        store_version=store.version,
    )


def _close_seconds(query: Query, best: Scored, ranked: list[Scored]) -> list[Scored]:
    """Other curated facts that answer a broad question about as well as the best one does
    ("How is Meta building its team?"): shown after it rather than silently dropped."""
    return [
        s
        for s in ranked[1:]
        if s.item.kind == "fact"
        and best.item.kind == "fact"
        and s.score >= best.score - SECOND_FACT_MARGIN
        and _answers(query, s)
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
