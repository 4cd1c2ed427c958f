"""Form print-outs for wet signatures: an official form with its answers, close to the Permendagri 109/2019 layouts.

Every section is a bordered table of numbered label/value rows; coded answers print in code boxes
with their label, NIK/KK and dates in character boxes, so a blank print-out can be filled in by hand.
A repeating section (the F-1.01 member table) prints as column groups that fit the page width, in
sheets of `rows_per_sheet` rows. Signatures, place and date close the form. Answers are never
trusted: wrong types, unknown codes and over-long texts print as text and never raise.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER, TA_LEFT  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.forms.codelists import CodeList
from app.forms.engine import evaluate
from app.forms.expr import as_date
from app.forms.schema import FieldSpec, FormSchema, SectionSpec
from app.indonesian import DAYS
from app.printing.flowables import BoxedValue, CharBoxes, MeteraiBox, RowNumber, TickBox
from app.printing.fonts import FontSet, fonts
from app.printing.templates import FormLayout, PrintTemplate, Signature, get_template
from app.printing.text import clean, form_date, long_date, markup
from app.regions.model import Region

Row = Mapping[str, object]
_GRID = colors.black
_SHADE = colors.Color(0.88, 0.88, 0.88)
_MARGIN = 12 * mm
_TOP = 18 * mm
_REGION_DIGITS = {"provinsi": 2, "kabupaten": 4, "kecamatan": 6, "desa": 10}
_LEGEND_MAX = 8  # choice lists up to this many codes print every option beside the box
_GRID_MAX = 20  # longer lists (up to this) print as tick boxes, like the paper's checkbox lists
_PENDING_NIK = "belum-punya-nik"
_DOTS = "." * 24


class RegionLookup(Protocol):
    """What printing needs of the region index: the chain provinsi -> ... -> region of a code."""

    def path(self, code: object) -> list[Region]:
        """Regions from the provinsi down to the code's own region (empty when unknown)."""
        ...


