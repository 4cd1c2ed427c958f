"""Carry-over: what is already known fills the fields of an application's forms, declared as data.

A field of a form schema names where its answer may come from (`carry:`), and a service of the
catalogue names the answers it implies (`prefill:`); see docs/data-formats.md §3 and §4. This module
reads those declarations and decides, for one form, what each field gets:

- the outpost's settings (`outpost.region` at the field's region level, `outpost.site`, `outpost.name`);
- the applicant of the application (`applicant.name`, `.nik`, `.kk`, `.birth_date`, `.sex`);
- the device date (`today`);
- another answer of the same form (`section.field`) or of another form by alias (`f201.kelahiran.nama`),
  in a repeating section the first row a condition picks (`anggota[shdk == 1].nama_lengkap`);
- a resident of the residents index (`resident.<attribute>`), found by the NIK typed in the same
  section or member row (its field `nik`);
- a value computed by an expression of the condition language, written after `=`: what an identifier
  implies (`= nik_sex(nik)`, `= nik_birth_date(nik)`), the postal code of the desa chosen
  (`= postal_code(kode_desa)`), or a constant under a condition (`{from: "= 1", when: ...}`).

A member row takes resident sources, computed values and answers: its family's other rows (a child's parents from the
head's and the spouse's rows) and other sections or forms; a `when:` there reads the row's own fields
by their bare names (`shdk == 4`).

A carried value never replaces what the officer typed: a field takes a value when it is empty, and
follows its source while it still holds the value last carried into it (a child's name corrected on
F-2.01 is corrected on F-2.03 too, until the officer edits it there). Pure Python: no Qt.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.forms.expr import Expression, ExpressionError, Reference, Scope, parse, region_at
from app.identity import NIK_PENDING

if TYPE_CHECKING:
    from app.forms.registry import FormRegistry
    from app.forms.schema import FieldSpec, FormSchema, SectionSpec

Row = Mapping[str, object]
Answers = Mapping[str, object]

OUTPOST_ATTRIBUTES = frozenset({"region", "site", "name"})
APPLICANT_ATTRIBUTES = frozenset({"name", "nik", "kk", "birth_date", "sex"})
# What the residents index can tell about a person: its columns, then the biodata an import or an
# earlier application left in its details (F-1.01 member columns by their field ids).
RESIDENT_ATTRIBUTES = frozenset(
    {
        "name",
        "nik",
        "kk",
        "birth_date",
        "sex",
        "address",
        "region_code",
        "tempat_lahir",
        "kewarganegaraan",
        "agama",
        "status_kawin",
        "shdk",
        "pendidikan",
        "pekerjaan",
        "golongan_darah",
        "akta_lahir",
        "nomor_akta_lahir",
        "akta_kawin",
        "nomor_akta_kawin",
        "tanggal_kawin",
        "akta_cerai",
        "nomor_akta_cerai",
        "tanggal_cerai",
        "kelainan",
        "penyandang_cacat",
        "nik_ibu",
        "nama_ibu",
        "nik_ayah",
        "nama_ayah",
        "nomor_paspor",
        "gelar_depan",
        "gelar_belakang",
    }
)
RESIDENT_KEY = "nik"  # the field of a section or row whose NIK finds the resident

_PATH = re.compile(r"^(?P<section>[a-z][a-z0-9_]*)(?:\[(?P<row>\d+)\])?\.(?P<field>[a-z][a-z0-9_]*)$")
_ANSWER = re.compile(
    r"^(?:(?P<alias>[a-z][a-z0-9_]*)\.)?(?P<section>[a-z][a-z0-9_]*)(?:\[(?P<select>[^\]]+)\])?"
    r"\.(?P<field>[a-z][a-z0-9_]*)$"
)


class LinkError(ValueError):
    """A carry-over declaration that cannot be read; the message says what is wrong."""


@dataclass(frozen=True)
class Source:
    """Where a carried value comes from (one entry of a field's `carry:` list)."""

    kind: str  # "outpost", "applicant", "today", "resident", "answer" or "expr"
    text: str  # as written in the schema
    name: str = ""  # the outpost, applicant or resident attribute
    alias: str = ""  # answer: the form's alias, "" for the field's own form
    section: str = ""
    field: str = ""
    select: Expression | None = None  # answer in a repeating section: the first row where this holds
    expression: Expression | None = None  # expr: the value computed, in the field's section or row


@dataclass(frozen=True)
class Link:
    """One declared source of a field, used when its condition (in the field's form) holds."""

    source: Source
    when: Expression | None = None


def parse_source(text: object) -> Source:
    """Read one source (`outpost.region`, `applicant.name`, `today`, `resident.agama`, `f201.ayah.nama`)."""
    if not isinstance(text, str) or not text.strip():
        raise LinkError(f"a carry source must be a non-empty text, not {text!r}")
    text = text.strip()
    if text == "today":
        return Source("today", text)
    if text.startswith("="):
        try:
            return Source("expr", text, expression=parse(text[1:]))
        except ExpressionError as exc:
            raise LinkError(f"{text!r}: bad expression: {exc}") from None
    head, _, rest = text.partition(".")
    for kind, names in (
        ("outpost", OUTPOST_ATTRIBUTES),
        ("applicant", APPLICANT_ATTRIBUTES),
        ("resident", RESIDENT_ATTRIBUTES),
    ):
        if head == kind:
            if rest not in names:
                raise LinkError(f"{text!r}: {kind} has no {rest!r}; known: {', '.join(sorted(names))}")
            return Source(kind, text, name=rest)
    match = _ANSWER.match(text)
    if match is None:
        raise LinkError(
            f"{text!r} is not a source: use outpost.<x>, applicant.<x>, today, resident.<x>, "
            "section.field, alias.section.field, section[condition].field or = expression"
        )
    select = None
    if match["select"] is not None:
        try:
            select = parse(match["select"])
        except ExpressionError as exc:
            raise LinkError(f"{text!r}: bad row condition: {exc}") from None
    return Source(
        "answer", text, alias=match["alias"] or "", section=match["section"], field=match["field"], select=select
    )


def parse_links(value: object) -> tuple[Link, ...]:
    """Read a field's `carry:` value: one source, or a list of sources or {from, when} mappings."""
    items = value if isinstance(value, list) else [value]
    links = []
    for item in items:
        if isinstance(item, Mapping):
            unknown = set(item) - {"from", "when"}
            if unknown:
                raise LinkError(f"unknown keys {sorted(unknown)} in a carry entry (use 'from' and 'when')")
            when = None
            if "when" in item:
                try:
                    when = parse(item["when"])
                except ExpressionError as exc:
                    raise LinkError(f"bad condition: {exc}") from None
            links.append(Link(parse_source(item.get("from")), when))
        else:
            links.append(Link(parse_source(item)))
    if not links:
        raise LinkError("'carry' needs at least one source")
    return tuple(links)


def link_problems(schema: FormSchema, registry: FormRegistry | None = None) -> list[str]:
    """What is wrong with the carry declarations of one form: sources and conditions naming fields that do
    not exist, resident sources in a section without a NIK field. With a registry, other forms' fields
    are checked too."""
    problems = []
    for section in schema.sections:
        for spec in section.fields:
            where = f"{schema.key}: {section.id}.{spec.id}.carry"
            for link in spec.carry:
                problems += [f"{where}: {p}" for p in _link_problems(schema, section, link, registry)]
    return problems


def _link_problems(
    schema: FormSchema, section: SectionSpec, link: Link, registry: FormRegistry | None
) -> Iterable[str]:
    source = link.source
    for expression, what in ((link.when, "condition"), (source.expression, "expression")):
        if expression is None:
            continue
        shown = source.text if what == "expression" else expression.source
        for ref in expression.references:
            if len(ref) == 3:  # another form's field: alias.section.field
                other = registry.by_alias(ref[0]) if registry is not None else None
                if registry is not None and (other is None or other.field_at(ref[1:]) is None):
                    yield f"{what} {shown!r} names unknown field {'.'.join(ref)!r}"
            elif schema.field_at(ref, section) is None and not schema.is_group(ref):
                yield f"{what} {shown!r} names unknown field {'.'.join(ref)!r}"
    if source.kind == "expr":
        return
    if source.kind == "resident" and section.field(RESIDENT_KEY) is None:
        yield f"{source.text!r}: the section has no '{RESIDENT_KEY}' field to find the resident by"
    if source.kind in ("outpost", "applicant", "today", "resident"):
        if section.repeating and source.kind != "resident":
            yield f"{source.text!r}: a member row takes only resident.<x> sources and answers"
        return
    origin = schema
    if source.alias and source.alias != schema.alias:
        other = registry.by_alias(source.alias) if registry is not None else None
        if other is None:
            if registry is not None:
                yield f"{source.text!r}: no form has the alias {source.alias!r}"
            return
        origin = other
    found = origin.section(source.section)
    if found is None or found.field(source.field) is None:
        yield f"{source.text!r}: {origin.key} has no field {source.section}.{source.field}"
        return
    if found.repeating and source.select is None:
        yield f"{source.text!r}: {source.section} is a member table; say which row: {source.section}[condition]"
    if source.select is not None:
        for ref in source.select.references:
            if len(ref) != 1 or found.field(ref[0]) is None:
                yield f"{source.text!r}: the row condition names {'.'.join(ref)!r}, not a field of the row"


@dataclass(frozen=True)
class Known:
    """What is known about an application besides its answers."""

    outpost: Mapping[str, str] = field(default_factory=dict)  # region, site, name (settings)
    applicant: Mapping[str, object] = field(default_factory=dict)  # name, nik, kk, birth_date, sex
    service: Mapping[str, object] = field(default_factory=dict)  # "alias.section.field" -> the service's value
    today: dt.date | None = None
    postal_code: Callable[[object], str | None] | None = None  # a desa's postal code (the region data)


def is_empty(value: object) -> bool:
    """An unanswered field: None, blank text or an empty list."""
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], ())


