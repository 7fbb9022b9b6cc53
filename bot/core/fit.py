"""Fit the scoring weights (scoring.py) on question sets: `python -m bot.core.fit`.

    python -m bot.core.fit --store var/store.sqlite tests/regression/questions.yaml ... \\
                           [--store OTHER.sqlite MORE.yaml ...] [--out bot/core/weights.json]

Each question's candidates are labelled by whether the answer composed from them would contain
one of the question's expected strings (as ../shared/eval/score.py judges); unanswerable
questions label every candidate wrong. A logistic regression on the named features gives the
weights; the thresholds are then chosen on the same training questions to maximise right answers
plus right declines minus WRONG_COST for every wrong answer, because a wrong answer is worse
than an honest "I don't know".
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from .answer import _is_list_question, _lang, compose
from .retrieve import Query, Scored, analyse, eligible, rank
from .scoring import DECISION_FEATURES, FEATURES, WEIGHTS_FILE, decision_features, load_weights
from .store import Store

WRONG_COST = 1.0  # a wrong answer costs a right one (and an answered unanswerable loses its decline too)
L2 = 1.0  # ridge penalty: few features, a few thousand candidates
ALL_CANDIDATES = 200
THRESHOLDS = [round(0.05 + 0.025 * i, 3) for i in range(37)]
CONFIDENT = 0.8  # what the bot calls a confident answer (the scorer counts wrong ones from here)
CONFIDENT_PRECISION = 0.98  # share of training answers shown as confident that must be right


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace("\u2019", "'").replace("\u00a0", " ").split())


@dataclass
class Example:
    """One question's eligible candidates: features and labels."""

    query: Query
    candidates: list[Scored]
    x: np.ndarray
    y: np.ndarray
    answerable: bool


def examples(store: Store, path: Path) -> list[Example]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for answerable, key in ((True, "answerable"), (False, "unanswerable")):
        for q in data.get(key) or []:
            question = q["q"]
            language = _lang(question, None)
            query = analyse(store, question, language)
            if _is_list_question(store, query) is not None:
                continue  # listed moves: answered without ranking
            ranked = [s for s in rank(store, query, limit=ALL_CANDIDATES) if eligible(query, s)]
            xs, ys = [], []
            expect = [_fold(e) for e in q.get("expect_any") or []]
            for s in ranked:
                ans = compose(store, query, s, ranked, language, question)
                blob = _fold(" ".join([ans.text] + [c.quote for c in ans.citations[:1]]))
                xs.append(s.features)
                ys.append(1.0 if answerable and any(e in blob for e in expect) else 0.0)
            x = np.array(xs, dtype=float).reshape(-1, len(FEATURES))
            out.append(Example(query, ranked, x, np.array(ys), answerable))
    return out


