"""The one form engine: schema + answers -> visible fields, errors and warnings, each with a path.

Used by the desktop app as the officer types and by the Dinas server when it re-validates. It never
raises on malformed answers: wrong types, unknown fields and missing sections are findings too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.findings import Finding
from app.forms.expr import Reference, Scope, as_date
from app.forms.schema import FieldSpec, FormSchema, RuleSpec, SectionSpec
from app.identity import check_kk, check_name, check_nik, check_region_code
from app.regions import default_index
from app.regions.suggest import FIELD_DEPTHS, suggest

Row = Mapping[str, object]

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_STRIP = re.compile(r"[\s\-().]")
_MIN_YEAR = 1900


@dataclass
class Evaluation:
    """What the engine found: the fields to show and the findings, in form order."""

    form: str
    version: str
    visible: set[str] = field(default_factory=set)
    visible_sections: set[str] = field(default_factory=set)
    # Visible fields the officer must fill with these answers (required holds, not left to the Dinas).
    required: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """Findings that block submission."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """Findings that need the officer's acknowledgement."""
        return [f for f in self.findings if f.severity == "warning"]

    def at(self, path: str) -> list[Finding]:
        """Findings for one field path."""
        return [f for f in self.findings if f.path == path]

    def to_dict(self) -> dict[str, object]:
        """The CLI/wire form: form, version, visible fields and findings."""
        return {
            "form": self.form,
            "version": self.version,
            "visible": sorted(self.visible),
            "findings": [f.to_dict() for f in self.findings],
        }


def evaluate(schema: FormSchema, answers: object, today: dt.date | None = None) -> Evaluation:
    """Evaluate answers against a schema; malformed answers become findings, never exceptions."""
    return _Run(schema, today or dt.date.today()).run(answers)


def message_labels(schema: FormSchema) -> dict[tuple[str, str], str]:
    """How findings name each field: its label, or, where fields of the form share a label ("Nama" of the
    Subjek Akta Kesatu and of the child), the label and its section, so that no two messages look alike."""
    sections: dict[str, set[str]] = {}
    for section in schema.sections:
        for spec in section.fields:
            sections.setdefault(spec.label, set()).add(section.id)
    return {
        (section.id, spec.id): spec.label if len(sections[spec.label]) == 1 else f"{spec.label} pada {section.title}"
        for section in schema.sections
        for spec in section.fields
    }


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


