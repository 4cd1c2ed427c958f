"""Batch commit: every item of a batch is decided and stored in one transaction, or nothing is.

Per item (one submitted revision):
  - its item id or its (client id, revision) known with the same content: the earlier outcome again
    (`already_accepted` with the registration number, or `invalid` with the same reasons);
  - known with different content, or a revision that does not follow a returned one, or a client id
    of another outpost: `conflict`, parked in the conflict table for a supervisor, never dropped;
  - otherwise re-validated: `invalid` (the application is recorded as returned, with the reasons,
    so the outpost can amend it) or `accepted` (received, with a registration number).
A batch is refused whole (nothing stored) when a document it names is not complete and verified.
The same batch id again with the same content returns the stored answer; with other content, 409.

The transaction reads what it needs in two queries, writes set-wise, and takes the kabupaten's
registration counter last, so concurrent outposts wait on it only for the end of a commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import peewee

from app.printing.workdays import add_working_days, default_holidays
from app.store.models import utcnow
from sync.protocol import (
    SUPPORTED_PROTOCOLS,
    ApplicationPackage,
    BatchRequest,
    BatchResponse,
    ItemResult,
    Reason,
    canonical_json,
    content_hash,
)
from sync.server import audit as server_audit
from sync.server.auth import check_signature
from sync.server.db import in_transaction
from sync.server.errors import ConflictError, DocumentsMissingError, ServerError
from sync.server.feed import lock_outpost
from sync.server.keys import seal_package
from sync.server.models import (
    Application,
    Batch,
    Counter,
    Device,
    Document,
    Event,
    Outpost,
    Submission,
)
from sync.server.models import Conflict as ParkedConflict
from sync.server.reference import Reference, ReferenceShelf
from sync.server.search import name_key
from sync.server.settling import tombstoned
from sync.server.storage import DocumentStorage
from sync.server.uploads import owned
from sync.server.validation import validate

log = logging.getLogger("loket.sync.server")
SYSTEM_ACTOR = "sistem"
INVALID_NOTE = "Pemeriksaan otomatis Dinas menemukan isian atau dokumen yang perlu dilengkapi."
CONFLICT_MESSAGE = (
    "Permohonan dengan nomor yang sama sudah diterima Dinas dengan isi berbeda. Paket ini disimpan untuk "
    "ditinjau supervisor Dinas; jangan mengirim ulang."
)


@dataclass(frozen=True)
class Checked:
    """One package, hashed and re-validated before the transaction (validation is CPU work)."""

    package: ApplicationPackage
    content_hash: str
    reasons: list[Reason]

    @property
    def valid(self) -> bool:
        """No reason to refuse it."""
        return not self.reasons


@dataclass
class Take:
    """An item to store as a new revision: its application row (existing or new) and what it becomes."""

    checked: Checked
    application: Application | None
    index: int
    number: str | None = None
    application_id: int = 0


@dataclass
class Plan:
    """What the transaction writes for one batch."""

    results: list[ItemResult | None] = field(default_factory=list)
    takes: list[Take] = field(default_factory=list)
    parked: list[tuple[Checked, str]] = field(default_factory=list)


def registration_numbers(kabupaten: str, day: dt.date, count: int) -> list[str]:
    """Take the next `count` numbers of a kabupaten's day, `3521-20261122-000123` (inside a transaction)."""
    if count <= 0:
        return []
    key = f"{kabupaten}-{day:%Y%m%d}"
    cursor = (
        Counter.insert(key=key, value=count)
        .on_conflict(conflict_target=[Counter.key], update={Counter.value: Counter.value + count})
        .returning(Counter.value)
        .execute()
    )
    last = int(next(iter(cursor)).value)
    return [f"{key}-{value:06d}" for value in range(last - count + 1, last + 1)]


