"""The settings registry and the installation's settings: declared once, checked, observed, shared with loket-admin."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.settings import Settings, SettingsError, parse_value
from app.settings_registry import SPECS, markdown_table, spec
from app.store import settings as secure

DOCS = Path(__file__).resolve().parents[3] / "docs" / "installing.md"


def test_every_setting_is_declared_once_with_a_description_and_a_default_of_its_type() -> None:
    keys = [s.key for s in SPECS]
    assert len(keys) == len(set(keys))
    for declared in SPECS:
        assert declared.label and declared.description and declared.effect
        assert isinstance(declared.default, declared.type)
        assert declared.scope in ("installation", "secure")
        if declared.changed_by:
            assert declared.scope == "installation", "what people change is readable before log-in"
    assert set(secure.SPECS) == {s.key for s in SPECS if s.scope == "secure"}


def test_the_docs_carry_the_registrys_table() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert markdown_table() in text, "regenerate with: python -m app.settings_registry"


def test_values_are_checked_and_who_may_change_them(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    assert settings.number("sync.interval_seconds") == 300 and settings.is_default("sync.interval_seconds")
    settings.set("sync.interval_seconds", 600, by="supervisor")
    assert Settings(tmp_path / "settings.json").number("sync.interval_seconds") == 600
    with pytest.raises(SettingsError, match="hanya dapat diubah oleh supervisor"):
        settings.set("sync.interval_seconds", 900, by="officer")
    with pytest.raises(SettingsError, match="diatur oleh Loket sendiri"):
        settings.set("ui.window_geometry", "x", by="support")
    settings.set("ui.window_geometry", "x")  # Loket itself
    with pytest.raises(SettingsError, match=re.escape("bilangan bulat 0 sampai 100000")):
        settings.set("sync.bandwidth_cap_kbps", -1)
    with pytest.raises(SettingsError, match=r"tidak dikenal.*sync\.paused"):
        settings.set("sync.bandwidth_kbps", 5)
    with pytest.raises(SettingsError, match="tidak dikenal"):
        settings.get("sync.device")  # a secure setting: app.store.settings
    assert parse_value(spec("sync.paused"), "Ya") is True and parse_value(spec("sync.paused"), "tidak") is False
    assert parse_value(spec("capture.dpi"), " 300 ") == 300


def test_a_change_on_disk_reaches_the_observers_and_is_kept_by_the_next_write(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    app = Settings(path)
    seen: list[tuple[str, object]] = []
    app.observe(lambda key, value: seen.append((key, value)))
    Settings(path).set("sync.paused", True, by="support")  # loket-admin
    assert app.reload() == ["sync.paused"] and seen == [("sync.paused", True)]
    assert app.reload() == []
    Settings(path).set("sync.interval_seconds", 120, by="support")
    app.set("outpost.site", "SDN 1", by="officer")
    assert ("sync.interval_seconds", 120) in seen and ("outpost.site", "SDN 1") in seen
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "sync.paused": True,
        "sync.interval_seconds": 120,
        "outpost.site": "SDN 1",
    }


def test_older_files_are_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps({"sync.bandwidth_kbps": 256, "sync.server_url": "https://lama", "capture.dpi": 999}),
        encoding="utf-8",
    )
    settings = Settings(path)
    assert settings.number("sync.bandwidth_cap_kbps") == 256, "the old name of the cap"
    assert settings.number("capture.dpi") == 200, "a value that does not fit: the default"
