"""A store built from the repository's own seeds and knowledge, once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.core.build import build_store
from bot.core.store import Store


@pytest.fixture(scope="session")
def repo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path: Path = tmp_path_factory.mktemp("store") / "store.sqlite"
    build_store(PROJECT_ROOT / "seeds", PROJECT_ROOT / "knowledge", path)
    return Store.open(path)
