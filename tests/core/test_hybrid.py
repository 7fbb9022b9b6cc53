"""The hybrid core on an article nobody curated: names linked across mentions, answers found in
sentences and led by the fact asked for, typos and other languages, embeddings never redone."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.config import PROJECT_ROOT
from bot.core.answer import answer
from bot.core.answer_types import find
from bot.core.build import build_store
from bot.core.names import find_names
from bot.core.retrieve import analyse
from bot.core.store import Store
from bot.core.text import split_passages
from bot.core.vectors import VectorIndex

from .conftest import store_with_articles

# Invented people and a start-up that does not exist.
ARTICLE = """Quill Labs hires Orla Brennan from Google DeepMind

SEATTLE, Oct 3 (Test Wire) - Quill Labs said on Monday that it had hired Orla Brennan, a principal \
scientist at Google DeepMind, as its head of research. Brennan, who spent nine years at DeepMind, \
will lead a team of about 30 researchers. Her contract is worth $18 million over three years, \
according to a person who has seen its terms. She starts on Oct. 20.
Quill Labs was founded in 2023 by Tomasz Wierzbicki, a former Microsoft engineer.
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    entry = {
        "title": "Quill Labs hires Orla Brennan",
        "language": "en",
        "date": "2025-10-03",
        "publisher": "Test Wire",
        "url": None,
    }
    return store_with_articles(tmp_path_factory.mktemp("hybrid"), {"901_quill.txt": (ARTICLE, entry)})


def test_new_names_become_entities_and_the_surname_alone_names_the_person() -> None:
    names = {n.display: n for n in find_names({"a.txt": ARTICLE}, {})}
    assert names["Orla Brennan"].kind == "person"
    assert names["Quill Labs"].kind == "organisation"
    assert "Tomasz Wierzbicki" in names
    assert "Test Wire" not in {n.display for n in names.values() if n.kind == "person"}


def test_a_single_word_employer_is_an_organisation_and_a_place_is_no_person() -> None:
    text = (
        "Orla Brennan a quitté Quill Labs et rejoint Zentrix en mai. Elle travaille à Port Hadley, "
        "au siège de Zentrix. Le Journal des Codeurs écrit que Brennan dirige 30 personnes à Port Hadley."
    )
    names = {n.display: n for n in find_names({"a.txt": text}, {})}
    assert names["Zentrix"].kind == "organisation"  # "rejoint Zentrix"
    assert "Port Hadley" not in names  # only ever "à Port Hadley": a place
    assert names["Journal des Codeurs"].kind == "organisation"
    assert names["Orla Brennan"].kind == "person"
    # One capitalised word with no employer before it is no name: a surname, a place, a title.
    assert "Le" not in names and "Elle" not in names and "Brennan" not in names


def test_variant_spellings_are_one_person() -> None:
    names = find_names(
        {"a.txt": "Yevgeny Sorokin joined Meta.", "b.txt": "Evgeny Sorokin a rejoint Meta."}, {}
    )
    people = [n for n in names if n.kind == "person"]
    assert len(people) == 1 and people[0].spellings


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("When was Quill Labs founded?", "2023"),
        ("How much is Brennan's contract worth?", "$18 million"),
        ("How many researchers will Orla Brennan lead?", "about 30 researchers"),
        ("Who founded Quill Labs?", "Wierzbicki"),
        ("Combien de chercheurs Orla Brennan va-t-elle diriger ?", "about 30 researchers"),
    ],
)
def test_an_uncurated_sentence_answers_and_the_answer_leads_with_the_fact(
    store: Store, question: str, expected: str
) -> None:
    ans = answer(store, question)
    assert ans.answered, ans.text
    assert expected in ans.text.splitlines()[0]
    assert ans.citations[0].source == "seeds/901_quill.txt"
    assert ans.confidence < 0.8  # an unreviewed sentence is never shown as a confident answer


def test_a_question_about_someone_else_is_not_answered_with_her(store: Store) -> None:
    ans = answer(store, "How much is Mark Lee's contract at Quill Labs worth?")
    assert not ans.answered or "Brennan" not in ans.text


def test_when_and_how_much_need_a_date_or_an_amount(store: Store) -> None:
    ans = answer(store, "When did Tomasz Wierzbicki leave Microsoft?")
    assert not ans.answered or "2023" in ans.text  # no date for the departure itself: never another one


def test_everyday_typos_are_fixed(store: Store) -> None:
    assert "when" in analyse(store, "wehn did ruoming pang join meta").intents
    assert analyse(store, "how much did meta ofer to ruoming pang").words[4] == "offer"
    assert "how_much" in analyse(store, "hw much was pang's package").intents


def test_other_languages_get_one_line_naming_the_two_it_answers_in(store: Store) -> None:
    for q in ("Wer ist Ruoming Pang?", "¿Quién es Tom Gunter?"):
        ans = answer(store, q)
        assert not ans.answered and "English" in ans.text and "français" in ans.text


def test_an_english_possessive_is_english(store: Store) -> None:
    assert answer(store, "OpenAI's hires from Meta?").language == "en"
    assert answer(store, "What is Meta's offer to Ruoming Pang?").language == "en"


def test_sentences_are_not_cut_after_abbreviations() -> None:
    text = "She joined on Monday, Sept. 29, after talks. U.S. labs pay more than M. Dupont said they would."
    assert [s for _, _, s in split_passages(text)] == [
        "She joined on Monday, Sept. 29, after talks.",
        "U.S. labs pay more than M. Dupont said they would.",
    ]


