"""The community-style question sets, scored the way the reference scorer scores them.

questions.yaml was written from the seeds before any tuning and is the set retrieval was tuned
on; heldout.yaml and heldout2.yaml were written later by people who never saw the retrieval code,
the knowledge or the other sets, and measure how well that tuning carries over to new questions.
Each miss is printed so a failing run says which questions regressed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.evaluate import evaluate, load_questions
from bot.core.store import Store

HERE = Path(__file__).parent

# (file, minimum share right among answerable, among unanswerable)
# The floors sit just under the scores measured with the weights fitted on the training split of
# BLIND.md (refitted when sets 3 to 5 joined it: more new questions answered, a few more
# unanswerable ones answered too), so a regression from here fails.
SETS = [
    ("questions.yaml", 0.92, 0.84),
    ("heldout.yaml", 0.85, 0.90),
    ("heldout2.yaml", 0.80, 0.75),
    ("blind_seeds_1.yaml", 0.70, 0.80),
    # Held-out sets, once scored on their first run (BLIND.md): floors just under today's scores.
    ("blind_seeds_2.yaml", 0.64, 0.75),
    ("blind_seeds_3.yaml", 0.64, 0.82),
    ("blind_seeds_4.yaml", 0.45, 0.68),
    ("blind_seeds_5.yaml", 0.73, 0.82),
    ("blind_seeds_6.yaml", 0.60, 0.72),
    ("blind_seeds_7.yaml", 0.64, 0.88),
    ("blind_seeds_8.yaml", 0.62, 0.85),
    ("blind_seeds_9.yaml", 0.66, 0.87),
    ("blind_seeds_10.yaml", 0.64, 0.82),
    ("blind_seeds_11.yaml", 0.60, 0.82),
    ("blind_seeds_12.yaml", 0.70, 0.72),
    ("blind_seeds_13.yaml", 0.68, 0.62),
]


@pytest.mark.parametrize(("name", "min_answerable", "min_unanswerable"), SETS)
def test_question_set(repo_store: Store, name: str, min_answerable: float, min_unanswerable: float) -> None:
    path = HERE / name
    if not path.exists():
        pytest.skip(f"{name} not present")
    answerable, unanswerable = load_questions(path)
    report = evaluate(repo_store, answerable, unanswerable)
    print(report.summary())
    for miss in report.misses:
        print("miss", miss)
    assert report.bad_citations == 0
    assert report.answerable_rate >= min_answerable, report.summary()
    assert report.unanswerable_rate >= min_unanswerable, report.summary()


def test_the_set_is_big_and_bilingual() -> None:
    answerable, unanswerable = load_questions(HERE / "questions.yaml")
    assert len(answerable) + len(unanswerable) >= 150
    assert len(unanswerable) >= 30
    langs = {q["lang"] for q in answerable + unanswerable}
    assert langs == {"en", "fr"}
