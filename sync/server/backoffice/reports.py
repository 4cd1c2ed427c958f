"""The back office's reports: the daily register, the SLA report and the monthly counts, as CSV, PDF and SVG.

Each report is computed by a few aggregate queries (no query per row) that run the same on SQLite and
PostgreSQL, and comes back as a `Report`: plain rows the page templates, `to_csv` and `to_pdf` all read.

Times are stored in UTC. A report's days and months are UTC days unless the caller passes
`utc_offset_hours` (7 for WIB): the day's window and the times shown then move to that zone, and the
subtitle names it.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar
from xml.sax.saxutils import escape

import peewee
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4, landscape  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.catalog import Catalog
from app.indonesian import MONTHS
from app.printing.fonts import FontSet, fonts
from app.printing.text import ZONES, clean, day_date, long_date, markup
from app.printing.workdays import HolidayCalendar, default_holidays
from app.store.lifecycle import STATE_LABELS
from sync.server.models import Application, Event, Outpost, Submission

Cell = str | int
Row = tuple[Cell, ...]
M = TypeVar("M", bound=peewee.Model)

# Work still at the Dinas: the SLA clock runs in these states.
SLA_STATES = ("received", "verified", "validated", "produced", "signed")
# The Dinas' work is finished when the application becomes ready to collect (handed_over only follows ready).
DONE_STATE = "ready"
OVERDUE_LIMIT = 1000

_MARGIN = 12 * mm
_HEADER = 14 * mm
_LANDSCAPE_FROM = 7  # columns
_BODY_SIZE = 7.5
_CELL_PADDING = 6  # points, left + right
_KEEP_WHOLE = 70  # points: a text up to this wide is never wrapped (dates, states, most names)
_ZEBRA = colors.Color(0.95, 0.95, 0.95)
_HEAD = colors.Color(0.85, 0.88, 0.92)
_CHAR_PX = 7.5  # an SVG label character at 12 px, generously
_LABEL_CHARS = 42  # longer labels are cut with … (the full text is in the bar's tooltip)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Chart:
    """Values to draw as a bar chart (`bar_chart_svg(chart.labels, chart.values, chart.title)`)."""

    title: str
    labels: list[str]
    values: list[int]


@dataclass(frozen=True)
class Section:
    """A further table of a report (e.g. the SLA report's overdue list)."""

    title: str
    columns: list[str]
    rows: list[Row]
    totals: Row | None = None


@dataclass(frozen=True)
class Report:
    """A report as rows: what the page shows, and what CSV and PDF are made from."""

    title: str
    subtitle: str
    columns: list[str]
    rows: list[Row]
    totals: Row | None = None
    chart: Chart | None = None
    sections: list[Section] = field(default_factory=list)
    slug: str = "laporan"  # a file name stem for downloads, e.g. "buku-harian-2026-11-22"


class Tabular(Protocol):
    """Anything with a header, rows and an optional totals row: a `Report` or one of its `Section`s."""

    @property
    def columns(self) -> list[str]:
        """The header."""

    @property
    def rows(self) -> list[Row]:
        """The rows, each as long as the header."""

    @property
    def totals(self) -> Row | None:
        """The totals row, when there is one."""


# -- the reports ---------------------------------------------------------------------------------------


def daily_register(
    day: dt.date,
    *,
    outpost_code: str | None = None,
    kecamatan: str | None = None,
    scope: tuple[str, ...] = (),
    catalog: Catalog | None = None,
    utc_offset_hours: int = 0,
) -> Report:
    """The buku harian: every revision received on `day`, by outpost then time.

    A row per revision as it arrived (a returned application sent again is received again), with the
    application's current status. `scope` is the kecamatan codes the staff member may see (empty: all).
    """
    start, end = _window(day, day + dt.timedelta(days=1), utc_offset_hours)
    query = (
        Submission.select(
            Submission.received_at,
            Submission.revision,
            Application.registration_number,
            Application.service_code,
            Application.applicant_name,
            Application.applicant_nik,
            Application.state,
            Outpost.name,
        )
        .join(Application, on=(Submission.application == Application.id))
        .join(Outpost, on=(Application.outpost == Outpost.id))
        .where((Submission.received_at >= start) & (Submission.received_at < end))
    )
    query = _scoped(query, scope)
    if outpost_code:
        query = query.where(Outpost.code == outpost_code)
    if kecamatan:
        query = query.where(Outpost.kecamatan == kecamatan)
    query = query.order_by(Outpost.code, Submission.received_at, Submission.id)
    titles = _Titles(catalog)
    shift = dt.timedelta(hours=utc_offset_hours)
    rows: list[Row] = []
    per_outpost: dict[str, int] = {}
    for number, (at, revision, registration, service, name, nik, state, outpost) in enumerate(_tuples(query), start=1):
        rows.append(
            (
                number,
                registration or "",
                _clock(_as_datetime(at) + shift),
                outpost,
                titles[service],
                name,
                nik,
                STATE_LABELS.get(state, state),
                revision,
            )
        )
        per_outpost[outpost] = per_outpost.get(outpost, 0) + 1
    where = [f"Kecamatan {kecamatan}" if kecamatan else "", f"Pos {outpost_code}" if outpost_code else ""]
    subtitle = " · ".join(
        part
        for part in (day_date(day), *where, f"{len(rows)} penerimaan", f"jam dalam {_zone(utc_offset_hours)}")
        if part
    )
    return Report(
        title="Buku Harian Penerimaan Permohonan",
        subtitle=subtitle,
        columns=[
            "No.",
            "Nomor registrasi",
            "Jam diterima",
            "Pos pelayanan",
            "Layanan",
            "Nama pemohon",
            "NIK",
            "Status",
            "Revisi",
        ],
        rows=rows,
        chart=Chart("Penerimaan per pos pelayanan", list(per_outpost), list(per_outpost.values())),
        slug=f"buku-harian-{day.isoformat()}",
    )


def sla_report(
    today: dt.date,
    *,
    scope: tuple[str, ...] = (),
    catalog: Catalog | None = None,
    utc_offset_hours: int = 0,
    overdue_limit: int = OVERDUE_LIMIT,
    holidays: HolidayCalendar | None = None,
) -> Report:
    """Per outpost and service: in progress, due today, overdue, finished this month and within the SLA.

    Its one section lists the overdue applications, longest overdue first (at most `overdue_limit`).
    """
    titles = _Titles(catalog)
    in_sla = Application.state.in_(SLA_STATES)
    due_today = peewee.Case(None, [(Application.due_date == today, 1)], 0)
    overdue = peewee.Case(None, [(Application.due_date < today, 1)], 0)
    open_query = (
        Application.select(
            Outpost.code,
            Outpost.name,
            Application.service_code,
            peewee.fn.COUNT(Application.id),
            peewee.fn.SUM(due_today),
            peewee.fn.SUM(overdue),
        )
        .join(Outpost, on=(Application.outpost == Outpost.id))
        .where(in_sla)
        .group_by(Outpost.code, Outpost.name, Application.service_code)
    )
    month_start = today.replace(day=1)
    start, end = _window(month_start, _next_month(month_start), utc_offset_hours)
    # One ready event per application: ready is reached once, and only handed_over follows it.
    in_time = peewee.Case(None, [(peewee.fn.DATE(Event.at) <= Application.due_date, 1)], 0)
    done_query = (
        Event.select(
            Outpost.code,
            Outpost.name,
            Application.service_code,
            peewee.fn.COUNT(Event.id),
            peewee.fn.SUM(in_time),
        )
        .join(Application, on=(Event.application == Application.id))
        .join(Outpost, on=(Application.outpost == Outpost.id))
        .where((Event.state == DONE_STATE) & (Event.at >= start) & (Event.at < end))
        .group_by(Outpost.code, Outpost.name, Application.service_code)
    )
    counts: dict[tuple[str, str, str], list[int]] = {}
    for code, name, service, *numbers in _tuples(_scoped(open_query, scope)):
        counts.setdefault((code, name, service), [0] * 5)[:3] = [int(n or 0) for n in numbers]
    for code, name, service, *numbers in _tuples(_scoped(done_query, scope)):
        counts.setdefault((code, name, service), [0] * 5)[3:] = [int(n or 0) for n in numbers]
    rows: list[Row] = []
    overdue_per_outpost: dict[str, int] = {}
    for code, name, service in sorted(counts, key=lambda key: (key[0], titles[key[2]])):
        numbers = counts[(code, name, service)]
        rows.append((name, titles[service], *numbers))
        overdue_per_outpost[name] = overdue_per_outpost.get(name, 0) + numbers[2]
    sums = [sum(int(row[i]) for row in rows) for i in range(2, 7)]
    section = _overdue_section(today, scope, titles, overdue_limit, sums[2], holidays or default_holidays())
    return Report(
        title="Laporan Pemenuhan Waktu Layanan (SLA)",
        subtitle=(
            f"Keadaan {day_date(today)} · selesai dihitung sejak 1 {MONTHS[today.month - 1]} {today.year} "
            f"· waktu {_zone(utc_offset_hours)}"
        ),
        columns=[
            "Pos pelayanan",
            "Layanan",
            "Dalam proses",
            "Jatuh tempo hari ini",
            "Terlambat",
            "Selesai bulan ini",
            "Selesai tepat waktu",
        ],
        rows=rows,
        totals=("Jumlah", "", *sums),
        chart=Chart(
            "Permohonan terlambat per pos pelayanan", list(overdue_per_outpost), list(overdue_per_outpost.values())
        ),
        sections=[section],
        slug=f"sla-{today.isoformat()}",
    )


def _overdue_section(
    today: dt.date, scope: tuple[str, ...], titles: _Titles, limit: int, total: int, holidays: HolidayCalendar
) -> Section:
    query = (
        Application.select(
            Application.registration_number,
            Outpost.name,
            Application.service_code,
            Application.applicant_name,
            Application.state,
            Application.due_date,
        )
        .join(Outpost, on=(Application.outpost == Outpost.id))
        .where(Application.state.in_(SLA_STATES) & (Application.due_date < today))
        .order_by(Application.due_date, Outpost.code, Application.id)
        .limit(limit)
    )
    late: dict[dt.date, int] = {}
    rows: list[Row] = []
    for number, (registration, outpost, service, name, state, due) in enumerate(
        _tuples(_scoped(query, scope)), start=1
    ):
        due_date = _as_date(due)
        if due_date not in late:
            late[due_date] = _working_days_between(due_date, today, holidays)
        rows.append(
            (
                number,
                registration or "",
                outpost,
                titles[service],
                name,
                STATE_LABELS.get(state, state),
                _short_date(due_date),
                late[due_date],
            )
        )
    title = "Daftar permohonan terlambat"
    if total > len(rows):
        title += f" ({len(rows)} terlama dari {total})"
    return Section(
        title=title,
        columns=[
            "No.",
            "Nomor registrasi",
            "Pos pelayanan",
            "Layanan",
            "Nama pemohon",
            "Status",
            "Jatuh tempo",
            "Terlambat (hari kerja)",
        ],
        rows=rows,
    )


def monthly_counts(
    year: int,
    month: int,
    *,
    scope: tuple[str, ...] = (),
    catalog: Catalog | None = None,
    utc_offset_hours: int = 0,
) -> Report:
    """Per service, how many applications were received, finished, handed over, returned and rejected in a month.

    Each figure counts applications (not events) that reached that state at least once in the month, so an
    application returned and received again in the same month is received once. Every catalogue service
    is listed, also with zeros, for the Standar Pelayanan's evaluation.
    """
    first = dt.date(year, month, 1)
    start, end = _window(first, _next_month(first), utc_offset_hours)
    states = ("received", DONE_STATE, "handed_over", "returned", "rejected")
    query = (
        Event.select(Application.service_code, Event.state, peewee.fn.COUNT(Event.application.distinct()))
        .join(Application, on=(Event.application == Application.id))
        .join(Outpost, on=(Application.outpost == Outpost.id))
        .where(Event.state.in_(states) & (Event.at >= start) & (Event.at < end))
        .group_by(Application.service_code, Event.state)
    )
    titles = _Titles(catalog)
    counts: dict[str, list[int]] = {service.code: [0] * len(states) for service in titles.catalog.services}
    for service, state, count in _tuples(_scoped(query, scope)):
        counts.setdefault(service, [0] * len(states))[states.index(state)] = int(count)
    rows: list[Row] = [(number, titles[code], *numbers) for number, (code, numbers) in enumerate(counts.items(), 1)]
    sums = [sum(numbers[i] for numbers in counts.values()) for i in range(len(states))]
    received = [(titles[code], numbers[0]) for code, numbers in counts.items() if numbers[0]]
    received.sort(key=lambda item: -item[1])
    return Report(
        title="Rekapitulasi Permohonan per Layanan",
        subtitle=f"Bulan {MONTHS[month - 1]} {year} · waktu {_zone(utc_offset_hours)}",
        columns=["No.", "Layanan", "Diterima", "Selesai (siap diambil)", "Diserahkan", "Dikembalikan", "Ditolak"],
        rows=rows,
        totals=("", "Jumlah", *sums),
        chart=Chart("Permohonan diterima per layanan", [t for t, _ in received], [n for _, n in received]),
        slug=f"rekap-{year:04d}-{month:02d}",
    )


# -- CSV -----------------------------------------------------------------------------------------------


def to_csv(table: Tabular) -> bytes:
    """One table (a report or one of its sections) as CSV: UTF-8 with a BOM, comma-separated, RFC 4180 quoting.

    Commas because that is RFC 4180 and what the csv module, LibreOffice, Google Sheets and Excel's
    "Data > From Text/CSV" read without asking; the reports' numbers are whole numbers, so Indonesian
    decimal commas never clash. (Excel opening the file by double-click on a computer set to Indonesian
    uses its list separator `;` and puts each row in one column: import it through the Data menu.)
    The BOM makes Excel read UTF-8. Text starting with = + - @ gets a leading ' so a spreadsheet never runs
    an applicant's name as a formula.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_safe_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([_safe_cell(c) for c in row])
    if table.totals is not None:
        writer.writerow([_safe_cell(c) for c in table.totals])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _safe_cell(cell: Cell) -> Cell:
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


# -- PDF -----------------------------------------------------------------------------------------------


def to_pdf(report: Report, *, printed_at: dt.datetime | None = None) -> bytes:
    """The report on A4 (landscape when it has many columns): a header on every page, the table's header row
    repeated on each page, and "Halaman i dari n" at the foot."""
    font = fonts()
    widest = max([len(report.columns)] + [len(s.columns) for s in report.sections])
    page = landscape(A4) if widest >= _LANDSCAPE_FROM else A4
    width = page[0] - 2 * _MARGIN
    moment = printed_at or dt.datetime.now(dt.UTC)
    printed = f"Dicetak {long_date(moment.date())} pukul {_clock(moment)} {_zone_of(moment)}"
    styles = _Styles(font)
    story: list[Flowable] = [Paragraph(markup(report.subtitle), styles.subtitle), Spacer(1, 4 * mm)]
    story += _table_flowables(report, width, styles)
    for section in report.sections:
        story += [Spacer(1, 6 * mm), Paragraph(markup(section.title), styles.heading), Spacer(1, 2 * mm)]
        story += _table_flowables(section, width, styles)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN + _HEADER,
        bottomMargin=_MARGIN + 6 * mm,
        title=report.title,
        author="Loket",
        creator="Loket",
    )
    frame = Frame(
        _MARGIN,
        _MARGIN + 6 * mm,
        width,
        page[1] - 2 * _MARGIN - _HEADER - 6 * mm,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )

    def header(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font.bold, 13)
        canvas.drawString(_MARGIN, page[1] - _MARGIN - 5 * mm, report.title)
        canvas.setFont(font.regular, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawRightString(page[0] - _MARGIN, page[1] - _MARGIN - 5 * mm, printed)
        canvas.setStrokeColor(colors.grey)
        canvas.setLineWidth(0.5)
        canvas.line(_MARGIN, page[1] - _MARGIN - 8 * mm, page[0] - _MARGIN, page[1] - _MARGIN - 8 * mm)
        canvas.restoreState()

    doc.addPageTemplates([PageTemplate(id="report", frames=[frame], onPage=header)])
    footer = _Footer(font.regular, page[0] - _MARGIN, _MARGIN, report.title)
    doc.build(story, canvasmaker=functools.partial(_NumberedCanvas, footer=footer))
    return buffer.getvalue()


@dataclass(frozen=True)
class _Footer:
    font: str
    right: float
    bottom: float
    title: str


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds the pages back until the end so each can say how many there are ("Halaman 2 dari 5")."""

    def __init__(self, *args: Any, footer: _Footer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            footer = self._footer
            self.saveState()
            self.setFont(footer.font, 7.5)
            self.setFillColor(colors.grey)
            self.drawString(_MARGIN, footer.bottom, footer.title)
            self.drawRightString(footer.right, footer.bottom, f"Halaman {self._pageNumber} dari {total}")
            self.restoreState()
            super().showPage()
        super().save()


@dataclass(frozen=True)
class _Styles:
    font: FontSet

    @functools.cached_property
    def subtitle(self) -> ParagraphStyle:
        return ParagraphStyle("subtitle", fontName=self.font.regular, fontSize=9.5, leading=12)

    @functools.cached_property
    def heading(self) -> ParagraphStyle:
        return ParagraphStyle("heading", fontName=self.font.bold, fontSize=11, leading=14)

    @functools.cached_property
    def cell(self) -> ParagraphStyle:
        return ParagraphStyle("cell", fontName=self.font.condensed, fontSize=_BODY_SIZE, leading=_BODY_SIZE + 1.5)

    @functools.cached_property
    def head(self) -> ParagraphStyle:
        return ParagraphStyle("head", fontName=self.font.condensed_bold, fontSize=_BODY_SIZE, leading=_BODY_SIZE + 1.5)

    @functools.cached_property
    def empty(self) -> ParagraphStyle:
        return ParagraphStyle("empty", fontName=self.font.regular, fontSize=9, leading=12, textColor=colors.grey)


def _table_flowables(table: Tabular, width: float, styles: _Styles) -> list[Flowable]:
    font = styles.font
    numeric = _numeric_columns(table)
    lines = [*table.rows, *([table.totals] if table.totals is not None else [])]
    texts = [[_number(cell) if isinstance(cell, int) else clean(cell) for cell in row] for row in lines]
    measured = [[stringWidth(text, font.condensed, _BODY_SIZE) for text in row] for row in texts]
    widths = _column_widths(table.columns, texts, measured, width, font, numeric)
    data: list[list[Any]] = [[Paragraph(markup(c), styles.head) for c in table.columns]]
    # A cell that fits its column is drawn as a plain string (fast: a register has thousands of cells);
    # only a longer text becomes a paragraph that wraps. Numbers never wrap.
    last = len(lines) - 1
    for r, row in enumerate(texts):
        style = styles.head if table.totals is not None and r == last else styles.cell
        data.append(
            [
                text
                if i in numeric or measured[r][i] + _CELL_PADDING <= widths[i]
                else Paragraph(escape(text).replace("\n", "<br/>"), style)
                for i, text in enumerate(row)
            ]
        )
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), font.condensed, _BODY_SIZE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), _HEAD),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.Color(0.7, 0.7, 0.7)),
        ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING / 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING / 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, _ZEBRA]),
    ]
    commands += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in sorted(numeric)]
    if table.totals is not None:
        commands += [
            ("FONT", (0, -1), (-1, -1), font.condensed_bold, _BODY_SIZE),
            ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black),
            ("BACKGROUND", (0, -1), (-1, -1), colors.white),
        ]
    flowables: list[Flowable] = [Table(data, colWidths=widths, repeatRows=1, style=TableStyle(commands))]
    if not table.rows:
        flowables.append(Paragraph("Tidak ada data untuk pilihan ini.", styles.empty))
    return flowables


