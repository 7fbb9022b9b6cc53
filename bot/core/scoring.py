"""How a candidate's evidence becomes one number: a few named features, combined by weights
fitted on question sets (`python -m bot.core.fit`), never set by hand.

Two fitted models: a listwise ranking model (a softmax over one question's candidates says which
one answers), then a logistic decision model on the best candidate, whose output reads as the
probability that the answer is right: what the bot shows as its confidence and compares with the
fitted threshold before answering rather than declining.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .retrieve import Query, Scored

FEATURES: tuple[str, ...] = (
    "bias",
    "rule_score",  # the rule-based lexical score of retrieve.score_item (topic, subject, kind bonuses)
    "lexical",  # share of what the question names (words and entities) the item covers
    "coverage",  # share of the question's content words alone
    "missing",  # weight of the most informative question word the item does not contain
    "semantic",  # cosine similarity of question and item embeddings
    "semantic_gap",  # how far below the most similar candidate (0 for the best)
    "lexical_gap",  # the same for lexical coverage
    "entities",  # share of the question's entities the item is about (a move read the right way)
    "intent",  # fit between the kind of answer wanted and what the item can answer
    "answer_type",  # 1 when a "when" / "how much" question meets a date / an amount, else 0
    "topic",  # share of the question the item's curated topic alone covers
    "passage",  # an uncurated sentence
    "heading",  # a headline or a table row rather than a sentence (no closing punctuation)
    "length",  # words in the item's text, over LONG_TEXT_WORDS (capped at 1): focused beats long
    "profile",  # an entity profile
    "subject_profile",  # the profile of the one entity the question names ("Who is X?")
    "move",  # a curated transfer
    "newest",  # the most recent source among the candidates about the same subject
)

# The decision, on the best candidate only: is it right? Its output is the confidence shown.
DECISION_FEATURES: tuple[str, ...] = (
    "bias",
    "rank_logit",  # how strongly the ranking model prefers the best candidate
    "margin",  # its ranking probability minus the runner-up's
    "semantic",
    "semantic_margin",  # its similarity minus the runner-up's
    "lexical",
    "missing",
    "passage",
    "rule_accept",  # the earlier hand-tuned rule (score, coverage and intent bars) would answer
    "named",  # the question names a known person or organisation
    "unknown_share",  # share of the question's content weight in words the store has never seen
    "most_similar",  # no eligible candidate is closer in meaning
    "most_covering",  # no eligible candidate covers more of the question's words
)

WEIGHTS_FILE = Path(__file__).with_name("weights.json")
SHOWN_CONFIDENT = 0.8
LONG_TEXT_WORDS = 60
# A passage that is the only eligible candidate has a ranking share of 1, whose logit (13.8)
# the decision weighs as a strong penalty learnt from curated facts; for a passage the share is
# read as at most this much, so a sentence that alone names the person and gives the kind of
# answer asked for is not declined for being alone. All sets: +37 right, -20 declines
# before the eligibility rules added with it (role elsewhere, a person's date), -6 after.
PASSAGE_SHARE_CAP = 0.95


@dataclass(frozen=True)
class Weights:
    """Ranking weights, decision weights, and the confidence under which the bot declines."""

    values: dict[str, float]
    decision: dict[str, float]
    threshold: float
    confident_at: float = 0.8  # the decision probability shown as CONFIDENT (fit.confident_point)

    def shown_confidence(self, p: float) -> float:
        """The confidence a reader sees: the decision probability, stretched piecewise so that
        "confident" (0.8 and up) is shown only where training answers were nearly always right."""
        t, c = self.threshold, self.confident_at
        if p < t or c <= t:
            return p
        if p < c:
            return t + (p - t) * (SHOWN_CONFIDENT - t) / (c - t)
        return SHOWN_CONFIDENT + (p - c) * (1.0 - SHOWN_CONFIDENT) / max(1.0 - c, 1e-6)

    def logit(self, features: Sequence[float]) -> float:
        return sum(self.values.get(name, 0.0) * x for name, x in zip(FEATURES, features, strict=True))

    def decision_logit(self, features: Sequence[float]) -> float:
        return sum(self.decision.get(n, 0.0) * x for n, x in zip(DECISION_FEATURES, features, strict=True))


# Used only until weights are fitted: roughly the old hand-set score, so a fresh checkout works.
_STARTING_WEIGHTS = {
    "bias": -6.0,
    "lexical": 4.0,
    "semantic": 4.0,
    "entities": 2.0,
    "intent": 1.0,
    "topic": 1.0,
    "passage": -0.5,
}


@lru_cache(maxsize=1)
def load_weights(path: Path = WEIGHTS_FILE) -> Weights:
    """The fitted weights (see fit.py); the starting weights when none were fitted yet."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Weights(
            {k: float(v) for k, v in data["weights"].items()},
            {k: float(v) for k, v in data["decision"].items()},
            float(data["threshold"]),
            float(data.get("confident_at", SHOWN_CONFIDENT)),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return Weights(dict(_STARTING_WEIGHTS), {"bias": 0.0, "rank_logit": 1.0}, 0.5)


