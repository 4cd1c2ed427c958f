"""loket-admin's `enrol` and `sync` come from sync/ through the `loket.admin_commands` entry points."""

from __future__ import annotations

import pytest

from app.admin import cli
from sync import client_cli


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
