"""Tests of the print templates file: the shipped templates, inheritance, and errors that name the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.forms import default_registry
from app.printing.errors import PrintDataError, PrintingError
from app.printing.templates import (
    PAPERS,
    Signature,
    available_templates,
    default_template,
    get_template,
    read_templates,
)


def test_shipped_templates_and_who_may_choose_them() -> None:
    assert [t.id for t in available_templates()] == ["pmdn109", "ngawi"]
    assert [t.id for t in available_templates("35.21")] == ["pmdn109", "ngawi"]
    assert [t.id for t in available_templates("32.01")] == ["pmdn109"]
    assert default_template().id == "pmdn109"
    with pytest.raises(PrintingError, match="tidak dikenal"):
        get_template("tidak_ada")


def test_the_default_template_prints_every_shipped_form() -> None:
    template = default_template()
    assert sorted(template.forms) == default_registry().forms()
    assert template.layout("F-1.01").orientation == "landscape"
    assert template.layout("F-1.01").sheet_section == "anggota"
    assert template.layout("F-2.01").full
    assert template.layout("F-2.03").signatures[-1] == Signature(
        role="Yang membuat pernyataan", name_from="deklarator.nama", meterai=True, dated=True
    )
    for form in template.forms:
        layout = template.layout(form)
        assert layout.signatures, form
        assert sum(s.dated for s in layout.signatures) == 1, form  # one place-and-date line per form


def test_the_regional_variant_inherits_the_national_layouts() -> None:
    national, ngawi = get_template("pmdn109"), get_template("ngawi")
    assert ngawi.paper == "F4" and ngawi.page_size() == PAPERS["F4"]
    assert ngawi.page_size("landscape") == (PAPERS["F4"][1], PAPERS["F4"][0])
    assert ngawi.kabupaten_name == "Kabupaten Ngawi"
    assert ngawi.forms == national.forms
    assert ngawi.layout("F-2.01") == national.layout("F-2.01")  # `full: true` merged over the same layout


BASE = """
default: dasar
templates:
  - id: dasar
    title: Dasar
    forms: [F-1.02, F-2.01]
    layouts:
      F-2.01:
        full: true
        orientation: portrait
        statement: Pernyataan.
        signatures:
          - {role: Pelapor, name_from: pelapor.nama, dated: true}
  - id: daerah
    extends: dasar
    title: Daerah
    paper: F4
    kabupaten: ["35.21"]
    layouts:
      F-2.01: {full: false}
"""


def test_a_variant_overrides_one_key_and_keeps_the_rest(tmp_path: Path) -> None:
    templates = read_templates(_write(tmp_path, BASE))
    base, variant = templates.get("dasar"), templates.get("daerah")
    assert base.layout("F-2.01").full and not variant.layout("F-2.01").full
    assert variant.layout("F-2.01").statement == "Pernyataan."
    assert variant.layout("F-2.01").signatures == (Signature("Pelapor", name_from="pelapor.nama", dated=True),)
    assert variant.forms == ("F-1.02", "F-2.01") and variant.paper == "F4" and base.paper == "A4"
    assert variant.serves("35.21") and not variant.serves("35.20") and base.serves("35.20")
    with pytest.raises(PrintingError, match=r"tidak memuat formulir F-1\.01"):
        base.layout("F-1.01")


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "templat.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (BASE.replace("extends: dasar", "extends: lain"), "templates.daerah.extends: unknown template 'lain'"),
        (BASE.replace("paper: F4", "paper: Letter"), "templates.daerah.paper: must be 'A4' or 'F4', not 'Letter'"),
        (
            BASE.replace("orientation: portrait", "orientation: miring"),
            "templates.dasar.layouts.F-2.01.orientation: must be 'portrait' or 'landscape', not 'miring'",
        ),
        (
            BASE.replace("    title: Daerah", "    title: Daerah\n    warna: merah"),
            "templat.yaml: templates.daerah: unknown key 'warna'",
        ),
        (BASE.replace("F-2.01: {full: false}", "F-1.01: {full: false}"), "a layout for a form not in 'forms'"),
        (BASE.replace("- id: daerah", "- id: dasar"), "template id used twice"),
        (BASE.replace("default: dasar", "default: entah"), "default: unknown template 'entah'"),
        (
            BASE.replace("{role: Pelapor,", "{peran: Pelapor,"),
            "templates.dasar.layouts.F-2.01.signatures[0]: needs 'role'",
        ),
        (
            BASE.replace("    title: Dasar", "    title: Dasar\n    extends: daerah"),
            "templates extend each other in a circle",
        ),
        ("templates: []", "templates: needs at least 1 item"),
        (
            BASE.replace("full: true", "full: ya"),
            "templates.dasar.layouts.F-2.01.full: must be true or false, not 'ya'",
        ),
        (
            BASE.replace("    title: Daerah", "    title: Daerah\n    rows_per_sheet: 40"),
            "templates.daerah.rows_per_sheet: must be at most 30",
        ),
        (BASE.replace("    forms: [F-1.02, F-2.01]\n", ""), "templates.dasar.forms: needs a non-empty list of forms"),
    ],
)
def test_a_bad_templates_file_names_the_entry(tmp_path: Path, body: str, problem: str) -> None:
    with pytest.raises(PrintDataError) as caught:
        read_templates(_write(tmp_path, body))
    assert caught.value.file == "templat.yaml"
    assert problem in str(caught.value)
