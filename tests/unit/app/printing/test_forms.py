"""Tests of form print-outs: member sheets of F-1.01, full and relevant F-2.01, every form with any answers."""

from __future__ import annotations

import dataclasses
import random

import pytest

from app.forms import FormSchema, default_registry, load_form
from app.printing import fonts as font_module
from app.printing.errors import PrintingError
from app.printing.forms import render_form
from app.printing.samples import sample_f101_answers, sample_f201_birth_answers
from app.printing.templates import get_template
from tests.unit.app.printing.pdfs import read_pdf

A4_LANDSCAPE = (841.9, 595.3)
F4_PORTRAIT = (609.4, 935.4)


def test_f101_prints_landscape_with_its_header_members_and_signatures() -> None:
    pdf = read_pdf(render_form(load_form("F-1.01"), sample_f101_answers(4), place="Sine"))
    assert all(size == pytest.approx(A4_LANDSCAPE, abs=0.5) for size in pdf.sizes)
    text = pdf.text
    for expected in (
        "F-1.01",
        "FORMULIR BIODATA KELUARGA",
        "DATA KEPALA KELUARGA",
        "JL. RAYA SINE NO. 12",
        "Wonosari",  # the desa code printed with its name
        "AGUS SANTOSO",
        "KEPALA KELUARGA",  # SHDK code label
        "Mengetahui,",
        "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten/Kota",
        "( BUDI SANTOSO )",
        "Sine, ",
    ):
        assert expected in text, expected
    assert "lembar" not in text
    assert "3521011204850001" in text  # NIK Ayah of the children (column 40); the member's own NIK is not on paper


def test_f101_wraps_members_beyond_ten_onto_a_second_sheet() -> None:
    schema = load_form("F-1.01")
    four = read_pdf(render_form(schema, sample_f101_answers(4)))
    twelve = read_pdf(render_form(schema, sample_f101_answers(12)))
    assert len(twelve.pages) > len(four.pages)
    assert "lembar 1 dari 2, baris 1-10" in twelve.text
    second_sheet = twelve.page_with("lembar 2 dari 2, baris 11-12")
    assert second_sheet > twelve.page_with("INDAH SARI")  # member 10 is on the first sheet
    assert "KARTIKA DEWI" in twelve.pages[second_sheet]  # member 12 starts the second sheet's page
    assert "INDAH SARI" not in twelve.pages[second_sheet]


def test_f201_full_prints_every_section_and_relevant_only_the_birth() -> None:
    schema = load_form("F-2.01")
    answers = sample_f201_birth_answers()
    full = read_pdf(render_form(schema, answers, full=True))
    relevant = read_pdf(render_form(schema, answers, full=False))
    default = read_pdf(render_form(schema, answers))
    assert len(full.pages) > len(relevant.pages)
    assert len(default.pages) == len(full.pages)  # the template prints F-2.01 in full unless told otherwise
    for text in (full.text, relevant.text):
        assert "KELAHIRAN (DATA ANAK)" in text and "ANISA PUTRI" in text
        assert "Pemerintah Desa/Kelurahan : Wonosari" in text and "Kabupaten Ngawi" in text
        assert "( BUDI SANTOSO )" in text and "12 Oktober 2026" in text  # pelapor signs on the reporting date
        assert "hari Kamis" in text  # Hari dan Tanggal Lahir: 1 October 2026 was a Thursday
    for section in ("KEMATIAN", "PERKAWINAN ATAU PEMBATALAN PERKAWINAN", "DATA SUBJEK AKTA KEDUA"):
        assert section in full.text
        assert section not in relevant.text
    assert "Nomor Dokumen Perjalanan" in full.text and "Nomor Dokumen Perjalanan" not in relevant.text


def test_the_regional_template_prints_on_f4() -> None:
    pdf = read_pdf(render_form(load_form("F-2.01"), sample_f201_birth_answers(), "ngawi"))
    assert all(size == pytest.approx(F4_PORTRAIT, abs=0.5) for size in pdf.sizes)
    f101 = read_pdf(render_form(load_form("F-1.01"), {}, get_template("ngawi")))
    assert f101.sizes[0] == pytest.approx((F4_PORTRAIT[1], F4_PORTRAIT[0]), abs=0.5)
    assert "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Ngawi" in f101.text


def test_a_template_without_the_form_or_an_unknown_template_is_told() -> None:
    template = get_template("pmdn109")
    narrow = dataclasses.replace(template, layouts={"F-1.01": template.layout("F-1.01")})
    with pytest.raises(PrintingError, match=r"tidak memuat formulir F-2\.01"):
        render_form(load_form("F-2.01"), {}, narrow)
    with pytest.raises(PrintingError, match="tidak dikenal"):
        render_form(load_form("F-2.01"), {}, "lima_puluh_kota")


def test_forms_print_with_the_fallback_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(font_module, "_selected", font_module.FALLBACK)
    pdf = render_form(load_form("F-1.01"), sample_f101_answers(4))
    assert b"DejaVu" not in pdf
    assert "AGUS SANTOSO" in read_pdf(pdf).text


SCHEMAS = sorted(default_registry(), key=lambda schema: schema.key)


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda schema: schema.key)
def test_every_form_prints_blank(schema: FormSchema) -> None:
    for full in (True, False):
        pdf = read_pdf(render_form(schema, {}, full=full))
        assert pdf.pages, schema.key
        assert schema.form in pdf.pages[0]


def _garbage(rng: random.Random, depth: int = 0) -> object:
    choices: list[object] = [
        None,
        "",
        True,
        False,
        0,
        -7,
        3.5,
        1e300,
        "belum-punya-nik",
        "x" * rng.randint(1, 5000),  # one long word: must be cut, never overflow the page
        "<b>&amp; <script>" * 20,
        "\x00\x07\u202e\ud800 teks aneh \u0000",
        "9999-99-99",
        "35.21.01.2001",
        "3521011204850001",
        " ".join(["kata"] * rng.randint(1, 900)),
        "I.A.1",
    ]
    if depth < 2:
        choices += [[_garbage(rng, depth + 1) for _ in range(rng.randint(0, 4))], {"a": _garbage(rng, depth + 1)}]
    return rng.choice(choices)


def _garbage_answers(schema: FormSchema, seed: int) -> object:
    rng = random.Random(seed)
    answers: dict[str, object] = {"bagian_asing": {"x": 1}}
    for section in schema.sections:
        roll = rng.random()
        if roll < 0.1:
            answers[section.id] = _garbage(rng)
            continue
        if section.repeating:
            rows: list[object] = []
            for _ in range(rng.choice((0, 1, 11, 25))):
                rows.append(
                    {spec.id: _garbage(rng) for spec in section.fields} if rng.random() > 0.1 else _garbage(rng)
                )
            answers[section.id] = rows
        else:
            answers[section.id] = {spec.id: _garbage(rng) for spec in section.fields} | {"tak_dikenal": "?"}
    return answers


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda schema: schema.key)
def test_every_form_prints_any_answers_without_raising(schema: FormSchema) -> None:
    for seed in range(3):
        answers = _garbage_answers(schema, seed)
        for full in (True, False):
            assert read_pdf(render_form(schema, answers, full=full, place="<Sine>\x00")).pages
    nonsense: object
    for nonsense in (None, [], "teks", 12):
        assert read_pdf(render_form(schema, nonsense)).pages
