"""Browser sessions of Dinas staff: a random cookie (only its hash stored), a CSRF token, a 15-minute idle limit."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from app.store.models import utcnow
from sync.server.db import in_transaction
from sync.server.models import Staff, StaffSession

COOKIE = "loket_staf"
IDLE = dt.timedelta(minutes=15)
MAX_AGE = dt.timedelta(hours=12)
TOUCH_EVERY = dt.timedelta(seconds=30)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class WebSession:
    """A live session: who, its CSRF token, and the database row."""

    row: StaffSession
    staff: Staff

    @property
    def csrf(self) -> str:
        """The token every form of this session carries."""
        return str(self.row.csrf_token)


def start(staff: Staff) -> tuple[str, WebSession]:
    """Open a session for a staff member who just logged in; returns the cookie value and the session."""
    cookie = secrets.token_urlsafe(32)
    row = StaffSession.create(session_hash=_digest(cookie), staff=staff, csrf_token=secrets.token_urlsafe(24))
    return cookie, WebSession(row, staff)


def find(cookie: str | None, now: dt.datetime | None = None) -> WebSession | None:
    """The live session a cookie names, touched; None when absent, ended, idle too long or disabled."""
    if not cookie:
        return None
    now = now or utcnow()
    row = (
        StaffSession.select(StaffSession, Staff).join(Staff).where(StaffSession.session_hash == _digest(cookie)).first()
    )
    if row is None or row.ended_at is not None or not row.staff.active:
        return None
    if now - row.last_seen_at > IDLE or now - row.created_at > MAX_AGE:
        StaffSession.update(ended_at=now).where(StaffSession.id == row.id).execute()
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        StaffSession.update(last_seen_at=now).where(StaffSession.id == row.id).execute()
    return WebSession(row, row.staff)


def expired_staff(cookie: str | None) -> Staff | None:
    """Who a cookie belonged to when its session has ended (to keep their form across a new log-in)."""
    if not cookie:
        return None
    row = (
        StaffSession.select(StaffSession, Staff).join(Staff).where(StaffSession.session_hash == _digest(cookie)).first()
    )
    return row.staff if row is not None else None


def end(session: WebSession) -> None:
    """Log out."""
    StaffSession.update(ended_at=utcnow()).where(StaffSession.id == session.row.id).execute()


def csrf_ok(session: WebSession, token: str) -> bool:
    """Whether a posted CSRF token belongs to this session."""
    return bool(token) and hmac.compare_digest(session.csrf, token)


def keep_form(session: WebSession, path: str, fields: dict[str, list[str]]) -> None:
    """Remember a form posted to `path` (refilled when that page is shown next in this session)."""

    def run() -> None:
        payload = json.dumps({"path": path, "fields": fields}, ensure_ascii=True)
        StaffSession.update(pending_form=payload).where(StaffSession.id == session.row.id).execute()

    in_transaction(run)


def take_form(session: WebSession, path: str) -> dict[str, list[str]]:
    """The form kept for `path`, once (then forgotten); empty when there is none."""
    raw = StaffSession.select(StaffSession.pending_form).where(StaffSession.id == session.row.id).scalar()
    if not raw:
        return {}
    data = json.loads(raw)
    if data.get("path") != path:
        return {}
    StaffSession.update(pending_form="").where(StaffSession.id == session.row.id).execute()
    fields = data.get("fields", {})
    return {str(k): [str(v) for v in values] for k, values in fields.items()}
