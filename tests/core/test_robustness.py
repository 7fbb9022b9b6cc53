"""Whatever people type, the core answers without crashing, in English or French, citing only what
the articles say, and never changes the store it reads from.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.answer import answer, profile
from bot.core.models import Entity, Transfer
from bot.core.store import Store

from .conftest import Project, sha256, verbatim_form

NASTY = [
    "",
    " ",
    "\t\n\r ",
    "\x00",
    "a\x00b",
    "\x01\x02\x03\x1b[31m\x7f",
    "\ud800",
    "\udfff\ud800 Ruoming Pang \udc00",
    "\u200b\u200c\u200d\u2060\ufeff",
    "\u200f\u202eRuoming Pang\u202c",
    "\u2066Meta\u2069",
    "🤖🚀💸 Meta 🍎",
    "👨‍👩‍👧‍👦",
    "**bold** __under__ ~~strike~~ ||spoiler|| `code`",
    "```python\nimport os\nos.system('rm -rf /')\n```",
    "> quote\n>>> block",
    "<@123>",
    "<@!123> <@&456> <#789> <:emoji:1234>",
    "@everyone @here",
    '" OR 1=1 --',
    "'; DROP TABLE items; --",
    "NEAR(",
    "NEAR(meta apple, 3)",
    "*",
    "meta*",
    '"unbalanced',
    "'unbalanced",
    '"" "" "',
    "Ruoming AND OR NOT Pang",
    "^Meta",
    "col:value",
    "%s %d {0} {question}",
    "\\",
    "-",
    "?",
    "?!.,;:",
    "é",
    "ﬁ ligature Ⅻ ½",
    "Ruoming Pang",
    "How much did Meta offer Ruoming Pang?",
    "Qui a quitté Apple ?",
    "a-t-il",
    "l'",
]

fragments = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(st.characters(exclude_categories=()), max_size=20),  # includes lone surrogates
    st.text(st.characters(min_codepoint=0, max_codepoint=0x3F), max_size=20),  # controls and punctuation
    st.text(st.sampled_from(list("\u200b\u200e\u200f\u202a\u202b\u202e\u2066\u2069\ufeff \n")), max_size=10),
)
texts = st.one_of(
    st.lists(fragments, max_size=8).map(" ".join),
    st.lists(fragments, max_size=8).map("".join),
    # 10,000+ characters
    st.builds(
        lambda frag, extra: ((frag + " ") * (10_000 // (len(frag) + 1) + 1))[: 10_000 + extra],
        st.sampled_from([*NASTY, "Meta Apple salary"]),
        st.integers(0, 2_000),
    ),
)
langs = st.sampled_from([None, "en", "fr", "de", "", "EN"])
limits = st.one_of(st.sampled_from([0, 1, 25, 10**9, -1, -(10**9), None]), st.integers(-50, 50))

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    database=None,
)
LIGHT = settings(SETTINGS, max_examples=100)


@pytest.fixture(scope="module")
def guarded(module_project: Project, module_store: Store):
    """The store plus what must never change while answering; checked after every example."""
    seeds = {p.name: verbatim_form(p.read_text(encoding="utf-8")) for p in module_project.seeds.glob("*.txt")}
    snapshot = (
        module_store.version,
        dict(module_store.fact_digests),
        len(module_store.items),
        sha256(module_project.store_path),
    )

    def check_unchanged() -> None:
        assert (
            module_store.version,
            module_store.fact_digests,
            len(module_store.items),
            sha256(module_project.store_path),
        ) == snapshot

    return module_store, seeds, check_unchanged


def check_answer(store: Store, seeds: dict[str, str], ans, lang) -> None:
    assert isinstance(ans.answered, bool)
    assert ans.language in ("en", "fr")
    if lang in ("en", "fr"):
        assert ans.language == lang
    assert isinstance(ans.text, str) and ans.text.strip()
    assert 0.0 <= ans.confidence <= 1.0
    if ans.answered:
        assert ans.citations
    for fid in ans.facts:
        assert fid in store.items_by_id or any(t.id == fid for t in store.transfers)
    for c in ans.citations:
        file = c.source.removeprefix("seeds/")
        assert c.source == f"seeds/{file}" and file in seeds
        assert verbatim_form(c.quote) in seeds[file]
    obj = ans.to_json()
    # what the CLI and the bot serialise must be valid text (no lone surrogates left)
    for value in (obj["question"], obj["answer"]):
        value.encode("utf-8")


@SETTINGS
@given(question=texts, lang=langs)
def test_answer_never_fails(guarded, question: str, lang) -> None:
    store, seeds, check_unchanged = guarded
    ans = answer(store, question, lang)
    check_answer(store, seeds, ans, lang)
    check_unchanged()


@LIGHT
@given(prefix=st.sampled_from(NASTY), suffix=st.sampled_from(NASTY))
def test_noise_around_a_known_question_is_harmless(guarded, prefix: str, suffix: str) -> None:
    """Wrapping a question in markup, mentions or invisible marks never makes it crash or mis-cite."""
    store, seeds, check_unchanged = guarded
    ans = answer(store, f"{prefix} Who is Tom Gunter? {suffix}")
    check_answer(store, seeds, ans, None)
    check_unchanged()


@LIGHT
@given(name=texts, lang=langs)
def test_profile_never_fails(guarded, name: str, lang) -> None:
    store, seeds, check_unchanged = guarded
    ans = profile(store, name, lang or "en")
    check_answer(store, seeds, ans, "fr" if lang == "fr" else "en")
    if not ans.answered:
        assert all(isinstance(s, str) for s in ans.suggestions)
        assert len(ans.text) < 2000, "an unknown name is not echoed back at full length"
    check_unchanged()


@LIGHT
@given(text=texts, limit=limits)
def test_search_names_never_fails(guarded, text: str, limit) -> None:
    store, _seeds, check_unchanged = guarded
    found = store.search_names(text) if limit is None else store.search_names(text, limit)
    assert isinstance(found, list)
    assert all(isinstance(e, Entity) and store.entities[e.id] is e for e in found)
    assert len({e.id for e in found}) == len(found), "an entity is listed twice"
    assert len(found) <= 25, "Discord shows at most 25 autocomplete choices"
    if limit is not None and limit >= 1:
        assert len(found) <= limit
    check_unchanged()


@LIGHT
@given(company=st.one_of(st.none(), texts), limit=limits)
def test_list_transfers_never_fails(guarded, company, limit) -> None:
    store, _seeds, check_unchanged = guarded
    found = store.list_transfers(company, limit)
    assert isinstance(found, list)
    assert all(isinstance(t, Transfer) for t in found)
    order = [t.id for t in store.transfers]
    positions = [order.index(t.id) for t in found]
    assert positions == sorted(positions), "latest first, as in store.transfers"
    if limit is not None:
        assert len(found) <= max(limit, 0)
    if company is None or not company.strip():
        expected = len(store.transfers) if limit is None else min(max(limit, 0), len(store.transfers))
        assert len(found) == expected
    check_unchanged()


# -- concrete expectations for the functions exercised above --------------------------------------


def test_search_names_exact_and_prefix_first(module_store: Store) -> None:
    for ent in module_store.entities.values():
        found = module_store.search_names(ent.name)
        assert found and found[0].id == ent.id, f"{ent.name!r} -> {[e.id for e in found[:3]]}"
        assert len(module_store.search_names(ent.name, 1)) == 1
    pang = module_store.search_names("Ruo")
    assert pang and pang[0].id == "ruoming-pang"
    assert module_store.search_names("RUOMING pang")[0].id == "ruoming-pang"


def test_search_names_empty_lists_people_first(module_store: Store) -> None:
    found = module_store.search_names("")
    assert len(found) == min(25, len(module_store.entities))
    kinds = [e.is_person for e in found]
    assert kinds == sorted(kinds, reverse=True)


def test_transfers_are_latest_first(module_store: Store) -> None:
    dated = [t.date for t in module_store.list_transfers() if t.date]
    assert dated == sorted(dated, reverse=True)
    assert module_store.list_transfers(limit=0) == []
    assert module_store.list_transfers(limit=-5) == []
    assert len(module_store.list_transfers(limit=1)) == 1
    assert module_store.list_transfers(limit=10**9) == module_store.list_transfers()


def test_transfers_by_company(module_store: Store) -> None:
    meta = module_store.list_transfers("Meta")
    assert meta and all("meta" in {t.from_org, t.to_org, t.who} for t in meta)
    assert module_store.list_transfers("meta platforms") == meta, "aliases and case do not matter"
    assert module_store.list_transfers("No Such Company Whatsoever") == []


def test_profile_unknown_name_suggests(module_store: Store) -> None:
    ans = profile(module_store, "Ruoming Pnag")
    assert ans.answered or "Ruoming Pang" in ans.suggestions
    unknown = profile(module_store, "Zzyzx Qwerty")
    assert not unknown.answered
    assert "Zzyzx Qwerty" in unknown.text


@pytest.mark.parametrize("length", [10_000, 50_000])
def test_very_long_questions(module_store: Store, length: int) -> None:
    for text in ("x" * length, ("How much did Meta offer Ruoming Pang? " * 2000)[:length]):
        ans = answer(module_store, text)
        assert ans.language in ("en", "fr")
        assert isinstance(ans.answered, bool)
    assert not profile(module_store, "x" * length).answered


def test_empty_question_gets_the_help_message(module_store: Store) -> None:
    for q in ("", "   ", "\u200b", "\x00", "?"):
        ans = answer(module_store, q)
        assert not ans.answered
        assert ans.citations == [] and ans.facts == []
        assert ans.text == answer(module_store, "").text
