"""The citizen's receipt (tanda terima) for a submitted application, as a PDF with a QR code of its number.

`render_receipt` draws from a `ReceiptData` the caller fills, so printing never touches the database;
`receipt_data_for` is the one place that reads the store to fill it.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any, Protocol

from reportlab.graphics.barcode.qr import QrCodeWidget  # type: ignore[import-untyped]
from reportlab.graphics.shapes import Drawing  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4, A5  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.catalog import Service, checklist
from app.catalog.model import COPY_KINDS
from app.printing.errors import PrintingError
from app.printing.fonts import fonts
from app.printing.forms import RegionLookup
from app.printing.text import clock, day_date, markup, rupiah
from app.printing.workdays import HolidayCalendar, add_working_days, default_holidays
from app.store.applications import answers_of, facts_of, pages_of
from app.store.models import Application

PAPERS = {"A5": A5, "A4": A4}
NOTE = "Simpan tanda terima ini; tunjukkan saat mengambil dokumen."
_MARGIN = 11 * mm
_LINE = colors.Color(0.55, 0.55, 0.55)


@dataclass(frozen=True)
class Outpost:
    """Who issues the receipt: the desa/kelurahan or kecamatan office, and the kabupaten/kota it serves."""

    name: str
    kabupaten: str
    address: str = ""
    phone: str = ""
    # The outpost's WIB/WITA/WIT, from its region; None when no region is set (the device's zone then).
    zone: dt.tzinfo | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ReceivedDocument:
    """One requirement as handed in: its title, original or copy, pages scanned, and the substitute used."""

    title: str
    copy: str = ""
    pages: int = 0
    substitute: str = ""


@dataclass(frozen=True)
class ReceiptData:
    """Everything printed on a receipt; filled by the caller (or by `receipt_data_for`)."""

    outpost: Outpost
    local_number: str
    service_title: str
    applicant_name: str
    applicant_nik: str
    submitted_at: dt.datetime
    expected_date: dt.date
    sla_days: int
    officer_name: str
    documents: tuple[ReceivedDocument, ...] = ()
    outputs: tuple[str, ...] = ()
    dinas_number: str = ""
    fee: int = 0
    expected_is_estimate: bool = False
    site: str = ""

    @property
    def registration_number(self) -> str:
        """The number the citizen quotes: the Dinas' once assigned, else the outpost's own."""
        return self.dinas_number or self.local_number


class SettingsReader(Protocol):
    """What the receipt needs of the outpost's settings (app.settings.Settings has it)."""

    def text(self, key: str) -> str:
        """A text setting by key."""
        ...


WIB, WITA, WIT = (dt.timezone(dt.timedelta(hours=hours)) for hours in (7, 8, 9))
# Provinces (first two digits of a Kemendagri code) outside WIB: Bali, NTB, NTT, Kalimantan Selatan, Timur and
# Utara, and Sulawesi keep WITA; Maluku, Maluku Utara and the Papua provinces keep WIT.
_WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}


def zone_of_region(code: str) -> dt.tzinfo | None:
    """The time zone of a region by its province: WIB, WITA or WIT; None for a code that names no province."""
    province = code.strip()[:2]
    if len(province) != 2 or not province.isdigit() or province < "11":
        return None
    if province in _WITA_PROVINCES:
        return WITA
    return WIT if province[0] in "89" else WIB


def _indonesian(zone: dt.tzinfo | None, moment: dt.datetime) -> dt.tzinfo:
    """The zone to print in: the given one, else the device's when it is WIB/WITA/WIT, else WIB."""
    if zone is not None:
        return zone
    offset = moment.astimezone().utcoffset()
    hours = offset.total_seconds() / 3600 if offset is not None else None
    return {7.0: WIB, 8.0: WITA, 9.0: WIT}.get(hours, WIB) if hours is not None else WIB


def outpost_from_settings(settings: SettingsReader, regions: RegionLookup | None = None) -> Outpost:
    """The outpost as its settings name it (`outpost.name`, `outpost.region`); the kabupaten from the region code."""
    code = settings.text("outpost.region").strip()
    if code and regions is None:
        from app.regions import default_index  # noqa: PLC0415 - the region index only when a code is set

        regions = default_index()
    chain = regions.path(code) if code and regions is not None else []
    kabupaten = next((region.name for region in chain if region.level in ("kabupaten", "kota")), "")
    name = settings.text("outpost.name").strip() or "Kantor Pelayanan Adminduk"
    return Outpost(name, kabupaten, zone=zone_of_region(code) if code else None)


def local_number(client_id: str) -> str:
    """The outpost's registration number of an application: the first 8 characters of its client id, upper case."""
    return "".join(ch for ch in client_id if ch.isalnum())[:8].upper()


