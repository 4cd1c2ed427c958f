"""The service catalogue's objects: services, their requirements, substitutes, facts and outputs."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.forms.expr import Expression

COPY_KINDS = {
    "fotokopi": "fotokopi",
    "asli": "asli",
    "asli_diperlihatkan": "fotokopi, asli diperlihatkan",
}


@dataclass(frozen=True)
class Output:
    """One of the Dinas' 23 outputs (kartu, surat, akta)."""

    id: str
    kind: str
    title: str


@dataclass(frozen=True)
class LegalBasis:
    """A law or regulation a service rests on."""

    id: str
    title: str


@dataclass(frozen=True)
class Document:
    """A kind of document a requirement can ask for; `form` when it is an official form filled in the app."""

    id: str
    title: str
    form: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Group:
    """A group of services, e.g. Pendaftaran Penduduk."""

    id: str
    title: str


@dataclass(frozen=True)
class FormUse:
    """A form a service needs, always or when a condition holds."""

    form: str
    when: Expression | None = None


@dataclass(frozen=True)
class Fact:
    """A question about the case that no form asks (e.g. "is there a birth letter?"); `type` is boolean, choice
    (with `options`) or date (an ISO date, e.g. the birth date of a KIA's child, whose applicant is a parent)."""

    id: str
    label: str
    type: str
    options: tuple[tuple[object, str], ...] = ()


@dataclass(frozen=True)
class Office:
    """An institution outside Dukcapil that a referral sends the citizen to (KUA Kecamatan, Pengadilan Agama)."""

    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Referral:
    """Not here, go there: where a case that fails an eligibility rule belongs, why, and on what law."""

    office: Office
    reason: str
    legal_basis: tuple[LegalBasis, ...]
    articles: str  # the articles cited, e.g. "UU 23/2006 Pasal 8 ayat (2)"
    next_step: str = ""  # what the citizen does there, or back at Dukcapil afterwards


@dataclass(frozen=True)
class Eligibility:
    """A condition on the applicant that must hold (e.g. aged 17 or married for a KTP-el); with a referral,
    a case that fails it belongs to another office."""

    id: str
    label: str
    check: Expression
    message: str
    referral: Referral | None = None


@dataclass(frozen=True)
class Substitute:
    """Documents accepted instead of a requirement, e.g. SPTJM F-2.03 with two witnesses."""

    id: str
    label: str
    documents: tuple[Document, ...]
    when: Expression | None = None


@dataclass(frozen=True)
class Waiver:
    """A case in which a requirement does not apply although `mandatory` says it does, and why (e.g. no
    buku nikah for a child recorded as the child of its mother only). An unknown condition waives nothing."""

    when: Expression
    reason: str


@dataclass(frozen=True)
class Requirement:
    """One document a service asks for: original or copy, mandatory or conditional, with substitutes."""

    id: str
    document: Document
    copy: str
    mandatory: bool | Expression
    substitutes: tuple[Substitute, ...] = ()
    label: str = ""
    note: str = ""
    unless: tuple[Waiver, ...] = ()

    @property
    def title(self) -> str:
        """What the officer sees: the requirement's own label, else the document's title."""
        return self.label or self.document.title

    @property
    def conditional(self) -> bool:
        """Whether the requirement depends on the answers."""
        return not isinstance(self.mandatory, bool) or bool(self.unless)


@dataclass(frozen=True)
class Service:
    """One layanan of the Standar Pelayanan, with everything an officer needs to take it in."""

    number: int
    code: str
    title: str
    group: Group
    forms: tuple[FormUse, ...]
    outputs: tuple[Output, ...]
    sla_days: int
    fee: int
    legal_basis: tuple[LegalBasis, ...]
    requirements: tuple[Requirement, ...]
    steps: tuple[str, ...]
    facts: tuple[Fact, ...] = ()
    eligibility: tuple[Eligibility, ...] = ()
    keywords: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    file: str = ""
    # Answers the service implies, by "alias.section.field" (carried into the forms; app.forms.carry).
    prefill: tuple[tuple[str, object], ...] = ()

    def requirement(self, requirement_id: str) -> Requirement | None:
        """Return one requirement by id."""
        for item in self.requirements:
            if item.id == requirement_id:
                return item
        return None

    @property
    def form_ids(self) -> tuple[str, ...]:
        """The forms the service may need, in order."""
        return tuple(use.form for use in self.forms)


@dataclass(frozen=True)
class Catalog:
    """The whole catalogue of one version."""

    version: str
    source: str
    services: tuple[Service, ...]
    outputs: dict[str, Output] = field(default_factory=dict)
    legal_basis: dict[str, LegalBasis] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    offices: dict[str, Office] = field(default_factory=dict)

    def service(self, key: str | int) -> Service:
        """Return a service by code (`LAHIR-WNI`, any case) or number (21 or "21")."""
        if isinstance(key, str) and key.strip().isdigit():
            key = int(key)
        for service in self.services:
            if service.number == key or (isinstance(key, str) and service.code == key.strip().upper()):
                return service
        raise KeyError(f"unknown service {key!r}")
