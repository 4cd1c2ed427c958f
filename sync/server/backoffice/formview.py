"""What the back office shows of one application package: forms, requirements, reason targets and revision diffs.

Pure Python (no web framework): the routes pass these frozen views to the Jinja2 macros of
`templates/_forms.html`. Every field carries the reason path the outpost understands
(`F-1.02:pemohon.no_kk`, `F-1.01:anggota[1].nik`, see `ui/editor/reasons.py`), and every requirement the
choice value `persyaratan:<id>`, so a return reason lands beside the right field at the outpost.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from app.catalog import Requirement, Service, checklist, eligibility, required_forms
from app.catalog.model import COPY_KINDS, Fact
from app.findings import Finding
from app.forms import Evaluation, FieldSpec, FormSchema, SectionSpec, evaluate
from app.forms.expr import as_date
from app.identity import NIK_PENDING
from app.regions import default_index
from sync.protocol import ApplicationPackage, AttachedDocument
from sync.server.reference import Reference

REQUIREMENT_PREFIX = "persyaratan:"
REQUIREMENT_PREFIXES = (REQUIREMENT_PREFIX, "requirement:")
REQUIREMENT_GROUP = "Persyaratan"
VALUE_LIMIT = 400

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_ROW_PATH = re.compile(r"^(?P<section>[a-z][a-z0-9_]*)\[(?P<row>\d+)\](?:\.(?P<field>[a-z][a-z0-9_]*))?$")
_PLAIN_PATH = re.compile(r"^(?P<section>[a-z][a-z0-9_]*)(?:\.(?P<field>[a-z][a-z0-9_]*))?$")
_FIELD_CHOICE = re.compile(r"^[A-Z0-9][A-Z0-9.-]{0,15}:[a-z][a-z0-9_]*(\[\d+\])?\.[a-z][a-z0-9_]*$")
_REQUIREMENT_ID = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")

PackageInput = Mapping[str, object] | ApplicationPackage


# -- the views --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FindingView:
    """One finding of the server's own check: severity (`error`/`warning`), message, and the reason path."""

    severity: str
    code: str
    message: str
    path: str = ""


@dataclass(frozen=True)
class FieldView:
    """One visible field of a plain section, ready to show."""

    id: str
    number: str
    label: str
    value: str
    path: str
    type: str
    required: bool
    quiet: bool
    missing: bool
    app_only: bool
    staff_only: bool
    findings: tuple[FindingView, ...] = ()

    @property
    def anchor(self) -> str:
        """The HTML id of this field's element (a link target for reason lists)."""
        return anchor(self.path)


@dataclass(frozen=True)
class ColumnView:
    """One column of a member table: a field shown in at least one row."""

    id: str
    number: str
    label: str


@dataclass(frozen=True)
class CellView:
    """One cell of a member table; `shown` is False where the field does not apply to that row."""

    value: str
    path: str
    shown: bool
    quiet: bool
    missing: bool
    findings: tuple[FindingView, ...] = ()

    @property
    def anchor(self) -> str:
        """The HTML id of this cell."""
        return anchor(self.path)


@dataclass(frozen=True)
class RowView:
    """One row of a member table; `number` is 1-based as officers count, `findings` concern the whole row."""

    number: int
    cells: tuple[CellView, ...]
    findings: tuple[FindingView, ...] = ()


@dataclass(frozen=True)
class TableView:
    """A repeating section (e.g. the family members of F-1.01) as a real table."""

    columns: tuple[ColumnView, ...]
    rows: tuple[RowView, ...]


@dataclass(frozen=True)
class SectionView:
    """A visible section: its fields (plain section) or its table (repeating section), and its own findings."""

    id: str
    title: str
    fields: tuple[FieldView, ...] = ()
    table: TableView | None = None
    findings: tuple[FindingView, ...] = ()


@dataclass(frozen=True)
class FormView:
    """One form of the package as the Dinas reads it; `known` is False when the schema version is unknown."""

    form: str
    key: str
    title: str
    sections: tuple[SectionView, ...]
    findings: tuple[FindingView, ...]
    errors: int
    warnings: int
    known: bool = True


