"""Print templates (resources/print/templates.yaml): paper, layout and signatures per form, per kabupaten."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]

from app.datafiles import load_yaml
from app.printing.errors import PrintDataError, PrintingError
from app.resources import resource_path

PAPERS: dict[str, tuple[float, float]] = {"A4": (float(A4[0]), float(A4[1])), "F4": (215 * mm, 330 * mm)}
ORIENTATIONS = frozenset({"portrait", "landscape"})
_TEMPLATE_KEYS = frozenset(
    {
        "id",
        "title",
        "description",
        "extends",
        "paper",
        "kabupaten",
        "kabupaten_name",
        "kop",
        "rows_per_sheet",
        "forms",
        "layouts",
    }
)
_LAYOUT_KEYS = frozenset(
    {
        "title",
        "orientation",
        "full",
        "region_header",
        "sheet_section",
        "blank_rows",
        "intro",
        "statement",
        "date_from",
        "signatures",
    }
)
_SIGNATURE_KEYS = frozenset({"role", "heading", "name_from", "nip", "meterai", "dated"})


@dataclass(frozen=True)
class Signature:
    """One signature block: who signs, the name printed under the line, and what else the block holds."""

    role: str
    heading: str = ""
    name_from: str = ""
    nip: bool = False
    meterai: bool = False
    dated: bool = False


@dataclass(frozen=True)
class FormLayout:
    """How one form prints under a template."""

    form: str
    title: str = ""
    orientation: str = "portrait"
    full: bool = True
    region_header: str = ""
    sheet_section: str = ""
    blank_rows: int = 0
    intro: str = ""
    statement: str = ""
    date_from: str = ""
    signatures: tuple[Signature, ...] = ()


@dataclass(frozen=True)
class PrintTemplate:
    """A set of form layouts on one paper size, used by the kabupaten it names (or by every kabupaten)."""

    id: str
    title: str
    description: str = ""
    paper: str = "A4"
    kabupaten: tuple[str, ...] = ()
    kabupaten_name: str = ""
    kop: tuple[str, ...] = ()
    rows_per_sheet: int = 10
    layouts: Mapping[str, FormLayout] = field(default_factory=dict)

    @property
    def forms(self) -> tuple[str, ...]:
        """The forms this template can print."""
        return tuple(self.layouts)

    def page_size(self, orientation: str = "portrait") -> tuple[float, float]:
        """Width and height in points of one page."""
        size = PAPERS[self.paper]
        if orientation == "landscape":
            return size[1], size[0]
        return size

    def layout(self, form: str) -> FormLayout:
        """The layout of one form; PrintingError when the template does not print it."""
        try:
            return self.layouts[form]
        except KeyError:
            raise PrintingError(
                f"Templat cetak '{self.title}' tidak memuat formulir {form}. Pilih templat cetak lain di "
                "pengaturan, atau minta Dinas menambahkan formulir ini ke templatnya."
            ) from None

    def serves(self, kabupaten_code: str) -> bool:
        """Whether an outpost in this kabupaten (`35.21`) may use the template."""
        return not self.kabupaten or kabupaten_code in self.kabupaten


@dataclass(frozen=True)
class TemplateSet:
    """Every template of the templates file, and the default one."""

    templates: tuple[PrintTemplate, ...]
    default: str

    def get(self, template_id: str) -> PrintTemplate:
        """One template by id; PrintingError for an unknown id."""
        for template in self.templates:
            if template.id == template_id:
                return template
        known = ", ".join(t.id for t in self.templates)
        raise PrintingError(
            f"Templat cetak '{template_id}' tidak dikenal (tersedia: {known}). Pilih templat cetak di pengaturan."
        )


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, entry: str, problem: str) -> PrintDataError:
        return PrintDataError(self.file, entry, problem)

    def read(self, data: object) -> TemplateSet:
        if not isinstance(data, dict) or not isinstance(data.get("templates"), list) or not data["templates"]:
            raise self.fail("", "expected a mapping with a non-empty 'templates' list")
        raw: dict[str, dict[str, object]] = {}
        for index, item in enumerate(data["templates"]):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
                raise self.fail(f"templates[{index}]", "a template needs an 'id'")
            entry = f"templates.{item['id']}"
            unknown = set(item) - _TEMPLATE_KEYS
            if unknown:
                raise self.fail(entry, f"unknown keys {sorted(unknown)}")
            if item["id"] in raw:
                raise self.fail(entry, "template id used twice")
            raw[item["id"]] = item
        templates = tuple(self.template(tid, raw) for tid in raw)
        default = str(data.get("default", templates[0].id))
        if default not in raw:
            raise self.fail("default", f"unknown template {default!r}")
        return TemplateSet(templates, default)

    def merged(
        self, template_id: str, raw: Mapping[str, dict[str, object]], chain: tuple[str, ...] = ()
    ) -> dict[str, object]:
        item = raw[template_id]
        parent_id = item.get("extends")
        if parent_id is None:
            return dict(item)
        entry = f"templates.{template_id}.extends"
        if not isinstance(parent_id, str) or parent_id not in raw:
            raise self.fail(entry, f"unknown template {parent_id!r}")
        if parent_id in chain or parent_id == template_id:
            raise self.fail(entry, "templates extend each other in a circle")
        merged = self.merged(parent_id, raw, (*chain, template_id))
        layouts = dict(_mapping(merged.get("layouts")))
        for form, override in _mapping(item.get("layouts")).items():
            layouts[form] = {**_mapping(layouts.get(form)), **_mapping(override)}
        merged.update({k: v for k, v in item.items() if k not in ("layouts", "extends")})
        merged["layouts"] = layouts
        return merged

    def template(self, template_id: str, raw: Mapping[str, dict[str, object]]) -> PrintTemplate:
        data = self.merged(template_id, raw)
        entry = f"templates.{template_id}"
        paper = str(data.get("paper", "A4"))
        if paper not in PAPERS:
            raise self.fail(f"{entry}.paper", f"paper must be one of {sorted(PAPERS)}, not {paper!r}")
        rows = data.get("rows_per_sheet", 10)
        if not isinstance(rows, int) or isinstance(rows, bool) or not 1 <= rows <= 30:
            raise self.fail(f"{entry}.rows_per_sheet", "must be a whole number from 1 to 30")
        forms = data.get("forms")
        if not isinstance(forms, list) or not forms:
            raise self.fail(f"{entry}.forms", "needs a non-empty list of forms")
        layouts_raw = _mapping(data.get("layouts"))
        layouts: dict[str, FormLayout] = {}
        for form in forms:
            layouts[str(form)] = self.layout(f"{entry}.layouts.{form}", str(form), layouts_raw.get(str(form)))
        for form in layouts_raw:
            if form not in layouts:
                raise self.fail(f"{entry}.layouts.{form}", "a layout for a form not in 'forms'")
        return PrintTemplate(
            id=template_id,
            title=str(data.get("title", template_id)),
            description=str(data.get("description", "")),
            paper=paper,
            kabupaten=tuple(str(code) for code in _list(data.get("kabupaten"))),
            kabupaten_name=str(data.get("kabupaten_name") or ""),
            kop=tuple(str(line) for line in _list(data.get("kop"))),
            rows_per_sheet=rows,
            layouts=layouts,
        )

    def layout(self, entry: str, form: str, data: object) -> FormLayout:
        if data is None:
            return FormLayout(form)
        if not isinstance(data, dict):
            raise self.fail(entry, "a layout must be a mapping")
        unknown = set(data) - _LAYOUT_KEYS
        if unknown:
            raise self.fail(entry, f"unknown keys {sorted(unknown)}")
        orientation = str(data.get("orientation", "portrait"))
        if orientation not in ORIENTATIONS:
            raise self.fail(f"{entry}.orientation", f"must be portrait or landscape, not {orientation!r}")
        blank = data.get("blank_rows", 0)
        if not isinstance(blank, int) or isinstance(blank, bool) or not 0 <= blank <= 30:
            raise self.fail(f"{entry}.blank_rows", "must be a whole number from 0 to 30")
        signatures = []
        for index, item in enumerate(_list(data.get("signatures"))):
            where = f"{entry}.signatures[{index}]"
            if not isinstance(item, dict) or not isinstance(item.get("role"), str):
                raise self.fail(where, "a signature needs a 'role'")
            unknown = set(item) - _SIGNATURE_KEYS
            if unknown:
                raise self.fail(where, f"unknown keys {sorted(unknown)}")
            signatures.append(
                Signature(
                    role=item["role"],
                    heading=str(item.get("heading", "")),
                    name_from=str(item.get("name_from", "")),
                    nip=bool(item.get("nip", False)),
                    meterai=bool(item.get("meterai", False)),
                    dated=bool(item.get("dated", False)),
                )
            )
        return FormLayout(
            form=form,
            title=str(data.get("title", "")),
            orientation=orientation,
            full=bool(data.get("full", True)),
            region_header=str(data.get("region_header", "")),
            sheet_section=str(data.get("sheet_section", "")),
            blank_rows=blank,
            intro=str(data.get("intro", "")).strip(),
            statement=str(data.get("statement", "")).strip(),
            date_from=str(data.get("date_from", "")),
            signatures=tuple(signatures),
        )


def _mapping(value: object) -> dict[str, object]:
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def read_templates(path: Path) -> TemplateSet:
    """Read and check a templates file; raise PrintDataError naming the file and the entry."""
    return _Reader(path.name).read(load_yaml(path, PrintDataError))


@functools.cache
def template_set() -> TemplateSet:
    """The shipped templates (resources/print/templates.yaml), loaded once."""
    return read_templates(resource_path("print", "templates.yaml"))


def available_templates(kabupaten_code: str | None = None) -> list[PrintTemplate]:
    """The shipped templates, or only those an outpost of one kabupaten (`35.21`) may choose."""
    templates = template_set().templates
    return [t for t in templates if kabupaten_code is None or t.serves(kabupaten_code)]


def get_template(template_id: str) -> PrintTemplate:
    """One shipped template by id; PrintingError for an unknown id."""
    return template_set().get(template_id)


def default_template() -> PrintTemplate:
    """The template used when the outpost has chosen none."""
    templates = template_set()
    return templates.get(templates.default)
