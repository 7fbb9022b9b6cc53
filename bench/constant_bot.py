"""The floor: a minimal discord.py bot whose /ask replies a constant (no store, no work).

    DISCORD_TOKEN=... DISCORD_API_BASE=... DISCORD_GATEWAY_URL=... .venv/bin/python -m bench.constant_bot

Pointed at an endpoint the same way as the real bot (bot/client.py use_endpoints), it measures
what discord.py itself costs from an INTERACTION_CREATE to the callback request.
CONSTANT_BOT_THREAD_HOP=1 (diagnosis only, never in the published table) adds one
`asyncio.to_thread` round trip before replying, to measure what the real bot's hop costs.
"""

from __future__ import annotations

import asyncio
import os
import signal

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route


def main() -> None:
    Route.BASE = os.environ["DISCORD_API_BASE"].rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    intents = discord.Intents.none()
    intents.guilds = True

    class ConstantBot(discord.Client):
        def __init__(self) -> None:
            super().__init__(intents=intents)
            self.tree = app_commands.CommandTree(self)

        async def setup_hook(self) -> None:
            await self.tree.sync()

    client = ConstantBot()
    hop = os.environ.get("CONSTANT_BOT_THREAD_HOP") == "1"

    @client.tree.command(name="ask", description="Ask a question (constant answer).")
    async def ask(interaction: discord.Interaction, question: str) -> None:
        if hop:  # diagnosis only: the cost of one worker-thread round trip, as the real bot makes
            await asyncio.to_thread(str, question)
        await interaction.response.send_message("42", allowed_mentions=discord.AllowedMentions.none())

    async def run() -> None:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, lambda: asyncio.ensure_future(client.close()))
        async with client:
            await client.start(os.environ["DISCORD_TOKEN"])

    asyncio.run(run())


if __name__ == "__main__":
    main()
