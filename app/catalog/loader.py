"""Reads resources/catalog (catalog.yaml + services/*.yaml) and validates it against the form schemas.

The files' structure is declared in app.catalog.files; here are the checks that need more than one entry or
another file (the ids of catalog.yaml's tables, the form schemas, ids used twice, what conditions name), and
the building of the app's objects (app.catalog.model).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from app.catalog.files import (
    CatalogFile,
    EligibilityEntry,
    FactEntry,
    ReferralEntry,
    RequirementEntry,
    ServiceFile,
)
from app.catalog.model import (
    Catalog,
    Document,
    Eligibility,
    Fact,
    FormUse,
    Group,
    LegalBasis,
    Office,
    Output,
    Referral,
    Requirement,
    Service,
    Substitute,
    Waiver,
)
from app.datafiles import DataFileError, load_yaml
from app.datamodels import validate
from app.forms.expr import Expression
from app.forms.registry import FormRegistry

T = TypeVar("T")


class CatalogError(DataFileError):
    """The catalogue data is invalid; names the file and the entry."""


def _unique(file: str, entry: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise CatalogError(file, f"{entry}.{item}", "id used twice")
        seen.add(item)


def _read_shared(path: Path, forms: FormRegistry) -> Catalog:
    """catalog.yaml as a Catalog without services."""
    file = path.name
    data = validate(CatalogFile, load_yaml(path, CatalogError), file=file, error=CatalogError)
    for key in ("outputs", "legal_basis", "documents", "groups", "offices"):
        _unique(file, key, (row.id for row in getattr(data, key) or ()))
    for doc in data.documents:
        if doc.form is not None and doc.form not in forms:
            raise CatalogError(file, f"documents.{doc.id}.form", f"unknown form {doc.form!r}")
    return Catalog(
        version=data.version,
        source=data.source,
        services=(),
        outputs={r.id: Output(r.id, r.kind, r.title) for r in data.outputs},
        legal_basis={r.id: LegalBasis(r.id, r.title) for r in data.legal_basis},
        documents={r.id: Document(r.id, r.title, r.form or None, r.description) for r in data.documents},
        groups={r.id: Group(r.id, r.title) for r in data.groups},
        offices={r.id: Office(r.id, r.title, r.description) for r in data.offices or ()},
    )


class _ServiceReader:
    """Builds one service from its validated file, resolving the ids it names in catalog.yaml."""

    def __init__(self, file: str, catalog: Catalog, forms: FormRegistry) -> None:
        self.file = file
        self.catalog = catalog
        self.forms = forms

    def fail(self, entry: str, problem: str) -> CatalogError:
        return CatalogError(self.file, entry, problem)

    def lookup(self, entry: str, table: Mapping[str, T], key: str, what: str) -> T:
        if key not in table:
            raise self.fail(entry, f"unknown {what} {key!r}")
        return table[key]

    def lookups(self, entry: str, table: Mapping[str, T], keys: Iterable[str], what: str) -> tuple[T, ...]:
        return tuple(self.lookup(f"{entry}[{i}]", table, key, what) for i, key in enumerate(keys))

    def read(self, raw: object) -> Service:
        data = validate(ServiceFile, raw, file=self.file, error=CatalogError)
        group = self.lookup("group", self.catalog.groups, data.group, "group")
        forms = []
        for i, use in enumerate(data.forms):
            if use.form not in self.forms:
                known = ", ".join(self.forms.forms())
                raise self.fail(f"forms[{i}]", f"unknown form {str(use.form)!r}; known: {known}")
            forms.append(FormUse(str(use.form), use.when))
        outputs = self.lookups("outputs", self.catalog.outputs, data.outputs, "output")
        legal = self.lookups("legal_basis", self.catalog.legal_basis, data.legal_basis, "legal basis")
        facts = tuple(self.fact(f) for f in data.facts)
        eligibility = tuple(self.eligibility(e) for e in data.eligibility)
        requirements = tuple(self.requirement(r) for r in data.requirements)
        _unique(self.file, "requirements", (r.id for r in requirements))
        _unique(self.file, "facts", (f.id for f in facts))
        _unique(self.file, "eligibility", (e.id for e in eligibility))
        if not requirements and not eligibility:
            raise self.fail("requirements", "a service needs requirements or eligibility conditions")
        service = Service(
            number=data.number,
            code=data.code,
            title=data.title,
            group=group,
            forms=tuple(forms),
            outputs=outputs,
            sla_days=data.sla_days,
            fee=data.fee,
            legal_basis=legal,
            requirements=requirements,
            steps=data.steps,
            facts=facts,
            eligibility=eligibility,
            keywords=data.keywords,
            sources=data.sources,
            file=self.file,
            prefill=self.prefill(data.prefill, tuple(forms)),
        )
        _check_conditions(self, service)
        return service

    def prefill(self, raw: Mapping[str, object] | None, forms: tuple[FormUse, ...]) -> tuple[tuple[str, object], ...]:
        """`prefill: {alias.section.field: value}`: a field of one of the service's forms (not in a member
        table) and a value it accepts (codes of its code list)."""
        if raw is None:
            return ()
        aliases = {self.forms.get(use.form).alias: self.forms.get(use.form) for use in forms}
        out = []
        for path, value in raw.items():
            entry = f"prefill.{path}"
            parts = path.split(".")
            schema = aliases.get(parts[0]) if len(parts) == 3 else None
            found = schema.field_at(tuple(parts[1:])) if schema is not None else None
            if schema is None or found is None or found[0].repeating:
                raise self.fail(entry, "must name a field of this service's forms: alias.section.field")
            spec = found[1]
            values = value if spec.type == "multichoice" and isinstance(value, list) else [value]
            if spec.type == "multichoice" and not isinstance(value, list):
                raise self.fail(entry, "a multichoice field takes a list of codes")
            if spec.codes is not None:
                for item in values:
                    if not spec.codes.has(item):
                        raise self.fail(entry, f"{item!r} is not a code of {spec.codes.id}")
            out.append((path, value))
        return tuple(out)

    def fact(self, data: FactEntry) -> Fact:
        return Fact(data.id, data.label, data.type, tuple((o.value, o.label) for o in data.options))

    def eligibility(self, data: EligibilityEntry) -> Eligibility:
        entry = f"eligibility.{data.id}.referral"
        referral = self.referral(entry, data.referral) if data.referral is not None else None
        return Eligibility(data.id, data.label, data.check, data.message, referral)

    def referral(self, entry: str, data: ReferralEntry) -> Referral:
        return Referral(
            self.lookup(f"{entry}.to", self.catalog.offices, data.to, "office"),
            data.reason,
            self.lookups(f"{entry}.legal_basis", self.catalog.legal_basis, data.legal_basis, "legal basis"),
            data.articles,
            data.next_step,
        )

    def requirement(self, data: RequirementEntry) -> Requirement:
        entry = f"requirements.{data.id}"
        documents = self.catalog.documents
        substitutes = tuple(
            Substitute(
                sub.id,
                sub.label,
                self.lookups(f"{entry}.substitutes.{sub.id}.documents", documents, sub.documents, "document"),
                sub.when,
            )
            for sub in data.substitutes
        )
        _unique(self.file, f"{entry}.substitutes", (s.id for s in substitutes))
        return Requirement(
            id=data.id,
            document=self.lookup(f"{entry}.document", documents, data.document, "document"),
            copy=data.copy_,
            mandatory=data.mandatory,
            substitutes=substitutes,
            label=data.label,
            note=data.note,
            unless=tuple(Waiver(w.when, w.reason) for w in data.unless),
        )


def _check_conditions(reader: _ServiceReader, service: Service) -> None:
    """Every name a condition uses is a declared fact or a field of a form the service lists."""
    facts = {f.id for f in service.facts}
    aliases = {}
    for use in service.forms:
        schema = reader.forms.get(use.form)
        aliases[schema.alias] = schema

    def valid(ref: tuple[str, ...], group: tuple[str, ...] | None) -> bool:
        if group is not None and len(ref) == 1:
            schema = aliases.get(group[0])
            section = schema.section(group[1]) if schema and len(group) == 2 else None
            return section is not None and section.field(ref[0]) is not None
        if len(ref) == 2 and ref[0] == "fakta":
            return ref[1] in facts
        schema = aliases.get(ref[0])
        if schema is None:
            return False
        if len(ref) == 2:
            section = schema.section(ref[1])
            return section is not None and section.repeating
        return len(ref) == 3 and schema.field_at(ref[1:]) is not None

    def check(entry: str, expr: Expression | None) -> None:
        if expr is None:
            return
        for ref in expr.references:
            if not valid(ref, None):
                raise reader.fail(entry, _unknown_name(ref, expr, aliases))
        for group, ref in expr.row_references:
            if not valid(group, None) or not valid(ref, group):
                raise reader.fail(entry, _unknown_name(ref, expr, aliases))

    for i, use in enumerate(service.forms):
        check(f"forms[{i}].when", use.when)
    for item in service.eligibility:
        check(f"eligibility.{item.id}.check", item.check)
    for req in service.requirements:
        if isinstance(req.mandatory, Expression):
            check(f"requirements.{req.id}.mandatory", req.mandatory)
        for sub in req.substitutes:
            check(f"requirements.{req.id}.substitutes.{sub.id}.when", sub.when)
        for i, waiver in enumerate(req.unless):
            check(f"requirements.{req.id}.unless[{i}].when", waiver.when)


def _unknown_name(ref: tuple[str, ...], expr: Expression, aliases: Mapping[str, object]) -> str:
    name = ".".join(ref)
    return (
        f"condition {expr.source!r} names {name!r}, which is neither a declared fact (fakta.<id>) nor a field "
        f"of this service's forms (aliases: {', '.join(sorted(aliases)) or 'none'})"
    )


def read_catalog(folder: Path, forms: FormRegistry) -> Catalog:
    """Load and validate catalog.yaml and services/*.yaml; raise CatalogError naming the file and entry."""
    shared = _read_shared(folder / "catalog.yaml", forms)
    services = []
    for path in sorted((folder / "services").glob("*.yaml")):
        services.append(_ServiceReader(path.name, shared, forms).read(load_yaml(path, CatalogError)))
    if not services:
        raise CatalogError(str(folder / "services"), "", "no service files found")
    seen_numbers: dict[int, str] = {}
    seen_codes: dict[str, str] = {}
    for service in services:
        if service.number in seen_numbers:
            raise CatalogError(
                service.file, "number", f"number {service.number} is also used by {seen_numbers[service.number]}"
            )
        if service.code in seen_codes:
            raise CatalogError(service.file, "code", f"code {service.code} is also used by {seen_codes[service.code]}")
        seen_numbers[service.number] = service.file
        seen_codes[service.code] = service.file
    services.sort(key=lambda s: s.number)
    return Catalog(
        shared.version,
        shared.source,
        tuple(services),
        shared.outputs,
        shared.legal_basis,
        shared.documents,
        shared.groups,
        shared.offices,
    )
