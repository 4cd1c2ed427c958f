"""The intake server's tables (peewee, bound late to SQLite or PostgreSQL)."""

from __future__ import annotations

import peewee

from app.store.modelbase import LateBoundModel
from app.store.models import utcnow  # one clock format for outposts and the server

database_proxy = peewee.DatabaseProxy()


class BaseModel(LateBoundModel):
    """Every table lives in the one server database."""

    class Meta:
        database = database_proxy


class ServerMeta(BaseModel):
    """Key/value facts about the database itself (schema version)."""

    key = peewee.CharField(primary_key=True, max_length=40)
    value = peewee.TextField()


class Outpost(BaseModel):
    """A desa/kelurahan or kecamatan outpost; `feed_seq` numbers its status feed."""

    id = peewee.AutoField()
    code = peewee.CharField(unique=True, max_length=20)
    name = peewee.CharField(max_length=100)
    kabupaten = peewee.CharField(max_length=4)
    feed_seq = peewee.BigIntegerField(default=0)
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField(default=utcnow)
    # `35.21.01`: the kecamatan the outpost serves (filters and staff scopes); schema 2.
    kecamatan = peewee.CharField(max_length=8, default="", index=True)


class EnrolmentCode(BaseModel):
    """A one-time code that lets one device join an outpost (stored as a hash)."""

    id = peewee.AutoField()
    outpost = peewee.ForeignKeyField(Outpost, backref="codes")
    outpost_id: int
    code_hash = peewee.CharField(unique=True, max_length=64)
    created_at = peewee.DateTimeField(default=utcnow)
    expires_at = peewee.DateTimeField()
    used_at = peewee.DateTimeField(null=True)
    device_id = peewee.CharField(max_length=36, null=True)


class Device(BaseModel):
    """An enrolled outpost laptop: its bearer token (hashed) and Ed25519 public key (required since schema 2)."""

    id = peewee.AutoField()
    device_id = peewee.CharField(unique=True, max_length=36)
    outpost = peewee.ForeignKeyField(Outpost, backref="devices")
    outpost_id: int
    name = peewee.CharField(max_length=100)
    token_hash = peewee.CharField(unique=True, max_length=64)
    public_key = peewee.CharField(max_length=64, default="")
    enrolled_at = peewee.DateTimeField(default=utcnow)
    last_seen_at = peewee.DateTimeField(default=utcnow)
    revoked = peewee.BooleanField(default=False)
    # Schema 2: what the outpost reported still waiting in its outbox (Loket-Outbox header), and when.
    outbox_waiting = peewee.IntegerField(default=0)
    outbox_oldest_at = peewee.DateTimeField(null=True)
    outbox_reported_at = peewee.DateTimeField(null=True)
    # Schema 2: a wipe order (sync.server.orders; the signed order JSON), and when the device acknowledged it.
    wipe_order = peewee.TextField(default="")
    wiped_at = peewee.DateTimeField(null=True)


class Staff(BaseModel):
    """A Dinas back-office user: a password for the browser, an expiring API token, roles and a scope."""

    id = peewee.AutoField()
    username = peewee.CharField(unique=True, max_length=64)
    full_name = peewee.CharField(max_length=100)
    token_hash = peewee.CharField(unique=True, max_length=64)
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField(default=utcnow)
    # Schema 2: the back office.
    password_hash = peewee.CharField(max_length=200, default="")
    roles = peewee.CharField(max_length=200, default="")  # comma-separated role names
    kecamatan = peewee.CharField(max_length=200, default="")  # comma-separated kecamatan codes; empty = all
    must_change_password = peewee.BooleanField(default=False)
    failed_logins = peewee.IntegerField(default=0)
    last_failed_at = peewee.DateTimeField(null=True)
    token_expires_at = peewee.DateTimeField(null=True)


class StaffSession(BaseModel):
    """A browser session of a staff user (the cookie holds a random id; only its hash is kept)."""

    id = peewee.AutoField()
    session_hash = peewee.CharField(unique=True, max_length=64)
    staff = peewee.ForeignKeyField(Staff, backref="sessions", on_delete="CASCADE")
    staff_id: int
    csrf_token = peewee.CharField(max_length=64)
    created_at = peewee.DateTimeField(default=utcnow)
    last_seen_at = peewee.DateTimeField(default=utcnow)
    ended_at = peewee.DateTimeField(null=True)
    # A form posted after the previous session expired, refilled once the staff member logs in again.
    pending_form = peewee.TextField(default="")


