"""Device settings kept in the encrypted database (Setting rows, JSON values), each declared once.

Sync credentials live here, not in a plain file: the device secret and signing key are only readable
once an officer has unlocked the store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.store.db import guarded
from app.store.models import Setting


@dataclass(frozen=True)
class SettingSpec:
    """One setting: its JSON type, default, and what it is for."""

    key: str
    kind: type
    default: Any
    description: str


SPECS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec("sync.server_url", str, "", "Alamat server Dinas, mis. https://loket.dukcapil.example.go.id"),
        SettingSpec(
            "sync.device",
            dict,
            {},
            "Kredensial perangkat dari pendaftaran: device_id, secret, signing_key, outpost_code, outpost_name",
        ),
        SettingSpec("sync.bandwidth_cap_kbps", int, 0, "Batas kecepatan unggah dalam kbit/s (0: tanpa batas)"),
        SettingSpec("sync.interval_seconds", int, 300, "Jeda sinkronisasi otomatis dalam detik"),
        SettingSpec("sync.paused", bool, False, "Sinkronisasi dijeda oleh petugas"),
        SettingSpec("sync.status_cursor", int, 0, "Posisi terakhir umpan status Dinas yang sudah diterapkan"),
        SettingSpec("sync.reference", dict, {}, "Katalog dan skema formulir terakhir yang diunduh dari Dinas"),
        SettingSpec("sync.link", dict, {}, "Kecepatan tautan terakhir yang terukur (bita/detik) dan waktunya"),
        SettingSpec("sync.notices_seen", dict, {}, "Pemberitahuan status Dinas yang sudah dibaca, per permohonan"),
        SettingSpec("sync.last_success", str, "", "Waktu sinkronisasi berhasil terakhir (UTC, ISO 8601)"),
    )
}


def _spec(key: str) -> SettingSpec:
    try:
        return SPECS[key]
    except KeyError:
        raise KeyError(f"undeclared setting {key!r}") from None


def get(key: str) -> Any:
    """The setting's value, or its default when unset or of the wrong type."""
    spec = _spec(key)
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return _copy(spec.default)
    try:
        value = json.loads(row.value)
    except ValueError:
        return _copy(spec.default)
    if spec.kind is int and isinstance(value, bool):
        return _copy(spec.default)
    return value if isinstance(value, spec.kind) else _copy(spec.default)


def put(key: str, value: Any) -> None:
    """Store a setting (inside the caller's transaction when there is one)."""
    spec = _spec(key)
    if not isinstance(value, spec.kind) or (spec.kind is int and isinstance(value, bool)):
        raise TypeError(f"setting {key} takes a {spec.kind.__name__}, not {type(value).__name__}")
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    guarded(lambda: Setting.insert(key=key, value=text).on_conflict_replace().execute())


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value))