def proposals(
    schema: FormSchema, answers: Mapping[str, Answers], known: Known, registry: FormRegistry | None = None
) -> dict[str, object]:
    """What each field of the form would get from its declarations, by path (`section.field`, in a member
    row `section[row].field`), for the answers of every form (by alias; the form's own answers included).

    The service's value comes first, then the field's sources in the order written; a source without a
    value (or whose condition does not hold) gives way to the next. Resident sources are not resolved here
    (the residents index is looked up by the NIK typed: `resident_values`)."""
    out: dict[str, object] = {}
    own = answers.get(schema.alias, {})
    for section in schema.sections:
        if section.repeating:
            out.update(_row_proposals(schema, section, answers, known))
            continue
        scope = _scope(schema, own, answers, section, known)
        for spec in section.fields:
            path = f"{section.id}.{spec.id}"
            value = known.service.get(f"{schema.alias}.{path}")
            if is_empty(value):
                value = None
                for link in spec.carry:
                    if link.source.kind == "resident":
                        continue
                    if link.when is not None and link.when.holds(scope) is not True:
                        continue
                    if link.source.kind == "expr":
                        value = _computed(link.source, spec, scope)
                    else:
                        value = _value(link.source, spec, schema, answers, known)
                    if not is_empty(value):
                        break
            if not is_empty(value):
                out[path] = value
    return out


