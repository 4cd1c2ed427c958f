"""Fixtures of the sync integration tests: a PostgreSQL cluster for the session, servers and outposts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.pg import Postgres


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """One throwaway PostgreSQL for the whole run (each test creates its own database)."""
    cluster = Postgres().start()
    try:
        yield cluster
    finally:
        cluster.stop()
