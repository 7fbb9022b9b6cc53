"""Follow-up questions: read with the previous turn only when they lean on it, never otherwise."""

from __future__ import annotations

import json

import pytest

from bot.core.followup import (
    CONVERSATIONS_MAX,
    Conversations,
    Turn,
    about_line,
    answer_in_context,
    resolve,
)
from bot.core.store import Store


@pytest.fixture(scope="module")
def store(_cached_store) -> Store:
    """The session's built store, opened read-only."""
    return Store.open(_cached_store[1])


def turn(store: Store, question: str, at: float = 0.0) -> Turn:
    """The turn a standalone question leaves."""
    resolved = resolve(store, question, None, now=at)
    assert not resolved.leans and resolved.turn is not None, question
    return resolved.turn


# -- pronouns -----------------------------------------------------------------------------------


def test_english_pronoun_takes_the_previous_person(store: Store) -> None:
    r = resolve(store, "how much did Meta pay him?", turn(store, "Who is Alexandr Wang?"))
    assert r.leans and r.about == ("Alexandr Wang",)
    assert r.question == "how much did Meta pay Alexandr Wang?"
    assert [e.id for e in r.turn.people] == ["alexandr-wang"], "the next follow-up leans on Wang too"


def test_possessive_pronoun(store: Store) -> None:
    r = resolve(store, "what is his role?", turn(store, "Who is Ruoming Pang?"))
    assert r.question == "what is Ruoming Pang's role?" and r.about == ("Ruoming Pang",)


def test_french_pronouns_plain_inverted_and_elided(store: Store) -> None:
    before = turn(store, "Qui est Tom Gunter ?")
    assert resolve(store, "il a rejoint Meta ?", before).question == "Tom Gunter a rejoint Meta ?"
    assert resolve(store, "a-t-il rejoint Meta ?", before).question == "Tom Gunter a-t-il rejoint Meta ?"
    elided = resolve(store, "Meta l'a recruté quand ?", before)
    assert elided.leans and "Tom Gunter" in elided.question and elided.about == ("Tom Gunter",)


def test_impersonal_il_and_a_pronoun_for_a_named_company_do_not_lean(store: Store) -> None:
    before = turn(store, "Qui est Tom Gunter ?")
    assert not resolve(store, "il y a combien de chercheurs chez Meta ?", before).leans
    # "ses" stands for Meta, named in the question itself.
    assert not resolve(store, "Meta augmente-t-elle ses salaires ?", before).leans


def test_loose_pronoun_takes_a_previous_company(store: Store) -> None:
    r = resolve(store, "how much do they pay?", turn(store, "Who left Meta?"))
    assert r.leans and r.about == ("Meta",) and "Meta" in r.question


# -- ellipsis -----------------------------------------------------------------------------------


def test_elliptical_intent_asks_it_about_the_previous_names(store: Store) -> None:
    before = turn(store, "When did Alexandr Wang join Meta?")
    r = resolve(store, "and how much?", before)
    assert r.leans and r.about == ("Alexandr Wang",)
    assert r.question.startswith("how much") and "alexandr wang" in r.question and "when" not in r.question
    fr = resolve(store, "et quand ?", turn(store, "Qui est Tom Gunter ?"))
    assert fr.leans and fr.question.startswith("quand") and "tom gunter" in fr.question


def test_a_bare_intent_is_elliptical_too(store: Store) -> None:
    r = resolve(store, "combien ?", turn(store, "Qui est Ruoming Pang ?"))
    assert r.leans and r.question.startswith("combien") and "ruoming pang" in r.question


def test_organisation_swap(store: Store) -> None:
    before = turn(store, "How much did Meta pay Ruoming Pang?")
    r = resolve(store, "what about Apple?", before)
    assert r.leans and r.about == ("Ruoming Pang",)
    assert "apple" in r.question and "meta" not in r.question and r.question.startswith("how much")
    fr = resolve(store, "et chez Apple ?", before)
    assert fr.leans and "apple" in fr.question and "meta" not in fr.question


def test_person_swap(store: Store) -> None:
    r = resolve(store, "what about Ruoming Pang?", turn(store, "How much did Meta pay Alexandr Wang?"))
    assert r.leans and r.about == ("Ruoming Pang",)
    assert "ruoming pang" in r.question and "wang" not in r.question and "meta" in r.question


# -- standing alone -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Who is Ruoming Pang?",  # names someone new
        "Did he meet Ruoming Pang?",  # a pronoun next to a name of its own means that name
        "Qui est Ruoming Pang ?",
        "Who left Apple?",  # says enough by itself
        "Meta?",
        "what about John Smith?",  # someone the store does not know
    ],
)
def test_a_question_that_does_not_lean_is_left_as_it_is(store: Store, question: str) -> None:
    r = resolve(store, question, turn(store, "Who is Alexandr Wang?"))
    assert not r.leans and r.question == question and r.about == ()


def test_without_a_previous_turn_nothing_leans(store: Store) -> None:
    r = resolve(store, "how much did Meta pay him?", None)
    assert not r.leans and r.question == "how much did Meta pay him?"


