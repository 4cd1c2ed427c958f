"""The officer's decisions on a card reading, without Qt: every proposed value accepted, edited, dropped
or still to be checked, and every member row kept or dropped.

A reading (`app.cardread.model.CardReading`) proposes text and a value in the form's terms; here each
value becomes the answer its F-1.01 field holds (a code of its code list, an ISO date, a dotted region
code, NIK digits). A value the reader doubts (`ReadValue.doubtful`: no mapped value, a problem, low
confidence) or that does not fit its field starts as "periksa" and goes into no form until the officer
accepts or corrects it; a confident one starts accepted. Two header values are worked out rather than
read (the number of members, WNI from the members' citizenship) and shown as such.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from app.cardread.model import LOW_CONFIDENCE, CardKind, CardReading, ReadValue
from app.forms import FormSchema, SectionSpec
from app.forms.codelists import CodeList
from app.forms.expr import region_at
from app.forms.schema import FieldSpec
from app.identity import check_kk, check_nik, normalize_identifier
from app.regions import default_index
from app.regions.index import default_loaded

Status = Literal["accepted", "check", "dropped"]
ACCEPTED: Status = "accepted"
CHECK: Status = "check"
DROPPED: Status = "dropped"

KK_NUMBER = "nomor_kk"  # the card's number: not an F-1.01 field (F-1.02 and the applicant page hold it)
MEMBERS = "jumlah_anggota"  # worked out: the kept member rows
DATA_KIND = "jenis_data"  # worked out: WNI when every kept member is
# The card's own order: the header from the top left, the members' columns from table I to table II.
HEADER_ORDER = (
    KK_NUMBER,
    "nama_kepala_keluarga",
    "alamat",
    "rt",
    "rw",
    "kode_pos",
    "kode_desa",
    "kode_kecamatan",
    "kode_kabupaten",
    "kode_provinsi",
)
MEMBER_ORDER = (
    "nama_lengkap",
    "nik",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "agama",
    "pendidikan",
    "pekerjaan",
    "golongan_darah",
    "status_kawin",
    "tanggal_kawin",
    "shdk",
    "kewarganegaraan",
    "nomor_paspor",
    "nomor_itas",
    "nama_ayah",
    "nama_ibu",
)
KK_LABEL = "Nomor KK"
DERIVED_LABELS = {DATA_KIND: "Jenis data (WNI / Orang Asing)"}


@dataclass
class FieldDecision:
    """One value of the reading and what the officer decided about it."""

    field: str
    label: str
    spec: FieldSpec | None  # the F-1.01 field (None: the KK number)
    read: ReadValue | None  # None: worked out, not read
    value: object  # the answer as the form holds it; None when there is none
    status: Status
    problems: tuple[str, ...] = ()  # why it is to be checked, in Bahasa Indonesia
    edited: bool = False
    derived: str = ""  # how a worked-out value was found

    @property
    def applies(self) -> bool:
        """Whether the value goes into the forms."""
        return self.status == ACCEPTED and self.value is not None

    def accept(self) -> None:
        """The officer accepts the value as shown (a value that is missing or does not fit stays to check)."""
        if self.value is not None and not (self.edited and self.problems):
            self.status = ACCEPTED

    def drop(self) -> None:
        """The officer leaves this value out of the forms."""
        self.status = DROPPED

    def edit(self, text: str) -> None:
        """The officer typed a value: it is theirs (accepted) when it fits the field, else to check."""
        self.edited = True
        self.value, self.problems = parse_edit(self.spec, self.field, self.label, text)
        self.status = ACCEPTED if self.value is not None and not self.problems else CHECK

    def choose(self, value: object) -> None:
        """The officer picked a code from the list (None: the empty choice)."""
        self.edited = True
        self.value = value
        self.problems = () if value is not None else (f"{self.label}: pilih dari daftar.",)
        self.status = ACCEPTED if value is not None else CHECK


@dataclass
class RowDecision:
    """One member row: its values, the reader's problems about the whole row, and whether it is kept."""

    fields: list[FieldDecision]
    problems: tuple[str, ...] = ()
    dropped: bool = False

    def get(self, field_id: str) -> FieldDecision | None:
        """The decision on one field, if the row has it."""
        return next((f for f in self.fields if f.field == field_id), None)

    def title(self, number: int) -> str:
        """ "3. SITI AMINAH" (what the reader proposed for the name, as edited)."""
        name = self.get("nama_lengkap")
        shown = (
            str(name.value)
            if name is not None and name.value is not None
            else (name.read.text if name and name.read else "")
        )
        return f"{number}. {shown or '(nama tidak terbaca)'}"

    def answers(self) -> dict[str, object]:
        """The accepted values by field id."""
        return {f.field: f.value for f in self.fields if f.applies}

    def to_check(self) -> int:
        """How many values are still to be looked at (none when the row is dropped)."""
        return 0 if self.dropped else sum(1 for f in self.fields if f.status == CHECK)


