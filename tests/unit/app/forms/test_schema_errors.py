"""A bad form-schema or code-list file is told as a SchemaError naming the file, the entry and the field.

The files' structure is declared once (app/forms/files.py); these tests write a small form that uses every
construct (conditions, carry with an `= expression` source, per-row rules with this.<field>, repeat bounds,
birth_date_field, allow_pending, app_only, col, pattern, region_level), put one fault in it each, and read
the whole message an editor of the data would see.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from app.forms import FormRegistry, SchemaError
from app.forms.expr import Expression

FILE = "T-3.01@TEST-2021.yaml"

CODELISTS = """\
version: TEST
lists:
  jenis_kelamin:
    title: Jenis Kelamin
    source: uji
    codes:
      - {code: 1, label: LAKI-LAKI, aliases: [L, LK]}
      - {code: 2, label: PEREMPUAN, aliases: [P]}
  shdk:
    codes:
      - {code: 1, label: KEPALA KELUARGA}
      - {code: 4, label: ANAK}
  jenis:
    title: Jenis
    codes:
      - {code: A, label: Baru}
      - {code: B, label: Ganti}
"""

FORM = """\
form: T-3.01
version: TEST-2021
alias: t301
title: Formulir Uji Lengkap
regulation: Permendagri Uji
source: buatan untuk uji
notes: catatan penyunting
sections:
  - id: header
    title: Data Keluarga
    help: Isi sesuai KK.
    fields:
      - {id: jenis, label: Jenis, type: choice, codes: jenis, required: true, col: 1}
      - id: alasan
        label: Alasan
        type: text
        visible: "jenis == 'B'"
        required: "jenis == 'B'"
        max_length: 60
        min_length: 3
        help: Alasan penggantian
      - {id: kode_pos, label: Kode Pos, type: postal_code, pattern: "^[0-9]{5}$", pattern_hint: lima angka}
      - {id: desa, label: Desa, type: region, region_level: desa, carry: outpost.region, app_only: true}
      - {id: jumlah, label: Jumlah, type: number, min: 1, max: 10, unit: orang, staff_only: true, col: b}
      - {id: tanggal, label: Tanggal, type: date, not_future: false, legacy_name: false}
  - id: anggota
    title: Anggota Keluarga
    repeat: {min: 1, max: 10}
    fields:
      - {id: nik, label: NIK, type: nik, required: true, allow_pending: true}
      - {id: nama, label: Nama, type: name, required: true, legacy_name: true}
      - {id: jenis_kelamin, label: Jenis Kelamin, type: choice, codes: jenis_kelamin, carry: "= nik_sex(nik)"}
      - {id: tanggal_lahir, label: Tanggal Lahir, type: date, sex_field: jenis_kelamin, birth_date_field: nik}
      - id: shdk
        label: SHDK
        type: choice
        codes: shdk
        carry:
          - {from: "= 4", when: "header.jenis == 'A'"}
    rules:
      - id: nik_ganda
        check: "count(anggota, nik == this.nik) == 1"
        path: nik
        message: NIK tercatat dua kali.
  - id: catatan
    visible: "count(anggota) > 1"
    fields:
      - {id: isi, type: text}
rules:
  - id: satu_kepala
    when: "count(anggota) > 0"
    check: "count(anggota, shdk == 1) == 1"
    path: anggota
    severity: warning
    message: "  Harus ada satu kepala keluarga.  "
