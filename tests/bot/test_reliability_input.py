"""Bad input through Discord: whatever people type into any command or message, the bot answers
once, within Discord's limits, pinging no one, citing only verbatim quotes, and leaving its store
unchanged. Options at and past their limits, values autocomplete never offered, names that do not
exist. (The answering core alone is tried the same way in tests/core/test_robustness.py.)

The bot runs in this module's event loop (tests.fake_discord.inprocess) so that hypothesis can
drive hundreds of interactions and messages through the fake Discord in a few seconds.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Settings
from tests.fake_discord import Reply
from tests.fake_discord.inprocess import InProcessBot

from .conftest import assert_fits, assert_no_pings

pytestmark = pytest.mark.asyncio(loop_scope="module")

REPO = Path(__file__).resolve().parents[2]
QUESTION_MAX = 500  # /ask's option limit (bot.exts.ask.QUESTION_MAX)

# Everything the issue lists, and what Discord adds: markdown, code fences, mention syntax.
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
    "**bold** __under__ ~~strike~~ ||spoiler|| `code` *it* _it_",
    "```python\nimport os\nos.system('rm -rf /')\n```",
    "```",
    "> quote\n>>> block",
    "# Title\n## sub\n-# small\n- item\n1. item",
    "[click](https://example.com) <https://example.com>",
    "<@123456789012345678>",
    "<@!123456789012345678> <@&123456789012345678> <#123456789012345678> <:emoji:123456789012345678>",
    "<t:1700000000:R> </ask:123456789012345678>",
    "@everyone @here",
    "@everyone",
    "\\",
    "\\*not bold\\*",
    '" OR 1=1 --',
    "'; DROP TABLE items; --",
    "Robert'); DROP TABLE documents;--",
    "NEAR(",
    "NEAR(meta apple, 3)",
    "*",
    "meta*",
    '"unbalanced',
    "'unbalanced",
    '"" "" "',
    "Ruoming AND OR NOT Pang",
    "^Meta col:value",
    "%s %d {0} {question} %(name)s",
    "?",
    "é ﬁ Ⅻ ½",
    "Ruoming Pang",
    "Meta",
    "How much did Meta offer Ruoming Pang?",
    "Qui a quitté Apple ?",
]
fragments = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.text(st.characters(exclude_categories=()), max_size=20),  # lone surrogates included
    st.text(st.characters(min_codepoint=0, max_codepoint=0x3F), max_size=20),  # controls, punctuation
    st.text(
        st.sampled_from(list("\u200b\u200e\u200f\u202a\u202b\u202e\u2066\u2069\ufeff*_~`|>@<&# \n")),
        max_size=12,
    ),
)
texts = st.one_of(
    st.lists(fragments, max_size=6).map(" ".join),
    st.lists(fragments, max_size=6).map("".join),
    st.builds(  # 10,000+ characters
        lambda frag, extra: ((frag + " ") * (10_000 // (len(frag) + 1) + 1))[: 10_000 + extra],
        st.sampled_from([*NASTY[1:], "Meta Apple salary"]),
        st.integers(0, 2_000),
    ),
)

PROPERTY = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# A mention that would ping if it were live: escape_mentions puts a zero-width space after "@".
LIVE_MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d{17,20}>")
SEED_LINE = re.compile(r"`seeds/([^`/]+)`")
TRANSFER_QUOTE = re.compile(r"\n📰 .*: “(.+)”$", re.S)


def verbatim_form(text: str) -> str:
    """What "verbatim" tolerates: typographic quotes and whitespace (tests/core/conftest.py's rule)."""
    table = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
    return re.sub(r"\s+", " ", text.translate(table)).strip()


def unescape(text: str) -> str:
    """Undo bot.replies.escape for seed text (the seeds hold no backslash: checked in `seeds`)."""
    return re.sub(r"\\(.)", r"\1", text.replace("@\u200b", "@"), flags=re.S)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("reliability-input")
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "knowledge", root / "knowledge")
    return Settings(
        seeds_dir=root / "seeds",
        knowledge_dir=root / "knowledge",
        store_path=root / "store.sqlite",
        question_cooldown=0.0,
    )


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(paths: Settings):
    async with InProcessBot(paths) as running:
        yield running


