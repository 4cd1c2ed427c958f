"""The enrolment slip carries the server key's pin (serve --tls-cert or --tls-pin), in words and in the command."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.server.api import ServerConfig, create_app
from sync.server.models import database_proxy
from sync.server.reference import Reference
from sync.server.storage import DiskStorage
from tests.unit.sync.backoffice.conftest import Web, csrf_of
from tests.unit.sync.conftest import TODAY, OutpostIntake, enrolled

PIN = "sha256//q5Yp0xQ1mD3vO2yK9cHnR8aZ7tL4wE6uI1oP0sB3fGk="


@pytest.fixture
def pinned(tmp_path: Path, reference: Reference) -> Iterator[Web]:
    """The back office of a server that announces PIN."""
    config = ServerConfig(f"sqlite:///{tmp_path / 'server.db'}", tmp_path / "storage", tls_pins=(PIN,))
    app = create_app(config)
    storage = DiskStorage(tmp_path / "storage")
    yield Web(
        app,
        storage,
        OutpostIntake(storage, reference, today=lambda: TODAY),
        enrolled("35.21.01.2001", "Desa Sukamaju", "Laptop A"),
        enrolled("35.21.02.2002", "Desa Karanganyar", "Laptop B"),
    )
    database_proxy.obj.close()


def test_the_slip_prints_the_pin_and_the_address_that_carries_it(pinned: Web) -> None:
    pinned.staff("admin.dinas", "Hendra Gunawan", "admin")
    browser = pinned.login("admin.dinas")
    page = browser.get("/backoffice/pos").text
    slip = browser.post("/backoffice/pos", data={"csrf": csrf_of(page), "kode": "35.21.03.2004", "nama": "Desa Baru"})
    assert slip.status_code == 200
    text = html.unescape(slip.text)
    code = text.split('<span class="one-time">')[1].split("<")[0]
    assert f'<dd class="mono pin">{PIN}</dd>' in text
    assert f'enrol "http://testserver#{PIN}" {code}' in text
