"""Dinas staff accounts: passwords (scrypt), roles, kecamatan scope, expiring API tokens, log-in throttling."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from app.store.models import utcnow
from sync.server import audit
from sync.server.db import in_transaction
from sync.server.errors import ForbiddenError, NotFoundError, ServerError, UnauthorizedError
from sync.server.models import Staff, StaffSession
from sync.server.roles import ALL_BUT_ADMIN, parse_roles
from sync.server.search import kecamatan_of

TOKEN_PREFIX = "stf_"
TOKEN_VALIDITY = dt.timedelta(days=90)
MIN_PASSWORD = 10
# scrypt at N=2^14, r=8: 16 MiB and about 50 ms per check on the 2-core reference machine.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
FREE_ATTEMPTS = 3
MAX_DELAY = dt.timedelta(minutes=15)
_USERNAME = re.compile(r"[a-z0-9._]{2,64}")


def hash_password(password: str) -> str:
    """The stored form of a password: `scrypt$N$r$p$salt$hash` (base64)."""
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return "$".join(
        (
            "scrypt",
            str(SCRYPT_N),
            str(SCRYPT_R),
            str(SCRYPT_P),
            base64.b64encode(salt).decode(),
            base64.b64encode(key).decode(),
        )
    )


def check_password(password: str, stored: str) -> bool:
    """Whether `password` matches a stored hash (constant time)."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    n, r, p = (int(x) for x in parts[1:4])
    salt, expected = base64.b64decode(parts[4]), base64.b64decode(parts[5])
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(expected), maxmem=2**26)
    return hmac.compare_digest(key, expected)


def password_problem(password: str, username: str = "") -> str:
    """Why a new password is refused, in Bahasa Indonesia; empty when it is acceptable."""
    if len(password) < MIN_PASSWORD:
        return f"Kata sandi minimal {MIN_PASSWORD} karakter."
    if username and username.lower() in password.lower():
        return "Kata sandi tidak boleh memuat nama pengguna."
    if len(set(password)) < 5:
        return "Kata sandi terlalu mudah ditebak: gunakan campuran huruf, angka dan tanda baca."
    return ""


def one_time_password() -> str:
    """A password to hand over once (the staff member must change it at first log-in)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewStaff:
    """What `add_staff` hands back once: the one-time password and the API token."""

    staff: Staff
    password: str
    token: str


def _scope(kecamatan: str) -> str:
    codes = [kecamatan_of(c) for c in kecamatan.split(",") if c.strip()]
    if any(not c for c in codes):
        raise ServerError("Kode kecamatan tidak sah: gunakan kode Kemendagri, mis. 35.21.01.")
    return ",".join(codes)


def add_staff(
    username: str,
    full_name: str,
    roles: str = ALL_BUT_ADMIN,
    *,
    kecamatan: str = "",
    actor: str = "admin",
    password: str | None = None,
) -> NewStaff:
    """Create a staff user with roles; a one-time password (or the given one) and an API token."""
    if not _USERNAME.fullmatch(username):
        raise ServerError("Nama pengguna staf hanya huruf kecil, angka, titik dan garis bawah (2-64 karakter).")
    if not full_name.strip():
        raise ServerError("Nama lengkap staf wajib diisi.")
    try:
        role_set = parse_roles(roles)
    except ValueError as exc:
        raise ServerError(str(exc)) from None
    if not role_set:
        raise ServerError("Pilih paling sedikit satu peran untuk staf.")
    scope = _scope(kecamatan)
    chosen = password if password is not None else one_time_password()
    if password is not None and (problem := password_problem(password, username)):
        raise ServerError(problem)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)

    def create() -> Staff:
        if Staff.get_or_none(Staff.username == username) is not None:
            raise ServerError(f"Staf '{username}' sudah ada.")
        staff = Staff.create(
            username=username,
            full_name=full_name.strip(),
            token_hash=_digest(token),
            token_expires_at=utcnow() + TOKEN_VALIDITY,
            password_hash=hash_password(chosen),
            must_change_password=password is None,
            roles=",".join(sorted(role_set)),
            kecamatan=scope,
        )
        audit.record(actor, "staff.add", username, {"roles": sorted(role_set), "kecamatan": scope})
        return staff

    return NewStaff(in_transaction(create), chosen, token)


def roles_of(staff: Staff) -> frozenset[str]:
    """The staff member's roles."""
    return frozenset(r for r in staff.roles.split(",") if r)


def scope_of(staff: Staff) -> tuple[str, ...]:
    """The kecamatan codes a staff member is posted to (empty: the whole kabupaten)."""
    return tuple(c for c in staff.kecamatan.split(",") if c)


def get_staff(username: str) -> Staff:
    """A staff user by name."""
    staff = Staff.get_or_none(Staff.username == username)
    if staff is None:
        raise NotFoundError(f"Staf '{username}' tidak ada.")
    return staff


def set_roles(username: str, roles: str, actor: str = "admin", kecamatan: str | None = None) -> Staff:
    """Replace a staff member's roles (and, when given, their kecamatan scope)."""
    try:
        role_set = parse_roles(roles)
    except ValueError as exc:
        raise ServerError(str(exc)) from None
    if not role_set:
        raise ServerError("Pilih paling sedikit satu peran untuk staf.")
    scope = None if kecamatan is None else _scope(kecamatan)

    def run() -> Staff:
        staff = get_staff(username)
        staff.roles = ",".join(sorted(role_set))
        if scope is not None:
            staff.kecamatan = scope
        staff.save()
        audit.record(actor, "staff.roles", username, {"roles": sorted(role_set), "kecamatan": staff.kecamatan})
        return staff

    return in_transaction(run)


