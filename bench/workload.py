"""The question mix every contender answers: derived from a generated corpus, deterministic.

English and French; names written in full, by surname alone, lowercased or misspelt; list
requests; and a share of questions the store cannot answer (unknown people, off-topic, an
aspect of a known person that no source covers). Each answerable question carries the item ids
that count as a right top-1 hit (the curated record, the entity it is about, or the passage the
record quotes), so every contender's top-1 can be checked the same way.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot.core.text import split_passages

from .generate import FIRST_NAMES, ONSETS, VOWELS


@dataclass
class Question:
    q: str
    lang: str
    kind: str
    answerable: bool
    expect: list[str] = field(default_factory=list)  # acceptable top-1 item ids
    is_list: bool = False

    def to_json(self) -> dict:
        return asdict(self)


def typo(rng: random.Random, word: str) -> str:
    """One edit (swap, drop, double, replace) inside a word of five letters or more."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    op = rng.choice(("swap", "drop", "double", "replace"))
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeioursnt") + word[i + 1 :]


def _passage_ids(seeds: Path, meta: dict) -> dict[tuple[str, str], str]:
    """(file, quote) -> id of the passage holding the quote, for every quote the workload asks about."""
    wanted: dict[str, set[str]] = {}
    for r in meta["records"]:
        wanted.setdefault(r["file"], set()).add(r["quote"])
    for p in meta["people"].values():
        wanted.setdefault(p["cite"]["seed"], set()).add(p["cite"]["quote"])
    out: dict[tuple[str, str], str] = {}
    for file, quotes in wanted.items():
        text = (seeds / file).read_text(encoding="utf-8")
        for start, _end, sentence in split_passages(text):
            for q in quotes:
                if q in sentence or sentence in q:
                    out[(file, q)] = f"passage:{file}:{start}"
    return out