@pytest.mark.parametrize(
    ("sentence", "doc_date", "kind", "text", "value"),
    [
        ("He left last week.", "2025-10-21", "date", "last week", "2025-10"),
        ("Tom Gunter a quitté Apple la semaine dernière.", None, "date", "la semaine dernière", ""),
        ("Helix said on Tuesday that it hired her.", "2025-08-12", "date", "on Tuesday", "2025-08-12"),
        ("She starts on Sept. 29.", "2025-10-02", "date", "Sept. 29", "2025-09-29"),
        ("Elle rejoindra Calanque en janvier 2026.", None, "date", "en janvier 2026", "2026-01"),
        ("It raised 1,2 milliard de dollars.", None, "amount", "1,2 milliard de dollars", ""),
        ("A nine-figure package.", None, "amount", "nine-figure", ""),
        ('A package worth "well into eight figures".', None, "amount", "well into eight figures", ""),
        ("Un salaire à huit chiffres.", None, "amount", "huit chiffres", ""),
        ("Tens of millions of dollars per year.", None, "amount", "Tens of millions of dollars", ""),
        ("She will manage about 40 researchers.", None, "count", "about 40 researchers", ""),
        ("He spent eleven years there.", None, "duration", "eleven years", ""),
        ("She had been at the company since 2016.", None, "duration", "since 2016", ""),
    ],
)
def test_answers_inside_sentences(
    sentence: str, doc_date: str | None, kind: str, text: str, value: str
) -> None:
    found = [f for f in find(sentence, doc_date) if f.kind == kind]
    assert (
        found
        and found[0].text.endswith(text.split()[-1])
        and text.split()[0].lower() in found[0].text.lower()
    )
    assert found[0].value == value


def test_an_unchanged_rebuild_embeds_nothing_and_a_new_article_only_its_sentences(tmp_path: Path) -> None:
    shutil.copytree(PROJECT_ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(PROJECT_ROOT / "knowledge", tmp_path / "knowledge")
    cache = tmp_path / "cache.sqlite"
    store = tmp_path / "store.sqlite"
    first = build_store(tmp_path / "seeds", tmp_path / "knowledge", store, embedding_cache=cache)
    assert first.embedded > 100
    assert build_store(tmp_path / "seeds", tmp_path / "knowledge", store, embedding_cache=cache).embedded == 0
    (tmp_path / "seeds" / "901_quill.txt").write_text(ARTICLE, encoding="utf-8")
    added = build_store(tmp_path / "seeds", tmp_path / "knowledge", store, embedding_cache=cache)
    sentences = len(list(split_passages(ARTICLE)))
    assert 0 < added.embedded <= sentences + 2  # its sentences (and nothing already known)


def test_the_inverted_file_finds_the_nearest_vector_in_a_large_index() -> None:
    rng = np.random.default_rng(3)
    # Clustered like sentence embeddings (topics), not uniform noise.
    centres = rng.standard_normal((300, 384)).astype(np.float32)
    m = centres[rng.integers(0, 300, 30_000)] + 0.6 * rng.standard_normal((30_000, 384)).astype(np.float32)
    m /= np.linalg.norm(m, axis=1, keepdims=True)
    index = VectorIndex(m, np.arange(30_000), 30_000)
    assert not index.exact
    hits = 0
    for i in rng.choice(30_000, 20, replace=False):
        q = m[i] + 0.05 * rng.standard_normal(384).astype(np.float32)
        hits += index.nearest(q / np.linalg.norm(q), 5)[0] == i
    assert hits >= 18


def test_a_reporters_sources_are_not_a_head_count() -> None:
    # "How many people work at Meta's lab?" must not be answered "two people".
    assert not [f for f in find("Two people familiar with the offer described it.") if f.kind == "count"]
    assert [f.text for f in find("It now employs about 95 people.") if f.kind == "count"] == [
        "about 95 people"
    ]


@pytest.mark.parametrize(
    "question",
    [
        "apple répond comment à la surenchère des salaires ?",
        "Besides the huge salaries, what else draws Apple's experts to Meta?",
    ],
)
def test_a_pay_word_in_a_how_or_what_else_question_asks_no_sum(store: Store, question: str) -> None:
    # "comment", "what else": Apple's approach or Meta's other draws, not an amount to look for
    assert "how_much" not in analyse(store, question).intents


def test_how_apple_answers_the_pay_race_is_answered_by_its_approach(store: Store) -> None:
    ans = answer(store, "apple répond comment à la surenchère des salaires ?")
    assert ans.answered, ans.text
    assert "surenchère" in ans.citations[0].quote, ans.text


@pytest.mark.parametrize(
    "question",
    [
        "how big was pang's signing bonus?",
        "C'est quoi le salaire de base annuel de Pang chez Meta ?",
        "how much of pang's package is in meta stock?",
    ],
)
def test_a_part_of_a_package_is_not_answered_by_the_whole(store: Store, question: str) -> None:
    # the seeds give Pang's package as "more than $200 million, in various forms", never its parts
    ans = answer(store, question)
    assert not ans.answered, ans.text


@pytest.mark.parametrize(
    "question", ["did okonkwo end up signing with helix?", "fischer est basée où chez nvidia ?"]
)
def test_signing_with_a_company_or_being_based_somewhere_asks_no_pay_part(
    store: Store, question: str
) -> None:
    assert not analyse(store, question).pay_parts


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        ("Helping structure the lab is Pang's main mission at Meta.", "main mission"),
        ("La mission confiée à Pang s'inscrit dans une vaste restructuration.", None),
        ("Helix, based in San Francisco's Mission Bay district, builds models.", None),
    ],
)
def test_a_mission_is_a_role_only_when_it_is_someones_main_one(sentence: str, role: str | None) -> None:
    # a bare "mission" led role answers with "Mission." ("Quel poste occupait Pang chez Apple ?")
    roles = [f.text for f in find(sentence) if f.kind == "role"]
    assert roles == ([role] if role else [])
