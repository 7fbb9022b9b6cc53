"""How follow-up reading does: follow-ups answered right, and questions it must leave alone.

    .venv/bin/python -m bench.followups

1. Follow-up pairs (below): each second question answered with the first as context, and alone;
   right means one expected string appears in the answer (or its first quote), accents folded.
2. Hijack check: every question of tests/regression/questions.yaml asked in file order as one
   conversation (none is written as a follow-up): how many were read as leaning on the one
   before, and how many answers changed from right to wrong (or answered to declined).
3. The cost: median time of answer_in_context() against answer() on the same questions.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml

from bot.config import Settings
from bot.core.answer import answer
from bot.core.followup import answer_in_context, resolve
from bot.core.models import Answer
from bot.core.retrieve import _VECTORS
from bot.core.service import open_store
from bot.core.text import fold

ROOT = Path(__file__).resolve().parents[1]

# (first question, follow-up, strings one of which the follow-up's answer must contain)
PAIRS = [
    ("Who is Alexandr Wang?", "how much did Meta pay him?", ["not disclosed"]),
    ("Who is Alexandr Wang?", "when did he join Meta?", ["june 2025"]),
    ("When did Alexandr Wang join Meta?", "and how much?", ["not disclosed"]),
    ("Qui est Alexandr Wang ?", "combien Meta l'a payé ?", ["non divulgue"]),
    ("Qui est Tom Gunter ?", "il a rejoint Meta ?", ["gunter"]),
    ("Qui est Tom Gunter ?", "et quand ?", ["semaine derniere"]),
    ("Who is Tom Gunter?", "where did he go?", ["not yet known", "gunter"]),
    ("Who is Ruoming Pang?", "how much did Meta pay him?", ["200 million"]),
    ("Who is Ruoming Pang?", "when did he join Meta?", ["july 2025"]),
    ("Who is Ruoming Pang?", "what did he do at Apple?", ["foundation model"]),
    ("Qui est Ruoming Pang ?", "il a été recruté quand ?", ["juillet 2025"]),
    ("Qui est Ruoming Pang ?", "combien ?", ["200 millions"]),
    ("How much did Meta pay Alexandr Wang?", "what about Ruoming Pang?", ["200 million"]),
    ("When did Ruoming Pang join Meta?", "what about Alexandr Wang?", ["june 2025"]),
]


def right(ans: Answer, expect: list[str]) -> bool:
    quote = ans.citations[0].quote if ans.citations else ""
    haystack = fold(ans.text + " " + quote)
    return ans.answered and any(fold(e) in haystack for e in expect)


def main() -> None:
    settings = Settings.from_env()
    store = open_store(settings.store_path, settings.seeds_dir, settings.knowledge_dir)

    with_ctx = alone = 0
    for first, follow, expect in PAIRS:
        previous = resolve(store, first, None).turn
        ans, _ = answer_in_context(store, follow, None, previous)
        with_ctx += right(ans, expect)
        alone += right(answer(store, follow), expect)
    print(f"follow-up pairs: {with_ctx}/{len(PAIRS)} right with context, {alone}/{len(PAIRS)} alone")

    data = yaml.safe_load((ROOT / "tests/regression/questions.yaml").read_text(encoding="utf-8"))
    items = [(q, True) for q in data["answerable"]] + [(q, False) for q in data["unanswerable"]]
    previous = None
    leaned = worse = better = 0
    t_ctx: list[float] = []
    t_plain: list[float] = []
    for q, answerable in items:
        _VECTORS.clear()  # each timing pays for its own embedding, as a new question does
        started = time.perf_counter()
        ctx, resolved = answer_in_context(store, q["q"], q.get("lang"), previous)
        t_ctx.append(time.perf_counter() - started)
        _VECTORS.clear()
        started = time.perf_counter()
        plain = answer(store, q["q"], q.get("lang"))
        t_plain.append(time.perf_counter() - started)
        previous = resolved.turn
        leaned += resolved.leans
        if answerable:
            a, b = right(plain, q["expect_any"]), right(ctx, q["expect_any"])
        else:
            a, b = not plain.answered, not ctx.answered
        worse += a and not b
        better += b and not a
    print(
        f"regression set as one conversation: {len(items)} questions, {leaned} read as follow-ups, "
        f"{worse} right→wrong, {better} wrong→right"
    )
    print(
        f"median latency: answer_in_context {statistics.median(t_ctx) * 1000:.1f} ms, "
        f"answer {statistics.median(t_plain) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