def build_workload(corpus: Path, meta: dict, n: int = 1200, seed: int = 7) -> list[Question]:
    rng = random.Random(seed)
    people, orgs = meta["people"], meta["orgs"]
    pid = _passage_ids(corpus / "seeds", meta)
    by_kind: dict[str, list[dict]] = {}
    for r in meta["records"]:
        by_kind.setdefault(r["kind"], []).append(r)

    def name_of(person_id: str) -> str:
        p = people[person_id]
        style = rng.random()
        if style < 0.45:
            out = p["name"]
        elif style < 0.75 and p["aliases"] and p["aliases"][0] == p["last"]:
            out = p["last"]  # surname alone, when the store knows it as an alias
        else:
            out = p["name"].lower()
        return out

    def org_of(org_id: str) -> str:
        o = orgs[org_id]
        r = rng.random()
        if r < 0.6:
            return o["name"]
        if r < 0.8 and o["aliases"]:
            return o["aliases"][0]
        return o["name"].lower()

    def passage(r: dict) -> list[str]:
        p = pid.get((r["file"], r["quote"]))
        return [p] if p else []

    def person_passage(person_id: str) -> list[str]:
        c = people[person_id]["cite"]
        p = pid.get((c["seed"], c["quote"]))
        return [p] if p else []

    questions: list[Question] = []

    def add(q: str, lang: str, kind: str, expect: list[str], is_list: bool = False) -> None:
        questions.append(Question(q, lang, kind, True, expect, is_list))

    makers = []

    def transfer_q() -> None:
        r = rng.choice(by_kind["transfer"])
        who, src, dst = r["who"], r["from"], r["to"]
        expect = [r["id"], who, *passage(r)]
        lang = rng.choice(("en", "fr"))
        w, s = name_of(who), org_of(src)
        if dst and r["status"] in ("confirmed", "reported"):
            d = org_of(dst)
            q = rng.choice(
                [
                    f"when did {w} join {d}?",
                    f"where did {w} go after {s}?",
                    f"did {w} leave {s} for {d}",
                    f"{w} {d} date??",
                    f"who hired {w}?",
                    f"When did {w} move from {s} to {d}?",
                ]
                if lang == "en"
                else [
                    f"quand {w} a rejoint {d} ?",
                    f"{w} est parti où ?",
                    f"quelle entreprise a recruté {w}",
                    f"date du transfert de {w}",
                    f"{w} a quitté {s} pour {d} ?",
                ]
            )
        else:
            q = rng.choice(
                [f"did {w} leave {s}?", f"where is {w} going after {s}", f"is {w} still at {s}?"]
                if lang == "en"
                else [f"{w} a quitté {s} ?", f"où va {w} après {s}", f"{w} est toujours chez {s} ?"]
            )
        add(q, lang, "transfer", expect)

    def pay_q() -> None:
        r = rng.choice(by_kind["pay"])
        expect = [r["id"], r["transfer"], *passage(r)]
        w, d = name_of(r["who"]), org_of(r["org"])
        lang = rng.choice(("en", "fr"))
        q = rng.choice(
            [
                f"how much did {d} offer {w}?",
                f"{w} salary?",
                f"what package did {w} get at {d}",
                f"how much is {w} paid lol",
            ]
            if lang == "en"
            else [
                f"combien {d} a proposé à {w}",
                f"salaire de {w} chez {d}",
                f"quelle rémunération pour {w} ?",
            ]
        )
        add(q, lang, "pay", expect)

    def why_q() -> None:
        r = rng.choice(by_kind["why"])
        expect = [r["id"], *passage(r)]
        w, s = name_of(r["who"]), org_of(r["org"])
        lang = rng.choice(("en", "fr"))
        q = (
            rng.choice([f"why did {w} leave {s}?", f"reason {w} quit {s}"])
            if lang == "en"
            else rng.choice([f"pourquoi {w} a quitté {s} ?", f"raison du départ de {w}"])
        )
        add(q, lang, "why", expect)

    def org_fact_q() -> None:
        kind = rng.choice(("invest", "lab", "headcount", "retention", "model", "founded"))
        r = rng.choice(by_kind[kind])
        expect = [r["id"], *passage(r)]
        o = org_of(r["org"])
        lang = rng.choice(("en", "fr"))
        t = r["topic"] if lang == "en" else r["topic_fr"]
        en = {
            "invest": [f"how much is {o} investing in {t}?", f"{o} investment in {t}"],
            "lab": [f"where did {o} open its {t} lab?", f"{o} new lab {t} where"],
            "headcount": [f"how many researchers does {o} have in {t}?", f"{o} {t} headcount"],
            "retention": [f"what retention bonuses does {o} offer?", f"{o} retention bonus"],
            "model": [f"what model did {o} release for {t}?", f"{r.get('product', '')} what is it"],
            "founded": [f"who founded {o}?", f"who is the cofounder of {o}"],
        }
        fr = {
            "invest": [f"combien {o} va investir dans {t} ?", f"investissement de {o} dans {t}"],
            "lab": [f"où {o} a ouvert son laboratoire sur {t} ?", f"labo de {o} pour {t}, c'est où"],
            "headcount": [f"combien de chercheurs chez {o} sur {t} ?", f"effectifs de {o} en {t}"],
            "retention": [f"quelles primes de fidélisation chez {o} ?", f"primes de fidélisation {o}"],
            "model": [f"quel modèle {o} a lancé pour {t} ?", f"c'est quoi {r.get('product', '')}"],
            "founded": [f"qui a fondé {o} ?", f"fondateur de {o}"],
        }
        q = rng.choice((en if lang == "en" else fr)[kind])
        add(q, lang, kind, expect + ([r["who"]] if kind == "founded" else []))

    def name_q() -> None:
        lang = rng.choice(("en", "fr"))
        if rng.random() < 0.65:
            p = rng.choice(list(people))
            w = name_of(p)
            q = rng.choice(
                [f"who is {w}?", f"{w}", f"tell me about {w}"]
                if lang == "en"
                else [f"c'est qui {w}", f"qui est {w} ?", f"{w} ?"]
            )
            add(q, lang, "name", [p, *person_passage(p)])
        else:
            o = rng.choice(list(orgs))
            w = org_of(o)
            q = rng.choice(
                [f"what is {w}?", f"tell me about {w}"]
                if lang == "en"
                else [f"c'est quoi {w} ?", f"présente-moi {w}"]
            )
            add(q, lang, "name", [o])

    def list_q() -> None:
        lang = rng.choice(("en", "fr"))
        companies = [o for o, v in orgs.items() if v["kind"] == "company"]
        o = rng.choice(companies)
        w = org_of(o)
        moved = [r["id"] for r in by_kind["transfer"] if o in (r["from"], r["to"])]
        if rng.random() < 0.15:
            q = rng.choice(
                ["latest transfers", "list all the recent moves"]
                if lang == "en"
                else ["derniers transferts", "liste des transferts"]
            )
            add(q, lang, "list", [r["id"] for r in by_kind["transfer"]], is_list=True)
            return
        q = rng.choice(
            [f"list recent moves at {w}", f"who left {w}?", f"all the transfers involving {w}"]
            if lang == "en"
            else [f"tous les départs de chez {w}", f"qui a quitté {w} ?", f"liste des transferts de {w}"]
        )
        add(q, lang, "list", moved + [o], is_list=True)

    def fake_name() -> str:
        first = rng.choice(FIRST_NAMES)[0]
        last = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(2)) + rng.choice("nrlsk")
        last = last.capitalize()
        while any(last.lower() == p["last"].lower() for p in people.values()):
            last += "a"
        return f"{first} {last}"

    def unanswerable_q() -> None:
        lang = rng.choice(("en", "fr"))
        r = rng.random()
        o = org_of(rng.choice(list(orgs)))
        if r < 0.4:
            f = fake_name()
            q = rng.choice(
                [f"how much did {o} pay {f}?", f"when did {f} join {o}?", f"who is {f}?"]
                if lang == "en"
                else [f"combien {o} a payé {f} ?", f"quand {f} a rejoint {o} ?", f"c'est qui {f} ?"]
            )
        elif r < 0.7:
            q = rng.choice(
                [
                    "what is the capital of Australia?",
                    "best pizza in naples?",
                    "who won the 2018 world cup",
                    "how do I bake sourdough bread",
                    "what's the weather tomorrow",
                ]
                if lang == "en"
                else [
                    "quelle est la capitale de l'Australie ?",
                    "qui a gagné la coupe du monde 2018",
                    "recette de la pâte à crêpes",
                    "quel temps fera-t-il demain ?",
                ]
            )
        else:
            w = name_of(rng.choice(list(people)))
            q = rng.choice(
                [f"what is {w}'s favourite food?", f"how old is {w}?", f"what car does {w} drive"]
                if lang == "en"
                else [f"quel âge a {w} ?", f"quel est le plat préféré de {w} ?", f"{w} a combien d'enfants ?"]
            )
        questions.append(Question(q, lang, "unanswerable", False))

    makers = [
        (transfer_q, 22),
        (pay_q, 14),
        (why_q, 6),
        (org_fact_q, 24),
        (name_q, 12),
        (list_q, 7),
        (unanswerable_q, 15),
    ]
    fns, weights = zip(*makers, strict=True)
    while len(questions) < n:
        rng.choices(fns, weights)[0]()
    # Typos in about a fifth of the questions: one edit in one long word (often a name).
    for q in questions:
        if rng.random() < 0.2:
            words = q.q.split(" ")
            longs = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
            if longs:
                i = rng.choice(longs)
                words[i] = typo(rng, words[i])
                q.q = " ".join(words)
                q.kind += "+typo"
    return questions
