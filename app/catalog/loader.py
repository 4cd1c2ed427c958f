"""Reads resources/catalog (catalog.yaml + services/*.yaml) and validates it against the form schemas."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from app.catalog.model import (
    COPY_KINDS,
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
from app.forms.expr import Expression, ExpressionError, parse
from app.forms.registry import FormRegistry

_CODE = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
FACT_TYPES = frozenset({"boolean", "choice", "date"})  # a date fact is ISO text, read with age() etc.
_SERVICE_KEYS = frozenset(
    {
        "number",
        "code",
        "title",
        "group",
        "keywords",
        "forms",
        "outputs",
        "sla_days",
        "fee",
        "legal_basis",
        "facts",
        "eligibility",
        "requirements",
        "steps",
        "sources",
        "notes",
        "prefill",
    }
)
_REQUIREMENT_KEYS = frozenset({"id", "document", "copy", "mandatory", "substitutes", "label", "note", "unless"})
_WAIVER_KEYS = frozenset({"when", "reason"})
_ELIGIBILITY_KEYS = frozenset({"id", "label", "check", "message", "referral", "note"})
_REFERRAL_KEYS = frozenset({"to", "reason", "legal_basis", "articles", "next_step"})


class CatalogError(DataFileError):
    """The catalogue data is invalid; names the file and the entry."""


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, entry: str, problem: str) -> CatalogError:
        return CatalogError(self.file, entry, problem)

    def mapping(self, entry: str, value: object) -> dict[str, object]:
        if not isinstance(value, dict):
            raise self.fail(entry, "must be a mapping")
        return {str(k): v for k, v in value.items()}

    def items(self, entry: str, value: object) -> list[object]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(entry, "must be a list")
        return value

    def ident(self, entry: str, value: object) -> str:
        if not isinstance(value, str) or not _ID.match(value):
            raise self.fail(entry, f"id {value!r} must be snake_case")
        return value

    def text(self, entry: str, value: object) -> str:
        if not isinstance(value, str | int | float) or isinstance(value, bool) or not str(value).strip():
            raise self.fail(entry, "needs a non-empty text")
        return str(value).strip()

    def expression(self, entry: str, value: object) -> Expression:
        try:
            return parse(value)
        except ExpressionError as exc:
            raise self.fail(entry, f"bad condition: {exc}") from None


def _table(reader: _Reader, data: dict[str, object], key: str) -> list[dict[str, object]]:
    rows = []
    seen: set[str] = set()
    for i, raw in enumerate(reader.items(key, data.get(key))):
        row = reader.mapping(f"{key}[{i}]", raw)
        rid = reader.ident(f"{key}[{i}].id", row.get("id"))
        if rid in seen:
            raise reader.fail(f"{key}.{rid}", "id used twice")
        seen.add(rid)
        reader.text(f"{key}.{rid}.title", row.get("title"))
        rows.append(row)
    if not rows:
        raise reader.fail(key, "needs at least one entry")
    return rows


def _read_shared(
    path: Path, forms: FormRegistry
) -> tuple[
    str, str, dict[str, Output], dict[str, LegalBasis], dict[str, Document], dict[str, Group], dict[str, Office]
]:
    reader = _Reader(path.name)
    data = reader.mapping("", load_yaml(path, CatalogError))
    version = reader.text("version", data.get("version"))
    outputs = {}
    for row in _table(reader, data, "outputs"):
        kind = row.get("kind")
        if kind not in ("kartu", "surat", "akta"):
            raise reader.fail(f"outputs.{row['id']}.kind", f"must be kartu, surat or akta, not {kind!r}")
        outputs[str(row["id"])] = Output(str(row["id"]), str(kind), str(row["title"]))
    legal = {str(r["id"]): LegalBasis(str(r["id"]), str(r["title"])) for r in _table(reader, data, "legal_basis")}
    documents = {}
    for row in _table(reader, data, "documents"):
        form = row.get("form")
        if form is not None and str(form) not in forms:
            raise reader.fail(f"documents.{row['id']}.form", f"unknown form {form!r}")
        documents[str(row["id"])] = Document(
            str(row["id"]), str(row["title"]), str(form) if form else None, str(row.get("description", ""))
        )
    groups = {str(r["id"]): Group(str(r["id"]), str(r["title"])) for r in _table(reader, data, "groups")}
    offices = {}
    if "offices" in data:  # where referrals send the citizen (optional: a catalogue may refer nowhere)
        offices = {
            str(r["id"]): Office(str(r["id"]), str(r["title"]), str(r.get("description", "")))
            for r in _table(reader, data, "offices")
        }
    return version, str(data.get("source", "")), outputs, legal, documents, groups, offices


class _ServiceReader(_Reader):
    def __init__(self, file: str, catalog: Catalog, forms: FormRegistry) -> None:
        super().__init__(file)
        self.catalog = catalog
        self.forms = forms

    def lookup(self, entry: str, table: dict[str, object], key: object, what: str) -> object:
        if not isinstance(key, str) or key not in table:
            raise self.fail(entry, f"unknown {what} {key!r}")
        return table[key]

    def read(self, data_raw: object) -> Service:
        data = self.mapping("", data_raw)
        unknown = set(data) - _SERVICE_KEYS
        if unknown:
            raise self.fail("", f"unknown keys {sorted(unknown)}")
        number = data.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise self.fail("number", f"must be a positive whole number, not {number!r}")
        code = data.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            raise self.fail("code", f"code {code!r} must be UPPER-KEBAB-CASE")
        group = self.lookup("group", dict(self.catalog.groups), data.get("group"), "group")
        forms = tuple(self.form_use(f"forms[{i}]", f) for i, f in enumerate(self.items("forms", data.get("forms"))))
        if not forms:
            raise self.fail("forms", "a service needs at least one form")
        outputs = tuple(
            self.lookup(f"outputs[{i}]", dict(self.catalog.outputs), o, "output")
            for i, o in enumerate(self.items("outputs", data.get("outputs")))
        )
        legal = tuple(
            self.lookup(f"legal_basis[{i}]", dict(self.catalog.legal_basis), o, "legal basis")
            for i, o in enumerate(self.items("legal_basis", data.get("legal_basis")))
        )
        facts = tuple(self.fact(f"facts[{i}]", f) for i, f in enumerate(self.items("facts", data.get("facts"))))
        eligibility = tuple(
            self.eligibility(f"eligibility[{i}]", e)
            for i, e in enumerate(self.items("eligibility", data.get("eligibility")))
        )
        requirements = tuple(
            self.requirement(f"requirements[{i}]", r)
            for i, r in enumerate(self.items("requirements", data.get("requirements")))
        )
        _unique(self, "requirements", [r.id for r in requirements])
        _unique(self, "facts", [f.id for f in facts])
        _unique(self, "eligibility", [e.id for e in eligibility])
        if not requirements and not eligibility:
            raise self.fail("requirements", "a service needs requirements or eligibility conditions")
        sla = data.get("sla_days")
        if not isinstance(sla, int) or isinstance(sla, bool) or not 0 < sla <= 30:
            raise self.fail("sla_days", f"must be a number of working days (1-30), not {sla!r}")
        fee = data.get("fee", 0)
        if not isinstance(fee, int) or isinstance(fee, bool) or fee < 0:
            raise self.fail("fee", f"must be a whole number of rupiah, not {fee!r}")
        steps = tuple(self.text(f"steps[{i}]", s) for i, s in enumerate(self.items("steps", data.get("steps"))))
        if not steps:
            raise self.fail("steps", "the procedure steps shown to the officer are missing")
        service = Service(
            number=number,
            code=code,
            title=self.text("title", data.get("title")),
            group=group,  # type: ignore[arg-type]
            forms=forms,
            outputs=outputs,  # type: ignore[arg-type]
            sla_days=sla,
            fee=fee,
            legal_basis=legal,  # type: ignore[arg-type]
            requirements=requirements,
            steps=steps,
            facts=facts,
            eligibility=eligibility,
            keywords=tuple(str(k) for k in self.items("keywords", data.get("keywords"))),
            sources=tuple(str(s) for s in self.items("sources", data.get("sources"))),
            file=self.file,
            prefill=self.prefill(data.get("prefill"), forms),
        )
        _check_conditions(self, service)
        return service

    def prefill(self, raw: object, forms: tuple[FormUse, ...]) -> tuple[tuple[str, object], ...]:
        """`prefill: {alias.section.field: value}`: a field of one of the service's forms (not in a member
        table) and a value it accepts (codes of its code list)."""
        if raw is None:
            return ()
        data = self.mapping("prefill", raw)
        aliases = {self.forms.get(use.form).alias: self.forms.get(use.form) for use in forms}
        out = []
        for path, value in data.items():
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

    def form_use(self, entry: str, raw: object) -> FormUse:
        if isinstance(raw, str):
            form, when = raw, None
        else:
            data = self.mapping(entry, raw)
            form = str(data.get("form"))
            when = self.expression(f"{entry}.when", data["when"]) if "when" in data else None
        if form not in self.forms:
            raise self.fail(entry, f"unknown form {form!r}; known: {', '.join(self.forms.forms())}")
        return FormUse(form, when)

    def fact(self, entry: str, raw: object) -> Fact:
        data = self.mapping(entry, raw)
        fid = self.ident(f"{entry}.id", data.get("id"))
        ftype = data.get("type", "boolean")
        if ftype not in FACT_TYPES:
            raise self.fail(f"facts.{fid}.type", f"must be boolean, choice or date, not {ftype!r}")
        options: list[tuple[object, str]] = []
        for i, opt in enumerate(self.items(f"facts.{fid}.options", data.get("options"))):
            row = self.mapping(f"facts.{fid}.options[{i}]", opt)
            options.append((row.get("value"), self.text(f"facts.{fid}.options[{i}].label", row.get("label"))))
        if ftype == "choice" and not options:
            raise self.fail(f"facts.{fid}.options", "a choice fact needs options")
        if ftype != "choice" and options:
            raise self.fail(f"facts.{fid}.options", f"a {ftype} fact has no options")
        return Fact(fid, self.text(f"facts.{fid}.label", data.get("label")), str(ftype), tuple(options))

    def eligibility(self, entry: str, raw: object) -> Eligibility:
        data = self.mapping(entry, raw)
        eid = self.ident(f"{entry}.id", data.get("id"))
        unknown = set(data) - _ELIGIBILITY_KEYS
        if unknown:
            raise self.fail(f"eligibility.{eid}", f"unknown keys {sorted(unknown)}")
        referral = self.referral(f"eligibility.{eid}.referral", data["referral"]) if "referral" in data else None
        return Eligibility(
            eid,
            self.text(f"eligibility.{eid}.label", data.get("label")),
            self.expression(f"eligibility.{eid}.check", data.get("check")),
            self.text(f"eligibility.{eid}.message", data.get("message")),
            referral,
        )

    def referral(self, entry: str, raw: object) -> Referral:
        """`referral: {to: office, reason, legal_basis: [ids], articles, next_step}`."""
        data = self.mapping(entry, raw)
        unknown = set(data) - _REFERRAL_KEYS
        if unknown:
            raise self.fail(entry, f"unknown keys {sorted(unknown)}")
        office = self.lookup(f"{entry}.to", dict(self.catalog.offices), data.get("to"), "office")
        basis = tuple(
            self.lookup(f"{entry}.legal_basis[{i}]", dict(self.catalog.legal_basis), b, "legal basis")
            for i, b in enumerate(self.items(f"{entry}.legal_basis", data.get("legal_basis")))
        )
        if not basis:
            raise self.fail(f"{entry}.legal_basis", "a referral names the law that sends the case elsewhere")
        return Referral(
            office,  # type: ignore[arg-type]
            self.text(f"{entry}.reason", data.get("reason")),
            basis,  # type: ignore[arg-type]
            self.text(f"{entry}.articles", data.get("articles")),
            str(data.get("next_step", "")).strip(),
        )

    def requirement(self, entry: str, raw: object) -> Requirement:
        data = self.mapping(entry, raw)
        rid = self.ident(f"{entry}.id", data.get("id"))
        entry = f"requirements.{rid}"
        unknown = set(data) - _REQUIREMENT_KEYS
        if unknown:
            raise self.fail(entry, f"unknown keys {sorted(unknown)}")
        document = self.lookup(f"{entry}.document", dict(self.catalog.documents), data.get("document"), "document")
        copy = data.get("copy", "fotokopi")
        if copy not in COPY_KINDS:
            raise self.fail(f"{entry}.copy", f"must be one of {sorted(COPY_KINDS)}, not {copy!r}")
        mandatory_raw = data.get("mandatory", True)
        mandatory: bool | Expression = (
            mandatory_raw if isinstance(mandatory_raw, bool) else self.expression(f"{entry}.mandatory", mandatory_raw)
        )
        substitutes = []
        for i, sub_raw in enumerate(self.items(f"{entry}.substitutes", data.get("substitutes"))):
            sub = self.mapping(f"{entry}.substitutes[{i}]", sub_raw)
            sid = self.ident(f"{entry}.substitutes[{i}].id", sub.get("id"))
            docs = self.items(f"{entry}.substitutes.{sid}.documents", sub.get("documents"))
            if not docs:
                raise self.fail(f"{entry}.substitutes.{sid}", "a substitute needs at least one document")
            substitutes.append(
                Substitute(
                    sid,
                    self.text(f"{entry}.substitutes.{sid}.label", sub.get("label")),
                    tuple(
                        self.lookup(
                            f"{entry}.substitutes.{sid}.documents[{j}]", dict(self.catalog.documents), d, "document"
                        )  # type: ignore[misc]
                        for j, d in enumerate(docs)
                    ),
                    self.expression(f"{entry}.substitutes.{sid}.when", sub["when"]) if "when" in sub else None,
                )
            )
        _unique(self, f"{entry}.substitutes", [s.id for s in substitutes])
        waivers = self.items(f"{entry}.unless", data.get("unless"))
        unless = tuple(self.waiver(f"{entry}.unless[{i}]", w) for i, w in enumerate(waivers))
        if unless and mandatory is False:
            raise self.fail(f"{entry}.unless", "a requirement that is never mandatory has nothing to waive")
        return Requirement(
            id=rid,
            document=document,  # type: ignore[arg-type]
            copy=str(copy),
            mandatory=mandatory,
            substitutes=tuple(substitutes),
            label=str(data.get("label", "")),
            note=str(data.get("note", "")),
            unless=unless,
        )

    def waiver(self, entry: str, raw: object) -> Waiver:
        """`unless: [{when: condition, reason: text}]`: the cases in which the requirement does not apply."""
        data = self.mapping(entry, raw)
        unknown = set(data) - _WAIVER_KEYS
        if unknown:
            raise self.fail(entry, f"unknown keys {sorted(unknown)}")
        when = self.expression(f"{entry}.when", data.get("when"))
        return Waiver(when, self.text(f"{entry}.reason", data.get("reason")))


def _unique(reader: _Reader, entry: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise reader.fail(f"{entry}.{item}", "id used twice")
        seen.add(item)


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
    version, source, outputs, legal, documents, groups, offices = _read_shared(folder / "catalog.yaml", forms)
    shared = Catalog(version, source, (), outputs, legal, documents, groups, offices)
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
    return Catalog(version, source, tuple(services), outputs, legal, documents, groups, offices)
