"""Ours against the three retrievers a user could pick instead, on the same questions in one run:
FTS5 `bm25`, dense retrieval alone with the same model, and FTS5 fused with dense retrieval
(reciprocal-rank fusion). Quality on the real stores; latency, memory and embedding costs on
the real stores and on synthetic ones of 1k, 10k and 100k items.

    .venv/bin/python -m bench.hybrid [--sizes 1000 10000 100000] [--rounds 3] [--out bench/HYBRID.md]

Every latency is one question end to end, its embedding included (the query cache is emptied
before each of our calls, and the dense contenders embed the question themselves). The four are
timed interleaved, question by question, so a noisy machine slows all of them alike; medians of
per-round percentiles are quoted, and ratios are taken within a round.

The synthetic stores are built with real question embeddings but hashed stand-in vectors for
their texts (`HashedTexts`): embedding 100,000 generated sentences with the real model would take
the better part of an hour on this machine, and the cost of a search depends on the number and
size of the vectors, not on their values. Their quality figures are therefore the lexical ones;
quality is measured on the real stores only.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import yaml

from bench.contenders import Fts5, store_texts
from bench.generate import generate, label
from bench.workload import build_workload
from bot.core import retrieve
from bot.core.answer import answer
from bot.core.build import build_store
from bot.core.encoder import E5Encoder
from bot.core.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
RRF_K = 60  # the usual reciprocal-rank-fusion constant
FUSED_DEPTH = 20  # ranks taken from each of FTS5 and dense before fusing


class HashedTexts(E5Encoder):
    """The real model for questions, deterministic hashed unit vectors for texts (see above)."""

    name = "bench-hashed-texts+e5-queries"

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        return out


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.lower())
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).replace("\u2019", "'").split())


class Dense:
    """Top-k by cosine over every item text, with the model that embeds our store's texts."""

    name = "dense"

    def __init__(self, store: Store) -> None:
        self.store = store
        self.encoder = store.encoder

    def rank(self, question: str, k: int = 1) -> list[int]:
        q = self.encoder.queries([question])[0]
        return self.store.vectors.nearest(q, k)


class Fused:
    """FTS5 and dense ranks merged by reciprocal-rank fusion."""

    name = "FTS5+dense"

    def __init__(self, fts: Fts5, dense: Dense, position: dict[str, int]) -> None:
        self.fts, self.dense, self.position = fts, dense, position
        self.sql = "SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?"

    def rank(self, question: str) -> list[int]:
        scores: dict[int, float] = {}
        for r, n in enumerate(self.dense.rank(question, FUSED_DEPTH)):
            scores[n] = scores.get(n, 0.0) + 1.0 / (RRF_K + r)
        for r, iid in enumerate(fts_ids(self.fts, question, FUSED_DEPTH)):
            n = self.position[iid]
            scores[n] = scores.get(n, 0.0) + 1.0 / (RRF_K + r)
        return sorted(scores, key=lambda n: -scores[n])


def fts_ids(fts: Fts5, question: str, k: int) -> list[str]:
    import re

    words = re.findall(r"\w+", question.lower())
    if not words:
        return []
    match = " OR ".join('"' + w.replace('"', '""') + '"' for w in dict.fromkeys(words))
    return [
        row[0]
        for row in fts.db.execute("SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?", (match, k))
    ]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(
    contenders: dict[str, Callable[[str], object]], questions: list[str], rounds: int
) -> dict[str, dict]:
    """Each question through every contender in turn (rotating who goes first), per round."""
    names = list(contenders)
    per: dict[str, list[list[float]]] = {n: [] for n in names}
    clock = time.perf_counter
    for r in range(rounds):
        got: dict[str, list[float]] = {n: [] for n in names}
        for i, q in enumerate(questions):
            order = names[(i + r) % len(names) :] + names[: (i + r) % len(names)]
            for n in order:
                retrieve._VECTORS.clear()  # a question nobody asked before: embedded again
                t0 = clock()
                contenders[n](q)
                got[n].append(clock() - t0)
        for n in names:
            per[n].append(got[n])
    out = {}
    for n in names:
        out[n] = {
            "p50": statistics.median(pct(x, 50) for x in per[n]) * 1000,
            "p99": statistics.median(pct(x, 99) for x in per[n]) * 1000,
        }
    for n in names:
        if n != "ours":
            out[n]["ours_over_p50"] = statistics.median(
                pct(o, 50) / pct(t, 50) for o, t in zip(per["ours"], per[n], strict=True)
            )
            out[n]["ours_over_p99"] = statistics.median(
                pct(o, 99) / pct(t, 99) for o, t in zip(per["ours"], per[n], strict=True)
            )
    return out


