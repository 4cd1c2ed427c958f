"""The ``secure`` settings: rows of the encrypted database (JSON values), declared in `app.settings_registry`.

Sync credentials live here, not in a plain file: the device secret and signing key are only readable
once an officer has unlocked the store.
"""

from __future__ import annotations

import json
from typing import Any

from app.settings_registry import SettingSpec, in_scope
from app.store.db import guarded
from app.store.models import Setting

SPECS: dict[str, SettingSpec] = {spec.key: spec for spec in in_scope("secure")}


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
    if spec.type is int and isinstance(value, bool):
        return _copy(spec.default)
    return value if isinstance(value, spec.type) else _copy(spec.default)


def put(key: str, value: Any) -> None:
    """Store a setting (inside the caller's transaction when there is one)."""
    spec = _spec(key)
    if not isinstance(value, spec.type) or (spec.type is int and isinstance(value, bool)):
        raise TypeError(f"setting {key} takes a {spec.type.__name__}, not {type(value).__name__}")
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    guarded(lambda: Setting.insert(key=key, value=text).on_conflict_replace().execute())


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value))
