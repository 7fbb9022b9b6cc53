"""The benchmark: one command, one table (see bench/README.md).

    .venv/bin/python -m bench.run                    # 1k, 10k, 100k; writes the table into bench/README.md
    .venv/bin/python -m bench.run --sizes 1000 --quick --no-readme

For each size: generate the corpus (cached in bench/out/), build it with `python -m bot build`
(timed), measure the store file and the resident memory of a fresh process that loaded it, then
time our `answer()` against FTS5 and rapidfuzz on the same questions, interleaved question by
question, over several rounds; ratios are the median over rounds of ours / theirs. Then a 100k
reload under a steady stream of questions with an event-loop lag probe, the real store's
regression and development scores, and (when the fake Discord is available) the end-to-end test.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable

# Everything from bot/ is imported up front, so one run measures one version of the code.
from bot.config import PROJECT_ROOT, Settings  # noqa: E402
from bot.core import service as service_mod  # noqa: E402
from bot.core.answer import answer  # noqa: E402
from bot.core.build import build_store  # noqa: E402
from bot.core.evaluate import evaluate_file  # noqa: E402
from bot.core.service import StoreService  # noqa: E402
from bot.core.store import Store  # noqa: E402

from .contenders import ExtractOne, Fts5, store_texts  # noqa: E402

try:  # the fake Discord lives with the tests; without it the end-to-end part is skipped
    from .e2e import real_questions, run_e2e
except Exception as _exc:  # noqa: BLE001
    run_e2e = None
    _E2E_IMPORT_ERROR = repr(_exc)
from .generate import generate, label  # noqa: E402
from .workload import Question, build_workload  # noqa: E402


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return float("nan")
    s = sorted(values)
    return s[max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))]


def ms(x: float) -> str:
    if x != x:
        return "–"
    return f"{x * 1000:.2f}" if x < 0.01 else f"{x * 1000:.1f}" if x < 1 else f"{x * 1000:.0f}"


def log(*a: object) -> None:
    print(*a, file=sys.stderr, flush=True)


# -- machine ---------------------------------------------------------------------------------


def code_version() -> str:
    """HEAD and whether bot/ has uncommitted changes: which code a run measured."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "bot"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        digest = subprocess.run(
            ["git", "hash-object", "--stdin-paths"],
            cwd=ROOT,
            input="\n".join(str(p) for p in sorted((ROOT / "bot").rglob("*.py"))),
            capture_output=True,
            text=True,
        ).stdout
        import hashlib

        return f"{head}{' + uncommitted changes in bot/' if dirty else ''} (bot/ sources {hashlib.sha256(digest.encode()).hexdigest()[:8]})"
    except OSError:
        return "unknown"


