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

    def submit_scanned(self, code: str, seed: int = 7) -> str:
        """Submit and send one application whose pages came through the capture pipeline (G4 and WebP)."""
        import random

        from app.demo.people import PeopleGenerator
        from app.store import applications as apps
        from tests.integration.sync.cases import clean_case, draft_from_case

        pages = scanned_pages()
        rng = random.Random(seed)
        store = self.outposts[code]
        application = draft_from_case(
            store, clean_case(PeopleGenerator(seed), rng), rng, scan=lambda n: pages[n % len(pages)]
        )
        apps.submit(store, application)
        self.sync(code)
        return str(application.client_id)

    def close(self) -> None:
        """Stop the server and close the outposts."""
        for store in self.outposts.values():
            store.close()
        self.server.stop()


def scanned_pages() -> list[tuple[bytes, str]]:
    """A 10 pt letter (kept as G4 TIFF) and a page with a colour photo (kept as WebP), as the scanner gives them."""
    from app.documents import Options, process_page
    from tests.helpers import documents

    letter = process_page(
        documents.scan(documents.text_page(31, lines=36), dpi=200),
        source="scanner",
        source_dpi=200,
        options=Options(find="off"),
    )
    photo = process_page(
        documents.scan(documents.photo_page(32), dpi=200, gray=False),
        source="scanner",
        source_dpi=200,
        options=Options(find="off"),
    )
    return [(letter.data, letter.media_type), (photo.data, photo.media_type)]


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