@pytest.fixture(scope="module")
def seeds(paths: Settings) -> dict[str, str]:
    texts = {p.name: p.read_text(encoding="utf-8") for p in paths.seeds_dir.glob("*.txt")}
    assert texts and not any("\\" in t for t in texts.values()), "unescape() relies on this"
    return {name: verbatim_form(t) for name, t in texts.items()}


@pytest.fixture(scope="module")
def unchanged(bot: InProcessBot, paths: Settings):
    """Checks that the store the bot answers from is the one it started with, object and file."""
    store, digest = bot.service.store, sha256(paths.store_path)

    def check(full: bool = False) -> None:
        assert bot.service.store is store and bot.service.store.version == store.version
        assert not bot.service.is_reloading
        if full:
            assert sha256(paths.store_path) == digest
            assert bot.running, "the client is still connected"

    yield check
    check(full=True)
    assert bot.logs.errors() == [], "no error logged by any bad input"


def is_valid_text(payload: dict) -> bool:
    """No lone surrogate: Discord stores text as UTF-8, where they cannot exist (and orjson, which
    discord.py uses when installed, refuses to encode them)."""
    try:
        json.dumps(payload, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_reply(reply: Reply, seeds: dict[str, str], *, echo_checked: bool = True) -> int:
    """Accepted by Discord, pings no one, shows no live mention, quotes seeds word for word.

    Returns how many quotes were checked. `echo_checked=False` skips the valid-Unicode check for
    the two replies that echo the raw option (known bug: test_unknown_names_are_echoed_as_valid_text).
    """
    assert reply.request.status == 200, reply.request.response  # the fake rejects what Discord would
    assert_fits(reply.payload)
    assert_no_pings(reply.payload)
    if echo_checked:
        assert is_valid_text(reply.payload), reply.payload
    assert not LIVE_MENTION.search(reply.text), reply.text
    checked = 0
    for embed in reply.embeds:
        for field in embed.get("fields", []):
            lines = field["value"].split("\n")
            source = SEED_LINE.fullmatch(lines[-1])
            if source is not None:  # an answer's citation: quotes, then the seed file
                for line in lines[:-1]:
                    assert line.startswith("> "), field
                    quote = verbatim_form(unescape(line[2:]).removesuffix("…"))
                    assert quote in seeds[source.group(1)], (source.group(1), quote)
                    checked += 1
            elif (cited := TRANSFER_QUOTE.search(field["value"])) is not None:  # a transfer's source
                quote = verbatim_form(unescape(cited.group(1)).removesuffix("…"))
                assert any(quote in text for text in seeds.values()), quote
                checked += 1
    return checked


# -- any text, every command ------------------------------------------------------------------


@PROPERTY
@given(question=texts)
async def test_any_text_to_ask(bot, seeds, unchanged, question: str) -> None:
    handle = await bot.fake.slash("ask", {"question": question}, user=bot.user)
    check_reply(await handle.reply(), seeds)
    assert len([r for r in handle.requests() if r.message is not None]) == 1, "one reply, no retry"
    unchanged()


@PROPERTY
@given(text=texts, where=st.sampled_from(["mention", "dm", "question channel"]))
async def test_any_text_as_a_message(bot, seeds, unchanged, text: str, where: str) -> None:
    fake = bot.fake
    if where == "mention":
        handle = await fake.message(f"{fake.bot.mention} {text}", user=bot.user)
    elif where == "dm":
        handle = await fake.message(text, user=bot.user, dm=True)
    else:
        handle = await fake.message(text, user=bot.user, channel=fake.channel("ask-the-bot"))
        if not text.strip():  # a post with no text (like an attachment-only post) is not a question
            await asyncio.sleep(0.3)
            assert handle.replies() == []
            unchanged()
            return
    reply = await handle.reply()
    check_reply(reply, seeds)
    assert int(reply.payload["message_reference"]["message_id"]) == handle.id
    assert reply.allowed_mentions == {"parse": [], "replied_user": False}
    unchanged()


@PROPERTY
@given(name=texts)
async def test_any_name_to_who(bot, seeds, unchanged, name: str) -> None:
    reply = await (await bot.fake.slash("who", {"name": name}, user=bot.user)).reply()
    check_reply(reply, seeds, echo_checked=False)
    unchanged()


@PROPERTY
@given(
    company=st.one_of(st.none(), texts),
    limit=st.one_of(st.none(), st.sampled_from([0, 1, 25, 26, -1, 10**9]), st.integers(-100, 100)),
)
async def test_any_company_and_limit_to_transfers(bot, seeds, unchanged, company, limit) -> None:
    options = {k: v for k, v in {"company": company, "limit": limit}.items() if v is not None}
    reply = await (await bot.fake.slash("transfers", options, user=bot.user)).reply()
    check_reply(reply, seeds, echo_checked=False)
    if reply.ephemeral:  # an unknown company: one line, the name shown inert and cut
        assert "\n" not in reply.content and not reply.embeds
    unchanged()


@PROPERTY
@given(typed=texts, where=st.sampled_from([("who", "name"), ("transfers", "company")]))
async def test_any_text_typed_into_autocomplete(bot, unchanged, typed: str, where) -> None:
    command, option = where
    handle = await bot.fake.autocomplete(command, {option: typed}, option, user=bot.user)
    choices = await handle.choices()  # the fake answers 400 to more than 25 or over-long choices
    assert (await handle.callback()).status == 200
    assert len(choices) <= 25
    assert all(1 <= len(c["name"]) <= 100 and 1 <= len(c["value"]) <= 100 for c in choices)
    unchanged()


# -- options at their limits ------------------------------------------------------------------


async def test_question_of_exactly_the_maximum_length_is_answered(bot, seeds, unchanged) -> None:
    question = ("How much did Meta offer Ruoming Pang? " * 20)[: QUESTION_MAX - 1] + "?"
    assert len(question) == QUESTION_MAX
    reply = await bot.ask(question)
    assert check_reply(reply, seeds) >= 1, "its quotes were checked"
    assert "200 million" in reply.embeds[0]["description"]
    unchanged()


async def test_the_quote_check_sees_every_kind_of_citation(bot, seeds, unchanged) -> None:
    """The checks above are not vacuous: answers, profiles, free text and transfers all cite."""
    assert check_reply(await bot.ask("How much did Meta offer Ruoming Pang?"), seeds) >= 1
    assert check_reply(await bot.mention("Qui est Ruoming Pang ?"), seeds) >= 1
    assert (
        check_reply(await (await bot.fake.slash("who", {"name": "Meta"}, user=bot.user)).reply(), seeds) >= 1
    )
    moves = await (await bot.fake.slash("transfers", {"limit": 25}, user=bot.user)).reply()
    assert check_reply(moves, seeds) == len(moves.embeds[0]["fields"]) >= 1
    unchanged()


@pytest.mark.parametrize("length", [QUESTION_MAX + 1, 4_000, 100_000])
async def test_question_over_the_limit_is_cut_and_answered(bot, seeds, unchanged, length: int) -> None:
    """Discord refuses these; a raw payload that gets through is cut to the limit, not trusted."""
    question = ("How much did Meta offer Ruoming Pang? " * (length // 30 + 1))[:length]
    reply = await bot.ask(question)
    check_reply(reply, seeds)
    assert len(reply.embeds[0]["title"]) <= 256
    assert reply.embeds == (await bot.ask(question[:QUESTION_MAX])).embeds, "answered as its first 500"
    unchanged()


async def test_empty_question_gets_the_help_hint(bot, seeds, unchanged) -> None:
    reply = await bot.ask("")
    check_reply(reply, seeds)
    assert "/help" in reply.text
    unchanged()


@pytest.mark.parametrize(("limit", "expected"), [(0, 1), (1, 1), (25, 25), (26, 25), (-5, 1), (10**9, 25)])
async def test_transfers_limit_at_and_past_its_range(bot, seeds, unchanged, limit, expected) -> None:
    total = len(bot.service.store.transfers)
    reply = await (await bot.fake.slash("transfers", {"limit": limit}, user=bot.user)).reply()
    check_reply(reply, seeds)
    assert len(reply.embeds[0]["fields"]) == min(expected, total)
    unchanged()


@pytest.mark.parametrize(
    "company",
    [
        "M" * 100,
        "Zorglub " * 40,  # 320 characters: over the 100 Discord allows
        "**Meta** @everyone <@&123456789012345678>",
        "Ruoming Pang · person",  # the label autocomplete shows, not the value it sends
        '" OR 1=1 --',
    ],
)
async def test_transfers_with_a_company_autocomplete_never_offered(bot, seeds, unchanged, company) -> None:
    reply = await (await bot.fake.slash("transfers", {"company": company}, user=bot.user)).reply()
    check_reply(reply, seeds)
    if reply.ephemeral:
        assert "\n" not in reply.content and len(reply.content) < 400
    unchanged()


@pytest.mark.parametrize(
    "name",
    [
        "Nobody Special",
        "Ruoming Pang · person",  # an autocomplete label typed by hand
        "x" * 100,
        "y" * 5_000,
        "**Zorg** @everyone <@123456789012345678> ```",
        "'; DROP TABLE entities; --",
    ],
)
async def test_who_for_a_name_that_does_not_exist(bot, seeds, unchanged, name: str) -> None:
    reply = await (await bot.fake.slash("who", {"name": name}, user=bot.user)).reply()
    check_reply(reply, seeds)
    if "Ruoming" not in name:
        assert "no one called" in reply.text or "know no" in reply.text, reply.text
        assert len(reply.embeds[0]["description"]) < 600, "an unknown name is not echoed at length"
    unchanged()


# -- no user input reaches SQL ------------------------------------------------------------------


async def test_answering_never_opens_the_database(bot, seeds, unchanged, monkeypatch) -> None:
    """The store is read into memory once: SQL-looking input cannot reach SQLite at all."""
    opened: list[tuple] = []

    def refuse(*args, **kwargs):
        opened.append(args)
        raise AssertionError("sqlite3.connect called while answering")

    monkeypatch.setattr(sqlite3, "connect", refuse)
    hostile = [
        '" OR 1=1 --',
        "'; DROP TABLE items; --",
        "NEAR(meta, 3) *",
        "Meta' UNION SELECT * FROM meta --",
    ]
    for text in hostile:
        check_reply(await bot.ask(text), seeds)
        check_reply(await bot.mention(text), seeds)
        check_reply(await (await bot.fake.slash("who", {"name": text}, user=bot.user)).reply(), seeds)
        check_reply(
            await (await bot.fake.slash("transfers", {"company": text}, user=bot.user)).reply(), seeds
        )
        await (await bot.fake.autocomplete("who", {"name": text}, "name", user=bot.user)).choices()
    assert opened == []
    unchanged()


# -- a bug found by the properties above ----------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "option"), [("who", "name"), ("transfers", "company")], ids=["who", "transfers"]
)
async def test_unknown_names_are_echoed_as_valid_text(bot, unchanged, command: str, option: str) -> None:
    raw = "Zorg \ud800 \x00\x1b[31m"
    reply = await (await bot.fake.slash(command, {option: raw}, user=bot.user)).reply()
    assert reply.request.status == 200
    assert "Zorg" in reply.text
    assert is_valid_text(reply.payload), reply.text
    assert "\x00" not in reply.text and "\x1b" not in reply.text, "control characters are dropped"
    unchanged()


async def test_questions_are_echoed_as_valid_text(bot, seeds, unchanged) -> None:
    """The same input through /ask and free text: the echo is cleaned, as for /who and /transfers."""
    raw = "Zorg \ud800 \x00\x1b[31m"
    for reply in (await bot.ask(raw), await bot.mention(raw)):
        check_reply(reply, seeds)
        assert "\x00" not in reply.text and "\x1b" not in reply.text
    unchanged()
