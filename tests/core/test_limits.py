"""Bounds a stranger cannot push: fold-then-cut question length, word length, a 50 MB stdin line,
and per-user maps that stay small and cheap whatever the number of users."""

from __future__ import annotations

import subprocess
import sys
import time

from bot.checks import Cooldown
from bot.core.limits import QUESTION_MAX_FOLDED, WORD_MAX, bound_question
from bot.core.text import fold, tokens

from .conftest import Project


def test_folding_cannot_make_a_question_longer_than_the_limit() -> None:
    for text in ("ⅷ " * 1000, "ﷺ " * 1000, "Ⅻ" * 2000, "é" * 5000, "x " * 5000):
        bounded = bound_question(text)
        assert len(fold(bounded)) <= QUESTION_MAX_FOLDED, text[:10]
    assert len(fold(bound_question("ⅷ " * 1000))) > 1900  # cut at the limit, not far before it


def test_words_are_cut_so_caches_stay_small() -> None:
    bounded = bound_question("What about " + "q" * 1000 + " and Meta?")
    assert max(len(t) for t in tokens(bounded)) == WORD_MAX
    assert bounded.endswith(" and Meta?")


def test_a_normal_question_is_untouched() -> None:
    q = "Combien Meta a offert à Ruoming Pang ?"
    assert bound_question(q) == q


def test_a_huge_question_is_cut_cheaply() -> None:
    huge = "ⅷ" * 50_000_000
    started = time.perf_counter()
    bound_question(huge)
    assert time.perf_counter() - started < 0.1


PEAK_REPORTER = (
    "import atexit, resource, sys\n"
    "atexit.register(lambda: sys.stderr.write("
    "f'PEAK_KB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n'))\n"
    "from bot.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_a_50_mb_stdin_line_is_cut_early(built: Project) -> None:
    data = ("Who is Tom Gunter?\n" + "x" * 50_000_000 + "\nWhat is MLX?\n").encode()
    built.cli("ask", "What is MLX?")  # the store is ready: what follows measures the reading only
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", PEAK_REPORTER, "ask", "--json"],
        input=data,
        capture_output=True,
        env=built.env,
        cwd=built.root,
        timeout=60,
    )
    elapsed = time.perf_counter() - started
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    lines = proc.stdout.decode().splitlines()
    assert len(lines) == 3 and '"answered": true' in lines[0] and '"answered": true' in lines[2]
    peak_mb = int(err.split("PEAK_KB ")[1].split()[0]) / 1024
    assert elapsed < 30, (
        f"{elapsed:.1f}s"
    )  # a generous bound: the bench times it, CI only checks it is not pathological
    assert peak_mb < 1000, (
        f"peak {peak_mb:.0f} MB"
    )  # 86 MB alone here; the 50 MB line itself once cost 1.9 GB


def test_cooldown_map_is_bounded_and_cheap_with_many_users() -> None:
    cooldown = Cooldown(5.0, max_users=10_000)
    started = time.perf_counter()
    for user in range(30_000):  # all inside the window
        assert cooldown.retry_after(user, now=1000.0 + user * 1e-5) == 0.0
    elapsed = time.perf_counter() - started
    assert len(cooldown) == 10_000
    assert elapsed < 3.0, f"30,000 users took {elapsed:.2f}s"  # was 16 s with the full scan per call
    assert cooldown.retry_after(29_999, now=1000.5) > 0  # the newest are still remembered


def test_cooldown_forgets_expired_users_without_a_full_scan() -> None:
    cooldown = Cooldown(5.0)
    for user in range(1000):
        cooldown.retry_after(user, now=0.0)
    cooldown.retry_after(5000, now=10.0)  # everyone else's window is over
    assert len(cooldown) == 1


def test_cli_ask_of_a_huge_argument_is_cut(built: Project) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "ⅷ " * 20_000],
        capture_output=True,
        env=built.env,
        cwd=built.root,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert len(fold(proc.stdout.decode().split('"question": "', 1)[1].split('"', 1)[0])) <= 2000
