"""The structure of the form-schema files (resources/forms), declared once with pydantic.

`FormFile` is one FORM@VERSION.yaml and `CodeListsFile` codelists.yaml (docs/data-formats.md). Each key is
declared here with its kind; app.datamodels.validate tells the first fault as a SchemaError naming the file,
the entry (a section, field or rule by its id, a code list by its name) and the key, e.g.
`F-1.01@PMDN109-2019.yaml: sections.anggota.fields.nik.required: bad expression: ...`. What needs more than
one entry or another file (ids used twice, code lists, what expressions name, carry links) is checked by
app.forms.schema and app.forms.codelists, which build the app's objects (FormSchema, CodeLists) from these.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    StrictBool,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import CoreSchema, core_schema

from app.datamodels import DATA_FILE
from app.forms.carry import Link, parse_links
from app.forms.expr import Expression, ExpressionError, Reference, parse

T = TypeVar("T")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")

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


@dataclass(frozen=True)
class _Read:
    """`Annotated[T, _Read(fn)]`: the file's value is read by `fn` alone, which returns a T or raises
    ValueError saying what is wrong. Unlike pydantic's PlainValidator it does not also build T's own schema
    (for serialising, never used here), which for the parsed types (Expression, Link: dataclasses holding
    syntax trees) was most of the time the models took to build at the first load."""

    read: Callable[[Any], Any]

    def __get_pydantic_core_schema__(self, source: object, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(self.read)


class _TextRead(_Read):
    """A text key: text as written is taken by pydantic's core, anything else goes to `read` (a number is
    read as its digits); the one problem told is "must be text, not ..." (app.datamodels' string_type)."""

    def __get_pydantic_core_schema__(self, source: object, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.union_schema(
            [core_schema.str_schema(strict=True), core_schema.no_info_plain_validator_function(self.read)],
            mode="left_to_right",
            custom_error_type="string_type",
        )


def _ident(what: str) -> _Read:
    """A snake_case id; `what` names it in the problem ("field id 'Nama' must be snake_case")."""

    def check(value: object) -> str:
        if not isinstance(value, str) or not _ID.match(value):
            raise ValueError(f"{what} id {value!r} must be snake_case")
        return value

    return _Read(check)


def _text(value: object) -> str:
    """A title, label or note: text (a number is read as its digits), kept as written."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError(f"must be text, not {value!r}")
    return str(value)


def _expression(value: object) -> Expression:
    try:
        return parse(value)
    except ExpressionError as exc:
        raise ValueError(f"bad expression: {exc}") from None


def _required_value(value: object) -> bool | Expression:
    """`required: true/false`, or a condition under which the field is required."""
    return value if isinstance(value, bool) else _expression(value)


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


def _mapping(value: object) -> object:
    """An optional mapping, given: `repeat:` with nothing after it is an error, as a list would be."""
    if value is None:
        raise ValueError("must be a mapping (key: value)")
    return value


def _none_as_list(value: object) -> object:
    return [] if value is None else value


def _needed(problem: str) -> BeforeValidator:
    """A list that must have an item; `problem` is told when it is empty or `key:` has nothing after it."""

    def check(value: object) -> object:
        if value is None or value == []:
            raise ValueError(problem)
        return value

    return BeforeValidator(check)


Text = Annotated[str, _TextRead(_text)]
Condition = Annotated[Expression, _Read(_expression)]
OptionalCondition = Annotated[Expression | None, _Read(_expression)]
"""A condition that may be left out (None); written as `visible:` with nothing after it, it is an error."""
FieldReference = Annotated[Reference | None, _Read(_reference)]
Whole = Annotated[int | None, _Read(_whole)]
Number = Annotated[float | None, _Read(_number)]
Listed = Annotated[tuple[T, ...], BeforeValidator(_none_as_list)]
"""A list in the file; left out or empty (`key:`) is no items."""


def _given() -> Any:
    """The default of a key the file must give, validated when left out so that its own problem is told
    (e.g. "needs a 'message' in Bahasa Indonesia") rather than a bare "needs 'message'"."""
    return Field(None, validate_default=True)


class _Entry(BaseModel, frozen=True):
    """A mapping of the file; a key it does not declare is refused with every unknown key named.

    The validators are built when the first file is read, once for each whole file (`defer_build`), not
    once for each class when the module is imported: the forms load at every start."""

    model_config = ConfigDict(**DATA_FILE, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: object) -> object:
        if isinstance(data, dict) and not _keys(cls).issuperset(data):
            unknown = sorted(str(key) for key in data if key not in _keys(cls))
            raise ValueError(f"unknown keys {unknown}")
        return data


@functools.cache
def _keys(model: type[BaseModel]) -> frozenset[str]:
    """The keys a file's mapping may have: the fields' names as the file spells them."""
    return frozenset(info.alias or name for name, info in model.model_fields.items())


# -- FORM@VERSION.yaml ---------------------------------------------------------------------------------


class FieldEntry(_Entry, frozen=True):
    """One field of a section (app.forms.schema.FieldSpec); `codes` names a code list of codelists.yaml."""

    id: Annotated[str, _ident("field")]
    label: Text | None = None  # left out: the id
    type: Annotated[str, _Read(_field_type)]
    codes: Text | None = None
    required: Annotated[bool | Expression, _Read(_required_value)] = False
    visible: OptionalCondition = None
    max_length: Whole = None
    min_length: Whole = None
    pattern: Annotated[re.Pattern[str] | None, _Read(_pattern)] = None
    pattern_hint: Text = ""
    min: Number = None
    max: Number = None
    not_future: StrictBool = True
    allow_pending: StrictBool = False
    sex_field: FieldReference = None
    birth_date_field: FieldReference = None
    region_level: Literal["provinsi", "kabupaten", "kecamatan", "desa"] | None = None
    staff_only: StrictBool = False
    col: Annotated[int | str | None, _Read(_column)] = None
    help: Text = ""
    app_only: StrictBool = False
    unit: Text = ""
    legacy_name: StrictBool = False
    carry: Annotated[tuple[Link, ...], _Read(parse_links)] = ()  # LinkError is a ValueError

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


class RuleEntry(_Entry, frozen=True):
    """A rule (app.forms.schema.RuleSpec): when `when` holds, `check` must hold, else a finding at `path`."""

    id: Annotated[str, _ident("rule")]
    when: OptionalCondition = None
    check: Condition
    path: Text = ""
    severity: Literal["error", "warning"] = "error"
    message: Annotated[str, _Read(_message)] = _given()


class RepeatEntry(_Entry, frozen=True):
    """`repeat: {min, max}` of a section whose answers are a list of rows (max left out: no limit)."""

    min: Annotated[int, _Read(_whole)] = 0
    max: Whole = None


class SectionEntry(_Entry, frozen=True):
    """A section (app.forms.schema.SectionSpec); with `repeat` its fields are the columns of member rows."""

    id: Annotated[str, _ident("section")]
    title: Text | None = None  # left out: the id
    fields: Annotated[tuple[FieldEntry, ...], _needed("needs a non-empty 'fields' list")] = _given()
    repeat: Annotated[RepeatEntry | None, BeforeValidator(_mapping)] = None
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


class FormFile(_Entry, frozen=True):
    """FORM@VERSION.yaml: one version of one official form."""

    form: Text
    version: Text
    alias: Text
    title: Text
    regulation: Text = ""
    sections: Annotated[tuple[SectionEntry, ...], _needed("needs a non-empty list of sections")]
    rules: Listed[RuleEntry] = ()
    notes: object = None  # for the data's editors; not shown
    source: object = None  # for the data's editors; not shown


# -- codelists.yaml ------------------------------------------------------------------------------------


class CodeEntry(_Entry, frozen=True):
    """One code of a list: the SIAK code, its label, and other spellings read on imports."""

    code: Annotated[int | str, _Read(_code)]
    label: Text
    aliases: Listed[Text] = ()


class CodeListEntry(_Entry, frozen=True):
    """One code list (app.forms.codelists.CodeList); its id is the key it is listed under."""

    title: Text | None = None  # left out: the id
    source: Text = ""
    codes: Annotated[tuple[CodeEntry, ...], _needed("a code list needs a non-empty 'codes' list")] = _given()


class CodeListsFile(_Entry, frozen=True):
    """codelists.yaml: every code list of one version."""

    version: Text = ""
    lists: dict[str, CodeListEntry]
