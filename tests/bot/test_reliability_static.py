"""Checks over the source of bot/: YAML is only ever loaded with a safe loader, and SQL is only
ever literal text with bound parameters. A change that adds `yaml.load(text)`, `yaml.unsafe_load`,
or `db.execute(f"... {x}")` fails here, with its file and line.

Each checker is first shown to catch what it must (on small samples), so a pass means something.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BOT = REPO / "bot"

SAFE_LOADERS = {"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"}
UNSAFE_NAMES = {
    "unsafe_load",
    "unsafe_load_all",
    "full_load",
    "full_load_all",
    "Loader",
    "UnsafeLoader",
    "FullLoader",
    "CLoader",
    "CUnsafeLoader",
    "CFullLoader",
}
LOAD_FUNCTIONS = {"load", "load_all"}
SQL_METHODS = {"execute", "executemany", "executescript"}


def dotted(node: ast.AST) -> str:
    """`yaml.SafeLoader` for an attribute chain, the name for a Name, "" otherwise."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def safe_loader_classes(tree: ast.Module) -> set[str]:
    """Names of classes in this module that derive (directly or not) from a safe loader."""
    safe = set(SAFE_LOADERS)
    changed = True
    while changed:
        changed = False
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ClassDef)
                and node.name not in safe
                and any(dotted(b).split(".")[-1] in safe for b in node.bases)
            ):
                safe.add(node.name)
                changed = True
    return safe


def yaml_problems(source: str, name: str = "<sample>") -> list[str]:
    tree = ast.parse(source)
    safe = safe_loader_classes(tree)
    problems = []
    for node in ast.walk(tree):
        where = f"{name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.ImportFrom) and node.module == "yaml":
            bad = [a.name for a in node.names if a.name in UNSAFE_NAMES | LOAD_FUNCTIONS]
            if bad:
                problems.append(f"{where}: from yaml import {', '.join(bad)}")
        elif isinstance(node, ast.Attribute) and dotted(node.value) == "yaml" and node.attr in UNSAFE_NAMES:
            problems.append(f"{where}: yaml.{node.attr}")
        elif isinstance(node, ast.Call) and dotted(node.func) in {f"yaml.{f}" for f in LOAD_FUNCTIONS}:
            loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
            if loader is None and len(node.args) > 1:
                loader = node.args[1]
            if loader is None or dotted(loader).split(".")[-1] not in safe:
                problems.append(f"{where}: {dotted(node.func)} without a SafeLoader")
        elif isinstance(node, ast.Call) and dotted(node.func).endswith(
            ("add_constructor", "add_multi_constructor")
        ):
            tags = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if any("python/" in t for t in tags):
                problems.append(f"{where}: a constructor for python/ tags")
    return problems


def literal_names(tree: ast.Module) -> set[str]:
    """Module-level names bound once, to a string literal (e.g. SCHEMA = \"\"\"CREATE ...\"\"\")."""
    bound: dict[str, list[ast.AST]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    bound.setdefault(target.id, []).append(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            bound.setdefault(node.target.id, []).append(node.value)
    return {
        name
        for name, values in bound.items()
        if len(values) == 1 and isinstance(values[0], ast.Constant) and isinstance(values[0].value, str)
    }


def literal_tables(tree: ast.Module) -> set[str]:
    """Module-level names bound once, to a dict whose values are all string literals
    (e.g. QUERIES = {"meta": "SELECT ..."}): `QUERIES[name]` is literal SQL too."""
    bound: dict[str, list[ast.AST]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    bound.setdefault(target.id, []).append(node.value)
    return {
        name
        for name, values in bound.items()
        if len(values) == 1
        and isinstance(values[0], ast.Dict)
        and values[0].values
        and all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in values[0].values)
    }


def sql_problems(source: str, name: str = "<sample>") -> tuple[list[str], int]:
    """Every execute-like call whose SQL is not a literal; and how many such calls there are."""
    tree = ast.parse(source)
    literals = literal_names(tree)
    tables = literal_tables(tree)
    problems, calls = [], 0
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in SQL_METHODS:
            continue
        calls += 1
        sql = node.args[0] if node.args else None
        if isinstance(sql, ast.Constant) and isinstance(sql.value, str):
            continue
        if isinstance(sql, ast.Name) and sql.id in literals:
            continue
        if isinstance(sql, ast.Subscript) and isinstance(sql.value, ast.Name) and sql.value.id in tables:
            continue
        kind = type(sql).__name__ if sql is not None else "nothing"
        if isinstance(sql, ast.JoinedStr):
            kind = "an f-string"
        elif isinstance(sql, ast.BinOp):
            kind = "text built with " + ("%" if isinstance(sql.op, ast.Mod) else "an operator")
        elif isinstance(sql, ast.Call) and isinstance(sql.func, ast.Attribute) and sql.func.attr == "format":
            kind = ".format()"
        problems.append(f"{name}:{node.lineno}: .{node.func.attr}() of {kind}, not a literal")
    return problems, calls


def bot_sources() -> list[tuple[str, str]]:
    files = sorted(BOT.rglob("*.py"))
    assert len(files) > 10
    return [(str(p.relative_to(REPO)), p.read_text(encoding="utf-8")) for p in files]


# -- the checkers catch what they must ------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "import yaml\nyaml.load(text)",
        "import yaml\nyaml.load(text, Loader=yaml.Loader)",
        "import yaml\nyaml.load(text, yaml.FullLoader)",
        "import yaml\nyaml.load_all(text, Loader=yaml.UnsafeLoader)",
        "import yaml\nyaml.unsafe_load(text)",
        "import yaml\nyaml.full_load(text)",
        "from yaml import load\nload(text)",
        "from yaml import unsafe_load",
        "import yaml\nclass L(yaml.Loader): pass\nyaml.load(text, Loader=L)",
        "import yaml\nclass L(yaml.SafeLoader): pass\nL.add_multi_constructor('tag:yaml.org,2002:python/', f)",
    ],
)
def test_yaml_check_catches_unsafe_loading(source: str) -> None:
    assert yaml_problems(source), source


