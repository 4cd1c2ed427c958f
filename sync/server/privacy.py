"""UU PDP 27/2022 tooling at the Dinas: retention of scans, a person's data export, and erasure.

- Retention: scans of applications that reached a final state (handed over, rejected) are deleted a
  set number of days after their last change (`LOKET_SERVER_RETENTION`, e.g. `handed_over=365,rejected=365`,
  or `data retention --policy`); the packages and the audit stay, so the register is complete.
- `data export --nik`: everything the server holds about a person (applications where they are the
  applicant or named in a form, their packages, history, audit entries and scans) as JSON and PDF.
- `data purge --nik`: the person's applications, packages, history and the scans no one else's
  application cites are erased; the audit keeps one `data.purge` entry (who, why, what).
The audit names the person by a hash of the NIK, never the NIK itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from app.store.models import utcnow
from sync.server import audit
from sync.server.db import in_transaction
from sync.server.keys import read_package
from sync.server.models import Application, AuditLog, Conflict, Document, DocumentOwner, Event, Submission
from sync.server.storage import DiskStorage, private_folder, write_private

ENV_RETENTION = "LOKET_SERVER_RETENTION"
DEFAULT_POLICY = {"handed_over": 365, "rejected": 365}
FINAL_STATES = ("handed_over", "rejected")


def subject_of(nik: str) -> str:
    """How the audit names a person: a hash of the NIK (the audit is read by many; the NIK is not for them)."""
    return "nik:" + hashlib.sha256(nik.strip().encode("utf-8")).hexdigest()[:16]


def parse_policy(text: str) -> dict[str, int]:
    """`handed_over=365,rejected=730` -> days per state (final states only)."""
    policy: dict[str, int] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        state, sep, days = part.partition("=")
        state = state.strip()
        if not sep or state not in FINAL_STATES or not days.strip().isdigit():
            raise ValueError(
                f"Kebijakan retensi '{part.strip()}' tidak sah: tulis STATUS=HARI, STATUS salah satu dari "
                f"{', '.join(FINAL_STATES)}."
            )
        policy[state] = int(days)
    return policy


def policy_from_env() -> dict[str, int]:
    """The Dinas' retention policy (`LOKET_SERVER_RETENTION`), else the default."""
    text = os.environ.get(ENV_RETENTION, "")
    return parse_policy(text) if text.strip() else dict(DEFAULT_POLICY)


def policy_text(policy: dict[str, int]) -> str:
    """A policy as written."""
    return ",".join(f"{state}={days}" for state, days in sorted(policy.items()))


def _pages(package: dict[str, Any]) -> set[str]:
    return {
        str(page.get("sha256", ""))
        for document in package.get("documents", [])
        for page in document.get("pages", [])
        if page.get("sha256")
    }


