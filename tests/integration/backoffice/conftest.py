"""Fixtures of the back-office browser tests: a populated Dinas server and Debian's chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.backoffice import Office, chromium, chromium_path, open_office

if chromium_path() is None:  # installers/debian-deps.sh installs it; make test runs that first
    raise RuntimeError("chromium is missing: run installers/debian-deps.sh (make test does)")


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    """A server with two outposts that synced demo applications, and demo staff for every role."""
    running = open_office(Path(tmp_path_factory.mktemp("office")), applications=6)
    yield running
    running.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless chromium for the module."""
    with chromium() as launched:
        yield launched