def receipt_data_for(
    application: Application,
    service: Service,
    outpost: Outpost,
    *,
    holidays: HolidayCalendar | None = None,
    officer_name: str | None = None,
    tz: dt.tzinfo | None = None,
) -> ReceiptData:
    """Fill a receipt from the store (the only place printing reads it); PrintingError for an unsent draft."""
    if application.submitted_at is None:
        raise PrintingError(
            "Tanda terima baru dapat dicetak setelah permohonan dikirim. Periksa kelengkapan lalu kirim "
            "permohonan ini lebih dulu."
        )
    # The store keeps UTC without a zone; the receipt shows the outpost's own WIB/WITA/WIT (from its region),
    # never the laptop's zone when that is not Indonesian (a laptop set to UTC printed "UTC+0").
    moment = application.submitted_at.replace(tzinfo=dt.UTC)
    submitted = moment.astimezone(tz or _indonesian(outpost.zone, moment))
    calendar = holidays or default_holidays()
    expected = add_working_days(submitted.date(), service.sla_days, calendar)
    answers = {"fakta": facts_of(application), "forms": answers_of(application)}
    attached: dict[str, tuple[str, int]] = {}
    for document, pages in pages_of(application):
        substitute_id, count = attached.get(document.requirement_id, ("", 0))
        attached[document.requirement_id] = (substitute_id or document.substitute_id, count + len(pages))
    documents: list[ReceivedDocument] = []
    for item in checklist(service, answers, today=submitted.date()):
        requirement = item.requirement
        if requirement.id not in attached:
            continue
        substitute_id, count = attached.pop(requirement.id)
        substitute = next((s for s in requirement.substitutes if s.id == substitute_id), None)
        copy = COPY_KINDS.get(requirement.copy, requirement.copy)
        if substitute is not None and all(d.form for d in substitute.documents):
            copy = "asli"  # a substitute made of filled-in forms (SPTJM) is handed in signed, as the original
        documents.append(ReceivedDocument(requirement.title, copy, count, substitute.label if substitute else ""))
    for requirement_id, (_, count) in attached.items():  # pages for a requirement the catalogue no longer has
        documents.append(ReceivedDocument(requirement_id.replace("_", " ").capitalize(), "", count))
    return ReceiptData(
        outpost=outpost,
        local_number=local_number(application.client_id),
        dinas_number=application.registration_number or "",
        service_title=service.title,
        applicant_name=application.applicant_name,
        applicant_nik=application.applicant_nik,
        submitted_at=submitted,
        expected_date=expected,
        sla_days=service.sla_days,
        officer_name=officer_name if officer_name is not None else application.created_by.full_name,
        documents=tuple(documents),
        outputs=tuple(output.title for output in service.outputs),
        fee=service.fee,
        expected_is_estimate=not calendar.is_certain(submitted.date(), expected),
        site=application.site,
    )