class Document(BaseModel):
    """A verified document held by the storage (content-addressed, shared across outposts)."""

    sha256 = peewee.CharField(primary_key=True, max_length=64)
    size = peewee.BigIntegerField()
    stored_at = peewee.DateTimeField(default=utcnow)


class DocumentOwner(BaseModel):
    """An outpost that uploaded a document (schema 2): only its devices learn the document is there or may
    cite it; identical bytes from several outposts are stored once, invisibly to them."""

    id = peewee.AutoField()
    outpost = peewee.ForeignKeyField(Outpost, backref="documents", on_delete="CASCADE")
    outpost_id: int
    sha256 = peewee.CharField(max_length=64, index=True)
    size = peewee.BigIntegerField()
    first_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("outpost", "sha256"), True),)


class Upload(BaseModel):
    """A device's upload in progress (schema 2): its unfinished bytes count against the device's quota,
    and an upload left alone longer than the expiry is swept."""

    id = peewee.AutoField()
    device = peewee.ForeignKeyField(Device, backref="uploads", on_delete="CASCADE")
    device_id: int
    sha256 = peewee.CharField(max_length=64)
    size = peewee.BigIntegerField()
    received = peewee.BigIntegerField(default=0)
    started_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow, index=True)

    class Meta:
        indexes = ((("device", "sha256"), True),)


class Application(BaseModel):
    """One citizen's application at the Dinas, across its revisions."""

    id = peewee.AutoField()
    client_id = peewee.CharField(unique=True, max_length=36)
    outpost = peewee.ForeignKeyField(Outpost, backref="applications")
    outpost_id: int
    service_code = peewee.CharField(max_length=40)
    revision = peewee.IntegerField()
    state = peewee.CharField(max_length=16, index=True)
    registration_number = peewee.CharField(unique=True, null=True, max_length=40)
    applicant_name = peewee.CharField(max_length=100, default="")
    received_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)
    # Schema 2: what the back office searches and sorts by.
    applicant_nik = peewee.CharField(max_length=20, default="", index=True)
    applicant_kk = peewee.CharField(max_length=20, default="", index=True)
    name_key = peewee.CharField(max_length=100, default="", index=True)  # upper case, single spaces
    due_date = peewee.DateField(null=True, index=True)  # SLA: received + the service's working days

    class Meta:
        # A work queue in its default order (WHERE state = ... ORDER BY due date, received, id) is read
        # straight from this index: page 1 stops after 50 entries instead of filtering the whole due-date
        # index (200,000 applications: see tests/bench/bench_backoffice.py).
        indexes = ((("state", "due_date", "received_at", "id"), False),)


class Submission(BaseModel):
    """One submitted revision as it arrived (the package JSON), with the outcome it was given."""

    id = peewee.AutoField()
    item_id = peewee.CharField(unique=True, max_length=36)
    application = peewee.ForeignKeyField(Application, backref="submissions")
    application_id: int
    client_id = peewee.CharField(max_length=36)
    revision = peewee.IntegerField()
    content_hash = peewee.CharField(max_length=64)
    package = peewee.TextField()
    outcome = peewee.CharField(max_length=16)  # accepted | invalid
    reasons = peewee.TextField(default="[]")
    device = peewee.ForeignKeyField(Device, backref="submissions")
    batch_id = peewee.CharField(max_length=36)
    received_at = peewee.DateTimeField(default=utcnow, index=True)  # index: schema 2 (the daily register)

    class Meta:
        indexes = ((("client_id", "revision"), True),)


class Conflict(BaseModel):
    """A package whose id was known with different content: parked for a supervisor, never dropped."""

    id = peewee.AutoField()
    item_id = peewee.CharField(max_length=36)
    client_id = peewee.CharField(max_length=36)
    revision = peewee.IntegerField()
    content_hash = peewee.CharField(max_length=64)
    package = peewee.TextField()
    reason = peewee.TextField()
    device = peewee.ForeignKeyField(Device, backref="conflicts")
    outpost = peewee.ForeignKeyField(Outpost, backref="conflicts")
    created_at = peewee.DateTimeField(default=utcnow)
    resolved_at = peewee.DateTimeField(null=True)
    resolution = peewee.TextField(default="")

    class Meta:
        indexes = ((("item_id", "content_hash"), True),)


