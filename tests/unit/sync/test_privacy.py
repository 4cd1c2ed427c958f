"""Issue 15, "Encryption at rest" (backup/restore with the key kept apart) and "UU PDP 27/2022 tooling":
`loket-server backup`/`restore`, `data export`, `data purge`, `data retention` on real files (SQLite)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest

from sync.protocol import BatchRequest
from sync.server import keys, workflow
from sync.server.cli import main
from sync.server.models import Application, AuditLog, Submission
from sync.server.storage import DiskStorage
from tests.unit.sync.conftest import Dinas, Made


def _receive(dinas: Dinas, made: Made) -> str:
    dinas.store_documents(made, dinas.device)
    [result] = dinas.intake.commit(dinas.device, BatchRequest(batch_id=str(uuid.uuid4()), items=[made.package])).results
    assert result.outcome == "accepted" and result.registration_number
    return result.registration_number


def _args(tmp_path: Path, *extra: str, storage: Path | None = None) -> list[str]:
    return [
        *extra,
        "--database",
        f"sqlite:///{tmp_path / 'server.db'}",
        "--storage",
        str(storage or tmp_path / "documents"),
    ]


def test_a_backup_holds_no_key_and_restores_elsewhere_only_with_it(
    dinas: Dinas, made_packages: list[Made], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = made_packages[0]
    _receive(dinas, made)
    folder, key = tmp_path / "cadangan", tmp_path / "brankas" / "kunci.key"
    assert main(_args(tmp_path, "backup", str(folder), "--key-out", str(key))) == 0
    assert "Kunci server ditulis" in capsys.readouterr().out
    assert not list(folder.rglob("*.key")), "the key is not in the backup"
    for sha, data in made.blobs.items():
        assert data[:64] not in next(folder.glob(f"documents/??/{sha}")).read_bytes(), "a backup scan in plaintext"

    target = tmp_path / "baru"
    database = f"sqlite:///{target / 'server.db'}"
    storage = target / "documents"
    assert main(["restore", str(folder), "--database", database, "--storage", str(storage)]) == 1
    assert "--key-file" in capsys.readouterr().err
    assert (
        main(["restore", str(folder), "--database", database, "--storage", str(storage), "--key-file", str(key)]) == 0
    )
    capsys.readouterr()
    restored = DiskStorage(storage)
    assert all(restored.read(sha) == data for sha, data in made.blobs.items())
    with keys.using(restored.keyring):
        assert main(["applications", "show", made.package.client_id, "--json", "--database", database]) == 0
    assert len(json.loads(capsys.readouterr().out)["pages"]) == len(made.blobs)


def test_a_person_s_data_is_exported_as_json_and_pdf_and_purged_with_a_journal_entry(
    dinas: Dinas, made_packages: list[Made], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made, other = made_packages[0], made_packages[1]
    _receive(dinas, made)
    _receive(dinas, other)
    nik = made.package.applicant.nik
    out = tmp_path / "ekspor"
    assert main(_args(tmp_path, "data", "export", "--nik", nik, "--out", str(out))) == 0
    [exported] = out.glob("data-*.json")
    data = json.loads(exported.read_text())
    assert [a["client_id"] for a in data["applications"]] == [made.package.client_id]
    assert data["applications"][0]["submissions"][0]["package"]["applicant"]["nik"] == nik
    assert next(out.glob("data-*.pdf")).read_bytes().startswith(b"%PDF")
    assert {p.name: p.read_bytes() for p in (out / "dokumen").iterdir()} == made.blobs
    capsys.readouterr()

    assert main(_args(tmp_path, "data", "purge", "--nik", nik, "--reason", "permintaan pemohon")) == 0
    assert Application.select().count() == 2, "without --yes nothing is erased"
    assert main(_args(tmp_path, "data", "purge", "--nik", nik, "--reason", "permintaan pemohon", "--yes")) == 0
    assert [a.client_id for a in Application.select()] == [other.package.client_id]
    assert Submission.select().count() == 1
    storage = DiskStorage(tmp_path / "documents")
    only_mine = set(made.blobs) - set(other.blobs)
    assert only_mine and not any(storage.complete(sha) for sha in only_mine)
    assert all(storage.verify(sha) for sha in other.blobs)
    [entry] = AuditLog.select().where(AuditLog.action == "data.purge")
    assert nik not in entry.subject + entry.details and "permintaan pemohon" in entry.details
    assert AuditLog.select().where(AuditLog.action == "data.export").count() == 1


def test_retention_deletes_scans_of_old_handed_over_applications_and_keeps_packages(
    dinas: Dinas, made_packages: list[Made], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made, recent = made_packages[0], made_packages[2]
    number = _receive(dinas, made)
    _receive(dinas, recent)
    for step in ("verify", "validate", "produce", "sign", "ready", "handed_over"):
        workflow.act(number, step, "staf:uji")
    long_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=400)
    Application.update(updated_at=long_ago).where(Application.registration_number == number).execute()
    assert main(_args(tmp_path, "data", "retention", "--policy", "handed_over=365")) == 0
    storage = DiskStorage(tmp_path / "documents")
    assert all(storage.complete(sha) for sha in made.blobs), "without --yes nothing is deleted"
    assert main(_args(tmp_path, "data", "retention", "--policy", "handed_over=365", "--yes")) == 0
    assert "paket dan jejak audit tetap disimpan" in capsys.readouterr().out
    assert not any(storage.complete(sha) for sha in set(made.blobs) - set(recent.blobs))
    assert all(storage.verify(sha) for sha in recent.blobs)
    assert Submission.select().count() == 2 and AuditLog.select().where(AuditLog.action == "retention.purge").exists()
    assert main(_args(tmp_path, "data", "retention", "--policy", "diserahkan=1")) == 1
