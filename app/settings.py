"""Device and outpost settings: each declared once with type, default and description; stored in
settings.json beside the database (readable before login, no personal data); observers are told
about changes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.errors import KnownError
from app.fileio import atomic_write

log = logging.getLogger("loket")


@dataclass(frozen=True)
class SettingSpec:
    """One setting: its key, type, default and what it is for (shown in the settings dialog)."""

    key: str
    type: type
    default: object
    label: str
    help: str = ""
    choices: tuple[tuple[object, str], ...] = ()
    minimum: int | None = None
    maximum: int | None = None


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("outpost.name", str, "", "Nama kantor/pos pelayanan", "Dicetak pada tanda terima."),
    SettingSpec("outpost.region", str, "", "Kode wilayah kantor (desa/kecamatan)", "Kode Kemendagri, mis. 35.21.01"),
    SettingSpec(
        "outpost.site",
        str,
        "",
        "Lokasi pelayanan hari ini",
        "Kantor, atau sekolah/rumah sakit tempat tim keliling bertugas.",
    ),
    SettingSpec(
        "print.template",
        str,
        "pmdn109",
        "Templat cetak formulir",
        "Tata letak formulir yang diminta Dinas kabupaten Anda.",
    ),
    SettingSpec(
        "security.idle_lock_minutes", int, 15, "Kunci otomatis setelah tidak aktif (menit)", minimum=1, maximum=120
    ),
    SettingSpec("security.relogin_hours", int, 12, "Wajib masuk ulang setiap (jam)", minimum=1, maximum=24),
    SettingSpec("sync.server_url", str, "", "Alamat server Dinas", "Mis. https://loket.dukcapil.ngawikab.go.id"),
    SettingSpec(
        "sync.bandwidth_kbps", int, 0, "Batas kecepatan kirim (kbit/detik, 0 = tanpa batas)", minimum=0, maximum=100_000
    ),
    SettingSpec("capture.scanner", str, "", "Pemindai bawaan"),
    SettingSpec("capture.camera", str, "", "Kamera bawaan"),
    SettingSpec("capture.dpi", int, 200, "Resolusi pindai (dpi)", choices=((150, "150"), (200, "200"), (300, "300"))),
    SettingSpec("ui.window_geometry", str, "", "Ukuran dan posisi jendela (otomatis)"),
)
_BY_KEY = {spec.key: spec for spec in SPECS}


class SettingsError(KnownError):
    """A setting value that does not fit its declaration."""


class Settings:
    """The settings of one installation (settings.json)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._values: dict[str, object] = {}
        self._observers: list[Callable[[str, object], None]] = []
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    self._values = {k: v for k, v in data.items() if k in _BY_KEY}
            except (OSError, ValueError):
                log.warning("settings file unreadable; defaults used")

    def get(self, key: str) -> object:
        """The value, or the declared default."""
        spec = _BY_KEY[key]
        return self._values.get(key, spec.default)

    def text(self, key: str) -> str:
        """A text setting."""
        return str(self.get(key))

    def number(self, key: str) -> int:
        """A whole-number setting."""
        value = self.get(key)
        return int(value) if isinstance(value, int | float | str) and str(value).lstrip("-").isdigit() else 0

    def set(self, key: str, value: object) -> None:
        """Check, store and announce a new value."""
        spec = _BY_KEY.get(key)
        if spec is None:
            raise SettingsError(f"Pengaturan '{key}' tidak dikenal.")
        if spec.type is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise SettingsError(f"{spec.label} harus berupa angka.")
            if (spec.minimum is not None and value < spec.minimum) or (
                spec.maximum is not None and value > spec.maximum
            ):
                raise SettingsError(f"{spec.label} harus antara {spec.minimum} dan {spec.maximum}.")
        elif not isinstance(value, spec.type):
            raise SettingsError(f"{spec.label} harus berupa teks.")
        if self._values.get(key, spec.default) == value:
            return
        self._values[key] = value
        atomic_write(self.path, json.dumps(self._values, indent=1, ensure_ascii=False).encode("utf-8"))
        for observer in list(self._observers):
            observer(key, value)

    def observe(self, callback: Callable[[str, object], None]) -> None:
        """Call `callback(key, value)` after every change."""
        self._observers.append(callback)


def spec(key: str) -> SettingSpec:
    """The declaration of one setting."""
    return _BY_KEY[key]
