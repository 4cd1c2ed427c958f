"""The intake server's HTTP API (FastAPI): devices sync through /v1/*, Dinas staff use /v1/backoffice/*."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Annotated

import peewee
from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send

from app.store.models import utcnow
from app.version import version
from sync.protocol import (
    MAX_CHUNK_SIZE,
    MAX_DOCUMENT_SIZE,
    OUTBOX_HEADER,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    SUPPORTED_PROTOCOLS,
    ApplicationStatus,
    BackofficeApplication,
    BackofficeApplicationDetail,
    BackofficeApplications,
    BatchRequest,
    BatchResponse,
    CancellationAnswer,
    CancellationRequest,
    ConflictDecision,
    ConflictInfo,
    Conflicts,
    DeviceInfo,
    DocumentQuery,
    DocumentStates,
    EnrolRequest,
    ErrorResponse,
    Health,
    ReferenceInfo,
    StatusChange,
    StatusFeed,
    UploadState,
    WipeAcknowledgement,
    WorkflowRequest,
    parse_outbox_header,
)
from sync.server import auth, limits, orders, settling, tls, updates, updates_web, uploads, workflow
from sync.server.backoffice import web as backoffice_web
from sync.server.db import bind, open_database
from sync.server.errors import NotFoundError, ServerError, TooLargeError
from sync.server.feed import changes_after, to_change
from sync.server.intake import Intake
from sync.server.keys import read_package
from sync.server.models import Application, Device, Event, Outpost, Staff, Submission, database_proxy
from sync.server.models import Conflict as ParkedConflict
from sync.server.reference import Reference, ReferenceShelf, published_key
from sync.server.storage import is_s3, open_storage

log = logging.getLogger("loket.sync.server")

SHA256_PATTERN = r"^[0-9a-f]{64}$"
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
ENV_DATABASE = "LOKET_SERVER_DATABASE"
ENV_STORAGE = "LOKET_SERVER_STORAGE"
ENV_REFERENCE = "LOKET_SERVER_REFERENCE"
ENV_API_DOCS = "LOKET_SERVER_API_DOCS"
# With `--storage s3://...`: the server's own folder (key file beside it, render cache, reference versions);
# default $LOKET_SERVER_HOME/documents, as for the folder backend.
ENV_LOCAL_DIR = "LOKET_SERVER_LOCAL_DIR"


def _errors(*codes: int) -> dict[int | str, dict[str, object]]:
    return {code: {"model": ErrorResponse} for code in (*codes, 422)}


DEVICE_ERRORS = _errors(400, 401, 503)


@dataclass(frozen=True)
class ServerConfig:
    """Where the server keeps its data; whether it serves its API docs; the TLS key pins it announces."""

    database_url: str
    storage_dir: Path  # the documents folder; with object storage, the server's own folder (key, caches)
    reference_dir: Path | None = None
    api_docs: bool = False  # /docs, /redoc and /openapi.json (`serve --api-docs`)
    tls_pins: tuple[str, ...] = field(default=())
    storage_url: str = ""  # `s3://bucket/prefix`: documents in object storage; empty: in storage_dir

    @classmethod
    def from_env(cls) -> ServerConfig:
        """Read the configuration `loket-server serve` passes to its workers."""
        reference = os.environ.get(ENV_REFERENCE)
        storage = os.environ[ENV_STORAGE]
        return cls(
            os.environ[ENV_DATABASE],
            _local_dir() if is_s3(storage) else Path(storage),
            Path(reference) if reference else None,
            api_docs=os.environ.get(ENV_API_DOCS) == "1",
            tls_pins=tls.pins_from_env(),
            storage_url=storage if is_s3(storage) else "",
        )


def _local_dir() -> Path:
    if os.environ.get(ENV_LOCAL_DIR):
        return Path(os.environ[ENV_LOCAL_DIR])
    if os.environ.get("LOKET_SERVER_HOME"):
        return Path(os.environ["LOKET_SERVER_HOME"]) / "documents"
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "loket-server" / "documents"


def app_from_env() -> FastAPI:
    """The uvicorn factory used by `loket-server serve` (one app per worker process)."""
    return create_app(ServerConfig.from_env())


device_bearer = HTTPBearer(auto_error=False, scheme_name="DeviceToken", description="Token perangkat pos pelayanan")
staff_bearer = HTTPBearer(auto_error=False, scheme_name="StaffToken", description="Token staf Dinas")


def current_device(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(device_bearer)],
    protocol: Annotated[int | None, Header(alias=PROTOCOL_HEADER, ge=0, le=1000)] = None,
    outbox: Annotated[str | None, Header(alias=OUTBOX_HEADER, max_length=64)] = None,
) -> Device:
    """The enrolled device making the request (401 otherwise); refuses an unsupported protocol version."""
    if protocol is not None:
        _check_protocol(protocol)
    reported = parse_outbox_header(outbox) if outbox else None
    return auth.device_for_token(credentials.credentials if credentials else "", reported)


def _check_protocol(protocol: int) -> None:
    if protocol not in SUPPORTED_PROTOCOLS:
        raise ServerError(
            f"Versi protokol {protocol} tidak didukung server ini. Perbarui Loket.",
            {"supported": list(SUPPORTED_PROTOCOLS)},
            code="protocol_unsupported",
        )


def current_staff(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(staff_bearer)]) -> Staff:
    """The Dinas staff user making the request (401 otherwise)."""
    return auth.staff_for_token(credentials.credentials if credentials else "")


DeviceDep = Annotated[Device, Depends(current_device)]
StaffDep = Annotated[Staff, Depends(current_staff)]
Sha256Param = Annotated[str, PathParam(pattern=SHA256_PATTERN)]


def _error(
    status: int, code: str, message: str, detail: object = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = ErrorResponse.model_validate({"error": {"code": code, "message": message, "detail": detail}})
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


# Starlette's and FastAPI's own answers are English ("Not Found", "There was an error parsing the body"):
# every error leaves in Bahasa Indonesia, with a stable code.
HTTP_MESSAGES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Isi permintaan tidak dapat dibaca."),
    401: ("unauthorized", "Permintaan ini memerlukan token yang sah."),
    403: ("forbidden", "Permintaan ini tidak diizinkan."),
    404: ("http_404", "Alamat ini tidak ada di server Dinas."),
    405: ("method_not_allowed", "Metode HTTP ini tidak diizinkan untuk alamat ini."),
    406: ("not_acceptable", "Format jawaban yang diminta tidak tersedia."),
    413: ("too_large", "Permintaan terlalu besar."),
    415: ("unsupported_media_type", "Jenis isi permintaan tidak didukung."),
    429: ("rate_limited", "Terlalu banyak permintaan; coba lagi nanti."),
}
ENGLISH_DETAILS = {status.phrase for status in HTTPStatus} | {"There was an error parsing the body"}

# pydantic's messages by error type; {name} takes the error's context (a limit, a pattern).
VALIDATION_MESSAGES: dict[str, str] = {
    "missing": "wajib diisi",
    "extra_forbidden": "kolom ini tidak dikenal",
    "json_invalid": "JSON tidak sah",
    "json_type": "harus berupa JSON",
    "string_type": "harus berupa teks",
    "string_too_short": "terlalu pendek (paling sedikit {min_length} karakter)",
    "string_too_long": "terlalu panjang (paling banyak {max_length} karakter)",
    "string_pattern_mismatch": "tidak sesuai pola {pattern}",
    "string_unicode": "harus teks Unicode yang sah",
    "int_type": "harus berupa bilangan bulat",
    "int_parsing": "harus berupa bilangan bulat",
    "int_from_float": "harus berupa bilangan bulat",
    "float_type": "harus berupa angka",
    "float_parsing": "harus berupa angka",
    "bool_type": "harus true atau false",
    "bool_parsing": "harus true atau false",
    "greater_than": "harus lebih dari {gt}",
    "greater_than_equal": "paling kecil {ge}",
    "less_than": "harus kurang dari {lt}",
    "less_than_equal": "paling besar {le}",
    "too_short": "terlalu sedikit (paling sedikit {min_length})",
    "too_long": "terlalu banyak (paling banyak {max_length})",
    "list_type": "harus berupa daftar (array JSON)",
    "dict_type": "harus berupa objek JSON",
    "model_type": "harus berupa objek JSON",
    "model_attributes_type": "harus berupa objek JSON",
    "literal_error": "harus salah satu dari: {expected}",
    "enum": "harus salah satu dari: {expected}",
    "uuid_type": "harus berupa UUID",
    "uuid_parsing": "harus berupa UUID",
    "datetime_type": "harus tanggal dan jam ISO 8601",
    "datetime_parsing": "harus tanggal dan jam ISO 8601",
    "datetime_from_date_parsing": "harus tanggal dan jam ISO 8601",
    "date_type": "harus tanggal ISO 8601 (TTTT-BB-HH)",
    "date_parsing": "harus tanggal ISO 8601 (TTTT-BB-HH)",
    "date_from_datetime_parsing": "harus tanggal ISO 8601 (TTTT-BB-HH)",
    "bytes_type": "harus berupa data biner",
    "value_error": "nilai tidak sah",
    "assertion_error": "nilai tidak sah",
}


def validation_message(error_type: str, context: object) -> str:
    """pydantic's complaint about one value, in Bahasa Indonesia."""
    template = VALIDATION_MESSAGES.get(error_type, "nilai tidak sah")
    try:
        return template.format(**context) if isinstance(context, dict) else template.format()
    except (KeyError, IndexError, ValueError):
        return template.split(" (")[0].split(" {")[0]


