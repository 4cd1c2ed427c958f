"""The sync wire format shared by the outpost client and the Dinas server (pydantic schemas, version 1).

Every body is JSON except document chunks (raw bytes). Ids are made by the client: the application's
`client_id` (UUID), its `revision`, the outbox `item_id` (UUID) of one submitted revision and the
`batch_id` (UUID) of one commit; a document is named by the SHA-256 of its bytes. Same id + same
content is a success again; same id + different content is a conflict the server parks for review.
docs/sync-protocol.md describes the endpoints, rules and error codes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

PROTOCOL_VERSION = 1
# The server accepts the current version and the one before it (none before version 1).
SUPPORTED_PROTOCOLS: tuple[int, ...] = (1,)
PROTOCOL_HEADER = "X-Loket-Protocol"

MAX_DOCUMENT_SIZE = 64 * 2**20
MAX_CHUNK_SIZE = 8 * 2**20
MAX_BATCH_ITEMS = 50
MAX_REVISION = 10_000
MAX_JSON_DEPTH = 12
MAX_REQUEST_BYTES = 32 * 2**20

# `cancelled` (at the outpost's request) appears in the back office's history; the outposts' status feed never
# carries it (protocol 1 clients do not know it): the outpost learns it from the answer to its request.
DinasState = Literal[
    "received",
    "verified",
    "validated",
    "produced",
    "signed",
    "ready",
    "handed_over",
    "returned",
    "rejected",
    "cancelled",
]
WorkflowAction = Literal["verify", "validate", "return", "reject", "produce", "sign", "ready", "handed_over"]
# What each back-office action moves an application to.
TLS_PINS_HEADER = "Loket-TLS-Pins"
"""The server's certificate key pins (its key and the next one), announced on every /v1 answer."""

APP_VERSION_HEADER = "Loket-Version"
"""The outpost's running Loket version, sent with every request (optional; the update status reads it)."""

OUTBOX_HEADER = "Loket-Outbox"
"""What still waits on the outpost, reported with each request: `<count>` or `<count>;<oldest ISO time>`."""


def outbox_header(waiting: int, oldest: dt.datetime | None) -> str:
    """The Loket-Outbox value for `waiting` items, the oldest created at `oldest` (UTC, naive)."""
    return f"{waiting};{oldest.isoformat(timespec='seconds')}" if oldest is not None and waiting else str(waiting)


def parse_outbox_header(value: str) -> tuple[int, dt.datetime | None] | None:
    """A Loket-Outbox value read back; None when it is malformed (it is then ignored)."""
    count, _, oldest = value.strip().partition(";")
    if not count.isdigit() or len(count) > 9:
        return None
    if not oldest:
        return int(count), None
    try:
        moment = dt.datetime.fromisoformat(oldest[:32])
    except ValueError:
        return None
    return int(count), moment.replace(tzinfo=None)


ACTION_STATES: dict[str, str] = {
    "verify": "verified",
    "validate": "validated",
    "return": "returned",
    "reject": "rejected",
    "produce": "produced",
    "sign": "signed",
    "ready": "ready",
    "handed_over": "handed_over",
}
ItemOutcome = Literal["accepted", "already_accepted", "conflict", "invalid"]


def _clean_text(value: str) -> str:
    """Refuse NUL and lone surrogates: neither SQL databases nor UTF-8 can store them."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from None
    return value


def _clean_json(value: Any, depth: int = 0) -> Any:
    """Check a free JSON value (answers, facts): clean texts, bounded nesting."""
    if depth > MAX_JSON_DEPTH:
        raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, str):
        _clean_text(value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _clean_text(str(key))
            _clean_json(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _clean_json(item, depth + 1)
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError("NaN and infinity are not JSON numbers")
    return value


Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Uuid = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.@:-]{0,64}$")]
JsonObject = Annotated[dict[str, Any], AfterValidator(_clean_json)]
CleanText = AfterValidator(_clean_text)
ShortText = Annotated[str, StringConstraints(max_length=100), CleanText]
LongText = Annotated[str, StringConstraints(max_length=2000), CleanText]
PathText = Annotated[str, StringConstraints(max_length=200), CleanText]
CodeText = Annotated[str, StringConstraints(max_length=64), CleanText]
MessageText = Annotated[str, StringConstraints(min_length=1, max_length=1000), CleanText]
DeviceName = Annotated[str, StringConstraints(min_length=1, max_length=100), CleanText]
Revision = Annotated[int, Field(ge=1, le=MAX_REVISION)]
Cursor = Annotated[int, Field(ge=0, le=2**62)]


class Request(BaseModel):
    """A body the client sends: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class Response(BaseModel):
    """A body the server sends: unknown fields are ignored, so a newer server can add some."""

    model_config = ConfigDict(extra="ignore")