def _documents_of(application_ids: set[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    if not application_ids:
        return out
    for row in Submission.select(Submission.application, Submission.package).where(
        Submission.application.in_(sorted(application_ids))
    ):
        out.setdefault(row.application_id, set()).update(_pages(json.loads(read_package(row))))
    return out


def _cited_elsewhere(excluded: set[int], candidates: set[str]) -> set[str]:
    """Documents among `candidates` that packages of other applications (or parked conflicts) cite."""
    if not candidates:
        return set()
    kept: set[str] = set()
    others = Submission.select(Submission.application, Submission.package)
    if excluded:
        others = others.where(Submission.application.not_in(sorted(excluded)))
    for row in others.iterator():
        kept |= _pages(json.loads(read_package(row))) & candidates
    for conflict in Conflict.select(Conflict.package).iterator():
        kept |= _pages(json.loads(read_package(conflict))) & candidates
    return kept


def apply_retention(
    storage: DiskStorage, policy: dict[str, int], actor: str, *, really: bool, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Delete the scans of applications whose final state is older than the policy allows."""
    now = now or utcnow()
    due: set[int] = set()
    for state, days in policy.items():
        cutoff = now - dt.timedelta(days=days)
        due |= {
            a.id
            for a in Application.select(Application.id).where(
                (Application.state == state) & (Application.updated_at < cutoff)
            )
        }
    documents = set().union(*_documents_of(due).values()) if due else set()
    # Kept while another application (not yet due) cites the same scan.
    documents -= _cited_elsewhere(due, documents)
    present = {sha for sha in documents if storage.complete(sha)}
    if really and present:
        for sha in sorted(present):
            storage.delete(sha)
        in_transaction(
            lambda: audit.record(
                actor, "retention.purge", policy_text(policy), {"applications": len(due), "documents": len(present)}
            )
        )
    return {"applications": len(due), "documents": len(present), "policy": policy}


def _applications_of(nik: str) -> list[Application]:
    """Applications where the person is the applicant, or named anywhere in a package (a form, a member row)."""
    nik = nik.strip()
    found = {a.id: a for a in Application.select().where(Application.applicant_nik == nik)}
    for row in Submission.select(Submission.application, Submission.package).iterator():
        if row.application_id not in found and nik in read_package(row):
            found[row.application_id] = Application.get_by_id(row.application_id)
    return sorted(found.values(), key=lambda a: a.id)


def export(nik: str, out: Path, storage: DiskStorage, actor: str) -> dict[str, Any]:
    """Everything about one person as `data-<hash>.json` and `.pdf` (and the scans) in a private folder."""
    private_folder(out)
    applications = _applications_of(nik)
    records = []
    documents: set[str] = set()
    for application in applications:
        keys = [k for k in (application.registration_number, application.client_id) if k]
        submissions = []
        for submission in (
            Submission.select().where(Submission.application == application).order_by(Submission.revision)
        ):
            package = json.loads(read_package(submission))
            documents |= _pages(package)
            submissions.append(
                {
                    "revision": submission.revision,
                    "outcome": submission.outcome,
                    "received_at": submission.received_at.isoformat(timespec="seconds"),
                    "reasons": json.loads(submission.reasons or "[]"),
                    "package": package,
                }
            )
        records.append(
            {
                "registration_number": application.registration_number,
                "client_id": application.client_id,
                "outpost": application.outpost.code,
                "service_code": application.service_code,
                "state": application.state,
                "applicant_is_person": application.applicant_nik == nik.strip(),
                "received_at": application.received_at.isoformat(timespec="seconds"),
                "updated_at": application.updated_at.isoformat(timespec="seconds"),
                "submissions": submissions,
                "history": [
                    {"at": e.at.isoformat(timespec="seconds"), "state": e.state, "actor": e.actor, "note": e.note}
                    for e in Event.select().where(Event.application == application).order_by(Event.seq)
                ],
                "audit": [
                    {"at": e.at.isoformat(timespec="seconds"), "actor": e.actor, "action": e.action}
                    for e in AuditLog.select().where(AuditLog.subject.in_(keys)).order_by(AuditLog.id)
                ],
            }
        )
    scans = out / "dokumen"
    copied = 0
    for sha in sorted(documents):
        if storage.complete(sha):
            private_folder(scans)
            write_private(scans / sha, storage.read(sha))
            copied += 1
    name = f"data-{subject_of(nik)[4:]}"
    data = {
        "nik": nik.strip(),
        "exported_at": utcnow().isoformat(timespec="seconds"),
        "applications": records,
        "documents": sorted(documents),
    }
    json_path = out / f"{name}.json"
    write_private(json_path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    pdf_path = out / f"{name}.pdf"
    write_private(pdf_path, _pdf(data))
    in_transaction(
        lambda: audit.record(actor, "data.export", subject_of(nik), {"applications": len(records), "documents": copied})
    )
    return {"applications": len(records), "documents": copied, "json": str(json_path), "pdf": str(pdf_path)}


def _pdf(data: dict[str, Any]) -> bytes:
    """The export as a readable PDF (one section per application; the packages' answers as text)."""
    import io  # noqa: PLC0415

    from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]  # noqa: PLC0415
    from reportlab.pdfgen import canvas  # type: ignore[import-untyped]  # noqa: PLC0415

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    _, height = A4
    y = height - 50

    def line(text: str, size: int = 9) -> None:
        nonlocal y
        for start in range(0, max(len(text), 1), 110):
            if y < 50:
                pdf.showPage()
                y = height - 50
            pdf.setFont("Helvetica", size)
            pdf.drawString(40, y, text[start : start + 110])
            y -= size + 4

    line(f"Data pribadi yang disimpan Dinas tentang NIK {data['nik']}", 13)
    line(f"Diekspor {data['exported_at']} UTC; {len(data['applications'])} permohonan.")
    for application in data["applications"]:
        line("")
        line(f"Permohonan {application['registration_number'] or application['client_id']}", 11)
        line(f"Layanan {application['service_code']}, pos {application['outpost']}, status {application['state']}")
        for event in application["history"]:
            line(f"  {event['at']}  {event['state']}  oleh {event['actor']}  {event['note']}")
        for submission in application["submissions"]:
            line(f"  Revisi {submission['revision']} ({submission['outcome']}), diterima {submission['received_at']}")
            package = submission["package"]
            applicant = package.get("applicant", {})
            line(
                f"    Pemohon: {applicant.get('name', '')} NIK {applicant.get('nik', '')} KK {applicant.get('kk', '')}"
            )
            for form in package.get("forms", []):
                line(f"    Formulir {form.get('form')}: {json.dumps(form.get('answers', {}), ensure_ascii=False)}")
    line("")
    line(f"Dokumen pindaian ({len(data['documents'])}) ada di folder 'dokumen' di samping berkas ini.")
    pdf.save()
    return buffer.getvalue()


def purge(nik: str, reason: str, storage: DiskStorage, actor: str, *, really: bool) -> dict[str, Any]:
    """Erase a person's applications (as applicant), their packages, history and scans no one else cites."""
    if not reason.strip():
        raise ValueError("a purge needs a reason")
    applications = list(Application.select().where(Application.applicant_nik == nik.strip()))
    ids = {a.id for a in applications}
    documents = set().union(*_documents_of(ids).values()) if ids else set()
    documents -= _cited_elsewhere(ids, documents)
    client_ids = [a.client_id for a in applications]
    submissions = Submission.select().where(Submission.application.in_(sorted(ids))).count() if ids else 0
    report = {
        "applications": len(applications),
        "submissions": submissions,
        "documents": len(documents),
        "registrations": [a.registration_number for a in applications if a.registration_number],
    }
    if not really or not applications:
        return report

    def erase() -> None:
        Event.delete().where(Event.application.in_(sorted(ids))).execute()
        Submission.delete().where(Submission.application.in_(sorted(ids))).execute()
        Conflict.delete().where(Conflict.client_id.in_(client_ids)).execute()
        Application.delete().where(Application.id.in_(sorted(ids))).execute()
        if documents:
            Document.delete().where(Document.sha256.in_(sorted(documents))).execute()
            DocumentOwner.delete().where(DocumentOwner.sha256.in_(sorted(documents))).execute()
        audit.record(
            actor,
            "data.purge",
            subject_of(nik),
            {"reason": reason.strip()[:500], "applications": len(ids), "documents": len(documents)},
        )

    in_transaction(erase)
    for sha in documents:
        storage.delete(sha)
    return report