@dataclass(frozen=True)
class PageView:
    """One scanned page attached to a requirement."""

    sha256: str
    size: int
    position: int
    media_type: str
    document_id: str
    document_title: str
    width: int | None = None
    height: int | None = None
    dpi: int | None = None

    @property
    def is_image(self) -> bool:
        """Whether a browser can show the page as an <img>."""
        return self.media_type.startswith("image/")


@dataclass(frozen=True)
class RequirementView:
    """A requirement as it stands for this package: what is asked, what was given, and the pages."""

    id: str
    title: str
    copy: str
    copy_label: str
    mandatory: bool
    conditional: bool
    applies: bool
    reason: str
    note: str
    substitute_id: str
    substitute_label: str
    substitutes: tuple[str, ...]
    pages: tuple[PageView, ...]
    known: bool = True

    @property
    def label(self) -> str:
        """The requirement's title (the name the page viewer and reason lists use)."""
        return self.title

    @property
    def choice(self) -> str:
        """The reason-picker value that names this requirement."""
        return REQUIREMENT_PREFIX + self.id

    @property
    def missing(self) -> bool:
        """Whether the requirement applies but no page was attached."""
        return self.applies and not self.pages


@dataclass(frozen=True)
class ReasonChoice:
    """Something a return reason can be tied to: `value` for the form post, `label` and `group` to show."""

    value: str
    label: str
    group: str


@dataclass(frozen=True)
class FieldChange:
    """One field whose shown value differs between two revisions."""

    section: str
    label: str
    path: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    """A member-table row added, removed or changed (`kind`), with its changes or its values."""

    section: str
    kind: str
    old_number: int | None
    new_number: int | None
    title: str
    changes: tuple[FieldChange, ...] = ()

    @property
    def kind_label(self) -> str:
        """The change in Bahasa Indonesia."""
        return {"added": "ditambahkan", "removed": "dihapus", "changed": "diubah"}.get(self.kind, self.kind)


@dataclass(frozen=True)
class FormDiff:
    """The changes of one form between two revisions (`status`: changed, added or removed)."""

    form: str
    title: str
    status: str
    changes: tuple[FieldChange, ...]
    rows: tuple[RowChange, ...]


@dataclass(frozen=True)
class RequirementDiff:
    """The pages of one requirement in two revisions, compared by SHA-256."""

    id: str
    title: str
    added: tuple[PageView, ...]
    removed: tuple[PageView, ...]
    unchanged: tuple[PageView, ...]
    old_substitute: str = ""
    new_substitute: str = ""

    @property
    def changed(self) -> bool:
        """Whether any page or the substitute changed."""
        return bool(self.added or self.removed) or self.old_substitute != self.new_substitute


@dataclass(frozen=True)
class PackageDiff:
    """What changed from one revision to the next: forms, case facts and requirement pages."""

    old_revision: int
    new_revision: int
    forms: tuple[FormDiff, ...]
    facts: tuple[FieldChange, ...]
    requirements: tuple[RequirementDiff, ...]

    @property
    def empty(self) -> bool:
        """Whether nothing at all changed."""
        return not (self.forms or self.facts or any(r.changed for r in self.requirements))


# -- small helpers ------------------------------------------------------------------------------------------
def anchor(path: str) -> str:
    """An HTML id for a reason path: `F-1.01:anggota[1].nik` -> `isian-F-1-01-anggota-1-nik`."""
    return "isian-" + _ANCHOR_UNSAFE.sub("-", path).strip("-")


def as_package(package: PackageInput) -> ApplicationPackage:
    """The package as the protocol model (stored packages are JSON objects)."""
    if isinstance(package, ApplicationPackage):
        return package
    return ApplicationPackage.model_validate(dict(package))


def field_label(spec: FieldSpec) -> str:
    """A field's label as on paper: `3. Nomor Kartu Keluarga` (no number for app-only fields)."""
    return f"{spec.col}. {spec.label}" if spec.col is not None else spec.label


