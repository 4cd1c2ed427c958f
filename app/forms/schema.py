"""Form schemas: sections, fields, rules; loaded from resources/forms/<FORM>@<VERSION>.yaml and validated.

The file's structure is declared in app.forms.files; here are the app's types, the checks that need more than
one entry or another file (ids used twice, code lists, the names expressions and carry links use, the file
name), and the building of a FormSchema from a validated file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app.datafiles import load_yaml
from app.datamodels import validate
from app.forms.carry import Link, link_problems
from app.forms.codelists import CodeList, CodeLists
from app.forms.errors import SchemaError
from app.forms.expr import THIS, Expression, Reference
from app.forms.files import CHOICE_TYPES, FieldEntry, FormFile, RuleEntry, SectionEntry


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form section."""

    id: str
    label: str
    type: str
    codes: CodeList | None = None
    required: bool | Expression = False
    visible: Expression | None = None
    max_length: int | None = None
    min_length: int | None = None
    pattern: re.Pattern[str] | None = None
    pattern_hint: str = ""
    min: float | None = None
    max: float | None = None
    not_future: bool = True
    allow_pending: bool = False
    sex_field: Reference | None = None
    birth_date_field: Reference | None = None
    region_level: str | None = None
    staff_only: bool = False
    col: int | str | None = None
    help: str = ""
    app_only: bool = False
    unit: str = ""
    legacy_name: bool = False
    carry: tuple[Link, ...] = ()  # where the answer may come from (app.forms.carry)


@dataclass(frozen=True)
class RuleSpec:
    """A cross-field rule: when `when` holds, `check` must hold, else a finding at `path`."""

    id: str
    check: Expression
    path: str
    severity: str
    message: str
    when: Expression | None = None


@dataclass(frozen=True)
class SectionSpec:
    """A section of a form; a repeating section holds a list of rows (e.g. family members)."""

    id: str
    title: str
    fields: tuple[FieldSpec, ...]
    repeat_min: int | None = None
    repeat_max: int | None = None
    rules: tuple[RuleSpec, ...] = ()
    visible: Expression | None = None
    help: str = ""

    @property
    def repeating(self) -> bool:
        """Whether the answers of this section are a list of rows."""
        return self.repeat_min is not None

    def field(self, field_id: str) -> FieldSpec | None:
        """Return one field by id."""
        for spec in self.fields:
            if spec.id == field_id:
                return spec
        return None


@dataclass(frozen=True)
class FormSchema:
    """One version of one official form."""

    form: str
    version: str
    alias: str
    title: str
    regulation: str
    sections: tuple[SectionSpec, ...]
    rules: tuple[RuleSpec, ...]

    @property
    def key(self) -> str:
        """The id stored with every set of answers, e.g. `F-1.01@PMDN109-2019`."""
        return f"{self.form}@{self.version}"

    def section(self, section_id: str) -> SectionSpec | None:
        """Return one section by id."""
        for spec in self.sections:
            if spec.id == section_id:
                return spec
        return None

    def field_at(self, ref: Reference, context: SectionSpec | None = None) -> tuple[SectionSpec, FieldSpec] | None:
        """Resolve a reference (`field` in `context`, or `section.field`) to its section and field."""
        if len(ref) == 1 and context is not None:
            found = context.field(ref[0])
            return (context, found) if found else None
        if len(ref) == 2:
            section = self.section(ref[0])
            found = section.field(ref[1]) if section else None
            return (section, found) if section and found else None
        return None

    def is_group(self, ref: Reference) -> bool:
        """Whether a reference names a repeating section (the first argument of count())."""
        if len(ref) != 1:
            return False
        section = self.section(ref[0])
        return section is not None and section.repeating


class _Builder:
    """Builds a FormSchema from a validated file, raising SchemaError with the file and entry."""

    def __init__(self, file: str, codelists: CodeLists) -> None:
        self.file = file
        self.codelists = codelists

    def fail(self, entry: str, problem: str) -> SchemaError:
        return SchemaError(self.file, entry, problem)

    def build(self, data: FormFile) -> FormSchema:
        seen: set[str] = set()
        for section in data.sections:
            if section.id in seen:
                raise self.fail(f"sections.{section.id}", "section id used twice")
            seen.add(section.id)
        return FormSchema(
            form=data.form,
            version=data.version,
            alias=data.alias,
            title=data.title,
            regulation=data.regulation,
            sections=tuple(self.section(s) for s in data.sections),
            rules=tuple(_rule(r) for r in data.rules),
        )

    def section(self, data: SectionEntry) -> SectionSpec:
        entry = f"sections.{data.id}"
        seen: set[str] = set()
        for spec in data.fields:
            if spec.id in seen:
                raise self.fail(f"{entry}.fields.{spec.id}", "field id used twice in the section")
            seen.add(spec.id)
        return SectionSpec(
            id=data.id,
            title=data.id if data.title is None else data.title,
            fields=tuple(self.field(f"{entry}.fields.{f.id}", f) for f in data.fields),
            repeat_min=data.repeat.min if data.repeat is not None else None,
            repeat_max=data.repeat.max if data.repeat is not None else None,
            rules=tuple(_rule(r) for r in data.rules),
            visible=data.visible,
            help=data.help,
        )

    def field(self, entry: str, data: FieldEntry) -> FieldSpec:
        codes = None
        if data.type in CHOICE_TYPES:
            codes = self.codelists.get(str(data.codes))
            if codes is None:
                raise self.fail(f"{entry}.codes", f"unknown code list {data.codes!r}")
        return FieldSpec(
            id=data.id,
            label=data.id if data.label is None else data.label,
            type=data.type,
            codes=codes,
            required=data.required,
            visible=data.visible,
            max_length=data.max_length,
            min_length=data.min_length,
            pattern=data.pattern,
            pattern_hint=data.pattern_hint,
            min=data.min,
            max=data.max,
            not_future=data.not_future,
            allow_pending=data.allow_pending,
            sex_field=data.sex_field,
            birth_date_field=data.birth_date_field,
            region_level=data.region_level,
            staff_only=data.staff_only,
            col=data.col,
            help=data.help,
            app_only=data.app_only,
            unit=data.unit,
            legacy_name=data.legacy_name,
            carry=data.carry,
        )


