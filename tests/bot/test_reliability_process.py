"""`python -m bot run` as a separate process through its whole life: started on a corrupt store,
run at DEBUG with a recognisable token through faults and errors, killed with SIGKILL in the middle
of a /reload build, then started again on the store the kill left behind.

Tests run in file order and share one fake Discord and one working folder (its own seeds/,
knowledge/ and store); each test leaves a running bot to the next.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import signal
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.store import Store
from tests.fake_discord import BotProcess, FakeDiscord

pytestmark = pytest.mark.asyncio(loop_scope="module")

REPO = Path(__file__).resolve().parents[2]
# Shaped like a real token (base64 id . timestamp . HMAC), and easy to find anywhere it leaks.
TOKEN = "MTEyMjMzNDQ1NTY2Nzc4ODk5.GRlbty.RELIABILITY-fake-token-never-log-me-7f3a9c"
SECRET_PART = "RELIABILITY-fake-token-never-log-me-7f3a9c"
IDENTIFY, RESUME = 2, 6


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Life:
    """The working folder and the bot process currently running in it."""

    def __init__(self, fake: FakeDiscord, workdir: Path) -> None:
        self.fake = fake
        self.workdir = workdir
        self.seeds = workdir / "seeds"
        self.knowledge = workdir / "knowledge"
        self.store_path = workdir / "store.sqlite"
        shutil.copytree(REPO / "seeds", self.seeds)
        shutil.copytree(REPO / "knowledge", self.knowledge)
        self.proc: BotProcess | None = None
        self.mod = fake.add_moderator("mia")
        self.user = fake.add_user("alice")

    async def start(self) -> str:
        """Start a bot process; returns what it logged while starting."""
        self.proc = BotProcess(
            self.fake,
            self.workdir,
            env={"SEEDS_DIR": str(self.seeds), "LOG_LEVEL": "DEBUG", "QUESTION_COOLDOWN_SECONDS": "0"},
        )
        offset = len(self.proc.log())
        connections = len(self.fake.connections)
        await self.proc.start()
        await self.fake.wait_for(
            lambda: len(self.fake.connections) > connections and self.fake.connections[-1].ready.is_set(), 30
        )
        return self.proc.log()[offset:]

    async def answers(self) -> None:
        reply = await (
            await self.fake.slash(
                "ask", {"question": "How much did Meta offer Ruoming Pang?"}, user=self.user
            )
        ).reply(timeout=10)
        assert reply.request.status == 200 and "200 million" in reply.embeds[0]["description"]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def life(tmp_path_factory: pytest.TempPathFactory):
    async with FakeDiscord(token=TOKEN) as fake:
        state = Life(fake, tmp_path_factory.mktemp("reliability-process"))
        yield state
        if state.proc is not None:
            await state.proc.stop()


async def test_corrupt_store_at_start_is_rebuilt_with_a_log_line(life: Life) -> None:
    life.store_path.write_bytes(b"\x00\xffnot a database" * 1000)
    started = await life.start()
    lines = [line for line in started.splitlines() if "building from" in line]
    assert lines and str(life.store_path) in lines[0] and "stale or unreadable" in lines[0], started[-2000:]
    assert Store.open(life.store_path).fact_ids, "a real store replaced the garbage"
    await life.answers()


async def test_token_never_appears_in_logs_requests_or_replies(life: Life) -> None:
    """At DEBUG (discord.py logs every request and gateway event), through errors and faults."""
    fake, user, mod = life.fake, life.user, life.mod
    await life.answers()
    await (await fake.message(f"{fake.bot.mention} who left Apple?", user=user)).reply()
    await (await fake.autocomplete("who", {"name": "ruo"}, "name", user=user)).choices()
    await (await fake.slash("transfers", {"company": "Zorglub"}, user=user)).reply()
    refused = await (await fake.slash("reload", user=user)).reply()
    assert "moderators" in refused.content.lower()
    # A rate limit and a server error (retried), then a reply Discord refuses (an error traceback).
    fake.inject_fault(r"/callback$", 429, retry_after=0.1)
    await life.answers()
    ask = await fake.slash("ask", {"question": "Who is Ruoming Pang?"}, user=user)
    fake.inject_fault(
        rf"^/interactions/{ask.id}/", 404, times=2, body={"message": "Unknown interaction", "code": 10062}
    )
    await fake.wait_for(lambda: len(ask.requests()) == 2, 5)
    # A reload refused for a broken file, reported to the moderator.
    (life.knowledge / "zz-broken.yaml").write_text("facts:\n  - id: zz\n    about: [meta\n", encoding="utf-8")
    failed = await (await fake.slash("reload", user=mod)).reply(timeout=20)
    assert "zz-broken.yaml:" in failed.text
    (life.knowledge / "zz-broken.yaml").unlink()
    # The gateway drops: the RESUME carries the token (as it must), nothing else does.
    connections = len(fake.connections)
    await fake.close_gateway(4000)
    await fake.wait_for(
        lambda: len(fake.connections) > connections and fake.connections[-1].ready.is_set(), 15
    )
    await life.answers()
    await asyncio.sleep(0.3)

    log = life.proc.log()
    assert " DEBUG discord.http" in log and "Traceback" in log and "10062" in log, "the firehose was on"
    assert TOKEN not in log and SECRET_PART not in log
    rest = fake.requests
    assert rest and all(r.headers.get("Authorization") in (f"Bot {TOKEN}", None) for r in rest)
    for r in rest:
        visible = r.body + r.path + json.dumps(r.query) + json.dumps(r.response or {})
        others = {k: v for k, v in r.headers.items() if k.lower() != "authorization"}
        assert SECRET_PART not in visible + json.dumps(others), f"{r.method} {r.path}"
    frames = [frame for conn in fake.connections for frame in conn.received]
    assert any(f.get("op") == RESUME for f in frames)
    for frame in frames:
        text = json.dumps(frame)
        if frame.get("op") in (IDENTIFY, RESUME):
            assert frame["d"]["token"] == TOKEN and text.count(SECRET_PART) == 1
        else:
            assert SECRET_PART not in text, frame


def write_big_inputs(life: Life, sentences: int = 4000) -> list[Path]:
    """A seed of a few hundred kB and facts quoting it: a build that writes for a couple of seconds."""
    seed = life.seeds / "big.txt"
    seed.write_text(
        "\n".join(
            f"Le chercheur numéro {i} a rejoint l'entreprise Globex pour un salaire annuel de {i * 7} "
            "dollars selon la presse spécialisée."
            for i in range(sentences)
        )
        + "\n",
        encoding="utf-8",
    )
    facts = ["facts:"]
    for i in range(0, sentences, 60):
        facts.append(
            f"""  - id: big-{i}
    topic: {{en: "Researcher {i}", fr: "Chercheur {i}"}}
    about: [meta]
    answers: [what]
    text: {{en: "Researcher {i} joined Globex.", fr: "Le chercheur {i} a rejoint Globex."}}
    cite:
      - seed: big.txt
        quote: "Le chercheur numéro {i} a rejoint l'entreprise Globex"
