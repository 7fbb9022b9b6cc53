"""Shared helpers for the Discord-layer tests: what every message the bot sends must satisfy."""

from __future__ import annotations

from typing import Any

from tests.fake_discord import RecordedRequest, message_problems

NO_PINGS = {"parse": []}


def assert_no_pings(payload: dict[str, Any]) -> None:
    """Allowed mentions that parse nothing and list no one: nobody can be pinged."""
    mentions = payload.get("allowed_mentions")
    assert mentions is not None, f"no allowed_mentions in {payload}"
    assert mentions.get("parse") == [], mentions
    assert not mentions.get("users") and not mentions.get("roles"), mentions
    assert not mentions.get("replied_user"), mentions


def assert_fits(payload: dict[str, Any]) -> None:
    problems = message_problems(payload)
    assert not problems, problems


def message_requests(requests: list[RecordedRequest]) -> list[RecordedRequest]:
    """Requests that create or edit a message (callbacks with data, edits, follow-ups, channel posts)."""
    return [r for r in requests if r.message is not None]
