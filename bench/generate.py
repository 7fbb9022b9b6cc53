"""Synthetic stores of any size: seed articles (English and French) plus curated knowledge.

Everything is deterministic (one seeded `random.Random`). The output is an ordinary seeds folder
(`*.txt` + `documents.yaml`) and knowledge folder (`people.yaml`, `organisations.yaml`,
`transfers.yaml`, `facts-NNN.yaml`) in the schema of knowledge/README.md, so the store is built
by the product's own `python -m bot build`. Every quote is a sentence cut verbatim from the
generated article it cites.

Sizes count what the store indexes: curated records (people, organisations, transfers, facts)
plus passages (every sentence of every article that the build keeps). Articles are added until
that total reaches the target.

    .venv/bin/python -m bench.generate 10000          # writes bench/out/10k/{seeds,knowledge,meta.json}
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import yaml

from bot.core.text import split_passages

OUT = Path(__file__).resolve().parent / "out"
GENERATOR_VERSION = "5"

MONTHS_EN = "January February March April May June July August September October November December".split()
MONTHS_FR = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()

FIRST_NAMES = [
    # (name, "m"/"f")
    *[
        (n, "m")
        for n in (
            "Alexandre Ahmed Aarav Adrien Alan Amir Andrei Antoine Arjun Bastien Ben Bruno Carlos Chen Daniel "
            "David Dmitri Elias Emeka Enzo Ethan Farid Felix Gabriel Hamza Hiroshi Hugo Ivan Jakub Jamal Jean "
            "Jonas Jorge Julien Kai Karim Kenji Kwame Lars Leo Liam Lucas Luis Marco Mateo Mehdi Miguel Minh "
            "Nikolai Noah Olivier Omar Pablo Pierre Rafael Rahul Ravi Samir Santiago Sebastian Sergei Tariq Theo "
            "Thomas Tobias Vikram Wei Xavier Yann Yusuf Zhang"
        ).split()
    ],
    *[
        (n, "f")
        for n in (
            "Aisha Alice Amara Ana Anaïs Anya Beatriz Camille Carmen Chloé Clara Daria Elena Élodie Emma Fatima "
            "Freya Hana Ines Ingrid Isabel Jade Julia Kavya Keiko Lea Leila Lina Lucia Maya Mei Mila Nadia Naomi "
            "Nina Noor Olga Priya Rosa Sakura Sara Sofia Solène Tara Valentina Yasmin Yuki Zara Zoé Zeynep"
        ).split()
    ],
]
ONSETS = "b br c ch d dr f g gr h j k kr l m n p pr r s st t tr v w z sh vl".split()
VOWELS = "a e i o u a e i o ai ei ou ia y".split()
CODAS = ["", "", "n", "r", "l", "s", "k", "m", "x", "th", "nd", "rt", "v"]
ORG_SUFFIXES = ["AI", "Labs", "Systems", "Robotics", "Research", "Dynamics", "Technologies", "Intelligence"]
CITIES = (
    "Paris London Berlin Zurich Toronto Montreal Seattle Austin Boston Tokyo Seoul Singapore Bangalore "
    "Tel-Aviv Amsterdam Stockholm Madrid Lisbon Dublin Munich Warsaw Sydney Denver Chicago Lyon Grenoble "
    "Beijing Shenzhen Taipei Helsinki Oslo Copenhagen Vienna Prague Milan Barcelona Nairobi Lagos Dubai"
).split()
TOPICS = [
    ("reinforcement learning", "l'apprentissage par renforcement"),
    ("computer vision", "la vision par ordinateur"),
    ("speech recognition", "la reconnaissance vocale"),
    ("robotics", "la robotique"),
    ("chip design", "la conception de puces"),
    ("foundation models", "les modèles de fondation"),
    ("machine translation", "la traduction automatique"),
    ("protein folding", "le repliement des protéines"),
    ("self-driving cars", "les voitures autonomes"),
    ("AI safety", "la sûreté de l'IA"),
    ("code generation", "la génération de code"),
    ("recommendation systems", "les systèmes de recommandation"),
    ("medical imaging", "l'imagerie médicale"),
    ("weather forecasting", "la prévision météorologique"),
    ("data centers", "les centres de données"),
    ("quantum computing", "l'informatique quantique"),
    ("on-device inference", "l'inférence embarquée"),
    ("search engines", "les moteurs de recherche"),
    ("video generation", "la génération de vidéos"),
    ("drug discovery", "la découverte de médicaments"),
    ("cybersecurity", "la cybersécurité"),
    ("humanoid robots", "les robots humanoïdes"),
    ("language models", "les modèles de langage"),
    ("AI agents", "les agents d'IA"),
]
ROLES = [
    ("head of research", "directeur de la recherche"),
    ("chief scientist", "directeur scientifique"),
    ("principal engineer", "ingénieur principal"),
    ("research scientist", "chercheur"),
    ("head of the vision team", "chef de l'équipe vision"),
    ("vice president of AI", "vice-président IA"),
    ("lead of the language team", "responsable de l'équipe langage"),
    ("chief technology officer", "directeur technique"),
    ("head of infrastructure", "responsable de l'infrastructure"),
    ("senior researcher", "chercheur senior"),
]
SOURCES = [
    "Bloomberg",
    "Reuters",
    "The Information",
    "the Financial Times",
    "Les Echos",
    "Le Monde",
    "TechCrunch",
]
REASONS = [
    ("a disagreement over strategy", "un désaccord sur la stratégie"),
    ("the lack of computing resources", "le manque de moyens de calcul"),
    ("a better offer", "une meilleure offre"),
    ("family reasons", "des raisons familiales"),
    ("the slow pace of research", "la lenteur de la recherche"),
    ("a wish to start a company", "l'envie de créer une entreprise"),
]
STATUS_WEIGHTS = [("confirmed", 60), ("reported", 25), ("destination_unknown", 10), ("considering", 5)]
PROFANITY = {
    "fuck",
    "fucking",
    "shit",
    "bitch",
    "cunt",
    "dick",
    "pussy",
    "porn",
    "nigga",
    "twat",
    "cock",
    "putain",
    "merde",
    "salope",
    "connard",
    "bite",
}


def _month(lang: str, date: str) -> str:
    y, m = date.split("-")[:2]
    return f"{(MONTHS_EN if lang == 'en' else MONTHS_FR)[int(m) - 1]} {y}"


@dataclass
class Person:
    id: str
    name: str
    first: str
    last: str
    gender: str
    aliases: list[str] = field(default_factory=list)
    summary: dict[str, str] | None = None
    cite: list[dict[str, str]] = field(default_factory=list)
    org: str | None = None


@dataclass
class Org:
    id: str
    name: str
    base: str
    aliases: list[str]
    kind: str
    city: str
    parent: str | None = None
    topic: tuple[str, str] | None = None
    summary: dict[str, str] | None = None
    cite: list[dict[str, str]] = field(default_factory=list)


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.people: dict[str, Person] = {}
        self.orgs: dict[str, Org] = {}
        self.transfers: list[dict] = []
        self.facts: list[dict] = []
        self.documents: list[dict] = []
        self.texts: dict[str, str] = {}
        self.passages = 0
        self.meta_facts: list[dict] = []  # what the workload needs to ask about each record
        self._used_words: set[str] = set()
        self._fact_n = 0
        self._words: dict[str, tuple[list[str], list[float]]] = {}
        from wordfreq import top_n_list, word_frequency

        for lang in ("en", "fr"):
            words = [
                w
                for w in top_n_list(lang, 30000)
                if w.isalpha() and (len(w) > 1 or w in ("a", "à", "y")) and w not in PROFANITY
            ]
            freqs = [word_frequency(w, lang) for w in words]
            self._words[lang] = (words, list(accumulate(freqs)))

    # -- names -------------------------------------------------------------------------------

    def _word(self, syllables: int) -> str:
        rng = self.rng
        while True:
            w = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(syllables)) + rng.choice(CODAS)
            w = w[:1].upper() + w[1:]
            if 4 <= len(w) <= 11 and w.lower() not in self._used_words:
                self._used_words.add(w.lower())
                return w

    def new_person(self) -> Person:
        first, gender = self.rng.choice(FIRST_NAMES)
        last = self._word(self.rng.choice((2, 2, 3)))
        if self.rng.random() < 0.08:
            last = last.replace("e", "é", 1) if "e" in last[1:] else last.replace("o", "ö", 1)
        name = f"{first} {last}"
        pid = f"p-{_slug(first)}-{_slug(last)}"
        p = Person(pid, name, first, last, gender)
        self.people[pid] = p
        return p

    def new_org(self, parent: Org | None = None) -> Org:
        rng = self.rng
        base = self._word(rng.choice((2, 2, 3)))
        if parent is not None:
            kind = rng.choice(("lab", "team"))
            topic = rng.choice(TOPICS)
            word = "Lab" if kind == "lab" else "Team"
            name = f"{parent.base} {base} {word}"
            aliases = [f"{base} {word}"]
            city = parent.city
        else:
            kind = "company"
            suffix = rng.choice(ORG_SUFFIXES + ["", ""])
            name = f"{base} {suffix}".strip()
            aliases = [base] if suffix else []
            aliases.append(f"{base} Group" if rng.random() < 0.5 else f"groupe {base}")
            city = rng.choice(CITIES)
        oid = f"o-{_slug(base)}"
        org = Org(oid, name, base, aliases, kind, city, parent.id if parent else None)
        if parent is not None:
            org.topic = topic
        self.orgs[oid] = org
        return org

    # -- sentences ---------------------------------------------------------------------------

    def filler(self, lang: str, orgs: list[Org], people: list[Person]) -> str:
        """A sentence with the word statistics of real text (sampled by word frequency)."""
        rng = self.rng
        if rng.random() < 0.45:
            return self.domain_filler(lang, orgs, people)
        words, cum = self._words[lang]
        total = cum[-1]
        n = rng.randint(9, 24)
        picks = [words[min(bisect.bisect_left(cum, rng.random() * total), len(words) - 1)] for _ in range(n)]
        if rng.random() < 0.35 and orgs:
            picks.insert(rng.randrange(1, len(picks)), rng.choice(orgs).name)
        s = " ".join(picks)
        return s[:1].upper() + s[1:] + "."

    def domain_filler(self, lang: str, orgs: list[Org], people: list[Person]) -> str:
        rng = self.rng
        org = rng.choice(orgs).name
        t_en, t_fr = rng.choice(TOPICS)
        year = rng.choice(("2024", "2025", "2026"))
        n = rng.randint(2, 40)
        if lang == "en":
            return rng.choice(
                [
                    f"{org} did not respond to a request for comment.",
                    f"Analysts expect competition for {t_en} experts to intensify in {year}.",
                    f"The market for {t_en} talent has never been so tight, according to recruiters.",
                    f"Several engineers from {org} have already followed the same path.",
                    f"{org} has been hiring aggressively in {t_en} for {n} months.",
                    f"The deal reflects how much big tech now values experience in {t_en}.",
                    f"Investors are watching {org} closely after a difficult quarter.",
                    f"Recruiters say packages for senior {t_en} researchers doubled since {int(year) - 2}.",
                ]
            )
        return rng.choice(
            [
                f"{org} n'a pas répondu à nos sollicitations.",
                f"Les analystes s'attendent à ce que la concurrence pour les experts en {t_fr} s'intensifie en {year}.",
                f"Le marché des talents en {t_fr} n'a jamais été aussi tendu, selon les recruteurs.",
                f"Plusieurs ingénieurs de {org} ont déjà suivi le même chemin.",
                f"{org} recrute massivement dans {t_fr} depuis {n} mois.",
                f"Cet accord montre combien les géants de la tech valorisent l'expérience en {t_fr}.",
                f"Les investisseurs surveillent {org} de près après un trimestre difficile.",
                f"Selon les recruteurs, les enveloppes des chercheurs seniors en {t_fr} ont doublé depuis {int(year) - 2}.",
            ]
        )

    # -- one article -------------------------------------------------------------------------

    def pick_org(self, new_p: float) -> Org:
        companies = [o for o in self._companies]
        if not companies or self.rng.random() < new_p:
            org = self.new_org()
            self._companies.append(org)
            self._new_orgs.append(org)
            return org
        return self.rng.choice(companies)

    def article(self, n: int) -> None:
        rng = self.rng
        lang = "en" if rng.random() < 0.5 else "fr"
        year = rng.choice(("2023", "2024", "2025"))
        month = rng.randint(1, 12)
        date = f"{year}-{month:02d}"
        file = f"{n:05d}_{rng.getrandbits(40):010x}.txt"
        self._new_orgs: list[Org] = []
        if not hasattr(self, "_companies"):
            self._companies: list[Org] = []
        new_org_p = max(0.12, 0.9 / (1 + len(self._companies) / 40))
        src, dst = self.pick_org(new_org_p), self.pick_org(new_org_p)
        while dst is src:
            dst = self.pick_org(1.0)
        orgs = [src, dst]
        if rng.random() < 0.15:
            sub = self.new_org(parent=dst)
            self._new_orgs.append(sub)
            orgs.append(sub)
        paragraphs: list[list[str]] = []
        records: list[tuple[str, dict, list[str]]] = []  # (kind, record, sentences cited)
        people: list[Person] = []

        # Organisation introductions (every new organisation is introduced where it first appears).
        intro = []
        for org in self._new_orgs:
            if org.kind == "company":
                s = (
                    f"{org.name}, also known as {org.aliases[-1]}, is an AI company based in {org.city}."
                    if lang == "en"
                    else f"{org.name}, aussi appelée {org.aliases[-1]}, est une entreprise d'IA basée à {org.city}."
                )
                org.summary = {
                    "en": f"{org.name} ({org.aliases[-1]}): an AI company based in {org.city}.",
                    "fr": f"{org.name} ({org.aliases[-1]}) : une entreprise d'IA basée à {org.city}.",
                }
            else:
                parent = self.orgs[org.parent]  # type: ignore[index]
                word = "lab" if org.kind == "lab" else "team"
                t_en, t_fr = org.topic  # type: ignore[misc]
                the_fr = "le laboratoire" if word == "lab" else "l'équipe"
                s = (
                    f"{org.name}, the {word} that {parent.name} set up in {org.city}, works on {t_en}."
                    if lang == "en"
                    else f"{org.name}, {the_fr} de {parent.name} à {org.city}, travaille sur {t_fr}."
                )
                org.summary = {
                    "en": f"{org.name}: the {word} of {parent.name} in {org.city}, working on {t_en}.",
                    "fr": f"{org.name} : {the_fr} de {parent.name} à {org.city}, qui travaille sur {t_fr}.",
                }
            org.cite = [{"seed": file, "quote": s}]
            intro.append(s)

        # Transfers: one or two moves, each a few sentences.
        for _ in range(rng.choice((1, 1, 2))):
            if self.people and rng.random() < 0.25:
                p = rng.choice(list(self.people.values())[-500:])
                if p in people:
                    p = self.new_person()
            else:
                p = self.new_person()
            people.append(p)
            status = rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]
            role_b, role_a = rng.choice(ROLES), rng.choice(ROLES)
            years = rng.randint(2, 9)
            day = rng.randint(1, 28)
            t_date = f"{year}-{month:02d}"
            when_en, when_fr = _month("en", t_date), _month("fr", t_date)
            source = rng.choice(SOURCES)
            pron_en = "he" if p.gender == "m" else "she"
            pron_fr = "il" if p.gender == "m" else "elle"
            sents = []
            rec: dict = {"id": f"t-{_slug(p.last)}-{len(self.transfers)}", "who": p.id, "from": src.id}
            if status == "confirmed":
                sents.append(
                    f"{p.name}, who spent {years} years as {role_b[0]} at {src.name}, has joined {dst.name} as {role_a[0]}."
                    if lang == "en"
                    else f"{p.name}, qui a passé {years} ans comme {role_b[1]} chez {src.name}, a rejoint {dst.name} au poste de {role_a[1]}."
                )
                sents.append(
                    f"{dst.name} confirmed the hire on {when_en.split()[0]} {day}, {year}."
                    if lang == "en"
                    else f"{dst.name} a confirmé le recrutement le {day} {when_fr}."
                )
                rec.update(to=dst.id, date=f"{t_date}-{day:02d}", status=status)
                summary = {
                    "en": f"{p.name} moved from {src.name} to {dst.name} in {when_en}.",
                    "fr": f"{p.name} est passé{'e' if p.gender == 'f' else ''} de {src.name} à {dst.name} en {when_fr}.",
                }
            elif status == "reported":
                sents.append(
                    f"According to {source}, {p.name} is leaving {src.name} for {dst.name} this {when_en.split()[0]}."
                    if lang == "en"
                    else f"Selon {source}, {p.name} quitte {src.name} pour {dst.name} ce mois de {when_fr}."
                )
                rec.update(to=dst.id, date=t_date, status=status)
                summary = {
                    "en": f"{p.name} is reportedly leaving {src.name} for {dst.name} ({when_en}, says {source}).",
                    "fr": f"{p.name} quitterait {src.name} pour {dst.name} ({when_fr}, selon {source}).",
                }
            elif status == "destination_unknown":
                sents.append(
                    f"{p.name} left {src.name} in {when_en} and has not said where {pron_en} will go next."
                    if lang == "en"
                    else f"{p.name} a quitté {src.name} en {when_fr} sans dire où {pron_fr} ira ensuite."
                )
                rec.update(date=t_date, status=status)
                summary = {
                    "en": f"{p.name} left {src.name} in {when_en}; destination unknown.",
                    "fr": f"{p.name} a quitté {src.name} en {when_fr} ; destination inconnue.",
                }
            else:
                sents.append(
                    f"{p.name}, {role_b[0]} at {src.name}, is reportedly considering an offer from {dst.name}."
                    if lang == "en"
                    else f"{p.name}, {role_b[1]} chez {src.name}, envisagerait de rejoindre {dst.name}."
                )
                rec.update(to=dst.id, status=status)
                summary = {
                    "en": f"{p.name} ({src.name}) is considering an offer from {dst.name}.",
                    "fr": f"{p.name} ({src.name}) envisage de rejoindre {dst.name}.",
                }
            rec["role_before"] = {"en": role_b[0].capitalize(), "fr": role_b[1].capitalize()}
            if status == "confirmed":
                rec["role_after"] = {"en": role_a[0].capitalize(), "fr": role_a[1].capitalize()}
            rec["summary"] = summary
            cited = list(sents)
            package = None
            if status in ("confirmed", "reported") and rng.random() < 0.6:
                amount = rng.choice((5, 10, 20, 25, 40, 50, 75, 100, 150, 200, 250, 300))
                s = (
                    f"{source[:1].upper() + source[1:]} reported that {dst.name} offered {p.name} a package worth more than {amount} million dollars."
                    if lang == "en"
                    else f"Selon {source}, {dst.name} aurait proposé à {p.name} une enveloppe de plus de {amount} millions de dollars."
                )
                sents.append(s)
                cited.append(s)
                rec["package"] = {
                    "en": f"More than ${amount} million",
                    "fr": f"Plus de {amount} millions de dollars",
                }
                rec["package_source"] = source
                package = (amount, s)
            rec["cite"] = [{"seed": file, "quote": q} for q in cited]
            self.transfers.append(rec)
            records.append(("transfer", rec, cited))
            self.meta_facts.append(
                {
                    "kind": "transfer",
                    "id": rec["id"],
                    "who": p.id,
                    "from": src.id,
                    "to": rec.get("to"),
                    "status": status,
                    "date": rec.get("date"),
                    "package": package[0] if package else None,
                    "file": file,
                    "quote": sents[0],
                }
            )
            if p.summary is None:
                p.summary = {
                    "en": f"{p.name}: {role_b[0]} at {src.name} for {years} years; {summary['en'][len(p.name) + 1 :]}",
                    "fr": f"{p.name} : {role_b[1]} chez {src.name} pendant {years} ans ; {summary['fr'][len(p.name) + 1 :]}",
                }
                p.cite = [{"seed": file, "quote": sents[0]}]
                p.org = src.id
            if package:
                amount, s = package
                fid = self._fid("pay", p.last)
                fact = {
                    "id": fid,
                    "topic": {"en": f"{p.name}'s pay package", "fr": f"Le package de {p.name}"},
                    "about": [p.id, dst.id],
                    "answers": ["how_much", "what"],
                    "keywords": {
                        "en": [
                            "how much",
                            "pay",
                            "salary",
                            "compensation",
                            "package",
                            "offer",
                            "money",
                            f"{amount} million",
                        ],
                        "fr": [
                            "combien",
                            "salaire",
                            "rémunération",
                            "enveloppe",
                            "offre",
                            "argent",
                            f"{amount} millions",
                        ],
                    },
                    "text": {
                        "en": f"More than ${amount} million: the package {dst.name} reportedly offered {p.name}, according to {source}.",
                        "fr": f"Plus de {amount} millions de dollars : l'enveloppe que {dst.name} aurait proposée à {p.name}, selon {source}.",
                    },
                    "cite": [{"seed": file, "quote": s}],
                }
                self.facts.append(fact)
                self.meta_facts.append(
                    {
                        "kind": "pay",
                        "id": fid,
                        "who": p.id,
                        "org": dst.id,
                        "amount": amount,
                        "transfer": rec["id"],
                        "file": file,
                        "quote": s,
                    }
                )
            if rng.random() < 0.3:
                r_en, r_fr = rng.choice(REASONS)
                s = (
                    f"{p.name} said {pron_en} left {src.name} because of {r_en}."
                    if lang == "en"
                    else f"{p.name} a expliqué avoir quitté {src.name} en raison de {r_fr}."
                )
                sents.append(s)
                fid = self._fid("why", p.last)
                self.facts.append(
                    {
                        "id": fid,
                        "topic": {
                            "en": f"Why {p.name} left {src.name}",
                            "fr": f"Pourquoi {p.name} a quitté {src.name}",
                        },
                        "about": [p.id, src.id],
                        "answers": ["why"],
                        "keywords": {
                            "en": ["why", "reason", "left", "quit"],
                            "fr": ["pourquoi", "raison", "quitté", "départ"],
                        },
                        "text": {
                            "en": f"Because of {r_en}: that is why {p.name} says {pron_en} left {src.name}.",
                            "fr": f"En raison de {r_fr} : c'est pourquoi {p.name} dit avoir quitté {src.name}.",
                        },
                        "cite": [{"seed": file, "quote": s}],
                    }
                )
                self.meta_facts.append(
                    {"kind": "why", "id": fid, "who": p.id, "org": src.id, "file": file, "quote": s}
                )
            paragraphs.append(sents)

        # General facts about the organisations.
        facts_here = rng.randint(2, 5)
        for _ in range(facts_here):
            org = rng.choice(orgs)
            paragraphs.append([self.org_fact(lang, file, org, year)])

        # Filler paragraphs to an article's usual length.
        body = 0
        target = rng.randint(14, 26)
        while body < target:
            k = rng.randint(2, 5)
            paragraphs.append([self.filler(lang, orgs, people) for _ in range(k)])
            body += k
        rng.shuffle(paragraphs)
        if intro:
            paragraphs.insert(0, intro)
        lead = people[0]
        title = (
            f"{dst.name} hires {lead.name} from {src.name}"
            if lang == "en"
            else f"{dst.name} recrute {lead.name} chez {src.name}"
        )
        text = title + "\n\n" + "\n\n".join(" ".join(p) for p in paragraphs) + "\n"
        self.texts[file] = text
        self.passages += sum(1 for _ in split_passages(text))
        self.documents.append(
            {"file": file, "title": title, "language": lang, "date": date, "publisher": None, "url": None}
        )

    def _fid(self, kind: str, word: str) -> str:
        self._fact_n += 1
        return f"f-{kind}-{_slug(word)}-{self._fact_n}"

    def org_fact(self, lang: str, file: str, org: Org, year: str) -> str:
        rng = self.rng
        kind = rng.choice(("invest", "lab", "headcount", "retention", "model", "founded"))
        t_en, t_fr = rng.choice(TOPICS)
        fid = self._fid(kind, org.base)
        meta: dict = {"kind": kind, "id": fid, "org": org.id, "topic": t_en, "topic_fr": t_fr}
        if kind == "invest":
            x, n = rng.randint(1, 60), rng.randint(2, 10)
            s = (
                f"{org.name} plans to invest {x} billion dollars in {t_en} over the next {n} years."
                if lang == "en"
                else f"{org.name} prévoit d'investir {x} milliards de dollars dans {t_fr} au cours des {n} prochaines années."
            )
            topic = {
                "en": f"{org.name}'s investment in {t_en}",
                "fr": f"L'investissement de {org.name} dans {t_fr}",
            }
            answers = ["how_much", "what"]
            kws = {
                "en": ["invest", "investment", "spend", "billion", "budget"],
                "fr": ["investir", "investissement", "milliards", "budget"],
            }
            text = {
                "en": f"{x} billion dollars over {n} years: what {org.name} plans to invest in {t_en}.",
                "fr": f"{x} milliards de dollars sur {n} ans : ce que {org.name} prévoit d'investir dans {t_fr}.",
            }
        elif kind == "lab":
            city = rng.choice(CITIES)
            s = (
                f"{org.name} opened a new research lab in {city} focused on {t_en}."
                if lang == "en"
                else f"{org.name} a ouvert un nouveau laboratoire de recherche à {city} consacré à {t_fr}."
            )
            topic = {"en": f"{org.name}'s lab in {city}", "fr": f"Le laboratoire de {org.name} à {city}"}
            answers = ["where", "what"]
            kws = {
                "en": ["lab", "laboratory", "office", "opened", "city"],
                "fr": ["laboratoire", "labo", "ouvert", "ville"],
            }
            text = {
                "en": f"In {city}: {org.name} opened a new research lab there, focused on {t_en}.",
                "fr": f"À {city} : {org.name} y a ouvert un nouveau laboratoire de recherche consacré à {t_fr}.",
            }
            meta["city"] = city
        elif kind == "headcount":
            n = rng.choice((40, 80, 120, 200, 350, 500, 800, 1200, 2000))
            s = (
                f"{org.name} now employs about {n} researchers working on {t_en}."
                if lang == "en"
                else f"{org.name} emploie désormais environ {n} chercheurs qui travaillent sur {t_fr}."
            )
            topic = {
                "en": f"{org.name}'s research headcount",
                "fr": f"Les effectifs de recherche de {org.name}",
            }
            answers = ["how_much"]
            kws = {
                "en": ["how many", "headcount", "researchers", "employees", "staff"],
                "fr": ["combien", "effectifs", "chercheurs", "employés"],
            }
            text = {
                "en": f"About {n} researchers: {org.name}'s headcount in {t_en}.",
                "fr": f"Environ {n} chercheurs : les effectifs de {org.name} dans {t_fr}.",
            }
        elif kind == "retention":
            x = rng.choice((1, 2, 3, 5, 8, 10, 15))
            s = (
                f"{org.name} introduced retention bonuses of up to {x} million dollars for its senior researchers."
                if lang == "en"
                else f"{org.name} a instauré des primes de fidélisation allant jusqu'à {x} millions de dollars pour ses chercheurs seniors."
            )
            topic = {
                "en": f"{org.name}'s retention bonuses",
                "fr": f"Les primes de fidélisation de {org.name}",
            }
            answers = ["how_much", "how"]
            kws = {
                "en": ["retention", "bonus", "bonuses", "keep", "retain"],
                "fr": ["fidélisation", "prime", "primes", "garder", "retenir"],
            }
            text = {
                "en": f"Up to {x} million dollars: the retention bonuses {org.name} offers its senior researchers.",
                "fr": f"Jusqu'à {x} millions de dollars : les primes de fidélisation de {org.name} pour ses chercheurs seniors.",
            }
        elif kind == "model":
            product = f"{org.base}-{rng.choice(('Nova', 'Atlas', 'Orion', 'Pulse', 'Echo', 'Vega'))}-{rng.randint(1, 9)}"
            s = (
                f"{org.name} released {product}, a new model for {t_en}, in {_month('en', year + '-' + str(rng.randint(1, 12)).zfill(2))}."
                if lang == "en"
                else f"{org.name} a lancé {product}, un nouveau modèle pour {t_fr}."
            )
            topic = {"en": f"{org.name}'s model {product}", "fr": f"Le modèle {product} de {org.name}"}
            answers = ["what", "when"]
            kws = {
                "en": ["model", "release", "released", "launch", product],
                "fr": ["modèle", "lancé", "sorti", product],
            }
            text = {
                "en": f"{product}: a new model from {org.name} for {t_en}.",
                "fr": f"{product} : un nouveau modèle de {org.name} pour {t_fr}.",
            }
            meta["product"] = product
        else:  # founded
            p = self.new_person()
            fy = rng.randint(1998, 2022)
            s = (
                f"{p.name} co-founded {org.name} in {fy}."
                if lang == "en"
                else f"{p.name} a cofondé {org.name} en {fy}."
            )
            p.summary = {
                "en": f"{p.name}: co-founder of {org.name} ({fy}).",
                "fr": f"{p.name} : cofondat{'rice' if p.gender == 'f' else 'eur'} de {org.name} ({fy}).",
            }
            p.cite = [{"seed": file, "quote": s}]
            p.org = org.id
            topic = {"en": f"Who founded {org.name}", "fr": f"Les fondateurs de {org.name}"}
            answers = ["who", "when"]
            kws = {
                "en": ["founded", "founder", "cofounder", "created"],
                "fr": ["fondé", "fondateur", "cofondé", "créé"],
            }
            text = {
                "en": f"{p.name} co-founded {org.name} in {fy}.",
                "fr": f"{p.name} a cofondé {org.name} en {fy}.",
            }
            meta.update(who=p.id, year=fy)
        about = [org.id] + ([meta["who"]] if "who" in meta else [])
        self.facts.append(
            {
                "id": fid,
                "topic": topic,
                "about": about,
                "answers": answers,
                "keywords": kws,
                "text": text,
                "cite": [{"seed": file, "quote": s}],
            }
        )
        meta.update(file=file, quote=s)
        self.meta_facts.append(meta)
        return s

    # -- totals and output -------------------------------------------------------------------

    @property
    def items(self) -> int:
        return len(self.people) + len(self.orgs) + len(self.transfers) + len(self.facts) + self.passages

    def finish(self) -> None:
        """Aliases that depend on the whole population: a surname alone only when it is unique."""
        by_last: dict[str, int] = {}
        for p in self.people.values():
            by_last[p.last.lower()] = by_last.get(p.last.lower(), 0) + 1
        for p in self.people.values():
            aliases = []
            if by_last[p.last.lower()] == 1:
                aliases.append(p.last)
            aliases.append(f"{p.first[0]}. {p.last}")
            p.aliases = aliases

    def write(self, out: Path, target: int) -> dict:
        seeds, knowledge = out / "seeds", out / "knowledge"
        for d in (seeds, knowledge):
            if d.exists():
                shutil.rmtree(d)
            d.mkdir(parents=True)
        for file, text in self.texts.items():
            (seeds / file).write_text(text, encoding="utf-8")
        dump = lambda data, path: path.write_text(  # noqa: E731
            yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=10_000),
            encoding="utf-8",
        )
        dump({"documents": self.documents}, seeds / "documents.yaml")
        dump(
            {
                "people": [
                    {"id": p.id, "name": p.name, "aliases": p.aliases, "summary": p.summary, "cite": p.cite}
                    for p in self.people.values()
                ]
            },
            knowledge / "people.yaml",
        )
        orgs = []
        for o in self.orgs.values():
            rec = {"id": o.id, "name": o.name, "aliases": o.aliases, "kind": o.kind}
            if o.parent:
                rec["parent"] = o.parent
            rec.update(summary=o.summary, cite=o.cite)
            orgs.append(rec)
        dump({"organisations": orgs}, knowledge / "organisations.yaml")
        dump({"transfers": self.transfers}, knowledge / "transfers.yaml")
        for i in range(0, len(self.facts), 2000):
            dump({"facts": self.facts[i : i + 2000]}, knowledge / f"facts-{i // 2000:03d}.yaml")
        meta = {
            "generator": GENERATOR_VERSION,
            "target": target,
            "documents": len(self.documents),
            "people": {
                p.id: {
                    "name": p.name,
                    "first": p.first,
                    "last": p.last,
                    "aliases": p.aliases,
                    "org": p.org,
                    "cite": p.cite[0],
                }
                for p in self.people.values()
            },
            "orgs": {
                o.id: {
                    "name": o.name,
                    "base": o.base,
                    "aliases": o.aliases,
                    "kind": o.kind,
                    "parent": o.parent,
                    "topic": o.topic,
                }
                for o in self.orgs.values()
            },
            "records": self.meta_facts,
            "counts": {
                "people": len(self.people),
                "organisations": len(self.orgs),
                "transfers": len(self.transfers),
                "facts": len(self.facts),
                "passages": self.passages,
                "items": self.items,
            },
        }
        (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        return meta


def _slug(text: str) -> str:
    import unicodedata

    t = unicodedata.normalize("NFKD", text.lower())
    t = "".join(c for c in t if c.isascii() and (c.isalnum() or c == " "))
    return "-".join(t.split())


def label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def generate(size: int, out: Path | None = None, seed: int = 20250701) -> tuple[Path, dict]:
    """Generate a corpus whose store will hold about `size` items; cached by size, seed and version."""
    out = out or OUT / label(size)
    meta_path = out / "meta.json"
    if meta_path.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if (
            meta.get("generator") == GENERATOR_VERSION
            and meta.get("target") == size
            and meta.get("seed") == seed
        ):
            return out, meta
    g = Generator(seed + size)
    n = 0
    while g.items < size:
        g.article(n)
        n += 1
    g.finish()
    out.mkdir(parents=True, exist_ok=True)
    meta = g.write(out, size)
    meta["seed"] = seed
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return out, meta


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sizes", nargs="+", type=int)
    args = p.parse_args(argv)
    for size in args.sizes:
        t = time.perf_counter()
        out, meta = generate(size)
        print(f"{out}: {meta['counts']} in {time.perf_counter() - t:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
