"""One sync run of an outpost device: send the outbox, pull the Dinas status feed, update the catalogue.

`SyncClient(store).run_once(progress)` does one run on the calling thread and returns a SyncReport;
`progress` receives SyncState snapshots. It is Qt-free: the UI runs it through `SyncWorker` (a
thread) and marshals the snapshots to the GUI thread. Per batch of outbox items:

1. build each item's package from the store (same revision, same bytes, same content hash);
2. ask the server which documents it holds and from which offset to resume each;
3. upload what is missing in chunks sized to the measured link;
4. commit the batch (atomic on the server; a repeat is answered from the first commit);
5. record each answer: acknowledged (with the registration number), conflict, or failed.

Nothing local is deleted: items only change state. Transient faults are retried quickly inside the
run (a cut link resumes at the server's offset); if they persist the run raises and the worker
backs off.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

from pydantic import ValidationError

from app.errors import KnownError
from app.store import outbox, settings, status
from app.store.models import OutboxItem
from app.store.status import DinasChange
from app.store.store import Store
from sync.client import settling, wipe
from sync.client.catalog_update import needs_update, update_reference
from sync.client.enrol import Credentials
from sync.client.errors import CatalogRefusedError, DocumentError, RemoteError, SyncError, SyncInterruptedError
from sync.client.pacing import LinkEstimate
from sync.client.package import Signer, build_package
from sync.client.state import ItemProgress, Listener, ProgressTracker, SyncState
from sync.client.transport import Timeouts, Transport
from sync.client.uploads import Retrier, Uploader
from sync.protocol import (
    OUTBOX_HEADER,
    ApplicationPackage,
    BatchRequest,
    BatchResponse,
    DocumentQuery,
    DocumentRef,
    DocumentStates,
    ItemResult,
    ReferenceInfo,
    StatusFeed,
    outbox_header,
)

log = logging.getLogger("loket.sync")

BATCH_SIZE = 20
PARALLEL_UPLOADS = 2  # two streams keep a long-latency link busy while the other waits for its answer
FEED_PAGE = 200
CATALOG_CHECK_EVERY = dt.timedelta(hours=1)
COMMIT_ROUNDS = 3


@dataclass
class SyncReport:
    """What one run did."""

    sent: int = 0
    accepted: int = 0
    already_accepted: int = 0
    invalid: int = 0
    conflicts: int = 0
    failed: int = 0
    status_applied: int = 0
    cancellations_answered: int = 0  # cancellation requests the Dinas answered
    conflicts_decided: int = 0  # parked packages whose Dinas decision arrived
    catalog_updated: bool = False
    catalog_version: str = ""  # the version installed by this run
    catalog_changes: list[str] = field(default_factory=list)  # what it changed, in words
    catalog_error: str = ""  # why an announced version was refused (the previous one stays)
    documents_uploaded: int = 0
    bytes_uploaded: int = 0
    bytes_resent: int = 0
    interruptions: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """JSON form (loket-admin sync --json)."""
        return asdict(self)

    def to_text(self) -> str:
        """A summary for support staff, in Bahasa Indonesia."""
        return (
            f"Terkirim {self.sent} permohonan: {self.accepted + self.already_accepted} diterima, "
            f"{self.invalid} dikembalikan pemeriksaan otomatis, {self.conflicts} konflik, {self.failed} gagal. "
            f"Dokumen diunggah: {self.documents_uploaded} ({self.bytes_uploaded} bita). "
            f"Perubahan status dari Dinas: {self.status_applied}."
            + (f" Katalog diperbarui: versi {self.catalog_version}." if self.catalog_updated else "")
            + (f" {self.catalog_error}" if self.catalog_error else "")
        )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class SyncClient:
    """The sync of one unlocked store with its Dinas server (one run at a time, on one thread)."""

    def __init__(
        self,
        store: Store,
        transport: Transport | None = None,
        *,
        tracker: ProgressTracker | None = None,
        batch_size: int = BATCH_SIZE,
        parallel_uploads: int = PARALLEL_UPLOADS,
        timeouts: Timeouts | None = None,
        retrier: Retrier | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.transport = transport
        self.tracker = tracker or ProgressTracker()
        self.batch_size = batch_size
        self.parallel_uploads = parallel_uploads
        self.timeouts = timeouts
        self._abort = threading.Event()
        self.cancel_event = threading.Event()
        self.retrier = retrier or Retrier(sleep=sleep, check_cancel=self.check_cancel)
        self._catalog_checked: dt.datetime | None = None
        self._cap_kbps = 0  # the installation's sync.bandwidth_cap_kbps, set by whoever runs the client
        self.report = SyncReport()  # the current or last run's

    # -- public ----------------------------------------------------------------------------------------
    def state(self) -> SyncState:
        """The latest snapshot."""
        return self.tracker.snapshot()

    def cancel(self) -> None:
        """Stop the current run at the next safe point (between chunks or steps)."""
        self.cancel_event.set()

    def check_cancel(self) -> None:
        """Raise SyncInterruptedError if a stop was asked for."""
        if self.cancel_event.is_set():
            raise SyncInterruptedError()

    @property
    def bandwidth_cap_kbps(self) -> int:
        """The upload cap in force (kbit/s; 0: none)."""
        return self._cap_kbps

    def set_bandwidth_cap(self, kbps: int) -> None:
        """Cap uploads at `kbps` kbit/s (0: no cap); takes effect at once, also mid-upload."""
        self._cap_kbps = max(0, kbps)
        if self.transport is not None:
            self.transport.bucket.set_rate(self._cap_kbps * 1000 / 8)

    def run_once(self, progress: Listener | None = None) -> SyncReport:
        """Do one full run; raise a SyncError when it could not finish (the outbox keeps every item)."""
        if progress is not None:
            self.tracker.set_listener(progress)
        self.cancel_event.clear()
        started = time.monotonic()
        report = self.report = SyncReport()  # kept: what a run that failed half-way did
        credentials = Credentials.load()
        transport = self._transport(credentials)
        uploader = Uploader(transport, self.store.blobs.get, self.retrier, self._check_upload)
        self.tracker.update(phase="connecting", running=True, message="Menghubungi server Dinas")
        try:
            wipe.check_standing()  # revoked or wiped: no contact at all
            self._report_outbox(transport)
            credentials = wipe.ensure_order_key(self.store, transport, credentials)
            # Cancellation requests first: the outbox holds their applications back until answered.
            report.cancellations_answered = settling.send_cancellations(self.store, transport, self.retrier)
            self._send_outbox(transport, uploader, credentials, report)
            self._report_outbox(transport)
            self._pull_status(transport, report)
            report.conflicts_decided = settling.ask_conflicts(self.store, transport, self.retrier)
            self._update_catalog(transport, report)
        except KnownError as exc:  # a SyncError, or the store's own (a full disk)
            self._finish_stats(uploader, report, started)
            settled = wipe.settle(self.store, transport, credentials, exc) if isinstance(exc, SyncError) else exc
            transient = isinstance(settled, SyncError) and settled.transient
            phase = getattr(settled, "phase", "idle" if transient else "error")
            self.tracker.update(phase=phase, running=False, last_error=settled.message, message=settled.message)
            if settled is exc:
                raise
            raise settled from exc
        finally:
            self._remember_link(transport)
        self._finish_stats(uploader, report, started)
        finished = _now()
        settings.put("sync.last_success", finished.isoformat(timespec="seconds"))
        self.tracker.update(
            phase="idle", running=False, last_error="", last_success_at=finished, message=report.to_text()
        )
        log.info(
            "sync run: %d sent, %d accepted, %d invalid, %d conflicts, %d failed, %d status changes",
            report.sent,
            report.accepted + report.already_accepted,
            report.invalid,
            report.conflicts,
            report.failed,
            report.status_applied,
        )
        return report

    # -- set-up ----------------------------------------------------------------------------------------
    def _transport(self, credentials: Credentials) -> Transport:
        if self.transport is None:
            link: dict[str, float] = settings.get("sync.link")
            self.transport = Transport(
                credentials.server_url,
                credentials.secret,
                timeouts=self.timeouts,
                link=LinkEstimate(float(link.get("throughput", 0.0))),
            )
        elif not self.transport.token:
            self.transport.token = credentials.secret
        self.transport.bucket.set_rate(self._cap_kbps * 1000 / 8)
        return self.transport

    @staticmethod
    def _report_outbox(transport: Transport) -> None:
        """Tell the Dinas, with the next requests, how much still waits here (its outposts page shows it)."""
        transport.report_headers[OUTBOX_HEADER] = outbox_header(*outbox.waiting())

    def _remember_link(self, transport: Transport) -> None:
        if transport.link.throughput > 0:
            try:
                settings.put("sync.link", {"throughput": transport.link.throughput, "at": _now().isoformat()})
            except KnownError:
                log.warning("could not store the measured link speed")

    @staticmethod
    def _finish_stats(uploader: Uploader, report: SyncReport, started: float) -> None:
        report.documents_uploaded = uploader.stats.documents
        report.bytes_uploaded = uploader.stats.bytes_sent
        report.bytes_resent = uploader.stats.bytes_resent
        report.interruptions = uploader.stats.interruptions
        report.seconds = round(time.monotonic() - started, 3)

    # -- outbox ----------------------------------------------------------------------------------------
    def _send_outbox(
        self, transport: Transport, uploader: Uploader, credentials: Credentials, report: SyncReport
    ) -> None:
        items = outbox.sendable()
        self.tracker.set_items(
            [
                ItemProgress(
                    item_id=i.item_id,
                    client_id=i.application.client_id,
                    revision=i.revision,
                    service_code=i.application.service_code,
                    attempts=i.attempts,
                    last_error=i.last_error,
                )
                for i in items
            ]
        )
        signer = Signer(credentials.signing_key) if credentials.signing_key else None
        for start in range(0, len(items), self.batch_size):
            self.check_cancel()
            self._send_batch(transport, uploader, items[start : start + self.batch_size], signer, report)

    def _send_batch(
        self,
        transport: Transport,
        uploader: Uploader,
        items: Sequence[OutboxItem],
        signer: Signer | None,
        report: SyncReport,
    ) -> None:
        packages: list[ApplicationPackage] = []
        for item in items:
            try:
                packages.append(build_package(item, signer))
            except (ValidationError, ValueError, KeyError) as exc:
                self._item_failed(item.item_id, "Data permohonan tidak dapat dikemas untuk dikirim.", report, exc)
        if not packages:
            return
        ids = [p.item_id for p in packages]
        outbox.mark_sending(self.store, ids)
        try:
            packages = self._upload_documents(transport, uploader, packages, report)
            if packages:
                self._commit(transport, uploader, packages, report)
        except SyncInterruptedError:
            raise
        except SyncError as exc:
            pending = [i for i in ids if self._item_phase(i) not in ("acknowledged", "invalid", "conflict", "failed")]
            outbox.mark_failed(self.store, pending, exc.message)
            for item_id in pending:
                self.tracker.item(item_id, phase="failed", last_error=exc.message)
            raise

    def _upload_documents(
        self,
        transport: Transport,
        uploader: Uploader,
        packages: list[ApplicationPackage],
        report: SyncReport,
    ) -> list[ApplicationPackage]:
        """Upload every document the server lacks; return the packages whose documents are all there."""
        sizes: dict[str, int] = {}
        owners: dict[str, list[str]] = {}
        for package in packages:
            refs = package.document_refs()
            for sha, size in refs:
                sizes[sha] = size
                owners.setdefault(sha, []).append(package.item_id)
            self.tracker.item(package.item_id, bytes_total=sum(size for _, size in refs), bytes_done=0)
        if not sizes:
            return packages
        query = DocumentQuery(documents=[DocumentRef(sha256=s, size=n) for s, n in sizes.items()])
        states = self.retrier.call(lambda: transport.post("/v1/documents/status", query, DocumentStates))
        positions = {s.sha256: (s.size if s.complete else s.offset) for s in states.documents}
        complete = {s.sha256 for s in states.documents if s.complete}

        def moved(sha: str, position: int) -> None:
            positions[sha] = position
            for item_id in owners.get(sha, ()):
                self._item_bytes(item_id, packages, positions)
            self.tracker.update(
                throttle=True, throughput=transport.link.throughput, chunk_size=transport.link.chunk_size()
            )

        for package in packages:
            self._item_bytes(package.item_id, packages, positions)
        todo = [(sha, size) for sha, size in sizes.items() if sha not in complete]
        self.tracker.update(phase="uploading", message="Mengunggah dokumen")
        for package in packages:
            if any(sha not in complete for sha, _ in package.document_refs()):
                self.tracker.item(package.item_id, phase="uploading")
        failures = self._upload_all(uploader, todo, positions, moved)
        broken: set[str] = set()
        for sha, exc in failures.items():
            self._documents_failed(owners[sha], broken, exc, report)
        return [p for p in packages if p.item_id not in broken]

    def _upload_all(
        self,
        uploader: Uploader,
        todo: list[tuple[str, int]],
        positions: dict[str, int],
        moved: Callable[[str, int], None],
    ) -> dict[str, KnownError]:
        """Upload documents over `parallel_uploads` streams (one stream's round trip is the other's send time).

        Returns the documents that failed for a reason of their own (a damaged local scan, a refused
        document); a link or server fault stops every stream and is raised.
        """
        failures: dict[str, KnownError] = {}
        raised: list[BaseException] = []

        def one(sha: str, size: int) -> None:
            if self._abort.is_set():
                return
            try:
                uploader.upload(sha, size, positions.get(sha, 0), moved)
            except DocumentError as exc:
                failures[sha] = exc
            except SyncError as exc:
                if not (isinstance(exc, SyncInterruptedError) and raised):
                    raised.append(exc)
                self._abort.set()
            except KnownError as exc:  # the local scan file is missing or damaged
                failures[sha] = exc
            except BaseException as exc:
                raised.append(exc)
                self._abort.set()

        self._abort.clear()
        if self.parallel_uploads <= 1 or len(todo) <= 1:
            for sha, size in todo:
                one(sha, size)
        else:
            with ThreadPoolExecutor(self.parallel_uploads, thread_name_prefix="loket-upload") as pool:
                list(pool.map(lambda job: one(*job), todo))
        if raised:
            raise raised[0]
        return failures

    def _check_upload(self) -> None:
        """Between two chunks: stop for a pause/shutdown, or because another stream failed."""
        self.check_cancel()
        if self._abort.is_set():
            raise SyncInterruptedError()

    def _documents_failed(self, item_ids: Sequence[str], broken: set[str], exc: KnownError, report: SyncReport) -> None:
        for item_id in item_ids:
            if item_id not in broken:
                broken.add(item_id)
                self._item_failed(item_id, exc.message, report, exc)

    def _item_bytes(self, item_id: str, packages: list[ApplicationPackage], positions: dict[str, int]) -> None:
        for package in packages:
            if package.item_id == item_id:
                done = sum(min(positions.get(sha, 0), size) for sha, size in package.document_refs())
                self.tracker.item(item_id, throttle=True, bytes_done=done)
                return

    def _commit(
        self, transport: Transport, uploader: Uploader, packages: list[ApplicationPackage], report: SyncReport
    ) -> None:
        self.tracker.update(phase="committing", message="Mengirim permohonan")
        for package in packages:
            self.tracker.item(package.item_id, phase="committing")
        request = BatchRequest(batch_id=str(uuid.uuid4()), device_time=_now(), items=packages)
        for round_ in range(1, COMMIT_ROUNDS + 1):
            self.check_cancel()
            try:
                response = self.retrier.call(lambda: transport.post("/v1/batches", request, BatchResponse))
                break
            except RemoteError as exc:
                if exc.code != "documents_missing" or round_ == COMMIT_ROUNDS or not isinstance(exc.payload, dict):
                    raise
                missing = set(exc.payload.get("missing") or [])
                log.info("server lacks %d documents at commit; uploading them again", len(missing))
                sizes = {sha: size for p in packages for sha, size in p.document_refs() if sha in missing}
                for sha, size in sizes.items():
                    uploader.upload(sha, size, uploader.offset(sha, size).offset)
        else:  # pragma: no cover - the loop always breaks or raises
            raise AssertionError("unreachable")
        report.sent += len(packages)
        for result in response.results:
            self._record(result, report)

    def _record(self, result: ItemResult, report: SyncReport) -> None:
        answer = result.model_dump(mode="json")
        if result.outcome in ("accepted", "already_accepted"):
            outbox.mark_acknowledged(self.store, result.item_id, answer, result.registration_number, accepted=True)
            if result.outcome == "accepted":
                report.accepted += 1
            else:
                report.already_accepted += 1
            self.tracker.item(
                result.item_id, phase="acknowledged", registration_number=result.registration_number, last_error=""
            )
        elif result.outcome == "invalid":
            outbox.mark_acknowledged(self.store, result.item_id, answer, None, accepted=False)
            report.invalid += 1
            self.tracker.item(result.item_id, phase="invalid", last_error=result.message)
        else:
            outbox.mark_conflict(self.store, result.item_id, result.message, answer)
            report.conflicts += 1
            self.tracker.item(result.item_id, phase="conflict", last_error=result.message)

    def _item_failed(self, item_id: str, message: str, report: SyncReport, exc: BaseException) -> None:
        log.warning("outbox item %s not sent: %s", item_id, type(exc).__name__)
        outbox.mark_failed(self.store, [item_id], message)
        report.failed += 1
        self.tracker.item(item_id, phase="failed", last_error=message)

    def _item_phase(self, item_id: str) -> str:
        for entry in self.tracker.snapshot().items:
            if entry.item_id == item_id:
                return entry.phase
        return ""

    # -- status and catalogue --------------------------------------------------------------------------
    def _pull_status(self, transport: Transport, report: SyncReport) -> None:
        self.tracker.update(phase="pulling", message="Menerima status dari Dinas")
        while True:
            self.check_cancel()
            query: dict[str, str | int] = {"after": status.cursor(), "limit": FEED_PAGE}

            def page(query: dict[str, str | int] = query) -> StatusFeed:
                return transport.get("/v1/status", StatusFeed, query)

            feed = self.retrier.call(page)
            if feed.changes:
                applied = status.apply_changes(
                    self.store,
                    [
                        DinasChange(
                            cursor=c.cursor,
                            client_id=c.client_id,
                            revision=c.revision,
                            state=c.state,
                            registration_number=c.registration_number,
                            reasons=tuple(r.model_dump(exclude_defaults=True) for r in c.reasons),
                            note=c.note,
                            at=c.at.astimezone(dt.UTC).replace(tzinfo=None) if c.at.tzinfo else c.at,
                        )
                        for c in feed.changes
                    ],
                )
                report.status_applied += applied.applied
            if not feed.more or not feed.changes:
                return

    def _update_catalog(self, transport: Transport, report: SyncReport) -> None:
        now = _now()
        if self._catalog_checked is not None and now - self._catalog_checked < CATALOG_CHECK_EVERY:
            return
        info = self.retrier.call(lambda: transport.get("/v1/reference", ReferenceInfo))
        if needs_update(self.store, info):
            self.tracker.update(phase="updating_catalog", message="Memperbarui katalog layanan")
            try:
                update = self.retrier.call(lambda: update_reference(self.store, transport, info))
            except CatalogRefusedError as exc:  # tampered or broken: the previous version stays in use
                report.catalog_error = exc.message
            else:
                report.catalog_updated = True
                report.catalog_version = update.version
                report.catalog_changes = update.changes
        self._catalog_checked = now
