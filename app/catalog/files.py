"""The structure of the catalogue's data files (resources/catalog), declared once with pydantic.

`CatalogFile` is catalog.yaml and `ServiceFile` one services/NN-slug.yaml (docs/data-formats.md §4). Each key
is declared here with its kind; app.datamodels.validate tells the first fault as a CatalogError naming the
file, the entry (a service's requirement, fact or eligibility rule by its id) and the field. What needs more
than one entry or another file (ids of catalog.yaml's tables, the form schemas, ids used twice) is checked
by app.catalog.loader, which builds the app's objects (app.catalog.model) from these.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from app.catalog.model import COPY_KINDS
from app.datamodels import DataEntry, Listed, OptionalMapping, Read, TextRead, given, ident, needed, read_text
from app.forms.expr import Expression
from app.forms.files import expression, flag_or

_CODE = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")


def _text(value: object) -> str:
    """A label or title: text (a number is read as its digits), not empty."""
    if not isinstance(value, str | int | float) or isinstance(value, bool) or not str(value).strip():
        raise ValueError("needs a non-empty text")
    return str(value).strip()


def _stripped_text(value: object) -> str:
    return read_text(value).strip()


_condition = expression("condition")


def _copy(value: object) -> str:
    if not isinstance(value, str) or value not in COPY_KINDS:
        raise ValueError(f"must be one of {sorted(COPY_KINDS)}, not {value!r}")
    return value


def _whole(low: int, high: int | None, what: str) -> Read:
    """A whole number from `low` to `high`; `what` words the problem ("must be {what}, not 1.5")."""

    def check(value: object) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
            raise ValueError(f"must be {what}, not {value!r}")
        return value

    return Read(check)


Ident = Annotated[str, ident()]
Text = Annotated[str, Read(_text)]
"""A label or title the file must give (with `= given()`: left out, it is told as empty, "needs a non-empty
text", like an empty one)."""
OptionalText = Annotated[str, TextRead(read_text)]
# Read, not PlainValidator, for the conditions: no schema of Expression is built (app.datamodels.Read).
Condition = Annotated[Expression, Read(_condition)]
"""A condition; with `= given()`, left out it is told as "bad condition: ... not None"."""
OptionalCondition = Annotated[Expression | None, Read(_condition)]
"""A condition that may be left out (None); written as `when:` with nothing after it, it is an error."""


# -- catalog.yaml --------------------------------------------------------------------------------------


class OutputRow(DataEntry, frozen=True):
    """One of the Dinas' outputs."""

    id: Ident
    kind: Literal["kartu", "surat", "akta"]
    title: Text = given()


class TitledRow(DataEntry, frozen=True):
    """A legal basis or a group of services."""

    id: Ident
    title: Text = given()


class DocumentRow(DataEntry, frozen=True):
    """A kind of document; `form` when it is an official form filled in the app (a form id)."""

    id: Ident
    title: Text = given()
    form: OptionalText | None = None
    description: OptionalText = ""


class OfficeRow(DataEntry, frozen=True):
    """An institution a referral sends the citizen to."""

    id: Ident
    title: Text = given()
    description: OptionalText = ""


_TABLE_NEEDED = needed("needs at least one entry")


class CatalogFile(DataEntry, frozen=True):
    """catalog.yaml: what the services share. Offices may be left out (a catalogue that refers nowhere)."""

    version: Text = given()
    source: OptionalText = ""
    outputs: Annotated[tuple[OutputRow, ...], _TABLE_NEEDED] = given()
    legal_basis: Annotated[tuple[TitledRow, ...], _TABLE_NEEDED] = given()
    documents: Annotated[tuple[DocumentRow, ...], _TABLE_NEEDED] = given()
    groups: Annotated[tuple[TitledRow, ...], _TABLE_NEEDED] = given()
    offices: Annotated[tuple[OfficeRow, ...] | None, _TABLE_NEEDED] = None


# -- services/NN-slug.yaml -----------------------------------------------------------------------------


def _form_use(value: object) -> object:
    return {"form": value} if isinstance(value, str) else value


class FormEntry(DataEntry, frozen=True):
    """A form the service needs: `F-2.01`, or `{form: F-1.01, when: condition}`."""

    form: OptionalText | None = None
    when: OptionalCondition = None


class Option(DataEntry, frozen=True):
    """One answer of a choice fact."""

    value: object = None
    label: Text = given()


class FactEntry(DataEntry, frozen=True):
    """A question about the case that no form asks: boolean, choice (with options) or date."""

    id: Ident
    label: Text = given()
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


class ReferralEntry(DataEntry, frozen=True):
    """`referral: {to: office, reason, legal_basis: [ids], articles, next_step}` of an eligibility rule."""

    to: str
    reason: Text = given()
    legal_basis: Annotated[tuple[str, ...], needed("a referral names the law that sends the case elsewhere")] = given()
    articles: Text = given()
    next_step: Annotated[str, Read(_stripped_text)] = ""


class EligibilityEntry(DataEntry, frozen=True):
    """A condition on the applicant that must hold; with a referral, a case failing it belongs elsewhere."""

    id: Ident
    label: Text = given()
    check: Condition = given()
    message: Text = given()
    referral: OptionalMapping[ReferralEntry] = None
    note: object = None  # for the data's editors; not shown


class SubstituteEntry(DataEntry, frozen=True):
    """Documents accepted instead of a requirement (ids of catalog.yaml's documents)."""

    id: Ident
    label: Text = given()
    documents: Annotated[tuple[str, ...], needed("a substitute needs at least one document")] = given()
    when: OptionalCondition = None


class WaiverEntry(DataEntry, frozen=True):
    """`unless: [{when: condition, reason: text}]`: a case in which the requirement does not apply."""

    when: Condition = given()
    reason: Text = given()


class RequirementEntry(DataEntry, frozen=True):
    """One document a service asks for (an id of catalog.yaml's documents)."""

    id: Ident
    document: str
    copy_: Annotated[str, Read(_copy)] = Field("fotokopi", alias="copy")
    mandatory: Annotated[bool | Expression, Read(flag_or(_condition))] = True
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


class ServiceFile(DataEntry, frozen=True):
    """services/NN-slug.yaml: one layanan of the Standar Pelayanan."""

    number: Annotated[int, _whole(1, None, "a positive whole number")] = given()
    code: str
    title: Text = given()
    group: str
    keywords: Listed[OptionalText] = ()
    forms: Annotated[
        tuple[Annotated[FormEntry, BeforeValidator(_form_use)], ...], needed("a service needs at least one form")
    ] = given()
    outputs: Listed[str] = ()
    sla_days: Annotated[int, _whole(1, 30, "a number of working days (1-30)")] = given()
    fee: Annotated[int, _whole(0, None, "a whole number of rupiah")] = 0
    legal_basis: Listed[str] = ()
    facts: Listed[FactEntry] = ()
    eligibility: Listed[EligibilityEntry] = ()
    requirements: Listed[RequirementEntry] = ()
    steps: Annotated[tuple[Text, ...], needed("the procedure steps shown to the officer are missing")] = given()
    sources: Listed[OptionalText] = ()
    notes: object = None  # for the data's editors; not shown
    prefill: dict[str, object] | None = None

    @field_validator("code", mode="plain")
    @classmethod
    def _code(cls, value: object) -> str:
        if not isinstance(value, str) or not _CODE.match(value):
            raise ValueError(f"code {value!r} must be UPPER-KEBAB-CASE")
        return value