@dataclass
class Review:
    """Everything the officer decides about one reading."""

    kind: CardKind
    header: list[FieldDecision]
    rows: list[RowDecision]
    problems: tuple[str, ...]  # the page's, saying what to do
    usable: bool
    members_max: int | None = None  # the most rows F-1.01 takes

    def kept_rows(self) -> list[RowDecision]:
        """The member rows not dropped."""
        return [row for row in self.rows if not row.dropped]

    def header_answers(self) -> dict[str, object]:
        """The accepted header values by field id; the worked-out ones as they stand now."""
        self.refresh_derived()
        return {f.field: f.value for f in self.header if f.applies}

    def row_answers(self) -> list[dict[str, object]]:
        """The accepted values of each kept row that has any."""
        return [answers for row in self.kept_rows() if (answers := row.answers())]

    def to_check(self) -> int:
        """Values still to be looked at, in the header and the kept rows."""
        return sum(1 for f in self.header if f.status == CHECK) + sum(row.to_check() for row in self.rows)

    def counts(self) -> tuple[int, int, int]:
        """(accepted, to check, dropped) over the header and the kept rows' values."""
        values = list(self.header) + [f for row in self.kept_rows() for f in row.fields]
        accepted = sum(1 for f in values if f.applies)
        dropped = sum(1 for f in values if f.status == DROPPED)
        return accepted, self.to_check(), dropped

    def can_apply(self) -> bool:
        """Whether there is anything to put into the forms (never for an unusable reading)."""
        return self.usable and (bool(self.header_answers()) or bool(self.row_answers()))

    def refresh_derived(self) -> None:
        """Work the derived header values out again from the rows as they are now."""
        for decision in self.header:
            if decision.read is not None or decision.edited or decision.status == DROPPED:
                continue
            if decision.field == MEMBERS:
                count = len(self.row_answers())
                decision.value = count or None
                decision.status = ACCEPTED if count else CHECK
            elif decision.field == DATA_KIND:
                decision.value = _data_kind(self.kept_rows())
                decision.status = ACCEPTED if decision.value is not None else CHECK
                decision.problems = () if decision.value is not None else (_KIND_UNKNOWN,)


_KIND_UNKNOWN = "Kewarganegaraan anggota tidak semuanya terbaca atau berbeda-beda: pilih jenis data sendiri."


def _data_kind(rows: Sequence[RowDecision]) -> int | None:
    """WNI (1) when every kept member is accepted as WNI, Orang Asing (2) when every one is WNA."""
    citizenship = [row.get("kewarganegaraan") for row in rows]
    values = {c.value if c is not None and c.applies else None for c in citizenship}
    if values == {1}:
        return 1
    if values == {2}:
        return 2
    return None


def review_of(reading: CardReading, f101: FormSchema) -> Review:
    """The decisions to start from: confident values that fit their field accepted, the rest to check."""
    header_section, members = f101.section("header"), f101.section("anggota")
    assert header_section is not None and members is not None
    header = [_decision(field_id, value, header_section) for field_id, value in _ordered(reading.header, HEADER_ORDER)]
    rows = [
        RowDecision(
            [_decision(field_id, value, members) for field_id, value in _ordered(row.values, MEMBER_ORDER)],
            tuple(row.problems),
        )
        for row in reading.rows
    ]
    review = Review(
        reading.kind,
        header,
        rows,
        tuple(reading.problems),
        reading.usable,
        members.repeat_max,
    )
    if reading.kind == "kk" and reading.rows:
        for field_id, how in (
            (DATA_KIND, "dari kewarganegaraan anggota"),
            (MEMBERS, "dari baris anggota yang diterima"),
        ):
            spec = header_section.field(field_id)
            if spec is not None and field_id not in reading.header:
                label = DERIVED_LABELS.get(field_id, spec.label)
                review.header.append(FieldDecision(field_id, label, spec, None, None, CHECK, derived=how))
        review.refresh_derived()
    return review


def _ordered(values: Mapping[str, ReadValue], order: Sequence[str]) -> list[tuple[str, ReadValue]]:
    rank = {field_id: index for index, field_id in enumerate(order)}
    return sorted(values.items(), key=lambda item: rank.get(item[0], len(order)))


