"""`loket-server` administration: outposts and codes, staff, devices, workflow with reasons, listings, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sync.server.cli import main, parse_reason

SERVER = str(Path(sys.executable).parent / "loket-server")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_outposts_staff_and_listings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = f"sqlite:///{tmp_path / 'server.db'}"
    code, out, _ = run(capsys, "outposts", "add", "35.21.01.2001", "Desa Sukamaju", "--database", database, "--json")
    assert code == 0
    added = json.loads(out)
    assert added["kabupaten"] == "3521" and len(added["enrolment_code"]) == 14
    code, out, _ = run(capsys, "outposts", "code", "35.21.01.2001", "--database", database)
    assert code == 0 and "Kode pendaftaran" in out
    code, _, err = run(capsys, "outposts", "add", "35.21.01.2001", "Lagi", "--database", database)
    assert code == 1 and "sudah terdaftar" in err
    code, out, _ = run(capsys, "outposts", "list", "--database", database, "--json")
    assert json.loads(out)[0]["devices"] == 0
    code, out, _ = run(capsys, "staff", "add", "rina", "Rina Verifikator", "--database", database, "--json")
    assert code == 0 and json.loads(out)["token"].startswith("stf_")
    assert run(capsys, "devices", "list", "--database", database)[1].strip() == "Belum ada perangkat."
    assert run(capsys, "applications", "list", "--database", database)[1].strip() == "Belum ada permohonan."
    assert run(capsys, "conflicts", "list", "--database", database)[1].strip() == "Tidak ada konflik."
    code, _, err = run(capsys, "workflow", "verify", "3521-20261122-000001", "--database", database)
    assert code == 1 and "tidak ditemukan" in err
    code, _, err = run(capsys, "devices", "revoke", "nope", "--database", database)
    assert code == 1


def test_reasons_name_a_requirement_or_a_field() -> None:
    assert parse_reason("persyaratan:kk=KK buram") == {"requirement": "kk", "message": "KK buram"}
    assert parse_reason("F-1.01:header.nama = Nama salah") == {"path": "F-1.01:header.nama", "message": "Nama salah"}
    assert parse_reason("Berkas tidak lengkap") == {"message": "Berkas tidak lengkap"}


def test_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["outposts"]) == 2
    assert run(capsys, "serve", "--database", "mysql://x/y")[0] == 2
    with pytest.raises(SystemExit) as raised:
        main(["workflow", "approve", "X"])
    assert raised.value.code == 2


def test_help_and_version_answer() -> None:
    for flag in ("--help", "--version"):
        result = subprocess.run([SERVER, flag], capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0 and "loket-server" in result.stdout
