"""Load and validate the seeds' metadata and the curated knowledge files.

Validation collects every error (file and line, one sentence each) instead of stopping at the
first, so a moderator fixes a broken file in one pass. Nothing here writes anything.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from .inputs import MAX_BUILD_BYTES, MAX_FILE_BYTES, InputRefused, LineError, decode_utf8, read_regular
from .language import detect_language
from .models import Citation, Document, Entity, Transfer
from .text import quote_in, verbatim_form

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
URL_RE = re.compile(r"https?://[^\s()\[\]<>`\\]+")  # nothing that could break a masked link
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
LANGS = ("en", "fr")
ORG_KINDS = frozenset({"company", "lab", "team", "product", "media"})
# The first four are the curators' historical vocabulary; the others name what an article reports.
MOVE_STATUSES = ("joined", "left", "set_to_join", "in_talks", "turned_down", "returned", "considering")
TRANSFER_STATUSES = frozenset({"confirmed", "reported", "destination_unknown", *MOVE_STATUSES})
MIN_QUOTE_CHARS = 12  # "Meta", "juin 2025": too short to show what a record rests on
SUGGEST_CUTOFF = 70  # rapidfuzz ratio above which an unknown id gets a "did you mean"
CLOSEST_CONTEXT = 30  # characters of the article shown around the first difference of a quote
# Tuning: the deepest YAML nesting accepted (a record needs about 5 levels; deeper ones only
# exhaust the parser's recursion), and how much larger than its own text aliases may make a file
# (`&a` text repeated through thousands of `*a` grows the build without bound otherwise).
MAX_YAML_DEPTH = 40
MAX_YAML_EXPANSION = 2
ANSWER_KINDS = frozenset(
    {"who", "what", "when", "where", "how_much", "how_many", "why", "how", "yes_no", "list"}
)

# key -> required?
SCHEMAS: dict[str, dict[str, bool]] = {
    "people": {"id": True, "name": True, "aliases": False, "summary": True, "cite": True},
    "organisations": {
        "id": True,
        "name": True,
        "aliases": False,
        "kind": True,
        "parent": False,
        "summary": True,
        "cite": True,
    },
    "transfers": {
        "id": True,
        "who": True,
        "from": False,
        "to": False,
        "date": False,
        "status": True,
        "role_before": False,
        "role_after": False,
        "package": False,
        "package_source": False,
        "summary": True,
        "cite": True,
    },
    "facts": {
        "id": True,
        "topic": True,
        "about": True,
        "answers": True,
        "keywords": False,
        "text": True,
        "cite": True,
    },
}
DOCUMENT_KEYS = {
    "file": True,
    "title": False,
    "label": False,
    "language": True,
    "date": False,
    "publisher": False,
    "url": False,
}


@dataclass(frozen=True)
class BuildError:
    """One problem in an input file, located precisely enough to fix it."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        # Line 0: a problem of a whole folder, disk or limit rather than of a line of a file.
        if self.line <= 0:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"


class _Node(dict):
    """A YAML mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


# libyaml's parser when PyYAML has it (ten times faster on large knowledge folders); both are
# safe loaders: no tag can build an arbitrary Python object.
if hasattr(yaml, "CSafeLoader"):

    class _LineLoader(yaml.CSafeLoader):
        """A safe loader whose mappings and lists carry line numbers."""

else:  # pragma: no cover - PyYAML built without libyaml

    class _LineLoader(yaml.SafeLoader):  # type: ignore[no-redef]
        """A safe loader whose mappings and lists carry line numbers."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Node:
    mapping = _Node()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in mapping:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


