"""Talent War Bot: cited answers about the AI talent war, on Discord and the command line.

`from bot import create_bot` gives the Discord bot (see bot/client.py); it is imported on first
use, so the command line's `ask` never loads discord.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import create_bot

__all__ = ["create_bot"]


def __getattr__(name: str) -> Any:
    if name == "create_bot":
        from .client import create_bot

        return create_bot
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