def http_message(status: int, detail: object) -> tuple[str, str]:
    """The code and Bahasa Indonesia message of a Starlette HTTPException (its English default replaced)."""
    code, message = HTTP_MESSAGES.get(status, (f"http_{status}", f"Permintaan tidak dapat dipenuhi (HTTP {status})."))
    if isinstance(detail, str) and detail and detail not in ENGLISH_DETAILS:
        message = detail  # our own (e.g. the streamed body limit's), already in Bahasa Indonesia
    return code, message


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    request = Request(scope, receive)
    message = f"Permintaan lebih dari {limit} bita."
    if backoffice_web.is_page(request):
        response: Response = backoffice_web.html_error(request, 413, "Permintaan terlalu besar", message)
        response.headers["Connection"] = "close"
    else:
        response = _error(413, "too_large", message, headers={"Connection": "close"})
    await response(scope, receive, send)


async def _rate_limited(scope: Scope, receive: Receive, send: Send, rule: limits.Rule, retry_after: int) -> None:
    request = Request(scope, receive)
    minutes = max(1, (retry_after + 59) // 60)
    what = "pendaftaran perangkat" if rule.name == "enrol" else "percobaan masuk"
    message = f"Terlalu banyak {what} dari alamat ini. Coba lagi dalam {minutes} menit."
    if backoffice_web.is_page(request):
        response: Response = backoffice_web.html_error(request, 429, "Terlalu banyak percobaan", message)
    else:
        response = _error(429, "rate_limited", message, {"retry_after": retry_after})
    response.headers["Retry-After"] = str(retry_after)
    await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """Every error leaves as an ErrorResponse: code + Bahasa Indonesia message."""

    @app.exception_handler(ServerError)
    async def known(request: Request, exc: ServerError) -> Response:
        if backoffice_web.is_page(request):
            return backoffice_web.html_error(request, exc.status, "Permintaan tidak dapat dipenuhi", exc.message)
        return _error(exc.status, exc.code, exc.message, exc.payload)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [
            {
                "loc": [str(part) for part in error.get("loc", ())],
                "msg": validation_message(str(error.get("type", "")), error.get("ctx")),
                "type": str(error.get("type", "")),
            }
            for error in exc.errors()
        ]
        return _error(422, "invalid_request", "Permintaan tidak sesuai format protokol.", detail[:50])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code, message = http_message(exc.status_code, exc.detail)
        if backoffice_web.is_page(request):
            if exc.status_code == 404:
                return backoffice_web.html_error(
                    request, 404, "Halaman tidak ditemukan", "Alamat ini tidak ada di back office. Pilih dari menu."
                )
            page = backoffice_web.html_error(request, exc.status_code, "Permintaan tidak dapat dipenuhi", message)
            page.headers.update(exc.headers or {})
            return page
        return _error(exc.status_code, code, message, headers=exc.headers)

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> Response:
        # Starlette re-raises it afterwards, so the traceback still reaches the server's log.
        message = "Terjadi kesalahan di server Dinas. Tidak ada yang hilang; coba lagi nanti dan beri tahu TI Dinas."
        if backoffice_web.is_page(request):
            return backoffice_web.html_error(request, 500, "Kesalahan server", message)
        return _error(500, "internal_error", message)

    @app.exception_handler(peewee.OperationalError)
    @app.exception_handler(peewee.InterfaceError)
    async def database_down(request: Request, exc: Exception) -> Response:
        log.warning("database unavailable: %s", type(exc).__name__)
        try:
            database_proxy.obj.close()
        except Exception:  # the connection is already broken; the next request reconnects
            log.debug("closing a broken database connection failed")
        if backoffice_web.is_page(request):
            return backoffice_web.html_error(
                request,
                503,
                "Basis data tidak dapat dihubungi",
                "Server Dinas sedang tidak dapat menghubungi basis datanya. Tidak ada yang hilang; coba lagi dalam "
                "beberapa menit, dan hubungi TI Dinas bila berlanjut.",
            )
        return _error(503, "unavailable", "Basis data server sedang tidak dapat dihubungi. Coba lagi nanti.")


def create_app(config: ServerConfig) -> FastAPI:
    """The API over one database, one document storage and one reference version."""
    bind(open_database(config.database_url))
    storage = open_storage(config.storage_url or str(config.storage_dir), config.storage_dir)
    orders.configure(config.storage_dir)
    # Every version packages may name; the back office shows the newest published when the process started.
    shelf = ReferenceShelf(Reference.load(config.reference_dir), config.storage_dir / "reference")
    reference = shelf.newest()
    intake = Intake(storage, shelf)
    limits.create_table()
    app = FastAPI(
        title="Loket — server penerimaan Dinas Dukcapil",
        version=version(),
        description="Protokol sinkronisasi pos pelayanan Loket dengan Dinas. Lihat docs/sync-protocol.md.",
        # Off unless `serve --api-docs`: the schema maps every endpoint for whoever asks.
        openapi_url="/openapi.json" if config.api_docs else None,
        docs_url="/docs" if config.api_docs else None,
        redoc_url="/redoc" if config.api_docs else None,
    )
    app.state.tls_pins = config.tls_pins  # the enrolment slip prints the first
    install_error_handlers(app)

    app.add_middleware(limits.RateLimit, respond=_rate_limited)
    app.add_middleware(limits.BodyLimit, limit_for=limits.body_limit, respond=_too_large)
    app.add_middleware(tls.AnnouncePins, pins=config.tls_pins)
    backoffice_web.install(app, storage, reference, config.storage_dir / "render-cache")
    updates_web.install(app, updates.served_dir(), current_device)  # `serve --updates DIR`

    # -- public ----------------------------------------------------------------------------------------
    @app.get("/v1/health", response_model=Health, tags=["umum"])
    def health() -> Health:
        """The server is up; which protocol versions it speaks."""
        return Health(
            server_version=version(),
            protocol=PROTOCOL_VERSION,
            supported_protocols=list(SUPPORTED_PROTOCOLS),
            time=utcnow(),
        )

    @app.post("/v1/enrol", response_model=DeviceInfo, responses=_errors(401, 409, 503), tags=["perangkat"])
    def enrol(body: EnrolRequest) -> DeviceInfo:
        """Register a device with a one-time code; the same request again is a success."""
        _check_protocol(body.protocol)
        device = auth.enrol(body)
        info = _device_info(Device.select(Device, Outpost).join(Outpost).where(Device.id == device.id).get())
        return info.model_copy(update={"order_key": orders.public_key(config.storage_dir)})

    # -- device ----------------------------------------------------------------------------------------
    @app.get("/v1/device", response_model=DeviceInfo, responses=DEVICE_ERRORS, tags=["perangkat"])
    def device_info(device: DeviceDep) -> DeviceInfo:
        """The calling device and its outpost (and the Dinas' order key)."""
        return _device_info(device).model_copy(update={"order_key": orders.public_key(config.storage_dir)})

    @app.post("/v1/device/wiped", responses=_errors(401, 404, 503), tags=["perangkat"])
    def device_wiped(
        body: WipeAcknowledgement,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(device_bearer)],
    ) -> dict[str, bool]:
        """A device ordered to wipe itself acknowledges that its keys are destroyed (journaled once)."""
        device = auth.device_for_token(credentials.credentials if credentials else "", wiped_ok=True)
        orders.acknowledge(device, body)
        return {"ok": True}

    @app.post(
        "/v1/cancellations",
        response_model=CancellationAnswer,
        responses=_errors(400, 401, 409, 503),
        tags=["permohonan"],
    )
    def cancellation(body: CancellationRequest, device: DeviceDep) -> CancellationAnswer:
        """Ask the Dinas to cancel an application: cancelled, or too late (signed); a repeat gets the same."""
        return settling.request_cancellation(device, body)

    @app.get(
        "/v1/conflicts/{item_id}",
        response_model=ConflictDecision,
        responses=_errors(400, 401, 404, 503),
        tags=["permohonan"],
    )
    def conflict_decision(
        item_id: Annotated[str, PathParam(pattern=UUID_PATTERN)], device: DeviceDep
    ) -> ConflictDecision:
        """A package of the outpost parked as a conflict: the Dinas' decision, once taken."""
        return settling.conflict_decision(device, item_id)

    @app.post("/v1/documents/status", response_model=DocumentStates, responses=DEVICE_ERRORS, tags=["dokumen"])
    def documents_status(body: DocumentQuery, device: DeviceDep) -> DocumentStates:
        """How much of each document the server holds for this outpost (resume each upload at its offset)."""
        return DocumentStates(documents=uploads.states(storage, device, [(r.sha256, r.size) for r in body.documents]))

    @app.get("/v1/documents/{sha256}", response_model=UploadState, responses=DEVICE_ERRORS, tags=["dokumen"])
    def document_status(
        sha256: Sha256Param,
        device: DeviceDep,
        size: Annotated[int, Query(ge=0, le=MAX_DOCUMENT_SIZE)] = 0,
    ) -> UploadState:
        """How much of one document the server holds for this outpost."""
        return _upload_state(device, sha256, size)

    @app.put(
        "/v1/documents/{sha256}",
        response_model=UploadState,
        responses=_errors(400, 401, 409, 413, 503),
        tags=["dokumen"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    )
    async def upload_chunk(
        request: Request,
        sha256: Sha256Param,
        offset: Annotated[int, Query(ge=0, le=MAX_DOCUMENT_SIZE)],
        size: Annotated[int, Query(ge=1, le=MAX_DOCUMENT_SIZE)],
        device: DeviceDep,
    ) -> UploadState:
        """Append a chunk at `offset` (409 offset_mismatch tells the right offset); verified at the end."""
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_CHUNK_SIZE:
            raise TooLargeError(f"Potongan dokumen paling besar {MAX_CHUNK_SIZE} bita.")
        try:
            data = await request.body()
        except ClientDisconnect:
            # The link dropped mid-chunk: nothing is appended; the client asks the offset again.
            return _upload_state(device, sha256, size)
        if len(data) > MAX_CHUNK_SIZE:
            raise TooLargeError(f"Potongan dokumen paling besar {MAX_CHUNK_SIZE} bita.")
        if data:
            return await run_in_threadpool(uploads.append, storage, device, sha256, size, offset, data)
        return await run_in_threadpool(_upload_state, device, sha256, size)

    @app.post(
        "/v1/batches", response_model=BatchResponse, responses=_errors(400, 401, 403, 409, 503), tags=["permohonan"]
    )
    def commit_batch(body: BatchRequest, device: DeviceDep) -> BatchResponse:
        """Commit submitted revisions atomically, once every document they name is present."""
        return intake.commit(device, body)

    @app.get("/v1/status", response_model=StatusFeed, responses=DEVICE_ERRORS, tags=["status"])
    def status_feed(
        device: DeviceDep,
        after: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> StatusFeed:
        """The outpost's status changes after a cursor, oldest first."""
        return changes_after(device.outpost_id, after, limit)

    @app.get(
        "/v1/applications/{client_id}",
        response_model=ApplicationStatus,
        responses=_errors(400, 401, 404, 503),
        tags=["permohonan"],
    )
    def application_status(
        client_id: Annotated[str, PathParam(pattern=UUID_PATTERN)], device: DeviceDep
    ) -> ApplicationStatus:
        """Where one of the outpost's applications stands (404 for another outpost's)."""
        application = Application.get_or_none(
            (Application.client_id == client_id) & (Application.outpost == device.outpost_id)
        )
        if application is None:
            raise NotFoundError("Permohonan tidak ditemukan untuk pos pelayanan ini.")
        return ApplicationStatus(
            client_id=application.client_id,
            revision=application.revision,
            state=application.state,
            registration_number=application.registration_number,
            service_code=application.service_code,
            updated_at=application.updated_at,
        )

    @app.get("/v1/reference", response_model=ReferenceInfo, responses=DEVICE_ERRORS, tags=["referensi"])
    def reference_info(_device: DeviceDep) -> ReferenceInfo:
        """The newest catalogue version (signed when `sequence` > 0) outposts use for new applications."""
        newest = shelf.newest()
        return ReferenceInfo(
            catalog_version=newest.catalog.version,
            forms=newest.form_keys,
            bundle_sha256=newest.bundle_sha256,
            bundle_size=len(newest.bundle),
            sequence=newest.sequence,
            published_at=newest.published_at,
        )

    @app.get(
        "/v1/reference/bundle",
        responses={200: {"content": {"application/zip": {}}}, **DEVICE_ERRORS},
        response_class=Response,
        tags=["referensi"],
    )
    def reference_bundle(_device: DeviceDep) -> Response:
        """The newest catalogue and form schemas as one zip (verify it against bundle_sha256)."""
        return Response(shelf.newest().bundle, media_type="application/zip")

    # -- back office -----------------------------------------------------------------------------------
    @app.get(
        "/v1/backoffice/applications",
        response_model=BackofficeApplications,
        responses=_errors(401, 503),
        tags=["back office"],
    )
    def list_applications(
        _staff: StaffDep,
        state: Annotated[str | None, Query(max_length=16, pattern=r"^[a-z_]+$")] = None,
        outpost: Annotated[str | None, Query(max_length=20)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    ) -> BackofficeApplications:
        """Applications, newest first, optionally by state or outpost code."""
        return BackofficeApplications(applications=applications_page(state, outpost, limit, offset))

    @app.get(
        "/v1/backoffice/applications/{key}",
        response_model=BackofficeApplicationDetail,
        responses=_errors(401, 404, 503),
        tags=["back office"],
    )
    def application_detail(
        key: Annotated[str, PathParam(max_length=40)], _staff: StaffDep
    ) -> BackofficeApplicationDetail:
        """One application: its latest package and its history."""
        application = workflow.find_application(key)
        latest = (
            Submission.select()
            .where(Submission.application == application)
            .order_by(Submission.revision.desc())
            .first()
        )
        history = Event.select().where(Event.application == application).order_by(Event.seq)
        return BackofficeApplicationDetail(
            application=_backoffice(application),
            package=json.loads(read_package(latest)) if latest is not None else {},
            history=[to_change(e) for e in history],
        )

    @app.post(
        "/v1/backoffice/applications/{key}/actions",
        response_model=StatusChange,
        responses=_errors(400, 401, 404, 409, 503),
        tags=["back office"],
    )
    def workflow_action(
        key: Annotated[str, PathParam(max_length=40)], body: WorkflowRequest, staff: StaffDep
    ) -> StatusChange:
        """One workflow step (verify ... handed_over); return and reject need reasons."""
        event = workflow.act(key, body.action, f"staf:{staff.username}", body.reasons, body.note, staff=staff)
        return to_change(event)

    @app.get("/v1/backoffice/conflicts", response_model=Conflicts, responses=_errors(401, 503), tags=["back office"])
    def list_conflicts(_staff: StaffDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> Conflicts:
        """Parked conflicts, newest first."""
        return Conflicts(conflicts=conflicts_page(limit))

    @app.get(
        "/v1/backoffice/documents/{sha256}",
        responses={200: {"content": {"application/octet-stream": {}}}, **_errors(401, 404, 503)},
        response_class=Response,
        tags=["back office"],
    )
    def document(sha256: Sha256Param, _staff: StaffDep) -> Response:
        """A verified document's bytes."""
        if not storage.complete(sha256):
            raise NotFoundError("Dokumen tidak ada di server.")
        with storage.open(sha256) as handle:
            return Response(handle.read(), media_type="application/octet-stream")

    def _upload_state(device: Device, sha256: str, size: int) -> UploadState:
        return uploads.state(storage, device, sha256, size)

    return app


def _device_info(device: Device) -> DeviceInfo:
    return DeviceInfo(
        device_id=device.device_id,
        device_name=device.name,
        outpost_code=device.outpost.code,
        outpost_name=device.outpost.name,
        kabupaten_code=device.outpost.kabupaten,
        reference_key=published_key(),
    )


def _backoffice(application: Application) -> BackofficeApplication:
    return BackofficeApplication(
        registration_number=application.registration_number,
        client_id=application.client_id,
        outpost_code=application.outpost.code,
        service_code=application.service_code,
        revision=application.revision,
        state=application.state,
        applicant_name=application.applicant_name,
        received_at=application.received_at,
        updated_at=application.updated_at,
    )


def applications_page(state: str | None, outpost: str | None, limit: int, offset: int) -> list[BackofficeApplication]:
    """Applications for staff, newest first (used by the API and the CLI)."""
    query = Application.select(Application, Outpost).join(Outpost)
    if state:
        query = query.where(Application.state == state)
    if outpost:
        query = query.where(Outpost.code == outpost)
    rows = query.order_by(Application.updated_at.desc(), Application.id.desc()).limit(limit).offset(offset)
    return [_backoffice(a) for a in rows]


def conflicts_page(limit: int) -> list[ConflictInfo]:
    """Parked conflicts, newest first."""
    rows = ParkedConflict.select(ParkedConflict, Outpost).join(Outpost).order_by(ParkedConflict.id.desc()).limit(limit)
    return [
        ConflictInfo(
            id=c.id,
            item_id=c.item_id,
            client_id=c.client_id,
            revision=c.revision,
            outpost_code=c.outpost.code,
            reason=c.reason,
            created_at=c.created_at,
            resolved=c.resolved_at is not None,
        )
        for c in rows
    ]
