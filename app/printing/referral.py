"""The citizen's referral slip (surat rujukan): "not here, go there", with the reason and the legal basis.

Printed when a catalogue eligibility rule with a referral fails (a marriage of two Muslims belongs to the KUA
Kecamatan, a Muslim divorce to the Pengadilan Agama), so that the citizen leaves with something in hand instead of
an application that the Dinas would refuse. `render_referral_slip` draws from a `ReferralSlip` the caller fills.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.catalog import ActiveReferral
from app.printing.fonts import fonts
from app.printing.receipt import PAPERS, Outpost
from app.printing.text import clock, day_date, markup

TITLE = "SURAT RUJUKAN"
NOTE = "Surat ini bukan tanda terima permohonan: permohonan tidak diterima di sini. Bawa surat ini ke instansi tujuan."
_MARGIN = 12 * mm


@dataclass(frozen=True)
class ReferralSlip:
    """Everything printed on a referral slip."""

    outpost: Outpost
    service_title: str
    applicant_name: str
    office: str
    office_description: str
    reason: str
    articles: str
    legal_basis: tuple[str, ...]
    next_step: str
    issued_at: dt.datetime


def referral_slip_for(
    active: ActiveReferral, outpost: Outpost, applicant_name: str, issued_at: dt.datetime
) -> ReferralSlip:
    """Fill a slip from the referral the answers call for."""
    referral = active.referral
    return ReferralSlip(
        outpost=outpost,
        service_title=active.service.title,
        applicant_name=applicant_name,
        office=referral.office.title,
        office_description=referral.office.description,
        reason=referral.reason,
        articles=referral.articles,
        legal_basis=tuple(b.title for b in referral.legal_basis),
        next_step=referral.next_step,
        issued_at=issued_at,
    )


def render_referral_slip(data: ReferralSlip, paper: str = "A5") -> bytes:
    """The slip as a PDF on A5 (or A4) portrait paper."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {sorted(PAPERS)}, not {paper!r}")
    page = PAPERS[paper]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=f"{TITLE} {data.office}",
        author="Loket",
        creator="Loket",
        invariant=1,
    )
    doc.build(_story(data, page[0] - 2 * _MARGIN))
    return buffer.getvalue()


def _story(data: ReferralSlip, width: float) -> list[Flowable]:
    font = fonts()
    base = ParagraphStyle("base", fontName=font.regular, fontSize=9, leading=12, splitLongWords=1)
    office = ParagraphStyle("office", base, fontName=font.bold, fontSize=10.5, leading=13)
    small = ParagraphStyle("small", base, fontSize=7.5, leading=9.5)
    title = ParagraphStyle("title", base, fontName=font.bold, fontSize=13, leading=16)
    label = ParagraphStyle("label", base, fontSize=8, leading=10.5, textColor=colors.Color(0.25, 0.25, 0.25))
    strong = ParagraphStyle("strong", base, fontName=font.bold, fontSize=11, leading=14)
    note = ParagraphStyle("note", base, fontName=font.bold, fontSize=8.5, leading=11)
    issued = f"{day_date(data.issued_at.date())} pukul {clock(data.issued_at)}"
    rows = [
        ("Nama", markup(data.applicant_name or "-")),
        ("Layanan yang diminta", markup(data.service_title)),
        ("Tanggal", markup(issued)),
    ]
    details = Table([[Paragraph(k, label), Paragraph(v, base)] for k, v in rows], colWidths=[36 * mm, width - 36 * mm])
    details.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story: list[Flowable] = [
        Paragraph(markup(data.outpost.name.upper()), office),
        Paragraph(markup(data.outpost.kabupaten), small),
        Spacer(1, 6),
        Paragraph(TITLE, title),
        Paragraph("Layanan Administrasi Kependudukan", small),
        Spacer(1, 8),
        details,
        Spacer(1, 8),
        Paragraph("Silakan datang ke", label),
        Paragraph(markup(data.office), strong),
    ]
    if data.office_description:
        story.append(Paragraph(markup(data.office_description, 600), small))
    story += [Spacer(1, 6), Paragraph("Alasan", label), Paragraph(markup(data.reason, 800), base)]
    story += [Spacer(1, 6), Paragraph("Dasar hukum", label), Paragraph(markup(data.articles, 400), base)]
    story += [Paragraph(markup(title_), small) for title_ in data.legal_basis]
    if data.next_step:
        story += [Spacer(1, 6), Paragraph("Langkah selanjutnya", label), Paragraph(markup(data.next_step, 800), base)]
    story += [Spacer(1, 10), Paragraph(NOTE, note), Spacer(1, 14), Paragraph("Petugas,", base), Spacer(1, 28)]
    story.append(Paragraph("(.................................)", base))
    return story