def machine() -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    import sqlite3

    import rapidfuzz

    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "rapidfuzz": rapidfuzz.__version__,
        "os": platform.platform(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# -- build and memory (fresh subprocesses) ---------------------------------------------------


def build(corpus: Path, store_path: Path) -> dict[str, float]:
    env = dict(os.environ)
    env.update(
        SEEDS_DIR=str(corpus / "seeds"), KNOWLEDGE_DIR=str(corpus / "knowledge"), STORE_PATH=str(store_path)
    )
    t = time.perf_counter()
    proc = subprocess.Popen(
        [PY, "-m", "bot", "build"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"build failed: {err[-3000:]}")
    m = re.search(r"(\d+) documents, (\d+) facts, (\d+) passages in ([\d.]+)s", out)
    assert m, out
    return {
        "documents": int(m[1]),
        "facts": int(m[2]),
        "passages": int(m[3]),
        "build_s": float(m[4]),
        "build_wall_s": wall,
        "build_peak_mb": usage.ru_maxrss / 1024,
        "store_mb": store_path.stat().st_size / 1e6,
    }


def memory(store_path: Path) -> dict[str, float]:
    out = subprocess.run(
        [PY, "-m", "bench.memory", str(store_path)], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


# -- latency ---------------------------------------------------------------------------------


@dataclass
class Paired:
    """Latencies of ours and a contender on the same questions, per round."""

    ours: list[list[float]] = field(default_factory=list)
    theirs: list[list[float]] = field(default_factory=list)

    def p(self, which: str, q: float) -> float:
        rounds = self.ours if which == "ours" else self.theirs
        return statistics.median(pct(r, q) for r in rounds)

    def ratio(self, q: float) -> float:
        return statistics.median(pct(o, q) / pct(t, q) for o, t in zip(self.ours, self.theirs, strict=True))

    def qps(self) -> float:
        return statistics.median(len(r) / sum(r) for r in self.ours)


def paired(store: Store, contender, questions: list[Question], rounds: int) -> Paired:
    out = Paired()
    clock = time.perf_counter
    for r in range(rounds):
        mine, theirs = [], []
        for i, q in enumerate(questions):
            if (i + r) % 2 == 0:
                t0 = clock()
                answer(store, q.q)
                t1 = clock()
                contender.top1(q.q)
                t2 = clock()
                mine.append(t1 - t0)
                theirs.append(t2 - t1)
            else:
                t0 = clock()
                contender.top1(q.q)
                t1 = clock()
                answer(store, q.q)
                t2 = clock()
                theirs.append(t1 - t0)
                mine.append(t2 - t1)
        out.ours.append(mine)
        out.theirs.append(theirs)
    return out


def quality(
    store: Store, contenders: dict[str, object], questions: list[Question], sample: dict[str, list[Question]]
) -> dict[str, str]:
    """Top-1 right on answerable questions, declines on unanswerable ones (ours only can decline)."""
    res: dict[str, str] = {}
    ans = [q for q in questions if q.answerable]
    un = [q for q in questions if not q.answerable]
    hit = 0
    for q in ans:
        a = answer(store, q.q)
        if a.answered and (q.is_list and a.text.count("\n") >= 1 or (a.facts and a.facts[0] in q.expect)):
            hit += 1
    declined = sum(1 for q in un if not answer(store, q.q).answered)
    res["ours"] = f"{hit / len(ans):.0%} right · {declined / max(len(un), 1):.0%} declined"
    for name, c in contenders.items():
        qs = [q for q in sample.get(name, questions) if q.answerable]
        h = sum(1 for q in qs if c.top1(q.q) in q.expect)  # type: ignore[attr-defined]
        res[name] = f"{h / max(len(qs), 1):.0%} top-1 right (never declines)"
    return res


# -- reload under load -----------------------------------------------------------------------


def reload_under_load(
    corpus: Path, store_path: Path, questions: list[Question], rate: float
) -> dict[str, object]:
    """A steady stream of questions while StoreService.reload() rebuilds the store.

    Questions go the way the bot sends them (bot/exts/ask.py → respond.compute_in_time): the current
    snapshot is taken on the loop and answer() runs in a worker thread. A probe task sleeps 5 ms in
    a loop; how late it wakes is the event-loop stall (what delays gateway heartbeats).
    """
    work = store_path.with_name("reload.sqlite")
    shutil.copyfile(store_path, work)
    settings = Settings(seeds_dir=corpus / "seeds", knowledge_dir=corpus / "knowledge", store_path=work)
    svc = StoreService(settings)
    svc.ensure_built()
    gc.collect()

    # Instrumentation of this process only (bot/ untouched): when the build step runs, and the
    # first probe wake-up that sees the new snapshot (the swap, and the old snapshot's release).
    marks: dict[str, float] = {}
    real_build = service_mod.build_in_child

    def timed_build(*a, **k):
        marks["build_start"] = time.perf_counter()
        try:
            return real_build(*a, **k)
        finally:
            marks["build_end"] = time.perf_counter()

    gc_pauses: list[tuple[float, float, int]] = []
    gc_t: dict[str, float] = {}

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            gc_t["t"] = time.perf_counter()
        elif "t" in gc_t:
            gc_pauses.append((gc_t["t"], time.perf_counter() - gc_t["t"], info.get("generation", -1)))

    lags: list[tuple[float, float]] = []
    lat: list[tuple[float, float]] = []
    failures: list[str] = []
    stop = asyncio.Event()

    first = id(svc.store)  # an id, not a reference: the old snapshot must be freed at the swap

    async def probe() -> None:
        while not stop.is_set():
            t = time.perf_counter()
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            lags.append((t, now - t - 0.005))
            if "swap_wake" not in marks and id(svc.store) != first:
                marks["swap_wake"] = now

    pending: set[asyncio.Task] = set()

    async def one(q: Question) -> None:
        t = time.perf_counter()
        store = svc.store  # as bot/exts/ask.py: the snapshot current at dispatch
        try:
            a = await asyncio.to_thread(answer, store, q.q)  # as bot/respond.py compute_in_time
            if not a.text:
                failures.append(f"empty answer: {q.q}")
        except Exception as exc:  # noqa: BLE001 - count every failure
            failures.append(f"{q.q}: {exc!r}")
        lat.append((t, time.perf_counter() - t))

    async def asker() -> None:
        i = 0
        nxt = time.perf_counter()
        while not stop.is_set():
            task = asyncio.create_task(one(questions[i % len(questions)]))
            pending.add(task)
            task.add_done_callback(pending.discard)
            i += 1
            nxt += 1 / rate
            await asyncio.sleep(max(0.0, nxt - time.perf_counter()))
        await asyncio.gather(*pending)

    async def main() -> dict[str, object]:
        tasks = [asyncio.create_task(probe()), asyncio.create_task(asker())]
        await asyncio.sleep(3.0)
        t0 = time.perf_counter()
        report = await svc.reload()
        t1 = time.perf_counter()
        await asyncio.sleep(2.0)
        stop.set()
        await asyncio.gather(*tasks)
        return {"report": report, "t0": t0, "t1": t1}

    service_mod.build_in_child = timed_build
    gc.callbacks.append(on_gc)
    try:
        res = asyncio.run(main())
    finally:
        service_mod.build_in_child = real_build
        gc.callbacks.remove(on_gc)
    t0, t1 = res["t0"], res["t1"]  # type: ignore[assignment]
    during = [(t, lag) for t, lag in lags if t0 <= t <= t1]
    before = [lag for t, lag in lags if t < t0]
    worst_t, worst = max(during, key=lambda x: x[1]) if during else (t0, float("nan"))
    swap = marks.get("swap_wake", 1e18)

    def phase(t: float, end: float | None = None) -> str:
        """The reload step a stall (or GC pause) started in; 'swap' when it ends on the first
        wake-up that sees the new snapshot (the swap and the old snapshot's release)."""
        if end is not None and abs(end - swap) < 1e-9:
            return "swap"
        if marks.get("build_start", 1e18) <= t <= marks.get("build_end", -1):
            return "build"
        if marks.get("build_end", 1e18) < t < swap:
            return "open/index"
        return "after swap"

    by_phase: dict[str, float] = {}
    for t, lag in during:
        ph = phase(t, t + 0.005 + lag)
        by_phase[ph] = max(by_phase.get(ph, 0.0), lag)
    big_gc = [(t, d, g) for t, d, g in gc_pauses if t0 <= t <= t1 and d > 0.02]
    ans_during = [d for t, d in lat if t0 <= t <= t1]
    rep = res["report"]
    return {
        "reload_s": t1 - t0,
        "ok": rep.ok,  # type: ignore[attr-defined]
        "build_s": marks.get("build_end", 0) - marks.get("build_start", 0),
        "open_s": min(swap, t1) - marks.get("build_end", t0),
        "max_stall_s": worst,
        "stall_phase": phase(worst_t, worst_t + 0.005 + worst),
        "max_stall_by_phase": by_phase,
        "p99_lag_during_s": pct([lag for _, lag in during], 99),
        "max_lag_before_s": max(before) if before else float("nan"),
        "stalls_over_50ms": sum(1 for _, lag in during if lag > 0.05),
        "questions": len(lat),
        "questions_during": len(ans_during),
        "answer_p99_during_s": pct(ans_during, 99),
        "answer_max_s": max(d for _, d in lat),
        "failures": failures,
        "gc_over_20ms": [(round(d * 1000), g, phase(t)) for t, d, g in big_gc][:10],
    }


# -- quality on the real store -----------------------------------------------------------------


def real_quality() -> list[str]:
    path = OUT / "real" / "store.sqlite"
    build_store(PROJECT_ROOT / "seeds", PROJECT_ROOT / "knowledge", path)
    store = Store.open(path)
    lines = []
    for name, f in (
        (
            "regression set (tests/regression/questions.yaml)",
            PROJECT_ROOT / "tests" / "regression" / "questions.yaml",
        ),
        (
            "development set (/work/shared/eval/dev_questions.yaml)",
            Path("/work/shared/eval/dev_questions.yaml"),
        ),
    ):
        if f.is_file():
            lines.append(f"{name}: {evaluate_file(store, f).summary()}")
    return lines


# -- report ----------------------------------------------------------------------------------


TARGETS = """| target | figure | met |
|---|---|---|
"""


def render(
    mach: dict[str, str],
    rows: list[dict],
    reload: dict | None,
    real: list[str],
    e2e: list[dict],
    cmd: str,
    started: str,
) -> str:
    lines = [
        f"Code: {mach['code']}."
        + (
            f" **The code changed during the run (now {mach['code_end']}): figures mix versions; rerun.**"
            if mach.get("code_end") and mach["code_end"] != mach["code"]
            else ""
        ),
        "",
        f"Measured {started} with `{cmd}` on {mach['cpus']} CPU(s) ({mach['cpu']}), {mach['memory']} RAM, "
        f"Python {mach['python']}, SQLite {mach['sqlite']}, RapidFuzz {mach['rapidfuzz']}, {mach['os']}; "
        f"load average at start {mach['load']} (other jobs share the machine: compare ratios, measured side by side).",
        "",
        "### Per store size",
        "",
        "| store | items (facts + passages) | build s | store MB | RSS loaded MB (peak) | questions | ours p50 ms | ours p99 ms | ours q/s (1 core) "
        "| FTS5 p50 ms | FTS5 p99 ms | ours/FTS5 p50 | ours/FTS5 p99 | extractOne p50 ms | extractOne p99 ms | ours/extractOne p50 | ours/extractOne p99 |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['label']} | {r['facts']:,} + {r['passages']:,} | {r['build_s']:.1f} | {r['store_mb']:.1f} "
            f"| {r['rss_mb']:.0f} ({r['peak_mb']:.0f}) | {r['n']} × {r['rounds']} | {ms(r['ours_p50'])} | {ms(r['ours_p99'])} "
            f"| {r['qps']:.0f} | {ms(r['fts_p50'])} | {ms(r['fts_p99'])} | {r['fts_r50']:.2f} | {r['fts_r99']:.2f} "
            f"| {ms(r['x_p50'])} | {ms(r['x_p99'])} | {r['x_r50']:.3f} | {r['x_r99']:.3f} |"
        )
    lines += [
        "",
        "Ratios: median over rounds of (ours / contender) at that percentile, each question timed through both "
        "back to back (order alternating). extractOne is timed on a sample of "
        + ", ".join(f"{r['x_n']} ({r['label']})" for r in rows)
        + " questions (it is too slow for all), paired with ours on the same sample.",
        "",
        "Answer quality on the synthetic workload (answerable: our answer, or the contender's top-1 item, is the record "
        "the question is about, its entity or the passage it quotes; lists: ours gave a list):",
        "",
        "| store | ours | FTS5 | extractOne (sample) |",
        "|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['label']} | {r['q_ours']} | {r['q_fts']} | {r['q_x']} |")
    if reload:
        lines += [
            "",
            f"### Reload under load ({reload['label']} store)",
            "",
            f"`StoreService.reload()`, as implemented, while {reload['rate']:.0f} questions/s arrive "
            "(each answered in a worker thread, as the bot's `/ask` does) and a probe task sleeps 5 ms in a loop "
            "(its overshoot is the event-loop stall):",
            "",
            "| reload s (build + open to swap) | longest loop stall ms (phase) | stalls > 50 ms | loop lag p99 ms | "
            "max lag before reload ms | questions answered (during) | answer p99 during ms | failed |",
            "|---|---|---|---|---|---|---|---|",
            f"| {reload['reload_s']:.1f} ({reload['build_s']:.1f} + {reload['open_s']:.1f}) | {ms(reload['max_stall_s'])} ({reload['stall_phase']}) "
            f"| {reload['stalls_over_50ms']} | {ms(reload['p99_lag_during_s'])} | {ms(reload['max_lag_before_s'])} "
            f"| {reload['questions']} ({reload['questions_during']}) | {ms(reload['answer_p99_during_s'])} | {len(reload['failures'])} |",
        ]
        lines += [
            "",
            "Longest stall in each step: "
            + ", ".join(f"{k} {ms(v)} ms" for k, v in reload["max_stall_by_phase"].items())
            + ".",
        ]
        if reload["gc_over_20ms"]:
            lines.append("")
            lines.append(
                "Garbage-collector pauses over 20 ms during the reload (ms, generation, phase): "
                + ", ".join(f"{d} (gen {g}, {p})" for d, g, p in reload["gc_over_20ms"])
            )
    lines += ["", "### End to end (fake Discord, `/ask`)", ""]
    if e2e:
        x = e2e[0]
        lines += [
            f"{x['n']} `/ask` interactions per bot at {x['rate']:.0f}/s, in alternating blocks of {x['n'] // 8} "
            "(both bots up at once, each on its own fake); latency from the INTERACTION_CREATE dispatch to the bot's "
            "callback request. Ratios: pooled over all interactions; in brackets the median of the per-block ratios.",
            "",
            "| store | Talent War Bot p50 / p99 / max ms | constant bot p50 / p99 / max ms | ratio p50 | ratio p99 "
            "| bot RSS MB | deferred | missing callbacks |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for x in e2e:
            lines.append(
                f"| {x['store']} | {ms(x['bot_p50'])} / {ms(x['bot_p99'])} / {ms(x['bot_max'])} "
                f"| {ms(x['floor_p50'])} / {ms(x['floor_p99'])} / {ms(x['floor_max'])} "
                f"| {x['bot_p50'] / x['floor_p50']:.2f} ({x['ratio50_median']:.2f}) "
                f"| {x['bot_p99'] / x['floor_p99']:.2f} ({x['ratio99_median']:.2f}) | {x['bot_rss_mb']:.0f} "
                f"| {x['bot_deferred']} / {x['floor_deferred']} | {x['bot_missing']} / {x['floor_missing']} |"
            )
        lines += [
            "",
            "The real store is asked the regression set's questions (cycled); a synthetic store its workload. "
            "Talent War Bot is `python -m bot run` (tests/fake_discord BotProcess); the constant bot is "
            "bench/constant_bot.py.",
        ]
    else:
        lines.append("Not measured in this run.")
    if real:
        lines += ["", "### Answer quality on the real store", ""] + [f"- {x}" for x in real]
    lines += ["", "### Targets", "", TARGETS.rstrip("\n")]
    by = {r["label"]: r for r in rows}

    def row(t: str, fig: str, ok: bool | None) -> None:
        lines.append(f"| {t} | {fig} | {'yes' if ok else 'no' if ok is not None else '–'} |")

    if "100k" in by:
        r = by["100k"]
        row("100k: p99 ≤ 10 ms", f"{ms(r['ours_p99'])} ms", r["ours_p99"] <= 0.010)
        row(
            "100k: p99 below FTS5's",
            f"{ms(r['ours_p99'])} vs {ms(r['fts_p99'])} ms (ratio {r['fts_r99']:.2f})",
            r["fts_r99"] < 1,
        )
        row("100k: build ≤ 20 s", f"{r['build_s']:.1f} s", r["build_s"] <= 20)
        row(
            "100k: memory loaded ≤ 300 MB",
            f"{r['rss_mb']:.0f} MB (peak {r['peak_mb']:.0f})",
            r["rss_mb"] <= 300,
        )
    if "10k" in by:
        r = by["10k"]
        row("10k: p99 ≤ 3 ms", f"{ms(r['ours_p99'])} ms", r["ours_p99"] <= 0.003)
    if reload:
        row(
            f"reload of {reload['label']}: stall ≤ 50 ms, no failure",
            f"{ms(reload['max_stall_s'])} ms, {len(reload['failures'])} failed",
            reload["max_stall_s"] <= 0.05 and not reload["failures"],
        )
    for x in e2e or []:
        ratio = x["bot_p99"] / x["floor_p99"]
        row(f"end to end ({x['store']} store): p99 ≤ 1.3× constant bot", f"{ratio:.2f}×", ratio <= 1.3)
    if not e2e:
        row("end to end p99 ≤ 1.3× constant bot", "not measured", None)
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"


def write_readme(table: str) -> None:
    path = ROOT / "bench" / "README.md"
    text = path.read_text(encoding="utf-8") if path.is_file() else f"# Benchmark\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n{table}{END}{tail}", encoding="utf-8")


# -- main ------------------------------------------------------------------------------------


def measure_size(size: int, args: argparse.Namespace) -> tuple[dict, Path, Path, list[Question]]:
    lab = label(size)
    log(f"[{lab}] generating corpus")
    corpus, meta = generate(size)
    store_path = OUT / lab / "store.sqlite"
    log(f"[{lab}] building with python -m bot build")
    b = build(corpus, store_path)
    log(f"[{lab}] built in {b['build_s']:.1f}s; measuring memory in a fresh process")
    mem = memory(store_path)
    store = Store.open(store_path)
    ids, texts = store_texts(store_path)
    fts = Fts5(ids, texts)
    ext = ExtractOne(ids, texts)
    questions = build_workload(corpus, meta, n=args.questions)
    rng = random.Random(11)
    x_n = min(len(questions), args.extract_sample or {1000: 300, 10000: 100}.get(size, 30))
    sample = rng.sample(questions, x_n)
    log(f"[{lab}] warming up ({len(questions)} questions)")
    for q in questions:
        answer(store, q.q)
        fts.top1(q.q)
    gc.collect()
    log(f"[{lab}] timing ours vs FTS5, {args.rounds} round(s)")
    pf = paired(store, fts, questions, args.rounds)
    log(
        f"[{lab}] ours p50 {ms(pf.p('ours', 50))} p99 {ms(pf.p('ours', 99))} ms; FTS5 p50 {ms(pf.p('theirs', 50))} p99 {ms(pf.p('theirs', 99))} ms"
    )
    log(f"[{lab}] timing ours vs extractOne on {x_n} questions")
    px = paired(store, ext, sample, args.rounds)
    log(f"[{lab}] extractOne p50 {ms(px.p('theirs', 50))} ms")
    qual = quality(store, {"fts": fts, "x": ext}, questions, {"x": sample})
    row = {
        "label": lab,
        "size": size,
        **b,
        **mem,
        "n": len(questions),
        "rounds": args.rounds,
        "ours_p50": pf.p("ours", 50),
        "ours_p99": pf.p("ours", 99),
        "qps": pf.qps(),
        "fts_p50": pf.p("theirs", 50),
        "fts_p99": pf.p("theirs", 99),
        "fts_r50": pf.ratio(50),
        "fts_r99": pf.ratio(99),
        "x_n": x_n,
        "x_p50": px.p("theirs", 50),
        "x_p99": px.p("theirs", 99),
        "x_r50": px.ratio(50),
        "x_r99": px.ratio(99),
        "q_ours": qual["ours"],
        "q_fts": qual["fts"],
        "q_x": qual["x"],
    }
    slow = sorted(
        ((max(pf.ours[r][i] for r in range(len(pf.ours))), q.q) for i, q in enumerate(questions)),
        reverse=True,
    )[:5]
    log(f"[{lab}] slowest questions: " + "; ".join(f"{ms(d)} ms {q!r}" for d, q in slow))
    del store, fts, ext
    gc.collect()
    return row, corpus, store_path, questions


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    p.add_argument("--questions", type=int, default=1200)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument(
        "--extract-sample", type=int, default=0, help="questions timed through extractOne (default by size)"
    )
    p.add_argument(
        "--quick", action="store_true", help="300 questions, 1 round (a smoke run, not the published figures)"
    )
    p.add_argument("--rate", type=float, default=50.0, help="questions per second during the reload test")
    p.add_argument("--e2e-n", type=int, default=2000, help="/ask interactions per bot in the end-to-end test")
    p.add_argument("--e2e-rate", type=float, default=25.0, help="/ask interactions per second")
    p.add_argument("--no-reload", action="store_true")
    p.add_argument("--no-e2e", action="store_true")
    p.add_argument("--no-real", action="store_true", help="skip the real store's regression/dev scores")
    p.add_argument("--no-readme", action="store_true", help="print the table only")
    args = p.parse_args(argv)
    if args.quick:
        args.questions, args.rounds = 300, 1
    cmd = ".venv/bin/python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:])
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    mach = machine()
    mach["code"] = code_version()
    rows = []
    reload = None
    e2e: list[dict] = []
    for size in sorted(args.sizes):
        row, corpus, store_path, questions = measure_size(size, args)
        rows.append(row)
        last_questions = questions
        if size == max(args.sizes) and not args.no_reload:
            log(f"[{row['label']}] reload under load at {args.rate:.0f} questions/s")
            reload = reload_under_load(corpus, store_path, questions, args.rate)
            reload.update(label=row["label"], rate=args.rate)
            if reload["failures"]:
                log("failures:", reload["failures"][:5])
    if not args.no_e2e and run_e2e is None:
        log(f"end-to-end not measured: {_E2E_IMPORT_ERROR}")
    elif not args.no_e2e:
        biggest = OUT / label(max(args.sizes))
        for name, corpus, store, qs in (
            ("real", None, None, real_questions()),
            (label(max(args.sizes)), biggest, biggest / "store.sqlite", [q.q for q in last_questions]),
        ):
            log(f"[{name}] end to end: {args.e2e_n} /ask at {args.e2e_rate:.0f}/s, bot vs constant bot")
            try:
                x = run_e2e(corpus, store, qs, args.e2e_n, args.e2e_rate)
            except Exception as exc:  # noqa: BLE001 - reported, not fatal
                log(f"end-to-end on the {name} store not measured: {exc!r}")
                continue
            x["store"] = name
            log(f"e2e: {x}")
            e2e.append(x)
    real = [] if args.no_real else real_quality()
    mach["code_end"] = code_version()
    table = render(mach, rows, reload, real, e2e, cmd.strip(), started)
    print(table)
    if not args.no_readme:
        write_readme(table)
        log("table written to bench/README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
