"""loket-admin's `enrol` and `sync` come from sync/ through the `loket.admin_commands` entry points."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.admin import cli
from sync import client_cli

ROOT = Path(__file__).resolve().parents[3]


def test_the_sync_commands_are_registered_by_sync() -> None:
    assert client_cli.register in cli.command_providers()
    parser = cli.build_parser()
    enrol = parser.parse_args(["enrol", "https://dinas.example", "KODE-1"])
    sync = parser.parse_args(["sync", "--once"])
    assert enrol.handler is client_cli.cmd_enrol and enrol.server_url == "https://dinas.example"
    assert sync.handler is client_cli.cmd_sync and sync.once is True


def test_the_help_lists_them_after_the_support_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["--help"])
    text = capsys.readouterr().out
    assert text.index("data-check") < text.index("enrol") < text.index("sync state")


def test_the_admin_cli_imports_nothing_of_sync() -> None:
    tree = ast.parse((ROOT / "app" / "admin" / "cli.py").read_text(encoding="utf-8"))
    imported = [
        name
        for node in ast.walk(tree)
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
    ]
    assert not [name for name in imported if name == "sync" or name.startswith("sync.")]
