"""Extracted reports → one transfer per move, the newest report as its current state.

Every article's reports of the same move (same person, same destination) are merged: the newest
source decides the status; an earlier state is kept and mentioned; two sources that disagree on
the package with no later correction are both given, each with its source. A curated transfer for
the same move wins, and curated people and organisations keep their ids.
"""

from __future__ import annotations

import re
from typing import Any

from .extract import ORG_PARENTS, STAGE, KnownOrgs, Report, extract_article, same_person
from .knowledge import Knowledge
from .models import Citation, Document, Entity, Lang, Transfer
from .text import fold

STATUS_WORDS = {
    "joined": {"en": "joined", "fr": "a rejoint"},
    "left": {"en": "left", "fr": "a quitté"},
    "set_to_join": {"en": "set to join", "fr": "va rejoindre"},
    "in_talks": {"en": "in talks to join", "fr": "en discussions avec"},
    "turned_down": {"en": "turned down an offer from", "fr": "a refusé une offre de"},
    "returned": {"en": "returned to", "fr": "est revenu(e) chez"},
    "considering": {"en": "considering an offer from", "fr": "envisage une offre de"},
}
UNREVIEWED = {
    "en": "reported by the article, not yet reviewed",
    "fr": "rapporté par l'article, pas encore vérifié",
}
MONTHS = {
    "en": "January February March April May June July August September October November December".split(),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
}


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def when(value: str | None, lang: str) -> str:
    """ "2025-09-29" → "September 29, 2025" / "29 septembre 2025"."""
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS["fr" if lang == "fr" else "en"][int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    day = int(parts[2])
    return f"{day} {month} {parts[0]}" if lang == "fr" else f"{month} {day}, {parts[0]}"


def _order(reports: list[Report]) -> list[Report]:
    """Oldest first by the article's date; an undated article's report goes after the dated ones
    it completes ("set to join" then, undated, "joined")."""
    dated = sorted((r for r in reports if r.reported), key=lambda r: r.reported or "")
    for r in (r for r in reports if not r.reported):
        stage = STAGE.get(r.status, 3)
        at = 0
        for n, d in enumerate(dated):
            if STAGE.get(d.status, 3) <= stage:
                at = n + 1
        dated.insert(at, r)
    return dated


class _Ids:
    """Names to entity ids: curated names and aliases first, then one id per new name."""

    def __init__(self, kb: Knowledge) -> None:
        self.kb = kb
        self.by_name: dict[str, str] = {}
        for ent in kb.entities.values():
            for n in (ent.name, *ent.aliases):
                self.by_name.setdefault(fold(n), ent.id)
        self.new: dict[str, Entity] = {}
        self.spellings: dict[str, set[str]] = {}
        # People by folded surname, curated first, then new ones as they come: same_person()
        # holds only between names with the same surname, so only these are compared.
        self.by_surname: dict[str, list[Entity]] = {}
        for ent in kb.entities.values():
            if ent.is_person:
                self._index_person(ent)

    def _index_person(self, ent: Entity) -> None:
        words = fold(ent.name).split()
        if len(words) >= 2:
            self.by_surname.setdefault(words[-1], []).append(ent)

    def person(self, name: str) -> str:
        key = fold(name)
        if key in self.by_name:
            return self.by_name[key]
        words = key.split()
        for ent in self.by_surname.get(words[-1], []) if len(words) >= 2 else []:
            if same_person(ent.name, name):
                self.spellings.setdefault(ent.id, set()).add(name)
                self.by_name[key] = ent.id
                return ent.id
        # A new person's id is the name itself: shown as is, and never an entity that questions
        # would be matched against (answers quote the article's passages instead).
        ent = self.new[name] = Entity(name, "person", name, (), {})
        self._index_person(ent)
        self.by_name[key] = name
        return name

    def org(self, name: str | None) -> str | None:
        if name is None:
            return None
        key = fold(name)
        if key in self.by_name:
            return self.by_name[key]
        parent = ORG_PARENTS.get(name)
        kind = "team" if parent else "company"
        self.new[name] = Entity(name, kind, name, (), {}, self.org(parent) if parent else None)
        self.by_name[key] = name
        return name

    def _free(self, base: str) -> str:
        eid, n = base or "entity", 2
        while eid in self.kb.entities or eid in self.new:
            eid, n = f"{base}-{n}", n + 1
        return eid


def _cite(doc: Document, quote: str) -> Citation:
    return Citation(doc.source, doc.display_title, doc.date or "", quote)


def _source(doc: Document) -> str:
    return doc.publisher or doc.display_title


def _line(name: str, status: str, org: str, lang: str) -> str:
    return f"{name} {STATUS_WORDS[status][lang]} {org}"


def _summary(
    kb: Knowledge, date: str | None, who: str, reports: list[Report], to_name: str, from_name: str
) -> dict[str, str]:
    """ "Dara Okonkwo joined Helix Reasoning from OpenAI, September 29, 2025 (Frontier Brief,
    October 2, 2025); earlier: in talks (Meridian Wire, August 12, 2025)." in both languages."""
    newest = reports[-1]
    out = {}
    for lang in ("en", "fr"):
        doc = kb.documents[newest.file]
        target = to_name or from_name
        text = _line(who, newest.status, target, lang)
        if from_name and to_name:
            text += (" (de " if lang == "fr" else " (from ") + from_name + ")"
        if date:
            text += ", " + when(date, lang)
        text += f" — {_source(doc)}"
        if doc.date:
            text += f", {when(doc.date, lang)}"
        earlier = []
        for r in reports[:-1]:
            if r.status != newest.status:
                d = kb.documents[r.file]
                earlier.append(f"{STATUS_WORDS[r.status][lang]} ({_source(d)}, {when(d.date, lang) or '?'})")
        if earlier:
            text += ("; avant cela : " if lang == "fr" else "; before that: ") + "; ".join(earlier)
        packages = _packages(reports)
        if packages:
            word = "rémunération" if lang == "fr" else "package"
            parts = [f"{p} ({_source(kb.documents[f])})" for p, f in packages]
            text += f"; {word}: " + (" / ".join(parts) if lang == "en" else " / ".join(parts))
        out[lang] = f"{text}. ({UNREVIEWED[lang]})"
    return out


def _packages(reports: list[Report]) -> list[tuple[str, str]]:
    """The package to give: the newest correction alone, else every distinct figure with its file."""
    with_pkg = [r for r in reports if r.package]
    if not with_pkg:
        return []
    corrections = [r for r in with_pkg if r.corrects]
    if corrections:
        latest = corrections[-1]
        later = [r for r in with_pkg if with_pkg.index(r) > with_pkg.index(latest)]
        with_pkg = [latest, *later]
    seen: dict[str, tuple[str, str]] = {}
    for r in reversed(with_pkg):  # newest first
        key = re.sub(r"[^0-9]", "", r.package or "") or (r.package or "")
        seen.setdefault(key, (r.package or "", r.file))
    return list(seen.values())


def add_extracted_moves(kb: Knowledge) -> None:
    """Read every seed's moves and add them to `kb` as unreviewed transfers (and the people and
    organisations they name as entities); curated records win for the same move."""
    ids = _Ids(kb)
    # Indexed once for every article (it was rebuilt for each: thousands of spellings, each time).
    known_orgs = KnownOrgs({e.name: (e.name, *e.aliases) for e in kb.entities.values() if not e.is_person})
    groups: dict[tuple[str, str | None, str | None], list[Report]] = {}
    for file, text in kb.seed_texts.items():
        doc = kb.documents[file]
        found = extract_article(file, text, doc.date, known_orgs, doc.language)
        for r in found.reports:
            who = ids.person(r.who)
            to = ids.org(r.to_org)
            key = (who, to, None) if to else (who, None, ids.org(r.from_org))
            groups.setdefault(key, []).append(r)
    curated = {(t.who, t.to_org) for t in kb.transfers} | {(t.who, t.from_org) for t in kb.transfers}
    used: set[str] = set()

    def name_of(eid: str | None) -> str:
        ent = kb.entities.get(eid or "") or ids.new.get(eid or "")
        return ent.name if ent else ""

    for (who, to, left_from), reports in groups.items():
        if (who, to or left_from) in curated:
            continue
        reports = _order(reports)
        newest = reports[-1]
        src = next((ids.org(r.from_org) for r in reversed(reports) if r.from_org), None) or left_from
        if src == to:
            src = None
        history = []
        for r in reports:
            d = kb.documents[r.file]
            history.append(
                {
                    "status": r.status,
                    "date": r.date,
                    "reported": d.date,
                    "source": d.source,
                    "title": d.display_title,
                    "publisher": d.publisher,
                    "package": r.package,
                    "quote": r.quote,
                }
            )
        packages = _packages(reports)
        package = " / ".join(p for p, _f in packages) if packages else None
        role_before = next((r.role_before for r in reversed(reports) if r.role_before), None)
        role_after = next((r.role_after for r in reversed(reports) if r.role_after), None)
        date = newest.date or next((r.date for r in reversed(reports) if r.date), None) or newest.reported
        sharper = [
            r.date for r in reports if r.date and date and r.date.startswith(date) and len(r.date) > len(date)
        ]
        if sharper:
            date = sharper[-1]  # "this summer" (2025) after "last week" (2025-08): keep the month
        # A move with no destination is known by where it left: "left X" and a later "returned
        # to X" are two moves of one person, and must not share an id.
        tid = f"extracted:{who}:{to}" if to else f"extracted:{who}:left:{left_from}"
        kb.transfers.append(
            Transfer(
                id=tid,
                who=who,
                from_org=src,
                to_org=to,
                date=date,
                status=newest.status,
                summary=_summary(kb, date, name_of(who), reports, name_of(to), name_of(src)),
                role_before={"en": role_before, "fr": role_before} if role_before else None,
                role_after={"en": role_after, "fr": role_after} if role_after else None,
                package={"en": package, "fr": package} if package else None,
                citations=tuple(_cite(kb.documents[r.file], r.quote) for r in reversed(reports)),
                reviewed=False,
                reported=kb.documents[newest.file].date,
                history=tuple(history),
            )
        )
        used |= {who, to or "", src or ""}
    kb.extracted |= used - {""}


def transfer_json(names: dict[str, str], t: Transfer) -> dict[str, Any]:
    """The JSON a script reads for one move (`transfers --json`)."""
    return {
        "id": t.id,
        "who": names.get(t.who, t.who),
        "from": names.get(t.from_org or "", t.from_org) if t.from_org else None,
        "to": names.get(t.to_org or "", t.to_org) if t.to_org else None,
        "date": t.date,
        "status": t.status,
        "package": t.package["en"] if t.package else None,
        "reviewed": t.reviewed,
        "reported": t.reported,
        "history": [dict(h) for h in t.history],
        "citations": [c.to_json() for c in t.citations],
    }


TIMELINE = {"en": "Timeline (newest last):", "fr": "Chronologie (la plus récente en dernier) :"}
CURRENT = {"en": "Latest report", "fr": "Dernier état rapporté"}


def who_timeline(store: Any, name: str, lang: str = "en", base: Any = None) -> Any:
    """/who: the profile, then every report of the person's moves as a dated timeline whose last
    line is the current state (and says so), each with its source."""
    from .answer import format_date, profile

    result = (base or profile)(store, name, lang)
    ent = store.entities.get(result.facts[0]) if result.answered and result.facts else None
    if ent is None:
        return _extracted_person(store, name, lang, result)
    if not ent.is_person:
        return result
    events: list[tuple[str, str, str]] = []
    for t in store.transfers:
        if t.who != ent.id:
            continue
        org = store.entity_name(t.to_org) or store.entity_name(t.from_org)
        reports = t.history or (
            {"status": t.status, "date": t.date, "reported": t.reported, "publisher": None, "title": ""},
        )
        for h in reports:
            status = STATUS_WORDS.get(h["status"], {}).get(lang, h["status"])
            moment = h.get("date") or h.get("reported") or ""
            source = h.get("publisher") or h.get("title") or ""
            reported = format_date(h.get("reported"), lang)
            src = f" ({source}{', ' + reported if reported else ''})" if source else ""
            text = f"{format_date(moment, lang) or '?'}: {status} {org}{src}"
            events.append((moment, h.get("reported") or "", text))
    if not events:
        return result
    events.sort(key=lambda e: (e[1] or e[0], e[0]))  # by report: the newest report is the current state
    lines = [TIMELINE[lang]] + [f"• {text}" for _m, _r, text in events]
    lines[-1] += f" ← {CURRENT[lang]}"
    first = result.text.split("\n")[0]
    result.text = "\n".join([first, *lines])
    return result


PERSON_MATCH = 85  # rapidfuzz WRatio for a name typed in /who to match a person read from articles


def _extracted_person(store: Any, name: str, lang: str, unknown: Any) -> Any:
    """/who for someone only articles name (no curated profile): their moves as a timeline."""
    from rapidfuzz import fuzz

    from .models import Answer

    people = {t.who for t in store.transfers if not t.reviewed}
    scored = [(fuzz.WRatio(fold(name), fold(p)), p) for p in people]
    scored += [(100.0, p) for p in people if same_person(p, name)]
    best = max(scored, default=(0.0, ""))
    if best[0] < PERSON_MATCH:
        return unknown
    moves = sorted((t for t in store.transfers if t.who == best[1]), key=lambda t: t.date or "")
    summary = moves[-1].summary[lang]
    language: Lang = "fr" if lang == "fr" else "en"  # summary[lang] worked: en or fr
    fake = Answer(name, True, language, summary, 0.9, facts=[best[1]], store_version=store.version)
    events = []
    for t in moves:
        org = store.entity_name(t.to_org) or store.entity_name(t.from_org)
        for h in t.history:
            status = STATUS_WORDS.get(h["status"], {}).get(lang, h["status"])
            moment = h.get("date") or h.get("reported") or ""
            src = h.get("publisher") or h.get("title") or ""
            events.append(
                (moment[:7], h.get("reported") or "", f"{when(moment, lang) or '?'}: {status} {org} ({src})")
            )
    events.sort(key=lambda e: (e[1] or e[0], e[0]))  # by report: the newest report is the current state
    lines = [TIMELINE[lang]] + [f"• {text}" for _m, _r, text in events]
    lines[-1] += f" ← {CURRENT[lang]}"
    fake.text = "\n".join([summary, *lines])
    fake.citations = [c for t in reversed(moves) for c in t.citations]
    return fake


def draft_records(kb: Knowledge, file: str) -> dict[str, list[dict[str, Any]]]:
    """Proposed knowledge records for one seed: the people, organisations and transfers its
    moves name, and a fact per reported package, each quoting the seed verbatim."""
    curated_ids = set(kb.entities)
    add_extracted_moves(kb)
    source = f"seeds/{file}"
    out: dict[str, list[dict[str, Any]]] = {"people": [], "organisations": [], "transfers": [], "facts": []}
    for t in kb.transfers:
        if t.reviewed:
            continue
        mine = [h for h in t.history if h["source"] == source]
        if not mine:
            continue
        h = mine[-1]
        cite = [{"seed": file, "quote": h["quote"]}]
        who = kb.entities[t.who].name if t.who in kb.entities else t.who

        def ref(x: str | None) -> str | None:
            return x if x is None or x in curated_ids else slug(x)

        rec: dict[str, Any] = {"id": slug(f"{who}-{t.to_org or t.from_org}"), "who": ref(t.who)}
        rec |= {
            "from": ref(t.from_org),
            "to": ref(t.to_org),
            "date": h["date"] or t.date,
            "status": h["status"],
        }
        rec["summary"] = {k: v.replace(f" ({UNREVIEWED[k]})", "") for k, v in t.summary.items()}
        rec["cite"] = cite
        out["transfers"].append({k: v for k, v in rec.items() if v is not None})
        if h["package"]:
            out["facts"].append(
                {
                    "id": slug(f"{who}-package-{t.to_org or t.from_org}"),
                    "topic": {"en": f"{who}'s package", "fr": f"La rémunération de {who}"},
                    "about": [ref(t.who), *([ref(t.to_org)] if t.to_org else [])],
                    "answers": ["how_much"],
                    "text": {"en": f"{h['package']} (reported).", "fr": f"{h['package']} (rapporté)."},
                    "cite": cite,
                }
            )
        for e in (t.who, t.from_org, t.to_org):
            if (
                not e
                or e in curated_ids
                or slug(e) in {r["id"] for r in out["people"] + out["organisations"]}
            ):
                continue
            person = e == t.who
            record: dict[str, Any] = {"id": slug(e), "name": e}
            if person:
                record["aliases"] = [e.split()[-1]]
                record["summary"] = {k: v.replace(f" ({UNREVIEWED[k]})", "") for k, v in t.summary.items()}
            else:
                record["kind"] = "company"
                record["summary"] = {"en": f"{e}: an organisation.", "fr": f"{e} : une organisation."}
            record["cite"] = [{"seed": file, "quote": h["quote"]}]
            out["people" if person else "organisations"].append(record)
    return {k: v for k, v in out.items() if v}
