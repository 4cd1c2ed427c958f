"""loket-admin settings list|get|set|reset and sync --once on an installation that cannot sync (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.settings import Settings
from app.settings_registry import changeable

from .test_admin import admin


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("admin-settings") / "data"
    result = admin(base, "init", "kades", "Kepala Seksi", new_password="supervisor-1")
    assert result.returncode == 0, result.stderr
    return base


def test_settings_set_get_list_reset(installation: Path) -> None:
    done = admin(installation, "settings", "set", "sync.bandwidth_cap_kbps", "128")
    assert done.returncode == 0, done.stderr
    assert Settings(installation / "settings.json").number("sync.bandwidth_cap_kbps") == 128
    got = admin(installation, "settings", "get", "sync.bandwidth_cap_kbps")
    assert got.stdout.strip() == "128"
    assert admin(installation, "settings", "set", "sync.paused", "ya").returncode == 0
    assert Settings(installation / "settings.json").flag("sync.paused")
    listed = json.loads(admin(installation, "--json", "settings", "list").stdout)
    assert [row["key"] for row in listed] == [s.key for s in changeable("support")]
    cap = next(row for row in listed if row["key"] == "sync.bandwidth_cap_kbps")
    assert cap["value"] == 128 and cap["changed"] and cap["default"] == 0
    text = admin(installation, "settings", "list").stdout
    assert "sync.interval_seconds" in text and "bawaan" in text and "diubah" in text
    assert admin(installation, "settings", "reset", "sync.paused").returncode == 0
    assert not Settings(installation / "settings.json").flag("sync.paused")


def test_an_unknown_key_lists_the_keys_and_a_bad_value_says_what_is_allowed(installation: Path) -> None:
    unknown = admin(installation, "settings", "set", "sync.server", "https://x")
    assert unknown.returncode == 1
    assert "tidak dikenal" in unknown.stderr
    for key in ("sync.paused", "sync.interval_seconds", "capture.dpi", "outpost.name"):
        assert key in unknown.stderr
    kept = admin(installation, "settings", "set", "sync.server_url", "https://x")
    assert kept.returncode == 1 and "tidak dikenal" in kept.stderr, "the address comes from enrolment only"
    word = admin(installation, "settings", "set", "sync.interval_seconds", "lima")
    assert word.returncode == 1 and "bilangan bulat 30 sampai 86400" in word.stderr
    low = admin(installation, "settings", "set", "sync.interval_seconds", "5")
    assert low.returncode == 1 and "di luar batas" in low.stderr and "30 sampai 86400" in low.stderr
    dpi = admin(installation, "settings", "set", "capture.dpi", "600")
    assert dpi.returncode == 1 and "150, 200, 300, 400" in dpi.stderr
    flag = admin(installation, "settings", "set", "sync.paused", "mungkin")
    assert flag.returncode == 1 and "ya atau tidak" in flag.stderr
    assert Settings(installation / "settings.json").number("sync.interval_seconds") == 300


def test_sync_once_prints_its_report_when_it_cannot_run(installation: Path) -> None:
    failed = admin(installation, "--user", "kades", "--json", "sync", "--once", password="supervisor-1")
    assert failed.returncode == 1
    report = json.loads(failed.stdout)
    assert report["ok"] is False and "belum didaftarkan" in report["error"] and report["sent"] == 0
    text = admin(installation, "--user", "kades", "sync", "--once", password="supervisor-1")
    assert text.returncode == 1
    assert "berhenti sebelum selesai" in text.stdout and "Terkirim 0 permohonan" in text.stdout
    assert "tidak mencoba lagi sendiri" in text.stdout
    state = admin(installation, "--user", "kades", "sync", password="supervisor-1")
    assert state.returncode == 0 and "BELUM terdaftar" in state.stdout and "setiap 300 detik" in state.stdout
