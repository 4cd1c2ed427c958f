"""The local store's tables (peewee models bound late to the encrypted database)."""

from __future__ import annotations

import datetime as dt

import peewee

from app.store.modelbase import LateBoundModel

database_proxy = peewee.DatabaseProxy()

ROLES = ("operator", "supervisor", "admin")

# Application lifecycle (DESIGN.md). Up to `received` the outpost sets the state; the rest come
# from the Dinas through the status feed.
STATES = (
    "draft",
    "submitted",
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
)
OUTBOX_STATES = ("pending", "sending", "acknowledged", "failed", "conflict")


def utcnow() -> dt.datetime:
    """The device clock in UTC, without tzinfo (as stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class BaseModel(LateBoundModel):
    """Every table lives in the one encrypted database."""

    class Meta:
        database = database_proxy


class Setting(BaseModel):
    """An outpost or device setting (JSON value)."""

    key = peewee.CharField(primary_key=True, max_length=100)
    value = peewee.TextField()


class Officer(BaseModel):
    """A person who may unlock this installation, with a role."""

    id = peewee.AutoField()
    username = peewee.CharField(unique=True, max_length=64)
    full_name = peewee.CharField(max_length=100)
    role = peewee.CharField(max_length=16, choices=[(r, r) for r in ROLES])
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField(default=utcnow)
    password_changed_at = peewee.DateTimeField(default=utcnow)


class Resident(BaseModel):
    """An entry of the residents index, used to prefill applications (from KK imports or past applications)."""

    id = peewee.AutoField()
    nik = peewee.CharField(max_length=16, null=True, index=True)
    kk = peewee.CharField(max_length=16, null=True, index=True)
    name = peewee.CharField(max_length=100)
    name_key = peewee.CharField(max_length=100, index=True)  # folded for prefix search
    birth_date = peewee.DateField(null=True)
    sex = peewee.SmallIntegerField(null=True)
    address = peewee.CharField(max_length=200, default="")
    region_code = peewee.CharField(max_length=13, default="")
    source = peewee.CharField(max_length=64)
    updated_at = peewee.DateTimeField(default=utcnow)
    # More of the person's biodata (F-1.01 member columns by field id, JSON) to fill a member row.
    details = peewee.TextField(default="{}")


class Application(BaseModel):
    """One citizen's application for one service, across its revisions."""

    id = peewee.AutoField()
    client_id = peewee.CharField(unique=True, max_length=36)
    service_code = peewee.CharField(max_length=40)
    state = peewee.CharField(max_length=16, index=True, choices=[(s, s) for s in STATES])
    revision = peewee.IntegerField(default=1)
    applicant_name = peewee.CharField(max_length=100, default="")
    applicant_nik = peewee.CharField(max_length=16, default="", index=True)
    applicant_kk = peewee.CharField(max_length=16, default="", index=True)
    registration_number = peewee.CharField(max_length=40, null=True, index=True)
    site = peewee.CharField(max_length=100, default="")
    created_by = peewee.ForeignKeyField(Officer, backref="applications")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow, index=True)
    submitted_at = peewee.DateTimeField(null=True)
    current_form = peewee.CharField(max_length=40, default="")  # where the draft was left
    # The catalogue version it was started with (app/reference; "": the shipped one), kept by every revision.
    catalog_version = peewee.CharField(max_length=40, default="")


class Answer(BaseModel):
    """The answers of one form for one revision, with the schema version they were given under."""

    id = peewee.AutoField()
    application = peewee.ForeignKeyField(Application, backref="answers", on_delete="CASCADE")
    revision = peewee.IntegerField()
    form = peewee.CharField(max_length=16)
    schema_version = peewee.CharField(max_length=40)
    data = peewee.TextField()  # JSON
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("application", "revision", "form"), True),)


class Facts(BaseModel):
    """The service facts (questions no form asks) of one revision."""

    id = peewee.AutoField()
    application = peewee.ForeignKeyField(Application, backref="facts", on_delete="CASCADE")
    revision = peewee.IntegerField()
    data = peewee.TextField()  # JSON

    class Meta:
        indexes = ((("application", "revision"), True),)


