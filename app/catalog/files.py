"""The structure of the catalogue's data files (resources/catalog), declared once with pydantic.

`CatalogFile` is catalog.yaml and `ServiceFile` one services/NN-slug.yaml (docs/data-formats.md §4). Each key
is declared here with its kind; app.datamodels.validate tells the first fault as a CatalogError naming the
file, the entry (a service's requirement, fact or eligibility rule by its id) and the field. What needs more
than one entry or another file (ids of catalog.yaml's tables, the form schemas, ids used twice) is checked
by app.catalog.loader, which builds the app's objects (app.catalog.model) from these.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationInfo,
    field_validator,
    model_validator,
)

from app.catalog.model import COPY_KINDS
from app.datamodels import DATA_FILE
from app.forms.expr import Expression, ExpressionError, parse

T = TypeVar("T")
_CODE = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _ident(value: object) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise ValueError(f"id {value!r} must be snake_case")
    return value


def _text(value: object) -> str:
    """A label or title: text (a number is read as its digits), not empty."""
    if not isinstance(value, str | int | float) or isinstance(value, bool) or not str(value).strip():
        raise ValueError("needs a non-empty text")
    return str(value).strip()


def _optional_text(value: object) -> str:
    """A note or description that may be left out: text or a number, kept as written."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError(f"must be text, not {value!r}")
    return str(value)


def _stripped_text(value: object) -> str:
    return _optional_text(value).strip()


def _condition(value: object) -> Expression:
    try:
        return parse(value)
    except ExpressionError as exc:
        raise ValueError(f"bad condition: {exc}") from None


def _mandatory(value: object) -> bool | Expression:
    return value if isinstance(value, bool) else _condition(value)


def _copy(value: object) -> str:
    if not isinstance(value, str) or value not in COPY_KINDS:
        raise ValueError(f"must be one of {sorted(COPY_KINDS)}, not {value!r}")
    return value


def _mapping(value: object) -> object:
    """An optional mapping, given: `referral:` with nothing after it is an error, as a list would be."""
    if value is None:
        raise ValueError("must be a mapping (key: value)")
    return value


def _none_as_list(value: object) -> object:
    return [] if value is None else value


def _whole(low: int, high: int | None, what: str) -> PlainValidator:
    """A whole number from `low` to `high`; `what` words the problem ("must be {what}, not 1.5")."""

    def check(value: object) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
            raise ValueError(f"must be {what}, not {value!r}")
        return value

    return PlainValidator(check)


def _needed(problem: str) -> BeforeValidator:
    """A list that must have an item; `problem` is told when it is left out or empty."""

    def check(value: object) -> object:
        if value is None or value == []:
            raise ValueError(problem)
        return value

    return BeforeValidator(check)


Ident = Annotated[str, PlainValidator(_ident)]
Text = Annotated[str, PlainValidator(_text)]
OptionalText = Annotated[str, PlainValidator(_optional_text)]
Condition = Annotated[Expression, PlainValidator(_condition)]
OptionalCondition = Annotated[Expression | None, PlainValidator(_condition)]
"""A condition that may be left out (None); written as `when:` with nothing after it, it is an error."""
Listed = Annotated[tuple[T, ...], BeforeValidator(_none_as_list)]
"""A list in the file; left out or empty (`key:`) is no items."""


def _required() -> Any:
    """The default of a text or condition the file must give: left out, it is told as empty ("needs a
    non-empty text", "bad condition: ... not None"), like an empty one."""
    return Field(None, validate_default=True)


class _Entry(BaseModel, frozen=True):
    """A mapping of the file; a key it does not declare is refused with every unknown key named.

    The validators are built when the first file is read, once for each whole file (`defer_build`), not
    once for each class when the module is imported: the catalogue loads at every start."""

    model_config = ConfigDict(**DATA_FILE, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: object) -> object:
        if isinstance(data, dict):
            keys = _keys(cls)
            unknown = [str(key) for key in data if key not in keys]
            if unknown:
                raise ValueError(f"unknown keys {sorted(unknown)}")
        return data


@functools.cache
def _keys(model: type[BaseModel]) -> frozenset[str]:
    """The keys a file's mapping may have: the fields' names as the file spells them."""
    return frozenset(info.alias or name for name, info in model.model_fields.items())


# -- catalog.yaml --------------------------------------------------------------------------------------


class OutputRow(_Entry, frozen=True):
    """One of the Dinas' outputs."""

    id: Ident
    kind: Literal["kartu", "surat", "akta"]
    title: Text = _required()


class TitledRow(_Entry, frozen=True):
    """A legal basis or a group of services."""

    id: Ident
    title: Text = _required()


class DocumentRow(_Entry, frozen=True):
    """A kind of document; `form` when it is an official form filled in the app (a form id)."""

    id: Ident
    title: Text = _required()
    form: OptionalText | None = None
    description: OptionalText = ""


class OfficeRow(_Entry, frozen=True):
    """An institution a referral sends the citizen to."""

    id: Ident
    title: Text = _required()
    description: OptionalText = ""


_TABLE_NEEDED = _needed("needs at least one entry")


