"""Print templates (resources/print/templates.yaml): paper, layout and signatures per form, per kabupaten."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt, StringConstraints
from pydantic.dataclasses import dataclass
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]

from app.datafiles import load_yaml
from app.datamodels import DATA_FILE, validate
from app.printing.errors import PrintDataError, PrintingError
from app.resources import resource_path

PAPERS: dict[str, tuple[float, float]] = {"A4": (float(A4[0]), float(A4[1])), "F4": (215 * mm, 330 * mm)}
ORIENTATIONS = frozenset({"portrait", "landscape"})
Stripped = Annotated[str, StringConstraints(strip_whitespace=True)]

# The classes below are both what the app uses and the structure of resources/print/templates.yaml (its
# comment tells each key): a key they do not declare, or a value of the wrong kind, names the file, the
# template, the form and the key.


@dataclass(frozen=True, config=DATA_FILE)
class Signature:
    """One signature block: who signs, the name printed under the line, and what else the block holds."""

    role: str
    heading: str = ""
    name_from: str = ""
    nip: StrictBool = False
    meterai: StrictBool = False
    dated: StrictBool = False


@dataclass(frozen=True, config=DATA_FILE)
class FormLayout:
    """How one form prints under a template (`form` is the key it is listed under)."""

    form: str
    title: str = ""
    orientation: Literal["portrait", "landscape"] = "portrait"
    full: StrictBool = True
    region_header: str = ""
    sheet_section: str = ""
    blank_rows: Annotated[StrictInt, Field(ge=0, le=30)] = 0
    intro: Stripped = ""
    statement: Stripped = ""
    date_from: str = ""
    signatures: tuple[Signature, ...] = ()


@dataclass(frozen=True, config=DATA_FILE)
class PrintTemplate:
    """A set of form layouts on one paper size, used by the kabupaten it names (or by every kabupaten).

    In the file a template also has `forms` (the forms it prints, in order) and may have `extends`."""

    id: str
    title: str
    description: str = ""
    paper: Literal["A4", "F4"] = "A4"
    kabupaten: tuple[str, ...] = ()
    kabupaten_name: str = ""
    kop: tuple[str, ...] = ()
    rows_per_sheet: Annotated[StrictInt, Field(ge=1, le=30)] = 10
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


class _TemplatesFile(BaseModel, frozen=True):
    """The file around the templates; each template is read as a PrintTemplate once `extends` is applied."""

    model_config = DATA_FILE
    version: StrictInt = 1
    default: str | None = None
    templates: Annotated[list[dict[str, Any]], Field(min_length=1)]


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
        document = validate(_TemplatesFile, data, file=self.file, error=PrintDataError)
        raw: dict[str, dict[str, object]] = {}
        for index, item in enumerate(document.templates):
            if not isinstance(item.get("id"), str) or not item["id"]:
                raise self.fail(f"templates[{index}]", "a template needs an 'id'")
            if item["id"] in raw:
                raise self.fail(f"templates.{item['id']}", "template id used twice")
            raw[item["id"]] = item
        templates = tuple(self.template(tid, raw) for tid in raw)
        default = document.default or templates[0].id
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
        forms = data.pop("forms", None)
        data.pop("extends", None)
        if not isinstance(forms, list) or not forms or not all(isinstance(form, str) for form in forms):
            raise self.fail(f"{entry}.forms", "needs a non-empty list of forms (such as F-1.01)")
        layouts_raw = data.get("layouts")
        if layouts_raw is not None and not isinstance(layouts_raw, dict):
            raise self.fail(f"{entry}.layouts", "must be a mapping of form to layout")
        layouts_raw = layouts_raw or {}
        for form in layouts_raw:
            if form not in forms:
                raise self.fail(f"{entry}.layouts.{form}", "a layout for a form not in 'forms'")
        layouts = {}
        for form in forms:
            layout = layouts_raw.get(form) or {}
            if not isinstance(layout, dict):
                raise self.fail(f"{entry}.layouts.{form}", "a layout must be a mapping")
            where = f"{entry}.layouts.{form}"
            layouts[form] = validate(
                FormLayout, {**layout, "form": form}, file=self.file, entry=where, error=PrintDataError
            )
        fields = {"title": template_id, **data, "layouts": layouts}
        return validate(PrintTemplate, fields, file=self.file, entry=entry, error=PrintDataError)


def _mapping(value: object) -> dict[str, object]:
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


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
