"""The capture dialog with a fake camera (a video of synthetic document photos), a fake scanner and
files: auto capture, shutter, feeder scans, faults, page tools, the keep-anyway choice, saving."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PilImage
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.capture.base import RawPage, Settings
from app.capture.errors import PaperJamError
from app.documents import ID_CARD
from tests.helpers import documents
from tests.helpers.camera import FakeCameras
from tests.helpers.fakes import FakeScanner, gray_page
from ui.capture import CaptureDialog, CapturedPage
from ui.capture.dialog import CAMERA, FILES, SCANNER
from ui.tasks import TaskRunner

WAIT = 30_000


def _dialog(qtbot: QtBot, source: str = "scanner", **kwargs: object) -> CaptureDialog:
    kwargs.setdefault("cameras", FakeCameras(None))
    kwargs.setdefault("scanners", FakeScanner([gray_page(seed=n) for n in range(3)]))
    dialog = CaptureDialog("Kartu Keluarga (KK)", source=source, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()  # shortcuts belong to the active window
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT)
    return dialog


def _pages(dialog: CaptureDialog) -> list[CapturedPage]:
    return dialog.pages()


def _wait_idle(qtbot: QtBot, dialog: CaptureDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.jobs.busy, timeout=WAIT)


def test_camera_captures_each_page_by_itself(qtbot: QtBot, document_video: Path) -> None:
    dialog = _dialog(qtbot, "camera", cameras=FakeCameras(document_video))
    qtbot.waitUntil(lambda: dialog.preview.running, timeout=WAIT)
    qtbot.waitUntil(lambda: dialog.view.outline() is not None, timeout=WAIT)  # the page's outline drawn live
    qtbot.waitUntil(lambda: dialog.strip.count() == 2, timeout=WAIT)
    _wait_idle(qtbot, dialog)
    first, second = _pages(dialog)
    assert first.page.paper == "a4" and first.page.source == "camera"
    assert "resolution" in {c.name for c in first.page.failed}  # a 1280x720 webcam cannot read an A4 page
    assert (second.page.paper, second.page.mode) == ("id_card", "color")
    assert dialog.preview.fps > 0
    assert "2 halaman" in dialog.summary.text()


def test_shutter_takes_the_current_frame(qtbot: QtBot, document_video: Path) -> None:
    dialog = _dialog(qtbot, "camera", cameras=FakeCameras(document_video))
    dialog.camera_bar.auto.setChecked(False)
    qtbot.waitUntil(lambda: dialog.preview.running and dialog.preview.shutter(), timeout=WAIT)
    qtbot.waitUntil(lambda: dialog.strip.count() >= 1, timeout=WAIT)
    _wait_idle(qtbot, dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.strip.count() >= 2, timeout=WAIT)
    _wait_idle(qtbot, dialog)


def test_camera_faults_are_shown(qtbot: QtBot, document_video: Path) -> None:
    dialog = _dialog(qtbot, "camera", cameras=FakeCameras(document_video, fail_open=True))
    qtbot.waitUntil(lambda: "Kamera tidak dapat dibuka" in dialog.status.text(), timeout=WAIT)
    dialog = _dialog(qtbot, "camera", cameras=FakeCameras(document_video, fail_after=3))
    qtbot.waitUntil(lambda: "Kamera tidak dapat dibuka" in dialog.status.text(), timeout=WAIT)
    assert not dialog.preview.running
    dialog = _dialog(qtbot, "camera", cameras=FakeCameras(None))
    qtbot.waitUntil(lambda: "Tidak ada kamera" in dialog.view._message, timeout=WAIT)


def _scan_three(qtbot: QtBot, dialog: CaptureDialog) -> None:
    qtbot.waitUntil(dialog.scanner_bar.scan.isEnabled, timeout=WAIT)
    dialog.scanner_bar.source.setCurrentIndex(dialog.scanner_bar.source.findData(True))
    qtbot.keyClick(dialog, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.strip.count() == 3, timeout=WAIT)
    _wait_idle(qtbot, dialog)


def test_feeder_scan_then_the_page_tools_and_saving(qtbot: QtBot) -> None:
    scanner = FakeScanner([gray_page(seed=n) for n in range(3)])
    dialog = _dialog(qtbot, scanners=scanner)
    _scan_three(qtbot, dialog)
    assert scanner.calls[-1].feeder and scanner.calls[-1].resolution == 200
    original = [page.data for page in _pages(dialog)]
    # reorder: the third page to the front (keyboard), then back one step
    dialog.strip.setCurrentRow(2)
    qtbot.keyClick(dialog.strip, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(dialog.strip, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert [page.data for page in _pages(dialog)] == [original[2], original[0], original[1]]
    # rotate the first page a quarter turn
    before = _pages(dialog)[0].page
    qtbot.keyClick(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _pages(dialog)[0].page.width == before.height, timeout=WAIT)
    assert _pages(dialog)[0].page.height == before.width
    # delete the second page
    dialog.strip.setCurrentRow(1)
    qtbot.keyClick(dialog.strip, Qt.Key.Key_Delete)
    assert dialog.strip.count() == 2
    assert "2 halaman" in dialog.summary.text()
    # retake the first page with a flatbed scan
    dialog.strip.setCurrentRow(0)
    dialog.retake_selected()
    dialog.scanner_bar.source.setCurrentIndex(dialog.scanner_bar.source.findData(False))
    dialog.scan()
    qtbot.waitUntil(lambda: not scanner.calls[-1].feeder and not dialog.jobs.busy, timeout=WAIT)
    assert dialog.strip.count() == 2
    assert _pages(dialog)[0].data == original[0]
    # save: in order, with what attach_page stores
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    pages = _pages(dialog)
    fields = pages[0].store_fields()
    assert fields["source"] == "scanner" and fields["dpi"] == 200 and fields["mode"] == "bilevel"
    assert fields["checks"]["kept_anyway"] is False


def test_a_failed_page_needs_the_officers_decision(qtbot: QtBot) -> None:
    dark = np.full((560, 400), 30, np.uint8)  # the lid left open: a black scan
    dialog = _dialog(qtbot, scanners=FakeScanner([dark], feeder=False))
    qtbot.waitUntil(dialog.scanner_bar.scan.isEnabled, timeout=WAIT)
    dialog.scan()
    qtbot.waitUntil(lambda: dialog.strip.count() == 1, timeout=WAIT)
    _wait_idle(qtbot, dialog)
    assert dialog.keep.isVisible()
    assert "gelap" in dialog.side_checks.text()
    assert dialog.strip.item(0).text().startswith("⚠")
    dialog.try_accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "tidak lolos" in dialog.status.text()
    qtbot.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert dialog.keep.isChecked()
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        dialog.try_accept()
    (page,) = _pages(dialog)
    assert page.kept_anyway
    assert page.store_fields()["checks"]["kept_anyway"] is True
    failed = page.store_fields()["checks"]["failed"]
    assert isinstance(failed, list) and "dark" in failed


def test_a_jam_is_told_and_the_pages_before_it_are_kept(qtbot: QtBot) -> None:
    scanner = FakeScanner([gray_page(seed=n) for n in range(3)], fail_after=1, error=PaperJamError("jammed"))
    dialog = _dialog(qtbot, scanners=scanner)
    qtbot.waitUntil(dialog.scanner_bar.scan.isEnabled, timeout=WAIT)
    dialog.scanner_bar.source.setCurrentIndex(dialog.scanner_bar.source.findData(True))
    dialog.scan()
    qtbot.waitUntil(lambda: "Kertas macet" in dialog.status.text(), timeout=WAIT)
    _wait_idle(qtbot, dialog)
    assert dialog.strip.count() == 1
    assert dialog.scanner_bar.scan.isEnabled()


def test_files_good_and_bad_by_dialog_and_by_drop(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = tmp_path / "surat.png"
    PilImage.fromarray(gray_page()).save(good, dpi=(200, 200))
    (tmp_path / "kosong.jpg").write_bytes(b"")
    (tmp_path / "rusak.pdf").write_bytes(b"%PDF-1.4\n" + bytes(300))
    dialog = _dialog(qtbot, "files")
    monkeypatch.setattr(dialog, "_choose_files", lambda: [good, tmp_path / "kosong.jpg", tmp_path / "rusak.pdf"])
    qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "kosong.jpg" in dialog.status.text(), timeout=WAIT)
    _wait_idle(qtbot, dialog)
    assert dialog.strip.count() == 1
    assert "rusak.pdf" in dialog.status.text() and "PDF rusak" in dialog.status.text()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(good))])
    drop = QDropEvent(
        QPointF(50, 50), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    dialog.dropEvent(drop)
    qtbot.waitUntil(lambda: dialog.strip.count() == 2, timeout=WAIT)
    _wait_idle(qtbot, dialog)


def test_corner_handles_fix_the_outline(qtbot: QtBot, tmp_path: Path) -> None:
    card = documents.id_card(5)
    photo = documents.photograph(card, frame=(1200, 900), fill=0.7, seed=2)
    path = tmp_path / "ktp.jpg"
    PilImage.fromarray(photo.image).save(path, quality=92)
    dialog = _dialog(qtbot, "files", paper=ID_CARD)
    dialog.import_paths([path])
    qtbot.waitUntil(lambda: dialog.strip.count() == 1, timeout=WAIT)
    _wait_idle(qtbot, dialog)
    before = _pages(dialog)[0].page.outline
    assert before is not None
    qtbot.keyClick(dialog, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert dialog.view.editing and dialog.apply_corners.isVisible()
    # drag the top-left handle 40 widget pixels right and down
    start = dialog.view._to_widget(dialog.view.outline()[0])  # type: ignore[index]
    press, end = QPoint(round(start.x()), round(start.y())), QPoint(round(start.x()) + 40, round(start.y()) + 40)
    qtbot.mousePress(dialog.view, Qt.MouseButton.LeftButton, pos=press)
    qtbot.mouseMove(dialog.view, end)
    qtbot.mouseRelease(dialog.view, Qt.MouseButton.LeftButton, pos=end)
    moved = dialog.view.outline()[0]  # type: ignore[index]
    dialog.apply_corners.click()
    assert not dialog.view.editing
    qtbot.waitUntil(lambda: not np.allclose(_pages(dialog)[0].page.outline, before), timeout=WAIT)
    after = _pages(dialog)[0].page.outline
    assert after is not None
    scale = dialog._edit_scale
    assert after[0] == pytest.approx((moved.x() / scale, moved.y() / scale), abs=1.0)
    assert np.allclose(after[1:], before[1:], atol=1.0)


def test_tabs_and_no_scanner(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, "files", scanners=FakeScanner([]))
    qtbot.keyClick(dialog, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert dialog.tabs.currentIndex() == SCANNER
    qtbot.waitUntil(lambda: dialog.scanner_bar.devices.count() == 1, timeout=WAIT)
    qtbot.keyClick(dialog, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert dialog.tabs.currentIndex() == CAMERA
    qtbot.keyClick(dialog, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert dialog.tabs.currentIndex() == FILES
    dialog.try_accept()
    assert "Belum ada halaman" in dialog.status.text()


def test_ask_returns_none_when_cancelled_and_pages_when_saved(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CaptureDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert (
        CaptureDialog.ask(None, "KTP-el", cameras=FakeCameras(None), scanners=FakeScanner([]), source="files") is None
    )
    monkeypatch.setattr(CaptureDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    assert CaptureDialog.ask(None, "KTP-el", cameras=FakeCameras(None), scanners=FakeScanner([]), source="files") == []


class _HeldFeeder(FakeScanner):
    """A feeder that holds the second sheet until the test lets it go."""

    def __init__(self) -> None:
        super().__init__([gray_page(seed=n) for n in range(3)])
        self.release = threading.Event()
        self.fed = 0

    def capture(self, device_id: str, settings: Settings) -> Iterator[RawPage]:
        """The pages, waiting before the second."""
        for page in super().capture(device_id, settings):
            if self.fed == 1:
                self.release.wait(WAIT / 1000)
            self.fed += 1
            yield page


def test_closing_drops_the_dialogs_work_and_leaves_the_apps_runner_running(qtbot: QtBot) -> None:
    runner = TaskRunner()
    try:
        scanner = _HeldFeeder()
        dialog = _dialog(qtbot, scanners=scanner, runner=runner)
        assert dialog.runner is runner
        qtbot.waitUntil(dialog.scanner_bar.scan.isEnabled, timeout=WAIT)
        dialog.scanner_bar.source.setCurrentIndex(dialog.scanner_bar.source.findData(True))
        dialog.scan()
        qtbot.waitUntil(lambda: dialog.strip.count() == 1, timeout=WAIT)
        assert dialog.jobs.busy == 1
        dialog.reject()
        scanner.release.set()
        qtbot.waitUntil(lambda: not dialog.jobs.busy, timeout=WAIT)
        assert scanner.fed == 2  # the scan stopped at the first check after closing
        assert dialog.strip.count() == 1  # and the page it still processed was not delivered
        assert not dialog.scanner_bar.scan.isEnabled()  # nor was its end
        out: list[object] = []
        runner.db("after the dialog", lambda: "still running", out.append)
        qtbot.waitUntil(lambda: out == ["still running"], timeout=WAIT)
    finally:
        runner.stop()


def test_the_capture_settings_choose_the_scanner_and_resolution_and_remember_what_was_used(
    qtbot: QtBot, tmp_path: Path, document_video: Path
) -> None:
    from app.settings import Settings as InstallationSettings
    from ui.capture.preferences import CapturePreferences

    settings = InstallationSettings(tmp_path / "settings.json")
    settings.set("capture.scanner", "fake:second")
    settings.set("capture.dpi", 300)
    scanner = FakeScanner([gray_page(seed=1)], ids=("fake:first", "fake:second"), feeder=False)
    dialog = _dialog(qtbot, scanners=scanner, preferences=CapturePreferences.from_settings(settings))
    qtbot.waitUntil(lambda: dialog.scanner_bar.device_id() is not None, timeout=WAIT)
    assert dialog.scanner_bar.device_id() == "fake:second"
    assert dialog.scanner_bar.resolution.currentData() == 300
    dialog.scanner_bar.devices.setCurrentIndex(0)
    dialog.scanner_bar.resolution.setCurrentIndex(dialog.scanner_bar.resolution.findData(150))
    dialog.scan()
    qtbot.waitUntil(lambda: dialog.strip.count() == 1, timeout=WAIT)
    _wait_idle(qtbot, dialog)
    assert scanner.used == ["fake:first"] and scanner.calls[0].resolution == 150
    assert settings.text("capture.scanner") == "fake:first", "the scanner used is chosen first next time"
    assert settings.number("capture.dpi") == 150

    settings.set("capture.camera", "fake:0")
    camera = _dialog(
        qtbot, "camera", cameras=FakeCameras(document_video), preferences=CapturePreferences.from_settings(settings)
    )
    qtbot.waitUntil(lambda: camera.preview.running, timeout=WAIT)
    assert camera.camera_bar.device_id() == "fake:0"
    settings.set("capture.camera", "")
    camera.preview.stop()
    camera._open_camera()
    qtbot.waitUntil(lambda: camera.preview.running, timeout=WAIT)
    assert settings.text("capture.camera") == "fake:0", "the camera used is remembered"
