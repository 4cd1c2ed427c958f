"""Fixtures of the update tests: a signed repository with two stand-in releases, a real server serving it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.dinas import DinasServer, start_server
from tests.integration.updates.releases import Releases


@pytest.fixture
def releases(tmp_path: Path) -> Releases:
    """0.1.0, then 0.2.0 changing three modules (a patch and a full archive)."""
    made = Releases.create(tmp_path / "dinas-it")
    made.publish("0.1.0")
    made.publish("0.2.0", changed=3)
    return made


@pytest.fixture
def server(tmp_path: Path, releases: Releases) -> Iterator[DinasServer]:
    running = start_server(tmp_path / "server", extra_args=("--updates", str(releases.served)))
    try:
        yield running
    finally:
        running.stop()