def _row_proposals(
    schema: FormSchema, section: SectionSpec, answers: Mapping[str, Answers], known: Known
) -> dict[str, object]:
    """What the fields of each row of a member table get from answers (other rows, other sections and forms),
    by path `section[row].field`; a row is never its own source (no one is their own parent)."""
    linked = [
        (spec, [link for link in spec.carry if link.source.kind in ("answer", "expr")]) for spec in section.fields
    ]
    linked = [(spec, links) for spec, links in linked if links]
    own = answers.get(schema.alias, {})
    rows = own.get(section.id)
    out: dict[str, object] = {}
    if not linked or not isinstance(rows, list):
        return out
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            continue
        scope = _scope(schema, own, answers, section, known, row)
        for spec, links in linked:
            for link in links:
                if link.when is not None and link.when.holds(scope) is not True:
                    continue
                if link.source.kind == "expr":
                    value = _computed(link.source, spec, scope)
                else:
                    value = _value(link.source, spec, schema, answers, known, exclude=(section.id, index))
                if not is_empty(value):
                    out[f"{section.id}[{index}].{spec.id}"] = value
                    break
    return out


def split_path(path: str) -> tuple[str, int | None, str]:
    """A field path as (section, row or None, field): `anggota[2].nik` -> ("anggota", 2, "nik")."""
    match = _PATH.match(path)
    if match is None:
        raise ValueError(f"not a field path: {path!r}")
    row = match["row"]
    return match["section"], (int(row) if row is not None else None), match["field"]


@dataclass
class Carried:
    """What carry-over put into one form's fields, to tell it from what the officer typed since."""

    values: dict[str, object] = field(default_factory=dict)  # path -> the value last carried
    owned: set[str] = field(default_factory=set)  # paths the officer changed or emptied after a carry