# -- errors -------------------------------------------------------------------------------------------
class ErrorInfo(Response):
    """What went wrong: a stable code for programs and a message in Bahasa Indonesia for people."""

    code: str
    message: str
    detail: Any = None


class ErrorResponse(Response):
    """The body of every 4xx/5xx answer."""

    error: ErrorInfo


# -- health and enrolment -----------------------------------------------------------------------------
class Health(Response):
    """GET /v1/health: the server is up and which protocol versions it speaks."""

    status: Literal["ok"] = "ok"
    server_version: str
    protocol: int
    supported_protocols: list[int]
    time: dt.datetime


class EnrolRequest(Request):
    """POST /v1/enrol: a device presents a one-time code and registers the credentials it made."""

    protocol: int = PROTOCOL_VERSION
    code: Annotated[str, StringConstraints(min_length=4, max_length=40, pattern=r"^[A-Za-z0-9 -]+$")]
    device_id: Uuid
    device_secret: Annotated[str, StringConstraints(min_length=32, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")]
    device_name: DeviceName
    public_key: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{43}=$")] | None = None


class DeviceInfo(Response):
    """The enrolled device and the outpost it belongs to (also the answer to enrolment)."""

    device_id: str
    device_name: str
    outpost_code: str
    outpost_name: str
    kabupaten_code: str
    protocol: int = PROTOCOL_VERSION
    # The Dinas reference key (base64 Ed25519) that signs catalogue versions; "" until one is published.
    reference_key: str = ""
    # The Dinas' Ed25519 key for orders to devices (base64): a wipe order must carry its signature.
    order_key: str = ""


# -- documents ---------------------------------------------------------------------------------------
class DocumentRef(Request):
    """A document the client means to upload or to name in a batch."""

    sha256: Sha256
    size: Annotated[int, Field(ge=1, le=MAX_DOCUMENT_SIZE)]


class DocumentQuery(Request):
    """POST /v1/documents/status: which of these does the server have, and how much of each."""

    documents: Annotated[list[DocumentRef], Field(max_length=1000)]


class UploadState(Response):
    """How much of one document the server holds: resume uploading at `offset`."""

    sha256: str
    size: int
    offset: int
    complete: bool


class DocumentStates(Response):
    """The answer to a DocumentQuery, in the same order."""

    documents: list[UploadState]


# -- application packages and batches -----------------------------------------------------------------
class Applicant(Request):
    """Who the application is for (shown to Dinas staff)."""

    name: ShortText = ""
    nik: Annotated[str, StringConstraints(max_length=20), CleanText] = ""
    kk: Annotated[str, StringConstraints(max_length=20), CleanText] = ""


class FormAnswers(Request):
    """One form's answers, with the schema version they were given under."""

    form: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9.-]{0,15}$")]
    schema_version: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Za-z0-9.@-]{0,39}$")]
    answers: JsonObject


class PageRef(Request):
    """One scanned page: the document holding its bytes plus capture metadata."""

    sha256: Sha256
    size: Annotated[int, Field(ge=1, le=MAX_DOCUMENT_SIZE)]
    position: Annotated[int, Field(ge=1, le=1000)]
    media_type: Annotated[str, StringConstraints(pattern=r"^[a-z]+/[a-z0-9.+-]{1,30}$")]
    source: Ident = ""
    dpi: Annotated[int, Field(ge=1, le=10_000)] | None = None
    mode: Ident = ""
    width: Annotated[int, Field(ge=1, le=100_000)] | None = None
    height: Annotated[int, Field(ge=1, le=100_000)] | None = None


