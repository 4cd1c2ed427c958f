"""The applicant a package's header names (name, NIK, KK) against each form's `pemohon` section.

The header is what the Dinas lists and searches by; the forms are what it prints and signs. The outpost
fills a form's applicant fields from the applicant page (carry-over), but an officer may correct them in
the form only. One rule for both sides: the outpost's review lists a difference as an error before
Submit, and the Dinas' intake (`sync/server/validation.py`) refuses the revision as `invalid`
(`applicant_mismatch`) with the same comparison. Names are compared case- and space-insensitively,
numbers without separators (`app.identity.normalize_identifier`). Only a contradiction counts: a value
given on one side and left empty on the other is not one (the outpost fills a header gap from the
forms when it builds the package, `header_from_forms`). Pure: no Qt, no storage.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Literal, Protocol

from app.findings import Finding
from app.forms import default_registry
from app.forms.registry import FormRegistry
from app.forms.schema import FormSchema
from app.identity import normalize_identifier
from app.submission import SubmissionCheck

SECTION = "pemohon"
CODE = "applicant_mismatch"
# The Dinas keeps at most this many characters of a name as its search key (sync/server/search.py).
NAME_KEY_LENGTH = 100
_SPACES = re.compile(r"\s+")


class ApplicantLike(Protocol):
    """The header's applicant: the wire `Applicant` or an `ApplicantHeader`."""

    @property
    def name(self) -> str:
        """Full name as typed on the applicant page."""
        ...

    @property
    def nik(self) -> str:
        """NIK, or "" when the applicant has none."""
        ...

    @property
    def kk(self) -> str:
        """KK number, or ""."""
        ...


@dataclass(frozen=True)
class ApplicantHeader:
    """The applicant as the applicant page holds them (what the package's header will carry)."""

    name: str
    nik: str
    kk: str


@dataclass(frozen=True)
class ApplicantField:
    """One applicant field of a form's `pemohon` section and the header attribute it must equal."""

    field_id: str
    attribute: Literal["name", "nik", "kk"]
    label: str  # as the Dinas' reason names it
    title: str  # as the outpost's review names it, at the start of a sentence

    @property
    def path(self) -> str:
        """The field's path in the form's answers: `pemohon.nama`."""
        return f"{SECTION}.{self.field_id}"


APPLICANT_FIELDS = (
    ApplicantField("nama", "name", "nama", "Nama"),
    ApplicantField("nik", "nik", "NIK", "NIK"),
    ApplicantField("no_kk", "kk", "nomor KK", "Nomor KK"),
)


def name_key(name: str) -> str:
    """A name as the Dinas searches and compares it: upper case, single spaces, trimmed."""
    return _SPACES.sub(" ", name).strip().upper()[:NAME_KEY_LENGTH]


def _folded(field: ApplicantField, value: object) -> str:
    if field.attribute == "name":
        return name_key(value if isinstance(value, str) else "")
    return normalize_identifier(value) if value not in (None, "") else ""


def same_value(field: ApplicantField, header: str, shown: object) -> bool:
    """Whether the header's value and the form's answer do not contradict each other (either may be empty)."""
    given, answered = _folded(field, header), _folded(field, shown)
    return not given or not answered or given == answered


def header_from_forms(
    applicant: ApplicantHeader, forms: Mapping[str, Mapping[str, object]], registry: FormRegistry | None = None
) -> ApplicantHeader:
    """The applicant with each empty header value taken from the first form whose `pemohon` section has it."""
    registry = registry or default_registry()
    values = {"name": applicant.name, "nik": applicant.nik, "kk": applicant.kk}
    for form_key, answers in forms.items():
        try:
            schema = registry.get(form_key)
        except KeyError:
            continue
        section = schema.section(SECTION)
        given = answers.get(SECTION)
        if section is None or section.repeating or not isinstance(given, Mapping):
            continue
        for field in APPLICANT_FIELDS:
            value = given.get(field.field_id)
            if not values[field.attribute].strip() and isinstance(value, str) and value.strip():
                values[field.attribute] = value.strip() if field.attribute == "name" else normalize_identifier(value)
    return ApplicantHeader(values["name"], values["nik"], values["kk"])


def mismatched_fields(
    applicant: ApplicantLike, schema: FormSchema, answers: Mapping[str, object], visible: Set[str]
) -> list[ApplicantField]:
    """The applicant fields of the form that do not name the header's applicant (a hidden field counts as empty).

    A form without a single (non-repeating) `pemohon` section has none.
    """
    section = schema.section(SECTION)
    if section is None or section.repeating:
        return []
    given = answers.get(SECTION)
    values: Mapping[str, object] = given if isinstance(given, Mapping) else {}
    found = []
    for field in APPLICANT_FIELDS:
        if section.field(field.field_id) is None:
            continue
        shown = values.get(field.field_id) if field.path in visible else None
        if not same_value(field, str(getattr(applicant, field.attribute)), shown):
            found.append(field)
    return found


def review_findings(
    form: str, applicant: ApplicantLike, schema: FormSchema, answers: Mapping[str, object], visible: Set[str]
) -> list[Finding]:
    """The outpost's errors for one form, each at the form's field (the review jumps there)."""
    return [
        Finding(
            field.path,
            CODE,
            "error",
            f"{field.title} pemohon di formulir {form} berbeda dengan halaman Pemohon. Samakan keduanya: "
            "Dinas menolak permohonan yang data pemohonnya berbeda.",
        )
        for field in mismatched_fields(applicant, schema, answers, visible)
    ]


def check_forms(
    check: SubmissionCheck,
    answers: Mapping[str, Mapping[str, object]],
    applicant: ApplicantLike,
    registry: FormRegistry | None = None,
) -> None:
    """Add to each form `check_submission` checked the errors where its applicant is not the applicant page's."""
    registry = registry or default_registry()
    for form, evaluation in check.forms.items():
        schema = registry.get(form)  # the version check_submission evaluated
        evaluation.findings.extend(review_findings(form, applicant, schema, answers.get(form, {}), evaluation.visible))