class _Seq(list):
    """A YAML sequence that remembers the line of each of its items (1-based)."""

    lines: list[int]


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _Seq:
    seq = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    seq.lines = [child.start_mark.line + 1 for child in node.value]
    return seq


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode) -> int:
    """An integer, or an error at its line when Python refuses its size (over 4,300 digits)."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"number too large ({exc})", node.start_mark
        ) from None


_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay strings: "2025-07-01" must not become a datetime.date behind our back.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _check_shape(root: yaml.Node, text_chars: int) -> None:
    """LineError when the document nests too deep or its aliases expand it too much, found on
    the composed nodes (iteratively, within a bounded number of steps) before anything is built."""
    budget = MAX_YAML_EXPANSION * text_chars + 10_000
    used = 0
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        line = node.start_mark.line + 1
        if depth > MAX_YAML_DEPTH:
            raise LineError(line, f"nested more than {MAX_YAML_DEPTH} levels deep")
        if isinstance(node, yaml.ScalarNode):
            used += len(node.value) + 1
        elif isinstance(node, yaml.SequenceNode):
            used += 1
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            used += 1
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        if used > budget:
            raise LineError(line, f"aliases expand this file to more than {budget:,} characters")


def parse_yaml(text: str) -> Any:
    """The YAML document in `text`, safely: line-numbered mappings, bounded depth and expansion.

    Raises yaml.YAMLError (with a mark) or LineError."""
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_shape(node, len(text))
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _line(node: Any, key: str | None = None) -> int:
    if isinstance(node, _Node):
        if key is not None and key in node.key_lines:
            return node.key_lines[key]
        return node.line
    return 1


def parse_date(value: str) -> str:
    """Check a YYYY, YYYY-MM or YYYY-MM-DD date; returns it unchanged, raises ValueError if it is not one."""
    m = DATE_RE.match(value)
    if not m:
        raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        _date(year, month, day)
    except ValueError as exc:  # 2025-13, 2025-02-30
        raise ValueError(f"date {value!r} is not a real date ({exc})") from None
    return value


@dataclass
class Knowledge:
    """Everything the build needs, validated: documents, entities, transfers and facts."""

    documents: dict[str, Document] = field(default_factory=dict)
    seed_texts: dict[str, str] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    entity_citations: dict[str, tuple[Citation, ...]] = field(default_factory=dict)
    transfers: list[Transfer] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    file_digests: dict[str, bytes] = field(default_factory=dict)  # input name -> sha256 of what was read
    warnings: list[BuildError] = field(default_factory=list)  # worth fixing, never blocking
    extracted: set[str] = field(default_factory=set)  # ids of entities the build read from articles


def _yaml_problem(exc: yaml.YAMLError, text: str, line: int) -> str:
    """PyYAML's message in plain words, with how to fix it."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in here or ("cannot start any token" in problem and "\t" in text):
        return (
            f"invalid YAML: line {line} contains a tab; YAML indents with spaces only: "
            "replace each tab with spaces (two per level)"
        )
    if "mapping values are not allowed" in problem:
        return (
            "invalid YAML: a ':' inside a value, or a key indented wrongly; put the text in double "
            'quotes ("...") or line the key up with the ones above'
        )
    if "expected <block end>" in problem or "expected ':'" in problem or "could not find expected" in problem:
        return (
            f"invalid YAML: {problem}; check that every key ends with ':' and that quotes opened "
            "on this line or the one above are closed"
        )
    if "duplicate key" in problem:
        return f"invalid YAML: {problem}; each key may appear once per record"
    return f"invalid YAML: {problem}"