class Intake:
    """Commits batches for devices against one storage and one reference version."""

    def __init__(
        self,
        storage: DocumentStorage,
        reference: Reference | ReferenceShelf,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.storage = storage
        self.reference = reference
        self.today = today

    def commit(self, device: Device, request: BatchRequest) -> BatchResponse:
        """Decide and store every item of the batch atomically; return one result per item."""
        if request.protocol not in SUPPORTED_PROTOCOLS:
            raise ServerError(
                f"Versi protokol {request.protocol} tidak didukung server ini. Perbarui Loket.",
                {"supported": list(SUPPORTED_PROTOCOLS)},
                code="protocol_unsupported",
            )
        for package in request.items:
            check_signature(device, package)
        for ids in ([p.item_id for p in request.items], [p.client_id for p in request.items]):
            if len(set(ids)) != len(ids):
                raise ServerError("Satu batch memuat permohonan yang sama dua kali.", code="duplicate_item")
        # A package may cite only documents its own outpost uploaded: any other is "missing" (the device
        # uploads it), so no answer tells a device what another outpost holds.
        cited = {sha for p in request.items for sha, _ in p.document_refs()}
        mine = owned(device.outpost_id, cited)
        missing = sorted(sha for sha in cited if sha not in mine or not self.storage.complete(sha))
        if missing:
            raise DocumentsMissingError(missing)
        batch_hash = hashlib.sha256(canonical_json([p.model_dump(mode="json") for p in request.items])).hexdigest()
        today = self.today()
        checked = [
            Checked(
                p,
                content_hash(p),
                # Against the catalogue version the outpost filled it with (it keeps its version while queued).
                validate(p, self.reference.for_version(p.catalog_version), min(p.submitted_at.date(), today))
                + _pages(p, mine),
            )
            for p in request.items
        ]

        def run() -> BatchResponse:
            lock_outpost(device.outpost_id)
            earlier = Batch.get_or_none(Batch.batch_id == request.batch_id)
            if earlier is not None:
                if earlier.device_id == device.id and earlier.content_hash == batch_hash:
                    return BatchResponse.model_validate_json(earlier.response)
                raise ConflictError(
                    "Nomor batch ini sudah dipakai untuk isi yang lain. Kirim ulang dengan nomor batch baru.",
                    code="batch_conflict",
                )
            plan = self._plan(device, checked)
            self._write(device, request, plan, today)
            response = BatchResponse(batch_id=request.batch_id, results=[r for r in plan.results if r is not None])
            Batch.create(
                batch_id=request.batch_id, device=device, content_hash=batch_hash, response=response.model_dump_json()
            )
            return response

        response = in_transaction(run)
        log.info(
            "batch %s from device %s: %s",
            request.batch_id,
            device.device_id,
            ", ".join(r.outcome for r in response.results),
        )
        return response

    # -- deciding -------------------------------------------------------------------------------------------
    def _plan(self, device: Device, checked: list[Checked]) -> Plan:
        item_ids = [c.package.item_id for c in checked]
        client_ids = [c.package.client_id for c in checked]
        known = list(
            Submission.select(Submission, Application)
            .join(Application)
            .where(Submission.item_id.in_(item_ids) | Submission.client_id.in_(client_ids))
        )
        by_item = {s.item_id: s for s in known}
        by_revision = {(s.client_id, s.revision): s for s in known}
        applications = {a.client_id: a for a in Application.select().where(Application.client_id.in_(client_ids))}
        cancelled = tombstoned(device.outpost_id, [c for c in client_ids if c not in applications])
        plan = Plan(results=[None] * len(checked))
        for index, item in enumerate(checked):
            package = item.package
            if package.client_id in cancelled:  # cancelled by its outpost before it arrived: not taken in
                plan.results[index] = _cancelled(package)
                continue
            earlier = by_item.get(package.item_id) or by_revision.get((package.client_id, package.revision))
            application = applications.get(package.client_id)
            why = ""
            if earlier is not None:
                if earlier.content_hash == item.content_hash and earlier.application.outpost_id == device.outpost_id:
                    plan.results[index] = _replay(package, earlier)
                    continue
                why = "isi berbeda untuk nomor item atau revisi yang sudah diterima"
            elif application is not None and application.outpost_id != device.outpost_id:
                why = "nomor permohonan dipakai pos pelayanan lain"
            elif application is not None and (
                application.state != "returned" or package.revision != application.revision + 1
            ):
                why = (
                    f"revisi {package.revision} tidak mengikuti revisi {application.revision} "
                    f"(status Dinas: {application.state})"
                )
            if why:
                plan.parked.append((item, why))
                plan.results[index] = ItemResult(
                    item_id=package.item_id,
                    client_id=package.client_id,
                    revision=package.revision,
                    outcome="conflict",
                    message=CONFLICT_MESSAGE,
                )
            else:
                plan.takes.append(Take(item, application, index))
        return plan

    # -- writing --------------------------------------------------------------------------------------------
    def _write(self, device: Device, request: BatchRequest, plan: Plan, today: dt.date) -> None:
        now = utcnow()
        actor = f"device:{device.device_id}"
        self._store_applications(device, plan.takes, now, self._due_dates(plan.takes, today))
        if plan.takes:
            Submission.insert_many(
                [
                    {
                        "item_id": t.checked.package.item_id,
                        "application": t.application_id,
                        "client_id": t.checked.package.client_id,
                        "revision": t.checked.package.revision,
                        "content_hash": t.checked.content_hash,
                        "package": seal_package(t.checked.package.model_dump_json()),
                        "outcome": "accepted" if t.checked.valid else "invalid",
                        "reasons": _reasons_json(t.checked.reasons),
                        "device": device.id,
                        "batch_id": request.batch_id,
                        "received_at": now,
                    }
                    for t in plan.takes
                ]
            ).execute()
        if plan.parked:
            ParkedConflict.insert_many(
                [
                    {
                        "item_id": c.package.item_id,
                        "client_id": c.package.client_id,
                        "revision": c.package.revision,
                        "content_hash": c.content_hash,
                        "package": seal_package(c.package.model_dump_json()),
                        "reason": why,
                        "device": device.id,
                        "outpost": device.outpost_id,
                        "created_at": now,
                    }
                    for c, why in plan.parked
                ]
            ).on_conflict_ignore().execute()
        documents = {sha: size for p in request.items for sha, size in p.document_refs()}
        if documents:
            Document.insert_many(
                [{"sha256": sha, "size": size, "stored_at": now} for sha, size in documents.items()]
            ).on_conflict_ignore().execute()
        server_audit.record_many(
            [
                (
                    actor,
                    "intake.accepted" if t.checked.valid else "intake.invalid",
                    t.checked.package.client_id,
                    {"revision": t.checked.package.revision, "reasons": len(t.checked.reasons)},
                )
                for t in plan.takes
            ]
            + [(actor, "intake.conflict", c.package.client_id, {"why": why}) for c, why in plan.parked]
        )
        # Last: the kabupaten's counter row stays locked until commit, so take it as late as possible.
        self._number(device, plan.takes, today)
        self._feed(device, plan.takes, now)
        for take in plan.takes:
            package = take.checked.package
            plan.results[take.index] = ItemResult(
                item_id=package.item_id,
                client_id=package.client_id,
                revision=package.revision,
                outcome="accepted" if take.checked.valid else "invalid",
                registration_number=take.number if take.checked.valid else None,
                reasons=take.checked.reasons,
                message="Diterima Dinas." if take.checked.valid else INVALID_NOTE,
            )

    def _due_dates(self, takes: list[Take], today: dt.date) -> dict[int, dt.date | None]:
        """SLA due date per take: today plus the service's working days (none for an invalid revision)."""
        holidays = default_holidays()
        due: dict[int, dt.date | None] = {}
        for take in takes:
            try:
                package = take.checked.package
                catalog = self.reference.for_version(package.catalog_version).catalog
                days = catalog.service(package.service_code).sla_days
            except KeyError:
                days = None
            valid = take.checked.valid and days is not None
            due[take.index] = add_working_days(today, days, holidays) if valid and days is not None else None
        return due

    @staticmethod
    def _store_applications(
        device: Device, takes: list[Take], now: dt.datetime, due: dict[int, dt.date | None]
    ) -> None:
        new = [t for t in takes if t.application is None]
        if new:
            rows = (
                Application.insert_many(
                    [
                        {
                            "client_id": t.checked.package.client_id,
                            "outpost": device.outpost_id,
                            "service_code": t.checked.package.service_code,
                            "revision": t.checked.package.revision,
                            "state": "received" if t.checked.valid else "returned",
                            "applicant_name": t.checked.package.applicant.name,
                            "applicant_nik": t.checked.package.applicant.nik,
                            "applicant_kk": t.checked.package.applicant.kk,
                            "name_key": name_key(t.checked.package.applicant.name),
                            "due_date": due[t.index],
                            "received_at": now,
                            "updated_at": now,
                        }
                        for t in new
                    ]
                )
                .returning(Application.id, Application.client_id)
                .execute()
            )
            ids = {row.client_id: row.id for row in rows}
            for take in new:
                take.application_id = ids[take.checked.package.client_id]
        for take in takes:
            if take.application is None:
                continue
            package = take.checked.package
            take.application_id = take.application.id
            take.number = take.application.registration_number
            Application.update(
                revision=package.revision,
                state="received" if take.checked.valid else "returned",
                service_code=package.service_code,
                applicant_name=package.applicant.name,
                applicant_nik=package.applicant.nik,
                applicant_kk=package.applicant.kk,
                name_key=name_key(package.applicant.name),
                due_date=due[take.index],
                received_at=now,
                updated_at=now,
            ).where(Application.id == take.application.id).execute()

    @staticmethod
    def _number(device: Device, takes: list[Take], today: dt.date) -> None:
        needing = [t for t in takes if t.checked.valid and t.number is None]
        numbers = registration_numbers(device.outpost.kabupaten, today, len(needing))
        for take, number in zip(needing, numbers, strict=True):
            take.number = number
        if needing:
            Application.update(
                registration_number=peewee.Case(Application.id, [(t.application_id, t.number) for t in needing])
            ).where(Application.id.in_([t.application_id for t in needing])).execute()

    @staticmethod
    def _feed(device: Device, takes: list[Take], now: dt.datetime) -> None:
        if not takes:
            return
        cursor = (
            Outpost.update(feed_seq=Outpost.feed_seq + len(takes))
            .where(Outpost.id == device.outpost_id)
            .returning(Outpost.feed_seq)
            .execute()
        )
        last = int(next(iter(cursor)).feed_seq)
        Event.insert_many(
            [
                {
                    "outpost": device.outpost_id,
                    "seq": last - len(takes) + 1 + position,
                    "application": t.application_id,
                    "client_id": t.checked.package.client_id,
                    "revision": t.checked.package.revision,
                    "state": "received" if t.checked.valid else "returned",
                    "registration_number": t.number,
                    "reasons": _reasons_json(t.checked.reasons),
                    "note": "" if t.checked.valid else INVALID_NOTE,
                    "actor": SYSTEM_ACTOR,
                    "at": now,
                }
                for position, t in enumerate(takes)
            ]
        ).execute()


def _cancelled(package: ApplicationPackage) -> ItemResult:
    message = "Permohonan ini dibatalkan pos pelayanan sebelum diterima Dinas; tidak diproses."
    return ItemResult(
        item_id=package.item_id,
        client_id=package.client_id,
        revision=package.revision,
        outcome="invalid",
        reasons=[Reason(code="cancelled", message=message)],
        message=message,
    )


def _replay(package: ApplicationPackage, known: Submission) -> ItemResult:
    accepted = known.outcome == "accepted"
    return ItemResult(
        item_id=package.item_id,
        client_id=package.client_id,
        revision=package.revision,
        outcome="already_accepted" if accepted else "invalid",
        registration_number=known.application.registration_number if accepted else None,
        reasons=[Reason.model_validate(r) for r in json.loads(known.reasons)],
        message="Sudah diterima sebelumnya." if accepted else INVALID_NOTE,
    )


def _pages(package: ApplicationPackage, stored: dict[str, int]) -> list[Reason]:
    """Each page's size must be its stored document's (the hash names the document, verified on upload)."""
    reasons = []
    for document in package.documents:
        for page in document.pages:
            size = stored.get(page.sha256)
            if size is not None and size != page.size:
                reasons.append(
                    Reason(
                        requirement=document.requirement_id[:64],
                        code="page_mismatch",
                        message=f"Halaman {page.position} dokumen '{document.requirement_id}' tercatat {page.size} "
                        f"bita, tetapi berkas yang diterima Dinas {size} bita. Pindai ulang halaman itu.",
                    )
                )
    return reasons


def _reasons_json(reasons: list[Reason]) -> str:
    return json.dumps([r.model_dump() for r in reasons], ensure_ascii=True)
