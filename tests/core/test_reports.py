"""Several articles on one story: reports that disagree are all shown, newest first, each with its
source; a figure a later article corrects is not offered as another version; the fact asked for
leads in the words the article wrote."""

from __future__ import annotations

import pytest

from bot.core.answer import answer
from bot.core.answer_types import find
from bot.core.store import Store

from .conftest import store_with_articles

# Invented people and companies.
ARTICLES = {
    "911_wren_hire.txt": (
        "2025-08-05",
        "en",
        "Wren Robotics hires Ilse Varga from Microsoft Research\n\n"
        "Wren Robotics said on Tuesday that it had hired Ilse Varga, a robotics researcher at Microsoft "
        "Research, as its chief scientist. Varga's contract is worth $12 million over four years, "
        "according to a person who has seen its terms.\n"
        "Separately, Bruno Castell of Osprey AI turned down an offer from Meta worth $20 million, "
        "according to two people familiar with the talks.\n"
        "Wren builds warehouse robots. It raised money in the spring. Its offices are in Lyon. "
        "It plans to open a lab in Zurich. The lab will focus on grasping.\n"
        "OpenAI, which also makes robots, declined to comment on its own hiring plans.\n"
        "Kai Lind joined Osprey AI in March as a research engineer.\n",
    ),
    "912_wren_column.txt": (
        "2025-10-07",
        "en",
        "Opinion: start-ups that pay for stars\n\n"
        "Wren Robotics hired Ilse Varga from Microsoft Research this summer with a package reported "
        "at $15 million, and the company has since doubled its research staff.\n",
    ),
    "913_castell_offer.txt": (
        "2025-11-10",
        "en",
        "Meta's offer to Bruno Castell was larger than reported\n\n"
        "The offer that Meta made to Bruno Castell, co-founder of Osprey AI, was worth $30 million over "
        "four years, according to documents seen by this newsletter, and not the $20 million that was "
        "previously reported.\n"
        "Last week, Kai Lind left Osprey AI and joined Wren Robotics as head of perception.\n",
    ),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    articles = {
        file: (
            text,
            {
                "title": text.splitlines()[0],
                "language": language,
                "date": date,
                "publisher": f"Wire {file[:3]}",
                "url": None,
            },
        )
        for file, (date, language, text) in ARTICLES.items()
    }
    return store_with_articles(tmp_path_factory.mktemp("reports"), articles)


def test_two_reports_that_disagree_are_both_given_newest_first(store: Store) -> None:
    a = answer(store, "How much is Ilse Varga's contract worth?")
    assert a.answered, a.text
    first, second = a.text.splitlines()[:2]
    assert "$15 million" in first and "Wire 912" in first  # the October report first
    assert "$12 million" in second and "Wire 911" in second  # then the August one, labelled
    assert second.startswith("Another report")
    sources = {c.source for c in a.citations}
    assert {"seeds/911_wren_hire.txt", "seeds/912_wren_column.txt"} <= sources


def test_a_figure_the_newest_report_corrects_is_not_another_version(store: Store) -> None:
    a = answer(store, "How much did Meta offer Bruno Castell?")
    assert a.answered, a.text
    assert a.text.startswith("$30 million")
    assert "Another report" not in a.text  # "$20 million" is what the correction names as wrong


def test_the_lead_is_cut_from_the_text_as_written() -> None:
    found = find("L'équipe a quitté le laboratoire fin août pour rejoindre le cœur du projet.")
    assert [f.text for f in found if f.kind == "date"] == ["fin août"]


def test_when_leads_with_a_date_and_how_long_with_a_duration() -> None:
    from bot.core.answer_types import lead

    found = find("Ota, who spent nine years at Apple, joined Meta in early July.", "2025-08-28")
    assert lead(found, {"when"}, {"when", "did", "ota", "join", "meta"}).text == "early July"  # type: ignore[union-attr]
    assert lead(found, {"when"}, {"how", "long", "was", "ota", "at", "apple"}).text == "nine years"  # type: ignore[union-attr]


def test_a_company_named_paragraphs_away_does_not_make_a_sentence_about_it(store: Store) -> None:
    """The article names OpenAI, but not in Castell's paragraph: nothing says OpenAI made him an
    offer, so the question is declined rather than answered with Meta's offer."""
    a = answer(store, "Did OpenAI make an offer to Bruno Castell?")
    assert not a.answered, a.text


def test_a_sentence_reporting_the_opposite_move_does_not_answer(store: Store) -> None:
    """ "Lind left Osprey AI and joined Wren" says nothing of when Lind joined Osprey AI."""
    a = answer(store, "When did Kai Lind join Osprey AI?")
    assert a.answered, a.text
    assert a.text.startswith("March"), a.text
    assert "Last week" not in a.text.splitlines()[0]


def test_a_sum_the_question_quotes_is_matched_by_size_not_read_as_a_name(store: Store) -> None:
    """ "$20m" is no unknown name to decline on, and it matches "$20 million" as written."""
    from bot.core.retrieve import analyse, rank

    query = analyse(store, "Bruno Castell, $20m?", "en")
    assert "20m" not in query.unknown
    assert ("$20000000",) in query.terms
    top = [next(iter(s.item.text.values())) for s in rank(store, query, limit=3)]
    assert any("an offer from Meta worth $20 million" in t for t in top), top


@pytest.mark.parametrize(
    ("written", "same_as"),
    [
        ("50 millions de dollars", "$50 million"),
        ("about $50 million", "50 M$"),
        ("a hundred million dollars", "$100 million"),
        ("vingt millions de dollars", "$20m"),
        ("1,2 milliard de dollars", "$1.2 billion"),
    ],
)
def test_sums_written_differently_are_one_value(written: str, same_as: str) -> None:
    from bot.core.answer_types import amount_value

    assert amount_value(written) == amount_value(same_as)
    assert amount_value(written) != amount_value("$80 million")


def test_how_long_is_answered_by_a_length_of_time_never_by_a_date(store: Store) -> None:
    long = answer(store, "How long is Ilse Varga's contract?")
    assert long.answered and "four years" in long.text, long.text
    # Kai Lind's sentences give when he moved, not for how long: a date is no answer.
    dated = answer(store, "For how many years was Kai Lind at Osprey AI?")
    assert not dated.answered, dated.text
    assert find("Meta strengthened its team in a few weeks")[0].kind == "duration"


def test_combien_de_counts_unless_it_asks_for_money() -> None:
    from bot.core.retrieve import _intents

    assert _intents("combien d'ingenieurs compte l'equipe", []) >= {"how_many"}
    assert "how_much" not in _intents("combien d'ingenieurs compte l'equipe", [])
    assert "how_much" in _intents("combien de millions pour castell", [])


def test_the_article_a_question_points_at_is_not_a_person_the_answer_must_name(store: Store) -> None:
    """ "per the Castell article" says where to look; the answer is about someone else."""
    a = answer(store, "According to the Bruno Castell article, who joined Wren Robotics last week?")
    assert a.answered and "Kai Lind" in a.text, a.text
    # "selon l'article" before a company keeps the company a subject ("l'armure d'Apple selon l'article").
    from bot.core.retrieve import analyse

    assert "osprey-ai" in " ".join(
        analyse(store, "Quel est le métier d'Osprey AI selon l'article ?").entities
    )


def test_a_rhetorical_question_of_the_article_is_no_answer(store: Store) -> None:
    from bot.core.retrieve import analyse, eligible, rank

    query = analyse(store, "La première faille dans l'armure d'Apple ?")
    asked = [s for s in rank(store, query, limit=20) if eligible(query, s)]
    assert all(not next(iter(s.item.text.values())).rstrip().endswith("?") for s in asked)


def test_a_curated_fact_about_leaving_does_not_say_when_someone_joined(store: Store) -> None:
    """The curated "Tom Gunter left Apple last week" is no answer to when he joined Apple."""
    a = answer(store, "When did Tom Gunter first join Apple?")
    assert not a.answered or "last week" not in a.text.lower(), a.text
    left = answer(store, "When did Tom Gunter leave Apple?")
    assert left.answered and "last week" in left.text.lower(), left.text