class _Run:
    def __init__(self, schema: FormSchema, today: dt.date) -> None:
        self.schema = schema
        self.today = today
        self.result = Evaluation(schema.form, schema.version)
        self.answers: dict[str, object] = {}
        self.labels = message_labels(schema)

    # -- findings -----------------------------------------------------------------------------
    def add(self, path: str, code: str, message: str, severity: str = "error") -> None:
        self.result.findings.append(Finding(path, code, "error" if severity == "error" else "warning", message))

    # -- name resolution ------------------------------------------------------------------------
    def section_answers(self, section: SectionSpec) -> object:
        return self.answers.get(section.id)

    def rows_of(self, section: SectionSpec) -> list[Row]:
        value = self.section_answers(section)
        if not isinstance(value, list):
            return []
        return [row if isinstance(row, Mapping) else {} for row in value]

    def scope(self, section: SectionSpec | None, row: Row | None) -> Scope:
        def resolve(ref: Reference) -> object:
            if len(ref) == 1 and section is not None:
                if row is not None:
                    return row.get(ref[0])
                if section.repeating:
                    return self.rows_of(section)
                container = self.section_answers(section)
                return container.get(ref[0]) if isinstance(container, Mapping) else None
            if len(ref) == 1:
                target = self.schema.section(ref[0])
                return self.rows_of(target) if target is not None and target.repeating else None
            if len(ref) == 2:
                target = self.schema.section(ref[0])
                if target is None or target.repeating:
                    return None
                container = self.section_answers(target)
                return container.get(ref[1]) if isinstance(container, Mapping) else None
            return None

        def rows(ref: Reference) -> Sequence[Row] | None:
            target = self.schema.section(ref[-1]) if len(ref) == 1 else None
            return self.rows_of(target) if target is not None and target.repeating else None

        def row_scope(group: Reference, inner_row: Row) -> Scope:
            target = self.schema.section(group[-1])
            return self.scope(target, inner_row)

        return Scope(resolve, rows, row_scope, self.today)

    # -- the run --------------------------------------------------------------------------------
    def run(self, answers: object) -> Evaluation:
        if not isinstance(answers, Mapping):
            self.add(
                "",
                "malformed_answers",
                "Data isian formulir tidak terbaca (bukan kumpulan isian). "
                "Buka kembali formulir dan isi ulang; hubungi dukungan teknis bila berulang.",
            )
            answers = {}
        self.answers = {str(k): v for k, v in answers.items()}
        known = {s.id for s in self.schema.sections}
        for key in self.answers:
            if key not in known:
                self.add(
                    key,
                    "unknown_section",
                    f"Bagian '{key}' tidak dikenal pada formulir "
                    f"{self.schema.form} dan diabaikan. Periksa versi formulir.",
                    "warning",
                )
        for section in self.schema.sections:
            self.check_section(section)
        for rule in self.schema.rules:
            self.check_rule(rule, self.scope(None, None), rule.path, row=None)
        return self.result

    def check_section(self, section: SectionSpec) -> None:
        if section.visible is not None and section.visible.holds(self.scope(section, None)) is not True:
            return
        self.result.visible_sections.add(section.id)
        raw = self.section_answers(section)
        if section.repeating:
            self.check_rows(section, raw)
            return
        if raw is not None and not isinstance(raw, Mapping):
            self.add(
                section.id,
                "malformed_section",
                f"Isian bagian '{section.title}' tidak terbaca dan dianggap kosong. Isi ulang bagian ini.",
            )
            raw = None
            self.answers[section.id] = {}
        container: Row = raw if isinstance(raw, Mapping) else {}
        self.check_unknown_fields(section, container, section.id)
        for spec in section.fields:
            self.check_field(section, spec, container, f"{section.id}.{spec.id}", None, self.scope(section, None))

    def check_rows(self, section: SectionSpec, raw: object) -> None:
        if raw is not None and not isinstance(raw, list):
            self.add(
                section.id,
                "malformed_section",
                f"Isian tabel '{section.title}' tidak terbaca dan dianggap kosong. Isi ulang tabel ini.",
            )
            raw = []
            self.answers[section.id] = []
        rows = raw if isinstance(raw, list) else []
        minimum = section.repeat_min or 0
        if len(rows) < minimum:
            self.add(
                section.id,
                "too_few_rows",
                f"Tabel '{section.title}' harus berisi paling sedikit "
                f"{minimum} baris; baru ada {len(rows)}. Tambahkan baris yang kurang.",
            )
        if section.repeat_max is not None and len(rows) > section.repeat_max:
            self.add(
                section.id,
                "too_many_rows",
                f"Tabel '{section.title}' paling banyak {section.repeat_max} "
                f"baris; ada {len(rows)}. Gunakan lembar tambahan (formulir baru) untuk sisanya.",
            )
        for index, raw_row in enumerate(rows):
            base = f"{section.id}[{index}]"
            row: Row = raw_row if isinstance(raw_row, Mapping) else {}
            if not isinstance(raw_row, Mapping):
                self.add(
                    base,
                    "malformed_row",
                    f"Baris ke-{index + 1} tabel '{section.title}' tidak terbaca. Hapus baris ini lalu isi ulang.",
                )
            self.check_unknown_fields(section, row, base)
            scope = self.scope(section, row)
            for spec in section.fields:
                self.check_field(section, spec, row, f"{base}.{spec.id}", index, scope)
            for rule in section.rules:
                path = f"{base}.{rule.path}" if rule.path else base
                self.check_rule(rule, scope, path, row=index)

    def check_unknown_fields(self, section: SectionSpec, container: Row, base: str) -> None:
        for key in container:
            if section.field(str(key)) is None:
                self.add(
                    f"{base}.{key}",
                    "unknown_field",
                    f"Isian '{key}' tidak dikenal pada bagian '{section.title}' dan diabaikan.",
                    "warning",
                )

    def check_rule(self, rule: RuleSpec, scope: Scope, path: str, row: int | None) -> None:
        if rule.when is not None and rule.when.holds(scope) is not True:
            return
        if rule.check.holds(scope) is False:
            message = rule.message.replace("{row}", str(row + 1)) if row is not None else rule.message
            self.add(path, rule.id, message, rule.severity)

    # -- fields ---------------------------------------------------------------------------------
    def check_field(
        self, section: SectionSpec, spec: FieldSpec, container: Row, path: str, row: int | None, scope: Scope
    ) -> None:
        if spec.visible is not None and spec.visible.holds(scope) is not True:
            return
        self.result.visible.add(path)
        label = self.labels.get((section.id, spec.id), spec.label)
        if row is not None:
            label = f"{label} (baris ke-{row + 1})"
        required = spec.required if isinstance(spec.required, bool) else spec.required.holds(scope) is True
        if required and not spec.staff_only:
            self.result.required.add(path)
        value = container.get(spec.id)
        if _is_empty(value):
            if required and not spec.staff_only:
                self.add(path, "required", f"{label} wajib diisi. Isi sesuai dokumen pemohon.")
            return
        ValueChecker(self, spec, label, path, scope, section).check(value)


