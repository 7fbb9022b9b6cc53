"""End to end through the fake Discord of the test suite: `/ask` to the real bot process vs a
constant-reply discord.py bot (the floor discord.py itself sets).

Both bots run at once, each against its own FakeDiscord (tests/fake_discord), on loopback. The
interactions go in alternating blocks (ours, floor, ours, ...) at one steady rate, so both see
the same machine load; latency is from the INTERACTION_CREATE dispatch (`handle.dispatched_at`)
to the arrival of the bot's callback request (`RecordedRequest.at`), both `time.monotonic()`.

    .venv/bin/python -m bench.e2e [--size 100000] [--n 2000] [--rate 25]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fake_discord import BotProcess, FakeDiscord  # noqa: E402

from .generate import generate, label  # noqa: E402
from .workload import build_workload  # noqa: E402


def _pct(values: list[float], p: float) -> float:
    import math

    s = sorted(values)
    return s[max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))] if s else float("nan")


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class Floor:
    """bench/constant_bot.py as a process against a fake."""

    def __init__(self, fake: FakeDiscord, log_path: Path) -> None:
        self.fake, self.log_path = fake, log_path
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self, timeout: float = 60.0) -> Floor:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
        env.update(self.fake.env(), PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        with self.log_path.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bench.constant_bot", cwd=str(ROOT), env=env, stdout=log, stderr=log
            )
        await self.fake.wait_until_ready(timeout)
        return self

    async def stop(self) -> None:
        if self.proc and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 10)
            except asyncio.TimeoutError:
                self.proc.kill()
                await self.proc.wait()


class Meter:
    """Callback arrival times, by interaction token, recorded as the fake receives them."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.at: dict[str, tuple[float, int]] = {}
        fake.request_hooks.append(self.hook)

    def hook(self, rec) -> None:  # noqa: ANN001 - RecordedRequest
        if rec.method == "POST" and rec.path.endswith("/callback"):
            token = rec.path.split("/")[-2]
            kind = (rec.json or {}).get("type", 0) if isinstance(rec.json, dict) else 0
            self.at.setdefault(token, (rec.at, kind))


async def _block(fake: FakeDiscord, users: list, questions: list[str], rate: float) -> list:
    handles = []
    nxt = time.monotonic()
    for i, q in enumerate(questions):
        handles.append(await fake.slash("ask", {"question": q}, user=users[i % len(users)]))
        nxt += 1 / rate
        await asyncio.sleep(max(0.0, nxt - time.monotonic()))
    return handles


async def _settle(meter: Meter, handles: list, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end and any(h.token not in meter.at for h in handles):
        await asyncio.sleep(0.05)


async def run(
    corpus: Path | None,
    store_path: Path | None,
    questions: list[str],
    n: int,
    rate: float,
    blocks: int,
    workdir: Path,
) -> dict:
    """corpus None: the real seeds and knowledge (BotProcess's defaults; the bot builds its store)."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    env = {
        "QUESTION_COOLDOWN_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "STORE_PATH": str(workdir / "store.sqlite"),
    }
    if corpus is not None and store_path is not None:
        shutil.copyfile(store_path, workdir / "store.sqlite")
        env.update(SEEDS_DIR=str(corpus / "seeds"), KNOWLEDGE_DIR=str(corpus / "knowledge"))
    async with FakeDiscord() as fake_bot, FakeDiscord() as fake_floor:
        bot = BotProcess(fake_bot, workdir, env=env)
        floor = Floor(fake_floor, workdir / "floor.log")
        t = time.perf_counter()
        await bot.start(timeout=180)
        start_s = time.perf_counter() - t
        await floor.start()
        try:
            meters = {"bot": Meter(fake_bot), "floor": Meter(fake_floor)}
            fakes = {"bot": fake_bot, "floor": fake_floor}
            users = {
                k: [f.add_user(f"user{i}", locale="fr" if i % 2 else "en-US") for i in range(16)]
                for k, f in fakes.items()
            }
            # Warm-up, not measured.
            for k in ("bot", "floor"):
                hs = await _block(fakes[k], users[k], questions[:40], rate)
                await _settle(meters[k], hs)
            per = n // blocks
            handles: dict[str, list[list]] = {"bot": [], "floor": []}
            for b in range(blocks):
                qs = [questions[(b * per + i) % len(questions)] for i in range(per)]
                for k in ("bot", "floor") if b % 2 == 0 else ("floor", "bot"):
                    hs = await _block(fakes[k], users[k], qs, rate)
                    await _settle(meters[k], hs)
                    handles[k].append(hs)
            rss = _rss_mb(bot.proc.pid) if bot.proc else float("nan")
        finally:
            await floor.stop()
            code = await bot.stop()
    out: dict = {"n": per * blocks, "rate": rate, "bot_start_s": start_s, "bot_rss_mb": rss, "bot_exit": code}
    ratios50, ratios99 = [], []
    for k in ("bot", "floor"):
        lat, missing, deferred = [], 0, 0
        per_block = []
        for hs in handles[k]:
            bl = []
            for h in hs:
                got = meters[k].at.get(h.token)
                if got is None:
                    missing += 1
                    continue
                bl.append(got[0] - h.dispatched_at)
                deferred += got[1] == 5
            per_block.append(bl)
            lat += bl
        out[f"{k}_p50"] = _pct(lat, 50)
        out[f"{k}_p99"] = _pct(lat, 99)
        out[f"{k}_max"] = max(lat) if lat else float("nan")
        out[f"{k}_missing"] = missing
        out[f"{k}_deferred"] = deferred
        out[f"{k}_blocks"] = per_block
    for b_bot, b_floor in zip(out["bot_blocks"], out["floor_blocks"], strict=True):
        ratios50.append(_pct(b_bot, 50) / _pct(b_floor, 50))
        ratios99.append(_pct(b_bot, 99) / _pct(b_floor, 99))
    out["ratio50_median"] = statistics.median(ratios50)
    out["ratio99_median"] = statistics.median(ratios99)
    del out["bot_blocks"], out["floor_blocks"]
    return out


def real_questions() -> list[str]:
    """The regression set's questions (answerable and not), for the bot on the real store."""
    import yaml

    data = yaml.safe_load((ROOT / "tests" / "regression" / "questions.yaml").read_text(encoding="utf-8"))
    return [q["q"] for k in ("answerable", "unanswerable") for q in data.get(k) or []]


def run_e2e(
    corpus: Path | None,
    store_path: Path | None,
    questions: list[str],
    n: int = 2000,
    rate: float = 25.0,
    blocks: int = 8,
) -> dict:
    """corpus/store_path None: the bot on the real store, asked the regression questions."""
    workdir = (corpus or ROOT / "bench" / "out" / "real") / "e2e"
    return asyncio.run(run(corpus, store_path, questions, n, rate, blocks, workdir))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", type=int, default=100000, help="synthetic store size; 0: the real store")
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--rate", type=float, default=25.0)
    p.add_argument("--blocks", type=int, default=8)
    args = p.parse_args(argv)
    if args.size == 0:
        res = run_e2e(None, None, real_questions(), args.n, args.rate, args.blocks)
        res["store"] = "real"
    else:
        corpus, meta = generate(args.size)
        store = corpus / "store.sqlite"
        if not store.is_file():
            from bot.core.build import build_store

            build_store(corpus / "seeds", corpus / "knowledge", store)
        qs = [q.q for q in build_workload(corpus, meta)]
        res = run_e2e(corpus, store, qs, args.n, args.rate, args.blocks)
        res["store"] = label(args.size)
    print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
