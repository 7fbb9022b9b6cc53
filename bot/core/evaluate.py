"""Score a question file (the dev_questions.yaml format) against the answering core.

Same rule as the reference scorer: an answerable question is right when one expect_any string
(folded) is in the answer or the first citation's quote and every citation is verbatim in its
source; an unanswerable one is right when the bot declines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .answer import answer
from .store import Store
from .text import fold

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # not from bot.config: the core never reads the settings


@dataclass
class EvalReport:
    answerable: int = 0
    answerable_ok: int = 0
    unanswerable: int = 0
    unanswerable_ok: int = 0
    bad_citations: int = 0
    by_lang: dict[str, list[int]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    @property
    def answerable_rate(self) -> float:
        return self.answerable_ok / self.answerable if self.answerable else 1.0

    @property
    def unanswerable_rate(self) -> float:
        return self.unanswerable_ok / self.unanswerable if self.unanswerable else 1.0

    def summary(self) -> str:
        langs = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(self.by_lang.items()))
        return (
            f"answerable {self.answerable_ok}/{self.answerable}, unanswerable {self.unanswerable_ok}/"
            f"{self.unanswerable}, bad citations {self.bad_citations} (by language: {langs})"
        )


def load_questions(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected 'answerable' and 'unanswerable' lists")
    return list(data.get("answerable") or []), list(data.get("unanswerable") or [])


def evaluate(
    store: Store, answerable: list[dict[str, Any]], unanswerable: list[dict[str, Any]]
) -> EvalReport:
    report = EvalReport(answerable=len(answerable), unanswerable=len(unanswerable))
    sources: dict[str, str] = {}
    for q in [*answerable, *unanswerable]:
        ans = answer(store, q["q"])
        for c in ans.citations:
            if c.source not in sources:
                path = PROJECT_ROOT / c.source
                sources[c.source] = fold(path.read_text(encoding="utf-8")) if path.is_file() else ""
            if not fold(c.quote).strip() or fold(c.quote).strip() not in sources[c.source]:
                report.bad_citations += 1
        if "expect_any" in q:
            first = ans.citations[0].quote if ans.citations else ""
            blob = fold(ans.text + " " + first)
            good = ans.answered and any(fold(e) in blob for e in q["expect_any"])
            report.answerable_ok += good
        else:
            good = not ans.answered
            report.unanswerable_ok += good
        lang = report.by_lang.setdefault(q.get("lang", "?"), [0, 0])
        lang[0] += good
        lang[1] += 1
        if not good:
            report.misses.append(
                f"{q.get('id', '?')} {q['q']!r} -> answered={ans.answered} {ans.text[:140]!r}"
            )
    return report


def evaluate_file(store: Store, path: Path) -> EvalReport:
    return evaluate(store, *load_questions(path))
