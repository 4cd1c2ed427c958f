"""Tests of resources/forms/codelists.yaml against domain-reference §8 and the form-specific lists."""

from __future__ import annotations

import pytest

from app.forms import CodeList, CodeLists, default_registry


@pytest.fixture(scope="module")
def codelists() -> CodeLists:
    return default_registry().codelists


def get(codelists: CodeLists, list_id: str) -> CodeList:
    found = codelists.get(list_id)
    assert found is not None, list_id
    return found


COUNTS = {
    # §8 SIAK lists
    "jenis_kelamin": 2,
    "agama": 7,
    "pendidikan": 10,
    "pekerjaan": 89,
    "status_kawin": 6,
    "shdk": 11,
    "kewarganegaraan": 2,
    "ada_tidak": 2,
    "golongan_darah": 13,
    "penyandang_cacat": 6,
    "tipe_sponsor": 5,
    # §8.13 birth and death
    "tempat_dilahirkan": 5,
    "jenis_kelahiran": 5,
    "penolong_kelahiran": 4,
    "yang_menentukan_lahir_mati": 5,
    "sebab_kematian": 6,
    "yang_menerangkan_kematian": 4,
    "jenis_peristiwa_luar_negeri": 6,
    # form lists
    "f101_jenis_data": 3,
    "f102_jenis_permohonan": 27,
    "f102_persyaratan": 14,
    "f103_jenis_permohonan": 5,
    "f103_klasifikasi": 5,
    "f103_alasan": 7,
    "f103_jenis_kepindahan": 4,
    "f103_status_kk": 3,
    "f201_jenis_pelaporan": 16,
    "f201_status_sebelum_kawin": 4,
    "f201_agama_perkawinan": 6,
    # OpenSID-only variants and §8.14
    "kewarganegaraan_opensid": 3,
    "status_kawin_opensid": 4,
    "penyandang_cacat_opensid": 7,
    "opensid_status_dasar": 6,
    "opensid_peristiwa": 6,
    "opensid_log_keluarga": 10,
    "opensid_status_rekam": 8,
    "opensid_dokumen_identitas": 3,
    "opensid_status_penduduk": 2,
    "opensid_asuransi": 4,
    "opensid_cara_kb": 8,
    "opensid_sakit_menahun": 14,
    "opensid_hamil": 2,
}

GAPPED = {"opensid_status_dasar", "opensid_log_keluarga", "opensid_asuransi", "opensid_cara_kb"}


@pytest.mark.parametrize(("list_id", "count"), sorted(COUNTS.items()))
def test_code_count(codelists: CodeLists, list_id: str, count: int) -> None:
    assert len(get(codelists, list_id).codes) == count


@pytest.mark.parametrize("list_id", sorted(set(COUNTS) - GAPPED - {"f102_jenis_permohonan"}))
def test_numeric_lists_run_from_one_without_gaps(codelists: CodeLists, list_id: str) -> None:
    codes = [c.code for c in get(codelists, list_id).codes]
    assert codes == list(range(1, len(codes) + 1))


@pytest.mark.parametrize(
    ("list_id", "codes"),
    [
        ("opensid_status_dasar", [1, 2, 3, 4, 6, 9]),
        ("opensid_log_keluarga", [1, 2, 3, 4, 5, 6, 11, 12, 13, 14]),
        ("opensid_asuransi", [1, 2, 3, 99]),
        ("opensid_cara_kb", [1, 2, 3, 4, 5, 6, 7, 99]),
    ],
)
def test_opensid_lists_keep_their_gapped_codes(codelists: CodeLists, list_id: str, codes: list[int]) -> None:
    assert [c.code for c in get(codelists, list_id).codes] == codes


def test_f102_request_codes_mirror_the_paper(codelists: CodeLists) -> None:
    codes = [c.code for c in get(codelists, "f102_jenis_permohonan").codes]
    assert codes == [
        "I.A.1",
        "I.A.2",
        "I.A.3",
        "I.A.4",
        "I.A.5",
        "I.A.6",
        "I.B.1",
        "I.B.2",
        "I.B.3",
        "I.C.1",
        "I.C.2",
        "II.A",
        "II.B",
        "II.C.1",
        "II.C.2",
        "II.D",
        "II.E",
        "II.F",
        "II.G",
        "III.A",
        "III.B.1",
        "III.B.2",
        "III.C",
        "III.D",
        "IV.A",
        "IV.B",
        "IV.C",
    ]
    assert get(codelists, "f102_jenis_permohonan").label("I.A.1") == "KK Baru - Membentuk Keluarga Baru"


@pytest.mark.parametrize(
    ("list_id", "code", "label"),
    [
        ("jenis_kelamin", 1, "LAKI-LAKI"),
        ("jenis_kelamin", 2, "PEREMPUAN"),
        ("agama", 3, "KATHOLIK"),
        ("agama", 7, "KEPERCAYAAN TERHADAP TUHAN YME"),
        ("pendidikan", 1, "TIDAK / BELUM SEKOLAH"),
        ("pendidikan", 7, "AKADEMI/ DIPLOMA III/S. MUDA"),
        ("pendidikan", 10, "STRATA III"),
        ("pekerjaan", 1, "BELUM/TIDAK BEKERJA"),
        ("pekerjaan", 30, "TUKANG JAHIT"),
        ("pekerjaan", 48, "ANGGOTA DPR-RI"),
        ("pekerjaan", 61, "WAKIL WALIKOTA"),
        ("pekerjaan", 85, "PERANGKAT DESA"),
        ("pekerjaan", 88, "WIRASWASTA"),
        ("pekerjaan", 89, "LAINNYA"),
        ("status_kawin", 1, "BELUM KAWIN"),
        ("status_kawin", 2, "KAWIN TERCATAT"),
        ("status_kawin", 3, "KAWIN BELUM TERCATAT"),
        ("status_kawin", 5, "CERAI HIDUP BELUM TERCATAT"),
        ("status_kawin", 6, "CERAI MATI"),
        ("shdk", 1, "KEPALA KELUARGA"),
        ("shdk", 3, "ISTRI"),
        ("shdk", 11, "LAINNYA"),
        ("golongan_darah", 3, "AB"),
        ("golongan_darah", 10, "AB-"),
        ("golongan_darah", 13, "TIDAK TAHU"),
        ("penyandang_cacat", 6, "CACAT LAINNYA"),
        ("tipe_sponsor", 4, "Tanpa Sponsor"),
        ("ada_tidak", 1, "Tidak Ada"),
        ("ada_tidak", 2, "Ada"),
        ("f101_jenis_data", 3, "WNI di Luar Negeri"),
        ("f201_status_sebelum_kawin", 1, "Kawin"),
        ("f201_status_sebelum_kawin", 2, "Belum Kawin"),
        ("f201_jenis_pelaporan", 7, "Kematian"),
        ("f201_jenis_pelaporan", 13, "Pencatatan Peristiwa Penting Lainnya"),
        ("f201_agama_perkawinan", 6, "Konghuchu"),
        ("tempat_dilahirkan", 1, "RS/RB"),
        ("f103_klasifikasi", 4, "Antar Kab/Kota"),
        ("f103_jenis_kepindahan", 3, "Kepala Keluarga dan Sebagian Anggota Keluarga"),
        ("kewarganegaraan", 2, "WNA"),
        ("kewarganegaraan_opensid", 3, "DUA KEWARGANEGARAAN"),
    ],
)
def test_label(codelists: CodeLists, list_id: str, code: int | str, label: str) -> None:
    assert get(codelists, list_id).label(code) == label


def test_status_before_marriage_order_differs_from_marital_status(codelists: CodeLists) -> None:
    before = get(codelists, "f201_status_sebelum_kawin")
    status = get(codelists, "status_kawin")
    assert before.label(1) == "Kawin" and status.label(1) == "BELUM KAWIN"


@pytest.mark.parametrize(
    ("list_id", "code", "alias"),
    [
        ("jenis_kelamin", 1, "L"),
        ("jenis_kelamin", 1, "LK"),
        ("jenis_kelamin", 2, "P"),
        ("golongan_darah", 13, "TDK TH"),
        ("status_kawin", 1, "BK"),
        ("pendidikan", 9, "STRATA-II"),
    ],
)
def test_siak_export_spellings_are_aliases(codelists: CodeLists, list_id: str, code: int, alias: str) -> None:
    (entry,) = [c for c in get(codelists, list_id).codes if c.code == code]
    assert alias in entry.aliases


def test_codes_are_integers_where_the_paper_prints_numbers(codelists: CodeLists) -> None:
    for list_id, codelist in codelists.lists.items():
        if list_id == "f102_jenis_permohonan":
            continue
        assert all(isinstance(c.code, int) and not isinstance(c.code, bool) for c in codelist.codes), list_id


def test_every_list_names_its_source(codelists: CodeLists) -> None:
    for list_id, codelist in codelists.lists.items():
        assert codelist.source, list_id


@pytest.mark.parametrize("list_id", sorted(k for k in COUNTS if "opensid" in k))
def test_opensid_only_lists_say_so(codelists: CodeLists, list_id: str) -> None:
    assert "OpenSID only" in get(codelists, list_id).source


def test_labels_use_plain_ascii_hyphens(codelists: CodeLists) -> None:
    for codelist in codelists.lists.values():
        for code in codelist.codes:
            assert "\u2011" not in code.label and "\u2010" not in code.label, (codelist.id, code.code)
            assert code.label == code.label.strip()
