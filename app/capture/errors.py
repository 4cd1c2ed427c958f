"""Capture faults the officer can act on, each told in plain Bahasa Indonesia (not bugs)."""

from __future__ import annotations

from app.errors import KnownError


class CaptureError(KnownError):
    """Root of every known capture fault: scanners, cameras and imported files."""


class DriverMissingError(CaptureError):
    """The scanner or camera layer of this computer is not installed."""

    def __init__(self, what: str, detail: str = "") -> None:
        super().__init__(
            f"{what} tidak dapat digunakan di komputer ini karena komponennya belum terpasang. Pasang ulang Loket "
            "atau hubungi dukungan teknis; sementara itu dokumen dapat difoto dengan kamera atau diimpor dari berkas.",
            detail,
        )


class DeviceNotFoundError(CaptureError):
    """The chosen scanner or camera is not connected (any more)."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Perangkat tidak ditemukan. Pastikan kabel USB terpasang dan perangkat menyala, lalu tekan 'Muat ulang "
            "perangkat'.",
            detail,
        )


class DeviceBusyError(CaptureError):
    """Another program holds the device."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Perangkat sedang dipakai program lain (misalnya aplikasi pemindai bawaan atau rapat video). Tutup program "
            "itu lalu coba lagi.",
            detail,
        )


class FeederEmptyError(CaptureError):
    """The document feeder has no paper."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("Pengumpan kertas (ADF) kosong. Masukkan dokumen ke pengumpan lalu tekan Pindai.", detail)


class NoFeederError(CaptureError):
    """A feeder scan was asked of a scanner that has none."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Pemindai ini tidak memiliki pengumpan kertas (ADF). Pilih sumber 'Kaca pemindai' dan pindai satu per "
            "satu halaman.",
            detail,
        )


class DeviceWarmingUpError(CaptureError):
    """The scanner's lamp is still warming up."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Pemindai sedang bersiap (lampu masih memanas). Tunggu sebentar lalu tekan Pindai lagi.", detail
        )


class PaperJamError(CaptureError):
    """Paper is stuck in the feeder."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Kertas macet di pemindai. Buka penutup pengumpan, keluarkan kertas dengan hati-hati, lalu pindai ulang "
            "halaman yang belum masuk. Halaman yang sudah terpindai tetap tersimpan.",
            detail,
        )


class CoverOpenError(CaptureError):
    """The scanner's cover or feeder door is open."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("Penutup pemindai terbuka. Tutup penutupnya lalu tekan Pindai lagi.", detail)


class ScanFailedError(CaptureError):
    """The scanner stopped with an error it did not explain."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Pemindaian gagal. Matikan lalu nyalakan pemindai, periksa kabelnya, lalu coba lagi. Halaman yang sudah "
            "terpindai tetap tersimpan.",
            detail,
        )


class CameraError(CaptureError):
    """The camera cannot be opened or stopped delivering pictures."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Kamera tidak dapat dibuka atau berhenti mengirim gambar. Tutup aplikasi lain yang memakai kamera "
            "(misalnya rapat video), pasang ulang kabel USB kamera, lalu pilih kamera lagi.",
            detail,
        )


class FileImportError(CaptureError):
    """Root of the faults of one imported file; name is the file's name (shown, never logged)."""

    def __init__(self, message: str, name: str, detail: str = "") -> None:
        super().__init__(message, detail)
        self.name = name


class EmptyFileError(FileImportError):
    """A zero-byte file."""

    def __init__(self, name: str) -> None:
        super().__init__("Berkas kosong (0 byte). Salin ulang berkas dari sumbernya lalu impor lagi.", name)


class UnreadableFileError(FileImportError):
    """The file cannot be opened (missing, no permission, device removed)."""

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            "Berkas tidak dapat dibuka. Periksa bahwa berkas masih ada dan flashdisk masih terpasang, lalu coba lagi.",
            name,
            detail,
        )


class UnsupportedFileError(FileImportError):
    """Not an image or PDF Loket reads."""

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            "Jenis berkas ini tidak dapat diimpor. Gunakan foto atau pindaian berformat JPEG, PNG, TIFF, atau PDF.",
            name,
            detail,
        )


class DamagedFileError(FileImportError):
    """An image that is truncated or corrupt."""

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            "Berkas gambar rusak atau tidak lengkap (mungkin terpotong saat disalin). Salin ulang dari sumbernya atau "
            "pindai ulang dokumennya.",
            name,
            detail,
        )


class FileTooLargeError(FileImportError):
    """Larger than Loket accepts (file size or pixel count)."""

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            "Berkas terlalu besar untuk diimpor. Pindai atau foto dokumennya dengan resolusi lebih rendah (200 dpi "
            "cukup), atau pisahkan PDF menjadi beberapa berkas.",
            name,
            detail,
        )


class EncryptedPdfError(FileImportError):
    """A PDF protected by a password."""

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            "PDF ini dilindungi kata sandi sehingga tidak dapat dibuka. Minta berkas tanpa kata sandi, atau cetak lalu "
            "pindai dokumennya.",
            name,
            detail,
        )


class DamagedPdfError(FileImportError):
    """A PDF that cannot be read."""

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            "PDF rusak atau tidak lengkap sehingga tidak dapat dibaca. Salin ulang dari sumbernya, atau cetak lalu "
            "pindai dokumennya.",
            name,
            detail,
        )
