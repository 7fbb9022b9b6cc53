"""`python -m bot run` start-up failures: each exits at once with one line that says what to do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.fake_discord import BotProcess, FakeDiscord

REPO = Path(__file__).resolve().parents[2]


def run_bot(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env={**clean, "PYTHONPATH": str(REPO), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_without_a_token_it_says_how_to_get_one(tmp_path: Path) -> None:
    result = run_bot({"DISCORD_TOKEN": ""}, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert (
        "DISCORD_TOKEN" in lines[0]
        and "discord.com/developers" in lines[0]
        and "python -m bot ask" in lines[0]
    )


async def test_a_refused_token_exits_with_one_line_and_is_not_logged(tmp_path: Path) -> None:
    async with FakeDiscord(token="the-right-token") as fake:
        proc = BotProcess(fake, tmp_path, env={"DISCORD_TOKEN": "MTIz.wrong-token.do-not-log"})
        await proc.start(wait_ready=False)
        assert proc.proc is not None
        code = await proc.proc.wait()
    assert code == 1
    log = proc.log()
    assert "Discord refused DISCORD_TOKEN" in log
    assert "wrong-token" not in log
    assert fake.requests_matching("GET", "^/users/@me$")[0].status == 401
    assert not fake.connections, "never reached the gateway"
