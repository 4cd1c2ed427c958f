"""A full check of an installation: SQLite integrity, the audit chain, every blob present and intact.

Every check runs on its own: a damaged database page is reported in words (which page, which check
could not finish) and the other checks still run; nothing here raises for damaged data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import peewee
from sqlcipher3 import dbapi2 as sqlcipher

from app.store import audit
from app.store.db import translate
from app.store.errors import StoreError
from app.store.models import Application, OutboxItem, Page
from app.store.store import Store

T = TypeVar("T")
_HMAC_FAILED = re.compile(r"HMAC verification failed for page (\d+)")


@dataclass
class VerifyReport:
    """What `loket-admin verify` prints: a section per check, faults in Bahasa Indonesia."""

    integrity: list[str] = field(default_factory=list)
    audit_entries: int = 0
    audit_faults: list[str] = field(default_factory=list)
    blobs_checked: int = 0
    blobs_missing: list[str] = field(default_factory=list)
    blobs_corrupt: list[str] = field(default_factory=list)
    blobs_orphaned: list[str] = field(default_factory=list)
    temporaries_removed: int = 0
    applications: int = 0
    outbox: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """No fault (orphaned blobs are reported but are not a fault: nothing points to them)."""
        return not (self.integrity or self.audit_faults or self.blobs_missing or self.blobs_corrupt)

    def to_dict(self) -> dict[str, object]:
        """JSON form."""
        return {
            "ok": self.ok,
            "integrity": self.integrity or ["ok"],
            "audit": {"entries": self.audit_entries, "faults": self.audit_faults},
            "blobs": {
                "checked": self.blobs_checked,
                "missing": self.blobs_missing,
                "corrupt": self.blobs_corrupt,
                "orphaned": self.blobs_orphaned,
                "temporaries_removed": self.temporaries_removed,
            },
            "applications": self.applications,
            "outbox": self.outbox,
        }

    def to_text(self) -> str:
        """A readable report for support staff."""
        lines = ["Pemeriksaan data Loket", ""]
        lines.append("Basis data (integrity_check): " + ("baik" if not self.integrity else "RUSAK"))
        lines.extend(f"  - {item}" for item in self.integrity[:20])
        lines.append(f"Jejak audit: {self.audit_entries} entri, " + ("utuh" if not self.audit_faults else "RUSAK"))
        lines.extend(f"  - {item}" for item in self.audit_faults[:20])
        lines.append(
            f"Berkas pindaian: {self.blobs_checked} diperiksa, {len(self.blobs_missing)} hilang, "
            f"{len(self.blobs_corrupt)} rusak, {len(self.blobs_orphaned)} tidak terpakai"
        )
        lines.extend(f"  - hilang: {d}" for d in self.blobs_missing[:20])
        lines.extend(f"  - rusak: {d}" for d in self.blobs_corrupt[:20])
        lines.append(
            f"Permohonan: {self.applications}; antrean kirim: "
            + (", ".join(f"{k} {v}" for k, v in sorted(self.outbox.items())) or "kosong")
        )
        lines.append("")
        lines.append("HASIL: BAIK" if self.ok else "HASIL: ADA KERUSAKAN — hubungi dukungan teknis; jangan hapus data.")
        return "\n".join(lines)


def _page_fault(text: str) -> str:
    """SQLCipher's finding about one page, in words."""
    found = _HMAC_FAILED.search(text)
    if found:
        return f"halaman {found.group(1)} rusak: isinya berubah atau terpotong sejak ditulis"
    return f"halaman basis data bermasalah: {text}"


def _damage(what: str, exc: BaseException) -> str:
    known = translate(exc)
    detail = known.detail if isinstance(known, StoreError) and known.detail else str(exc)
    return f"{what} tidak dapat dibaca karena basis data rusak ({detail})"


def _attempt(report: VerifyReport, what: str, check: Callable[[], T]) -> T | None:
    """Run one check; a damaged database becomes a finding in the report instead of an exception."""
    try:
        return check()
    except (peewee.DatabaseError, sqlcipher.DatabaseError, StoreError) as exc:
        report.integrity.append(_damage(what, exc))
        return None


def _integrity(store: Store, report: VerifyReport) -> None:
    _attempt(report, "penggabungan WAL", store.checkpoint)
    pages = _attempt(
        report, "pemeriksaan enkripsi halaman", lambda: store.db.execute_sql("PRAGMA cipher_integrity_check").fetchall()
    )
    report.integrity.extend(_page_fault(str(row[0])) for row in pages or [])
    rows = _attempt(report, "pemeriksaan struktur (integrity_check)", store.integrity_errors)
    report.integrity.extend(rows or [])


def verify_store(store: Store) -> VerifyReport:
    """Run every check and return the report (it changes nothing but leftover temp files)."""
    report = VerifyReport()
    _integrity(store, report)
    chain = _attempt(report, "jejak audit", audit.verify)
    if chain is not None:
        report.audit_entries, report.audit_faults = chain.entries, list(chain.faults)
    report.temporaries_removed = store.blobs.remove_temporaries()
    referenced = _attempt(
        report, "daftar halaman dokumen", lambda: {row.blob_hash for row in Page.select(Page.blob_hash).distinct()}
    )
    if referenced is not None:
        blobs = store.blobs.check(referenced)
        report.blobs_checked = blobs.checked
        report.blobs_missing, report.blobs_corrupt = list(blobs.missing), list(blobs.corrupt)
        report.blobs_orphaned = list(blobs.orphaned)
    report.applications = _attempt(report, "daftar permohonan", lambda: Application.select().count()) or 0

    def outbox() -> None:
        for item in OutboxItem.select(OutboxItem.state):
            report.outbox[item.state] = report.outbox.get(item.state, 0) + 1

    _attempt(report, "antrean kirim", outbox)
    return report