"""


def registry(folder: Path, form: str = FORM, codelists: str = CODELISTS) -> FormRegistry:
    (folder / "codelists.yaml").write_text(textwrap.dedent(codelists), encoding="utf-8")
    (folder / FILE).write_text(textwrap.dedent(form), encoding="utf-8")
    return FormRegistry(folder)


def fault(folder: Path, old: str, new: str, *, codelists: bool = False) -> SchemaError:
    """The error of the file with `old` replaced by `new` (once; `old` must be in it)."""
    text = CODELISTS if codelists else FORM
    assert old in text, old
    changed = text.replace(old, new, 1)
    with pytest.raises(SchemaError) as caught:
        registry(folder, codelists=changed) if codelists else registry(folder, form=changed)
    return caught.value


def test_the_full_form_loads_with_every_construct(tmp_path: Path) -> None:
    schema = registry(tmp_path).get("T-3.01")
    assert (schema.key, schema.alias, schema.title, schema.regulation) == (
        "T-3.01@TEST-2021",
        "t301",
        "Formulir Uji Lengkap",
        "Permendagri Uji",
    )
    header, anggota, catatan = schema.sections
    assert (header.title, header.help, header.repeat_min, header.rules) == ("Data Keluarga", "Isi sesuai KK.", None, ())
    jenis, alasan, kode_pos, desa, jumlah, tanggal = header.fields
    assert jenis.codes is not None and jenis.codes.title == "Jenis" and jenis.required is True and jenis.col == 1
    assert isinstance(alasan.visible, Expression) and isinstance(alasan.required, Expression)
    assert (alasan.max_length, alasan.min_length, alasan.help) == (60, 3, "Alasan penggantian")
    assert kode_pos.pattern == re.compile("^[0-9]{5}$") and kode_pos.pattern_hint == "lima angka"
    assert (desa.region_level, desa.app_only, [link.source.kind for link in desa.carry]) == ("desa", True, ["outpost"])
    assert (jumlah.min, jumlah.max, jumlah.unit, jumlah.staff_only, jumlah.col) == (1.0, 10.0, "orang", True, "b")
    assert isinstance(jumlah.min, float)
    assert (tanggal.not_future, tanggal.legacy_name, tanggal.allow_pending) == (False, False, False)
    assert (anggota.repeat_min, anggota.repeat_max, anggota.repeating) == (1, 10, True)
    nik, nama, kelamin, lahir, shdk = anggota.fields
    assert nik.allow_pending and nama.legacy_name and nik.not_future
    assert [(link.source.kind, link.source.text) for link in kelamin.carry] == [("expr", "= nik_sex(nik)")]
    assert shdk.carry[0].when is not None and shdk.carry[0].source.expression is not None
    assert (lahir.sex_field, lahir.birth_date_field) == (("jenis_kelamin",), ("nik",))
    assert [(r.id, r.path, r.severity, r.when) for r in anggota.rules] == [("nik_ganda", "nik", "error", None)]
    assert catatan.title == "catatan" and catatan.visible is not None
    assert catatan.fields[0].label == "isi" and catatan.fields[0].codes is None
    (rule,) = schema.rules
    assert (rule.id, rule.severity, rule.message, rule.path) == (
        "satu_kepala",
        "warning",
        "Harus ada satu kepala keluarga.",
        "anggota",
    )
    assert rule.when is not None
    lists = registry(tmp_path).codelists
    assert lists.version == "TEST"
    kelamin_list = lists.get("jenis_kelamin")
    assert kelamin_list is not None and kelamin_list.source == "uji" and kelamin_list.codes[0].aliases == ("L", "LK")
    shdk_list = lists.get("shdk")
    assert shdk_list is not None and shdk_list.title == "shdk" and shdk_list.has(4) and not shdk_list.has("4")


# One fault in a key of one entry: the message names the file, the section, field or rule by its id, and
# the key, e.g. what a data editor reads in the app's log when the shipped forms do not load.
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "type: text\n        visible",
            "type: teks\n        visible",
            f"{FILE}: sections.header.fields.alasan.type: unknown type 'teks'; known: boolean, choice, date, email, "
            "kk, multichoice, name, nik, number, phone, postal_code, region, text, time",
        ),
        (
            "type: text\n        visible",
            "tipe: text\n        visible",
            f"{FILE}: sections.header.fields.alasan: unknown keys ['tipe']",
        ),
        (
            "{id: isi, type: text}",
            "{id: isi}",
            f"{FILE}: sections.catatan.fields.isi: needs 'type'",
        ),
        (
            "visible: \"jenis == 'B'\"",
            'visible: "jenis =="',
            f"{FILE}: sections.header.fields.alasan.visible: bad expression: does not parse: invalid syntax in "
            "'jenis =='",
        ),
        (
            "required: \"jenis == 'B'\"",
            "required: 1",
            f"{FILE}: sections.header.fields.alasan.required: bad expression: an expression must be a non-empty "
            "string, not 1",
        ),
        (
            "max_length: 60",
            'max_length: "60"',
            f"{FILE}: sections.header.fields.alasan.max_length: must be a whole number (0 or more), not '60'",
        ),
        (
            'pattern: "^[0-9]{5}$"',
            'pattern: "^[0-9]{5$("',
            f"{FILE}: sections.header.fields.kode_pos.pattern: bad regular expression: missing ), unterminated "
            "subpattern at position 9",
        ),
        (
            "region_level: desa",
            "region_level: dusun",
            f"{FILE}: sections.header.fields.desa.region_level: must be 'provinsi', 'kabupaten', 'kecamatan' or "
            "'desa', not 'dusun'",
        ),
        (
            "carry: outpost.region",
            "carry: outpost.wilayah",
            f"{FILE}: sections.header.fields.desa.carry: 'outpost.wilayah': outpost has no 'wilayah'; known: "
            "name, region, site",
        ),
        (
            'carry: "= nik_sex(nik)"',
            'carry: "= nik_sex("',
            f"{FILE}: sections.anggota.fields.jenis_kelamin.carry: '= nik_sex(': bad expression: does not parse: "
            "'(' was never closed in ' nik_sex('",
        ),
        (
            "min: 1, max: 10, unit",
            "min: satu, max: 10, unit",
            f"{FILE}: sections.header.fields.jumlah.min: must be a number, not 'satu'",
        ),
        (
            "not_future: false",
            "not_future: tidak",
            f"{FILE}: sections.header.fields.tanggal.not_future: must be true or false, not 'tidak'",
        ),
        (
            "allow_pending: true",
            "allow_pending: ya",
            f"{FILE}: sections.anggota.fields.nik.allow_pending: must be true or false, not 'ya'",
        ),
        (
            "{id: jenis, label: Jenis,",
            "{id: jenis, label: [Jenis],",
            f"{FILE}: sections.header.fields.jenis.label: must be text, not ['Jenis']",
        ),
        (
            "app_only: true",
            "app_only: 1",
            f"{FILE}: sections.header.fields.desa.app_only: must be true or false, not 1",
        ),
        (
            "col: 1}",
            "col: [1]}",
            f"{FILE}: sections.header.fields.jenis.col: must be a number or text, not [1]",
        ),
        (
            "sex_field: jenis_kelamin",
            "sex_field: 5",
            f"{FILE}: sections.anggota.fields.tanggal_lahir.sex_field: must name a field (field or section.field), "
            "not 5",
        ),
        (
            "type: postal_code,",
            "type: postal_code, codes: jenis,",
            f"{FILE}: sections.header.fields.kode_pos.codes: 'codes' only applies to choice fields, not postal_code",
        ),
        (
            "type: choice, codes: jenis,",
            "type: choice,",
            f"{FILE}: sections.header.fields.jenis: a choice field needs 'codes' (the id of a list in codelists.yaml)",
        ),
        (
            "{id: nama,",
            "{id: Nama,",
            f"{FILE}: sections.anggota.fields.Nama.id: field id 'Nama' must be snake_case",
        ),
        (
            "  - id: catatan\n",
            "  - id: catatan-lain\n",
            f"{FILE}: sections.catatan-lain.id: section id 'catatan-lain' must be snake_case",
        ),
        (
            "repeat: {min: 1, max: 10}",
            "repeat: {min: satu, max: 10}",
            f"{FILE}: sections.anggota.repeat.min: must be a whole number (0 or more), not 'satu'",
        ),
        (
            "repeat: {min: 1, max: 10}",
            "repeat: {min: 1, paling_banyak: 10}",
            f"{FILE}: sections.anggota.repeat: unknown keys ['paling_banyak']",
        ),
        (
            "repeat: {min: 1, max: 10}",
            "repeat:",
            f"{FILE}: sections.anggota.repeat: must be a mapping (key: value)",
        ),
        (
            "    fields:\n      - {id: isi, type: text}",
            "    fields: []",
            f"{FILE}: sections.catatan.fields: needs a non-empty 'fields' list",
        ),
        (
            "  - id: catatan\n",
            "  - id: catatan\n    judul: Catatan\n",
            f"{FILE}: sections.catatan: unknown keys ['judul']",
        ),
        (
            "        message: NIK tercatat dua kali.\n",
            "        message: NIK tercatat dua kali.\n        level: error\n",
            f"{FILE}: sections.anggota.rules.nik_ganda: unknown keys ['level']",
        ),
        (
            "        message: NIK tercatat dua kali.\n",
            "",
            f"{FILE}: sections.anggota.rules.nik_ganda.message: needs a 'message' in Bahasa Indonesia",
        ),
        (
            '    check: "count(anggota, shdk == 1) == 1"\n',
            "",
            f"{FILE}: rules.satu_kepala: needs 'check'",
        ),
        (
            "severity: warning",
            "severity: peringatan",
            f"{FILE}: rules.satu_kepala.severity: must be 'error' or 'warning', not 'peringatan'",
        ),
        (
            "  - id: satu_kepala\n",
            "  - id: SatuKepala\n",
            f"{FILE}: rules.SatuKepala.id: rule id 'SatuKepala' must be snake_case",
        ),
        (
            "  - id: catatan\n    visible",
            "  - id: catatan\n    rules:\n      - {id: x, check: 'isi', message: x}\n    visible",
            f"{FILE}: sections.catatan.rules: per-row rules belong to repeating sections; use form-level rules",
        ),
        (
            "alias: t301\n",
            "",
            f"{FILE}: needs 'alias'",
        ),
        (
            "notes: catatan penyunting\n",
            "catatan: catatan penyunting\n",
            f"{FILE}: unknown keys ['catatan']",
        ),
    ],
)
def test_a_fault_in_an_entry_names_file_entry_and_field(tmp_path: Path, old: str, new: str, message: str) -> None:
    error = fault(tmp_path, old, new)
    assert str(error) == message
    assert error.file == FILE


# Faults across entries (ids used twice, names that lead nowhere): checked once the file's structure is right.
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "codes: jenis,",
            "codes: jenis_permohonan,",
            f"{FILE}: sections.header.fields.jenis.codes: unknown code list 'jenis_permohonan'",
        ),
        (
            "{id: kode_pos,",
            "{id: alasan,",
            f"{FILE}: sections.header.fields.alasan: field id used twice in the section",
        ),
        (
            "  - id: catatan\n",
            "  - id: header\n",
            f"{FILE}: sections.header: section id used twice",
        ),
        (
            "visible: \"jenis == 'B'\"",
            "visible: \"jenis_surat == 'B'\"",
            f"{FILE}: sections.header.fields.alasan.visible: expression \"jenis_surat == 'B'\" names unknown field "
            "'jenis_surat'",
        ),
        (
            "birth_date_field: nik",
            "birth_date_field: nomor",
            f"{FILE}: sections.anggota.fields.tanggal_lahir.birth_date_field: unknown field 'nomor'",
        ),
        (
            "count(anggota, nik == this.nik) == 1",
            "count(anggota, nik == this.nomor) == 1",
            f"{FILE}: sections.anggota.rules.nik_ganda.check: expression 'count(anggota, nik == this.nomor) == 1' "
            "names unknown field 'this.nomor'",
        ),
        (
            "        path: nik\n",
            "        path: nomor\n",
            f"{FILE}: sections.anggota.rules.nik_ganda.path: unknown field 'nomor' in the row",
        ),
        (
            'when: "count(anggota) > 0"',
            'when: "count(anggota) > this.nik"',
            f"{FILE}: rules.satu_kepala.when: 'this.nik': this.<field> names a field of a member row, in its rules",
        ),
        (
            "    path: anggota\n",
            "    path: anggota.umur\n",
            f"{FILE}: rules.satu_kepala.path: unknown path 'anggota.umur'",
        ),
        (
            'carry: "= nik_sex(nik)"',
            'carry: "= nik_sex(nomor)"',
            f"{FILE}: sections.anggota.fields.jenis_kelamin.carry: expression '= nik_sex(nomor)' names unknown "
            "field 'nomor'",
        ),
        (
            '- {from: "= 4", when: "header.jenis == \'A\'"}',
            '- {from: "= 4", when: "header.jenis_baru == \'A\'"}',
            f"{FILE}: sections.anggota.fields.shdk.carry: condition \"header.jenis_baru == 'A'\" names unknown "
            "field 'header.jenis_baru'",
        ),
    ],
)
def test_a_fault_across_entries_names_file_entry_and_field(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert str(fault(tmp_path, old, new)) == message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{code: 2, label: PEREMPUAN, aliases: [P]}",
            "{code: 2, aliases: [P]}",
            "codelists.yaml: lists.jenis_kelamin.codes[1]: needs 'label'",
        ),
        (
            "{code: 2, label: PEREMPUAN, aliases: [P]}",
            "{code: true, label: PEREMPUAN}",
            "codelists.yaml: lists.jenis_kelamin.codes[1].code: code must be a number or text, not True",
        ),
        (
            "{code: 2, label: PEREMPUAN, aliases: [P]}",
            "{code: 1, label: PEREMPUAN}",
            "codelists.yaml: lists.jenis_kelamin.codes[1]: code 1 appears twice",
        ),
        (
            "{code: 2, label: PEREMPUAN, aliases: [P]}",
            "{code: 2, label: PEREMPUAN, aliases: P}",
            "codelists.yaml: lists.jenis_kelamin.codes[1].aliases: must be a list, not 'P'",
        ),
        (
            "{code: 2, label: PEREMPUAN, aliases: [P]}",
            "{code: 2, label: PEREMPUAN, alias: [P]}",
            "codelists.yaml: lists.jenis_kelamin.codes[1]: unknown keys ['alias']",
        ),
        (
            "  shdk:\n    codes:\n",
            "  shdk:\n    kode:\n",
            "codelists.yaml: lists.shdk: unknown keys ['kode']",
        ),
        (
            "      - {code: 1, label: KEPALA KELUARGA}\n      - {code: 4, label: ANAK}\n",
            "",
            "codelists.yaml: lists.shdk.codes: a code list needs a non-empty 'codes' list",
        ),
        ("lists:\n", "daftar:\n", "codelists.yaml: unknown keys ['daftar']"),
    ],
)
def test_a_fault_in_the_code_lists_names_the_list_and_the_code(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert str(fault(tmp_path, old, new, codelists=True)) == message


# A list or a word where the loader expected something else leaked a bare TypeError or ValueError (an
# unhashable list in a membership test, int() of a word, iterating a number) instead of a SchemaError.
@pytest.mark.parametrize(
    ("old", "new", "codelists", "message"),
    [
        (
            "type: text\n        visible",
            "type: [text]\n        visible",
            False,
            f"{FILE}: sections.header.fields.alasan.type: unknown type ['text']; known: boolean, choice, date, "
            "email, kk, multichoice, name, nik, number, phone, postal_code, region, text, time",
        ),
        (
            "region_level: desa",
            "region_level: [desa]",
            False,
            f"{FILE}: sections.header.fields.desa.region_level: must be 'provinsi', 'kabupaten', 'kecamatan' or "
            "'desa', not ['desa']",
        ),
        (
            "severity: warning",
            "severity: [warning]",
            False,
            f"{FILE}: rules.satu_kepala.severity: must be 'error' or 'warning', not ['warning']",
        ),
        (
            "repeat: {min: 1, max: 10}",
            "repeat: {min: 1, max: sepuluh}",
            False,
            f"{FILE}: sections.anggota.repeat.max: must be a whole number (0 or more), not 'sepuluh'",
        ),
        (
            "{code: 2, label: PEREMPUAN, aliases: [P]}",
            "{code: 2, label: PEREMPUAN, aliases: 2}",
            True,
            "codelists.yaml: lists.jenis_kelamin.codes[1].aliases: must be a list, not 2",
        ),
    ],
)
def test_what_leaked_a_bare_exception_is_a_schema_error(
    tmp_path: Path, old: str, new: str, codelists: bool, message: str
) -> None:
    assert str(fault(tmp_path, old, new, codelists=codelists)) == message


def test_the_file_and_folder_level_faults_are_kept(tmp_path: Path) -> None:
    error = fault(tmp_path, "version: TEST-2021", "version: TEST-2022")
    assert str(error) == f"{FILE}: file name must be 'T-3.01@TEST-2022.yaml' (form@version)"
    error = fault(tmp_path, "sections:\n", "sections: []\nx_sections:\n")
    assert str(error) == f"{FILE}: unknown keys ['x_sections']"
    (tmp_path / "sub").mkdir()
    error = fault(tmp_path / "sub", "  - id: header\n", "  - id: header\n  - : [\n")
    assert error.file == FILE and error.problem.startswith("not valid YAML:")


def test_a_number_where_text_is_expected_is_read_as_its_digits(tmp_path: Path) -> None:
    form = FORM.replace("version: TEST-2021\n", "version: 2021\n").replace("label: Tanggal,", "label: 17,")
    (tmp_path / "codelists.yaml").write_text(CODELISTS, encoding="utf-8")
    (tmp_path / "T-3.01@2021.yaml").write_text(form, encoding="utf-8")
    schema = FormRegistry(tmp_path).get("T-3.01")
    header = schema.section("header")
    assert schema.version == "2021" and header is not None
    tanggal = header.field("tanggal")
    assert tanggal is not None and tanggal.label == "17"
