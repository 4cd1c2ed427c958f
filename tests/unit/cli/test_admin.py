"""loket-admin end to end on a real installation: init, officers, verify, backup, restore, outbox, doctor."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ADMIN = str(Path(sys.executable).parent / "loket-admin")


def admin(
    base: Path, *args: str, password: str | None = None, new_password: str | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LOKET_PASSWORD", "LOKET_NEW_PASSWORD")}
    if password is not None:
        env["LOKET_PASSWORD"] = password
    if new_password is not None:
        env["LOKET_NEW_PASSWORD"] = new_password
    return subprocess.run(
        [ADMIN, "--basedir", str(base), *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin if stdin is not None else "",
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("admin") / "data"
    result = admin(base, "init", "kades", "Kepala Seksi", new_password="supervisor-1")
    assert result.returncode == 0, result.stderr
    assert "supervisor pertama: kades" in result.stdout
    return base


def test_officers_add_with_stdin_passwords_and_list(installation: Path) -> None:
    added = admin(
        installation,
        "--user",
        "kades",
        "--password-stdin",
        "officers",
        "add",
        "ani",
        "Ani Petugas",
        stdin="supervisor-1\noperator-123\n",
    )
    assert added.returncode == 0, added.stderr
    listed = admin(installation, "--user", "ani", "--json", "officers", "list", password="operator-123")
    assert listed.returncode == 0, listed.stderr
    rows = {row["username"]: row for row in json.loads(listed.stdout)}
    assert rows["ani"]["role"] == "operator" and rows["ani"]["can_unlock"]
    assert rows["kades"]["role"] == "supervisor"


def test_operator_cannot_add_officers(installation: Path) -> None:
    admin(
        installation,
        "--user",
        "kades",
        "officers",
        "add",
        "opr2",
        "Opr Dua",
        password="supervisor-1",
        new_password="operator-234",
    )
    result = admin(
        installation,
        "--user",
        "opr2",
        "officers",
        "add",
        "x",
        "X",
        password="operator-234",
        new_password="whatever-123",
    )
    assert result.returncode == 1
    assert "Peran Anda tidak diizinkan" in result.stderr


def test_wrong_password_is_exit_1_with_message(installation: Path) -> None:
    result = admin(installation, "--user", "kades", "verify", password="salah-sandi")
    assert result.returncode == 1
    assert "kata sandi salah" in result.stderr


def test_verify_backup_restore_outbox(installation: Path, tmp_path: Path) -> None:
    verified = admin(installation, "--user", "kades", "--json", "verify", password="supervisor-1")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert json.loads(verified.stdout)["ok"] is True
    text = admin(installation, "--user", "kades", "verify", password="supervisor-1")
    assert "HASIL: BAIK" in text.stdout
    backup = tmp_path / "cadangan.loket"
    made = admin(installation, "--user", "kades", "--json", "backup", str(backup), password="supervisor-1")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["files"] >= 2
    unauthorised = admin(installation, "--user", "kades", "restore", str(backup), password="bukan-sandinya")
    assert unauthorised.returncode == 1 and "kata sandi salah" in unauthorised.stderr
    restored = admin(installation, "--user", "kades", "--json", "restore", str(backup), password="supervisor-1")
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["previous_data"]
    outbox = admin(installation, "--user", "kades", "outbox", password="supervisor-1")
    assert outbox.returncode == 0 and "Antrean kirim kosong" in outbox.stdout
    damaged = tmp_path / "rusak.loket"
    damaged.write_bytes(backup.read_bytes()[:300])
    refused = admin(installation, "--user", "kades", "restore", str(damaged), password="supervisor-1")
    assert refused.returncode == 1 and "cadangan rusak" in refused.stderr


def test_doctor_needs_no_password(installation: Path) -> None:
    result = admin(installation, "--json", "doctor")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["database"]["encrypted"] is True
    assert report["officers_with_key"] >= 1
    assert report["problems"] == []


def test_doctor_reports_missing_key_file(tmp_path: Path) -> None:
    base = tmp_path / "data"
    base.mkdir()
    (base / "loket.db").write_bytes(b"\x01" * 4096)
    result = admin(base, "doctor")
    assert result.returncode == 1
    assert "tidak lengkap" in result.stdout


@pytest.mark.parametrize("args", [[], ["officers"], ["verify"], ["demo", "--applications", "-1"], ["bogus"]])
def test_bad_usage_is_exit_2(tmp_path: Path, args: list[str]) -> None:
    result = admin(tmp_path, *args, stdin="")
    assert result.returncode == 2, result.stdout + result.stderr


def test_help_documents_non_interactive_passwords() -> None:
    result = subprocess.run([ADMIN, "--help"], capture_output=True, text=True, check=False)
    assert "LOKET_PASSWORD" in result.stdout and "--password-stdin" in result.stdout
