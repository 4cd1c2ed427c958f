"""Screenshots of every back-office page for the README: `python -m tests.integration.backoffice.screenshots`.

Starts its own server with demo data, drives Debian's chromium at 1366x768 and writes
docs/screenshots/backoffice/*.png.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from tests.helpers.backoffice import DEMO_PASSWORD, Office, chromium, open_office

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

OUT = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "backoffice"


def _park_conflict(office: Office) -> None:
    """A conflict as intake parks it: a known item sent again with other content."""
    office.server.bind()
    from sync.server.keys import read_package
    from sync.server.models import Conflict, Device, Submission

    submission = Submission.select().order_by(Submission.id).first()
    package = json.loads(read_package(submission))
    package["applicant"]["name"] = package["applicant"]["name"] + " BIN SALEH"
    for given in package["forms"]:
        for values in given["answers"].values():
            for field, value in values.items() if isinstance(values, dict) else ():
                if isinstance(value, str) and value == package["applicant"]["name"].removesuffix(" BIN SALEH"):
                    values[field] = package["applicant"]["name"]
    device = Device.get_by_id(submission.device_id)
    Conflict.create(
        item_id=submission.item_id,
        client_id=submission.client_id,
        revision=submission.revision,
        content_hash="0" * 64,
        package=json.dumps(package),
        reason="isi berbeda untuk nomor item atau revisi yang sudah diterima",
        device=device,
        outpost=device.outpost_id,
    )


def main() -> int:
    """Take every screenshot."""
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        office = open_office(Path(folder), applications=8)
        try:
            _park_conflict(office)
            with chromium() as browser:
                shoot(browser, office)
        finally:
            office.close()
    print(f"screenshots in {OUT}")
    return 0


def shoot(browser: Browser, office: Office) -> None:
    """Log in as the roles that see each page and capture it."""

    def session(username: str) -> Page:
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(f"{office.url}/masuk")
        page.fill("#username", username)
        page.fill("#password", DEMO_PASSWORD)
        page.press("#password", "Enter")
        page.wait_for_url(f"{office.url}/")
        return page

    login = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    login.goto(f"{office.url}/masuk")
    login.fill("#username", "verifikator")
    login.fill("#password", "salah-sandi-1")
    login.press("#password", "Enter")
    login.screenshot(path=str(OUT / "01-masuk.png"))

    page = session("verifikator")
    page.screenshot(path=str(OUT / "02-beranda.png"))
    page.goto(f"{office.url}/antrian/verifikasi")
    page.screenshot(path=str(OUT / "03-antrian.png"))
    key = page.locator("table.list tbody a").first.inner_text()
    page.goto(f"{office.url}/permohonan/{key}")
    page.wait_for_timeout(800)
    page.screenshot(path=str(OUT / "04-permohonan.png"))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("+")
    page.wait_for_timeout(500)
    page.locator(".col-viewer").screenshot(path=str(OUT / "05-penampil-dokumen.png"))
    page.click("summary")
    page.select_option("#alasan_1", index=3)
    page.click("button[data-step='return']")
    page.wait_for_load_state()
    page.locator(".actions-panel").screenshot(path=str(OUT / "06-kembalikan-dengan-alasan.png"))
    name = page.locator(".app-head h1").inner_text().split()[0]
    page.goto(f"{office.url}/cari?q={name}")
    page.screenshot(path=str(OUT / "07-cari.png"))
    page.goto(f"{office.url}/permohonan/tidak-ada")
    page.screenshot(path=str(OUT / "08-tidak-ditemukan.png"))

    admin = session("admin")
    admin.goto(f"{office.url}/konflik")
    admin.screenshot(path=str(OUT / "09-konflik.png"))
    admin.click("table.list tbody a")
    admin.wait_for_load_state()
    admin.screenshot(path=str(OUT / "10-konflik-rinci.png"))
    admin.goto(f"{office.url}/pos")
    admin.screenshot(path=str(OUT / "11-pos-pelayanan.png"), full_page=True)
    admin.fill("#kode", "35.21.03.2004")
    admin.fill("#nama", "Desa Tanjungsari")
    admin.click("text=Tambah dan cetak slip pendaftaran")
    admin.wait_for_load_state()
    admin.screenshot(path=str(OUT / "12-slip-pendaftaran.png"))
    admin.goto(f"{office.url}/staf")
    admin.screenshot(path=str(OUT / "13-staf.png"))
    admin.goto(f"{office.url}/audit?periksa=1")
    admin.screenshot(path=str(OUT / "14-audit.png"))
    today = dt.date.today().isoformat()
    admin.goto(f"{office.url}/laporan?jenis=harian&tanggal={today}")
    admin.screenshot(path=str(OUT / "15-buku-harian.png"))
    admin.goto(f"{office.url}/laporan?jenis=sla")
    admin.screenshot(path=str(OUT / "16-laporan-sla.png"))
    admin.goto(f"{office.url}/laporan?jenis=bulanan")
    admin.screenshot(path=str(OUT / "17-rekap-bulanan.png"), full_page=True)


if __name__ == "__main__":
    sys.exit(main())