class AttachedDocument(Request):
    """The pages given for one requirement (or one of its accepted substitutes)."""

    requirement_id: Ident
    substitute_id: Ident = ""
    document_id: Ident = ""
    pages: Annotated[list[PageRef], Field(max_length=200)]


class ApplicationPackage(Request):
    """One frozen revision of one application, as the outpost submitted it."""

    item_id: Uuid
    client_id: Uuid
    revision: Revision
    service_code: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]+(-[A-Z0-9]+)*$", max_length=40)]
    applicant: Applicant = Applicant()
    site: ShortText = ""
    # Who took the application in at the outpost (full name), shown to Dinas staff. Added after protocol 1
    # shipped: left out of hashes and signatures while empty, so packages of older outposts keep theirs.
    officer: ShortText = ""
    # The catalogue version the application was filled with ("": the one shipped with the program); the
    # server validates against it. Added after protocol 1 shipped, left out of hashes while empty.
    catalog_version: Annotated[str, StringConstraints(pattern=r"^([A-Za-z0-9][A-Za-z0-9._-]{0,39})?$")] = ""
    submitted_at: dt.datetime
    forms: Annotated[list[FormAnswers], Field(max_length=20)]
    facts: JsonObject = Field(default_factory=dict)
    documents: Annotated[list[AttachedDocument], Field(max_length=100)] = Field(default_factory=list)
    signature: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{86}==$")] | None = None

    def document_refs(self) -> list[tuple[str, int]]:
        """Every (sha256, size) the package names, once each."""
        seen: dict[str, int] = {}
        for document in self.documents:
            for page in document.pages:
                seen.setdefault(page.sha256, page.size)
        return list(seen.items())


class BatchRequest(Request):
    """POST /v1/batches: submitted revisions to commit atomically."""

    protocol: int = PROTOCOL_VERSION
    batch_id: Uuid
    device_time: dt.datetime | None = None
    items: Annotated[list[ApplicationPackage], Field(min_length=1, max_length=MAX_BATCH_ITEMS)]


class Reason(BaseModel):
    """Why an application is invalid or returned: a field path (`F-1.01:header.nama`) or a requirement id."""

    model_config = ConfigDict(extra="ignore")

    path: PathText = ""
    requirement: CodeText = ""
    code: CodeText = ""
    message: MessageText


class ItemResult(Response):
    """The server's answer for one package of a batch."""

    item_id: str
    client_id: str
    revision: int
    outcome: ItemOutcome
    registration_number: str | None = None
    reasons: list[Reason] = Field(default_factory=list)
    message: str = ""


class BatchResponse(Response):
    """The answer to a committed batch: one result per item, in order."""

    batch_id: str
    results: list[ItemResult]


# -- status flowing back --------------------------------------------------------------------------------
class StatusChange(Response):
    """One state change of one application, from the Dinas; `cursor` orders the feed."""

    cursor: int
    client_id: str
    revision: int
    state: DinasState
    registration_number: str | None = None
    reasons: list[Reason] = Field(default_factory=list)
    note: str = ""
    at: dt.datetime


class StatusFeed(Response):
    """GET /v1/status?after=CURSOR: the changes after a cursor, oldest first."""

    changes: list[StatusChange]
    cursor: int
    more: bool


class ApplicationStatus(Response):
    """Where one of the device's outpost's applications stands at the Dinas."""

    client_id: str
    revision: int
    state: str
    registration_number: str | None
    service_code: str
    updated_at: dt.datetime


class ReferenceInfo(Response):
    """GET /v1/reference: the catalogue and form-schema versions the server validates against."""

    catalog_version: str
    forms: list[str]
    bundle_sha256: str
    bundle_size: int
    # 0: the server's own unsigned data (nothing to install); else the published, signed version's number.
    sequence: int = 0
    published_at: str = ""


# -- back office -------------------------------------------------------------------------------------
class WorkflowRequest(Request):
    """POST /v1/backoffice/applications/{registration}/actions: one step of the Dinas workflow."""

    action: WorkflowAction
    reasons: Annotated[list[Reason], Field(max_length=100)] = Field(default_factory=list)
    note: LongText = ""