def _departure(quote: str, seed: str) -> str:
    """Where a non-verbatim quote comes closest in the seed, and the first place it departs."""
    q = verbatim_form(quote)
    al = fuzz.partial_ratio_alignment(q, seed, score_cutoff=50)
    if al is None:
        return "no passage of the article is close to it: is it the right seed?"
    passage = seed[al.dest_start : al.dest_end]
    # Walk both from the start of the best window to the first difference.
    n = 0
    start = al.dest_start - al.src_start if al.dest_start >= al.src_start else al.dest_start
    window = seed[start : start + len(q) + CLOSEST_CONTEXT]
    while n < len(q) and n < len(window) and q[n] == window[n]:
        n += 1
    same = q[max(0, n - CLOSEST_CONTEXT // 2) : n]
    return (
        f"closest passage: {passage[:160]!r}; it departs at character {n + 1}, after {same!r}: "
        f"the quote goes on {q[n : n + CLOSEST_CONTEXT]!r}, the article {window[n : n + CLOSEST_CONTEXT]!r}"
    )


class _Validator:
    """Walks the raw YAML and accumulates BuildErrors; produces Knowledge when there are none."""

    def __init__(self, seeds_dir: Path, knowledge_dir: Path) -> None:
        self.seeds_dir = seeds_dir
        self.knowledge_dir = knowledge_dir
        self.errors: list[BuildError] = []
        self.kb = Knowledge()
        self._verbatim_seeds: dict[str, str] = {}
        self._ids: dict[str, tuple[str, int]] = {}
        self._refs: list[tuple[str, int, str, str]] = []  # file, line, referenced id, what
        self.bytes_read = 0

    def error(self, file: str, line: int, message: str) -> None:
        self.errors.append(BuildError(file, line, message))

    def rel(self, path: Path) -> str:
        # The folder is resolved, never the file itself: a link is named, not its target.
        real = Path(os.path.realpath(path.parent)) / path.name
        for base in (self.knowledge_dir.parent, self.seeds_dir.parent):
            try:
                return str(real.relative_to(base.resolve()))
            except ValueError:
                continue
        return str(path)

    def read_text(self, path: Path, what: str) -> str | None:
        """A file's text through the input rules (regular file, size caps, UTF-8, no NUL), or
        None with the error recorded at its line."""
        name = self.rel(path)
        room = MAX_BUILD_BYTES - self.bytes_read
        try:
            data = read_regular(path, min(MAX_FILE_BYTES, room))
        except InputRefused as exc:
            message = str(exc)
            if room < MAX_FILE_BYTES and "over the limit" in message:
                message += f" left of the {MAX_BUILD_BYTES:,} bytes one build may read"
            self.error(name, 1, f"{what} not read: {message}")
            return None
        except OSError as exc:
            self.error(name, 1, f"cannot read {what}: {exc.__class__.__name__}: {exc.strerror or exc}")
            return None
        self.bytes_read += len(data)
        try:
            text = decode_utf8(data)
        except LineError as exc:
            self.error(name, exc.line, f"cannot read {what}: {exc}")
            return None
        self.kb.file_digests[name] = hashlib.sha256(data).digest()
        return text

    def entries(self, folder: Path, pattern: str) -> list[Path]:
        """Every entry matching `pattern` (links, FIFOs and devices included, to be refused by
        name), skipping names that start with "_" only where the caller asks."""
        try:
            return sorted(folder.glob(pattern))
        except OSError as exc:
            self.error(self.rel(folder), 1, f"cannot list the folder: {exc.strerror or exc}")
            return []

    # -- files -------------------------------------------------------------------------------

    def read_yaml(self, path: Path) -> Any:
        name = self.rel(path)
        text = self.read_text(path, "file")
        if text is None:
            return None
        try:
            return parse_yaml(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = mark.line + 1 if mark else 1
            self.error(name, line, _yaml_problem(exc, text, line))
        except LineError as exc:
            self.error(name, exc.line, f"invalid YAML: {exc}")
        except RecursionError:
            self.error(name, 1, f"invalid YAML: nested too deep to load (limit {MAX_YAML_DEPTH} levels)")
        except MemoryError:
            self.error(name, 1, "invalid YAML: too large to load within the build's memory limit")
        except Exception as exc:  # anything else the loader raises: still this file's fault
            self.error(name, 1, f"invalid YAML: {exc.__class__.__name__}: {str(exc)[:200]}")
        return None

    def load_documents(self) -> None:
        meta_path = self.seeds_dir / "documents.yaml"
        name = self.rel(meta_path)
        described: dict[str, dict[str, Any]] = {}
        if os.path.lexists(meta_path):
            data = self.read_yaml(meta_path)
            if data is not None:
                if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
                    self.error(name, _line(data), "expected a top-level 'documents:' list")
                else:
                    lines = getattr(data["documents"], "lines", [])
                    for n, item in enumerate(data["documents"]):
                        self.load_document(name, item, lines[n] if n < len(lines) else 1, described)
        txt_files = self.entries(self.seeds_dir, "*.txt")
        if not txt_files:
            self.error(self.rel(self.seeds_dir), 1, "no seed article (*.txt) in the seeds folder")
        for path in txt_files:
            text = self.read_text(path, "seed")
            if text is None:
                continue
            self.kb.seed_texts[path.name] = text
            self._verbatim_seeds[path.name] = verbatim_form(text)
            if path.name not in self.kb.documents:
                # An article nobody described yet is still searchable, cited by its headline;
                # the curator is told the entry to add.
                from .articles import entry_yaml, guess_date, guess_title

                lang = detect_language(text[:20_000]) or "en"
                headline, when = guess_title(text), guess_date(text)
                # Its date stays unknown until a curator confirms the guess.
                self.kb.documents[path.name] = Document(path.name, None, lang, None, label=headline)
                entry = {"file": path.name, "title": headline, "language": lang, "date": when}
                entry |= {"publisher": None, "url": None}
                self.kb.warnings.append(
                    BuildError(
                        self.rel(self.seeds_dir / "documents.yaml"),
                        1,
                        f"seeds/{path.name} is not described in documents.yaml; add this entry "
                        "(check the guessed title and date):\n" + entry_yaml(entry).rstrip("\n"),
                    )
                )
        for file, node in described.items():
            if file not in self.kb.seed_texts:
                self.error(name, _line(node, "file"), f"document {file!r} has no seed file seeds/{file}")
                self.kb.documents.pop(file, None)

    def load_document(self, name: str, item: Any, line: int, described: dict[str, dict[str, Any]]) -> None:
        if not isinstance(item, dict):
            self.error(name, line, "each document must be a mapping")
            return
        if not self.check_keys(name, item, DOCUMENT_KEYS, "document"):
            return
        file = item["file"]
        if not isinstance(file, str) or "/" in file or not file.endswith(".txt"):
            self.error(
                name, _line(item, "file"), f"file must be a seed file name ending in .txt, got {file!r}"
            )
            return
        if file in described:
            self.error(name, _line(item, "file"), f"document {file!r} is described twice")
            return
        lang = item.get("language")
        if lang not in LANGS:
            self.error(name, _line(item, "language"), f"language must be 'en' or 'fr', got {lang!r}")
            return
        date = item.get("date")
        if date is not None:
            try:
                parse_date(str(date))
            except ValueError as exc:
                self.error(name, _line(item, "date"), str(exc))
                return
        for key in ("title", "publisher", "url"):
            if item.get(key) is not None and not isinstance(item[key], str):
                self.error(name, _line(item, key), f"{key} must be text or null")
                return
        label = item.get("label")
        if isinstance(label, dict):
            wrong = [k for k, v in label.items() if k not in LANGS or not isinstance(v, str) or not v.strip()]
            if wrong or not label:
                self.error(
                    name,
                    _line(item, "label"),
                    "label must be text, or one text per language ({en: ..., fr: ...}), "
                    f"got {', '.join(map(repr, wrong)) or 'an empty mapping'}",
                )
                return
            label = {str(k): str(v) for k, v in label.items()}
        elif label is not None and not isinstance(label, str):
            self.error(name, _line(item, "label"), "label must be text, one text per language, or null")
            return
        url = item.get("url")
        if url is not None and not URL_RE.fullmatch(url):
            self.error(
                name,
                _line(item, "url"),
                f"url must be one plain http(s) address (no spaces, brackets, parentheses or backquotes), got {url[:80]!r}",
            )
            return
        described[file] = item
        self.kb.documents[file] = Document(
            file=file,
            title=item.get("title"),
            label=label,
            language=lang,
            date=str(date) if date is not None else None,
            publisher=item.get("publisher"),
            url=item.get("url"),
        )

    def load_knowledge(self) -> None:
        files = [p for p in self.entries(self.knowledge_dir, "*.yaml") if not p.name.startswith("_")]
        files += [p for p in self.entries(self.knowledge_dir, "*.yml") if not p.name.startswith("_")]
        if not files:
            self.error(self.rel(self.knowledge_dir), 1, "no knowledge file (*.yaml) in the knowledge folder")
            return
        for path in files:
            name = self.rel(path)
            data = self.read_yaml(path)
            if data is None:
                continue
            if not isinstance(data, dict):
                self.error(
                    name, _line(data), "expected a mapping with people, organisations, transfers or facts"
                )
                continue
            for section, records in data.items():
                if section not in SCHEMAS:
                    self.error(
                        name,
                        _line(data, section),
                        f"unknown section {section!r} (expected one of {', '.join(SCHEMAS)})",
                    )
                    continue
                if records is None:
                    continue
                if not isinstance(records, list):
                    self.error(name, _line(data, section), f"{section} must be a list of records")
                    continue
                lines = getattr(records, "lines", [])
                for n, record in enumerate(records):
                    self.load_record(
                        name, section, record, lines[n] if n < len(lines) else _line(data, section)
                    )
        self.check_refs()

    # -- records -----------------------------------------------------------------------------

    def check_keys(self, name: str, item: dict[str, Any], schema: dict[str, bool], what: str) -> bool:
        ok = True
        for key in item:
            if key not in schema:
                self.error(
                    name, _line(item, key), f"unknown key {key!r} in {what} (allowed: {', '.join(schema)})"
                )
                ok = False
        for key, required in schema.items():
            if required and item.get(key) in (None, "", []):
                self.error(name, _line(item), f"{what} is missing required field {key!r}")
                ok = False
        return ok

    def text_field(self, name: str, item: dict[str, Any], key: str) -> str | None:
        value = item.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(name, _line(item, key), f"{key} must be non-empty text, got {type(value).__name__}")
            return None
        return value.strip()

    def bilingual(self, name: str, item: dict[str, Any], key: str) -> dict[str, str] | None:
        value = item.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error(name, _line(item, key), f"{key} must be a mapping {{en: ..., fr: ...}}")
            return None
        out = {}
        for lang in LANGS:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.error(
                    name,
                    _line(value, lang) if lang in value else _line(item, key),
                    f"{key}.{lang} is missing",
                )
                return None
            out[lang] = text.strip()
        extra = set(value) - set(LANGS)
        if extra:
            self.error(
                name, _line(value, sorted(extra)[0]), f"{key} has unknown language {sorted(extra)[0]!r}"
            )
            return None
        return out

    def string_list(self, name: str, item: dict[str, Any], key: str) -> list[str] | None:
        value = item.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.error(name, _line(item, key), f"{key} must be a list of non-empty text")
            return None
        return [v.strip() for v in value]

    def citations(self, name: str, item: dict[str, Any]) -> tuple[Citation, ...] | None:
        cites = item.get("cite")
        if not isinstance(cites, list) or not cites:
            self.error(name, _line(item, "cite"), "cite must be a list of {seed, quote}")
            return None
        out = []
        ok = True
        for cite in cites:
            if not isinstance(cite, dict):
                self.error(name, _line(item, "cite"), "each cite must be a mapping {seed, quote}")
                ok = False
                continue
            extra = set(cite) - {"seed", "quote"}
            if extra:
                self.error(name, _line(cite, sorted(extra)[0]), f"unknown key {sorted(extra)[0]!r} in cite")
                ok = False
                continue
            seed, quote = cite.get("seed"), cite.get("quote")
            if not isinstance(seed, str) or not seed:
                self.error(name, _line(cite), "cite is missing its seed file name")
                ok = False
                continue
            if not isinstance(quote, str) or not quote.strip():
                self.error(name, _line(cite), "cite is missing its quote")
                ok = False
                continue
            seed = seed.removeprefix("seeds/")
            if len(quote.strip()) < MIN_QUOTE_CHARS:
                self.error(
                    name,
                    _line(cite, "quote"),
                    f"quote {quote.strip()!r} is too short to mean anything ({len(quote.strip())} "
                    f"characters; quote at least {MIN_QUOTE_CHARS}, ideally the whole sentence)",
                )
                ok = False
                continue
            if seed not in self.kb.seed_texts:
                self.error(name, _line(cite, "seed"), f"seed {seed!r} does not exist in seeds/")
                ok = False
                continue
            if not quote_in(quote, self._verbatim_seeds[seed]):
                self.error(
                    name,
                    _line(cite, "quote"),
                    f"quote is not verbatim in seeds/{seed}: {quote[:80]!r}; "
                    + _departure(quote, self._verbatim_seeds[seed]),
                )
                ok = False
                continue
            doc = self.kb.documents[seed]
            out.append(Citation(doc.source, doc.display_title, doc.date or "", quote.strip()))
        return tuple(out) if ok else None

    def claim_id(self, name: str, item: dict[str, Any]) -> str | None:
        rid = item.get("id")
        if not isinstance(rid, str) or not ID_RE.match(rid):
            self.error(
                name, _line(item, "id"), f"id must be lowercase letters, digits and dashes, got {rid!r}"
            )
            return None
        if rid in self._ids:
            first_file, first_line = self._ids[rid]
            self.error(
                name, _line(item, "id"), f"duplicate id {rid!r} (first defined at {first_file}:{first_line})"
            )
            return None
        self._ids[rid] = (name, _line(item, "id"))
        return rid

    def ref(self, name: str, item: dict[str, Any], key: str, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(name, _line(item, key), f"{key} must be an id, got {type(value).__name__}")
            return None
        self._refs.append((name, _line(item, key), value, key))
        return value

    def load_record(self, name: str, section: str, item: Any, line: int) -> None:
        what = section.rstrip("s") if section != "people" else "person"
        if not isinstance(item, dict):
            self.error(name, line, f"each entry of {section} must be a mapping")
            return
        # Every check runs, so one build lists every mistake of the record.
        keys_ok = self.check_keys(name, item, SCHEMAS[section], what)
        rid = self.claim_id(name, item) if item.get("id") is not None else None
        cites = self.citations(name, item) if item.get("cite") is not None else None
        loader = getattr(self, f"load_{section}")
        before = len(self.errors)
        loader(name, item, rid or "", cites or ())
        if not keys_ok or rid is None or cites is None or len(self.errors) > before:
            self._discard(section, rid)

    def _discard(self, section: str, rid: str | None) -> None:
        """Drop what a record that has errors may have stored (its fields were still checked)."""
        if rid is None:
            return
        if section in ("people", "organisations"):
            self.kb.entities.pop(rid, None)
            self.kb.entity_citations.pop(rid, None)
        elif section == "transfers":
            self.kb.transfers = [t for t in self.kb.transfers if t.id != rid]
        else:
            self.kb.facts = [f for f in self.kb.facts if f["id"] != rid]

    def load_people(self, name: str, item: dict[str, Any], rid: str, cites: tuple[Citation, ...]) -> None:
        self.load_entity(name, item, rid, cites, "person", None)

    def load_organisations(
        self, name: str, item: dict[str, Any], rid: str, cites: tuple[Citation, ...]
    ) -> None:
        kind = item.get("kind")
        if kind is None:
            return  # reported as a missing field
        if kind not in ORG_KINDS:
            self.error(
                name, _line(item, "kind"), f"kind must be one of {', '.join(sorted(ORG_KINDS))}, got {kind!r}"
            )
            return
        parent = self.ref(name, item, "parent", item.get("parent"))
        self.load_entity(name, item, rid, cites, kind, parent)

    def load_entity(
        self,
        name: str,
        item: dict[str, Any],
        rid: str,
        cites: tuple[Citation, ...],
        kind: str,
        parent: str | None,
    ) -> None:
        display = self.text_field(name, item, "name")
        aliases = self.string_list(name, item, "aliases")
        summary = self.bilingual(name, item, "summary")
        if display is None or aliases is None or summary is None:
            return
        self.kb.entities[rid] = Entity(rid, kind, display, tuple(aliases), summary, parent)
        self.kb.entity_citations[rid] = cites

    def load_transfers(self, name: str, item: dict[str, Any], rid: str, cites: tuple[Citation, ...]) -> None:
        status = item.get("status")
        ok = True
        if status not in TRANSFER_STATUSES and status is not None:
            close = process.extractOne(str(status), sorted(TRANSFER_STATUSES), score_cutoff=SUGGEST_CUTOFF)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            self.error(
                name,
                _line(item, "status"),
                f"status must be one of {', '.join(sorted(TRANSFER_STATUSES))}, got {status!r}{hint}",
            )
            ok = False
        date = item.get("date")
        if date is not None:
            try:
                parse_date(str(date))
            except ValueError as exc:
                self.error(name, _line(item, "date"), str(exc))
                ok = False
        for key in ("who", "from", "to"):
            self.ref(name, item, key, item.get(key))
        if not ok:
            return
        fields = {
            k: self.bilingual(name, item, k) for k in ("summary", "role_before", "role_after", "package")
        }
        if fields["summary"] is None or any(item.get(k) is not None and v is None for k, v in fields.items()):
            return
        source = self.text_field(name, item, "package_source")
        if item.get("package_source") is not None and source is None:
            return
        if status is None:
            return  # missing: check_keys reported it (a Knowledge with errors is not usable)
        self.kb.transfers.append(
            Transfer(
                id=rid,
                who=item.get("who") or "",
                from_org=item.get("from"),
                to_org=item.get("to"),
                date=str(date) if date is not None else None,
                status=status,
                summary=fields["summary"],
                role_before=fields["role_before"],
                role_after=fields["role_after"],
                package=fields["package"],
                package_source=source,
                citations=cites,
            )
        )

    def load_facts(self, name: str, item: dict[str, Any], rid: str, cites: tuple[Citation, ...]) -> None:
        topic = self.bilingual(name, item, "topic")
        text = self.bilingual(name, item, "text")
        about = self.string_list(name, item, "about")
        answers = self.string_list(name, item, "answers")
        if topic is None or text is None or about is None or answers is None:
            return
        bad = [a for a in answers if a not in ANSWER_KINDS]
        if bad:
            self.error(
                name,
                _line(item, "answers"),
                f"unknown answer kind {bad[0]!r} (allowed: {', '.join(sorted(ANSWER_KINDS))})",
            )
            return
        keywords: dict[str, list[str]] = {"en": [], "fr": []}
        raw_kw = item.get("keywords")
        if raw_kw is not None:
            if not isinstance(raw_kw, dict) or set(raw_kw) - set(LANGS):
                self.error(name, _line(item, "keywords"), "keywords must be a mapping {en: [...], fr: [...]}")
                return
            for lang in LANGS:
                words = raw_kw.get(lang) or []
                if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                    self.error(name, _line(raw_kw, lang), f"keywords.{lang} must be a list of text")
                    return
                keywords[lang] = [w.strip() for w in words if w.strip()]
        for ent in about:
            self._refs.append((name, _line(item, "about"), ent, "about"))
        self.kb.facts.append(
            {
                "id": rid,
                "topic": topic,
                "about": about,
                "answers": answers,
                "keywords": keywords,
                "text": text,
                "citations": cites,
            }
        )

    def check_refs(self) -> None:
        for name, line, ref, key in self._refs:
            if ref not in self.kb.entities:
                close = process.extractOne(ref, list(self.kb.entities), score_cutoff=SUGGEST_CUTOFF)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.error(name, line, f"{key} refers to unknown entity {ref!r}{hint}")


def load_knowledge(seeds_dir: Path, knowledge_dir: Path) -> tuple[Knowledge, list[BuildError]]:
    """Read and validate everything; the Knowledge is only usable when the error list is empty."""
    validator = _Validator(seeds_dir, knowledge_dir)
    validator.load_documents()
    if validator.kb.seed_texts and knowledge_dir.is_dir():
        validator.load_knowledge()
    elif not knowledge_dir.is_dir():
        validator.error(str(knowledge_dir), 1, "knowledge folder does not exist")
    return validator.kb, validator.errors
