"""The sync client's one exception tree (like requests.exceptions): every fault has a Bahasa Indonesia message.

`transient` says whether trying again later can help (the link, the server being down) or whether a
person has to act (enrol the device, update Loket).
"""

from __future__ import annotations

from app.errors import KnownError


class SyncError(KnownError):
    """Root of the sync client's known faults."""

    transient = True


class NotEnrolledError(SyncError):
    """The device has no server address or credentials yet."""

    transient = False

    def __init__(self) -> None:
        super().__init__(
            "Perangkat ini belum didaftarkan ke server Dinas. Minta kode pendaftaran kepada Dinas lalu jalankan "
            "'loket-admin enrol'."
        )


class ConnectionFailedError(SyncError):
    """The server could not be reached, or the link dropped mid-request (timeouts included)."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("Tidak dapat terhubung ke server Dinas.", detail)  # the worker says when it tries again


class RemoteError(SyncError):
    """The server answered with an error body: a stable code, a message, and details."""

    def __init__(self, status: int, code: str, message: str, detail: object = None) -> None:
        super().__init__(message or f"Server Dinas menjawab dengan kesalahan {status}.", f"{status} {code}")
        self.status = status
        self.code = code
        self.payload = detail


class ServerUnavailableError(RemoteError):
    """5xx or 429: the server is overloaded or down; try again later."""


class AuthError(RemoteError):
    """401/403: the credentials are unknown or revoked; the device must be enrolled again."""

    transient = False


class RequestRejectedError(RemoteError):
    """Another 4xx: the server refuses the request as sent (a version mismatch or a bug)."""

    transient = False


class DocumentError(SyncError):
    """A document to upload cannot be read locally, or the server keeps refusing its bytes."""

    transient = False


class CatalogUpdateError(SyncError):
    """The downloaded catalogue bundle is damaged or cannot be loaded."""


class CatalogRefusedError(CatalogUpdateError):
    """A catalogue version that fails its signature or does not load: refused, the previous one stays."""

    transient = False


class SyncInterruptedError(SyncError):
    """Not a fault: the run was stopped between two steps (pause, shutdown); nothing is lost."""

    def __init__(self) -> None:
        super().__init__("Sinkronisasi dijeda.")


class DeviceRevokedError(AuthError):
    """The Dinas revoked this device: it stops syncing until Dinas IT acts (no retry loop)."""

    phase = "revoked"

    def __init__(self, status: int = 401, code: str = "device_revoked") -> None:
        super().__init__(
            status,
            code,
            "Akses perangkat ini ke server Dinas sudah dicabut. Sinkronisasi dihentikan; hubungi TI Dinas.",
        )


class DeviceWipedError(SyncError):
    """The Dinas ordered this device wiped and its keys are destroyed: the installation starts afresh."""

    transient = False
    phase = "wiped"

    def __init__(self) -> None:
        super().__init__(
            "Atas perintah Dinas, data Loket di laptop ini telah dihapus dan tidak dapat dibuka lagi. Loket akan "
            "dimulai sebagai pemasangan baru; hubungi TI Dinas."
        )