def fit_logistic(
    x: np.ndarray, y: np.ndarray, names: tuple[str, ...], l2: float = L2, steps: int = 50
) -> np.ndarray:
    """Ridge logistic regression by Newton's method (the bias is not penalised)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[names.index("bias")] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def fit_listwise(ex: list[Example], l2: float = L2, steps: int = 400, rate: float = 0.05) -> np.ndarray:
    """Ranking weights maximising, per answerable question, the softmax share of its right
    candidates among its eligible ones (Adam on the mean log-likelihood, ridge penalty)."""
    groups = [(e.x, e.y > 0) for e in ex if len(e.y) and e.y.any() and not e.y.all()]
    w = np.zeros(len(FEATURES))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, steps + 1):
        grad = l2 * w / max(len(groups), 1)
        grad[FEATURES.index("bias")] = 0.0
        for x, pos in groups:
            z = x @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            q = p * pos
            q /= q.sum()
            grad += (x.T @ (p - q)) / len(groups)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= rate * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w


def _softmax(z: np.ndarray) -> np.ndarray:
    p = np.exp(z - z.max())
    return p / p.sum()


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def decision_rows(ex: list[Example], w: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[Example]]:
    """For each question with a candidate: the decision features of its best candidate under
    ranking weights `w`, and whether that candidate is right."""
    rows, labels, used = [], [], []
    for e in ex:
        if len(e.y) == 0:
            continue
        p = _softmax(e.x @ w)
        order = np.argsort(-p, kind="stable")
        for i, s in enumerate(e.candidates):
            s.probability = float(p[i])
        pool = [e.candidates[int(i)] for i in order]
        rows.append(decision_features(e.query, pool[0], pool))
        labels.append(e.y[int(order[0])])
        used.append(e)
    return np.array(rows, dtype=float), np.array(labels), used


def outcome(ex: list[Example], conf: np.ndarray, labels: np.ndarray, used: list[Example], t: float):
    """(right answers, right declines, wrong answers) at confidence threshold t."""
    answered = conf >= t
    right = int(np.sum(answered & (labels > 0)))
    wrong = int(np.sum(answered & (labels == 0)))
    declined = sum(1 for e in ex if not e.answerable) - sum(
        1 for e, a in zip(used, answered, strict=True) if a and not e.answerable
    )
    return right, declined, wrong


def confident_point(conf: np.ndarray, labels: np.ndarray, threshold: float) -> float:
    """The lowest decision probability from which CONFIDENT_PRECISION of the training answers are
    right: shown confidences are stretched so that this point reads CONFIDENT."""
    for p in sorted({round(float(c), 3) for c in conf if c >= threshold}):
        chosen = labels[conf >= p]
        if len(chosen) and chosen.mean() >= CONFIDENT_PRECISION:
            return max(p, threshold + 0.01)
    return 0.999


def _current_ranking() -> np.ndarray:
    """The ranking weights in use (weights.json), in FEATURES order: a decision refit leaves
    the ranking, and so every answer's candidate, as it is."""
    values = load_weights().values
    return np.array([float(values.get(name, 0.0)) for name in FEATURES])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bot.core.fit")
    ap.add_argument("--store", action="append", nargs="+", required=True, metavar=("STORE", "QUESTIONS"))
    ap.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    ap.add_argument("--wrong-cost", type=float, default=WRONG_COST)
    ap.add_argument(
        "--decision-only",
        action="store_true",
        help="keep the ranking weights in use and refit only the decision model and its threshold",
    )
    args = ap.parse_args(argv)
    ex: list[Example] = []
    sources = []
    for store_path, *question_files in args.store:
        store = Store.open(Path(store_path))
        for qf in question_files:
            ex += examples(store, Path(qf))
            sources.append(qf)
    y = np.concatenate([e.y for e in ex if len(e.y)])
    w = _current_ranking() if args.decision_only else fit_listwise(ex)
    rows, labels, used = decision_rows(ex, w)
    v = fit_logistic(rows, labels, names=DECISION_FEATURES)
    conf = _sigmoid(rows @ v)
    best = None
    for t in THRESHOLDS:
        right, declined, wrong = outcome(ex, conf, labels, used, t)
        gain = right + declined - args.wrong_cost * wrong
        if best is None or gain > best[0]:
            best = (gain, t, right, declined, wrong)
    assert best is not None
    _, threshold, right, declined, wrong = best
    confident_at = confident_point(conf, labels, threshold)
    answerable = sum(e.answerable for e in ex)
    report = {
        "weights": {name: round(float(c), 4) for name, c in zip(FEATURES, w, strict=True)},
        "decision": {name: round(float(c), 4) for name, c in zip(DECISION_FEATURES, v, strict=True)},
        "threshold": threshold,
        "confident_at": confident_at,
        "trained_on": sources,
        "training": {
            "questions": len(ex),
            "candidates": int(len(y)),
            "right_answers": f"{right}/{answerable}",
            "right_declines": f"{declined}/{len(ex) - answerable}",
            "wrong_answers": wrong,
        },
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