def _plain(value: object) -> str:
    """Any value as one clean line of text, cut at VALUE_LIMIT characters."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, Mapping | list):
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:
        text = str(value)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\t", " ")).strip()
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1].rstrip() + "…"


def is_empty(value: object) -> bool:
    """Whether an answer counts as not given (the engine's own rule)."""
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def display_value(spec: FieldSpec, value: object) -> str:
    """An answer as staff read it: code labels, dd-mm-yyyy dates, Ya/Tidak, region names; empty is ""."""
    if is_empty(value):
        return ""
    if spec.type == "choice" and spec.codes is not None:
        return spec.codes.label(value) or _plain(value)
    if spec.type == "multichoice" and spec.codes is not None and isinstance(value, list):
        codes = spec.codes
        return "; ".join(codes.label(item) or _plain(item) for item in value)
    if spec.type == "date":
        day = as_date(value)
        return f"{day.day:02d}-{day.month:02d}-{day.year}" if day is not None else _plain(value)
    if spec.type == "boolean" and isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if spec.type == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        number = _plain(value)
        return f"{number} {spec.unit}" if spec.unit else number
    if spec.type == "nik" and value == NIK_PENDING:
        return "(belum punya NIK)"
    if spec.type == "region":
        region = default_index().get(value)
        if region is not None:
            return f"{_plain(value)} – {region.name}"
    return _plain(value)


def _fact_value(fact: Fact, value: object) -> str:
    """A case fact's answer as staff read it."""
    if is_empty(value):
        return ""
    for code, label in fact.options:
        if code == value and type(code) is type(value):
            return label
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    return _plain(value)


def _finding_view(form: str, finding: Finding) -> FindingView:
    return FindingView(
        finding.severity, finding.code, finding.message, f"{form}:{finding.path}" if finding.path else ""
    )


def _service(package: ApplicationPackage, reference: Reference) -> Service | None:
    try:
        return reference.catalog.service(package.service_code)
    except KeyError:
        return None


def _schema(reference: Reference, key: str, form: str) -> FormSchema | None:
    try:
        schema = reference.forms.get(key)
    except KeyError:
        return None
    return schema if schema.form == form else None


def _form_order(service: Service | None, form: str) -> int:
    ids = service.form_ids if service is not None else ()
    return ids.index(form) if form in ids else len(ids)


def _catalog_answers(package: ApplicationPackage) -> dict[str, object]:
    """Facts and answers as the catalogue's checklist reads them (first answers of each form)."""
    forms: dict[str, object] = {}
    for given in package.forms:
        forms.setdefault(given.form, given.answers)
    return {"forms": forms, "fakta": package.facts}


# -- forms ------------------------------------------------------------------------------------------------
class _Placer:
    """Sorts one evaluation's findings by what they concern: a field, a table cell or row, a section, the form."""

    def __init__(self, form: str, evaluation: Evaluation) -> None:
        self.form = form
        self.by_path: dict[str, list[Finding]] = {}
        for finding in evaluation.findings:
            self.by_path.setdefault(finding.path, []).append(finding)
        self.placed: set[int] = set()

    def take(self, path: str) -> tuple[FindingView, ...]:
        """The findings at exactly this engine path, marked as placed."""
        found = self.by_path.get(path, [])
        self.placed.update(id(f) for f in found)
        return tuple(_finding_view(self.form, f) for f in found)

    def has_code(self, path: str, code: str) -> bool:
        """Whether a finding with this code sits at this path."""
        return any(f.code == code for f in self.by_path.get(path, []))

    def rest(self, section_id: str | None) -> tuple[FindingView, ...]:
        """Unplaced findings of a section (its id or paths inside it), or of the whole form when None."""
        found: list[FindingView] = []
        for path, items in self.by_path.items():
            head = re.split(r"[.\[]", path, maxsplit=1)[0]
            if section_id is not None and head != section_id:
                continue
            for finding in items:
                if id(finding) not in self.placed:
                    self.placed.add(id(finding))
                    found.append(_finding_view(self.form, finding))
        return tuple(found)


def _field_view(
    form: str, spec: FieldSpec, value: object, path: str, placer: _Placer
) -> tuple[str, bool, bool, tuple[FindingView, ...]]:
    """(display value, quiet, missing, findings) of one visible answer."""
    shown = display_value(spec, value)
    empty = is_empty(value)
    missing = empty and (placer.has_code(path, "required") or (spec.staff_only and spec.required is True))
    return shown, empty and not missing, missing, placer.take(path)


def _plain_section(
    form: str, section: SectionSpec, answers: object, evaluation: Evaluation, placer: _Placer
) -> SectionView:
    container = answers if isinstance(answers, Mapping) else {}
    fields = []
    for spec in section.fields:
        path = f"{section.id}.{spec.id}"
        if path not in evaluation.visible:
            continue
        shown, quiet, missing, findings = _field_view(form, spec, container.get(spec.id), path, placer)
        fields.append(
            FieldView(
                id=spec.id,
                number="" if spec.col is None else str(spec.col),
                label=spec.label,
                value=shown,
                path=f"{form}:{path}",
                type=spec.type,
                required=spec.required is not False,
                quiet=quiet,
                missing=missing,
                app_only=spec.app_only,
                staff_only=spec.staff_only,
                findings=findings,
            )
        )
    return SectionView(section.id, section.title, fields=tuple(fields), findings=placer.take(section.id))


def _rows(answers: object) -> list[Mapping[str, object]]:
    if not isinstance(answers, list):
        return []
    return [row if isinstance(row, Mapping) else {} for row in answers]


def _table_section(
    form: str, section: SectionSpec, answers: object, evaluation: Evaluation, placer: _Placer
) -> SectionView:
    rows = _rows(answers)
    columns = [
        spec
        for spec in section.fields
        if any(f"{section.id}[{index}].{spec.id}" in evaluation.visible for index in range(len(rows)))
    ]
    row_views = []
    for index, row in enumerate(rows):
        cells = []
        for spec in columns:
            path = f"{section.id}[{index}].{spec.id}"
            if path not in evaluation.visible:
                cells.append(CellView("", f"{form}:{path}", shown=False, quiet=True, missing=False))
                continue
            shown, quiet, missing, findings = _field_view(form, spec, row.get(spec.id), path, placer)
            cells.append(CellView(shown, f"{form}:{path}", True, quiet, missing, findings))
        row_views.append(RowView(index + 1, tuple(cells), placer.take(f"{section.id}[{index}]")))
    table = TableView(
        tuple(ColumnView(s.id, "" if s.col is None else str(s.col), s.label) for s in columns), tuple(row_views)
    )
    return SectionView(section.id, section.title, table=table, findings=placer.take(section.id))


def render_form(form: str, key: str, answers: object, reference: Reference, today: dt.date) -> FormView:
    """One form's answers as sections of fields and tables, with the engine's findings beside their fields."""
    schema = _schema(reference, key, form)
    if schema is None:
        message = f"Versi formulir {key} tidak dikenal oleh Dinas; isiannya tidak dapat ditampilkan."
        finding = FindingView("error", "unknown_form_version", message, form)
        return FormView(form, key, form, (), (finding,), errors=1, warnings=0, known=False)
    evaluation = evaluate(schema, answers, today)
    placer = _Placer(form, evaluation)
    data = answers if isinstance(answers, Mapping) else {}
    sections = []
    for section in schema.sections:
        if section.id not in evaluation.visible_sections:
            continue
        build = _table_section if section.repeating else _plain_section
        view = build(form, section, data.get(section.id), evaluation, placer)
        sections.append(view)
    # Findings about hidden fields or unknown answers of a shown section stay with that section.
    sections = [SectionView(s.id, s.title, s.fields, s.table, s.findings + placer.rest(s.id)) for s in sections]
    return FormView(
        form=form,
        key=schema.key,
        title=schema.title,
        sections=tuple(sections),
        findings=placer.rest(None),
        errors=len(evaluation.errors),
        warnings=len(evaluation.warnings),
    )


def render_forms(package: PackageInput, reference: Reference, today: dt.date) -> list[FormView]:
    """Every form of the package in the service's order, as the Dinas reads it (server check included)."""
    package = as_package(package)
    service = _service(package, reference)
    given = sorted(package.forms, key=lambda f: _form_order(service, f.form))
    return [render_form(f.form, f.schema_version, f.answers, reference, today) for f in given]


def application_findings(package: PackageInput, reference: Reference, today: dt.date) -> list[FindingView]:
    """Findings about the application as a whole: unknown service, forms missing or sent twice, eligibility."""
    package = as_package(package)
    service = _service(package, reference)
    if service is None:
        message = f"Layanan '{package.service_code}' tidak dikenal oleh katalog Dinas."
        return [FindingView("error", "unknown_service", message)]
    found: list[FindingView] = []
    seen: set[str] = set()
    for given in package.forms:
        if given.form in seen:
            found.append(FindingView("error", "form_twice", f"Formulir {given.form} terkirim dua kali.", given.form))
        seen.add(given.form)
    answers = _catalog_answers(package)
    for form in required_forms(service, answers, reference.forms, today):
        if form not in seen:
            message = f"Formulir {form} wajib diisi untuk layanan ini."
            found.append(FindingView("error", "form_missing", message, form))
    found.extend(
        FindingView(f.severity, f.code, f.message) for f in eligibility(service, answers, reference.forms, today)
    )
    return found


# -- requirements -------------------------------------------------------------------------------------------
def _pages(requirement: Requirement | None, documents: Sequence[AttachedDocument]) -> tuple[PageView, ...]:
    """The pages given for one requirement, document by document, each in page order."""
    titles: dict[str, str] = {}
    if requirement is not None:
        titles[requirement.document.id] = requirement.document.title
        for substitute in requirement.substitutes:
            for kind in substitute.documents:
                titles[kind.id] = kind.title
    pages = []
    for document in documents:
        title = titles.get(document.document_id, document.document_id)
        for page in sorted(document.pages, key=lambda p: p.position):
            pages.append(
                PageView(
                    page.sha256,
                    page.size,
                    page.position,
                    page.media_type,
                    document.document_id,
                    title,
                    page.width,
                    page.height,
                    page.dpi,
                )
            )
    return tuple(pages)


def _substitute(requirement: Requirement | None, documents: Sequence[AttachedDocument]) -> tuple[str, str]:
    """(id, label) of the substitute the outpost used for a requirement, or ("", "")."""
    used = next((d.substitute_id for d in documents if d.substitute_id), "")
    if not used:
        return "", ""
    found = next((s for s in requirement.substitutes if s.id == used), None) if requirement is not None else None
    return used, found.label if found is not None else used


def render_requirements(
    package: PackageInput, reference: Reference, today: dt.date | None = None
) -> list[RequirementView]:
    """The requirements that apply to the package's answers, plus any with pages, in catalogue order."""
    package = as_package(package)
    service = _service(package, reference)
    by_requirement: dict[str, list[AttachedDocument]] = {}
    for document in package.documents:
        by_requirement.setdefault(document.requirement_id, []).append(document)
    views: list[RequirementView] = []
    if service is not None:
        for item in checklist(service, _catalog_answers(package), reference.forms, today):
            req = item.requirement
            documents = by_requirement.pop(req.id, [])
            pages = _pages(req, documents)
            if not item.applies and not pages:
                continue
            substitute_id, substitute_label = _substitute(req, documents)
            views.append(
                RequirementView(
                    id=req.id,
                    title=req.title,
                    copy=req.copy,
                    copy_label=COPY_KINDS.get(req.copy, req.copy),
                    mandatory=req.mandatory is True,
                    conditional=item.conditional,
                    applies=item.applies,
                    reason=item.reason,
                    note=req.note,
                    substitute_id=substitute_id,
                    substitute_label=substitute_label,
                    substitutes=tuple(s.label for s in item.substitutes),
                    pages=pages,
                )
            )
    for requirement_id, documents in by_requirement.items():
        substitute_id, substitute_label = _substitute(None, documents)
        views.append(
            RequirementView(
                id=requirement_id,
                title=f"Persyaratan tidak dikenal ({requirement_id})",
                copy="",
                copy_label="",
                mandatory=False,
                conditional=False,
                applies=False,
                reason="tidak ada dalam katalog layanan ini",
                note="",
                substitute_id=substitute_id,
                substitute_label=substitute_label,
                substitutes=(),
                pages=_pages(None, documents),
                known=False,
            )
        )
    return views


# -- reason choices ----------------------------------------------------------------------------------------
def _form_group(schema: FormSchema) -> str:
    return f"{schema.form} {schema.title}"


def reason_choices(package: PackageInput, reference: Reference, today: dt.date | None = None) -> list[ReasonChoice]:
    """Every visible field of every form and every requirement of the service, as reason-picker choices.

    Labels read like the outpost's own (`F-1.02 › I. Data Pemohon › 3. Nomor Kartu Keluarga`)."""
    package = as_package(package)
    when = today or dt.date.today()
    service = _service(package, reference)
    choices: list[ReasonChoice] = []
    seen: set[str] = set()
    for given in sorted(package.forms, key=lambda f: _form_order(service, f.form)):
        schema = _schema(reference, given.schema_version, given.form)
        if schema is None or given.form in seen:
            continue
        seen.add(given.form)
        evaluation = evaluate(schema, given.answers, when)
        data = given.answers
        group = _form_group(schema)
        for section in schema.sections:
            if section.id not in evaluation.visible_sections:
                continue
            if not section.repeating:
                for spec in section.fields:
                    path = f"{section.id}.{spec.id}"
                    if path in evaluation.visible:
                        label = f"{given.form} › {section.title} › {field_label(spec)}"
                        choices.append(ReasonChoice(f"{given.form}:{path}", label, group))
                continue
            for index, _row in enumerate(_rows(data.get(section.id))):
                where = f"{section.title}, baris ke-{index + 1}"
                for spec in section.fields:
                    path = f"{section.id}[{index}].{spec.id}"
                    if path in evaluation.visible:
                        label = f"{given.form} › {where} › {field_label(spec)}"
                        choices.append(ReasonChoice(f"{given.form}:{path}", label, group))
    if service is not None:
        for requirement in service.requirements:
            choices.append(ReasonChoice(REQUIREMENT_PREFIX + requirement.id, requirement.title, REQUIREMENT_GROUP))
    return choices


def parse_choice(value: str) -> dict[str, str]:
    """Reason keywords for a picker value: `{"path": ...}`, `{"requirement": ...}`, or {} for the whole
    application (empty value). Raises ValueError for anything else; check membership in `reason_choices`
    too when the value comes from a browser."""
    text = value.strip()
    if not text:
        return {}
    for prefix in REQUIREMENT_PREFIXES:
        if text.startswith(prefix):
            requirement = text[len(prefix) :]
            if not _REQUIREMENT_ID.match(requirement):
                raise ValueError(f"not a requirement id: {requirement!r}")
            return {"requirement": requirement}
    if not _FIELD_CHOICE.match(text) or len(text) > 200:
        raise ValueError(f"not a field path: {text!r}")
    return {"path": text}


# -- revision diff ------------------------------------------------------------------------------------------
def _visible_value(spec: FieldSpec, value: object, path: str, evaluation: Evaluation | None) -> str:
    """The shown value, or "" where the field is hidden in that revision."""
    if evaluation is not None and path not in evaluation.visible:
        return ""
    return display_value(spec, value)


def _merged_fields(old: SectionSpec | None, new: SectionSpec | None) -> list[tuple[FieldSpec | None, FieldSpec | None]]:
    """Fields of a section in both schema versions, paired by id, new order first."""
    pairs: list[tuple[FieldSpec | None, FieldSpec | None]] = []
    for spec in new.fields if new is not None else ():
        pairs.append((old.field(spec.id) if old is not None else None, spec))
    for spec in old.fields if old is not None else ():
        if new is None or new.field(spec.id) is None:
            pairs.append((spec, None))
    return pairs


def _row_key(section: SectionSpec, row: Mapping[str, object]) -> str:
    """A member's identity across revisions: the first NIK of the row, when given."""
    for spec in section.fields:
        if spec.type == "nik" and isinstance(row.get(spec.id), str) and str(row.get(spec.id)).strip():
            return str(row.get(spec.id)).strip()
    return ""


def _row_title(section: SectionSpec, row: Mapping[str, object]) -> str:
    """A row's name for people: its first name-type answer, else its NIK."""
    for spec in section.fields:
        if spec.type == "name" and not is_empty(row.get(spec.id)):
            return _plain(row.get(spec.id))
    return _row_key(section, row)


def _pair_rows(
    section: SectionSpec, old: list[Mapping[str, object]], new: list[Mapping[str, object]]
) -> list[tuple[int | None, int | None]]:
    """Old and new rows paired as the same member: same NIK, else same name, else same position (a corrected
    NIK and name at once); rows left unpaired were added or removed."""
    pairs: list[tuple[int | None, int | None]] = []
    old_left = list(range(len(old)))
    new_left = list(range(len(new)))

    def pair_by(key: Callable[[int, Mapping[str, object]], str]) -> None:
        waiting: dict[str, int] = {}
        for index in new_left:
            waiting.setdefault(key(index, new[index]), index)
        for index in list(old_left):
            wanted = key(index, old[index])
            match = waiting.pop(wanted, None) if wanted else None
            if match is not None:
                pairs.append((index, match))
                old_left.remove(index)
                new_left.remove(match)

    pair_by(lambda _index, row: _row_key(section, row))
    pair_by(lambda _index, row: _row_title(section, row))
    pair_by(lambda index, _row: str(index))
    pairs.extend((i, None) for i in old_left)
    pairs.extend((None, i) for i in new_left)
    return sorted(pairs, key=lambda p: (p[1] if p[1] is not None else len(new), p[0] if p[0] is not None else 0))


def _section_changes(
    form: str,
    old_section: SectionSpec | None,
    new_section: SectionSpec | None,
    old_row: Mapping[str, object],
    new_row: Mapping[str, object],
    old_base: str,
    new_base: str,
    old_eval: Evaluation | None,
    new_eval: Evaluation | None,
    title: str,
) -> list[FieldChange]:
    changes = []
    for old_spec, new_spec in _merged_fields(old_section, new_section):
        spec = new_spec or old_spec
        assert spec is not None
        before = (
            _visible_value(old_spec, old_row.get(old_spec.id), f"{old_base}.{old_spec.id}", old_eval)
            if old_spec is not None
            else ""
        )
        after = (
            _visible_value(new_spec, new_row.get(new_spec.id), f"{new_base}.{new_spec.id}", new_eval)
            if new_spec is not None
            else ""
        )
        if before != after:
            path = f"{form}:{new_base if new_spec is not None else old_base}.{spec.id}"
            changes.append(FieldChange(title, field_label(spec), path, before, after))
    return changes


def _form_diff(
    form: str,
    old_answers: Mapping[str, object],
    new_answers: Mapping[str, object],
    old_schema: FormSchema | None,
    new_schema: FormSchema | None,
    today: dt.date,
) -> FormDiff | None:
    """The changes of one form present in both revisions (either schema may be unknown)."""
    old_eval = evaluate(old_schema, old_answers, today) if old_schema is not None else None
    new_eval = evaluate(new_schema, new_answers, today) if new_schema is not None else None
    section_ids: list[str] = [s.id for s in new_schema.sections] if new_schema is not None else []
    if old_schema is not None:
        section_ids += [s.id for s in old_schema.sections if s.id not in section_ids]
    changes: list[FieldChange] = []
    rows: list[RowChange] = []
    for section_id in section_ids:
        old_section = old_schema.section(section_id) if old_schema is not None else None
        new_section = new_schema.section(section_id) if new_schema is not None else None
        section = new_section or old_section
        assert section is not None
        if not section.repeating:
            old_row = old_answers.get(section_id)
            new_row = new_answers.get(section_id)
            changes += _section_changes(
                form,
                old_section,
                new_section,
                old_row if isinstance(old_row, Mapping) else {},
                new_row if isinstance(new_row, Mapping) else {},
                section_id,
                section_id,
                old_eval,
                new_eval,
                section.title,
            )
            continue
        old_rows = _rows(old_answers.get(section_id))
        new_rows = _rows(new_answers.get(section_id))
        for old_index, new_index in _pair_rows(section, old_rows, new_rows):
            old_row_data = old_rows[old_index] if old_index is not None else {}
            new_row_data = new_rows[new_index] if new_index is not None else {}
            row_changes = _section_changes(
                form,
                old_section if old_index is not None else None,
                new_section if new_index is not None else None,
                old_row_data,
                new_row_data,
                f"{section_id}[{old_index}]",
                f"{section_id}[{new_index}]",
                old_eval,
                new_eval,
                section.title,
            )
            if not row_changes:
                continue
            kind = (
                "changed"
                if old_index is not None and new_index is not None
                else "added"
                if old_index is None
                else "removed"
            )
            title = _row_title(section, new_row_data) or _row_title(section, old_row_data)
            rows.append(
                RowChange(
                    section.title,
                    kind,
                    None if old_index is None else old_index + 1,
                    None if new_index is None else new_index + 1,
                    title,
                    tuple(row_changes),
                )
            )
    if not changes and not rows:
        return None
    schema = new_schema or old_schema
    return FormDiff(form, schema.title if schema is not None else form, "changed", tuple(changes), tuple(rows))


def _page_diff(
    requirement_id: str,
    title: str,
    old_pages: tuple[PageView, ...],
    new_pages: tuple[PageView, ...],
    old_substitute: str,
    new_substitute: str,
) -> RequirementDiff:
    old_shas = {p.sha256 for p in old_pages}
    new_shas = {p.sha256 for p in new_pages}
    return RequirementDiff(
        requirement_id,
        title,
        added=tuple(p for p in new_pages if p.sha256 not in old_shas),
        removed=tuple(p for p in old_pages if p.sha256 not in new_shas),
        unchanged=tuple(p for p in new_pages if p.sha256 in old_shas),
        old_substitute=old_substitute,
        new_substitute=new_substitute,
    )


def diff_packages(old: PackageInput, new: PackageInput, reference: Reference, today: dt.date) -> PackageDiff:
    """What a new revision changed: field by field (member rows matched by NIK), facts, and pages by SHA-256."""
    old, new = as_package(old), as_package(new)
    service = _service(new, reference)
    old_forms = {f.form: f for f in reversed(old.forms)}
    new_forms = {f.form: f for f in reversed(new.forms)}
    order = sorted(set(old_forms) | set(new_forms), key=lambda f: (_form_order(service, f), f))
    forms: list[FormDiff] = []
    for form in order:
        before, after = old_forms.get(form), new_forms.get(form)
        if before is None or after is None:
            given = after or before
            assert given is not None
            schema = _schema(reference, given.schema_version, form)
            status = "added" if before is None else "removed"
            forms.append(FormDiff(form, schema.title if schema is not None else form, status, (), ()))
            continue
        found = _form_diff(
            form,
            before.answers,
            after.answers,
            _schema(reference, before.schema_version, form),
            _schema(reference, after.schema_version, form),
            today,
        )
        if found is not None:
            forms.append(found)
    facts: list[FieldChange] = []
    known_facts = {f.id: f for f in service.facts} if service is not None else {}
    for fact_id in [*known_facts, *sorted((set(old.facts) | set(new.facts)) - set(known_facts))]:
        fact = known_facts.get(fact_id) or Fact(fact_id, fact_id, "text")
        before_text, after_text = _fact_value(fact, old.facts.get(fact_id)), _fact_value(fact, new.facts.get(fact_id))
        if before_text != after_text:
            facts.append(FieldChange("Keterangan kasus", fact.label, f"fakta.{fact_id}", before_text, after_text))
    old_requirements = {r.id: r for r in render_requirements(old, reference, today)}
    new_requirements = {r.id: r for r in render_requirements(new, reference, today)}
    requirements = []
    for requirement_id in [*new_requirements, *(r for r in old_requirements if r not in new_requirements)]:
        before_req = old_requirements.get(requirement_id)
        after_req = new_requirements.get(requirement_id)
        shown = after_req or before_req
        assert shown is not None
        if not (before_req and before_req.pages) and not (after_req and after_req.pages):
            continue
        requirements.append(
            _page_diff(
                requirement_id,
                shown.title,
                before_req.pages if before_req is not None else (),
                after_req.pages if after_req is not None else (),
                before_req.substitute_label if before_req is not None else "",
                after_req.substitute_label if after_req is not None else "",
            )
        )
    return PackageDiff(old.revision, new.revision, tuple(forms), tuple(facts), tuple(requirements))