def features(
    query: Query, scored: Scored, best_semantic: float, best_lexical: float, newest: bool
) -> list[float]:
    """The named features of one candidate, in FEATURES order."""
    kind = scored.item.kind
    strict = query.intents & {"when", "how_much", "how_many"}
    answer_type = (1.0 if strict & scored.item.answers else 0.0) if strict else 1.0
    subject = kind == "entity" and scored.item.id in query.entities and len(query.entities) == 1
    return [
        1.0,
        scored.score,
        scored.coverage_all,
        scored.coverage,
        scored.missing,
        scored.semantic,
        scored.semantic - best_semantic,
        scored.coverage_all - best_lexical,
        scored.entity_cover,
        min(scored.intent_fit, 1.0),
        answer_type,
        scored.topic_hit,
        1.0 if kind == "passage" else 0.0,
        1.0 if kind == "passage" and is_heading(scored.item.text) else 0.0,
        min(1.0, len(next(iter(scored.item.text.values()), "").split()) / LONG_TEXT_WORDS),
        1.0 if kind == "entity" else 0.0,
        1.0 if subject else 0.0,
        1.0 if kind == "transfer" else 0.0,
        1.0 if newest else 0.0,
    ]


# The bars of the rule-based decision the fitted one learns from (see rule_accepts).
RULE_SCORE = 0.72
RULE_PASSAGE_SCORE = 0.70
RULE_COVERAGE = 0.6
RULE_PASSAGE_COVERAGE = 0.75
RULE_LOOSE_COVERAGE = 0.9


def rule_accepts(best: Scored) -> bool:
    """The earlier hand-tuned decision: a high enough rule score, most of the question covered,
    and an item made for this kind of question (or covering nearly all of it)."""
    passage = best.item.kind == "passage"
    if best.score < (RULE_PASSAGE_SCORE if passage else RULE_SCORE):
        return False
    if best.coverage_all < (RULE_PASSAGE_COVERAGE if passage else RULE_COVERAGE):
        return False
    return not (best.intent_fit == 0.0 and best.coverage < RULE_LOOSE_COVERAGE)


def decision_features(query: Query, best: Scored, pool: Sequence[Scored]) -> list[float]:
    """The named decision features of the best candidate among the eligible `pool` (best first),
    in DECISION_FEATURES order."""
    runner_up = pool[1] if len(pool) > 1 else None
    agree_semantic = all(best.semantic >= s.semantic for s in pool)
    agree_lexical = all(best.coverage_all >= s.coverage_all for s in pool)
    p = min(max(best.probability, 1e-6), PASSAGE_SHARE_CAP if best.item.kind == "passage" else 1 - 1e-6)
    unknown = sum(
        w for keys, w in query.terms.items() if keys[0] in query.unknown or keys[-1] in query.unknown
    )
    return [
        1.0,
        math.log(p / (1 - p)),
        best.probability - (runner_up.probability if runner_up else 0.0),
        best.semantic,
        best.semantic - (runner_up.semantic if runner_up else 0.7),
        best.coverage_all,
        best.missing,
        1.0 if best.item.kind == "passage" else 0.0,
        1.0 if rule_accepts(best) else 0.0,
        1.0 if query.entities else 0.0,
        unknown / query.content_weight if query.content_weight else 0.0,
        1.0 if agree_semantic else 0.0,
        1.0 if agree_lexical else 0.0,
    ]


_SENTENCE_CLOSE = tuple('.!?…»"”)')


def is_heading(text: dict[str, str]) -> bool:
    sentence = next(iter(text.values()), "").rstrip()
    return not sentence.endswith(_SENTENCE_CLOSE)


def shares(logits: Sequence[float]) -> list[float]:
    """Softmax of the candidates' ranking logits: how the ranking model splits its belief."""
    if not logits:
        return []
    top = max(logits)
    exps = [math.exp(max(x - top, -60.0)) for x in logits]
    total = sum(exps)
    return [e / total for e in exps]


def probability(logit: float) -> float:
    if logit < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-logit))
