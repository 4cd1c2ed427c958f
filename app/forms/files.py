"""The structure of the form-schema files (resources/forms), declared once with pydantic.

`FormFile` is one FORM@VERSION.yaml and `CodeListsFile` codelists.yaml (docs/data-formats.md). Each key is
declared here with its kind; app.datamodels.validate tells the first fault as a SchemaError naming the file,
the entry (a section, field or rule by its id, a code list by its name) and the key, e.g.
`F-1.01@PMDN109-2019.yaml: sections.anggota.fields.nik.required: bad expression: ...`. What needs more than
one entry or another file (ids used twice, code lists, what expressions name, carry links) is checked by
app.forms.schema and app.forms.codelists, which build the app's objects (FormSchema, CodeLists) from these.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import StrictBool, ValidationInfo, field_validator, model_validator

from app.datamodels import DataEntry, Listed, OptionalMapping, Read, TextRead, given, ident, needed, read_text
from app.forms.carry import Link, parse_links
from app.forms.expr import Expression, ExpressionError, Reference, parse

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
CHOICE_TYPES = frozenset({"choice", "multichoice"})


def expression(what: str) -> Callable[[object], Expression]:
    """A reader (for app.datamodels.Read) of an expression a data file gives; a fault is told as
    "bad {what}: ..." (here "bad expression: ...", the catalogue's "bad condition: ...")."""

    def read(value: object) -> Expression:
        try:
            return parse(value)
        except ExpressionError as exc:
            raise ValueError(f"bad {what}: {exc}") from None

    return read


def flag_or(read: Callable[[object], Expression]) -> Callable[[object], bool | Expression]:
    """A reader of `true`/`false` or an expression read by `read`: a field's `required`, a requirement's
    `mandatory` (a condition under which it is)."""

    def flag_or_read(value: object) -> bool | Expression:
        return value if isinstance(value, bool) else read(value)

    return flag_or_read


_expression = expression("expression")


def _field_type(value: object) -> str:
    if not isinstance(value, str) or value not in FIELD_TYPES:
        raise ValueError(f"unknown type {value!r}; known: {', '.join(sorted(FIELD_TYPES))}")
    return value


def _pattern(value: object) -> re.Pattern[str]:
    if not isinstance(value, str):
        raise ValueError(f"must be text (a regular expression), not {value!r}")
    try:
        return re.compile(value)
    except re.error as exc:
        raise ValueError(f"bad regular expression: {exc}") from None


def _reference(value: object) -> Reference:
    """`field` of the same section or `section.field`."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"must name a field (field or section.field), not {value!r}")
    return tuple(value.split("."))


def _whole(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"must be a whole number (0 or more), not {value!r}")
    return value


def _number(value: object) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError(f"must be a number, not {value!r}")
    return float(value)


def _column(value: object) -> int | str:
    """The printout's column of a field: a number or a letter/label as the paper form prints it."""
    if not isinstance(value, int | str) or isinstance(value, bool):
        raise ValueError(f"must be a number or text, not {value!r}")
    return value


def _code(value: object) -> int | str:
    if not isinstance(value, int | str) or isinstance(value, bool):
        raise ValueError(f"code must be a number or text, not {value!r}")
    return value


def _message(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("needs a 'message' in Bahasa Indonesia")
    return value.strip()


Text = Annotated[str, TextRead(read_text)]
Condition = Annotated[Expression, Read(_expression)]
OptionalCondition = Annotated[Expression | None, Read(_expression)]
"""A condition that may be left out (None); written as `visible:` with nothing after it, it is an error."""
FieldReference = Annotated[Reference | None, Read(_reference)]
Whole = Annotated[int | None, Read(_whole)]
Number = Annotated[float | None, Read(_number)]


# -- FORM@VERSION.yaml ---------------------------------------------------------------------------------


class FieldEntry(DataEntry, frozen=True):
    """One field of a section (app.forms.schema.FieldSpec); `codes` names a code list of codelists.yaml."""

    id: Annotated[str, ident("field")]
    label: Text | None = None  # left out: the id
    type: Annotated[str, Read(_field_type)]
    codes: Text | None = None
    required: Annotated[bool | Expression, Read(flag_or(_expression))] = False
    visible: OptionalCondition = None
    max_length: Whole = None
    min_length: Whole = None
    pattern: Annotated[re.Pattern[str] | None, Read(_pattern)] = None
    pattern_hint: Text = ""
    min: Number = None
    max: Number = None
    not_future: StrictBool = True
    allow_pending: StrictBool = False
    sex_field: FieldReference = None
    birth_date_field: FieldReference = None
    region_level: Literal["provinsi", "kabupaten", "kecamatan", "desa"] | None = None
    staff_only: StrictBool = False
    col: Annotated[int | str | None, Read(_column)] = None
    help: Text = ""
    app_only: StrictBool = False
    unit: Text = ""
    legacy_name: StrictBool = False
    carry: Annotated[tuple[Link, ...], Read(parse_links)] = ()  # LinkError is a ValueError

    @field_validator("codes")
    @classmethod
    def _codes_of_a_choice(cls, codes: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("type")
        if kind is not None and kind not in CHOICE_TYPES:
            raise ValueError(f"'codes' only applies to choice fields, not {kind}")
        return codes

    @model_validator(mode="after")
    def _choice_has_codes(self) -> FieldEntry:
        if self.type in CHOICE_TYPES and self.codes is None:
            raise ValueError(f"a {self.type} field needs 'codes' (the id of a list in codelists.yaml)")
        return self


class RuleEntry(DataEntry, frozen=True):
    """A rule (app.forms.schema.RuleSpec): when `when` holds, `check` must hold, else a finding at `path`."""

    id: Annotated[str, ident("rule")]
    when: OptionalCondition = None
    check: Condition
    path: Text = ""
    severity: Literal["error", "warning"] = "error"
    message: Annotated[str, Read(_message)] = given()


class RepeatEntry(DataEntry, frozen=True):
    """`repeat: {min, max}` of a section whose answers are a list of rows (max left out: no limit)."""

    min: Annotated[int, Read(_whole)] = 0
    max: Whole = None


class SectionEntry(DataEntry, frozen=True):
    """A section (app.forms.schema.SectionSpec); with `repeat` its fields are the columns of member rows."""

    id: Annotated[str, ident("section")]
    title: Text | None = None  # left out: the id
    fields: Annotated[tuple[FieldEntry, ...], needed("needs a non-empty 'fields' list")] = given()
    repeat: OptionalMapping[RepeatEntry] = None
    rules: Listed[RuleEntry] = ()
    visible: OptionalCondition = None
    help: Text = ""
    col: object = None  # for the data's editors (the paper form's column); not used

    @field_validator("rules")
    @classmethod
    def _rules_of_rows(cls, rules: tuple[RuleEntry, ...], info: ValidationInfo) -> tuple[RuleEntry, ...]:
        if rules and info.data.get("repeat") is None:
            raise ValueError("per-row rules belong to repeating sections; use form-level rules")
        return rules


class FormFile(DataEntry, frozen=True):
    """FORM@VERSION.yaml: one version of one official form."""

    form: Text
    version: Text
    alias: Text
    title: Text
    regulation: Text = ""
    sections: Annotated[tuple[SectionEntry, ...], needed("needs a non-empty list of sections")]
    rules: Listed[RuleEntry] = ()
    notes: object = None  # for the data's editors; not shown
    source: object = None  # for the data's editors; not shown


# -- codelists.yaml ------------------------------------------------------------------------------------


class CodeEntry(DataEntry, frozen=True):
    """One code of a list: the SIAK code, its label, and other spellings read on imports."""

    code: Annotated[int | str, Read(_code)]
    label: Text
    aliases: Listed[Text] = ()


class CodeListEntry(DataEntry, frozen=True):
    """One code list (app.forms.codelists.CodeList); its id is the key it is listed under."""

    title: Text | None = None  # left out: the id
    source: Text = ""
    codes: Annotated[tuple[CodeEntry, ...], needed("a code list needs a non-empty 'codes' list")] = given()


class CodeListsFile(DataEntry, frozen=True):
    """codelists.yaml: every code list of one version."""

    version: Text = ""
    lists: dict[str, CodeListEntry]
