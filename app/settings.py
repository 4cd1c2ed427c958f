"""The installation's settings (settings.json beside the database): read, checked, changed and observed.

Each setting is declared once in `app.settings_registry` (scope, type, default, who may change it).
This module keeps the ``installation`` scope: readable before log-in, no personal data. The app and
`loket-admin settings` change them through `Settings.set`; observers are told about every change,
also one made by another process (`reload`, which the app calls when the file changes).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from app.errors import KnownError
from app.fileio import atomic_write
from app.settings_registry import BY_KEY, RENAMED, SPECS, Changer, SettingSpec, in_scope

log = logging.getLogger("loket")

__all__ = ["SPECS", "SettingSpec", "Settings", "SettingsError", "parse_value", "spec"]

Observer = Callable[[str, object], None]
_TRUE = {"ya", "y", "true", "1", "on", "aktif"}
_FALSE = {"tidak", "t", "false", "0", "off", "nonaktif"}


class SettingsError(KnownError):
    """A setting that is not declared, a value that does not fit, or a person who may not change it."""


def spec(key: str) -> SettingSpec:
    """The declaration of one setting."""
    return BY_KEY[key]


def unknown_key(key: str) -> SettingsError:
    """The error for an undeclared key, naming every setting that may be changed."""
    keys = ", ".join(s.key for s in SPECS if s.changed_by)
    return SettingsError(f"Pengaturan '{key}' tidak dikenal. Pengaturan yang ada: {keys}.")


def check_value(declared: SettingSpec, value: object) -> object:
    """The value if it fits its declaration; SettingsError saying what is allowed otherwise."""
    allowed = f"{declared.label} ({declared.key}): yang diperbolehkan {declared.allowed()}."
    if declared.type is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingsError(f"Nilai tidak sah untuk {allowed}")
        if (declared.minimum is not None and value < declared.minimum) or (
            declared.maximum is not None and value > declared.maximum
        ):
            raise SettingsError(f"Nilai {value} di luar batas untuk {allowed}")
    elif not isinstance(value, declared.type):
        raise SettingsError(f"Nilai tidak sah untuk {allowed}")
    if declared.choices and value not in {choice for choice, _ in declared.choices}:
        raise SettingsError(f"Nilai {value} tidak ada untuk {allowed}")
    return value


def parse_value(declared: SettingSpec, text: str) -> object:
    """A value typed on the command line, converted to the setting's type and checked."""
    raw = text.strip()
    value: object = raw
    if declared.type is int:
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(
                f"'{text}' bukan bilangan untuk {declared.label} ({declared.key}): "
                f"yang diperbolehkan {declared.allowed()}."
            ) from None
    elif declared.type is bool:
        word = raw.lower()
        if word not in _TRUE | _FALSE:
            raise SettingsError(
                f"'{text}' tidak sah untuk {declared.label} ({declared.key}): yang diperbolehkan ya atau tidak."
            )
        value = word in _TRUE
    return check_value(declared, value)


class Settings:
    """The settings of one installation (settings.json); thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._observers: list[Observer] = []
        self._values: dict[str, object] = self._read()

    # -- reading --------------------------------------------------------------------------------------
    def _read(self) -> dict[str, object]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            log.warning("settings file unreadable; defaults used")
            return {}
        if not isinstance(data, dict):
            return {}
        values: dict[str, object] = {}
        for stored, value in data.items():
            key = RENAMED.get(str(stored), str(stored))
            declared = BY_KEY.get(key)
            if declared is None or declared.scope != "installation":
                continue
            try:
                values[key] = check_value(declared, value)
            except SettingsError:
                log.warning("setting %s in settings.json does not fit its declaration; default used", key)
        return values

    def get(self, key: str) -> object:
        """The value, or the declared default."""
        declared = self._spec(key)
        with self._lock:
            return self._values.get(key, declared.default)

    def text(self, key: str) -> str:
        """A text setting."""
        return str(self.get(key))

    def number(self, key: str) -> int:
        """A whole-number setting."""
        value = self.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    def flag(self, key: str) -> bool:
        """A yes/no setting."""
        return self.get(key) is True

    def is_default(self, key: str) -> bool:
        """Whether the setting has never been changed from its default."""
        with self._lock:
            return key not in self._values

    # -- changing -------------------------------------------------------------------------------------
    def set(self, key: str, value: object, *, by: Changer | None = None) -> None:
        """Check, store and announce a new value; `by` is who asks (None: Loket itself)."""
        declared = BY_KEY.get(key)
        if declared is None or declared.scope != "installation":
            raise unknown_key(key)
        if by is not None and by not in declared.changed_by:
            raise SettingsError(_not_allowed(declared, by))
        check_value(declared, value)
        with self._lock:
            # Another process (loket-admin) may have changed the file: keep its changes.
            current = self._read()
            changed = self._merge(current)
            if current.get(key, declared.default) != value:
                current[key] = value
                atomic_write(self.path, json.dumps(current, indent=1, ensure_ascii=False).encode("utf-8"))
                self._values = current
                changed.append(key)
        self._announce(changed)

    def reset(self, key: str, *, by: Changer | None = None) -> None:
        """Back to the declared default."""
        self.set(key, self._spec(key).default, by=by)

    def reload(self) -> list[str]:
        """Read the file again (another process changed it); announce and return the keys that changed."""
        with self._lock:
            current = self._read()
            changed = self._merge(current)
        self._announce(changed)
        return changed

    def _merge(self, current: dict[str, object]) -> list[str]:
        """Take `current` as the values; the keys whose effective value changed."""
        changed = [
            s.key
            for s in in_scope("installation")
            if current.get(s.key, s.default) != self._values.get(s.key, s.default)
        ]
        self._values = dict(current)
        return changed

    def observe(self, callback: Observer) -> None:
        """Call `callback(key, value)` after every change (on the thread that made or noticed it)."""
        self._observers.append(callback)

    def unobserve(self, callback: Observer) -> None:
        """Stop calling `callback`."""
        if callback in self._observers:
            self._observers.remove(callback)

    def _announce(self, keys: list[str]) -> None:
        for key in keys:
            value = self.get(key)
            for observer in list(self._observers):
                observer(key, value)

    @staticmethod
    def _spec(key: str) -> SettingSpec:
        declared = BY_KEY.get(key)
        if declared is None or declared.scope != "installation":
            raise unknown_key(key)
        return declared


def _not_allowed(declared: SettingSpec, by: Changer) -> str:
    if declared.kept_by_loket:
        return f"{declared.label} ({declared.key}) diatur oleh Loket sendiri dan tidak dapat diubah."
    if "supervisor" in declared.changed_by and by == "officer":
        return f"{declared.label} hanya dapat diubah oleh supervisor."
    return f"{declared.label} ({declared.key}) tidak dapat diubah dari sini."