def apply(
    answers: Answers, proposed: Mapping[str, object], carried: Carried, skip: Iterable[str] = ()
) -> dict[str, object]:
    """The answers with the proposed values in the fields that are empty or still hold what was carried
    into them before. A carried value the officer changed or emptied is theirs from then on, and what
    they typed is never replaced; `skip` names fields not to touch now (the one being typed in).
    `carried` is updated."""
    out: dict[str, object] = {k: _copy(v) for k, v in answers.items()}
    _forget_removed_rows(out, carried)
    skipped = set(skip)
    for path, value in proposed.items():
        if path in carried.owned or path in skipped:
            continue
        section_id, row, field_id = split_path(path)
        container = out.get(section_id)
        if row is None:
            section = container if isinstance(container, dict) else {}
        elif isinstance(container, list) and row < len(container) and isinstance(container[row], dict):
            section = container[row]
        else:
            continue  # no such row (any more)
        current = section.get(field_id)
        if path in carried.values and current != carried.values[path]:
            carried.owned.add(path)  # the officer edited what was carried: leave it to them
            del carried.values[path]
            continue
        if is_empty(current) or path in carried.values:
            if current != value:
                section[field_id] = value
                if row is None:
                    out[section_id] = section
            carried.values[path] = value
    return out


def _copy(value: object) -> object:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, list):
        return [dict(row) if isinstance(row, Mapping) else row for row in value]
    return value


def _forget_removed_rows(answers: Mapping[str, object], carried: Carried) -> None:
    """Drop what was carried into rows that are gone: a row added again in their place starts afresh."""
    for paths in (carried.values, carried.owned):
        for path in list(paths):
            section_id, row, _field = split_path(path)
            rows = answers.get(section_id)
            if row is not None and not (isinstance(rows, list) and row < len(rows)):
                if isinstance(paths, dict):
                    del paths[path]
                else:
                    paths.discard(path)


def changes(before: Answers, after: Answers) -> dict[str, object]:
    """The paths whose answers differ (`section.field`, in member rows both have `section[row].field`),
    with the new value."""
    out: dict[str, object] = {}
    for section_id in set(before) | set(after):
        old, new = before.get(section_id), after.get(section_id)
        if isinstance(old, list) or isinstance(new, list):
            old_rows = old if isinstance(old, list) else []
            new_rows = new if isinstance(new, list) else []
            for index in range(min(len(old_rows), len(new_rows))):
                out.update(_differences(f"{section_id}[{index}]", old_rows[index], new_rows[index]))
            continue
        out.update(_differences(section_id, old, new))
    return out


def _differences(prefix: str, old: object, new: object) -> dict[str, object]:
    old_map = old if isinstance(old, Mapping) else {}
    new_map = new if isinstance(new, Mapping) else {}
    return {
        f"{prefix}.{field_id}": new_map.get(field_id)
        for field_id in set(old_map) | set(new_map)
        if old_map.get(field_id) != new_map.get(field_id)
    }


# -- the residents index ------------------------------------------------------------------------------
def resident_sections(schema: FormSchema) -> list[SectionSpec]:
    """The sections (single or member tables) whose NIK field fills them from the residents index."""
    return [
        section
        for section in schema.sections
        if section.field(RESIDENT_KEY) is not None
        and any(link.source.kind == "resident" for spec in section.fields for link in spec.carry)
    ]


def resident_values(section: SectionSpec, resident: Mapping[str, object]) -> dict[str, object]:
    """What a resident's record gives the fields of one section or member row (by field id)."""
    out: dict[str, object] = {}
    for spec in section.fields:
        for link in spec.carry:
            if link.source.kind != "resident":
                continue
            value = _typed(resident.get(link.source.name), spec)
            if not is_empty(value):
                out[spec.id] = value
                break
    return out


@dataclass(frozen=True)
class RowFill:
    """A resident's values for one section or row: into empty fields, and over fields typed otherwise."""

    empty: dict[str, object]
    conflicting: dict[str, tuple[object, object]]  # field id -> (typed, from the index)


