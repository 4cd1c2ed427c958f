"""`loket-server` administration: outposts and codes, staff accounts, devices, workflow as a staff member,
listings and pages, the audit chain, demo staff, exit codes (against a real SQLite database)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from sync.protocol import BatchRequest
from sync.server import staff
from sync.server.cli import cli_actor, main, parse_reason
from sync.server.demo_staff import DEMO_ADMIN, DEMO_PASSWORD, DEMO_STAFF
from sync.server.errors import ForbiddenError, UnauthorizedError
from sync.server.models import Application, AuditLog, Event, Staff
from sync.server.roles import ALL_BUT_ADMIN, ROLES
from tests.unit.installers.conftest import load_installer_module
from tests.unit.sync.conftest import Dinas, Made

SERVER = str(Path(sys.executable).parent / "loket-server")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'server.db'}"  # the file the `dinas` fixture binds too


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def received(dinas: Dinas, *made: Made) -> list[str]:
    """Commit packages through the real intake; their registration numbers."""
    for m in made:
        dinas.store_documents(m)
    request = BatchRequest(batch_id=str(uuid.uuid4()), items=[m.package for m in made])
    numbers = [r.registration_number for r in dinas.intake.commit(dinas.device, request).results]
    assert all(numbers)
    return [n for n in numbers if n]


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
    code, _, err = run(capsys, "workflow", "verify", "3521-20261122-000001", "--staff", "rina", "--database", database)
    assert code == 1 and "tidak ditemukan" in err
    code, _, err = run(capsys, "devices", "revoke", "nope", "--database", database)
    assert code == 1


def test_staff_add_hands_over_a_one_time_password_and_a_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = url(tmp_path)
    code, out, _ = run(
        capsys, "staff", "add", "rina", "Rina Kusumawati", "--role", "verifikator", "--kecamatan", "35.21.01",
        "--database", database,
    )  # fmt: skip
    assert code == 0 and "wajib diganti saat pertama masuk" in out and "Token API" in out
    password = out.split("pertama masuk): ")[1].split()[0]
    member = staff.authenticate("rina", password)
    assert member.must_change_password and staff.roles_of(member) == {"verifikator"}
    assert staff.scope_of(member) == ("35.21.01",)
    token = out.strip().splitlines()[-1]
    assert staff.staff_for_token(token).username == "rina"

    added = run_json(capsys, "staff", "add", "hendra", "Hendra Gunawan", "--admin", "--database", database)
    assert isinstance(added, dict) and added["roles"] == ["admin"] and added["must_change_password"]
    assert staff.authenticate("hendra", added["password"]).username == "hendra"
    added = run_json(capsys, "staff", "add", "budi", "Budi Santoso", "--role", "pencetak,loket", "--database", database)
    assert isinstance(added, dict) and added["roles"] == ["loket", "pencetak"]
    added = run_json(capsys, "staff", "add", "sari", "Sari Wulandari", "--database", database)
    assert isinstance(added, dict) and set(added["roles"]) == set(ALL_BUT_ADMIN.split(","))
    assert added["token"].startswith("stf_") and added["kecamatan"] == []

    code, _, err = run(capsys, "staff", "add", "joko", "Joko", "--role", "kasir", "--database", database)
    assert code == 1 and "Peran tidak dikenal: kasir" in err
    code, _, err = run(capsys, "staff", "add", "rina", "Rina Lagi", "--database", database)
    assert code == 1 and "sudah ada" in err
    code, _, err = run(capsys, "staff", "add", "joko", "Joko", "--kecamatan", "3x", "--database", database)
    assert code == 1 and "Kode kecamatan tidak sah" in err
    adds = AuditLog.select().where(AuditLog.action == "staff.add")
    assert {e.actor for e in adds} == {cli_actor()} and adds.count() == 4


def test_staff_list_roles_disable_enable_and_reset_password(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = url(tmp_path)
    added = run_json(capsys, "staff", "add", "rina", "Rina Kusumawati", "--role", "verifikator", "--database", database)
    assert isinstance(added, dict)
    listed = run_json(capsys, "staff", "list", "--database", database)
    assert isinstance(listed, list) and listed[0]["username"] == "rina" and listed[0]["active"]
    assert listed[0]["token_expires_at"] and not listed[0]["token_expired"] and "password" not in listed[0]
    code, out, _ = run(capsys, "staff", "list", "--database", database)
    assert code == 0 and "rina" in out and "semua kecamatan" in out and "aktif" in out and "token s.d." in out

    code, out, _ = run(capsys, "staff", "roles", "rina", "validator,penandatangan", "--kecamatan", "35.21.02",
                       "--database", database)  # fmt: skip
    assert code == 0 and "Penandatangan, Validator" in out and "35.21.02" in out
    assert staff.roles_of(staff.get_staff("rina")) == {"validator", "penandatangan"}
    code, _, err = run(capsys, "staff", "roles", "rina", "raja", "--database", database)
    assert code == 1 and "Peran tidak dikenal" in err
    code, _, err = run(capsys, "staff", "roles", "nobody", "validator", "--database", database)
    assert code == 1 and "tidak ada" in err

    assert run(capsys, "staff", "disable", "rina", "--database", database)[0] == 0
    with pytest.raises(ForbiddenError):
        staff.authenticate("rina", added["password"])
    with pytest.raises(UnauthorizedError):
        staff.staff_for_token(added["token"])
    assert "NONAKTIF" in run(capsys, "staff", "list", "--database", database)[1]
    assert run(capsys, "staff", "enable", "rina", "--database", database)[0] == 0
    assert staff.staff_for_token(added["token"]).username == "rina"

    reset = run_json(capsys, "staff", "reset-password", "rina", "--database", database)
    assert isinstance(reset, dict) and reset["password"] != added["password"]
    with pytest.raises(UnauthorizedError):
        staff.authenticate("rina", added["password"])
    assert staff.authenticate("rina", reset["password"]).must_change_password
    actions = [e.action for e in AuditLog.select().where(AuditLog.subject == "rina").order_by(AuditLog.id)]
    assert actions == [
        "staff.add", "staff.roles", "staff.disable", "staff.enable", "staff.password_reset", "staff.login_failed",
    ]  # fmt: skip


def test_token_rotate_and_revoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = url(tmp_path)
    added = run_json(capsys, "staff", "add", "rina", "Rina Kusumawati", "--database", database)
    assert isinstance(added, dict)
    code, out, _ = run(capsys, "staff", "token", "rotate", "rina", "--database", database)
    assert code == 0 and "token lama tidak berlaku lagi" in out
    new = out.strip().splitlines()[-1]
    assert new.startswith("stf_") and new != added["token"]
    with pytest.raises(UnauthorizedError):
        staff.staff_for_token(added["token"])
    assert staff.staff_for_token(new).username == "rina"
    assert run(capsys, "staff", "token", "revoke", "rina", "--database", database)[0] == 0
    with pytest.raises(UnauthorizedError):
        staff.staff_for_token(new)
    code, _, err = run(capsys, "staff", "token", "rotate", "nobody", "--database", database)
    assert code == 1 and "tidak ada" in err


def test_workflow_steps_are_taken_as_a_staff_member_with_their_roles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dinas: Dinas, made_packages: list[Made]
) -> None:
    database = url(tmp_path)
    [registration] = received(dinas, made_packages[0])
    assert (
        run(capsys, "staff", "add", "vera", "Vera Anggraini", "--role", "verifikator", "--database", database)[0] == 0
    )

    code, out, err = run(capsys, "workflow", "verify", registration, "--staff", "vera", "--database", database)
    assert code == 0, err
    assert "verified" in out
    code, _, err = run(capsys, "workflow", "sign", registration, "--staff", "vera", "--database", database)
    assert code == 1 and "Peran Anda tidak mengizinkan langkah 'Tandatangani'" in err and "Penandatangan" in err
    code, _, err = run(capsys, "workflow", "validate", registration, "--staff", "vera", "--database", database)
    assert code == 1 and "'Validasi'" in err
    assert Application.get().state == "verified"

    assert run(capsys, "staff", "roles", "vera", "validator", "--database", database)[0] == 0
    code, _, err = run(capsys, "workflow", "validate", registration, "--staff", "vera", "--database", database)
    assert code == 0, err
    assert Application.get().state == "validated"
    code, _, err = run(
        capsys, "workflow", "return", registration, "--staff", "vera", "--reason", "persyaratan:kk=KK buram",
        "--database", database,
    )  # fmt: skip
    assert code == 0, err
    last = Event.select().order_by(Event.id.desc()).first()
    assert last is not None and (last.state, last.actor) == ("returned", "staf:vera")

    assert run(capsys, "staff", "roles", "vera", "penerima", "--kecamatan", "35.21.02", "--database", database)[0] == 0
    code, _, err = run(capsys, "workflow", "verify", registration, "--staff", "vera", "--database", database)
    assert code == 1 and "wilayah tugas" in err

    assert run(capsys, "staff", "disable", "vera", "--database", database)[0] == 0
    code, _, err = run(capsys, "workflow", "verify", registration, "--staff", "vera", "--database", database)
    assert code == 1 and "dinonaktifkan" in err
    code, _, err = run(capsys, "workflow", "verify", registration, "--staff", "budi", "--database", database)
    assert code == 1 and "Staf 'budi' tidak dikenal" in err
    with pytest.raises(SystemExit) as raised:
        main(["workflow", "verify", registration, "--database", database])
    assert raised.value.code == 2


def test_applications_list_pages_and_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dinas: Dinas, made_packages: list[Made]
) -> None:
    database = url(tmp_path)
    numbers = received(dinas, *made_packages)
    code, out, _ = run(capsys, "applications", "list", "--limit", "2", "--database", database)
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 3 and lines[-1] == "… 1 permohonan lain; gunakan --limit/--offset"
    page = run_json(capsys, "applications", "list", "--limit", "2", "--offset", "2", "--database", database)
    assert isinstance(page, dict) and (page["total"], page["more"], len(page["applications"])) == (3, 0, 1)
    listed = [a["registration_number"] for a in page["applications"]]
    first = run_json(capsys, "applications", "list", "--limit", "2", "--database", database)
    assert isinstance(first, dict) and first["more"] == 1
    assert sorted(listed + [a["registration_number"] for a in first["applications"]]) == sorted(numbers)
    assert run(capsys, "applications", "list", "--state", "verified", "--database", database)[1].strip() == (
        "Belum ada permohonan."
    )

    registration = numbers[0]
    package = made_packages[0].package
    code, out, _ = run(capsys, "applications", "show", registration, "--database", database)
    assert code == 0
    assert f"Permohonan {registration}" in out and "Diterima Dinas (received), revisi 1" in out
    assert "Riwayat:" in out and "Halaman (revisi 1):" in out and package.service_code in out
    assert package.documents[0].requirement_id in out and "Tenggat" in out
    shown = run_json(capsys, "applications", "show", registration, "--database", database)
    assert isinstance(shown, dict)
    assert (shown["state"], shown["revision"], shown["outpost_code"]) == ("received", 1, "35.21.01.2001")
    assert shown["applicant_name"] == Application.get(Application.registration_number == registration).applicant_name
    assert shown["due_date"] is not None and [h["state"] for h in shown["history"]] == ["received"]
    assert len(shown["pages"]) == sum(len(d.pages) for d in package.documents)
    assert {p["sha256"] for p in shown["pages"]} == {sha for sha, _ in package.document_refs()}
    views = AuditLog.select().where((AuditLog.action == "application.view") & (AuditLog.subject == registration))
    assert views.count() == 2
    code, _, err = run(capsys, "applications", "show", "3521-20261122-999999", "--database", database)
    assert code == 1 and "tidak ditemukan" in err


def test_audit_verify_and_a_tampered_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = url(tmp_path)
    for username in ("rina", "budi", "sari"):
        assert run(capsys, "staff", "add", username, username.title(), "--database", database)[0] == 0
    code, out, _ = run(capsys, "audit", "verify", "--database", database)
    assert code == 0 and out.strip() == "Rantai audit utuh: 3 catatan diperiksa (0 catatan lama sebelum rantai)"
    entries = run_json(capsys, "audit", "list", "--subject", "budi", "--database", database)
    assert isinstance(entries, list) and [e["action"] for e in entries] == ["staff.add"]
    assert entries[0]["actor"].startswith("cli:") and entries[0]["details"]["roles"]
    code, out, _ = run(capsys, "audit", "list", "--limit", "2", "--database", database)
    assert code == 0 and len(out.strip().splitlines()) == 2 and "sari" in out.splitlines()[0]

    target = AuditLog.get(AuditLog.subject == "budi")
    AuditLog.update(details='{"kecamatan": "", "roles": ["admin"]}').where(AuditLog.id == target.id).execute()
    code, out, err = run(capsys, "audit", "verify", "--database", database)
    assert code == 1 and out == ""
    assert f"catatan #{target.id}" in err and "isi catatan berubah setelah ditulis" in err
    code, out, _ = run(capsys, "audit", "verify", "--database", database, "--json")
    report = json.loads(out)
    assert code == 1 and (report["ok"], report["broken_at"], report["checked"]) == (False, target.id, 1)


def test_demo_staff_one_per_role_with_the_known_password(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = url(tmp_path)
    assert {role for _, _, role in DEMO_STAFF} == set(ROLES)
    code, out, _ = run(capsys, "staff", "demo", "--database", database)
    assert code == 0 and DEMO_PASSWORD in out and "/backoffice/" in out
    assert all(username in out for username, _, _ in DEMO_STAFF)
    admin = staff.authenticate(DEMO_ADMIN, DEMO_PASSWORD)
    assert not admin.must_change_password and staff.roles_of(admin) == {"admin"}
    for username, full_name, role in DEMO_STAFF:
        member = staff.get_staff(username)
        assert (member.full_name, staff.roles_of(member)) == (full_name, frozenset({role}))
    again = run_json(capsys, "staff", "demo", "--database", database)
    assert isinstance(again, list) and len(again) == len(DEMO_STAFF) == Staff.select().count()
    assert AuditLog.select().where(AuditLog.action == "staff.add").count() == len(DEMO_STAFF)


def test_make_run_creates_the_demo_staff_and_prints_the_back_office(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run_local = load_installer_module("run_local")
    monkeypatch.setattr(run_local, "SERVER", tmp_path)
    staff_rows = run_local.demo_staff()
    assert run_local.demo_staff() == staff_rows  # every run: nothing created twice
    run_local.print_backoffice(staff_rows)
    out = capsys.readouterr().out
    assert f"http://127.0.0.1:{run_local.PORT}/backoffice/" == run_local.BACKOFFICE and run_local.BACKOFFICE in out
    assert f"Masuk sebagai '{DEMO_ADMIN}'" in out and f"kata sandi '{DEMO_PASSWORD}'" in out
    assert main(["audit", "verify", "--database", run_local.database()]) == 0  # binds this process to it, too
    assert staff.authenticate(DEMO_ADMIN, DEMO_PASSWORD).username == DEMO_ADMIN
    assert Staff.select().count() == len(DEMO_STAFF)


def test_reasons_name_a_requirement_or_a_field() -> None:
    assert parse_reason("persyaratan:kk=KK buram") == {"requirement": "kk", "message": "KK buram"}
    assert parse_reason("F-1.01:header.nama = Nama salah") == {"path": "F-1.01:header.nama", "message": "Nama salah"}
    assert parse_reason("Berkas tidak lengkap") == {"message": "Berkas tidak lengkap"}


def test_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["outposts"]) == 2
    assert main(["staff"]) == 2
    assert main(["staff", "token"]) == 2
    assert main(["audit"]) == 2
    assert run(capsys, "serve", "--database", "mysql://x/y")[0] == 2
    with pytest.raises(SystemExit) as raised:
        main(["workflow", "approve", "X"])
    assert raised.value.code == 2


def test_help_and_version_answer() -> None:
    for flag in ("--help", "--version"):
        result = subprocess.run([SERVER, flag], capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0 and "loket-server" in result.stdout


def test_database_is_taken_before_the_command_as_well_as_after(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The help reads `--database` as global: `loket-server --database URL outposts add ...` was refused."""
    database = url(tmp_path)
    code, _, err = run(capsys, "--database", database, "outposts", "add", "35.21.01.2001", "Desa Sukamaju")
    assert code == 0, err
    listed = run_json(capsys, "outposts", "list", "--database", database)
    assert "35.21.01.2001" in json.dumps(listed)
    listed = run_json(capsys, "--database", database, "outposts", "list")
    assert "35.21.01.2001" in json.dumps(listed)
    other = f"sqlite:///{tmp_path / 'other.db'}"
    # Both given: the one after the command (nearer to it) wins.
    listed = run_json(capsys, "--database", database, "outposts", "list", "--database", other)
    assert "35.21.01.2001" not in json.dumps(listed)
    assert run(capsys, "--database", "mysql://x/y", "serve")[0] == 2
