"""The SANE `test` backend (sane-backends' virtual scanner) through our scanner source, the pipeline,
the capture dialog and the encrypted store: a single page, the feeder's ten pages, and its faults."""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.capture.base import Settings
from app.capture.errors import CoverOpenError, DeviceNotFoundError, FeederEmptyError, PaperJamError
from app.capture.sane import SaneScanners
from app.documents import Options, process_page
from app.errors import KnownError
from app.store import applications as apps
from tests.helpers.camera import FakeCameras
from tests.helpers.stores import new_store
from ui.capture import CaptureDialog

sane = pytest.importorskip("sane")
GRID = {"test_picture": "Grid"}
# A scan that gets cancelled must fit in a pipe (64 KiB; 4 KiB once the user's pipe quota is spent),
# see cancel_after_reader_exits: 5 x 5 mm at 200 dpi in gray is 39 x 39 pixels, 1.5 KB.
TINY = {"br_x": 5.0, "br_y": 5.0}
READER_EXIT_TIMEOUT = 10.0  # seconds; a reader writing 1.5 KB is done within milliseconds

Method = Callable[[Any], None]


def _threads() -> set[str]:
    """The kernel ids of this process's threads (the test backend's reader has no Python object)."""
    return set(os.listdir("/proc/self/task"))


def cancel_after_reader_exits(start: Method, cancel: Method) -> tuple[Method, Method]:
    """python-sane's SaneDev.start and SaneDev.cancel, the cancel first waiting until the reader
    thread that start() created has exited.

    Works around a bug of SANE's test backend as built with pthreads (Debian's libsane1, sanei_thread):
    sane_start() runs its reader in a thread with PTHREAD_CANCEL_ASYNCHRONOUS, and sane_cancel()
    closes the pipe, then pthread_cancel()s and joins that thread. The asynchronous cancel can land
    anywhere: in malloc() for the picture buffer (the thread dies holding its malloc arena lock,
    deadlocks on it in glibc's thread-exit cleanup, and pthread_join() -- inside sane_cancel(), which
    python-sane calls with the GIL held -- never returns), or while it holds the dynamic loader's
    lock (seen rarely: the next sane_exit() then hangs in dlclose()). The fault tests meet it: their
    sane_read() fails at once and app.capture.sane then cancels, as the SANE standard asks, while the
    reader still runs; under CPU load about one fault scan in a hundred hung. A reader that has
    exited is safe to cancel (pthread_cancel() leaves it alone), so a scan that gets cancelled here
    must fit in the pipe (TINY), which lets the reader write it all and exit, and this cancel waits
    for that. The calls app.capture.sane makes are unchanged; only when the cancel happens is. (A
    whole page ends at EOF, where the backend stops its reader itself right after the last write, a
    window never hit in tens of thousands of scans.)
    """
    readers: dict[int, set[str]] = {}

    def start_noting_reader(device: Any) -> None:
        readers.pop(id(device), None)
        before = _threads()
        start(device)
        readers[id(device)] = _threads() - before

    def cancel_once_reader_exited(device: Any) -> None:
        reader = readers.pop(id(device), set())
        deadline = time.monotonic() + READER_EXIT_TIMEOUT
        try:
            while reader & _threads():
                if time.monotonic() > deadline:
                    pytest.fail("the test backend's reader still runs: a cancelled scan must fit in a pipe (TINY)")
                time.sleep(0.001)
        finally:
            cancel(device)

    return start_noting_reader, cancel_once_reader_exited


@pytest.fixture(autouse=True)
def sane_test_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """SANE configured with only the test backend (read at every sane.init), and its cancel made
    safe (see cancel_after_reader_exits)."""
    config = tmp_path / "sane.d"
    config.mkdir()
    (config / "dll.conf").write_text("test\n")
    monkeypatch.setenv("SANE_CONFIG_DIR", str(config))
    start, cancel = cancel_after_reader_exits(sane.SaneDev.start, sane.SaneDev.cancel)
    monkeypatch.setattr(sane.SaneDev, "start", start)
    monkeypatch.setattr(sane.SaneDev, "cancel", cancel)
    if not SaneScanners().devices():
        pytest.skip("the SANE test backend (libsane1) is not installed")
    yield


def test_devices_and_capabilities() -> None:
    devices = {device.id: device for device in SaneScanners().devices()}
    assert set(devices) == {"test:0", "test:1"}
    capabilities = devices["test:0"].capabilities
    assert capabilities.flatbed and capabilities.feeder
    assert 200 in capabilities.resolutions
    assert capabilities.modes == ("color", "gray")