@pytest.mark.parametrize(
    "source",
    [
        "import yaml\nyaml.safe_load(text)",
        "import yaml\nyaml.load(text, Loader=yaml.SafeLoader)",
        "import yaml\nclass A(yaml.SafeLoader): pass\nclass B(A): pass\nyaml.load(text, Loader=B)",
    ],
)
def test_yaml_check_accepts_safe_loading(source: str) -> None:
    assert yaml_problems(source) == [], source


@pytest.mark.parametrize(
    "source",
    [
        "db.execute(f\"SELECT * FROM items WHERE id = '{x}'\")",
        "db.execute(\"SELECT * FROM items WHERE id = '%s'\" % x)",
        'db.execute("SELECT * FROM items WHERE id = " + x)',
        'db.execute("SELECT * FROM {}".format(table))',
        'q = f"SELECT {x}"\ndb.execute(q)',
        'db.executemany(f"INSERT INTO {t} VALUES (?)", rows)',
        "db.executescript(script)",
        'Q = {"a": f"SELECT {x}"}\ndb.execute(Q["a"])',
        'Q = {"a": "SELECT 1"}\nQ = build()\ndb.execute(Q["a"])',
    ],
)
def test_sql_check_catches_built_queries(source: str) -> None:
    problems, calls = sql_problems(source)
    assert calls == 1 and problems, source


def test_sql_check_accepts_bound_parameters() -> None:
    source = (
        'SCHEMA = """CREATE TABLE t (a)"""\n'
        "db.executescript(SCHEMA)\n"
        'db.execute("SELECT value FROM meta WHERE key = ?", (key,))\n'
        'db.executemany("INSERT INTO t VALUES (?, ?)", rows)\n'
        'db.execute("SELECT a "\n           "FROM t")\n'
    )
    assert sql_problems(source) == ([], 4)


# -- the bot's own source -------------------------------------------------------------------------


def test_yaml_is_only_loaded_safely_in_bot() -> None:
    problems, loads = [], 0
    for name, source in bot_sources():
        problems += yaml_problems(source, name)
        loads += source.count("yaml.load(") + source.count("yaml.safe_load(")
        # A safe loader instantiated directly (knowledge.parse_yaml composes, checks, then builds).
        tree = ast.parse(source)
        safe = safe_loader_classes(tree)
        loads += sum(isinstance(n, ast.Call) and dotted(n.func) in safe for n in ast.walk(tree))
    assert problems == []
    assert loads >= 2, "the check saw the bot's YAML loading (knowledge files, question files)"


def test_sql_is_only_literal_text_with_bound_parameters_in_bot() -> None:
    problems, calls = [], 0
    for name, source in bot_sources():
        found, n = sql_problems(source, name)
        problems += found
        calls += n
    assert problems == []
    assert calls >= 5, "the check saw the store's queries"
