"""The back office's reports against a real SQLite server database: register, SLA, monthly counts, CSV, PDF, SVG."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.catalog import Catalog
from app.printing.workdays import HolidayCalendar
from sync.server.backoffice.reports import (
    Report,
    bar_chart_svg,
    chart_svg,
    daily_register,
    monthly_counts,
    sla_report,
    to_csv,
    to_pdf,
)
from sync.server.db import bind, open_database
from sync.server.models import Application, Device, Event, Outpost, Submission
from sync.server.reference import Reference
from tests.unit.app.printing.pdfs import read_pdf

DAY = dt.date(2026, 11, 25)  # a Wednesday
KTP = "KTPEL-BARU-WNI"
KK = "KK-BARU-KELUARGA"


@dataclass
class Server:
    """A bound server database with two outposts in two kecamatan, and a way to add applications."""

    sukamaju: Outpost
    karanganyar: Outpost
    devices: dict[int, Device] = field(default_factory=dict)
    seq: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def receive(
        self,
        outpost: Outpost,
        service: str,
        at: dt.datetime,
        *,
        name: str = "SITI AMINAH",
        state: str = "received",
        due: dt.date | None = None,
    ) -> Application:
        """An application as intake stores it (row, first submission, `received` event), then `state`."""
        application: Application = Application.create(
            client_id=str(uuid.uuid4()),
            outpost=outpost,
            service_code=service,
            revision=1,
            state=state,
            registration_number=f"3521-{at:%Y%m%d}-{next(self.numbers):06d}",
            applicant_name=name,
            applicant_nik="3521014506900001",
            received_at=at,
            updated_at=at,
            due_date=due,
        )
        self.submit(application, at)
        self.event(application, "received", at)
        return application

    def submit(self, application: Application, at: dt.datetime, revision: int = 1) -> None:
        """A revision as it arrived."""
        Submission.create(
            item_id=str(uuid.uuid4()),
            application=application,
            client_id=application.client_id,
            revision=revision,
            content_hash="0" * 64,
            package="{}",
            outcome="accepted",
            device=self.devices[application.outpost_id],
            batch_id=str(uuid.uuid4()),
            received_at=at,
        )

    def event(self, application: Application, state: str, at: dt.datetime) -> None:
        """A state change in the feed."""
        Event.create(
            outpost=application.outpost_id,
            seq=next(self.seq),
            application=application,
            client_id=application.client_id,
            revision=application.revision,
            state=state,
            actor="staf:budi",
            at=at,
        )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    database = bind(open_database(f"sqlite:///{tmp_path / 'server.db'}"))
    sukamaju = Outpost.create(code="35.21.01.2001", name="Desa Sukamaju", kabupaten="3521", kecamatan="35.21.01")
    karanganyar = Outpost.create(code="35.21.02.2002", name="Desa Karanganyar", kabupaten="3521", kecamatan="35.21.02")
    made = Server(sukamaju, karanganyar)
    for outpost in (sukamaju, karanganyar):
        made.devices[outpost.id] = Device.create(
            device_id=str(uuid.uuid4()), outpost=outpost, name="Laptop", token_hash=uuid.uuid4().hex
        )
    yield made
    database.close()


@pytest.fixture
def catalog(reference: Reference) -> Catalog:
    return reference.catalog


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def title(catalog: Catalog, code: str) -> str:
    return catalog.service(code).title


# -- the daily register --------------------------------------------------------------------------------


def test_the_register_lists_the_days_receipts_by_outpost_then_time(server: Server, catalog: Catalog) -> None:
    late = server.receive(server.sukamaju, KTP, at(DAY, 14, 5), name="BUDI SANTOSO")
    early = server.receive(server.karanganyar, KK, at(DAY, 8, 30), name="ANI", state="verified")
    first = server.receive(server.sukamaju, KK, at(DAY, 9, 15))
    server.receive(server.sukamaju, KTP, at(DAY - dt.timedelta(days=1), 23, 59))
    server.receive(server.sukamaju, KTP, at(DAY + dt.timedelta(days=1), 0, 0))

    report = daily_register(DAY, catalog=catalog)

    assert report.columns == [
        "No.",
        "Nomor registrasi",
        "Jam diterima",
        "Pos pelayanan",
        "Layanan",
        "Nama pemohon",
        "NIK",
        "Status",
        "Revisi",
    ]
    assert [row[1] for row in report.rows] == [
        first.registration_number,
        late.registration_number,
        early.registration_number,
    ]
    assert report.rows[0] == (
        1,
        first.registration_number,
        "09.15",
        "Desa Sukamaju",
        title(catalog, KK),
        "SITI AMINAH",
        "3521014506900001",
        "Diterima Dinas",
        1,
    )
    assert report.rows[2][0] == 3 and report.rows[2][7] == "Diverifikasi"
    assert "Rabu, 25 November 2026" in report.subtitle and "UTC" in report.subtitle
    assert report.chart is not None
    assert dict(zip(report.chart.labels, report.chart.values, strict=True)) == {
        "Desa Sukamaju": 2,
        "Desa Karanganyar": 1,
    }


def test_the_register_keeps_to_the_staff_scope_and_the_filters(server: Server, catalog: Catalog) -> None:
    server.receive(server.sukamaju, KTP, at(DAY, 9))
    other = server.receive(server.karanganyar, KTP, at(DAY, 10))

    def numbers(report: Report) -> list[object]:
        return [row[1] for row in report.rows]

    assert numbers(daily_register(DAY, scope=("35.21.02",), catalog=catalog)) == [other.registration_number]
    assert numbers(daily_register(DAY, kecamatan="35.21.02", catalog=catalog)) == [other.registration_number]
    assert numbers(daily_register(DAY, outpost_code="35.21.02.2002", catalog=catalog)) == [other.registration_number]
    outside = daily_register(DAY, kecamatan="35.21.01", scope=("35.21.02",), catalog=catalog)
    assert outside.rows == [], "a filter never widens the staff member's scope"
    assert len(daily_register(DAY, scope=("35.21.01", "35.21.02"), catalog=catalog).rows) == 2


def test_a_revision_sent_again_is_in_the_register_of_each_day_it_arrived(server: Server, catalog: Catalog) -> None:
    application = server.receive(server.sukamaju, KTP, at(DAY - dt.timedelta(days=2), 9))
    server.submit(application, at(DAY, 11), revision=2)
    assert [row[8] for row in daily_register(DAY - dt.timedelta(days=2), catalog=catalog).rows] == [1]
    assert [row[8] for row in daily_register(DAY, catalog=catalog).rows] == [2]


def test_the_register_can_keep_wib_days_and_times(server: Server, catalog: Catalog) -> None:
    server.receive(server.sukamaju, KTP, at(DAY - dt.timedelta(days=1), 18, 30))  # 01.30 WIB on DAY
    report = daily_register(DAY, catalog=catalog, utc_offset_hours=7)
    assert [row[2] for row in report.rows] == ["01.30"]
    assert "WIB" in report.subtitle
    assert daily_register(DAY, catalog=catalog).rows == []


# -- the SLA report ------------------------------------------------------------------------------------


def test_the_sla_report_counts_open_due_overdue_and_finished_in_time(server: Server, catalog: Catalog) -> None:
    before = DAY - dt.timedelta(days=10)
    overdue = server.receive(server.sukamaju, KTP, at(before, 9), due=dt.date(2026, 11, 23), name="A")
    older = server.receive(server.sukamaju, KTP, at(before, 8), due=dt.date(2026, 11, 20), name="B", state="signed")
    server.receive(server.sukamaju, KTP, at(before, 10), due=DAY)  # due today
    server.receive(server.sukamaju, KTP, at(before, 11), due=DAY + dt.timedelta(days=2))
    server.receive(server.karanganyar, KK, at(before, 9), due=DAY - dt.timedelta(days=1), state="returned")
    in_time = server.receive(server.karanganyar, KK, at(before, 9), due=dt.date(2026, 11, 18), state="ready")
    server.event(in_time, "ready", at(dt.date(2026, 11, 18), 15))
    too_late = server.receive(server.karanganyar, KK, at(before, 9), due=dt.date(2026, 11, 17), state="handed_over")
    server.event(too_late, "ready", at(dt.date(2026, 11, 18), 8))
    server.event(too_late, "handed_over", at(dt.date(2026, 11, 19), 8))
    last_month = server.receive(server.karanganyar, KK, at(before, 9), due=dt.date(2026, 10, 30), state="ready")
    server.event(last_month, "ready", at(dt.date(2026, 10, 29), 8))

    report = sla_report(DAY, catalog=catalog, holidays=HolidayCalendar())

    assert report.rows == [
        ("Desa Sukamaju", title(catalog, KTP), 4, 1, 2, 0, 0),
        ("Desa Karanganyar", title(catalog, KK), 0, 0, 0, 2, 1),
    ]
    assert report.totals == ("Jumlah", "", 4, 1, 2, 2, 1)
    [section] = report.sections
    assert [row[1] for row in section.rows] == [older.registration_number, overdue.registration_number]
    assert section.rows[0][5:] == ("Ditandatangani", "20-11-2026", 3)  # 23, 24 and 25 November
    assert section.rows[1][5:] == ("Diterima Dinas", "23-11-2026", 2)
    assert report.chart is not None and report.chart.values == [2, 0]


def test_the_sla_report_keeps_to_the_scope_and_caps_the_overdue_list(server: Server, catalog: Catalog) -> None:
    for hour in range(3):
        server.receive(server.sukamaju, KTP, at(DAY - dt.timedelta(days=9), 8 + hour), due=DAY - dt.timedelta(days=3))
    assert sla_report(DAY, scope=("35.21.02",), catalog=catalog).rows == []
    capped = sla_report(DAY, catalog=catalog, overdue_limit=2)
    assert len(capped.sections[0].rows) == 2
    assert "2 terlama dari 3" in capped.sections[0].title


# -- the monthly counts --------------------------------------------------------------------------------


def test_the_monthly_counts_count_applications_per_service(server: Server, catalog: Catalog) -> None:
    november = dt.date(2026, 11, 3)
    resent = server.receive(server.sukamaju, KTP, at(november, 9))
    server.event(resent, "returned", at(november, 10))
    server.event(resent, "received", at(november, 11))  # received again: still one application
    done = server.receive(server.sukamaju, KTP, at(november, 9))
    server.event(done, "ready", at(november + dt.timedelta(days=2), 9))
    server.event(done, "handed_over", at(dt.date(2026, 12, 1), 9))  # December
    refused = server.receive(server.karanganyar, KK, at(november, 9))
    server.event(refused, "rejected", at(november, 12))
    server.receive(server.karanganyar, KK, at(dt.date(2026, 10, 31), 23))  # October

    report = monthly_counts(2026, 11, catalog=catalog)

    assert len(report.rows) == len(catalog.services), "every service is listed, zeros too"
    by_title = {row[1]: row[2:] for row in report.rows}
    assert by_title[title(catalog, KTP)] == (2, 1, 0, 1, 0)
    assert by_title[title(catalog, KK)] == (1, 0, 0, 0, 1)
    assert report.totals == ("", "Jumlah", 3, 1, 0, 1, 1)
    assert report.chart is not None and report.chart.values == [2, 1]
    assert report.subtitle.startswith("Bulan November 2026")
    scoped = monthly_counts(2026, 11, scope=("35.21.02",), catalog=catalog)
    assert scoped.totals == ("", "Jumlah", 1, 0, 0, 0, 1)
    assert monthly_counts(2026, 12, catalog=catalog).totals == ("", "Jumlah", 0, 0, 1, 0, 0)


# -- CSV, PDF and SVG ----------------------------------------------------------------------------------


def test_csv_round_trips_through_the_csv_module(server: Server, catalog: Catalog) -> None:
    server.receive(server.sukamaju, KTP, at(DAY, 9), name='SITI "ITI", AMINAH')
    server.receive(server.sukamaju, KTP, at(DAY, 10), name="=HYPERLINK(1)")
    report = daily_register(DAY, catalog=catalog)
    data = to_csv(report)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == report.columns
    assert rows[1] == [str(cell) for cell in report.rows[0]]
    assert rows[1][5] == 'SITI "ITI", AMINAH'
    assert rows[2][5] == "'=HYPERLINK(1)", "a name is never run as a spreadsheet formula"
    sla = sla_report(DAY, catalog=catalog)
    summary = list(csv.reader(io.StringIO(to_csv(sla).decode("utf-8-sig"), newline="")))
    assert summary[-1] == ["Jumlah", "", "2", "0", "0", "0", "0"]
    overdue = list(csv.reader(io.StringIO(to_csv(sla.sections[0]).decode("utf-8-sig"), newline="")))
    assert overdue == [sla.sections[0].columns]


def test_the_pdf_has_the_title_the_rows_and_page_numbers(server: Server, catalog: Catalog) -> None:
    for minute in range(90):
        server.receive(server.sukamaju, KTP, at(DAY, 8, 0) + dt.timedelta(minutes=minute), name=f"PEMOHON {minute}")
    report = daily_register(DAY, catalog=catalog)
    printed = dt.datetime(2026, 11, 25, 10, 35, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    read = read_pdf(to_pdf(report, printed_at=printed))
    pages = len(read.pages)
    assert pages >= 2
    assert read.sizes[0][0] > read.sizes[0][1], "nine columns are printed landscape"
    for number, text in enumerate(read.pages, start=1):
        assert report.title in text and "Nomor registrasi" in text, "the header row repeats on every page"
        assert f"Halaman {number} dari {pages}" in text
    assert "Dicetak 25 November 2026 pukul 10.35 WIB" in read.pages[0]
    assert str(report.rows[0][1]) in read.text and "PEMOHON 89" in read.text


def test_the_pdf_of_a_report_with_a_section_and_of_an_empty_report(server: Server, catalog: Catalog) -> None:
    server.receive(server.sukamaju, KTP, at(DAY, 8), due=DAY - dt.timedelta(days=1), name="SITI & <ANI>")
    read = read_pdf(to_pdf(sla_report(DAY, catalog=catalog)))
    assert "Daftar permohonan terlambat" in read.text and "SITI & <ANI>" in read.text
    empty = read_pdf(to_pdf(daily_register(DAY + dt.timedelta(days=1), catalog=catalog)))
    assert "Tidak ada data untuk pilihan ini." in empty.text


def test_the_bar_chart_is_accessible_svg_with_escaped_text() -> None:
    svg = bar_chart_svg(["Pos <A> & B", "Desa Sukamaju"], [3, 0], "Penerimaan <hari ini>")
    assert "<A>" not in svg and "Pos &lt;A&gt; &amp; B" in svg
    root = ET.fromstring(svg)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert root.get("role") == "img"
    title_element = root.find("svg:title", ns)
    assert title_element is not None and title_element.text == "Penerimaan <hari ini>"
    assert root.get("aria-labelledby") == f"{title_element.get('id')} {root.find('svg:desc', ns).get('id')}"  # type: ignore[union-attr]
    widths = [float(rect.get("width", "")) for rect in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert widths[0] > 0 and widths[1] == 0
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Pos <A> & B" in texts and "3" in texts
    assert "script" not in svg and "@font-face" not in svg


def test_a_long_label_is_cut_and_kept_whole_in_the_bars_tooltip() -> None:
    long = "Pencatatan pengesahan anak Penduduk yang dilahirkan sebelum orang tuanya melaksanakan perkawinan"
    root = ET.fromstring(bar_chart_svg([long], [7], "Layanan"))
    [bar] = root.findall("{http://www.w3.org/2000/svg}g")
    assert bar.findtext("{http://www.w3.org/2000/svg}title") == f"{long}: 7"
    label = bar.findtext("{http://www.w3.org/2000/svg}text") or ""
    assert label.endswith("…") and long.startswith(label[:-1]) and len(label) < len(long)


def test_an_empty_chart_still_parses_and_mismatched_data_is_refused() -> None:
    root = ET.fromstring(bar_chart_svg([], [], "Kosong"))
    assert "Tidak ada data." in "".join(root.itertext())
    with pytest.raises(ValueError):
        bar_chart_svg(["a"], [], "x")
    assert chart_svg(Report("t", "s", [], [])) == ""