def _number(value: int) -> str:
    """`16.509`: Indonesian thousands separator (CSV keeps plain numbers)."""
    return f"{value:,}".replace(",", ".")


def _numeric_columns(table: Tabular) -> set[int]:
    """Columns whose every row holds a whole number (the totals row may leave them blank)."""
    if not table.rows:
        return set()
    return {i for i in range(len(table.columns)) if all(isinstance(row[i], int) for row in table.rows)}


def _column_widths(
    columns: list[str],
    texts: list[list[str]],
    measured: list[list[float]],
    width: float,
    font: FontSet,
    numeric: set[int],
) -> list[float]:
    """Column widths as a browser lays out a table: each column gets at least its narrow width (its longest
    word, a short text whole), and what the page has left goes to the columns whose text is longer."""
    widest: list[float] = []
    narrow: list[float] = []
    for i, column in enumerate(columns):
        head = max((stringWidth(w, font.condensed_bold, _BODY_SIZE) for w in column.split()), default=0)
        longest = max((row[i] for row in measured), default=0.0)
        widest.append(max(head, longest, 12) + _CELL_PADDING + 1)
        if i in numeric:
            narrow.append(widest[i])
            continue
        words = max((stringWidth(w, font.condensed, _BODY_SIZE) for row in texts for w in row[i].split()), default=0)
        narrow.append(min(widest[i], max(head, words, _KEEP_WHOLE) + _CELL_PADDING + 1))
    if sum(widest) <= width:
        return [w * width / sum(widest) for w in widest]
    if sum(narrow) >= width:
        return [w * width / sum(narrow) for w in narrow]
    room = width - sum(narrow)
    extra = sum(widest) - sum(narrow)
    return [n + (w - n) * room / extra for n, w in zip(narrow, widest, strict=True)]


