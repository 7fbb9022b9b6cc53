"""Discord's message limits, checked the way Discord does before accepting a message.

The fake answers 400 "Invalid Form Body" (code 50035) when a message breaks one, as Discord would,
so a test sees exactly the rejections the real service would give.
"""

from __future__ import annotations

from typing import Any

CONTENT_MAX = 2000
EMBEDS_MAX = 10
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_MAX = 256
EMBEDS_TOTAL_MAX = 6000
CHOICES_MAX = 25
CHOICE_NAME_MAX = 100


def embed_chars(embed: dict[str, Any]) -> int:
    """Characters counted toward the 6,000 (title, description, fields, footer, author)."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "") + len(
        (embed.get("author") or {}).get("name") or ""
    )
    for f in embed.get("fields") or []:
        total += len(f.get("name") or "") + len(f.get("value") or "")
    return total


def message_problems(body: dict[str, Any] | None) -> list[str]:
    """Every limit the message breaks (empty when Discord would accept it)."""
    if not body:
        return []
    problems = []
    content = body.get("content") or ""
    if len(content) > CONTENT_MAX:
        problems.append(f"content has {len(content)} > {CONTENT_MAX} characters")
    embeds = body.get("embeds") or []
    if len(embeds) > EMBEDS_MAX:
        problems.append(f"{len(embeds)} > {EMBEDS_MAX} embeds")
    for n, e in enumerate(embeds):
        checks = [
            ("title", len(e.get("title") or ""), TITLE_MAX),
            ("description", len(e.get("description") or ""), DESCRIPTION_MAX),
            ("footer", len((e.get("footer") or {}).get("text") or ""), FOOTER_MAX),
            ("author", len((e.get("author") or {}).get("name") or ""), AUTHOR_MAX),
            ("fields", len(e.get("fields") or []), FIELDS_MAX),
        ]
        for f in e.get("fields") or []:
            checks.append(("field name", len(f.get("name") or ""), FIELD_NAME_MAX))
            checks.append(("field value", len(f.get("value") or ""), FIELD_VALUE_MAX))
            if not f.get("name") or not f.get("value"):
                problems.append(f"embeds[{n}]: empty field name or value")
        problems += [f"embeds[{n}].{what}: {size} > {limit}" for what, size, limit in checks if size > limit]
    total = sum(embed_chars(e) for e in embeds)
    if total > EMBEDS_TOTAL_MAX:
        problems.append(f"embeds total {total} > {EMBEDS_TOTAL_MAX} characters")
    return problems


def choices_problems(choices: list[dict[str, Any]]) -> list[str]:
    problems = []
    if len(choices) > CHOICES_MAX:
        problems.append(f"{len(choices)} > {CHOICES_MAX} choices")
    for c in choices:
        if not 1 <= len(c.get("name") or "") <= CHOICE_NAME_MAX:
            problems.append(f"choice name {c.get('name')!r} must be 1-{CHOICE_NAME_MAX} characters")
        if len(str(c.get("value", ""))) > CHOICE_NAME_MAX:
            problems.append(f"choice value {c.get('value')!r} over {CHOICE_NAME_MAX} characters")
    return problems