class ValueChecker:
    """Checks one non-empty answer against its field's type and bounds."""

    def __init__(self, run: _Run, spec: FieldSpec, label: str, path: str, scope: Scope, section: SectionSpec) -> None:
        self.run = run
        self.spec = spec
        self.label = label
        self.path = path
        self.scope = scope
        self.section = section

    def add(self, code: str, message: str, severity: str = "error") -> None:
        self.run.add(self.path, code, message, severity)

    def check(self, value: object) -> None:
        checker = getattr(self, "check_" + self.spec.type)
        checker(value)

    def _text(self, value: object) -> str | None:
        if isinstance(value, str):
            return value
        self.add("type", f"{self.label} harus berupa teks. Ketik ulang isian ini.")
        return None

    def check_text(self, value: object) -> None:
        text = self._text(value)
        if text is None:
            return
        spec = self.spec
        length = len(text.strip())
        if spec.max_length is not None and length > spec.max_length:
            self.add(
                "too_long",
                f"{self.label} paling banyak {spec.max_length} karakter; yang diisi {length}. Singkat isiannya.",
            )
        if spec.min_length is not None and length < spec.min_length:
            self.add("too_short", f"{self.label} paling sedikit {spec.min_length} karakter; yang diisi {length}.")
        if spec.pattern is not None and not spec.pattern.fullmatch(text.strip()):
            hint = spec.pattern_hint or "Periksa format isian."
            self.add("pattern", f"{self.label} tidak sesuai format. {hint}")

    def check_name(self, value: object) -> None:
        text = self._text(value)
        if text is None:
            return
        if self.spec.max_length is not None and len(text.strip()) > self.spec.max_length:
            self.check_text(text)
        result = check_name(text, legacy=self.spec.legacy_name)
        for finding in (*result.errors, *result.warnings):
            self.add(finding.code, f"{self.label}: {finding.message}", finding.severity)

    def check_number(self, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add("type", f"{self.label} harus berupa angka. Ketik angkanya saja, tanpa huruf atau titik.")
            return
        spec = self.spec
        unit = f" {spec.unit}" if spec.unit else ""
        if spec.min is not None and value < spec.min:
            self.add("too_small", f"{self.label} paling kecil {_num(spec.min)}{unit}; yang diisi {_num(value)}.")
        if spec.max is not None and value > spec.max:
            self.add("too_large", f"{self.label} paling besar {_num(spec.max)}{unit}; yang diisi {_num(value)}.")

    def check_date(self, value: object) -> None:
        date = as_date(value) if isinstance(value, str) else None
        if date is None:
            self.add(
                "date_invalid",
                f"{self.label} bukan tanggal yang sah. Isi dengan format HH-BB-TTTT, misalnya 17-08-1990.",
            )
            return
        if self.spec.not_future and date > self.run.today:
            self.add(
                "future_date",
                f"{self.label} ({date:%d-%m-%Y}) berada di masa depan. Periksa kembali tanggal, bulan dan tahunnya.",
            )
        if date.year < _MIN_YEAR:
            self.add("date_too_old", f"{self.label} ({date:%d-%m-%Y}) terlalu lampau. Periksa tahunnya.")

    def check_time(self, value: object) -> None:
        if not isinstance(value, str) or not _TIME.match(value.strip()):
            self.add("time_invalid", f"{self.label} bukan jam yang sah. Isi dengan format JJ:MM, misalnya 08:30.")

    def check_choice(self, value: object) -> None:
        codes = self.spec.codes
        assert codes is not None
        if not codes.has(value):
            self.add(
                "unknown_code",
                f"{self.label}: kode {value!r} tidak ada dalam daftar. Pilih salah satu: {codes.describe()}.",
            )

    def check_multichoice(self, value: object) -> None:
        codes = self.spec.codes
        assert codes is not None
        if not isinstance(value, list):
            self.add("type", f"{self.label} harus berupa daftar pilihan. Pilih ulang isian ini.")
            return
        for item in value:
            if not codes.has(item):
                self.add(
                    "unknown_code",
                    f"{self.label}: kode {item!r} tidak ada dalam daftar. Hapus pilihan itu dan pilih dari daftar.",
                )
        if len(set(map(repr, value))) != len(value):
            self.add(
                "duplicate_choice", f"{self.label}: ada pilihan yang tercentang dua kali. Hapus salah satu.", "warning"
            )

    def check_boolean(self, value: object) -> None:
        if not isinstance(value, bool):
            self.add("type", f"{self.label} harus dijawab Ya atau Tidak.")

    def _other(self, ref: Reference | None) -> object:
        return None if ref is None else self.scope.resolve(ref)

    def check_nik(self, value: object) -> None:
        sex = self._other(self.spec.sex_field)
        born = as_date(self._other(self.spec.birth_date_field))
        result = check_nik(
            value,
            sex=sex if isinstance(sex, int) and not isinstance(sex, bool) else None,
            birth_date=born,
            allow_pending=self.spec.allow_pending,
            path=self.path,
        )
        self._report(result.errors + result.warnings)

    def check_kk(self, value: object) -> None:
        result = check_kk(value, path=self.path)
        self._report(result.errors + result.warnings)

    def check_region(self, value: object) -> None:
        if isinstance(value, str) and any(ch.isalpha() for ch in value):
            self.add("region_name", f"{self.label}: {region_name_message(value, self.spec.region_level)}")
            return
        result = check_region_code(value, path=self.path)
        self._report(result.errors + result.warnings)
        level = self.spec.region_level
        if level is not None and not result.errors:
            found = str(result.to_dict().get("level", ""))
            wanted = {"desa": ("desa", "kelurahan", "desa_adat"), "kabupaten": ("kabupaten", "kota")}.get(
                level, (level,)
            )
            if found and found not in wanted:
                self.add(
                    "region_level",
                    f"{self.label} harus kode {level.replace('_', ' ')}, bukan kode {found}. "
                    "Pilih wilayah dari daftar.",
                )

    def check_postal_code(self, value: object) -> None:
        text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
        if not (len(text) == 5 and text.isascii() and text.isdigit()):
            self.add("postal_code", f"{self.label} harus 5 angka, misalnya 63263.")

    def check_phone(self, value: object) -> None:
        text = _PHONE_STRIP.sub("", value) if isinstance(value, str) else ""
        digits = text[1:] if text.startswith("+") else text
        if not (digits.isascii() and digits.isdigit() and 8 <= len(digits) <= 16):
            self.add("phone", f"{self.label} harus nomor telepon 8 sampai 16 angka, misalnya 081234567890.")

    def check_email(self, value: object) -> None:
        if not isinstance(value, str) or not _EMAIL.match(value.strip()):
            self.add("email", f"{self.label} bukan alamat email yang sah, misalnya nama@contoh.id.")

    def _report(self, findings: list[Finding]) -> None:
        for finding in findings:
            self.add(finding.code, f"{self.label}: {finding.message}", finding.severity)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def region_name_message(typed: str, level: str | None) -> str:
    """What to say when a region field holds a name instead of a code: how to choose one, and the regions
    that name leads to (when the name search is already loaded: the check never waits to build it)."""
    text = typed.strip()
    message = (
        f'"{text}" belum dipilih dari daftar wilayah. Ketik nama atau kode, lalu pilih dari saran yang muncul '
        "(panah bawah, Enter)."
    )
    index = default_index()
    depth = FIELD_DEPTHS.get(level or "")
    if depth is None or not index.search_ready:
        return message
    found = suggest(index, text, depth, limit=3)
    if not found:
        return f'"{text}" tidak ditemukan dalam daftar wilayah. Periksa ejaannya, atau ketik kodenya.'
    names = "; ".join(f"{s.region.code} — {s.region.name}" for s in found)
    return f"{message} Mungkin: {names}."
