"""Shared fixtures for the core tests: private copies of seeds/ and knowledge/, built stores, the CLI.

Nothing here touches the repository's var/ store: every store lives under a pytest tmp folder,
built from a copy of the real seeds/ and knowledge/ taken once per session (others may be editing
the originals while the suite runs, so every test of one run sees the same inputs).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bot.config import Settings
from bot.core.build import build_store
from bot.core.knowledge import load_knowledge
from bot.core.service import is_stale
from bot.core.store import Store

REPO = Path(__file__).resolve().parents[2]

# What "verbatim" means for a citation: typographic quotes and whitespace folded, nothing else
# (no lowercasing, no accent stripping). Written here independently of bot.core.text on purpose.
_QUOTE_MAP = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)


def verbatim_form(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTE_MAP)).strip()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Project:
    """A private copy of the inputs plus where its store goes."""

    root: Path
    seeds: Path
    knowledge: Path
    store_path: Path

    @property
    def settings(self) -> Settings:
        return Settings(seeds_dir=self.seeds, knowledge_dir=self.knowledge, store_path=self.store_path)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN"}}
        env.update(
            STORE_PATH=str(self.store_path),
            SEEDS_DIR=str(self.seeds),
            KNOWLEDGE_DIR=str(self.knowledge),
        )
        return env

    def build(self):
        return build_store(self.seeds, self.knowledge, self.store_path)

    def open(self) -> Store:
        return Store.open(self.store_path)

    def cli(
        self, *args: str, input: str | bytes | None = None, timeout: float = 60
    ) -> subprocess.CompletedProcess:
        """`python -m bot ARGS` in a clean working folder (no .env), pointed at this project."""
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            input=input.encode("utf-8") if isinstance(input, str) else input,
            capture_output=True,
            env=self.env,
            cwd=self.root,
            timeout=timeout,
        )

    # -- editing the knowledge -----------------------------------------------------------

    def file_defining(self, record_id: str) -> Path:
        """The knowledge file holding the record with this id."""
        for path in sorted(self.knowledge.glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for records in data.values():
                if any(isinstance(r, dict) and r.get("id") == record_id for r in records or []):
                    return path
        raise LookupError(record_id)

    def edit_records(self, record_id: str, edit) -> None:
        """Rewrite the file holding `record_id`; `edit(records_list, index)` mutates that section."""
        path = self.file_defining(record_id)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for records in data.values():
            for n, r in enumerate(records or []):
                if isinstance(r, dict) and r.get("id") == record_id:
                    edit(records, n)
                    path.write_text(
                        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
                    )
                    return
        raise LookupError(record_id)


def store_with_articles(root: Path, articles: dict[str, tuple[str, dict[str, object]]]) -> Store:
    """A store built at `root` from copies of the real seeds and knowledge plus `articles`
    (file name -> (text, its documents.yaml entry without "file")), added the documented way."""
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "knowledge", root / "knowledge")
    docs = yaml.safe_load((root / "seeds" / "documents.yaml").read_text(encoding="utf-8"))
    for file, (text, entry) in articles.items():
        (root / "seeds" / file).write_text(text, encoding="utf-8")
        docs["documents"].append({"file": file, **entry})
    (root / "seeds" / "documents.yaml").write_text(yaml.safe_dump(docs, allow_unicode=True), encoding="utf-8")
    build_store(root / "seeds", root / "knowledge", root / "store.sqlite")
    return Store.open(root / "store.sqlite")


def target_fact(store: Store, question: str) -> str:
    """The id of the curated fact that answers `question` in this store (asserted to exist)."""
    from bot.core.answer import answer

    ans = answer(store, question)
    assert ans.answered and ans.facts, f"{question!r} is not answered: {ans.text}"
    assert store.items_by_id[ans.facts[0]].kind == "fact", ans.facts
    return ans.facts[0]


def copy_inputs(source_root: Path, dest_root: Path) -> Project:
    dest_root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source_root / "seeds", dest_root / "seeds")
    shutil.copytree(source_root / "knowledge", dest_root / "knowledge")
    return Project(
        dest_root, dest_root / "seeds", dest_root / "knowledge", dest_root / "var" / "store.sqlite"
    )


@pytest.fixture(scope="session")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One snapshot of the repository's seeds/ and knowledge/, checked to validate."""
    root = tmp_path_factory.mktemp("pristine")
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "knowledge", root / "knowledge")
    _kb, errors = load_knowledge(root / "seeds", root / "knowledge")
    if errors:
        pytest.fail("the repository's knowledge does not validate:\n" + "\n".join(map(str, errors)))
    return root


def _fresh_copy(root: Path, pristine: Path) -> Project:
    if root.exists():
        for p in root.rglob("*"):
            if not os.access(p, os.W_OK | os.R_OK):
                p.chmod(0o755 if p.is_dir() else 0o644)
        shutil.rmtree(root)
    return copy_inputs(pristine, root)


@pytest.fixture(scope="session")
def _cached_store(tmp_path_factory: pytest.TempPathFactory, pristine: Path) -> tuple[Path, Path]:
    """Build once per session, at the one folder every `project` lives in.

    The store remembers its inputs by path, size and mtime; copies made with copytree (which keeps
    mtimes) at the same folder match it, so `built` starts from a fresh store without rebuilding.
    """
    root = tmp_path_factory.getbasetemp() / "project"
    proj = _fresh_copy(root, pristine)
    proj.build()
    cache = tmp_path_factory.mktemp("cache") / "store.sqlite"
    shutil.copy2(proj.store_path, cache)
    return root, cache


@pytest.fixture
def project(_cached_store: tuple[Path, Path], pristine: Path) -> Project:
    """A fresh copy of the real inputs (store not built). Always at the same folder: one test at a time."""
    return _fresh_copy(_cached_store[0], pristine)


@pytest.fixture
def built(project: Project, _cached_store: tuple[Path, Path]) -> Project:
    """A fresh copy of the real inputs with an up-to-date store."""
    project.store_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(_cached_store[1], project.store_path)
    assert not is_stale(project.store_path, project.seeds, project.knowledge), "store cache does not match"
    return project


@pytest.fixture(scope="module")
def module_project(tmp_path_factory: pytest.TempPathFactory, pristine: Path) -> Project:
    """One built copy shared by a whole module (read-only use only)."""
    proj = copy_inputs(pristine, tmp_path_factory.mktemp("module") / "proj")
    proj.build()
    return proj


@pytest.fixture(scope="module")
def module_store(module_project: Project) -> Store:
    return module_project.open()
