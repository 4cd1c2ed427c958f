"""A Dinas back office to test against: a real server, outposts that synced demo applications, demo staff,
and Debian's chromium driven by Playwright (its own browser download is not used)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.demo.populate import populate
from app.store.store import Store
from sync.client import SyncClient, enrol
from tests.helpers.dinas import DinasServer, start_server
from tests.helpers.stores import new_store

if TYPE_CHECKING:
    from playwright.sync_api import Browser

DEMO_PASSWORD = "loket-demo-dinas"
OUTPOSTS = (("35.21.01.2001", "Desa Sukamaju"), ("35.21.02.2003", "Desa Karangrejo"))


def chromium_path() -> str | None:
    """Debian's chromium, if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class Office:
    """A running server with synced outposts and demo staff (one per role, password DEMO_PASSWORD)."""

    server: DinasServer
    outposts: dict[str, Store] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The back office's address."""
        return f"{self.server.url}/backoffice"

    def sync(self, code: str) -> None:
        """One sync of an outpost (send what waits, pull the Dinas' changes)."""
        SyncClient(self.outposts[code]).run_once()

    def close(self) -> None:
        """Stop the server and close the outposts."""
        for store in self.outposts.values():
            store.close()
        self.server.stop()


def open_office(folder: Path, applications: int = 6, database_url: str | None = None) -> Office:
    """Start a server, enrol two outposts, fill each with demo applications and send them; add demo staff."""
    server = start_server(folder / "server", database_url)
    office = Office(server)
    try:
        for index, (code, name) in enumerate(OUTPOSTS):
            store = new_store(folder / f"outpost-{index}")
            office.outposts[code] = store
            enrol(store, server.url, server.add_outpost(code, name), f"Laptop {name}")
            populate(store, applications, seed=100 + index, kabupaten="35.21")
            office.sync(code)
        created = server.cli("staff", "demo", "--password", DEMO_PASSWORD)
        if created.returncode != 0:
            raise RuntimeError(created.stderr)
    except BaseException:
        office.close()
        raise
    return office


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Debian chromium under Playwright."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError("chromium is not installed: run installers/debian-deps.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()
