"""/reload through Discord: every kind of broken knowledge is refused with file and line while the
previous store keeps answering (its file untouched); only moderators reload, never through free
text; two reloads at once run one build; and questions asked during reloads are each answered from
exactly one version of the store.

(StoreService alone is tried the same way in tests/core/test_service.py; the e2e test reloads a
running `python -m bot run` with one broken quote.) One bot, in this module's event loop, serves
every test; each test gets fresh copies of seeds/ and knowledge/ and the store is put back after.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
import pytest_asyncio
import yaml

from bot.config import Settings
from bot.core.answer import answer
from bot.core.store import Store
from tests.fake_discord import MANAGE_GUILD, MEMBER_PERMISSIONS, Reply
from tests.fake_discord.inprocess import InProcessBot

from .conftest import assert_fits, assert_no_pings

pytestmark = pytest.mark.asyncio(loop_scope="module")

REPO = Path(__file__).resolve().parents[2]
QUESTION = "How much did Meta offer Ruoming Pang?"
ERROR_LINE = re.compile(r"^(?P<file>[^\s:]+):(?P<line>\d+): \S")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Project:
    """Pristine copies of the inputs, and the working copies the bot reads (reset after each test)."""

    def __init__(self, root: Path) -> None:
        self.pristine = root / "pristine"
        self.work = root / "work"
        for name in ("seeds", "knowledge"):
            shutil.copytree(REPO / name, self.pristine / name)
        self.reset()
        self.settings = Settings(
            seeds_dir=self.seeds,
            knowledge_dir=self.knowledge,
            store_path=self.work / "store.sqlite",
            question_cooldown=0.0,
        )

    @property
    def seeds(self) -> Path:
        return self.work / "seeds"

    @property
    def knowledge(self) -> Path:
        return self.work / "knowledge"

    def reset(self) -> None:
        """Working inputs identical to the pristine ones, mtimes included (copy2)."""
        for name in ("seeds", "knowledge"):
            target = self.work / name
            if target.exists():
                for p in target.rglob("*"):
                    if not p.is_symlink():
                        p.chmod(0o755 if p.is_dir() else 0o644)
                shutil.rmtree(target)
            shutil.copytree(self.pristine / name, target)

    def file_defining(self, record_id: str) -> Path:
        for path in sorted(self.knowledge.glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for records in data.values():
                if any(isinstance(r, dict) and r.get("id") == record_id for r in records or []):
                    return path
        raise LookupError(record_id)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project(tmp_path_factory.mktemp("reliability-reload"))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(project: Project):
    async with InProcessBot(project.settings) as running:
        running.pristine_version = running.service.store.version  # type: ignore[attr-defined]
        yield running


@pytest_asyncio.fixture(loop_scope="module", autouse=True)
async def fresh_inputs(bot: InProcessBot, project: Project):
    """Each test starts from the pristine inputs and the store built from them; nothing errs."""
    yield
    project.reset()
    if bot.service.store.version != bot.pristine_version:  # type: ignore[attr-defined]
        report = await bot.service.reload()
        assert report.ok and report.version == bot.pristine_version  # type: ignore[attr-defined]
    assert bot.running
    assert not [r for r in bot.fake.requests if r.status >= 400], "every request the bot sent was accepted"


async def test_missing_store_at_start_is_built_with_a_log_line(bot, project) -> None:
    """The bot started with no store file at all (what `python -m bot run` does: ensure_built)."""
    lines = [line for line in bot.logs.lines() if "building from" in line]
    assert lines, bot.logs.text()[:2000]
    assert f"store {project.settings.store_path} is missing" in lines[0]
    assert Store.open(project.settings.store_path).version == bot.service.store.version
    assert "200 million" in (await bot.ask(QUESTION)).embeds[0]["description"]


def target_fact(store: Store) -> str:
    """The curated fact that answers QUESTION."""
    ans = answer(store, QUESTION)
    assert ans.answered and ans.facts, ans.text
    return ans.facts[0]


def a_quote(store: Store, fid: str) -> tuple[str, str]:
    c = store.items_by_id[fid].citations[0]
    return c.source.removeprefix("seeds/"), c.quote


def fact_yaml(fid: str, about: list[str], seed: str, quote: str, answers: str = "what") -> str:
    record = {
        "id": fid,
        "topic": {"en": "A test topic", "fr": "Un sujet de test"},
        "about": about,
        "answers": [answers],
        "text": {"en": "A test fact.", "fr": "Un fait de test."},
        "cite": [{"seed": seed, "quote": quote}],
    }
    return yaml.safe_dump({"facts": [record]}, allow_unicode=True, sort_keys=False)


def add_valid_fact(project: Project, store: Store, fid: str) -> None:
    """A new, valid fact: a reload after this one would change the store."""
    seed, quote = a_quote(store, target_fact(store))
    (project.knowledge / f"zz-{fid}.yaml").write_text(fact_yaml(fid, ["meta"], seed, quote), encoding="utf-8")


async def reload_as(bot: InProcessBot, user, *, dm: bool = False) -> Reply:
    handle = await bot.fake.slash("reload", user=user, dm=dm)
    reply = await handle.reply(timeout=20)
    assert reply.ephemeral, "reload replies are private"
    assert_fits(reply.payload)
    assert_no_pings(reply.payload)
    return reply


# -- broken knowledge ---------------------------------------------------------------------------


def break_inputs(kind: str, project: Project, store: Store) -> list[tuple[str, int]]:
    """Break the inputs one way; returns the (file, line) locations the refusal must name."""
    fid = target_fact(store)
    seed, quote = a_quote(store, fid)
    broken = project.knowledge / "zz-broken.yaml"
    if kind == "invalid YAML":
        broken.write_text("facts:\n  - id: zz-x\n    about: [meta\n    answers: [what]\n", encoding="utf-8")
        return [("knowledge/zz-broken.yaml", 4)]
    if kind == "wrong type":
        text = fact_yaml("zz-x", ["meta"], seed, quote, answers="gossip")
        broken.write_text(text, encoding="utf-8")
        return [("knowledge/zz-broken.yaml", text.splitlines().index("  answers:") + 1)]
    if kind == "duplicate id":
        broken.write_text(fact_yaml(fid, ["meta"], seed, quote), encoding="utf-8")
        return [("knowledge/zz-broken.yaml", 2)]
    if kind == "unknown reference":
        text = fact_yaml("zz-x", ["no-such-entity"], seed, quote)
        broken.write_text(text, encoding="utf-8")
        return [("knowledge/zz-broken.yaml", text.splitlines().index("  about:") + 1)]
    if kind == "quote not in its seed":
        text = fact_yaml("zz-x", ["meta"], seed, "Meta a offert un milliard de dollars à tout le monde.")
        broken.write_text(text, encoding="utf-8")
        return [("knowledge/zz-broken.yaml", len(text.splitlines()))]
    if kind == "missing seed":
        (project.seeds / seed).unlink()
        described = (project.seeds / "documents.yaml").read_text(encoding="utf-8").splitlines()
        line = next(n for n, text in enumerate(described, 1) if seed in text)
        return [("seeds/documents.yaml", line)]
    if kind == "unreadable file":
        path = project.file_defining(fid)
        path.chmod(0)
        if os.access(path, os.R_OK):  # root reads a chmod 000 file: make it unreadable another way
            path.chmod(0o644)
            path.unlink()
            path.mkdir()  # reading it fails with IsADirectoryError
        return [(f"knowledge/{path.name}", 1)]
    if kind == "not UTF-8":
        text = fact_yaml("zz-x", ["meta"], seed, quote)
        broken.write_bytes(text.encode("utf-8") + b"\xff\xfe\n")
        return [("knowledge/zz-broken.yaml", len(text.splitlines()) + 1)]  # the bad bytes' own line
    if kind == "empty knowledge folder":
        for p in project.knowledge.glob("*.y*ml"):
            p.unlink()
        return [("knowledge", 1)]
    if kind == "python tag (unsafe YAML)":
        broken.write_text("facts:\n  - !!python/object/apply:os.system ['touch pwned']\n", encoding="utf-8")
        return [("knowledge/zz-broken.yaml", 2)]
    raise AssertionError(kind)


BROKEN_KINDS = [
    "invalid YAML",
    "wrong type",
    "duplicate id",
    "unknown reference",
    "quote not in its seed",
    "missing seed",
    "unreadable file",
    "not UTF-8",
    "empty knowledge folder",
    "python tag (unsafe YAML)",
]


@pytest.mark.parametrize("kind", BROKEN_KINDS)
async def test_broken_knowledge_is_refused_with_file_and_line(bot, project, kind: str) -> None:
    store = bot.service.store
    digest = sha256(project.settings.store_path)
    before = await bot.ask(QUESTION)
    expected = break_inputs(kind, project, store)

    reply = await reload_as(bot, bot.mod)

    assert reply.deferred and "Reload failed" in reply.embeds[0]["title"], reply.text
    assert store.version in reply.embeds[0]["title"], "names the version still answering"
    shown = [line for line in reply.embeds[0]["description"].split("\n") if ERROR_LINE.match(line)]
    assert shown, reply.text
    located = {(m["file"], int(m["line"])) for m in map(ERROR_LINE.match, shown)}
    for where in expected:
        assert where in located, (where, shown)
    assert bot.service.store is store and bot.service.store.version == store.version
    assert sha256(project.settings.store_path) == digest, "the store file is untouched"
    assert not (project.work / "pwned").exists() and not Path("pwned").exists()
    after = await bot.ask(QUESTION)
    assert after.embeds == before.embeds, "the previous store keeps answering"


async def test_reload_after_the_fix_swaps_the_store(bot, project) -> None:
    store = bot.service.store
    (project.knowledge / "zz-broken.yaml").write_text("facts:\n  - id: zz-x\n    about: [meta\n", "utf-8")
    assert "Reload failed" in (await reload_as(bot, bot.mod)).text
    (project.knowledge / "zz-broken.yaml").unlink()
    add_valid_fact(project, store, "zz-fixed")
    reply = await reload_as(bot, bot.mod)
    assert "1 added" in reply.text and "zz-fixed" in reply.text
    assert bot.service.store is not store and "zz-fixed" in bot.service.store.fact_ids


# -- who may reload ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "member in a DM", "moderator in a DM"])
async def test_reload_is_refused_and_the_store_is_unchanged(bot, project, who: str) -> None:
    store, digest = bot.service.store, sha256(project.settings.store_path)
    add_valid_fact(project, store, "zz-not-loaded")
    user = bot.mod if who.startswith("moderator") else bot.user
    reply = await reload_as(bot, user, dm="DM" in who)
    assert "\n" not in reply.content and not reply.embeds
    assert ("server" in reply.content) if "DM" in who else ("moderators" in reply.content.lower())
    assert bot.service.store is store and sha256(project.settings.store_path) == digest


@pytest.mark.parametrize("lost", ["moderator role", "Manage Server permission"])
async def test_reload_refused_once_the_role_is_removed(bot, project, lost: str) -> None:
    """The same user: allowed while a moderator; refused in a later interaction without the right."""
    fake = bot.fake
    if lost == "moderator role":
        user = fake.add_moderator("rita")
    else:
        user = fake.add_user("sam", permissions=MEMBER_PERMISSIONS | MANAGE_GUILD)
    first_store = bot.service.store
    allowed = await reload_as(bot, user)
    assert "Reloaded" in allowed.text and "0 added" in allowed.text
    store, digest = bot.service.store, sha256(project.settings.store_path)
    assert store is not first_store, "the allowed reload ran"

    if lost == "moderator role":
        user.roles = ()  # the role is taken away: the next interaction carries no role
    else:
        user.permissions = MEMBER_PERMISSIONS
    add_valid_fact(project, store, "zz-second")
    mark = bot.logs.mark()
    refused = await reload_as(bot, user)
    assert "moderators" in refused.content.lower() and not refused.embeds
    assert bot.service.store is store and sha256(project.settings.store_path) == digest
    assert "zz-second" not in bot.service.store.fact_ids
    assert any("refused command=reload reason=NotModerator" in line for line in bot.logs.lines(mark))


async def test_free_text_never_reloads(bot, project, monkeypatch) -> None:
    store, digest = bot.service.store, sha256(project.settings.store_path)
    add_valid_fact(project, store, "zz-not-loaded")
    builds: list[int] = []
    real = bot.service._reload
    monkeypatch.setattr(bot.service, "_reload", lambda: builds.append(1) or real())
    fake = bot.fake
    question_channel = fake.channel("ask-the-bot")
    messages = [
        await fake.message(f"{fake.bot.mention} reload", user=bot.user),
        await fake.message(f"{fake.bot.mention} /reload", user=bot.user),
        await fake.message(f"{fake.bot.mention} please run /reload now", user=bot.user),
        await fake.message("/reload", user=bot.user, channel=question_channel),
        await fake.message("/reload", user=bot.mod, dm=True),  # not even a moderator, by message
        await fake.message("reload", user=bot.mod, channel=question_channel),
    ]
    for msg in messages:
        reply = await msg.reply()
        assert reply.embeds and "Reload" not in reply.text and "reloaded" not in reply.text.lower()
    assert builds == []
    assert bot.service.store is store and sha256(project.settings.store_path) == digest


# -- concurrent reloads -----------------------------------------------------------------------


async def test_two_reloads_at_once_run_one_build(bot, project, monkeypatch) -> None:
    """Two moderators press /reload together (no artificial delay): one builds, one is told."""
    before = bot.service.store
    builds: list[int] = []
    real = bot.service._reload
    monkeypatch.setattr(bot.service, "_reload", lambda: builds.append(1) or real())
    first = await bot.fake.slash("reload", user=bot.mod)
    second = await bot.fake.slash("reload", user=bot.mod2)
    replies = [await first.reply(timeout=20), await second.reply(timeout=20)]
    texts = sorted(r.text for r in replies)
    assert "already under way" in texts[0] and "Reloaded" in texts[1], texts
    assert builds == [1]
    assert bot.service.store is not before and bot.service.store.version == before.version


@pytest.mark.soak
async def test_questions_during_reloads_come_from_one_version(bot, project) -> None:
    """500+ questions (slash and free text) while 10 reloads alternate two versions of a fact:
    every reply is exactly the reply of version A or of version B (text and quote), never a mix,
    and nothing fails."""
    store_a = bot.service.store
    fid = target_fact(store_a)
    path = project.file_defining(fid)
    variant_a = path.read_bytes()
    # Version B changes the fact's text and its quote (another verbatim sentence of the same seed).
    seed, quote_a = a_quote(store_a, fid)
    other = next(
        c.quote
        for item in store_a.items
        if item.kind == "fact"
        for c in item.citations
        if c.source.endswith(seed) and c.quote != quote_a
    )
    data = yaml.safe_load(variant_a)
    for records in data.values():
        for record in records or []:
            if isinstance(record, dict) and record.get("id") == fid:
                record["text"]["en"] += " (version B)"
                record["cite"] = [{"seed": seed, "quote": other}]
    variant_b = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")

    questions = [
        QUESTION,
        "Who is Ruoming Pang?",
        "Who left Apple?",
        "Qui est Alexandr Wang ?",
        "What is MLX?",
    ]
    results: list[tuple[str, Reply]] = []
    during: list[bool] = []  # whether a reload was building when each question was asked
    reports: list[Reply] = []
    stores: list[Store] = []  # the store each reload put in place
    done = asyncio.Event()
    mark = bot.logs.mark()

    async def reloader() -> None:
        for k in range(10):
            path.write_bytes(variant_b if k % 2 == 0 else variant_a)
            reports.append(await reload_as(bot, bot.mod))
            stores.append(bot.service.store)
            await asyncio.sleep(0.05)
        done.set()

    async def asker(n: int) -> None:
        i = n
        while not done.is_set() or len(results) < 500:
            q = questions[i % len(questions)]
            during.append(bot.service.is_reloading)
            if i % 4 == 0:
                reply = await bot.mention(q, user=bot.mod2, timeout=20)
            else:
                reply = await bot.ask(q, timeout=20)
            results.append((q, reply))
            i += 1
            await asyncio.sleep(0.05)

    await asyncio.wait_for(asyncio.gather(reloader(), *(asker(n) for n in range(6))), 120)

    assert len(results) >= 500
    assert sum(during) >= 50, f"only {sum(during)} questions were asked while a build ran"
    assert all("1 changed" in r.text and fid in r.text for r in reports), [r.text for r in reports]
    store_b_version = re.search(r"version `(\w+)`", reports[0].text)[1]
    assert store_b_version != store_a.version
    assert bot.service.store.version == store_a.version, "the 10th reload put version A back"

    # What each version replies, asked through the bot with each store in place, nothing else running.
    store_b = stores[0]
    assert [s.version for s in stores] == [store_b_version, store_a.version] * 5
    expected: dict[str, dict[str, list]] = {}
    for version, store in (("A", store_a), ("B", store_b)):
        bot.service._store = store
        for q in questions:
            expected.setdefault(q, {})[version] = (await bot.ask(q)).embeds
    bot.service._store = stores[-1]
    a_text = expected[QUESTION]["A"][0]["description"]
    b_text = expected[QUESTION]["B"][0]["description"]
    assert a_text != b_text and "version B" in b_text
    assert expected[QUESTION]["A"][0]["fields"] != expected[QUESTION]["B"][0]["fields"], "quotes differ"

    seen = set()
    for q, reply in results:
        assert reply.request.status == 200
        matches = [v for v, embeds in expected[q].items() if reply.embeds == embeds]
        assert matches, f"{q!r} got a reply from neither version: {reply.text}"
        if q == QUESTION:
            seen.update(matches)
    assert seen == {"A", "B"}, "answers came from both versions while the reloads ran"
    versions = set(re.findall(r"question .*store=(\w+)", bot.logs.text(mark)))
    assert versions <= {store_a.version, store_b_version} and len(versions) == 2, versions
    assert bot.logs.errors(mark) == []