class Cancellation(BaseModel):
    """An outpost's request to cancel an application (schema 2) and the Dinas' answer, replayed on a repeat.

    `held`: whether the Dinas had the application when asked; a cancelled one it did not hold stays a
    tombstone, so a package for it that arrives later is not taken in.
    """

    id = peewee.AutoField()
    request_id = peewee.CharField(unique=True, max_length=36)
    client_id = peewee.CharField(max_length=36, index=True)
    outpost = peewee.ForeignKeyField(Outpost, backref="cancellations")
    outpost_id: int
    device = peewee.ForeignKeyField(Device, backref="cancellations")
    device_id: int
    reason = peewee.TextField()
    officer = peewee.CharField(max_length=100, default="")
    requested_at = peewee.DateTimeField()
    outcome = peewee.CharField(max_length=16)  # cancelled | too_late
    held = peewee.BooleanField()
    state_before = peewee.CharField(max_length=16, default="")
    answered_at = peewee.DateTimeField(default=utcnow)


class Batch(BaseModel):
    """A committed batch and the answer given, replayed when the same batch arrives again."""

    batch_id = peewee.CharField(primary_key=True, max_length=36)
    device = peewee.ForeignKeyField(Device, backref="batches")
    device_id: int
    content_hash = peewee.CharField(max_length=64)
    response = peewee.TextField()
    received_at = peewee.DateTimeField(default=utcnow)


class Event(BaseModel):
    """One state change in an outpost's status feed; `seq` is the feed cursor (per outpost)."""

    id = peewee.AutoField()
    outpost = peewee.ForeignKeyField(Outpost, backref="events")
    seq = peewee.BigIntegerField()
    application = peewee.ForeignKeyField(Application, backref="events")
    client_id = peewee.CharField(max_length=36)
    revision = peewee.IntegerField()
    state = peewee.CharField(max_length=16)
    registration_number = peewee.CharField(max_length=40, null=True)
    reasons = peewee.TextField(default="[]")
    note = peewee.TextField(default="")
    actor = peewee.CharField(max_length=64)
    at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("outpost", "seq"), True),)


class Counter(BaseModel):
    """A named sequence (registration numbers per kabupaten and day)."""

    key = peewee.CharField(primary_key=True, max_length=40)
    value = peewee.BigIntegerField(default=0)


class AuditLog(BaseModel):
    """Who did or saw what at the Dinas: enrolments, intake outcomes, workflow steps, views (hash-chained)."""

    id = peewee.AutoField()
    at = peewee.DateTimeField(default=utcnow)
    actor = peewee.CharField(max_length=64)
    action = peewee.CharField(max_length=40)
    subject = peewee.CharField(max_length=64, default="")
    details = peewee.TextField(default="{}")
    # Schema 2: each entry's hash covers the previous entry's hash (empty for entries before schema 2).
    prev_hash = peewee.CharField(max_length=64, default="")
    entry_hash = peewee.CharField(max_length=64, default="")


class ReferenceVersion(BaseModel):
    """A published catalogue + form-schema version (`loket-server reference publish`), kept for good:
    every package is validated against the version it was filled with."""

    id = peewee.AutoField()
    sequence = peewee.IntegerField(unique=True)
    catalog_version = peewee.CharField(unique=True, max_length=40)
    bundle = peewee.BlobField()  # the signed zip (app/reference/bundle.py)
    bundle_sha256 = peewee.CharField(max_length=64)
    public_key = peewee.CharField(max_length=64)  # base64 Ed25519 key that signed it
    published_at = peewee.DateTimeField(default=utcnow)
    published_by = peewee.CharField(max_length=64, default="")


TABLES: tuple[type[BaseModel], ...] = (
    ServerMeta,
    Outpost,
    EnrolmentCode,
    Device,
    Staff,
    StaffSession,
    Document,
    DocumentOwner,
    Upload,
    Application,
    Submission,
    Conflict,
    Cancellation,
    Batch,
    Event,
    Counter,
    AuditLog,
    ReferenceVersion,
)
