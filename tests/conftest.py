"""Test configuration shared by every test: Qt offscreen, and no test touches the real profile."""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Data and cache folders of this test run only (subprocesses inherit them).
_run_dir = tempfile.mkdtemp(prefix="loket-tests-")
os.environ["LOKET_BASEDIR"] = os.path.join(_run_dir, "data")
os.environ["LOKET_CACHE_DIR"] = os.path.join(_run_dir, "cache")