def test_single_page_from_the_glass() -> None:
    (page,) = SaneScanners(extra_options=GRID).capture("test:0", Settings(resolution=200))
    assert page.dpi == 200.0 and page.source == "scanner" and page.number == 1
    assert page.image.shape == (1574, 1574)  # the whole 200 x 200 mm glass
    processed = process_page(page.image, source=page.source, source_dpi=page.dpi, options=Options(find="off"))
    assert (processed.mode, processed.dpi, processed.media_type) == ("bilevel", 200, "image/tiff")
    assert len(processed.data) < 20_000


def test_feeder_scans_every_page() -> None:
    pages = list(
        SaneScanners(extra_options=GRID).capture("test:1", Settings(resolution=150, mode="color", feeder=True))
    )
    assert [page.number for page in pages] == list(range(1, 11))  # the test feeder holds ten sheets
    assert all(page.image.shape == (1181, 1181, 3) and page.dpi == 150.0 for page in pages)


@pytest.mark.parametrize(
    ("status", "error"),
    [
        ("SANE_STATUS_JAMMED", PaperJamError),
        ("SANE_STATUS_COVER_OPEN", CoverOpenError),
        ("SANE_STATUS_NO_DOCS", FeederEmptyError),
    ],
)
def test_faults_are_known_errors(status: str, error: type) -> None:
    scanners = SaneScanners(extra_options={"read_return_value": status, **TINY})
    with pytest.raises(error) as caught:
        list(scanners.capture("test:0", Settings(feeder=True)))
    assert isinstance(caught.value, KnownError) and caught.value.message


def _sigpipe_ignored() -> bool:
    """What the kernel does with SIGPIPE for this process (not what Python remembers setting)."""
    status = Path("/proc/self/status").read_text()
    ignored = next(line.split()[1] for line in status.splitlines() if line.startswith("SigIgn:"))
    return bool(int(ignored, 16) >> (signal.SIGPIPE - 1) & 1)


def test_a_scan_on_a_worker_leaves_broken_pipes_harmless() -> None:
    """SANE resets SIGPIPE to "terminate": after a scan, a write to a closed socket must still only
    raise BrokenPipeError (the sync retries it), not kill the app."""
    assert _sigpipe_ignored()
    pages: list[object] = []
    worker = threading.Thread(target=lambda: pages.extend(SaneScanners().capture("test:0", Settings(resolution=75))))
    worker.start()
    worker.join(timeout=120)
    assert len(pages) == 1
    assert _sigpipe_ignored()
    ours, theirs = socket.socketpair()
    theirs.close()
    with pytest.raises(BrokenPipeError):
        ours.sendall(b"x" * 1_000_000)
    ours.close()


def test_unknown_device() -> None:
    with pytest.raises(DeviceNotFoundError):
        list(SaneScanners().capture("test:9", Settings()))


def test_feeder_pages_through_the_dialog_into_the_store(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = CaptureDialog(
        "Kartu Keluarga (KK)", scanners=SaneScanners(extra_options=GRID), cameras=FakeCameras(None), source="scanner"
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.scanner_bar.devices.count() == 2, timeout=30_000)
    dialog.scanner_bar.source.setCurrentIndex(dialog.scanner_bar.source.findData(True))
    dialog.scanner_bar.resolution.setCurrentIndex(dialog.scanner_bar.resolution.findData(150))
    dialog.scan()
    qtbot.waitUntil(lambda: dialog.strip.count() == 10 and not dialog.jobs.busy, timeout=60_000)
    for row in range(10):  # 150 dpi is below what a NIK needs: the officer keeps the pages anyway
        dialog.strip.setCurrentRow(row)
        if dialog.keep.isVisible():
            dialog.keep.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.try_accept()
    captured = dialog.pages()

    store = new_store(tmp_path / "data")
    application = apps.create_draft(store, "KK-BARU")
    for page in captured:
        apps.attach_page(store, application, "kk", page.data, **page.store_fields())
    ((_document, pages),) = apps.pages_of(application)
    assert [page.position for page in pages] == list(range(1, 11))
    first = pages[0]
    assert (first.source, first.dpi, first.mode, first.media_type) == ("scanner", 150, "bilevel", "image/tiff")
    checks = json.loads(first.checks)
    assert checks["failed"] == ["resolution"] and checks["kept_anyway"] is True
    assert store.blobs.get(first.blob_hash) == captured[0].data
