"""One-way dependencies, read by AST: ui/ reads the store through app/; app/ has no Qt and no sync."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# ui/ holds records that app/ returns, but builds no query: no table module, no peewee.
UI_FORBIDDEN = ("app.store.models", "peewee")
# app/ is the domain: usable without a display and without the sync client or server.
APP_FORBIDDEN = ("PySide6", "sync")
ALLOWED: set[tuple[str, str]] = set()  # (file, module) pairs excused from the rules: none


def imported(tree: ast.AST) -> set[str]:
    """Every module an import statement names (anywhere in the file), `from a import b` as both a and a.b."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def breaches(package: str, forbidden: tuple[str, ...]) -> list[str]:
    """`path: module` for each forbidden import in a package's source, the listed exceptions left out."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        for name in sorted(imported(ast.parse(path.read_text(encoding="utf-8"), relative))):
            for banned in forbidden:
                if (name == banned or name.startswith(banned + ".")) and (relative, banned) not in ALLOWED:
                    found.append(f"{relative}: {name}")
    return found


def test_ui_reads_the_store_through_app() -> None:
    assert breaches("ui", UI_FORBIDDEN) == []


def test_app_imports_neither_qt_nor_sync() -> None:
    assert breaches("app", APP_FORBIDDEN) == []


def test_the_check_sees_every_form_of_import() -> None:
    source = (
        "import peewee\n"
        "from app.store import models\n"
        "def later():\n"
        "    from sync.client import enrol\n"
        "    import PySide6.QtCore\n"
        "from . import near\n"
    )
    names = imported(ast.parse(source))
    assert {"peewee", "app.store.models", "sync.client", "PySide6.QtCore"} <= names
    assert not any(name.endswith("near") for name in names)
