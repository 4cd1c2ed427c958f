"""The update failures the officer is told about, in Bahasa Indonesia: what happened, what Loket does."""

from __future__ import annotations

from app.errors import KnownError


class UpdateError(KnownError):
    """An update step failed; the laptop keeps running the version it runs (`kind` names the fault)."""

    def __init__(self, kind: str, message: str, detail: str = "") -> None:
        super().__init__(message, detail)
        self.kind = kind


def keep(current: str) -> str:
    """The sentence every update failure ends with."""
    return f"Loket tetap memakai versi {current}."


def link_failed(current: str, detail: str = "") -> UpdateError:
    return UpdateError(
        "link",
        "Pembaruan belum dapat diunduh: koneksi ke server Dinas terputus. Unduhan dilanjutkan otomatis "
        f"pada sinkronisasi berikutnya. {keep(current)}",
        detail,
    )


def unsigned(current: str, detail: str = "") -> UpdateError:
    return UpdateError(
        "tampered_metadata",
        "Pembaruan ditolak: tanda tangan data pembaruan dari server tidak sah (diubah di jalan atau kunci salah). "
        f"{keep(current)} Laporkan ke TI Dinas.",
        detail,
    )


def expired(current: str, detail: str = "") -> UpdateError:
    return UpdateError(
        "expired_metadata",
        "Pembaruan ditolak: data pembaruan di server sudah kedaluwarsa. TI Dinas perlu menandatanganinya ulang "
        f"(loket-server updates refresh). {keep(current)}",
        detail,
    )


def rolled_back(current: str, detail: str = "") -> UpdateError:
    return UpdateError(
        "rollback_metadata",
        "Pembaruan ditolak: server memberikan data pembaruan yang lebih lama daripada yang sudah pernah diterima "
        f"(kemungkinan pemutaran mundur). {keep(current)} Laporkan ke TI Dinas.",
        detail,
    )


def bad_target(current: str, name: str, detail: str = "") -> UpdateError:
    return UpdateError(
        "tampered_target",
        f"Berkas pembaruan {name} rusak atau diubah (ukuran atau hash tidak cocok) dan sudah dibuang; "
        f"akan diunduh ulang pada sinkronisasi berikutnya. {keep(current)}",
        detail,
    )


def bad_patch(current: str, new: str, detail: str = "") -> UpdateError:
    return UpdateError(
        "bad_patch",
        f"Tambalan (patch) ke versi {new} tidak menghasilkan berkas yang ditandatangani Dinas; tambalan dibuang "
        f"dan paket lengkap akan diunduh pada sinkronisasi berikutnya. {keep(current)}",
        detail,
    )


def disk_full(current: str, new: str, needed: int, detail: str = "") -> UpdateError:
    return UpdateError(
        "disk_full",
        f"Ruang disk tidak cukup untuk menyiapkan pembaruan {new} (perlu sekitar {needed / 2**20:.0f} MB bebas). "
        f"Kosongkan ruang disk; pembaruan dicoba lagi pada sinkronisasi berikutnya. {keep(current)}",
        detail,
    )


def not_configured() -> UpdateError:
    return UpdateError(
        "not_configured",
        "Pembaruan otomatis belum aktif di laptop ini: kunci akar (root.json) Dinas tidak ada di instalasi. "
        "Pasang ulang Loket dengan installer dari Dinas.",
    )


def write_failed(current: str, detail: str = "") -> UpdateError:
    return UpdateError(
        "write_failed",
        f"Pembaruan tidak dapat disimpan di disk laptop. Periksa disk; pembaruan dicoba lagi nanti. {keep(current)}",
        detail,
    )


def download_paused(current: str, new: str, detail: str = "") -> UpdateError:
    return UpdateError(
        "paused",
        f"Unduhan pembaruan {new} dilanjutkan pada sinkronisasi berikutnya (bagian yang sudah diunduh disimpan). "
        f"{keep(current)}",
        detail,
    )