def race(store: Store, fts: Fts5, dense: Dense, fused: Fused, questions: list[str], rounds: int) -> dict:
    """Ours and the three contenders timed on the same questions."""
    return timed(
        {
            "ours": lambda x: answer(store, x),
            "FTS5": lambda x: fts_ids(fts, x, 1),
            "dense": lambda x: dense.rank(x, 1),
            "FTS5+dense": fused.rank,
        },
        questions,
        rounds,
    )


def contenders_for(store: Store, store_path: Path) -> tuple[Fts5, Dense, Fused, list[str], list[str]]:
    ids, texts = store_texts(store_path)
    fts = Fts5(ids, texts)
    dense = Dense(store)
    fused = Fused(fts, dense, {iid: n for n, iid in enumerate(ids)})
    return fts, dense, fused, ids, texts


def quality(store: Store, store_path: Path, files: list[Path]) -> dict[str, dict[str, str]]:
    """Right answers (and, for ours, right declines) on question files, as score.py counts them:
    an expected string in the answer or its first quote; for the contenders, in the top-1 text."""
    fts, dense, fused, ids, texts = contenders_for(store, store_path)
    quotes = {}
    for n, it in enumerate(store.items):
        quotes[n] = " ".join([*it.text.values(), *(c.quote for c in it.citations[:1])])
    out: dict[str, dict[str, str]] = {}
    for f in files:
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        ans, una = data["answerable"], data["unanswerable"]
        res = {"ours": 0, "ours_declined": 0, "FTS5": 0, "dense": 0, "FTS5+dense": 0, "FTS5+dense top-3": 0}
        wrong_confident = answered = 0
        for q in ans:
            expect = [fold(e) for e in q["expect_any"]]

            def hit(text: str, expect: list[str] = expect) -> bool:
                return any(e in fold(text) for e in expect)

            a = answer(store, q["q"])
            answered += a.answered
            ok = a.answered and hit(a.text + " " + " ".join(c.quote for c in a.citations[:1]))
            res["ours"] += ok
            wrong_confident += a.answered and not ok and a.confidence >= 0.8
            top = fts_ids(fts, q["q"], 1)
            res["FTS5"] += bool(top) and hit(quotes[ids.index(top[0])])
            d = dense.rank(q["q"], 1)
            res["dense"] += bool(d) and hit(quotes[d[0]])
            fz = fused.rank(q["q"])
            res["FTS5+dense"] += bool(fz) and hit(quotes[fz[0]])
            res["FTS5+dense top-3"] += any(hit(quotes[n]) for n in fz[:3])
        for q in una:
            a = answer(store, q["q"])
            res["ours_declined"] += not a.answered
            answered += a.answered
            wrong_confident += a.answered and a.confidence >= 0.8
        na, nu = len(ans), len(una)
        out[f.name] = {
            "ours": f"{res['ours']}/{na} right, {res['ours_declined']}/{nu} declined, "
            f"{wrong_confident}/{answered} answers wrong with confidence ≥ 0.8",
            **{k: f"{v}/{na} top-1 right" for k, v in res.items() if k.startswith(("FTS5", "dense"))},
        }
        out[f.name]["FTS5+dense top-3"] = f"{res['FTS5+dense top-3']}/{na} right within top 3"
    return out