def row_fill(row: Row, values: Mapping[str, object]) -> RowFill:
    """Split a resident's values into those for empty fields and those that would replace a typed answer."""
    empty: dict[str, object] = {}
    conflicting: dict[str, tuple[object, object]] = {}
    for field_id, value in values.items():
        current = row.get(field_id)
        if is_empty(current):
            empty[field_id] = value
        elif not _same(current, value):
            conflicting[field_id] = (current, value)
    return RowFill(empty, conflicting)


# -- evaluation -----------------------------------------------------------------------------------------
def _same(left: object, right: object) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return " ".join(left.split()).casefold() == " ".join(right.split()).casefold()
    return left == right


def _value(
    source: Source,
    spec: FieldSpec,
    schema: FormSchema,
    answers: Mapping[str, Answers],
    known: Known,
    exclude: tuple[str, int] | None = None,
) -> object:
    if source.kind == "today":
        return (known.today or dt.date.today()).isoformat()
    if source.kind == "outpost":
        return _typed(known.outpost.get(source.name), spec)
    if source.kind == "applicant":
        return _typed(known.applicant.get(source.name), spec)
    form_answers = answers.get(source.alias or schema.alias, {})
    container = form_answers.get(source.section)
    if isinstance(container, list):
        if source.select is None:
            return None
        same_table = exclude is not None and not source.alias and exclude[0] == source.section
        for index, row in enumerate(container):
            if same_table and exclude is not None and index == exclude[1]:
                continue
            if isinstance(row, Mapping) and source.select.holds(_row_scope(row, known)) is True:
                return _typed(row.get(source.field), spec)
        return None
    if isinstance(container, Mapping):
        return _typed(container.get(source.field), spec)
    return None


def _typed(value: object, spec: FieldSpec) -> object:
    """A value as the target field holds it: a region code at the field's level, dates as ISO text."""
    if is_empty(value):
        return None
    if spec.type == "region" and spec.region_level:
        return region_at(value, spec.region_level)
    if isinstance(value, dt.date):
        return value.isoformat()
    if spec.type in ("text", "name") and not isinstance(value, str):
        return str(value)
    if spec.type == "nik" and not spec.allow_pending and str(value).strip().lower() == NIK_PENDING:
        return None  # "no NIK yet" is no NIK for a field that does not take it (a parent's)
    return value


def _row_scope(row: Row, known: Known) -> Scope:
    def resolve(ref: Reference) -> object:
        return row.get(ref[0]) if len(ref) == 1 else None

    def rows(_ref: Reference) -> Sequence[Row] | None:
        return None

    def row_scope(_group: Reference, inner: Row) -> Scope:
        return _row_scope(inner, known)

    return Scope(resolve, rows, row_scope, known.today, postal_code=known.postal_code)


def _computed(source: Source, spec: FieldSpec, scope: Scope) -> object:
    """An `= expression` source's value, in the field's scope (`_scope`), as the field holds it."""
    assert source.expression is not None
    value = source.expression.evaluate(scope)
    if isinstance(value, bool):
        return None  # a condition is no answer
    return _typed(value, spec)


def _scope(
    schema: FormSchema,
    own: Answers,
    answers: Mapping[str, Answers],
    section: SectionSpec,
    known: Known,
    row: Row | None = None,
) -> Scope:
    """How names resolve for the links of a section's (or a member row's) fields, in conditions and computed
    values: `field` (same section, or the member row), `section.field`, `alias.section.field`. Made once
    per section or row: the answers do not change while proposals are made."""

    def container(form_answers: Answers, section_id: str) -> object:
        return form_answers.get(section_id)

    def resolve(ref: Reference) -> object:
        if len(ref) == 1 and row is not None:
            return row.get(ref[0])
        if len(ref) == 1:
            value = container(own, section.id)
            return value.get(ref[0]) if isinstance(value, Mapping) else None
        if len(ref) == 2:
            value = container(own, ref[0])
            return value.get(ref[1]) if isinstance(value, Mapping) else None
        if len(ref) == 3:
            value = container(answers.get(ref[0], {}), ref[1])
            return value.get(ref[2]) if isinstance(value, Mapping) else None
        return None

    def rows(ref: Reference) -> Sequence[Row] | None:
        value = container(own, ref[-1]) if len(ref) == 1 else None
        return [r for r in value if isinstance(r, Mapping)] if isinstance(value, list) else None

    def row_scope(_group: Reference, inner: Row) -> Scope:
        return _row_scope(inner, known)

    return Scope(resolve, rows, row_scope, known.today, postal_code=known.postal_code)
