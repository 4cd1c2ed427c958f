"""Fixtures of the capture dialog tests: the fake camera's video, and no worker thread left behind."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.camera import document_frames, write_video


@pytest.fixture(scope="session")
def document_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A video of a page slid under the camera and held still, then an ID card."""
    return write_video(tmp_path_factory.mktemp("camera") / "documents.avi", document_frames())


@pytest.fixture(autouse=True)
def _no_task_left_running() -> Iterator[None]:
    """A dialog that made its own task runner stops it when it closes: no runner thread outlives a test."""
    before = set(threading.enumerate())
    yield
    left = [
        thread.name for thread in threading.enumerate() if thread not in before and thread.name.startswith("loket-")
    ]
    assert not left, f"runner threads still alive: {left}"