def rss(store_path: Path, hashed: bool) -> dict[str, float]:
    env = dict(os.environ, BENCH_HASHED_TEXTS="1" if hashed else "")
    out = subprocess.run(
        [sys.executable, "-m", "bench.memory", str(store_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def articles_copy(work: Path) -> Path | None:
    """A scratch copy of seeds/ and knowledge/ with the development articles added uncurated."""
    arts = SHARED / "articles"
    if not (arts / "articles.yaml").is_file():
        return None
    shutil.copytree(ROOT / "seeds", work / "seeds")
    shutil.copytree(ROOT / "knowledge", work / "knowledge")
    docs = yaml.safe_load((work / "seeds" / "documents.yaml").read_text(encoding="utf-8"))
    for e in yaml.safe_load((arts / "articles.yaml").read_text(encoding="utf-8")):
        shutil.copy(arts / e["file"], work / "seeds" / e["file"])
        docs["documents"].append(e)
    (work / "seeds" / "documents.yaml").write_text(yaml.safe_dump(docs, allow_unicode=True), encoding="utf-8")
    return work


def costs(work: Path) -> dict[str, float]:
    """Embedding throughput, adding a 50-sentence article, and a rebuild of an unchanged store."""
    enc = E5Encoder()
    sentences = [
        s for s in (ROOT / "seeds" / "000_a72eddb388f69db9.txt").read_text().split(". ") if len(s) > 40
    ]
    batch = (sentences * 10)[:200]
    batch = [f"{s} ({i})" for i, s in enumerate(batch)]  # distinct texts
    t = time.perf_counter()
    enc.passages(batch)
    throughput = len(batch) / (time.perf_counter() - t)
    seeds, knowledge = work / "seeds", work / "knowledge"
    cache = work / "cache.sqlite"
    store = work / "store.sqlite"
    build_store(seeds, knowledge, store, embedding_cache=cache)
    unchanged = build_store(seeds, knowledge, store, embedding_cache=cache)
    article = " ".join(
        f"Sentence {i} of a new article says that Jane Roe {i} joined Lab {i} in 2026." for i in range(50)
    )
    (seeds / "999_new.txt").write_text(article + "\n", encoding="utf-8")
    docs = yaml.safe_load((seeds / "documents.yaml").read_text(encoding="utf-8"))
    docs["documents"].append(
        {
            "file": "999_new.txt",
            "title": "New",
            "language": "en",
            "date": "2026-11-30",
            "publisher": None,
            "url": None,
        }
    )
    (seeds / "documents.yaml").write_text(yaml.safe_dump(docs, allow_unicode=True), encoding="utf-8")
    t = time.perf_counter()
    added = build_store(seeds, knowledge, store, embedding_cache=cache)
    return {
        "texts_per_s": throughput,
        "unchanged_rebuild_embedded": unchanged.embedded,
        "unchanged_rebuild_s": unchanged.seconds,
        "new_article_s": time.perf_counter() - t,
        "new_article_embedded": added.embedded,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--questions", type=int, default=300)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "HYBRID.md")
    ap.add_argument("--no-real", action="store_true", help="synthetic stores only")
    args = ap.parse_args(argv)
    report: dict[str, object] = {"started": time.strftime("%Y-%m-%d %H:%M %Z"), "cpus": os.cpu_count()}
    tmp = Path(tempfile.mkdtemp(prefix="hybrid-"))
    try:
        real: list[tuple[str, Path, list[Path]]] = []
        seeds_store = tmp / "seeds-store.sqlite"
        build_store(ROOT / "seeds", ROOT / "knowledge", seeds_store)
        real.append(
            (
                "seeds",
                seeds_store,
                [
                    SHARED / "dev_questions.yaml",
                    *sorted((ROOT / "tests" / "regression").glob("blind_seeds_*.yaml")),
                ],
            )
        )
        arts = articles_copy(tmp / "articles")
        if arts is not None:
            build_store(arts / "seeds", arts / "knowledge", arts / "store.sqlite")
            real.append(
                (
                    "seeds + dev articles",
                    arts / "store.sqlite",
                    [
                        SHARED / "article_questions.yaml",
                        *sorted((ROOT / "tests" / "regression").glob("blind_articles_*.yaml")),
                    ],
                )
            )
        rows = []
        for name, path, files in [] if args.no_real else real:
            store = Store.open(path)
            files = [f for f in files if f.is_file()]
            print(f"[{name}] quality", flush=True)
            q = quality(store, path, files)
            questions = [
                x["q"]
                for f in files
                for k in ("answerable", "unanswerable")
                for x in yaml.safe_load(f.read_text())[k]
            ]
            fts, dense, fused, _, _ = contenders_for(store, path)
            print(f"[{name}] latency on {len(questions)} questions", flush=True)
            lat = race(store, fts, dense, fused, questions, args.rounds)
            rows.append(
                {
                    "store": name,
                    "items": len(store.items),
                    "quality": q,
                    "latency": lat,
                    "memory": rss(path, False),
                }
            )
            del store
            gc.collect()
        report["real"] = rows
        synth = []
        enc = HashedTexts()
        for size in args.sizes:
            corpus, meta = generate(size)
            path = tmp / f"{label(size)}.sqlite"
            print(f"[{label(size)}] building", flush=True)
            built = build_store(
                corpus / "seeds",
                corpus / "knowledge",
                path,
                encoder=enc,
                embedding_cache=tmp / "hashed.sqlite",
            )
            store = Store.open(path, encoder=enc)
            fts, dense, fused, _, _ = contenders_for(store, path)
            qs = [q.q for q in build_workload(corpus, meta, n=args.questions)]
            for q in qs[:20]:
                answer(store, q)
            print(f"[{label(size)}] latency", flush=True)
            lat = race(store, fts, dense, fused, qs, args.rounds)
            synth.append(
                {
                    "size": label(size),
                    "items": len(store.items),
                    "vectors": store.vectors.rows,
                    "build_s": built.seconds,
                    "latency": lat,
                    "memory": rss(path, True),
                }
            )
            del store, fts, dense, fused
            gc.collect()
        report["synthetic"] = synth
        work = tmp / "costs"
        shutil.copytree(ROOT / "seeds", work / "seeds")
        shutil.copytree(ROOT / "knowledge", work / "knowledge")
        report["costs"] = {} if args.no_real else costs(work)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    text = render(report)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


def render(r: dict) -> str:
    lines = [
        "# Hybrid retrieval against FTS5, dense and fused retrieval",
        "",
        f"`.venv/bin/python -m bench.hybrid` — {r['started']}, {r['cpus']} CPUs. Latencies in ms, one question end to end "
        "(its embedding included); medians of per-round percentiles; ours/contender ratios taken within each round.",
        "",
    ]
    for row in r["real"]:
        lines += [f"## {row['store']} ({row['items']} items, {row['memory']['rss_mb']:.0f} MB resident)", ""]
        lines += [
            "| question set | ours | FTS5 bm25 | dense | FTS5+dense | FTS5+dense top 3 |",
            "|---|---|---|---|---|---|",
        ]
        for f, q in row["quality"].items():
            lines.append(
                f"| {f} | {q['ours']} | {q['FTS5']} | {q['dense']} | {q['FTS5+dense']} | {q['FTS5+dense top-3']} |"
            )
        lines += ["", latency_table(row["latency"]), ""]
    lines += ["## Synthetic stores (hashed text vectors, real question embeddings)", ""]
    lines += [
        "| store | items | vectors | build s | resident MB | ours p50 / p99 | dense p50 / p99 | FTS5 p50 / p99 | fused p50 / p99 | ours/dense p99 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in r["synthetic"]:
        L = s["latency"]
        lines.append(
            f"| {s['size']} | {s['items']} | {s['vectors']} | {s['build_s']:.1f} | {s['memory']['rss_mb']:.0f} | "
            f"{L['ours']['p50']:.1f} / {L['ours']['p99']:.1f} | {L['dense']['p50']:.1f} / {L['dense']['p99']:.1f} | "
            f"{L['FTS5']['p50']:.1f} / {L['FTS5']['p99']:.1f} | {L['FTS5+dense']['p50']:.1f} / {L['FTS5+dense']['p99']:.1f} | "
            f"{L['dense']['ours_over_p99']:.2f} |"
        )
    c = r["costs"]
    lines += (
        []
        if not c
        else [
            "",
            "## Embedding costs (the real model)",
            "",
            f"- throughput: {c['texts_per_s']:.0f} texts/s (200 distinct sentences in one call)",
            f"- adding a new 50-sentence article: {c['new_article_s']:.1f} s for the whole rebuild, "
            f"{c['new_article_embedded']} texts embedded",
            f"- rebuilding an unchanged store: {c['unchanged_rebuild_embedded']} texts embedded, {c['unchanged_rebuild_s']:.2f} s",
            "",
        ]
    )
    return "\n".join(lines)


def latency_table(lat: dict) -> str:
    rows = ["| | p50 | p99 | ours / it at p50 | ours / it at p99 |", "|---|---|---|---|---|"]
    for n, v in lat.items():
        ratio = "" if n == "ours" else f"{v['ours_over_p50']:.2f} | {v['ours_over_p99']:.2f}"
        rows.append(f"| {n} | {v['p50']:.1f} | {v['p99']:.1f} | {ratio or ' | '} |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