def test_an_unknown_person_ends_the_subject(store: Store) -> None:
    r = resolve(store, "Who is John Smith?", turn(store, "Who is Alexandr Wang?"))
    assert r.turn is None, "a 'he' next must not be taken for Wang"


def test_a_question_naming_no_one_keeps_the_subject(store: Store) -> None:
    before = turn(store, "Who is Alexandr Wang?")
    assert resolve(store, "What is a poaching war?", before).turn is before


# -- the answer says whom it is about -----------------------------------------------------------


def test_answer_in_context_says_whom(store: Store) -> None:
    ans, r = answer_in_context(
        store, "how much did Meta pay him?", None, turn(store, "Who is Alexandr Wang?")
    )
    first, _, rest = ans.text.partition("\n")
    assert first == "(About Alexandr Wang)"
    assert "not disclosed" in rest.lower() and "Bloomberg" not in rest
    assert ans.question == "how much did Meta pay him?", "the title shows what the user typed"
    fr, _ = answer_in_context(store, "il a rejoint Meta ?", None, turn(store, "Qui est Tom Gunter ?"))
    assert fr.language == "fr" and fr.text.startswith("(À propos de Tom Gunter)\n")
    assert "Gunter" in fr.text.split("\n", 1)[1]
    plain, r = answer_in_context(store, "Who is Ruoming Pang?", None, turn(store, "Who is Alexandr Wang?"))
    assert not plain.text.startswith("(") and [e.id for e in r.turn.people] == ["ruoming-pang"]


def test_about_line_in_both_languages() -> None:
    assert about_line(["Alexandr Wang"], "en") == "(About Alexandr Wang)"
    assert about_line(["Alexandr Wang"], "fr") == "(À propos d'Alexandr Wang)"
    assert about_line(["Tom Gunter", "Ruoming Pang"], "fr") == "(À propos de Tom Gunter et Ruoming Pang)"


# -- remembering turns: expiry and bounds --------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_turn_expires(store: Store) -> None:
    clock = Clock()
    talks = Conversations(ttl=300, clock=clock)
    talks.put(("channel", 1, 7), turn(store, "Who is Alexandr Wang?", at=clock.now))
    clock.now += 299
    assert talks.get(("channel", 1, 7)) is not None
    assert talks.get(("channel", 2, 7)) is None and talks.get(("channel", 1, 8)) is None, (
        "per channel and user"
    )
    assert talks.get(("channel", 1, 7), max_age=60) is None, "a shorter limit for this kind of key"
    clock.now += 2
    expired = talks.get(("channel", 1, 7))
    assert expired is None and len(talks) == 0
    r = resolve(store, "how much did Meta pay him?", expired)
    assert not r.leans, "an expired conversation is a new one"


def test_conversations_are_bounded(store: Store) -> None:
    clock = Clock()
    talks = Conversations(ttl=300, max_entries=50, clock=clock)
    t = turn(store, "Who is Alexandr Wang?", at=clock.now)
    for n in range(500):
        talks.put(n, t)
    assert len(talks) == 50 and talks.get(499) is t and talks.get(0) is None
    clock.now += 301
    talks.put("new", turn(store, "Who is Ruoming Pang?", at=clock.now))
    assert len(talks) == 1, "expired turns are dropped as new ones arrive"
    talks.put("new", None)
    assert len(talks) == 0
    assert CONVERSATIONS_MAX >= 1000


# -- the command line ---------------------------------------------------------------------------

CONVERSATION = (
    "Who is Alexandr Wang?\nhow much did Meta pay him?\nQui est Tom Gunter ?\nil a rejoint Meta ?\n"
)


def test_cli_keeps_the_context_across_stdin_lines(built) -> None:
    proc = built.cli("ask", "--json", input=CONVERSATION)
    assert proc.returncode == 0, proc.stderr.decode()
    lines = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [a["question"] for a in lines] == CONVERSATION.splitlines()
    wang, gunter = lines[1], lines[3]
    assert wang["answer"].startswith("(About Alexandr Wang)\n") and "not disclosed" in wang["answer"].lower()
    assert wang["read_as"] == "how much did Meta pay Alexandr Wang?" and wang["about"] == ["Alexandr Wang"]
    assert gunter["answer"].startswith("(À propos de Tom Gunter)\n") and gunter["about"] == ["Tom Gunter"]
    assert "read_as" not in lines[0] and "read_as" not in lines[2], "standalone questions are untouched"
    text = built.cli("ask", input=CONVERSATION).stdout.decode()
    assert "(About Alexandr Wang)" in text and "(À propos de Tom Gunter)" in text


def test_cli_no_context_reads_each_line_alone(built) -> None:
    proc = built.cli("ask", "--json", "--no-context", input=CONVERSATION)
    assert proc.returncode == 0, proc.stderr.decode()
    lines = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert all("read_as" not in a and not a["answer"].startswith("(") for a in lines)
    assert "Wang" not in lines[1]["answer"], "without context, 'him' is nobody in particular"


def test_a_long_text_stands_alone(store: Store) -> None:
    long = "how much did Meta pay him? " * 20
    assert not resolve(store, long, turn(store, "Who is Alexandr Wang?")).leans