# -- SVG -----------------------------------------------------------------------------------------------


def bar_chart_svg(labels: Sequence[str], values: Sequence[int], title: str) -> str:
    """A horizontal bar chart as inline SVG: a label, a bar and its value per line; titled and described for
    screen readers, no script and no external font (the browser's sans-serif)."""
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels for {len(values)} values")
    ident = "chart-" + hashlib.sha256("\0".join([title, *labels]).encode()).hexdigest()[:10]
    row, gap, top, width = 22, 4, 28, 720
    # No font is measured here (the browser picks its sans-serif): 7.5 px a character is wide enough at 12 px.
    limit = _LABEL_CHARS
    label_width = max([_CHAR_PX * len(_shorten(label, limit)) for label in labels] + [60.0]) + 12
    value_width = max([_CHAR_PX * len(str(v)) for v in values] + [24.0]) + 12
    bar_room = width - label_width - value_width - 8
    largest = max([*values, 0])
    height = top + max(len(labels), 1) * row + 8
    description = "; ".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{ident}-t {ident}-d" '
        'font-family="sans-serif" font-size="12">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(description or "Tidak ada data.")}</desc>',
        f'<text x="0" y="16" font-size="14" font-weight="bold" fill="#222">{escape(title)}</text>',
    ]
    if not labels:
        parts.append(f'<text x="0" y="{top + 14}" fill="#555">Tidak ada data.</text>')
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + index * row
        bar = 0.0 if largest <= 0 else max(value, 0) / largest * bar_room
        parts += [
            "<g>",
            f"<title>{escape(f'{label}: {value}')}</title>",
            f'<text x="{label_width - 8:.0f}" y="{y + 14}" text-anchor="end" fill="#222">'
            f"{escape(_shorten(label, limit))}</text>",
            f'<rect x="{label_width:.0f}" y="{y + 2}" width="{bar:.1f}" height="{row - gap - 2}" fill="#2f6f9f"/>',
            f'<text x="{label_width + bar + 6:.1f}" y="{y + 14}" fill="#222">{escape(str(value))}</text>',
            "</g>",
        ]
    parts.append("</svg>")
    return "".join(parts)