def _decision(field_id: str, read: ReadValue, section: SectionSpec) -> FieldDecision:
    spec = section.field(field_id)
    label = spec.label if spec is not None else (KK_LABEL if field_id == KK_NUMBER else field_id)
    value = to_answer(spec, field_id, read.value)
    problems = list(read.problems)
    kind = spec.type if spec is not None else ("kk" if field_id == KK_NUMBER else "")
    if value is not None and kind in ("nik", "kk") and not read.problems:
        # The reader checks identifiers too; a NIK or KK that fails the checks is never proposed as accepted.
        errors = (check_nik(value) if kind == "nik" else check_kk(value)).errors
        problems += [f"{label}: {error.message}" for error in errors]
    problems += _region_problems(spec, label, value)
    if read.value is not None and value is None:
        problems.append(f"{label}: '{read.text}' tidak cocok dengan isian formulir; periksa dan ketik ulang.")
    elif read.value is None and not read.problems:  # the reader's own problems say what is wrong
        problems.append(f"{label}: '{read.text}' tidak dapat dikenali; ketik nilainya sesuai kartu.")
    elif read.confidence < LOW_CONFIDENCE and not problems:
        problems.append(f"{label}: kurang jelas terbaca (yakin {read.confidence:.0%}); cocokkan dengan potongan kartu.")
    doubtful = read.doubtful or value is None or bool(problems)
    return FieldDecision(field_id, label, spec, read, value, CHECK if doubtful else ACCEPTED, tuple(problems))


def _region_problems(spec: FieldSpec | None, label: str, value: object) -> list[str]:
    """A region code the region data does not hold (checked once the data is loaded, as after log-in)."""
    if spec is None or spec.type != "region" or value is None or not default_loaded():
        return []
    if default_index().get(value) is None:
        return [f"{label}: kode wilayah {value} tidak ada dalam data wilayah; pilih wilayah yang benar."]
    return []


def to_answer(spec: FieldSpec | None, field_id: str, value: str | None) -> object:
    """The reader's value (text) as the field's answer, or None when it does not fit the field."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    kind = spec.type if spec is not None else ("kk" if field_id == KK_NUMBER else "text")
    if kind in ("nik", "kk"):
        digits = normalize_identifier(value)
        return digits if digits.isdigit() and len(digits) == 16 else None
    if kind in ("choice",) and spec is not None and spec.codes is not None:
        return code_of(spec.codes, value)
    if kind == "number":
        return int(value) if value.isdigit() else None
    if kind == "region" and spec is not None and spec.region_level:
        return region_at(value, spec.region_level)
    if kind == "date":
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    if kind == "postal_code":
        return value if value.isdigit() and len(value) == 5 else None
    return value


def code_of(codes: CodeList, text: str) -> object:
    """The code whose number, label or alias the text is (case and spacing aside), or None."""
    wanted = " ".join(text.split()).casefold()
    for entry in codes.codes:
        names = (str(entry.code), entry.label, *entry.aliases)
        if any(" ".join(name.split()).casefold() == wanted for name in names):
            return entry.code
    return None


def shown(decision: FieldDecision) -> str:
    """The value as the officer reads and types it: DD-MM-YYYY dates, "1 — ISLAM" codes, text as it is."""
    value, spec = decision.value, decision.spec
    if value is None:
        return decision.read.text if decision.read is not None else ""
    if spec is not None and spec.type == "date" and isinstance(value, str) and len(value) == 10:
        return f"{value[8:10]}-{value[5:7]}-{value[0:4]}"
    if spec is not None and spec.codes is not None:
        label = spec.codes.label(value)
        return f"{value} — {label}" if label else str(value)
    if spec is not None and spec.type == "region":
        region = default_index().get(value) if default_loaded() else None
        return f"{value} — {region.name}" if region is not None else str(value)
    return str(value)


def parse_edit(spec: FieldSpec | None, field_id: str, label: str, text: str) -> tuple[object, tuple[str, ...]]:
    """What the officer typed, as the field's answer, with what is wrong with it."""
    text = text.strip()
    if not text:
        return None, (f"{label} kosong: ketik nilainya sesuai kartu, atau buang isian ini (Ctrl+Del).",)
    kind = spec.type if spec is not None else ("kk" if field_id == KK_NUMBER else "text")
    if kind == "date":
        parts = text.replace("/", "-").replace(".", "-").split("-")
        try:
            day, month, year = (int(part) for part in parts)
            return dt.date(year, month, day).isoformat(), ()
        except ValueError:
            return None, (f"{label}: tulis tanggal sebagai HH-BB-TTTT, misalnya 17-08-1980.",)
    if kind == "nik":
        digits = normalize_identifier(text)
        errors = check_nik(digits).errors
        return (digits, ()) if not errors else (None, tuple(f"{label}: {e.message}" for e in errors))
    if kind == "kk":
        digits = normalize_identifier(text)
        errors = check_kk(digits).errors
        return (digits, ()) if not errors else (None, tuple(f"{label}: {e.message}" for e in errors))
    if kind == "choice" and spec is not None and spec.codes is not None:
        code = code_of(spec.codes, text.split("—")[0])
        return (code, ()) if code is not None else (None, (f"{label}: pilih dari daftar ({spec.codes.describe()}).",))
    value = to_answer(spec, field_id, text.split("—")[0] if kind == "region" else text)
    if value is None:
        return None, (f"{label}: '{text}' tidak sesuai isian ini; periksa lagi.",)
    return value, tuple(_region_problems(spec, label, value))