def set_active(username: str, active: bool, actor: str = "admin") -> Staff:
    """Disable (or enable again) a staff user; disabling ends their sessions."""

    def run() -> Staff:
        staff = get_staff(username)
        staff.active = active
        staff.save()
        if not active:
            StaffSession.update(ended_at=utcnow()).where(
                (StaffSession.staff == staff) & StaffSession.ended_at.is_null()
            ).execute()
        audit.record(actor, "staff.enable" if active else "staff.disable", username)
        return staff

    return in_transaction(run)


def rotate_token(username: str, actor: str = "admin") -> str:
    """Give a staff user a new API token (the old one stops working at once)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)

    def run() -> None:
        staff = get_staff(username)
        staff.token_hash = _digest(token)
        staff.token_expires_at = utcnow() + TOKEN_VALIDITY
        staff.save()
        audit.record(actor, "staff.token_rotate", username)

    in_transaction(run)
    return token


def revoke_token(username: str, actor: str = "admin") -> None:
    """Make a staff user's API token unusable (the browser log-in stays)."""

    def run() -> None:
        staff = get_staff(username)
        staff.token_hash = _digest(secrets.token_urlsafe(32))
        staff.token_expires_at = utcnow()
        staff.save()
        audit.record(actor, "staff.token_revoke", username)

    in_transaction(run)


def reset_password(username: str, actor: str = "admin") -> str:
    """An admin's reset: a new one-time password, to be changed at the next log-in; sessions end."""
    password = one_time_password()

    def run() -> None:
        staff = get_staff(username)
        staff.password_hash = hash_password(password)
        staff.must_change_password = True
        staff.failed_logins = 0
        staff.save()
        StaffSession.update(ended_at=utcnow()).where(
            (StaffSession.staff == staff) & StaffSession.ended_at.is_null()
        ).execute()
        audit.record(actor, "staff.password_reset", username)

    in_transaction(run)
    return password


def change_password(staff: Staff, current: str, new: str) -> None:
    """A staff member changes their own password (the current one is asked again)."""
    if not check_password(current, staff.password_hash):
        raise ServerError("Kata sandi saat ini salah.", {"field": "current"}, code="wrong_password")
    if problem := password_problem(new, staff.username):
        raise ServerError(problem, {"field": "new"}, code="weak_password")
    if current == new:
        raise ServerError("Kata sandi baru harus berbeda dari yang lama.", {"field": "new"}, code="weak_password")

    def run() -> None:
        Staff.update(password_hash=hash_password(new), must_change_password=False).where(Staff.id == staff.id).execute()
        audit.record(f"staf:{staff.username}", "staff.password_change", staff.username)

    in_transaction(run)


def login_delay(staff: Staff, now: dt.datetime | None = None) -> dt.timedelta:
    """How long this account must still wait before the next attempt (grows with each failure)."""
    if staff.failed_logins < FREE_ATTEMPTS or staff.last_failed_at is None:
        return dt.timedelta(0)
    wait = min(dt.timedelta(seconds=2 ** (staff.failed_logins - FREE_ATTEMPTS + 1)), MAX_DELAY)
    left = staff.last_failed_at + wait - (now or utcnow())
    return max(left, dt.timedelta(0))


def authenticate(username: str, password: str) -> Staff:
    """Check a log-in; failures count towards a growing delay; refuse disabled accounts."""
    staff = Staff.get_or_none(Staff.username == username.strip().lower())
    if staff is None:
        # Same cost as a real check, so a wrong username cannot be told from a wrong password by timing.
        check_password(password, _DUMMY_HASH)
        raise UnauthorizedError("Nama pengguna atau kata sandi salah.", code="bad_login")
    wait = login_delay(staff)
    if wait:
        seconds = int(wait.total_seconds()) + 1
        raise UnauthorizedError(
            f"Terlalu banyak percobaan gagal. Coba lagi dalam {seconds} detik.", {"wait": seconds}, code="login_delay"
        )
    if not check_password(password, staff.password_hash):
        Staff.update(failed_logins=Staff.failed_logins + 1, last_failed_at=utcnow()).where(
            Staff.id == staff.id
        ).execute()
        audit.record(f"staf:{staff.username}", "staff.login_failed", staff.username)
        raise UnauthorizedError("Nama pengguna atau kata sandi salah.", code="bad_login")
    if not staff.active:
        raise ForbiddenError("Akun ini sudah dinonaktifkan. Hubungi administrator Dinas.", code="staff_disabled")
    Staff.update(failed_logins=0, last_failed_at=None).where(Staff.id == staff.id).execute()
    return Staff.get_by_id(staff.id)


def staff_for_token(token: str) -> Staff:
    """The active staff user an API bearer token belongs to (refuses expired tokens)."""
    staff = Staff.get_or_none(Staff.token_hash == _digest(token)) if token else None
    if staff is None or not staff.active:
        raise UnauthorizedError("Token staf tidak dikenal atau sudah dinonaktifkan.")
    if staff.token_expires_at is not None and staff.token_expires_at < utcnow():
        raise UnauthorizedError(
            "Token staf sudah kedaluwarsa. Minta token baru: loket-server staff token rotate.", code="token_expired"
        )
    return staff


_DUMMY_HASH = hash_password(secrets.token_urlsafe(12))