class AttachedDocument(BaseModel):
    """The pages given for one requirement (or for one of its accepted substitutes) of one revision."""

    id = peewee.AutoField()
    application = peewee.ForeignKeyField(Application, backref="documents", on_delete="CASCADE")
    revision = peewee.IntegerField()
    requirement_id = peewee.CharField(max_length=64)
    substitute_id = peewee.CharField(max_length=64, default="")
    document_id = peewee.CharField(max_length=64, default="")
    created_at = peewee.DateTimeField(default=utcnow)


class Page(BaseModel):
    """One page of an attached document: a content-addressed encrypted blob plus its capture metadata."""

    id = peewee.AutoField()
    document = peewee.ForeignKeyField(AttachedDocument, backref="pages", on_delete="CASCADE")
    position = peewee.IntegerField()
    blob_hash = peewee.CharField(max_length=64, index=True)
    size = peewee.IntegerField()
    media_type = peewee.CharField(max_length=40)
    source = peewee.CharField(max_length=16, default="file")  # scanner, camera, file
    dpi = peewee.IntegerField(null=True)
    mode = peewee.CharField(max_length=16, default="")  # bilevel, gray, color
    width = peewee.IntegerField(null=True)
    height = peewee.IntegerField(null=True)
    checks = peewee.TextField(default="{}")  # JSON: quality checks and "kept anyway"


class OutboxItem(BaseModel):
    """A submitted revision waiting for (or acknowledged by) the Dinas server."""

    id = peewee.AutoField()
    application = peewee.ForeignKeyField(Application, backref="outbox", on_delete="CASCADE")
    revision = peewee.IntegerField()
    item_id = peewee.CharField(max_length=36, unique=True)
    state = peewee.CharField(max_length=16, index=True, default="pending", choices=[(s, s) for s in OUTBOX_STATES])
    attempts = peewee.IntegerField(default=0)
    last_error = peewee.TextField(default="")
    server_ack = peewee.TextField(default="")  # JSON of the server's acknowledgement
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)


class StatusEvent(BaseModel):
    """A state change of an application, local or from the Dinas (with its reasons)."""

    id = peewee.AutoField()
    application = peewee.ForeignKeyField(Application, backref="events", on_delete="CASCADE")
    revision = peewee.IntegerField()
    state = peewee.CharField(max_length=16, choices=[(s, s) for s in STATES])
    reasons = peewee.TextField(default="[]")  # JSON: [{"path" or "requirement", "message"}]
    source = peewee.CharField(max_length=8, default="local")  # local | dinas
    at = peewee.DateTimeField(default=utcnow)
    officer = peewee.CharField(max_length=64, default="")


class CancelRequest(BaseModel):
    """A request to the Dinas to cancel an application it has (or may have) received, and its answer (schema 4).

    `state`: pending (to send; sent again until answered) or answered, with `outcome` cancelled or
    too_late and the server's answer (JSON).
    """

    id = peewee.AutoField()
    application = peewee.ForeignKeyField(Application, backref="cancel_requests", on_delete="CASCADE")
    request_id = peewee.CharField(max_length=36, unique=True)
    reason = peewee.TextField()
    officer = peewee.CharField(max_length=64)
    requested_at = peewee.DateTimeField(default=utcnow)
    state = peewee.CharField(max_length=16, default="pending", index=True)
    outcome = peewee.CharField(max_length=16, default="")
    answer = peewee.TextField(default="")
    answered_at = peewee.DateTimeField(null=True)
    attempts = peewee.IntegerField(default=0)
    last_error = peewee.TextField(default="")


class AuditEntry(BaseModel):
    """An append-only audit entry, chained to the previous one by hash."""

    seq = peewee.AutoField()
    officer = peewee.CharField(max_length=64)
    action = peewee.CharField(max_length=40)
    application = peewee.CharField(max_length=36, default="")  # client id, not personal data
    device_time = peewee.CharField(max_length=32)
    details = peewee.TextField(default="{}")
    prev_hash = peewee.CharField(max_length=64)
    hash = peewee.CharField(max_length=64)


TABLES: tuple[type[BaseModel], ...] = (
    Setting,
    Officer,
    Resident,
    Application,
    Answer,
    Facts,
    AttachedDocument,
    Page,
    OutboxItem,
    StatusEvent,
    CancelRequest,
    AuditEntry,
)
