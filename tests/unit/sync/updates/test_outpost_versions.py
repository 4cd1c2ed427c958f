"""The version each laptop reports is visible on the back office's outposts page (issue 19, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.server import updates
from tests.unit.sync.backoffice.conftest import Web, web  # noqa: F401 - the fixture


def test_the_outposts_page_shows_each_laptops_version_and_staged_update(
    web: Web,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(updates.ENV_UPDATES, str(tmp_path))
    updates.record_report(tmp_path, web.device.device_id, web.device.outpost.code, "0.2.0", staged="0.3.0")
    updates.record_report(tmp_path, web.other.device_id, web.other.outpost.code, "0.2.0")
    web.staff("admin.dinas", "Hendra Gunawan", "admin")

    page = web.login("admin.dinas").get("/backoffice/pos").text

    assert "Loket 0.2.0, versi 0.3.0 siap dipasang" in page
    assert page.count("Loket 0.2.0") == 2


def test_reports_are_rewritten_only_when_they_change(tmp_path: Path) -> None:
    updates.record_report(tmp_path, "d-1", "35.21.01.2001", "0.2.0")
    path = tmp_path / updates.REPORTS_DIR / "d-1.json"
    first = path.stat().st_mtime_ns
    updates.record_report(tmp_path, "d-1", "35.21.01.2001", "0.2.0")
    assert path.stat().st_mtime_ns == first
    updates.record_report(tmp_path, "d-1", "35.21.01.2001", "0.2.0", staged="0.3.0")
    assert updates.reports(tmp_path)["d-1"].staged == "0.3.0"
    (tmp_path / updates.REPORTS_DIR / "broken.json").write_text("{")
    assert set(updates.reports(tmp_path)) == {"d-1"}
    assert updates.reports(None) == {}