class CatalogFile(_Entry, frozen=True):
    """catalog.yaml: what the services share. Offices may be left out (a catalogue that refers nowhere)."""

    version: Text = _required()
    source: OptionalText = ""
    outputs: Annotated[tuple[OutputRow, ...], _TABLE_NEEDED] = _required()
    legal_basis: Annotated[tuple[TitledRow, ...], _TABLE_NEEDED] = _required()
    documents: Annotated[tuple[DocumentRow, ...], _TABLE_NEEDED] = _required()
    groups: Annotated[tuple[TitledRow, ...], _TABLE_NEEDED] = _required()
    offices: Annotated[tuple[OfficeRow, ...] | None, _TABLE_NEEDED] = None


# -- services/NN-slug.yaml -----------------------------------------------------------------------------


def _form_use(value: object) -> object:
    return {"form": value} if isinstance(value, str) else value


class FormEntry(_Entry, frozen=True):
    """A form the service needs: `F-2.01`, or `{form: F-1.01, when: condition}`."""

    form: OptionalText | None = None
    when: OptionalCondition = None


class Option(_Entry, frozen=True):
    """One answer of a choice fact."""

    value: object = None
    label: Text = _required()


class FactEntry(_Entry, frozen=True):
    """A question about the case that no form asks: boolean, choice (with options) or date."""

    id: Ident
    label: Text = _required()
    type: Literal["boolean", "choice", "date"] = "boolean"
    options: Listed[Option] = Field((), validate_default=True)

    @field_validator("options")
    @classmethod
    def _options_fit_the_type(cls, options: tuple[Option, ...], info: ValidationInfo) -> tuple[Option, ...]:
        kind = info.data.get("type")
        if kind == "choice" and not options:
            raise ValueError("a choice fact needs options")
        if kind is not None and kind != "choice" and options:
            raise ValueError(f"a {kind} fact has no options")
        return options


class ReferralEntry(_Entry, frozen=True):
    """`referral: {to: office, reason, legal_basis: [ids], articles, next_step}` of an eligibility rule."""

    to: str
    reason: Text = _required()
    legal_basis: Annotated[tuple[str, ...], _needed("a referral names the law that sends the case elsewhere")] = (
        _required()
    )
    articles: Text = _required()
    next_step: Annotated[str, PlainValidator(_stripped_text)] = ""


class EligibilityEntry(_Entry, frozen=True):
    """A condition on the applicant that must hold; with a referral, a case failing it belongs elsewhere."""

    id: Ident
    label: Text = _required()
    check: Condition = _required()
    message: Text = _required()
    referral: Annotated[ReferralEntry | None, BeforeValidator(_mapping)] = None
    note: object = None  # for the data's editors; not shown


class SubstituteEntry(_Entry, frozen=True):
    """Documents accepted instead of a requirement (ids of catalog.yaml's documents)."""

    id: Ident
    label: Text = _required()
    documents: Annotated[tuple[str, ...], _needed("a substitute needs at least one document")] = _required()
    when: OptionalCondition = None


class WaiverEntry(_Entry, frozen=True):
    """`unless: [{when: condition, reason: text}]`: a case in which the requirement does not apply."""

    when: Condition = _required()
    reason: Text = _required()


class RequirementEntry(_Entry, frozen=True):
    """One document a service asks for (an id of catalog.yaml's documents)."""

    id: Ident
    document: str
    copy_: Annotated[str, PlainValidator(_copy)] = Field("fotokopi", alias="copy")
    mandatory: Annotated[bool | Expression, PlainValidator(_mandatory)] = True
    substitutes: Listed[SubstituteEntry] = ()
    label: OptionalText = ""
    note: OptionalText = ""
    unless: Listed[WaiverEntry] = ()

    @field_validator("unless")
    @classmethod
    def _something_to_waive(cls, unless: tuple[WaiverEntry, ...], info: ValidationInfo) -> tuple[WaiverEntry, ...]:
        if unless and info.data.get("mandatory") is False:
            raise ValueError("a requirement that is never mandatory has nothing to waive")
        return unless


class ServiceFile(_Entry, frozen=True):
    """services/NN-slug.yaml: one layanan of the Standar Pelayanan."""

    number: Annotated[int, _whole(1, None, "a positive whole number")] = _required()
    code: str
    title: Text = _required()
    group: str
    keywords: Listed[OptionalText] = ()
    forms: Annotated[
        tuple[Annotated[FormEntry, BeforeValidator(_form_use)], ...], _needed("a service needs at least one form")
    ] = _required()
    outputs: Listed[str] = ()
    sla_days: Annotated[int, _whole(1, 30, "a number of working days (1-30)")] = _required()
    fee: Annotated[int, _whole(0, None, "a whole number of rupiah")] = 0
    legal_basis: Listed[str] = ()
    facts: Listed[FactEntry] = ()
    eligibility: Listed[EligibilityEntry] = ()
    requirements: Listed[RequirementEntry] = ()
    steps: Annotated[tuple[Text, ...], _needed("the procedure steps shown to the officer are missing")] = _required()
    sources: Listed[OptionalText] = ()
    notes: object = None  # for the data's editors; not shown
    prefill: dict[str, object] | None = None

    @field_validator("code", mode="plain")
    @classmethod
    def _code(cls, value: object) -> str:
        if not isinstance(value, str) or not _CODE.match(value):
            raise ValueError(f"code {value!r} must be UPPER-KEBAB-CASE")
        return value