def chart_svg(report: Report) -> str:
    """The report's chart as inline SVG, or "" when it has none."""
    if report.chart is None:
        return ""
    return bar_chart_svg(report.chart.labels, report.chart.values, report.chart.title)


def _shorten(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


# -- helpers -------------------------------------------------------------------------------------------


class _Titles:
    """Service titles by code from the catalogue; a code the catalogue does not know shows as itself."""

    def __init__(self, catalog: Catalog | None) -> None:
        self.catalog = catalog or _default_catalog()
        self._titles = {service.code: service.title for service in self.catalog.services}

    def __getitem__(self, code: str) -> str:
        title = self._titles.get(code)
        if title is None:
            try:
                title = self.catalog.service(code).title
            except KeyError:
                title = code
            self._titles[code] = title
        return title


@functools.cache
def _default_catalog() -> Catalog:
    from sync.server.reference import Reference  # noqa: PLC0415 - loaded only when no catalogue is given

    return Reference.load().catalog


def _scoped(query: peewee.ModelSelect[M], scope: Iterable[str]) -> peewee.ModelSelect[M]:
    """Only the outposts of these kecamatan (all when there are none)."""
    codes = tuple(scope)
    return query.where(Outpost.kecamatan.in_(codes)) if codes else query


def _tuples(query: peewee.ModelSelect[Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of an aggregate or joined query as plain tuples, streamed."""
    rows: Iterator[tuple[Any, ...]] = query.tuples().iterator()
    return rows


def _window(first: dt.date, after: dt.date, utc_offset_hours: int) -> tuple[dt.datetime, dt.datetime]:
    """The stored (UTC, naive) datetimes from `first` 00:00 to `after` 00:00 in the report's zone."""
    shift = dt.timedelta(hours=utc_offset_hours)
    return dt.datetime.combine(first, dt.time()) - shift, dt.datetime.combine(after, dt.time()) - shift


def _next_month(first: dt.date) -> dt.date:
    return dt.date(first.year + 1, 1, 1) if first.month == 12 else dt.date(first.year, first.month + 1, 1)


def _zone(hours: int) -> str:
    if hours == 0:
        return "UTC"
    return ZONES.get(hours) or f"UTC{hours:+d}"


def _zone_of(moment: dt.datetime) -> str:
    offset = moment.utcoffset()
    if offset is None:
        return "UTC"
    hours = offset.total_seconds() / 3600
    return _zone(int(hours)) if hours.is_integer() else f"UTC{hours:+g}"


def _clock(moment: dt.datetime) -> str:
    return f"{moment.hour:02d}.{moment.minute:02d}"


def _short_date(day: dt.date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def _as_datetime(value: object) -> dt.datetime:
    """A DateTimeField value from `.tuples()` (a datetime; SQLite may hand back its text)."""
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _working_days_between(due: dt.date, today: dt.date, holidays: HolidayCalendar) -> int:
    """Working days after `due` up to and including `today`."""
    days = 0
    current = due
    while current < today:
        current += dt.timedelta(days=1)
        if holidays.is_working_day(current):
            days += 1
    return days
