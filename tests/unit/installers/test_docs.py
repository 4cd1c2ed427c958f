"""docs/installing.md tells IT staff commands that exist and the paths the installer and the app use."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from app.admin.cli import build_parser

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "installing.md"
PROGRAM = '"C:\\Program Files\\Loket\\loket-admin.exe"'


def _admin_commands() -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:bat|sh)?\n(.*?)```", text, flags=re.DOTALL)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            if line.startswith(PROGRAM):
                commands.append(shlex.split(line.removeprefix(PROGRAM), posix=False))
    return commands


def test_the_doc_shows_the_backup_and_restore_commands() -> None:
    commands = [argv for argv in _admin_commands() if argv]

    used = {next(a for a in argv if not a.startswith("-") and a != "supervisor") for argv in commands}
    assert {"init", "backup", "restore"} <= used


@pytest.mark.parametrize("argv", _admin_commands(), ids=" ".join)
def test_every_loket_admin_command_in_the_doc_parses(argv: list[str]) -> None:
    build_parser().parse_args(argv)  # argparse exits (status 2) on a command that does not exist


def test_the_doc_names_the_data_folder_and_the_installer_switches() -> None:
    text = DOC.read_text(encoding="utf-8")
    iss = (ROOT / "installers" / "windows" / "loket.iss").read_text(encoding="utf-8")

    assert r"C:\ProgramData\Loket" in text
    assert "/DELETEDATA" in text and "HasSwitch('/DELETEDATA')" in iss
    assert "desktopicon" in text and 'Name: "desktopicon"' in iss
    for tool in ("signtool", "osslsigncode"):
        assert tool in text
