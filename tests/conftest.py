"""Test configuration shared by every test: Qt offscreen, and no test touches the real profile."""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Data and cache folders of this test run only (subprocesses inherit them).
_run_dir = tempfile.mkdtemp(prefix="loket-tests-")
os.environ["LOKET_BASEDIR"] = os.path.join(_run_dir, "data")
os.environ["LOKET_CACHE_DIR"] = os.path.join(_run_dir, "cache")


import gc  # noqa: E402 - after the environment above, which must come first
from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _collect_qt_garbage_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a Qt test, collect its cyclic garbage here, on the GUI thread.

    Left to chance, the collection would run on whichever thread allocates next, such as a later
    test's worker, and Qt objects destroyed there crash the process (the app itself collects on the
    GUI thread only: ui/collector.py).
    """
    yield
    if "qtbot" in request.fixturenames or "qapp" in request.fixturenames:
        gc.collect()
