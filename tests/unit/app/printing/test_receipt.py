"""Tests of the citizen's receipt: what is on it, its QR code, and filling it from the store."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.printing import fonts as font_module
from app.printing.errors import PrintingError
from app.printing.receipt import (
    NOTE,
    Outpost,
    ReceivedDocument,
    local_number,
    outpost_from_settings,
    receipt_data_for,
    render_receipt,
)
from app.printing.samples import sample_receipt
from app.printing.workdays import HolidayCalendar, default_holidays
from app.store import Store
from app.store import applications as apps
from app.store.models import Application
from tests.helpers.stores import new_store
from tests.unit.app.printing.pdfs import decode_qr, read_pdf

WIB = dt.timezone(dt.timedelta(hours=7))
OUTPOST = Outpost("Kantor Desa Wonosari", "Kabupaten Ngawi")


def test_the_receipt_says_what_the_citizen_needs() -> None:
    data = sample_receipt()
    pdf = read_pdf(render_receipt(data))
    assert len(pdf.pages) == 1
    text = pdf.text
    for expected in (
        "3F9A1C2B",
        "Pencatatan Kelahiran WNI Dalam Wilayah NKRI",
        "BUDI SANTOSO",
        "3521011204850001",
        "Senin, 12 Oktober 2026 pukul 10.35 WIB",
        "Kamis, 15 Oktober 2026 (3 hari kerja)",
        "Gratis",
        "Siti Rahayu",
        "KANTOR KECAMATAN SINE",
        "Kabupaten Ngawi",
        "SPTJM kebenaran data kelahiran (F-2.03) dengan 2 orang saksi",
        "Akta Kelahiran",
        NOTE,
    ):
        assert expected in text, expected
    assert "perkiraan:" not in text


def test_the_qr_code_holds_the_registration_number() -> None:
    assert decode_qr(render_receipt(sample_receipt())) == "3F9A1C2B"


def test_the_dinas_number_takes_over_once_known() -> None:
    data = dataclasses.replace(sample_receipt(), dinas_number="3521-LHR-26100001")
    pdf = render_receipt(data)
    assert decode_qr(pdf) == "3521-LHR-26100001"
    assert "Nomor lokal: 3F9A1C2B" in read_pdf(pdf).text


def test_an_uncertain_completion_date_is_called_an_estimate() -> None:
    data = dataclasses.replace(sample_receipt(), expected_is_estimate=True, fee=10000)
    text = read_pdf(render_receipt(data)).text
    assert "perkiraan: tanggal libur pada periode ini belum pasti" in text
    assert "Rp 10.000" in text and "Gratis" not in text


def test_a4_paper_and_a_long_list_of_documents() -> None:
    documents = tuple(ReceivedDocument(f"Dokumen pendukung nomor {i}", "fotokopi", i % 3 + 1) for i in range(40))
    data = dataclasses.replace(sample_receipt(), documents=documents)
    pdf = read_pdf(render_receipt(data, paper="A4"))
    assert len(pdf.pages) >= 2
    assert pdf.sizes[0] == pytest.approx((595.3, 841.9), abs=0.5)
    assert "Dokumen pendukung nomor 39" in pdf.text
    assert NOTE in pdf.pages[-1]
    with pytest.raises(ValueError, match="paper"):
        render_receipt(data, paper="Letter")


def test_the_receipt_prints_with_the_fallback_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(font_module, "_selected", font_module.FALLBACK)
    pdf = render_receipt(sample_receipt())
    assert b"DejaVu" not in pdf
    assert "BUDI SANTOSO" in read_pdf(pdf).text
    assert decode_qr(pdf) == "3F9A1C2B"


def test_local_number_is_the_client_id_short_form() -> None:
    assert local_number("3f9a1c2b-7d4e-4a1b-9c3d-0e5f6a7b8c9d") == "3F9A1C2B"


# -- filled from the store ------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = new_store(tmp_path)
    yield opened
    opened.close()


def _birth_application(store: Store) -> Application:
    application = apps.create_draft(
        store, "LAHIR-WNI", applicant_name="Budi Santoso", applicant_nik="3521011204850001", site="Desa Wonosari"
    )
    apps.save_answers(store, application, "F-2.01@PMDN109-2019", {"laporan": {"jenis_pelaporan": 1}})
    apps.save_facts(store, application, {"surat_lahir_ada": False, "buku_nikah_ada": True})
    for page in (b"sptjm-1", b"sptjm-2"):
        apps.attach_page(
            store,
            application,
            "surat_keterangan_kelahiran",
            page,
            media_type="image/png",
            substitute_id="sptjm_f203",
            document_id="sptjm_kelahiran",
        )
    apps.attach_page(store, application, "kk", b"kk-1", media_type="image/png", document_id="kk")
    apps.attach_page(
        store, application, "buku_nikah", b"nikah-1", media_type="image/png", document_id="akta_perkawinan"
    )
    return application


def test_receipt_data_comes_from_the_store(store: Store) -> None:
    application = _birth_application(store)
    service = load_catalog().service("LAHIR-WNI")
    with pytest.raises(PrintingError, match="setelah permohonan dikirim"):
        receipt_data_for(application, service, OUTPOST)
    apps.submit(store, application)
    # Submitted on Friday 9 Oct 2026 at 20:00 UTC: Saturday 10 Oct 03:00 WIB on the device.
    Application.update(submitted_at=dt.datetime(2026, 10, 9, 20, 0)).where(Application.id == application.id).execute()
    application = Application.get_by_id(application.id)
    data = receipt_data_for(application, service, OUTPOST, tz=WIB)
    assert data.local_number == application.client_id.replace("-", "")[:8].upper()
    assert data.registration_number == data.local_number
    assert data.submitted_at == dt.datetime(2026, 10, 10, 3, 0, tzinfo=WIB)
    assert data.expected_date == dt.date(2026, 10, 14)  # 3 working days after Saturday: Mon, Tue, Wed
    assert not data.expected_is_estimate
    assert data.service_title == service.title and data.sla_days == 3 and data.fee == 0
    assert data.applicant_name == "Budi Santoso" and data.applicant_nik == "3521011204850001"
    assert data.officer_name == "Siti Supervisor"
    assert data.site == "Desa Wonosari"
    assert data.outputs == ("Akta Kelahiran",)
    assert data.documents == (
        ReceivedDocument(
            "Surat Keterangan Kelahiran", "asli", 2, "SPTJM kebenaran data kelahiran (F-2.03) dengan 2 orang saksi"
        ),
        ReceivedDocument("Buku nikah/kutipan akta perkawinan/bukti lain yang sah", "fotokopi", 1),
        ReceivedDocument("Kartu Keluarga (KK)", "fotokopi", 1),
    )
    text = read_pdf(render_receipt(data)).text
    assert data.local_number in text and "Rabu, 14 Oktober 2026" in text


def test_receipt_data_knows_the_dinas_number_and_an_uncertain_calendar(store: Store) -> None:
    application = _birth_application(store)
    apps.submit(store, application)
    Application.update(registration_number="3521-LHR-0001").where(Application.id == application.id).execute()
    application = Application.get_by_id(application.id)
    service = load_catalog().service("LAHIR-WNI")
    data = receipt_data_for(
        application, service, OUTPOST, holidays=HolidayCalendar(), officer_name="Petugas Loket", tz=WIB
    )
    assert data.registration_number == "3521-LHR-0001"
    assert data.officer_name == "Petugas Loket"
    assert data.expected_is_estimate  # an empty calendar covers no year
    assert default_holidays().covers(data.submitted_at.year) or data.submitted_at.year > 2027


class _Settings:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    def text(self, key: str) -> str:
        return self.values.get(key, "")


def test_the_outpost_comes_from_the_settings() -> None:
    outpost = outpost_from_settings(_Settings({"outpost.name": "Kantor Desa Wonosari", "outpost.region": "35.21.01"}))
    assert outpost == Outpost("Kantor Desa Wonosari", "Kabupaten Ngawi")
    assert outpost_from_settings(_Settings({})) == Outpost("Kantor Pelayanan Adminduk", "")


def test_a_mobile_teams_receipt_names_the_site() -> None:
    data = dataclasses.replace(sample_receipt(), site="SD Negeri 1 Sine")
    assert "Lokasi pelayanan: SD Negeri 1 Sine" in read_pdf(render_receipt(data)).text
    same = dataclasses.replace(sample_receipt(), site="Kantor Kecamatan Sine")
    assert "Lokasi pelayanan" not in read_pdf(render_receipt(same)).text


@pytest.mark.parametrize(
    ("region", "zone"),
    [
        ("35.21.01", "WIB"),  # Jawa Timur
        ("11.01", "WIB"),  # Aceh
        ("62.01", "WIB"),  # Kalimantan Tengah
        ("51.71.01", "WITA"),  # Bali
        ("52", "WITA"),  # NTB
        ("53.71", "WITA"),  # NTT
        ("63.01", "WITA"),  # Kalimantan Selatan
        ("64.72", "WITA"),  # Kalimantan Timur
        ("65.01", "WITA"),  # Kalimantan Utara
        ("73.71", "WITA"),  # Sulawesi Selatan
        ("76.01", "WITA"),  # Sulawesi Barat
        ("81.71", "WIT"),  # Maluku
        ("82.01", "WIT"),  # Maluku Utara
        ("91.71", "WIT"),  # Papua
        ("94.01", "WIT"),  # Papua Tengah
    ],
)
def test_the_receipt_prints_the_outposts_own_zone_not_the_laptops(store: Store, region: str, zone: str) -> None:
    """A laptop set to UTC printed "UTC+0": the outpost's region decides WIB, WITA or WIT."""
    application = _birth_application(store)
    apps.submit(store, application)
    Application.update(submitted_at=dt.datetime(2026, 10, 9, 1, 0)).where(Application.id == application.id).execute()
    application = Application.get_by_id(application.id)
    outpost = outpost_from_settings(_Settings({"outpost.name": "Kantor", "outpost.region": region}))
    data = receipt_data_for(application, load_catalog().service("LAHIR-WNI"), outpost)
    hours = {"WIB": 8, "WITA": 9, "WIT": 10}[zone]
    assert (data.submitted_at.hour, data.submitted_at.utcoffset()) == (hours, dt.timedelta(hours=hours - 1))
    assert f"pukul {hours:02d}.00 {zone}" in read_pdf(render_receipt(data)).text.replace("\n", " ")
