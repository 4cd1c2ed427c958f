"""Faults of the local store, each with a message for the officer in Bahasa Indonesia."""

from __future__ import annotations

import math

from app.errors import KnownError


class StoreError(KnownError):
    """Root of the store's known faults."""


class WrongPasswordError(StoreError):
    """Unknown officer or wrong password (never says which, so names cannot be guessed)."""

    def __init__(self, wait_seconds: float) -> None:
        text = "Nama pengguna atau kata sandi salah. Periksa huruf besar/kecil lalu coba lagi."
        if wait_seconds > 0:
            text += f" Percobaan berikutnya dapat dilakukan setelah {math.ceil(wait_seconds)} detik."
        super().__init__(text)
        self.wait_seconds = wait_seconds


class LockedOutError(StoreError):
    """Too many wrong passwords in a row: the officer must wait."""

    def __init__(self, wait_seconds: float, tampered: bool = False) -> None:
        if tampered:
            text = (
                "Catatan percobaan masuk di laptop ini hilang atau diubah, jadi demi keamanan semua petugas harus "
                f"menunggu. Tunggu {math.ceil(wait_seconds)} detik lalu coba lagi."
            )
        else:
            text = (
                f"Terlalu banyak percobaan masuk yang salah. Tunggu {math.ceil(wait_seconds)} detik lalu coba lagi, "
                "atau minta supervisor mengatur ulang kata sandi Anda."
            )
        super().__init__(text)
        self.wait_seconds = wait_seconds
        self.tampered = tampered


class KeyFileError(StoreError):
    """keys.json is missing its officers or is damaged."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(
            "Berkas kunci (keys.json) rusak sehingga basis data tidak dapat dibuka. Jangan menghapus apa pun; "
            "pulihkan dari cadangan dengan 'loket-admin restore' atau hubungi dukungan teknis.",
            f"{path}: {detail}",
        )


class NotInitialisedError(StoreError):
    """No database here yet."""

    def __init__(self, path: str) -> None:
        super().__init__(
            "Belum ada data Loket di folder ini. Jalankan 'loket-admin init' atau buka aplikasi untuk membuat "
            "supervisor pertama.",
            path,
        )


class DatabaseCorruptError(StoreError):
    """The database file is truncated, damaged or not a Loket database."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            "Basis data rusak atau terpotong dan tidak dapat dibuka. Data yang ada tidak diubah. Pulihkan dari "
            "cadangan terakhir dengan 'loket-admin restore FILE' atau hubungi dukungan teknis.",
            detail,
        )


class DatabaseTooNewError(StoreError):
    """The database was written by a newer Loket than this one."""

    def __init__(self, found: int, supported: int) -> None:
        super().__init__(
            f"Basis data ini dibuat oleh versi Loket yang lebih baru (skema {found}; versi ini mengenal sampai "
            f"{supported}). Pasang versi Loket terbaru; data tidak diubah.",
        )
        self.found = found
        self.supported = supported


class DiskFullError(StoreError):
    """The disk is full: nothing was saved, what was saved before is intact."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Ruang penyimpanan penuh; perubahan terakhir belum tersimpan, data sebelumnya aman. Kosongkan ruang "
            "disk (hapus berkas yang tidak perlu atau pindahkan cadangan lama) lalu simpan lagi.",
            detail,
        )


class BlobError(StoreError):
    """A scanned document file is missing or damaged."""

    def __init__(self, digest: str, problem: str) -> None:
        super().__init__(
            f"Berkas dokumen pindaian {digest[:12]}… {problem}. Pindai ulang dokumen itu atau pulihkan dari cadangan.",
            digest,
        )
        self.digest = digest


class PermissionDeniedError(StoreError):
    """The officer's role does not allow this action."""

    def __init__(self, action: str) -> None:
        super().__init__(f"Peran Anda tidak diizinkan untuk {action}. Minta supervisor melakukannya.")


class StateError(StoreError):
    """An action that does not fit the application's current state."""
