"""Fixtures of the capture dialog tests: the fake camera's video, fake scanners, and no task left behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool

from tests.helpers.camera import document_frames, write_video


@pytest.fixture(scope="session")
def document_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A video of a page slid under the camera and held still, then an ID card."""
    return write_video(tmp_path_factory.mktemp("camera") / "documents.avi", document_frames())


@pytest.fixture(autouse=True)
def _no_task_left_running() -> Iterator[None]:
    yield
    assert QThreadPool.globalInstance().waitForDone(30_000)