def render_form(
    schema: FormSchema,
    answers: Mapping[str, object] | object,
    template: str | PrintTemplate = "pmdn109",
    *,
    full: bool | None = None,
    place: str = "",
    signed_on: dt.date | None = None,
    regions: RegionLookup | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The form as a PDF; `full` prints every section (None: as the template says), else only relevant ones."""
    chosen = template if isinstance(template, PrintTemplate) else get_template(template)
    layout = chosen.layout(schema.form)
    data = {str(k): v for k, v in answers.items()} if isinstance(answers, Mapping) else {}
    printer = _FormPrinter(
        schema,
        data,
        chosen,
        layout,
        full=layout.full if full is None else full,
        place=place,
        signed_on=signed_on,
        regions=regions,
        today=today or dt.date.today(),
    )
    return printer.render()


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    kop: ParagraphStyle
    section: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    note: ParagraphStyle
    head: ParagraphStyle
    cell: ParagraphStyle
    tiny: ParagraphStyle
    text: ParagraphStyle
    sign: ParagraphStyle


def _styles(font: FontSet) -> _Styles:
    base = ParagraphStyle("base", fontName=font.regular, fontSize=8.5, leading=10.5, splitLongWords=1)
    return _Styles(
        title=ParagraphStyle("title", base, fontName=font.bold, fontSize=11.5, leading=14, alignment=TA_CENTER),
        kop=ParagraphStyle("kop", base, fontName=font.bold, fontSize=10, leading=12, alignment=TA_CENTER),
        section=ParagraphStyle("section", base, fontName=font.bold, fontSize=8.5),
        label=ParagraphStyle("label", base, fontName=font.condensed, fontSize=8, leading=9.5),
        value=ParagraphStyle("value", base, fontName=font.condensed, fontSize=8.5, leading=10),
        note=ParagraphStyle("note", base, fontName=font.condensed, fontSize=6.5, leading=7.5, textColor=colors.grey),
        head=ParagraphStyle("head", base, fontName=font.condensed_bold, fontSize=6.3, leading=7.2, alignment=TA_CENTER),
        cell=ParagraphStyle("cell", base, fontName=font.condensed, fontSize=7, leading=8),
        tiny=ParagraphStyle("tiny", base, fontName=font.condensed, fontSize=6, leading=6.8),
        text=ParagraphStyle("text", base, fontSize=8.5, leading=11, alignment=TA_LEFT),
        sign=ParagraphStyle("sign", base, fontSize=8.5, leading=10.5, alignment=TA_CENTER),
    )


class _FormPrinter:
    """Builds the story of one form print-out."""

    def __init__(
        self,
        schema: FormSchema,
        answers: dict[str, object],
        template: PrintTemplate,
        layout: FormLayout,
        *,
        full: bool,
        place: str,
        signed_on: dt.date | None,
        regions: RegionLookup | None,
        today: dt.date,
    ) -> None:
        self.schema = schema
        self.answers = answers
        self.template = template
        self.layout = layout
        self.full = full
        self.place = clean(place, 80)
        self.signed_on = signed_on
        self._regions = regions
        self.font = fonts()
        self.styles = _styles(self.font)
        self.page = template.page_size(layout.orientation)
        self.width = self.page[0] - 2 * _MARGIN
        self.landscape = layout.orientation == "landscape"
        # Answer paths the engine shows for these answers: a hidden field's answer (one left from before
        # a switch hid it, e.g. the origin desa of an arrival from abroad) prints blank, also in full mode.
        self.shown: set[str] = evaluate(schema, answers, today).visible
        self.visible: set[str] | None = None if full else self.shown
        self.section_levels: set[str | None] = set()  # region levels of the section being printed

    # -- answers ---------------------------------------------------------------------------------
    def section_answers(self, section: SectionSpec) -> Row:
        value = self.answers.get(section.id)
        return value if isinstance(value, Mapping) else {}

    def section_rows(self, section: SectionSpec) -> list[Row]:
        value = self.answers.get(section.id)
        if not isinstance(value, list):
            return []
        return [row if isinstance(row, Mapping) else {} for row in value]

    def answer_at(self, path: str) -> object:
        """The answer at `section.field`, or None when that field is hidden for these answers."""
        if path not in self.shown:
            return None
        section_id, _, field_id = path.partition(".")
        section = self.answers.get(section_id)
        return section.get(field_id) if isinstance(section, Mapping) else None

    def region_path(self, value: object) -> list[Region]:
        if not isinstance(value, str) or not value.strip():
            return []
        if self._regions is None:
            from app.regions import default_index  # noqa: PLC0415 - loaded only when a region code is printed

            self._regions = default_index()
        return self._regions.path(value.strip())

    # -- relevance -------------------------------------------------------------------------------
    def section_relevant(self, section: SectionSpec) -> bool:
        if self.visible is None:
            return True
        return any(path.startswith((f"{section.id}.", f"{section.id}[")) for path in self.visible)

    def field_relevant(self, section: SectionSpec, spec: FieldSpec) -> bool:
        if spec.app_only:
            return False
        if self.visible is None:
            return True
        if section.repeating:
            return any(p.startswith(f"{section.id}[") and p.endswith(f"].{spec.id}") for p in self.visible)
        return f"{section.id}.{spec.id}" in self.visible

    # -- the document ----------------------------------------------------------------------------
    def render(self) -> bytes:
        buffer = io.BytesIO()
        doc = BaseDocTemplate(
            buffer,
            pagesize=self.page,
            leftMargin=_MARGIN,
            rightMargin=_MARGIN,
            topMargin=_TOP,
            bottomMargin=_MARGIN,
            title=f"{self.schema.form} {self.schema.title}",
            author="Loket",
            creator="Loket",
            invariant=1,
        )
        frame = Frame(
            _MARGIN,
            _MARGIN,
            self.width,
            self.page[1] - _TOP - _MARGIN,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        doc.addPageTemplates([PageTemplate(id="form", frames=[frame], onPage=self.decorate)])
        doc.build(self.story())
        return buffer.getvalue()

    def decorate(self, c: Any, doc: Any) -> None:
        """Form number boxed at the top right, regulation and page number at the bottom."""
        width, height = self.page
        label = self.schema.form
        c.saveState()
        c.setFont(self.font.bold, 11)
        text_width = c.stringWidth(label, self.font.bold, 11)
        box_width = text_width + 12
        c.setLineWidth(1)
        c.rect(width - _MARGIN - box_width, height - 13 * mm, box_width, 16, stroke=1, fill=0)
        c.drawString(width - _MARGIN - box_width + 6, height - 13 * mm + 4.5, label)
        c.setFont(self.font.regular, 6.5)
        c.setFillColor(colors.grey)
        footer = f"{self.schema.form} {self.schema.title}"
        if self.schema.regulation:
            footer += f" ({self.schema.regulation})"
        c.drawString(_MARGIN, _MARGIN - 9, footer)
        page = c.getPageNumber()
        c.drawRightString(width - _MARGIN, _MARGIN - 9, f"Halaman {page}")
        c.restoreState()

    def story(self) -> list[Flowable]:
        styles = self.styles
        story: list[Flowable] = []
        for line in self.template.kop:
            story.append(Paragraph(markup(line), styles.kop))
        if self.template.kop:
            story.append(Spacer(1, 4))
        title = self.layout.title or self.schema.title.upper()
        story += [Paragraph(markup(title), styles.title), Spacer(1, 6)]
        consumed: set[str] = set()
        if self.layout.region_header:
            story += self.region_header(self.layout.region_header)
            section_id = self.layout.region_header.partition(".")[0]
            section = self.schema.section(section_id)
            if section is not None and len(section.fields) == 1:
                consumed.add(section_id)
        if self.layout.intro:
            story += [Paragraph(markup(self.layout.intro, 2000), styles.text), Spacer(1, 4)]
        for section in self.schema.sections:
            if section.id in consumed or not self.section_relevant(section):
                continue
            if section.repeating:
                story += self.repeating_section(section)
            else:
                table = self.section_table(section)
                if table is not None:
                    story += [table, Spacer(1, 5)]
        story.append(self.closing())
        return story

    # -- header ----------------------------------------------------------------------------------
    def region_header(self, path: str) -> list[Flowable]:
        value = self.answer_at(path)
        chain: dict[str, Region] = {str(r.level): r for r in self.region_path(value)}
        digits = "".join(ch for ch in clean(value, 20) if ch.isdigit())[:10]
        rows: list[list[object]] = []
        labels = (
            ("Pemerintah Desa/Kelurahan", "desa"),
            ("Kecamatan", "kecamatan"),
            ("Kabupaten/Kota", "kabupaten"),
        )
        for label, level in labels:
            region = chain.get(level)
            rows.append(
                [self.p(label, self.styles.value), ":", self.p(region.name if region else "", self.styles.value)]
            )
        rows.append([self.p("Kode Wilayah", self.styles.value), ":", CharBoxes(digits, 10, self.font.regular)])
        table = Table(rows, colWidths=[40 * mm, 8, None], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("FONT", (0, 0), (-1, -1), self.font.regular, 8.5),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return [table, Spacer(1, 6)]

    # -- plain sections --------------------------------------------------------------------------
    def section_table(self, section: SectionSpec) -> Table | None:
        container = self.section_answers(section)
        fields = [spec for spec in section.fields if self.field_relevant(section, spec)]
        if not fields:
            return None
        self.section_levels = {spec.region_level for spec in section.fields if spec.type == "region"}
        numbered = any(spec.col is not None for spec in fields)
        pairs = 2 if self.landscape and len(fields) > 4 else 1
        per_column = -(-len(fields) // pairs)
        column_width = self.width / pairs
        number_width = 22.0 if numbered else 0.0
        label_width = (column_width - number_width) * (0.36 if pairs == 1 else 0.40)
        value_width = column_width - number_width - label_width
        rows: list[list[object]] = []
        title = Paragraph(markup(section.title.upper()), self.styles.section)
        rows.append([title] + [""] * (pairs * (3 if numbered else 2) - 1))
        columns = [fields[i * per_column : (i + 1) * per_column] for i in range(pairs)]
        for index in range(per_column):
            row: list[object] = []
            for column in columns:
                if index < len(column):
                    spec = column[index]
                    previous = column[index - 1].col if index > 0 else None
                    value = container.get(spec.id) if f"{section.id}.{spec.id}" in self.shown else None
                    cells = self.field_cells(spec, value, value_width, previous)
                    row += cells if numbered else cells[1:]
                else:
                    row += [""] * (3 if numbered else 2)
            rows.append(row)
        widths = ([number_width] if numbered else []) + [label_width, value_width]
        table = Table(rows, colWidths=widths * pairs, repeatRows=1)
        style: list[tuple[object, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), _SHADE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONT", (0, 0), (-1, -1), self.font.condensed, 8),
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        if pairs == 2 and numbered:
            style.append(("ALIGN", (3, 1), (3, -1), "CENTER"))
        table.setStyle(TableStyle(style))
        return table

    def field_cells(self, spec: FieldSpec, value: object, width: float, previous: object) -> list[object]:
        number = "" if spec.col is None or spec.col == previous else clean(spec.col, 8)
        label: list[Flowable] = [self.p(spec.label, self.styles.label)]
        if spec.staff_only:
            label.append(self.p("diisi petugas Dukcapil", self.styles.note))
        return [number, label, self.value_cell(spec, value, width - 6)]

    def value_cell(self, spec: FieldSpec, value: object, width: float) -> object:
        kind = spec.type
        empty = _empty(value)
        font = self.font.regular
        if kind in ("nik", "kk"):
            if value == _PENDING_NIK:
                return self.p("Belum punya NIK", self.styles.value)
            digits = clean(value, 40)
            if empty or (digits.isdigit() and len(digits) <= 16):
                return CharBoxes(digits, 16, font, box=min(10.0, width / 16))
            return self.p(digits, self.styles.value)
        if kind == "date":
            day = as_date(value)
            if empty or day is not None:
                text = f"{day.day:02d}{day.month:02d}{day.year:04d}" if day else ""
                boxes = CharBoxes(text, 8, font, groups=(2, 2, 4))
                note = "tgl / bln / thn"
                if day is not None and spec.label.lower().startswith("hari"):
                    note = f"hari {DAYS[day.weekday()]}"
                    return BoxedValue(boxes, self.p(note, self.styles.label))
                return BoxedValue(boxes, self.p(note, self.styles.note))
            return self.p(value, self.styles.value)
        if kind == "postal_code":
            text = clean(value, 12)
            if empty or (text.isdigit() and len(text) <= 5):
                return CharBoxes(text, 5, font)
            return self.p(text, self.styles.value)
        if kind == "region":
            return self.region_value(spec, value)
        if kind == "choice" and spec.codes is not None:
            return self.choice_value(spec.codes, value, width)
        if kind == "multichoice" and spec.codes is not None:
            selected = value if isinstance(value, list) else []
            extra = "" if isinstance(value, list) or empty else clean(value)
            return self.tick_grid(spec.codes, selected, width, extra)
        if kind == "boolean":
            return self.yes_no(value)
        text = clean(value)
        if not text:
            return Spacer(1, 13)  # room to write by hand
        if kind == "number" and spec.unit:
            text = f"{text} {spec.unit}"
        return self.p(text, self.styles.value)

    def region_value(self, spec: FieldSpec, value: object) -> Flowable:
        digits = "".join(ch for ch in clean(value, 20) if ch.isdigit())
        count = _REGION_DIGITS.get(spec.region_level or "desa", 10)
        chain = self.region_path(value)
        # F-1.01 has one field per level: each prints its own name, not those of the levels above again.
        shown_elsewhere = self.section_levels - {spec.region_level}
        names = ", ".join(_region_name(r) for r in reversed(chain) if r.level not in shown_elsewhere)
        if not _empty(value) and not chain and len(digits) != count:
            return self.p(value, self.styles.value)
        return BoxedValue(CharBoxes(digits[:count], count, self.font.regular), self.p(names, self.styles.label))

    def choice_value(self, codes: CodeList, value: object, width: float) -> Flowable:
        known = codes.has(value)
        if _GRID_MAX >= len(codes.codes) > _LEGEND_MAX:
            extra = "" if known or _empty(value) else clean(value)
            return self.tick_grid(codes, [value] if known else [], width, extra)
        if not _empty(value) and not known:
            return self.p(value, self.styles.value)
        digits = max(len(str(c.code)) for c in codes.codes)
        code_text = str(value) if known else ""
        if len(codes.codes) <= _LEGEND_MAX:
            parts = []
            for entry in codes.codes:
                item = f"{markup(entry.code)}. {markup(entry.label)}"
                parts.append(f"<b><u>{item}</u></b>" if known and entry.code == value else item)
            text = Paragraph("&nbsp;&nbsp; ".join(parts), self.styles.label)
        else:
            text = self.p(codes.label(value) or "", self.styles.value)
        return BoxedValue(CharBoxes(code_text, digits, self.font.regular), text)

    def tick_grid(self, codes: CodeList, selected: Sequence[object], width: float, extra: str = "") -> Flowable:
        def checked(code: object) -> bool:
            return any(code == s and type(code) is type(s) for s in selected)

        per_row = 3 if width > 420 else 2 if width > 200 else 1
        cell_width = width / per_row
        items = [
            [TickBox(checked(entry.code)), self.p(f"{entry.code}. {entry.label}", self.styles.label)]
            for entry in codes.codes
        ]
        rows: list[list[object]] = []
        for start in range(0, len(items), per_row):
            row: list[object] = []
            for item in items[start : start + per_row]:
                row += item
            row += [""] * (2 * per_row - len(row))
            rows.append(row)
        if extra:
            rows.append([self.p(extra, self.styles.value)] + [""] * (2 * per_row - 1))
        table = Table(rows, colWidths=[11, cell_width - 11] * per_row, hAlign="LEFT")
        style: list[tuple[object, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]
        if extra:
            style.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
        table.setStyle(TableStyle(style))
        return table

    def yes_no(self, value: object) -> Flowable:
        rows = [
            [
                TickBox(value is True),
                self.p("Ya", self.styles.label),
                TickBox(value is False),
                self.p("Tidak", self.styles.label),
            ]
        ]
        table = Table(rows, colWidths=[11, 30, 11, 40], hAlign="LEFT")
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        return table

    # -- repeating sections ----------------------------------------------------------------------
    def repeating_section(self, section: SectionSpec) -> list[Flowable]:
        fields = [spec for spec in section.fields if self.field_relevant(section, spec)]
        if not fields:
            return []
        rows = self.section_rows(section)
        minimum = self.layout.blank_rows or (3 if not rows else 0)
        sheet = section.id == self.layout.sheet_section
        per_sheet = self.template.rows_per_sheet if sheet else max(len(rows), minimum, 1)
        chunks = [rows[i : i + per_sheet] for i in range(0, len(rows), per_sheet)] or [[]]
        story: list[Flowable] = []
        for number, chunk in enumerate(chunks):
            first = number * per_sheet
            padded = list(chunk) + [{}] * max(min(minimum, per_sheet) - len(chunk), 0)
            sheet_note = f"lembar {number + 1} dari {len(chunks)}, baris {first + 1}-{first + len(chunk)}"
            if number > 0:
                story.append(PageBreak())
            for index, group in enumerate(self.column_groups(fields)):
                notes = (["lanjutan"] if index else []) + ([sheet_note] if len(chunks) > 1 else [])
                heading = section.title.upper() + (f" ({'; '.join(notes)})" if notes else "")
                table = self.row_table(section, heading, group, padded, first)
                story += [KeepTogether([table]), Spacer(1, 5)]
        return story

    def column_groups(self, fields: list[FieldSpec]) -> list[list[tuple[FieldSpec, float]]]:
        """Split the columns into tables that fit the page width, of about equal width, each scaled to fill it."""
        room = self.width - _NUMBER_COLUMN
        widths = [(spec, max(_column_width(spec), self.header_width(spec))) for spec in fields]
        total = sum(width for _, width in widths)
        limit = min(room, total / math.ceil(total / room) * 1.1)
        groups: list[list[tuple[FieldSpec, float]]] = [[]]
        used = 0.0
        for spec, width in widths:
            if groups[-1] and used + width > limit:
                groups.append([])
                used = 0.0
            groups[-1].append((spec, width))
            used += width
        scaled = []
        for group in groups:
            factor = room / sum(width for _, width in group)
            scaled.append([(spec, width * factor) for spec, width in group])
        return scaled

    def header_width(self, spec: FieldSpec) -> float:
        """The width the column heading needs so that no word of the label is cut."""
        style = self.styles.head
        longest = max((stringWidth(word, style.fontName, style.fontSize) for word in spec.label.split()), default=0)
        return float(longest) + 6

    def row_table(
        self, section: SectionSpec, title: str, group: list[tuple[FieldSpec, float]], rows: list[Row], first: int
    ) -> Table:
        styles = self.styles
        head: list[object] = [Paragraph("No.", styles.head)]
        numbers: list[object] = [Paragraph("1", styles.head)]
        for spec, _ in group:
            head.append(Paragraph(markup(spec.label), styles.head))
            numbers.append(Paragraph(markup(spec.col if spec.col is not None else ""), styles.head))
        data: list[list[object]] = [[Paragraph(markup(title), styles.section)] + [""] * len(group), head]
        numbered = any(spec.col is not None for spec, _ in group)
        if numbered:  # the paper's row of column numbers under the headings
            data.append(numbers)
        for offset, row in enumerate(rows):
            line: list[object] = [RowNumber(first + offset + 1, self.font.condensed_bold)]
            for spec, width in group:
                shown = f"{section.id}[{first + offset}].{spec.id}" in self.shown
                line.append(self.cell_value(spec, row.get(spec.id) if shown else None, width - 4))
            data.append(line)
        table = Table(data, colWidths=[_NUMBER_COLUMN] + [w for _, w in group], repeatRows=3 if numbered else 2)
        style: list[tuple[object, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), _SHADE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        if numbered:
            style.append(("BACKGROUND", (0, 2), (-1, 2), _SHADE))
        table.setStyle(TableStyle(style))
        return table

    def cell_value(self, spec: FieldSpec, value: object, width: float) -> object:
        if _empty(value):
            return ""
        styles = self.styles
        if spec.type == "choice" and spec.codes is not None:
            label = spec.codes.label(value)
            if label is None:
                return Paragraph(markup(value, 80), styles.cell)
            digits = max(len(str(c.code)) for c in spec.codes.codes)
            boxes = CharBoxes(str(value), digits, self.font.condensed, size=7, box=8)
            return BoxedValue(boxes, Paragraph(markup(label), styles.tiny), gap=2)
        if spec.type == "multichoice" and spec.codes is not None and isinstance(value, list):
            labels = [f"{clean(v, 10)} {spec.codes.label(v) or ''}".strip() for v in value]
            return Paragraph(markup("; ".join(labels), 200), styles.tiny)
        if spec.type == "date":
            return Paragraph(markup(form_date(value), 40), styles.cell)
        if spec.type == "nik" and value == _PENDING_NIK:
            return Paragraph("Belum punya NIK", styles.tiny)
        if spec.type == "region":
            chain = self.region_path(value)
            names = ", ".join(_region_name(r) for r in reversed(chain))
            return Paragraph(markup(f"{clean(value, 20)} {names}".strip(), 200), styles.tiny)
        text = clean(value, 160)
        if spec.type == "number" and spec.unit:
            text = f"{text} {spec.unit}"
        return Paragraph(markup(text), styles.cell)

    # -- closing -----------------------------------------------------------------------------------
    def closing(self) -> Flowable:
        parts: list[Flowable] = [Spacer(1, 4)]
        if self.layout.statement:
            parts += [Paragraph(markup(self.layout.statement, 2000), self.styles.text), Spacer(1, 8)]
        if self.layout.signatures:
            parts.append(self.signature_table(self.layout.signatures))
        return KeepTogether(parts)

    def signing_date(self) -> str:
        day = self.signed_on or (as_date(self.answer_at(self.layout.date_from)) if self.layout.date_from else None)
        return long_date(day) if day else _DOTS

    def signature_table(self, signatures: Sequence[Signature]) -> Table:
        styles = self.styles
        kabupaten = self.template.kabupaten_name or "Kabupaten/Kota ...................."
        place_date = f"{self.place or _DOTS[:16]}, {self.signing_date()}"
        room = self.width / max(len(signatures), 2) - 30
        dots = "." * min(40, int(room / stringWidth(".", styles.sign.fontName, styles.sign.fontSize)))
        columns: list[list[object]] = []
        for signature in signatures:
            name = clean(self.answer_at(signature.name_from), 60) if signature.name_from else ""
            name_line = f"( <b>{markup(name.upper())}</b> )" if name else f"( {dots} )"
            space: object = MeteraiBox(self.font.regular) if signature.meterai else ""
            columns.append(
                [
                    Paragraph(markup(place_date) if signature.dated else "", styles.sign),
                    Paragraph(markup(signature.heading), styles.sign),
                    Paragraph(markup(signature.role.replace("{kabupaten}", kabupaten)), styles.sign),
                    space,
                    Paragraph(name_line, styles.sign),
                    Paragraph("NIP. " + "." * 30 if signature.nip else "", styles.sign),
                ]
            )
        if len(columns) == 1:  # a single signer signs on the right, as on the paper forms
            columns.insert(0, [""] * len(columns[0]))
        width = self.width / len(columns)
        rows = [list(cells) for cells in zip(*columns, strict=True)]
        heights: list[float | None] = [None, None, None, 50, None, None]
        # Drop the heading and NIP lines when no signature has one; the signing space stays.
        for index in (5, 1):
            if all(isinstance(cell, str) or not cell.text for cell in rows[index]):
                del rows[index], heights[index]
        table = Table(rows, colWidths=[width] * len(columns), rowHeights=heights)
        space_row = heights.index(50)
        table.setStyle(
            TableStyle(
                [
                    ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("VALIGN", (0, space_row), (-1, space_row), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        return table

    # -- helpers -----------------------------------------------------------------------------------
    def p(self, value: object, style: ParagraphStyle) -> Paragraph:
        return Paragraph(markup(value), style)


_NUMBER_COLUMN = 16.0


def _empty(value: object) -> bool:
    """No answer: nothing, blank text, or an empty list."""
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, list) and not value)


def _region_name(region: Region) -> str:
    if region.level == "kecamatan":
        return f"Kec. {region.name}"
    if region.level == "provinsi":
        return f"Prov. {region.name}"
    return region.name


def _column_width(spec: FieldSpec) -> float:
    """A column's natural width in points, from its type (scaled later to fill the page)."""
    widths: dict[str, float | Callable[[FieldSpec], float]] = {
        "nik": 70,
        "kk": 70,
        "date": 44,
        "time": 30,
        "number": 30,
        "boolean": 30,
        "postal_code": 32,
        "phone": 56,
        "email": 70,
        "region": 80,
        "name": 82,
        "multichoice": 80,
        "choice": _choice_width,
        "text": _text_width,
    }
    width = widths.get(spec.type, 60)
    return float(width(spec) if callable(width) else width)


def _choice_width(spec: FieldSpec) -> float:
    if spec.codes is None:
        return 50
    longest = max(len(code.label) for code in spec.codes.codes)
    return max(42.0, min(72.0, 18 + longest * 2.6))


def _text_width(spec: FieldSpec) -> float:
    limit = spec.max_length or 60
    return 44 if limit <= 20 else 60 if limit <= 45 else 76
