"""The server's known faults: an HTTP status, a stable code, and a message in Bahasa Indonesia."""

from __future__ import annotations

from app.errors import KnownError


class ServerError(KnownError):
    """Root of every fault the server answers with an error body (never a bug)."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, detail: object = None, *, code: str | None = None) -> None:
        super().__init__(message)
        self.payload = detail
        if code is not None:
            self.code = code


class UnauthorizedError(ServerError):
    """No, unknown or revoked credentials."""

    status = 401
    code = "unauthorized"


class ForbiddenError(ServerError):
    """Valid credentials, but not for this."""

    status = 403
    code = "forbidden"


class NotFoundError(ServerError):
    """No such thing (or not one this device may see)."""

    status = 404
    code = "not_found"


class ConflictError(ServerError):
    """The request disagrees with what the server holds (offset, batch content, state)."""

    status = 409
    code = "conflict"


class OffsetMismatchError(ConflictError):
    """A chunk was sent for another offset than the one the server is at: resume from `offset`."""

    code = "offset_mismatch"

    def __init__(self, offset: int) -> None:
        super().__init__(
            f"Potongan dokumen dikirim untuk posisi yang salah; server sudah menerima {offset} bita.",
            {"offset": offset},
        )
        self.offset = offset


class DocumentsMissingError(ConflictError):
    """A batch names documents the server does not have (complete and verified)."""

    code = "documents_missing"

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            f"{len(missing)} dokumen belum diterima server; unggah dokumen itu lalu kirim ulang.", {"missing": missing}
        )
        self.missing = missing


class HashMismatchError(ServerError):
    """The uploaded bytes do not have the SHA-256 they were announced with."""

    status = 422
    code = "hash_mismatch"


class TooLargeError(ServerError):
    """A body or a document over the limits."""

    status = 413
    code = "too_large"


class UnavailableError(ServerError):
    """The database cannot be reached right now: try again later."""

    status = 503
    code = "unavailable"