def render_receipt(data: ReceiptData, paper: str = "A5") -> bytes:
    """The receipt as a PDF on A5 (or A4) portrait paper."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {sorted(PAPERS)}, not {paper!r}")
    page = PAPERS[paper]
    width = page[0] - 2 * _MARGIN
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=f"Tanda terima {data.registration_number}",
        author="Loket",
        creator="Loket",
        invariant=1,
    )
    frame = Frame(
        _MARGIN, _MARGIN, width, page[1] - 2 * _MARGIN, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
    )
    doc.addPageTemplates([PageTemplate(id="receipt", frames=[frame], onPage=_footer(data, page))])
    doc.build(_Receipt(data, width).story())
    return buffer.getvalue()


def _footer(data: ReceiptData, page: tuple[float, float]) -> Any:
    font = fonts()

    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font.regular, 6.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(_MARGIN, _MARGIN - 11, f"Tanda terima {data.registration_number}")
        canvas.drawRightString(page[0] - _MARGIN, _MARGIN - 11, f"Halaman {canvas.getPageNumber()}")
        canvas.restoreState()

    return draw


class _Receipt:
    """Builds the story of one receipt."""

    def __init__(self, data: ReceiptData, width: float) -> None:
        self.data = data
        self.width = width
        font = fonts()
        self.font = font
        base = ParagraphStyle("base", fontName=font.regular, fontSize=8.5, leading=11, splitLongWords=1)
        self.office = ParagraphStyle("office", base, fontName=font.bold, fontSize=10.5, leading=13)
        self.small = ParagraphStyle("small", base, fontSize=7.5, leading=9.5)
        self.title = ParagraphStyle("title", base, fontName=font.bold, fontSize=12, leading=15)
        self.number = ParagraphStyle("number", base, fontName=font.bold, fontSize=17, leading=21)
        self.label = ParagraphStyle("label", base, fontSize=8, leading=10.5, textColor=colors.Color(0.25, 0.25, 0.25))
        self.value = ParagraphStyle("value", base, fontSize=9, leading=11.5)
        self.strong = ParagraphStyle("strong", base, fontName=font.bold, fontSize=9, leading=11.5)
        self.cell = ParagraphStyle("cell", base, fontName=font.condensed, fontSize=8, leading=10)
        self.cell_note = ParagraphStyle("cell_note", self.cell, fontSize=7, leading=8.5, textColor=colors.grey)
        self.head = ParagraphStyle("head", self.cell, fontName=font.condensed_bold)
        self.center = ParagraphStyle("center", base, alignment=TA_CENTER)
        self.note = ParagraphStyle("note", base, fontName=font.bold, fontSize=9.5, leading=12, alignment=TA_CENTER)

    def story(self) -> list[Flowable]:
        return [
            self.heading(),
            Spacer(1, 8),
            self.details(),
            Spacer(1, 8),
            *self.documents(),
            Spacer(1, 8),
            KeepTogether([self.note_box(), Spacer(1, 8), self.signature()]),
        ]

    def heading(self) -> Table:
        data = self.data
        left: list[Flowable] = [Paragraph(markup(data.outpost.name.upper()), self.office)]
        left.append(Paragraph(markup(data.outpost.kabupaten), self.small))
        contact = " · ".join(x for x in (data.outpost.address, data.outpost.phone) if x)
        if contact:
            left.append(Paragraph(markup(contact), self.small))
        if data.site and data.site.strip().lower() != data.outpost.name.strip().lower():
            # A mobile team's receipt says where it was handed in (a school, a hospital).
            left.append(Paragraph(f"Lokasi pelayanan: {markup(data.site)}", self.small))
        left += [
            Spacer(1, 6),
            Paragraph("TANDA TERIMA PERMOHONAN", self.title),
            Paragraph("Layanan Administrasi Kependudukan", self.small),
            Spacer(1, 6),
            Paragraph("Nomor registrasi", self.label),
            Paragraph(markup(data.registration_number), self.number),
        ]
        if data.dinas_number:
            left.append(Paragraph(f"Nomor lokal: {markup(data.local_number)}", self.small))
        qr_size = 30 * mm
        table = Table(
            [[left, _qr(data.registration_number, qr_size)]], colWidths=[self.width - qr_size - 4, qr_size + 4]
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        return table

    def details(self) -> Table:
        data = self.data
        submitted = f"{day_date(data.submitted_at.date())} pukul {clock(data.submitted_at)}"
        expected = f"<b>{markup(day_date(data.expected_date))}</b> ({data.sla_days} hari kerja)"
        if data.expected_is_estimate:
            expected += "<br/><font size=7>perkiraan: tanggal libur pada periode ini belum pasti</font>"
        fee = "<b>Gratis</b>, tidak dipungut biaya" if data.fee <= 0 else f"<b>{rupiah(data.fee)}</b>"
        rows = [
            ("Layanan", f"<b>{markup(data.service_title)}</b>"),
            ("Nama pemohon", markup(data.applicant_name)),
            ("NIK", markup(data.applicant_nik or "-")),
            ("Tanggal pengajuan", markup(submitted)),
            ("Perkiraan selesai", expected),
        ]
        if data.outputs:
            rows.append(("Dokumen yang diterbitkan", markup("; ".join(data.outputs))))
        rows += [("Biaya", fee), ("Petugas penerima", markup(data.officer_name))]
        label_width = 32 * mm
        table = Table(
            [[Paragraph(label, self.label), Paragraph(value, self.value)] for label, value in rows],
            colWidths=[label_width, self.width - label_width],
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("LINEBELOW", (0, 0), (-1, -2), 0.3, _LINE),
                ]
            )
        )
        return table

    def documents(self) -> list[Flowable]:
        heading = Paragraph("Berkas yang diterima", self.strong)
        if not self.data.documents:
            return [heading, Spacer(1, 2), Paragraph("Tidak ada berkas yang dipindai.", self.small)]
        rows: list[list[object]] = [[Paragraph(h, self.head) for h in ("No.", "Dokumen", "Asli/fotokopi", "Hal.")]]
        for number, document in enumerate(self.data.documents, start=1):
            title: list[Flowable] = [Paragraph(markup(document.title), self.cell)]
            if document.substitute:
                title.append(Paragraph(f"diganti dengan: {markup(document.substitute)}", self.cell_note))
            rows.append(
                [
                    Paragraph(str(number), self.cell),
                    title,
                    Paragraph(markup(document.copy.capitalize() or "-"), self.cell),
                    Paragraph(str(document.pages), self.cell),
                ]
            )
        widths = [8 * mm, self.width - 8 * mm - 30 * mm - 10 * mm, 30 * mm, 10 * mm]
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, _LINE),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return [heading, Spacer(1, 3), table]

    def note_box(self) -> Table:
        text = [
            Paragraph(markup(NOTE), self.note),
            Spacer(1, 2),
            Paragraph(
                "Perkiraan selesai dihitung dalam hari kerja (Senin sampai Jumat, di luar hari libur nasional dan "
                "cuti bersama) sejak tanggal pengajuan.",
                ParagraphStyle("fine", self.small, alignment=TA_CENTER),
            ),
        ]
        table = Table([[text]], colWidths=[self.width])
        table.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        return table

    def signature(self) -> Table:
        name = markup(self.data.officer_name) or "." * 40
        cell = [
            Paragraph("Petugas penerima,", self.center),
            Spacer(1, 34),
            Paragraph(f"( <b>{name}</b> )", self.center),
        ]
        table = Table([["", cell]], colWidths=[self.width / 2, self.width / 2])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return table


def _qr(text: str, size: float) -> Drawing:
    """A QR code of `text`, `size` points square (including the quiet zone scanners need)."""
    widget = QrCodeWidget(text, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing
