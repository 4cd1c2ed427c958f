"""A bad catalogue file is told as a CatalogError naming the file, the entry and the field, whatever is wrong.

The catalogue's structure is declared once (app/catalog/files.py); these tests write small catalogues with
one fault each and read the whole message an editor of the data would see.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from app.catalog import CatalogError, read_catalog
from app.forms import FormRegistry
from app.reference.bundle import BundleError
from app.reference.library import load_folder

from .test_loader import CATALOG, SERVICE, load, make

# SERVICE plus every optional construct (form conditions, choice and date facts, a referral, a waiver,
# prefill), so that a fault can be put in each.
FULL = SERVICE.replace(
    "forms:\n  - T-1.02\n",
    'forms:\n  - {form: T-1.02, when: "not fakta.pemohon_oa or fakta.pemohon_oa"}\n',
).replace(
    "facts:\n",
    "facts:\n"
    "  - {id: jalur, label: Jalur, type: choice, options: [{value: 1, label: Biasa}, {value: 2, label: Cepat}]}\n"
    "  - {id: tanggal_lahir_anak, label: Tanggal lahir anak, type: date}\n",
).replace(
    "    message: Pemohon belum 17 tahun dan belum kawin.\n",
    "    message: Pemohon belum 17 tahun dan belum kawin.\n"
    "    referral:\n"
    "      to: kua\n"
    "      reason: Perkawinan orang Islam dicatat KUA.\n"
    "      legal_basis: [perpres_96_2018]\n"
    "      articles: UU 23/2006 Pasal 8 ayat (2)\n",
).replace(
    '    mandatory: "any_row(t102.anggota, status_kawin == 2)"\n',
    '    mandatory: "any_row(t102.anggota, status_kawin == 2)"\n'
    "    unless:\n"
    '      - {when: "fakta.pemohon_oa", reason: Orang asing tidak punya KK.}\n',
) + ("prefill:\n  t102.permohonan.jenis: [I.C.1]\n")
FULL_CATALOG = CATALOG + "offices:\n  - {id: kua, title: KUA Kecamatan}\n"


def test_the_full_service_loads(tmp_path: Path) -> None:
    catalog, _ = load(tmp_path, FULL, FULL_CATALOG)
    service = catalog.service(8)
    assert [f.type for f in service.facts] == ["choice", "date", "boolean"]
    assert service.facts[0].options == ((1, "Biasa"), (2, "Cepat"))
    assert service.forms[0].when is not None
    referral = service.eligibility[0].referral
    assert referral is not None and referral.office.title == "KUA Kecamatan" and referral.next_step == ""
    married = service.requirement("kk_kawin")
    assert married is not None and [w.reason for w in married.unless] == ["Orang asing tidak punya KK."]
    assert service.prefill == (("t102.permohonan.jenis", ["I.C.1"]),)


# A list or a mapping where a word was expected leaked a bare TypeError ("unhashable type") from the
# membership tests of fact types and copy kinds: the reference library, which turns the loader's errors
# into "the Dinas' catalogue cannot be loaded", does not catch it.
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "type: boolean}",
            "type: [boolean]}",
            "08-kk-hilang.yaml: facts.pemohon_oa.type: must be 'boolean', 'choice' or 'date', not ['boolean']",
        ),
        (
            "copy: asli\n    mandatory: \"'I.C.1'",
            "copy: {asli: true}\n    mandatory: \"'I.C.1'",
            "08-kk-hilang.yaml: requirements.laporan_hilang.copy: must be one of "
            "['asli', 'asli_diperlihatkan', 'fotokopi'], not {'asli': True}",
        ),
    ],
)
def test_a_list_or_mapping_for_a_word_is_a_catalog_error(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in SERVICE
    with pytest.raises(CatalogError) as caught:
        load(tmp_path, SERVICE.replace(old, new))
    assert str(caught.value) == message


def test_a_received_catalogue_with_such_a_fault_is_refused_not_crashed(tmp_path: Path) -> None:
    """The reference library keeps the old catalogue when a received one cannot be loaded; the TypeError
    went past it."""
    root = make(tmp_path, SERVICE.replace("type: boolean}", "type: [boolean]}"))
    with pytest.raises(BundleError) as caught:
        load_folder(root)
    assert "facts.pemohon_oa.type" in str(caught.value.__cause__)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("number: 8", "number: 0", "number: must be a positive whole number, not 0"),
        ("number: 8", "number: true", "number: must be a positive whole number, not True"),
        ("fee: 0", "fee: gratis", "fee: must be a whole number of rupiah, not 'gratis'"),
        ("sla_days: 1", "sla_days: 31", "sla_days: must be a number of working days (1-30), not 31"),
        ("title: Penerbitan Kartu Keluarga Karena Hilang/Rusak", "title: ' '", "title: needs a non-empty text"),
        ("title: Penerbitan Kartu Keluarga Karena Hilang/Rusak\n", "", "title: needs a non-empty text"),
        ("code: KK-HILANG-RUSAK\n", "code: KK-HILANG-RUSAK\nwarna: merah\n", "unknown keys ['warna']"),
        ("outputs: [kk]", "outputs: kk", "outputs: must be a list, not 'kk'"),
        ("steps:\n", "keywords: {a: 1}\nsteps:\n", "keywords: must be a list, not {'a': 1}"),
        ("  - T-1.02\n", "", "forms: a service needs at least one form"),
        (
            "  - T-1.02\n",
            "  - {form: T-1.02, kapan: fakta.pemohon_oa}\n",
            "forms[0]: unknown keys ['kapan']",
        ),
        (
            "  - T-1.02\n",
            '  - {form: T-1.02, when: "fakta.pemohon_oa +"}\n',
            "forms[0].when: bad condition: does not parse: invalid syntax in 'fakta.pemohon_oa +'",
        ),
        ("label: Pemohon orang asing?, ", "", "facts.pemohon_oa.label: needs a non-empty text"),
        ("{id: pemohon_oa,", "{id: Pemohon_OA,", "facts.Pemohon_OA.id: id 'Pemohon_OA' must be snake_case"),
        ("type: boolean}", "type: boolean, tanya: ya}", "facts.pemohon_oa: unknown keys ['tanya']"),
        ("type: boolean}", "type: choice}", "facts.pemohon_oa.options: a choice fact needs options"),
        (
            "type: boolean}",
            "type: date, options: [{value: 1, label: Ya}]}",
            "facts.pemohon_oa.options: a date fact has no options",
        ),
        (
            "type: boolean}",
            "type: choice, options: [{value: 1}]}",
            "facts.pemohon_oa.options[0].label: needs a non-empty text",
        ),
        (
            '    check: "age(t102.pemohon.tanggal_lahir) >= 17 or t102.pemohon.status_kawin != 1"\n',
            "",
            "eligibility.dewasa.check: bad condition: an expression must be a non-empty string, not None",
        ),
        (
            "    message: Pemohon belum 17 tahun dan belum kawin.\n",
            "    message: Pemohon belum 17 tahun dan belum kawin.\n    pesan: x\n",
            "eligibility.dewasa: unknown keys ['pesan']",
        ),
        (
            "  - id: dewasa\n",
            "  - id: 7\n",
            "eligibility[0].id: id 7 must be snake_case",
        ),
        (
            '    mandatory: "any_row(t102.anggota, status_kawin == 2)"\n',
            "    mandatory: false\n    unless: [{when: fakta.pemohon_oa, reason: x}]\n",
            "requirements.kk_kawin.unless: a requirement that is never mandatory has nothing to waive",
        ),
        (
            "    document: kk\n",
            "    document: kk\n    wajib: true\n",
            "requirements.kk_kawin: unknown keys ['wajib']",
        ),
        (
            "documents: [sptjm]",
            "documents: []",
            "requirements.kk_rusak.substitutes.pernyataan.documents: a substitute needs at least one document",
        ),
        (
            "{id: pernyataan, label: Surat pernyataan,",
            "{id: pernyataan,",
            "requirements.kk_rusak.substitutes.pernyataan.label: needs a non-empty text",
        ),
        ("steps:\n  - Pemohon mengisi F-1.02.\n", "", "steps: the procedure steps shown to the officer are missing"),
        ("  - Pemohon mengisi F-1.02.\n", "  - {langkah: 1}\n", "steps[0]: needs a non-empty text"),
        ("requirements:\n", "prefill: [t102]\nrequirements:\n", "prefill: must be a mapping (key: value)"),
    ],
)
def test_a_bad_service_file_names_the_entry_and_the_field(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in SERVICE
    with pytest.raises(CatalogError) as caught:
        load(tmp_path, SERVICE.replace(old, new))
    assert str(caught.value) == f"08-kk-hilang.yaml: {message}"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "      to: kua\n",
            "      to: kantor_bulan\n",
            "eligibility.dewasa.referral.to: unknown office 'kantor_bulan'",
        ),
        (
            "      articles: UU 23/2006 Pasal 8 ayat (2)\n",
            "",
            "eligibility.dewasa.referral.articles: needs a non-empty text",
        ),
        (
            "      legal_basis: [perpres_96_2018]\n",
            "      legal_basis: []\n",
            "eligibility.dewasa.referral.legal_basis: a referral names the law that sends the case elsewhere",
        ),
        (
            "      legal_basis: [perpres_96_2018]\n",
            "      legal_basis: [perpres_96_2018, uu_99]\n",
            "eligibility.dewasa.referral.legal_basis[1]: unknown legal basis 'uu_99'",
        ),
        (
            '  - {form: T-1.02, when: "not fakta.pemohon_oa or fakta.pemohon_oa"}\n',
            "  - {form: T-1.02, when: }\n",
            "forms[0].when: bad condition: an expression must be a non-empty string, not None",
        ),
        (
            'when: "fakta.pemohon_oa"}',
            "when: }",
            "requirements.kk_rusak.substitutes.pernyataan.when: bad condition: an expression must be a non-empty "
            "string, not None",
        ),
        (
            "      to: kua\n      reason: Perkawinan orang Islam dicatat KUA.\n      legal_basis: [perpres_96_2018]\n"
            "      articles: UU 23/2006 Pasal 8 ayat (2)\n",
            "",
            "eligibility.dewasa.referral: must be a mapping (key: value)",
        ),
        (
            "      to: kua\n",
            "      to: kua\n      ke: kua\n",
            "eligibility.dewasa.referral: unknown keys ['ke']",
        ),
        (
            "reason: Orang asing tidak punya KK.}",
            "reason: Orang asing tidak punya KK., alasan: x}",
            "requirements.kk_kawin.unless[0]: unknown keys ['alasan']",
        ),
        (
            '{when: "fakta.pemohon_oa", reason: Orang asing tidak punya KK.}',
            "{reason: Orang asing tidak punya KK.}",
            "requirements.kk_kawin.unless[0].when: bad condition: an expression must be a non-empty string, not None",
        ),
        (
            "  - {id: tanggal_lahir_anak, label: Tanggal lahir anak, type: date}\n",
            "  - {id: tanggal_lahir_anak, label: Tanggal lahir anak, type: tanggal}\n",
            "facts.tanggal_lahir_anak.type: must be 'boolean', 'choice' or 'date', not 'tanggal'",
        ),
        (
            "[{value: 1, label: Biasa}, {value: 2, label: Cepat}]",
            "[{value: 1, label: Biasa}, [2, Cepat]]",
            "facts.jalur.options[1]: must be a mapping (key: value)",
        ),
        (
            "  t102.permohonan.jenis: [I.C.1]\n",
            "  t102.permohonan.jenis: [I.C.7]\n",
            "prefill.t102.permohonan.jenis: 'I.C.7' is not a code of jenis",
        ),
    ],
)
def test_faults_in_the_newer_constructs_name_the_entry(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in FULL
    with pytest.raises(CatalogError) as caught:
        load(tmp_path, FULL.replace(old, new), FULL_CATALOG)
    assert str(caught.value) == f"08-kk-hilang.yaml: {message}"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('version: "test-1"\n', "", "version: needs a non-empty text"),
        ("kind: kartu", "kind: buku", "outputs.kk.kind: must be 'kartu', 'surat' or 'akta', not 'buku'"),
        ("{id: kk, title: Kartu Keluarga}", "{id: kk}", "documents.kk.title: needs a non-empty text"),
        (
            "{id: kk, title: Kartu Keluarga}",
            "{id: KK, title: Kartu Keluarga}",
            "documents.KK.id: id 'KK' must be snake_case",
        ),
        (
            "{id: kk_rusak, title: KK yang rusak}",
            "{id: kk, title: KK yang rusak}",
            "documents.kk: id used twice",
        ),
        ("form: T-1.02", "form: F-9.99", "documents.sptjm.form: unknown form 'F-9.99'"),
        (
            "{id: pendaftaran_penduduk, title: Pendaftaran Penduduk}",
            "{id: pendaftaran_penduduk, title: Pendaftaran Penduduk, urutan: 1}",
            "groups.pendaftaran_penduduk: unknown keys ['urutan']",
        ),
        (
            "groups:\n  - {id: pendaftaran_penduduk, title: Pendaftaran Penduduk}\n",
            "groups: []\n",
            "groups: needs at least one entry",
        ),
        ("outputs:\n", "keluaran: 1\noutputs:\n", "unknown keys ['keluaran']"),
    ],
)
def test_a_bad_shared_file_names_the_entry_and_the_field(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in CATALOG
    with pytest.raises(CatalogError) as caught:
        load(tmp_path, catalog=CATALOG.replace(old, new))
    assert str(caught.value) == f"catalog.yaml: {message}"


def test_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        load(tmp_path, "- 1\n- 2\n")
    assert str(caught.value) == "08-kk-hilang.yaml: must be a mapping (key: value)"
    with pytest.raises(CatalogError) as caught:
        load(tmp_path / "b", catalog="just text\n")
    assert str(caught.value) == "catalog.yaml: must be a mapping (key: value)"


def test_the_same_number_in_two_files_names_both(tmp_path: Path) -> None:
    root = make(tmp_path)
    other = yaml.safe_dump({**yaml.load(textwrap.dedent(SERVICE), Loader=yaml.CSafeLoader), "code": "KK-LAIN"})
    (root / "catalog" / "services" / "09-lain.yaml").write_text(other, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        read_catalog(root / "catalog", FormRegistry(root / "forms"))
    assert str(caught.value) == "09-lain.yaml: number: number 8 is also used by 08-kk-hilang.yaml"
