"""Run `python -m bot run` as a separate process pointed at a FakeDiscord (tests and benchmarks)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from pathlib import Path

from .server import FakeDiscord

REPO = Path(__file__).resolve().parents[2]


class BotProcess:
    """The real bot, started with the fake's endpoints, its own store and a private knowledge copy.

    `knowledge_dir` is a copy of knowledge/ that tests may edit (e.g. break a file before /reload).
    Output goes to `log_path`; `stop()` sends SIGTERM and returns the exit code.
    """

    def __init__(self, fake: FakeDiscord, workdir: Path, env: dict[str, str] | None = None) -> None:
        self.fake = fake
        self.workdir = workdir
        self.knowledge_dir = workdir / "knowledge"
        self.store_path = workdir / "store.sqlite"
        self.log_path = workdir / "bot.log"
        self.extra_env = env or {}
        self.proc: asyncio.subprocess.Process | None = None

    def environment(self) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "QUESTION_", "MODERATOR_"))
        }
        env.update(self.fake.env())
        env.update(
            {
                "STORE_PATH": str(self.store_path),
                "KNOWLEDGE_DIR": str(self.knowledge_dir),
                "SEEDS_DIR": str(REPO / "seeds"),
                "MODERATOR_ROLE_IDS": str(self.fake.guild.role("Moderator").id),
                "MODERATION_GUILD_IDS": str(self.fake.guild.id),
                "RELOAD_COOLDOWN_SECONDS": "0",
                "QUESTION_CHANNEL_IDS": str(self.fake.channel("ask-the-bot").id),
                "LOG_LEVEL": "INFO",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    async def start(self, *, wait_ready: bool = True, timeout: float = 30.0) -> BotProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        if not self.knowledge_dir.exists():
            shutil.copytree(REPO / "knowledge", self.knowledge_dir)
        log = self.log_path.open("ab")
        try:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=str(self.workdir),  # no stray .env from the repository
                env={**self.environment(), "PYTHONPATH": str(REPO)},
                stdout=log,
                stderr=log,
            )
        finally:
            log.close()
        if wait_ready:
            ready = asyncio.ensure_future(self.fake.wait_until_ready(timeout))
            exited = asyncio.ensure_future(self.proc.wait())
            done, _ = await asyncio.wait({ready, exited}, return_when=asyncio.FIRST_COMPLETED)
            if exited in done:
                ready.cancel()
                raise RuntimeError(f"bot exited with {self.proc.returncode} before ready:\n{self.log()}")
            exited.cancel()
            ready.result()
        return self

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    async def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM (what hosts send), then SIGKILL if it does not exit in time."""
        if self.proc is None or self.proc.returncode is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), timeout)
        except asyncio.TimeoutError:
            self.proc.kill()
            await self.proc.wait()
            return None
