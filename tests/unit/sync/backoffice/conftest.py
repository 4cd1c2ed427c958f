"""Fixtures of the back-office web tests: the real API app over a real database, outposts, staff, browsers."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sync.protocol import BatchRequest
from sync.server.api import ServerConfig, create_app
from sync.server.backoffice.web import LOGIN_CSRF_COOKIE
from sync.server.intake import Intake
from sync.server.models import Device, database_proxy
from sync.server.reference import Reference
from sync.server.staff import NewStaff, add_staff
from sync.server.storage import DiskStorage
from tests.unit.sync.conftest import TODAY, Made, OutpostIntake, enrolled, upload

PASSWORD = "Sandi-Dinas-2026!"
"""The password every test account is given (long enough, not containing a username)."""

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@dataclass
class Web:
    """A Dinas server as the browser sees it: the ASGI app, its storage, intake, and one device per kecamatan."""

    app: FastAPI
    storage: DiskStorage
    intake: Intake
    device: Device  # outpost 35.21.01.2001, kecamatan 35.21.01
    other: Device  # outpost 35.21.02.2002, kecamatan 35.21.02

    def browser(self) -> TestClient:
        """A fresh browser (its own cookie jar) that does not follow redirects."""
        return TestClient(self.app, follow_redirects=False)

    def receive(self, made: Made, device: Device | None = None) -> str:
        """Upload a package's pages and commit it as an outpost does; its registration number."""
        upload(self.storage, device or self.device, made.blobs)
        request = BatchRequest(batch_id=str(uuid.uuid4()), items=[made.package])
        [result] = self.intake.commit(device or self.device, request).results
        assert result.outcome == "accepted", result
        assert result.registration_number is not None
        return result.registration_number

    def staff(self, username: str, full_name: str, roles: str, kecamatan: str = "") -> NewStaff:
        """A staff account with PASSWORD (no change required)."""
        return add_staff(username, full_name, roles, kecamatan=kecamatan, password=PASSWORD)

    def login(self, username: str, password: str = PASSWORD) -> TestClient:
        """A browser signed in as this staff member."""
        browser = self.browser()
        response = submit_login(browser, username, password)
        assert response.status_code == 303, response.text
        return browser


def submit_login(browser: TestClient, username: str, password: str, **extra: str) -> httpx.Response:
    """Open the log-in page and post it with the token it set, as a browser does; the response."""
    page = browser.get("/backoffice/masuk")
    assert page.status_code == 200
    fields = hidden_fields(page.text)
    fields.update({"username": username, "password": password, "login_csrf": browser.cookies[LOGIN_CSRF_COOKIE]})
    fields.update(extra)
    return browser.post("/backoffice/masuk", data=fields)


def csrf_of(page: str) -> str:
    """The CSRF token a page's forms carry."""
    found = _CSRF.search(page)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden inputs of a page (the last value of each name), unescaped."""
    return {name: html.unescape(value) for name, value in _HIDDEN.findall(page)}


def open_web(database_url: str, folder: Path, reference: Reference) -> Web:
    """The API app over a database and a storage folder, with two enrolled outposts in two kecamatan."""
    app = create_app(ServerConfig(database_url, folder / "storage"))
    storage = DiskStorage(folder / "storage")
    return Web(
        app,
        storage,
        OutpostIntake(storage, reference, today=lambda: TODAY),
        enrolled("35.21.01.2001", "Desa Sukamaju", "Laptop A"),
        enrolled("35.21.02.2002", "Desa Karanganyar", "Laptop B"),
    )


@pytest.fixture
def web(tmp_path: Path, reference: Reference) -> Iterator[Web]:
    """The back office over a SQLite file in a temporary folder."""
    yield open_web(f"sqlite:///{tmp_path / 'server.db'}", tmp_path, reference)
    database_proxy.obj.close()