class BackofficeApplication(Response):
    """An application as Dinas staff list it."""

    registration_number: str | None
    client_id: str
    outpost_code: str
    service_code: str
    revision: int
    state: str
    applicant_name: str
    received_at: dt.datetime
    updated_at: dt.datetime


class BackofficeApplications(Response):
    """A page of applications."""

    applications: list[BackofficeApplication]


class ConflictInfo(Response):
    """A package parked because its id was known with different content."""

    id: int
    item_id: str
    client_id: str
    revision: int
    outpost_code: str
    reason: str
    created_at: dt.datetime
    resolved: bool


class Conflicts(Response):
    """Parked conflicts, newest first."""

    conflicts: list[ConflictInfo]


# -- canonical forms --------------------------------------------------------------------------------------
def canonical_json(value: object) -> bytes:
    """The one byte form of a JSON value that hashes and signatures are computed over."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _later_fields(package: ApplicationPackage) -> set[str]:
    """Fields added after protocol 1 that are left out of hashes and signatures while empty."""
    later = {"officer": package.officer, "catalog_version": package.catalog_version}
    return {name for name, value in later.items() if not value}


def package_content(package: ApplicationPackage) -> dict[str, Any]:
    """The content of a package that decides "same content": everything but its item id and signature."""
    return package.model_dump(mode="json", exclude={"item_id", "signature", *_later_fields(package)})


def content_hash(package: ApplicationPackage) -> str:
    """SHA-256 of the package's canonical content."""
    return hashlib.sha256(canonical_json(package_content(package))).hexdigest()


def signing_payload(package: ApplicationPackage) -> bytes:
    """The bytes the device key signs: the canonical package without its signature."""
    return canonical_json(package.model_dump(mode="json", exclude={"signature", *_later_fields(package)}))


class BackofficeApplicationDetail(Response):
    """One application for Dinas staff: where it stands, the latest package, and its history."""

    application: BackofficeApplication
    package: dict[str, Any]
    history: list[StatusChange]


# -- device orders and settling (issue 18) -----------------------------------------------------------
WIPE_ORDER_CONTEXT = b"loket-device-order:wipe:v1\0"
CancellationOutcome = Literal["cancelled", "too_late"]


class WipeOrder(Response):
    """A signed order to wipe one device, carried in the `device_wiped` error's detail (`order`).

    `signature` is Ed25519 by the Dinas' order key (DeviceInfo.order_key) over
    `WIPE_ORDER_CONTEXT + canonical_json(the order without its signature)`.
    """

    order_id: str
    device_id: str
    issued_at: dt.datetime
    signature: str


def wipe_order_payload(order: WipeOrder) -> bytes:
    """The bytes the Dinas' order key signs for a wipe order."""
    return WIPE_ORDER_CONTEXT + canonical_json(order.model_dump(mode="json", exclude={"signature"}))


class WipeAcknowledgement(Request):
    """POST /v1/device/wiped: the device destroyed its keys as ordered."""

    order_id: Uuid
    wiped_at: dt.datetime


class CancellationRequest(Request):
    """POST /v1/cancellations: the outpost asks the Dinas to cancel an application it may have sent."""

    request_id: Uuid
    client_id: Uuid
    reason: MessageText
    officer: ShortText = ""
    requested_at: dt.datetime


class CancellationAnswer(Response):
    """The Dinas' answer to a cancellation request; the same request again gets the same outcome.

    `held`: whether the Dinas has the application; `state`, `revision` and `registration_number` are
    where it stands now (empty when not held).
    """

    request_id: str
    client_id: str
    outcome: CancellationOutcome
    held: bool
    state: str = ""
    revision: int = 0
    registration_number: str | None = None
    message: str = ""
    answered_at: dt.datetime


class ConflictDecision(Response):
    """GET /v1/conflicts/{item_id}: a parked package of this outpost, and the Dinas' decision once taken."""

    item_id: str
    client_id: str
    revision: int
    resolved: bool
    decision: str = ""  # accept | keep | duplicate
    note: str = ""
    message: str = ""  # the decision and what to do next, for the officer
    resolved_at: dt.datetime | None = None
    state: str = ""  # where the application stands at the Dinas (empty: not held)
    application_revision: int = 0
    registration_number: str | None = None