"""
        )
    knowledge = life.knowledge / "zz-big.yaml"
    knowledge.write_text("\n".join(facts), encoding="utf-8")
    return [seed, knowledge]


async def test_sigkill_during_a_reload_build_keeps_the_store_and_the_next_start_works(life: Life) -> None:
    fake = life.fake
    before, version = sha256(life.store_path), Store.open(life.store_path).version
    big = write_big_inputs(life)
    handle = await fake.slash("reload", user=life.mod)
    await handle.callback()  # deferred: the build runs in the bot's worker thread

    async def writing() -> None:
        while not any(p.name.endswith(".tmp") for p in life.workdir.iterdir()):
            assert life.proc.proc.returncode is None
            await asyncio.sleep(0.005)

    await asyncio.wait_for(writing(), 30)
    await asyncio.sleep(0.2)
    assert life.proc.proc.returncode is None, "the build ended before it could be killed"
    life.proc.proc.send_signal(signal.SIGKILL)
    assert await life.proc.proc.wait() == -signal.SIGKILL
    assert not [r for r in handle.requests() if r.path.startswith("/webhooks/")], "killed before replying"

    assert sha256(life.store_path) == before, "the previous store is intact, byte for byte"
    assert Store.open(life.store_path).version == version
    leftovers = [p for p in life.workdir.iterdir() if p.name.endswith(".tmp")]
    assert leftovers, "the killed build's temporary file is still there"

    for path in big:  # the moderator takes the new files back out; the store matches the inputs again
        path.unlink()
    await fake.wait_for(lambda: all(c.ws.closed for c in fake.connections), 10)
    started = await life.start()
    assert "building from" not in started, "the intact store is used as it is"
    assert sha256(life.store_path) == before
    await life.answers()
    assert await life.proc.stop() == 0
    assert SECRET_PART not in life.proc.log(), "not at stop either"