def _rule(data: RuleEntry) -> RuleSpec:
    return RuleSpec(
        id=data.id, check=data.check, path=data.path, severity=data.severity, message=data.message, when=data.when
    )


def _check_references(schema: FormSchema, reader: _Builder) -> None:
    """Every name an expression uses must be a field (or a repeating section used as a group)."""

    def this_known(entry: str, ref: Reference, context: SectionSpec | None) -> bool:
        """`this.<field>`: a field of the member row the expression is about."""
        if ref[0] != THIS:
            return False
        if context is None or not context.repeating or len(ref) != 2:
            raise reader.fail(entry, f"{'.'.join(ref)!r}: this.<field> names a field of a member row, in its rules")
        return context.field(ref[1]) is not None

    def check(entry: str, expr: Expression | None, context: SectionSpec | None) -> None:
        if expr is None:
            return
        for ref in expr.references:
            if schema.is_group(ref) or this_known(entry, ref, context) or schema.field_at(ref, context) is not None:
                continue
            raise reader.fail(entry, f"expression {expr.source!r} names unknown field {'.'.join(ref)!r}")
        for group, ref in expr.row_references:
            group_section = schema.section(group[-1]) if len(group) == 1 else None
            if group_section is None or not group_section.repeating:
                raise reader.fail(entry, f"{'.'.join(group)!r} is not a repeating section")
            if (
                schema.is_group(ref)
                or this_known(entry, ref, context)
                or schema.field_at(ref, group_section) is not None
            ):
                continue
            raise reader.fail(entry, f"expression {expr.source!r} names unknown field {'.'.join(ref)!r}")

    for section in schema.sections:
        base = f"sections.{section.id}"
        check(f"{base}.visible", section.visible, section)
        for spec in section.fields:
            where = f"{base}.fields.{spec.id}"
            check(f"{where}.visible", spec.visible, section)
            if not isinstance(spec.required, bool):
                check(f"{where}.required", spec.required, section)
            for key, ref in (("sex_field", spec.sex_field), ("birth_date_field", spec.birth_date_field)):
                if ref is not None and schema.field_at(ref, section) is None:
                    raise reader.fail(f"{where}.{key}", f"unknown field {'.'.join(ref)!r}")
        for rule in section.rules:
            check(f"{base}.rules.{rule.id}.check", rule.check, section)
            check(f"{base}.rules.{rule.id}.when", rule.when, section)
            if rule.path and section.field(rule.path) is None:
                raise reader.fail(f"{base}.rules.{rule.id}.path", f"unknown field {rule.path!r} in the row")
    rule_ids: set[str] = set()
    for rule in schema.rules:
        if rule.id in rule_ids:
            raise reader.fail(f"rules.{rule.id}", "rule id used twice")
        rule_ids.add(rule.id)
        check(f"rules.{rule.id}.check", rule.check, None)
        check(f"rules.{rule.id}.when", rule.when, None)
        if rule.path and not _path_exists(schema, rule.path):
            raise reader.fail(f"rules.{rule.id}.path", f"unknown path {rule.path!r}")
    problems = link_problems(schema)  # links into other forms are checked with the whole registry
    if problems:
        raise reader.fail(*_link_entry(problems[0]))


def _link_entry(problem: str) -> tuple[str, str]:
    """A carry problem (`F-1.01@V: section.field.carry: what`) as the entry of the field and what is wrong."""
    parts = problem.split(": ", 2)
    if len(parts) == 3 and parts[1].count(".") == 2:
        section, field, key = parts[1].split(".")
        return f"sections.{section}.fields.{field}.{key}", parts[2]
    return "carry", problem.split(": ", 1)[-1]


def _path_exists(schema: FormSchema, path: str) -> bool:
    parts = path.split(".")
    if len(parts) == 1:
        return schema.section(parts[0]) is not None
    return schema.field_at(tuple(parts[:2])) is not None


def read_schema(path: Path, codelists: CodeLists) -> FormSchema:
    """Load and validate one schema file; raise SchemaError naming the file and entry."""
    builder = _Builder(path.name, codelists)
    data = validate(FormFile, load_yaml(path, SchemaError), file=path.name, error=SchemaError)
    schema = builder.build(data)
    _check_references(schema, builder)
    expected = f"{schema.form}@{schema.version}.yaml"
    if path.name != expected:
        raise SchemaError(path.name, "", f"file name must be {expected!r} (form@version)")
    return schema


def version_order(version: str) -> tuple[int, str]:
    """Sort key for versions: the regulation year at the end (`PMDN109-2019` < `PMDN6-2026`)."""
    match = re.search(r"(\d{4})$", version)
    return (int(match.group(1)) if match else 0, version)


def schemas_by_form(schemas: Mapping[str, FormSchema]) -> dict[str, list[FormSchema]]:
    """Group schemas by form id, oldest version first."""
    grouped: dict[str, list[FormSchema]] = {}
    for schema in schemas.values():
        grouped.setdefault(schema.form, []).append(schema)
    for versions in grouped.values():
        versions.sort(key=lambda s: version_order(s.version))
    return grouped
