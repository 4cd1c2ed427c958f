"""Form schemas: sections, fields, rules; loaded from resources/forms/<FORM>@<VERSION>.yaml and validated."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app.datafiles import load_yaml
from app.forms.carry import Link, LinkError, link_problems, parse_links
from app.forms.codelists import CodeList, CodeLists
from app.forms.errors import SchemaError
from app.forms.expr import THIS, Expression, ExpressionError, Reference, parse

FIELD_TYPES = frozenset(
    {
        "text",
        "name",
        "number",
        "date",
        "time",
        "choice",
        "multichoice",
        "boolean",
        "nik",
        "kk",
        "region",
        "postal_code",
        "phone",
        "email",
    }
)
REGION_LEVELS = frozenset({"provinsi", "kabupaten", "kecamatan", "desa"})
SEVERITIES = frozenset({"error", "warning"})

_FIELD_KEYS = frozenset(
    {
        "id",
        "label",
        "type",
        "codes",
        "required",
        "visible",
        "max_length",
        "min_length",
        "pattern",
        "pattern_hint",
        "min",
        "max",
        "not_future",
        "allow_pending",
        "sex_field",
        "birth_date_field",
        "region_level",
        "staff_only",
        "col",
        "help",
        "app_only",
        "unit",
        "legacy_name",
        "carry",
    }
)
_SECTION_KEYS = frozenset({"id", "title", "fields", "repeat", "rules", "visible", "help", "col"})
_RULE_KEYS = frozenset({"id", "when", "check", "path", "severity", "message"})
_FORM_KEYS = frozenset({"form", "version", "alias", "title", "regulation", "sections", "rules", "notes", "source"})
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


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


class _Reader:
    """Builds a FormSchema from parsed YAML, raising SchemaError with the file and entry."""

    def __init__(self, file: str, codelists: CodeLists) -> None:
        self.file = file
        self.codelists = codelists

    def fail(self, entry: str, problem: str) -> SchemaError:
        return SchemaError(self.file, entry, problem)

    def expression(self, entry: str, source: object) -> Expression:
        try:
            return parse(source)
        except ExpressionError as exc:
            raise self.fail(entry, f"bad expression: {exc}") from None

    def read(self, data: object) -> FormSchema:
        if not isinstance(data, dict):
            raise self.fail("", "a form schema must be a mapping")
        unknown = set(data) - _FORM_KEYS
        if unknown:
            raise self.fail("", f"unknown keys {sorted(unknown)}")
        for key in ("form", "version", "alias", "title", "sections"):
            if key not in data:
                raise self.fail("", f"missing '{key}'")
        if not isinstance(data["sections"], list) or not data["sections"]:
            raise self.fail("sections", "needs a non-empty list of sections")
        sections = [self.section(i, s) for i, s in enumerate(data["sections"])]
        ids = [s.id for s in sections]
        for sid in ids:
            if ids.count(sid) > 1:
                raise self.fail(f"sections.{sid}", "section id used twice")
        rules = tuple(self.rule(f"rules[{i}]", r) for i, r in enumerate(data.get("rules") or []))
        schema = FormSchema(
            form=str(data["form"]),
            version=str(data["version"]),
            alias=str(data["alias"]),
            title=str(data["title"]),
            regulation=str(data.get("regulation", "")),
            sections=tuple(sections),
            rules=rules,
        )
        _check_references(schema, self)
        return schema

    def section(self, index: int, data: object) -> SectionSpec:
        entry = f"sections[{index}]"
        if not isinstance(data, dict):
            raise self.fail(entry, "a section must be a mapping")
        sid = data.get("id")
        if not isinstance(sid, str) or not _ID.match(sid):
            raise self.fail(entry, f"section id {sid!r} must be snake_case")
        entry = f"sections.{sid}"
        unknown = set(data) - _SECTION_KEYS
        if unknown:
            raise self.fail(entry, f"unknown keys {sorted(unknown)}")
        raw_fields = data.get("fields")
        if not isinstance(raw_fields, list) or not raw_fields:
            raise self.fail(entry, "needs a non-empty 'fields' list")
        fields = tuple(self.field(f"{entry}.fields[{i}]", f) for i, f in enumerate(raw_fields))
        seen: set[str] = set()
        for spec in fields:
            if spec.id in seen:
                raise self.fail(f"{entry}.{spec.id}", "field id used twice in the section")
            seen.add(spec.id)
        repeat_min = repeat_max = None
        if "repeat" in data:
            repeat = data["repeat"]
            if not isinstance(repeat, dict):
                raise self.fail(f"{entry}.repeat", "must be a mapping {min, max}")
            repeat_min = int(repeat.get("min", 0))
            repeat_max = int(repeat["max"]) if repeat.get("max") is not None else None
        rules = tuple(self.rule(f"{entry}.rules[{i}]", r) for i, r in enumerate(data.get("rules") or []))
        if rules and repeat_min is None:
            raise self.fail(f"{entry}.rules", "per-row rules belong to repeating sections; use form-level rules")
        visible = self.expression(f"{entry}.visible", data["visible"]) if "visible" in data else None
        return SectionSpec(
            id=sid,
            title=str(data.get("title", sid)),
            fields=fields,
            repeat_min=repeat_min,
            repeat_max=repeat_max,
            rules=rules,
            visible=visible,
            help=str(data.get("help", "")),
        )

    def field(self, entry: str, data: object) -> FieldSpec:
        if not isinstance(data, dict):
            raise self.fail(entry, "a field must be a mapping")
        fid = data.get("id")
        if not isinstance(fid, str) or not _ID.match(fid):
            raise self.fail(entry, f"field id {fid!r} must be snake_case")
        entry = entry.rsplit(".fields[", 1)[0] + f".{fid}"
        unknown = set(data) - _FIELD_KEYS
        if unknown:
            raise self.fail(entry, f"unknown keys {sorted(unknown)}")
        ftype = data.get("type")
        if ftype not in FIELD_TYPES:
            raise self.fail(entry, f"unknown type {ftype!r}; known: {', '.join(sorted(FIELD_TYPES))}")
        codes = None
        if ftype in ("choice", "multichoice"):
            list_id = data.get("codes")
            codes = self.codelists.get(str(list_id)) if list_id is not None else None
            if codes is None:
                raise self.fail(entry, f"unknown code list {list_id!r}")
        elif "codes" in data:
            raise self.fail(entry, f"'codes' only applies to choice fields, not {ftype}")
        required: bool | Expression = False
        if isinstance(data.get("required"), bool):
            required = data["required"]
        elif "required" in data:
            required = self.expression(f"{entry}.required", data["required"])
        pattern = None
        if "pattern" in data:
            try:
                pattern = re.compile(str(data["pattern"]))
            except re.error as exc:
                raise self.fail(f"{entry}.pattern", f"bad regular expression: {exc}") from None
        level = data.get("region_level")
        if level is not None and level not in REGION_LEVELS:
            raise self.fail(entry, f"region_level must be one of {sorted(REGION_LEVELS)}")
        carry: tuple[Link, ...] = ()
        if "carry" in data:
            try:
                carry = parse_links(data["carry"])
            except LinkError as exc:
                raise self.fail(f"{entry}.carry", str(exc)) from None
        return FieldSpec(
            id=fid,
            label=str(data.get("label", fid)),
            type=str(ftype),
            codes=codes,
            required=required,
            visible=self.expression(f"{entry}.visible", data["visible"]) if "visible" in data else None,
            max_length=_opt_int(data.get("max_length")),
            min_length=_opt_int(data.get("min_length")),
            pattern=pattern,
            pattern_hint=str(data.get("pattern_hint", "")),
            min=_opt_float(data.get("min")),
            max=_opt_float(data.get("max")),
            not_future=bool(data.get("not_future", True)),
            allow_pending=bool(data.get("allow_pending", False)),
            sex_field=_opt_ref(data.get("sex_field")),
            birth_date_field=_opt_ref(data.get("birth_date_field")),
            region_level=level,
            staff_only=bool(data.get("staff_only", False)),
            col=data.get("col"),
            help=str(data.get("help", "")),
            app_only=bool(data.get("app_only", False)),
            unit=str(data.get("unit", "")),
            legacy_name=bool(data.get("legacy_name", False)),
            carry=carry,
        )

    def rule(self, entry: str, data: object) -> RuleSpec:
        if not isinstance(data, dict):
            raise self.fail(entry, "a rule must be a mapping")
        unknown = set(data) - _RULE_KEYS
        if unknown:
            raise self.fail(entry, f"unknown keys {sorted(unknown)}")
        rid = data.get("id")
        if not isinstance(rid, str) or not _ID.match(rid):
            raise self.fail(entry, f"rule id {rid!r} must be snake_case")
        entry = f"{entry.rsplit('[', 1)[0]}.{rid}"
        severity = data.get("severity", "error")
        if severity not in SEVERITIES:
            raise self.fail(entry, f"severity must be 'error' or 'warning', not {severity!r}")
        message = data.get("message")
        if not isinstance(message, str) or not message.strip():
            raise self.fail(entry, "needs a 'message' in Bahasa Indonesia")
        return RuleSpec(
            id=rid,
            check=self.expression(f"{entry}.check", data.get("check")),
            path=str(data.get("path", "")),
            severity=str(severity),
            message=message.strip(),
            when=self.expression(f"{entry}.when", data["when"]) if "when" in data else None,
        )


def _opt_int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _opt_float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _opt_ref(value: object) -> Reference | None:
    return tuple(value.split(".")) if isinstance(value, str) and value else None


def _check_references(schema: FormSchema, reader: _Reader) -> None:
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
            check(f"{base}.{spec.id}.visible", spec.visible, section)
            if not isinstance(spec.required, bool):
                check(f"{base}.{spec.id}.required", spec.required, section)
            for key, ref in (("sex_field", spec.sex_field), ("birth_date_field", spec.birth_date_field)):
                if ref is not None and schema.field_at(ref, section) is None:
                    raise reader.fail(f"{base}.{spec.id}.{key}", f"unknown field {'.'.join(ref)!r}")
        for rule in section.rules:
            check(f"{base}.rules.{rule.id}", rule.check, section)
            check(f"{base}.rules.{rule.id}", rule.when, section)
            if rule.path and section.field(rule.path) is None:
                raise reader.fail(f"{base}.rules.{rule.id}.path", f"unknown field {rule.path!r} in the row")
    rule_ids: set[str] = set()
    for rule in schema.rules:
        if rule.id in rule_ids:
            raise reader.fail(f"rules.{rule.id}", "rule id used twice")
        rule_ids.add(rule.id)
        check(f"rules.{rule.id}", rule.check, None)
        check(f"rules.{rule.id}", rule.when, None)
        if rule.path and not _path_exists(schema, rule.path):
            raise reader.fail(f"rules.{rule.id}.path", f"unknown path {rule.path!r}")
    problems = link_problems(schema)  # links into other forms are checked with the whole registry
    if problems:
        raise reader.fail("carry", problems[0].split(": ", 1)[1])


def _path_exists(schema: FormSchema, path: str) -> bool:
    parts = path.split(".")
    if len(parts) == 1:
        return schema.section(parts[0]) is not None
    return schema.field_at(tuple(parts[:2])) is not None


def read_schema(path: Path, codelists: CodeLists) -> FormSchema:
    """Load and validate one schema file; raise SchemaError naming the file and entry."""
    reader = _Reader(path.name, codelists)
    schema = reader.read(load_yaml(path, SchemaError))
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
