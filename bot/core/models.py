"""Plain data shared by the build, the store, retrieval and both faces (CLI and Discord).

Kept free of behaviour so every layer can import it without pulling in another layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Lang = Literal["en", "fr"]


@dataclass(frozen=True)
class Document:
    """A seed article and what its text says about itself."""

    file: str
    title: str | None
    language: str
    date: str | None
    publisher: str | None = None
    url: str | None = None
    # An untitled article's description: one text (in the article's language) or one per
    # reader language ({"en": ..., "fr": ...}).
    label: str | dict[str, str] | None = None

    @property
    def source(self) -> str:
        return f"seeds/{self.file}"

    @property
    def display_title(self) -> str:
        """The article's own title, or the curator's description of an untitled one."""
        other = next(iter(self.label.values()), None) if isinstance(self.label, dict) else None
        return self.title or self.label_in(self.language) or other or f"Untitled article ({self.file})"

    def label_in(self, lang: str) -> str | None:
        """The description of an untitled article for a reader of `lang`, or None when the
        curator gave none in that language (a plain label is in the article's language)."""
        if isinstance(self.label, dict):
            return self.label.get(lang)
        if self.label and lang == self.language:
            return self.label
        return None


@dataclass(frozen=True, slots=True)
class Citation:
    """A verbatim quote of a seed, with what a reader needs to find it."""

    source: str
    title: str
    date: str
    quote: str

    def to_json(self) -> dict[str, str]:
        return {"source": self.source, "title": self.title, "date": self.date, "quote": self.quote}


@dataclass(frozen=True)
class Entity:
    """A person or an organisation, with the names people use for it."""

    id: str
    kind: str  # "person" or an organisation kind: company, lab, team, product, media
    name: str
    aliases: tuple[str, ...]
    summary: dict[str, str]
    parent: str | None = None

    @property
    def is_person(self) -> bool:
        return self.kind == "person"


@dataclass(frozen=True)
class Transfer:
    """One move of a person (or a team) between organisations, as reported."""

    id: str
    who: str
    from_org: str | None
    to_org: str | None
    date: str | None
    status: str
    summary: dict[str, str]
    role_before: dict[str, str] | None = None
    role_after: dict[str, str] | None = None
    package: dict[str, str] | None = None
    package_source: str | None = None
    citations: tuple[Citation, ...] = ()
    reviewed: bool = True  # False: read from an article by the build, no curator confirmed it
    reported: str | None = None  # the date of the newest source reporting it
    history: tuple[dict[str, Any], ...] = ()  # every report, oldest first: status, date, source…


@dataclass
class Answer:
    """What one question gets back, in one language, with its evidence."""

    question: str
    answered: bool
    language: Lang
    text: str
    confidence: float
    facts: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    store_version: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answered": self.answered,
            "language": self.language,
            "answer": self.text,
            "confidence": round(self.confidence, 3),
            "facts": list(self.facts),
            "citations": [c.to_json() for c in self.citations],
        }
