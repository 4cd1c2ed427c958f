"""Every conditional requirement of the shipped catalogue, with answers that make it apply and not apply."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pytest

from app.catalog import Catalog, ChecklistItem, checklist, eligibility, load_catalog, required_forms

TODAY = dt.date(2026, 11, 22)

Answers = dict[str, object]


def ans(forms: dict[str, object] | None = None, **fakta: object) -> Answers:
    """Answers as the checklist takes them: form answers by form id, facts by id."""
    return {"forms": forms or {}, "fakta": fakta}


def f101(*status_kawin: int, jenis_data: int = 1) -> dict[str, object]:
    """F-1.01 answers with one member row per marital status code."""
    return {"F-1.01": {"header": {"jenis_data": jenis_data}, "anggota": [{"status_kawin": s} for s in status_kawin]}}


def f102(
    *jenis: str, status_kawin: int | None = None, lahir: str | None = None, kwn: int | None = None
) -> dict[str, object]:
    """F-1.02 answers: ticked request codes and the applicant's data."""
    pemohon = {"status_kawin": status_kawin, "tanggal_lahir": lahir, "kewarganegaraan": kwn}
    return {"F-1.02": {"pemohon": pemohon, "permohonan": {"jenis": list(jenis)}}}


def f103(klasifikasi: int | None = None, jenis_kepindahan: int | None = None) -> dict[str, object]:
    """F-1.03 answers: the move classification and who moves."""
    return {"F-1.03": {"kepindahan": {"klasifikasi": klasifikasi, "jenis_kepindahan": jenis_kepindahan}}}


def f201(
    suami: int | None = None,
    istri: int | None = None,
    kwn1: int | None = None,
    kwn2: int | None = None,
    lahir1: str | None = None,
    lahir2: str | None = None,
    pemberkatan: str | None = None,
) -> dict[str, object]:
    """F-2.01 answers: the subjects and the marriage block."""
    return {
        "F-2.01": {
            "subjek1": {"kewarganegaraan": kwn1, "tanggal_lahir": lahir1},
            "subjek2": {"kewarganegaraan": kwn2, "tanggal_lahir": lahir2},
            "perkawinan": {
                "status_sebelum_kawin_suami": suami,
                "status_sebelum_kawin_istri": istri,
                "tanggal_pemberkatan": pemberkatan,
            },
        }
    }


class Case(NamedTuple):
    """Requirements of one service that apply with `true` and do not apply with `false`."""

    service: int
    requirements: tuple[str, ...]
    true: Answers
    false: Answers


def case(service: int, requirements: str, true: Answers, false: Answers) -> Case:
    return Case(service, tuple(requirements.split()), true, false)


SPONSOR = "surat_sponsor stmd imta"

CASES = [
    # 1 Biodata WNI
    case(1, "surat_pengantar_rt_rw", ans(bayi_orang_tua_terdaftar=False), ans(bayi_orang_tua_terdaftar=True)),
    case(1, "buku_nikah", ans(f101(1, 2)), ans(f101(1, 1))),
    case(1, "akta_perceraian", ans(f101(4, 1)), ans(f101(2, 1))),
    case(1, "surat_pernyataan_pemilik_rumah", ans(menumpang_rumah=True), ans(menumpang_rumah=False)),
    # 3 Biodata OA
    case(3, "kitas", ans(izin_tinggal="itas"), ans(izin_tinggal="itap")),
    case(3, "kitap", ans(izin_tinggal="itap"), ans(izin_tinggal="itas")),
    case(3, SPONSOR, ans(didaftarkan_sponsor=True), ans(didaftarkan_sponsor=False)),
    case(3, "buku_nikah", ans(f101(2, 2, jenis_data=2)), ans(f101(1, jenis_data=2))),
    case(3, "akta_perceraian", ans(f101(4, jenis_data=2)), ans(f101(6, jenis_data=2))),
    # 4 KK baru membentuk keluarga baru
    case(4, "buku_nikah", ans(f102("I.A.1", status_kawin=2)), ans(f102("I.A.1", status_kawin=4))),
    case(4, "akta_perceraian", ans(f102("I.A.1", status_kawin=4)), ans(f102("I.A.1", status_kawin=2))),
    case(4, "sptjm_belum_tercatat", ans(f102("I.A.1", status_kawin=3)), ans(f102("I.A.1", status_kawin=2))),
    case(4, "sptjm_belum_tercatat", ans(f102("I.A.1", status_kawin=5)), ans(f102("I.A.1", status_kawin=4))),
    # issue 16 item 9: a widow or widower brings the spouse's akta kematian
    case(4, "akta_kematian_pasangan", ans(f102("I.A.1", status_kawin=6)), ans(f102("I.A.1", status_kawin=4))),
    # 5 KK baru penggantian kepala keluarga
    case(5, "surat_pernyataan_wali", ans(semua_anggota_di_bawah_17=True), ans(semua_anggota_di_bawah_17=False)),
    case(
        5,
        "surat_pernyataan_wali",
        ans(semua_anggota_di_bawah_17=True, saudara_menjadi_kepala_keluarga=False),
        ans(semua_anggota_di_bawah_17=True, saudara_menjadi_kepala_keluarga=True),
    ),
    # 6 Pisah KK
    case(6, "buku_nikah", ans(sebab_pisah="perkawinan"), ans(sebab_pisah="lainnya")),
    case(6, "akta_perceraian", ans(sebab_pisah="perceraian"), ans(sebab_pisah="perkawinan")),
    # 7 KK perubahan data
    case(7, "surat_pernyataan_perubahan_data", ans(f102("I.B.3")), ans(f102("I.B.1"))),
    case(7, "surat_pernyataan_perubahan_data", ans(f102("IV.A")), ans(f102("I.B.2"))),
    case(7, "skp ktp_el_daerah_asal", ans(pindah_datang=True), ans(pindah_datang=False)),
    case(7, "bukti_perubahan", ans(pindah_datang=False), ans(pindah_datang=True)),  # the SKPWNI once, as skp
    case(
        7,
        "surat_pernyataan_pengasuhan surat_pernyataan_bersedia_menampung",
        ans(anak_menumpang_di_bawah_17=True),
        ans(anak_menumpang_di_bawah_17=False),
    ),
    # 8 KK hilang/rusak: lost -> police letter, damaged -> the damaged KK
    case(8, "surat_kehilangan_kepolisian", ans(f102("I.C.1")), ans(f102("I.C.2"))),
    case(8, "kk_rusak", ans(f102("I.C.2")), ans(f102("I.C.1"))),
    case(8, "kitap", ans(f102("I.C.1", kwn=2)), ans(f102("I.C.1", kwn=1))),
    # 9 KTP-el baru WNI
    case(
        9,
        "surat_pengantar_rt_rw surat_pengantar_kelurahan_kecamatan bukti_kelahiran",
        ans(data_belum_ada=True),
        ans(data_belum_ada=False),
    ),
    case(
        9,
        "buku_nikah",
        ans(f102("II.A", status_kawin=2), data_belum_ada=True),
        ans(f102("II.A", status_kawin=2), data_belum_ada=False),
    ),
    case(
        9,
        "akta_perceraian",
        ans(f102("II.A", status_kawin=4), data_belum_ada=True),
        ans(f102("II.A", status_kawin=2), data_belum_ada=True),
    ),
    # 10 KTP-el pengganti WNI
    case(10, "skp ktp_el_daerah_asal", ans(f102("II.B")), ans(f102("II.C.1"))),
    case(10, "ktp_el_lama bukti_perubahan", ans(f102("IV.B")), ans(f102("II.B"))),
    case(10, "ktp_el_rusak", ans(f102("II.C.2")), ans(f102("II.C.1"))),
    case(10, "surat_kehilangan_kepolisian", ans(f102("II.C.1")), ans(f102("II.C.2"))),
    case(10, "kk", ans(f102("II.C.2")), ans(f102("II.B"))),
    case(10, "kk", ans(f102("IV.B")), ans(f102())),
    # 11 KTP-el baru OA
    case(11, SPONSOR, ans(didaftarkan_sponsor=True), ans(didaftarkan_sponsor=False)),
    case(11, "buku_nikah", ans(f102("II.A", status_kawin=2)), ans(f102("II.A", status_kawin=1))),
    case(11, "akta_perceraian", ans(f102("II.A", status_kawin=4)), ans(f102("II.A", status_kawin=6))),
    # 12 KTP-el pengganti OA
    case(12, "skp", ans(f102("II.B")), ans(f102("II.D"))),
    case(12, "ktp_el_lama bukti_perubahan", ans(f102("IV.B")), ans(f102("II.D"))),
    case(12, "ktp_el_lama_perpanjangan", ans(f102("II.D")), ans(f102("IV.B"))),
    case(12, "ktp_el_rusak", ans(f102("II.C.2")), ans(f102("II.C.1"))),
    case(12, "surat_kehilangan_kepolisian", ans(f102("II.C.1")), ans(f102("II.C.2"))),
    # 13 KIA WNI
    case(13, "akta_kelahiran", ans(f102("III.A")), ans(f102("III.B.1"))),
    # issue 16 item 9: the photo follows the child's birth date (5 years on TODAY 2026-11-22)
    case(13, "pas_foto_anak", ans(tanggal_lahir_anak="2021-11-22"), ans(tanggal_lahir_anak="2021-11-23")),
    case(13, "surat_kehilangan_kepolisian", ans(f102("III.B.1")), ans(f102("III.B.2"))),
    case(13, "kia_rusak", ans(f102("III.B.2")), ans(f102("III.B.1"))),
    case(13, "skpln_orang_tua", ans(datang_dari_luar_negeri=True), ans(datang_dari_luar_negeri=False)),
    case(13, "skp", ans(pindah_datang=True), ans(pindah_datang=False)),
    # 14 KIA OA: passport and ITAP for a new KIA, not for a lost one
    case(14, "paspor kitap", ans(f102("III.A")), ans(f102("III.B.1"))),
    case(14, "pas_foto_anak", ans(tanggal_lahir_anak="2015-03-01"), ans(tanggal_lahir_anak="2024-03-01")),
    case(14, "surat_kehilangan_kepolisian", ans(f102("III.B.1")), ans(f102("III.B.2"))),
    case(14, "kia_rusak", ans(f102("III.B.2")), ans(f102("III.A"))),
    case(14, "skpln_orang_tua", ans(datang_dari_luar_negeri=True), ans(datang_dari_luar_negeri=False)),
    case(14, "skp", ans(pindah_datang=True), ans(pindah_datang=False)),
    # 15 Perpindahan WNI
    case(15, "kk", ans(daerah="asal"), ans(daerah="tujuan")),
    case(15, "skpwni", ans(daerah="tujuan"), ans(daerah="asal")),
    case(15, "ktp_el_alamat_lama", ans(daerah="tujuan"), ans(f103(klasifikasi=4), daerah="asal")),
    case(15, "ktp_el_alamat_lama", ans(f103(klasifikasi=2), daerah="asal"), ans(f103(klasifikasi=5), daerah="asal")),
    case(15, "kia_alamat_lama", ans(daerah="tujuan", ada_kia=True), ans(daerah="tujuan", ada_kia=False)),
    case(
        15,
        "surat_pernyataan_pemilik_rumah",
        ans(f103(klasifikasi=3), daerah="asal", menumpang_rumah=True),
        ans(f103(klasifikasi=4), daerah="asal", menumpang_rumah=True),
    ),
    case(
        15,
        "surat_pernyataan_wali",
        ans(f103(klasifikasi=4, jenis_kepindahan=1), anggota_tinggal_di_bawah_17=True),
        ans(f103(klasifikasi=4, jenis_kepindahan=2), anggota_tinggal_di_bawah_17=True),
    ),
    case(
        15,
        "surat_pernyataan_wali",
        ans(f103(klasifikasi=4, jenis_kepindahan=1), anggota_tinggal_di_bawah_17=True),
        ans(
            f103(klasifikasi=4, jenis_kepindahan=1),
            anggota_tinggal_di_bawah_17=True,
            saudara_menjadi_kepala_keluarga=True,
        ),
    ),
    case(
        15,
        "buku_nikah_akta_cerai",
        ans(daerah="tujuan", kawin_atau_cerai_tercatat=True),
        ans(daerah="asal", kawin_atau_cerai_tercatat=True),
    ),
    # 16 Perpindahan OA ITAP
    case(16, "kk ktp_el dokumen_perjalanan kitap", ans(daerah="asal"), ans(daerah="tujuan")),
    case(16, "skp", ans(daerah="tujuan"), ans(daerah="asal")),
    case(16, "ktp_el_alamat_lama", ans(f103(klasifikasi=1), daerah="asal"), ans(f103(klasifikasi=4), daerah="asal")),
    case(16, "kia_alamat_lama", ans(daerah="tujuan", ada_kia=True), ans(daerah="asal", ada_kia=True)),
    case(
        16,
        "surat_pernyataan_pemilik_rumah",
        ans(daerah="tujuan", menumpang_rumah=True),
        ans(daerah="tujuan", menumpang_rumah=False),
    ),
    # 17 Perpindahan OA ITAS
    case(17, "sktt dokumen_perjalanan kitas", ans(daerah="asal"), ans(daerah="tujuan")),
    case(17, "skp", ans(daerah="tujuan"), ans(daerah="asal")),
    case(17, "sktt_alamat_lama", ans(daerah="tujuan"), ans(f103(klasifikasi=5), daerah="asal")),
    case(
        17,
        "surat_pernyataan_pemilik_rumah",
        ans(daerah="tujuan", menumpang_rumah=True),
        ans(f103(klasifikasi=4), daerah="asal", menumpang_rumah=True),
    ),
    # 18 Pindah ke luar negeri
    case(18, "kia", ans(ada_kia=True), ans(ada_kia=False)),
    case(
        18,
        "surat_pernyataan_wali",
        ans(f103(jenis_kepindahan=3), anggota_tinggal_di_bawah_17=True),
        ans(f103(jenis_kepindahan=3), anggota_tinggal_di_bawah_17=False),
    ),
    case(
        18,
        "surat_pernyataan_wali",
        ans(f103(jenis_kepindahan=3), anggota_tinggal_di_bawah_17=True),
        ans(f103(jenis_kepindahan=3), anggota_tinggal_di_bawah_17=True, saudara_menjadi_kepala_keluarga=True),
    ),
    # 20 SKTT orang asing datang
    case(20, "surat_pernyataan_pemilik_rumah", ans(menumpang_rumah=True), ans(menumpang_rumah=False)),
    case(20, SPONSOR, ans(didaftarkan_sponsor=True), ans(didaftarkan_sponsor=False)),
    case(20, "buku_nikah_akta_cerai", ans(kawin_atau_cerai_tercatat=True), ans(kawin_atau_cerai_tercatat=False)),
    # 21 Kelahiran WNI
    case(21, "berita_acara_kepolisian", ans(asal_usul_tidak_diketahui=True), ans(asal_usul_tidak_diketahui=False)),
    # issue 16: a foundling's police report replaces the birth letter, the marriage book and the KK; the child
    # of its mother only needs no marriage book (the akta names the mother only)
    case(
        21,
        "surat_keterangan_kelahiran buku_nikah kk",
        ans(asal_usul_tidak_diketahui=False),
        ans(asal_usul_tidak_diketahui=True),
    ),
    case(21, "buku_nikah", ans(anak_seorang_ibu=False), ans(anak_seorang_ibu=True)),
    case(22, "buku_nikah", ans(anak_seorang_ibu=False), ans(anak_seorang_ibu=True)),
    # 24 Kematian
    case(
        24,
        "dokumen_perjalanan_ri",
        ans(f201(kwn1=1), wni_bukan_penduduk=True),
        ans(f201(kwn1=1), wni_bukan_penduduk=False),
    ),
    case(24, "dokumen_perjalanan_oa", ans(f201(kwn1=2)), ans(f201(kwn1=1))),
    # issue 16 item 6: no KK for one in no KK, for a foreigner with an ITAS or no permit, for a WNI bukan penduduk
    case(24, "kk_ktp_almarhum", ans(tidak_tercantum_kk=False), ans(tidak_tercantum_kk=True)),
    case(24, "kk_ktp_almarhum", ans(f201(kwn1=2), izin_tinggal_oa="itap"), ans(f201(kwn1=2), izin_tinggal_oa="itas")),
    case(
        24, "kk_ktp_almarhum", ans(f201(kwn1=2), izin_tinggal_oa="itap"), ans(f201(kwn1=2), izin_tinggal_oa="lainnya")
    ),
    case(
        24, "kk_ktp_almarhum", ans(f201(kwn1=1), wni_bukan_penduduk=False), ans(f201(kwn1=1), wni_bukan_penduduk=True)
    ),
    # 25 Perkawinan WNI: cerai mati -> spouse's death akta, cerai hidup -> divorce akta
    case(25, "akta_kematian_pasangan", ans(f201(suami=2, istri=4)), ans(f201(suami=2, istri=3))),
    case(25, "akta_kematian_pasangan", ans(f201(suami=4, istri=2)), ans(f201(suami=2, istri=2))),
    case(25, "akta_perceraian", ans(f201(suami=3, istri=2)), ans(f201(suami=4, istri=2))),
    case(
        25,
        "penetapan_dispensasi",
        ans(f201(lahir1="1998-02-01", lahir2="2009-05-01", pemberkatan="2026-10-01")),
        ans(f201(lahir1="1998-02-01", lahir2="2007-09-30", pemberkatan="2026-10-01")),
    ),
    case(25, "penetapan_izin_poligami", ans(f201(suami=1, istri=2)), ans(f201(suami=3, istri=2))),
    case(
        25,
        "sptjm_pasangan_suami_istri",
        ans(pasangan_meninggal_sebelum_dicatat=True),
        ans(pasangan_meninggal_sebelum_dicatat=False),
    ),
    # 26 Perkawinan OA: SKTT for ITAS holders; widow/widower documents from seed 000
    case(26, "sktt", ans(izin_tinggal_oa="itas"), ans(izin_tinggal_oa="itap")),
    case(26, "akta_kematian_pasangan", ans(f201(suami=4, istri=2)), ans(f201(suami=2, istri=2))),
    case(26, "akta_perceraian", ans(f201(suami=2, istri=3)), ans(f201(suami=2, istri=4))),
    # 30 Pengangkatan anak
    case(
        30,
        "dokumen_perjalanan_orang_tua_angkat",
        ans(orang_tua_angkat_oa=True),
        ans(orang_tua_angkat_oa=False),
    ),
    # 31 Pengakuan anak: a foreign mother needs a court decision instead of the father's statement
    case(31, "surat_pernyataan_pengakuan", ans(ibu_kandung_oa=False), ans(ibu_kandung_oa=True)),
    case(31, "penetapan_pengadilan dokumen_perjalanan_ibu", ans(ibu_kandung_oa=True), ans(ibu_kandung_oa=False)),
    # 36 Perubahan nama
    case(36, "dokumen_perjalanan", ans(f201(kwn1=2)), ans(f201(kwn1=1))),
    # 38 Pembetulan akta
    case(38, "sptjm_kebenaran_data", ans(pembetulan_nama=True), ans(pembetulan_nama=False)),
    case(38, "surat_kuasa", ans(dikuasakan=True), ans(dikuasakan=False)),
    # 40 Pembatalan akta contrarius actus
    case(40, "surat_kuasa", ans(dikuasakan=True), ans(dikuasakan=False)),
    # 42 Anak berkewarganegaraan ganda
    case(42, "sertifikat_abg", ans(kasus_abg="sertifikat"), ans(kasus_abg="pilih_wni")),
    case(42, "keputusan_menteri kk", ans(kasus_abg="pilih_wni"), ans(kasus_abg="pilih_wna")),
    case(42, "surat_bukti_penyerahan", ans(kasus_abg="pilih_wna"), ans(kasus_abg="tidak_memilih")),
    case(42, "kitap", ans(kasus_abg="tidak_memilih"), ans(kasus_abg="sertifikat")),
]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """The shipped catalogue."""
    return load_catalog()


def item(catalog: Catalog, service: int, requirement: str, answers: Answers) -> ChecklistItem:
    """The checklist entry of one requirement for these answers."""
    items = {i.requirement.id: i for i in checklist(catalog.service(service), answers, today=TODAY)}
    assert requirement in items, f"service {service} has no requirement {requirement!r}"
    return items[requirement]


def _params() -> list[object]:
    return [
        pytest.param(c.service, req, c.true, c.false, id=f"{c.service:02d}-{req}-{i}")
        for i, c in enumerate(CASES)
        for req in c.requirements
    ]


@pytest.mark.parametrize(("service", "requirement", "true", "false"), _params())
def test_conditional_requirement_applies_only_when_its_condition_holds(
    catalog: Catalog, service: int, requirement: str, true: Answers, false: Answers
) -> None:
    when_true = item(catalog, service, requirement, true)
    when_false = item(catalog, service, requirement, false)
    assert when_true.conditional
    assert when_true.applies, when_true.reason
    assert not when_false.applies, when_false.reason


def test_every_conditional_requirement_has_a_case(catalog: Catalog) -> None:
    conditional = {(s.number, r.id) for s in catalog.services for r in s.requirements if r.conditional}
    covered = {(c.service, r) for c in CASES for r in c.requirements}
    assert conditional - covered == set(), "add a case for these conditional requirements"
    assert covered - conditional == set(), "these cases name requirements that are not conditional"


def test_unanswered_conditions_leave_conditional_requirements_open(catalog: Catalog) -> None:
    entry = item(catalog, 8, "surat_kehilangan_kepolisian", ans())
    assert entry.conditional
    assert not entry.applies
    assert "belum dapat ditentukan" in entry.reason


def test_kk_lost_and_damaged_need_different_documents(catalog: Catalog) -> None:
    hilang = {i.requirement.id for i in checklist(catalog.service(8), ans(f102("I.C.1"))) if i.applies}
    rusak = {i.requirement.id for i in checklist(catalog.service(8), ans(f102("I.C.2"))) if i.applies}
    assert hilang == {"surat_kehilangan_kepolisian"}
    assert rusak == {"kk_rusak"}


def test_kk_waived_copy_of_ktp_el_never_applies(catalog: Catalog) -> None:
    entry = item(catalog, 8, "ktp_el", ans(f102("I.C.1", kwn=1)))
    assert not entry.applies
    assert not entry.conditional
    assert "F-1.02" in entry.requirement.note


@pytest.mark.parametrize("service", [21, 22])
def test_birth_without_a_birth_letter_offers_sptjm_f203(catalog: Catalog, service: int) -> None:
    entry = item(catalog, service, "surat_keterangan_kelahiran", ans(surat_lahir_ada=False))
    assert entry.applies
    assert [s.id for s in entry.substitutes] == ["sptjm_f203"]
    assert [d.form for d in entry.substitutes[0].documents] == ["F-2.03"]
    forms = required_forms(catalog.service(service), ans(surat_lahir_ada=False, buku_nikah_ada=True))
    assert "F-2.03" in forms
    assert "F-2.04" not in forms


@pytest.mark.parametrize("service", [21, 22])
def test_birth_without_a_marriage_book_offers_sptjm_f204(catalog: Catalog, service: int) -> None:
    entry = item(catalog, service, "buku_nikah", ans(buku_nikah_ada=False))
    assert [d.form for s in entry.substitutes for d in s.documents] == ["F-2.04"]
    forms = required_forms(catalog.service(service), ans(surat_lahir_ada=True, buku_nikah_ada=False))
    assert forms == ["F-2.01", "F-2.04"]


def test_birth_with_all_letters_needs_only_f201(catalog: Catalog) -> None:
    assert required_forms(catalog.service(21), ans(surat_lahir_ada=True, buku_nikah_ada=True)) == ["F-2.01"]


def test_kk_new_family_unrecorded_marriage_needs_f105(catalog: Catalog) -> None:
    service = catalog.service(4)
    assert required_forms(service, ans(f102("I.A.1", status_kawin=3))) == ["F-1.02", "F-1.01", "F-1.05"]
    assert required_forms(service, ans(f102("I.A.1", status_kawin=2))) == ["F-1.02", "F-1.01"]
    entry = item(catalog, 4, "buku_nikah", ans(f102("I.A.1", status_kawin=2)))
    assert [d.form for s in entry.substitutes for d in s.documents] == ["F-1.05"]


def test_biodata_without_documents_needs_f104(catalog: Catalog) -> None:
    service = catalog.service(1)
    assert "F-1.04" in required_forms(service, ans(dokumen_peristiwa_ada=True, ijazah_ada=False))
    assert "F-1.04" not in required_forms(service, ans(dokumen_peristiwa_ada=True, ijazah_ada=True))
    entry = item(catalog, 1, "ijazah", ans())
    assert entry.applies
    assert [d.form for s in entry.substitutes for d in s.documents] == ["F-1.04"]


def test_ktp_el_non_electronic_card_replaces_kk_only_when_data_exists(catalog: Catalog) -> None:
    with_data = item(catalog, 9, "kk", ans(data_belum_ada=False))
    without_data = item(catalog, 9, "kk", ans(data_belum_ada=True))
    assert [s.id for s in with_data.substitutes] == ["ktp_non_elektronik"]
    assert without_data.substitutes == ()
    assert required_forms(catalog.service(9), ans(data_belum_ada=True)) == ["F-1.02", "F-1.01"]


def test_move_without_skp_offers_the_request_to_the_origin(catalog: Catalog) -> None:
    entry = item(catalog, 15, "skpwni", ans(daerah="tujuan"))
    assert entry.applies
    assert [d.id for s in entry.substitutes for d in s.documents] == ["formulir_perpindahan", "kk"]


def test_oa_marriage_needs_travel_document_home_permission_and_sktt_for_itas(catalog: Catalog) -> None:
    answers = ans(f201(kwn1=1, kwn2=2, suami=2, istri=2), izin_tinggal_oa="itas")
    applying = {i.requirement.id for i in checklist(catalog.service(26), answers, today=TODAY) if i.applies}
    assert {"dokumen_perjalanan", "sktt", "izin_perkawinan_negara", "pas_foto", "ktp_el", "kk"} <= applying
    assert "akta_kematian_pasangan" not in applying


def test_widow_marriage_needs_the_death_akta_not_the_divorce_akta(catalog: Catalog) -> None:
    answers = ans(f201(kwn1=1, kwn2=1, suami=2, istri=4))
    applying = {i.requirement.id for i in checklist(catalog.service(25), answers, today=TODAY) if i.applies}
    assert "akta_kematian_pasangan" in applying
    assert "akta_perceraian" not in applying


def test_divorce_unrecorded_offers_f105_for_the_divorce_akta(catalog: Catalog) -> None:
    entry = item(catalog, 25, "akta_perceraian", ans(f201(suami=3, istri=2)))
    assert [d.form for s in entry.substitutes for d in s.documents] == ["F-1.05"]


# --------------------------------------------------------------------------------------- eligibility


class EligibilityCase(NamedTuple):
    """An eligibility condition of one service that fails with `bad` and holds with `good`."""

    service: int
    eligibility: str
    bad: Answers
    good: Answers


UNDER_17 = "2012-01-15"
ADULT = "2000-01-15"

ELIGIBILITY_CASES = [
    EligibilityCase(1, "jenis_data_wni", ans(f101(1, jenis_data=2)), ans(f101(1, jenis_data=1))),
    EligibilityCase(2, "jenis_data_wni_ln", ans(f101(1, jenis_data=1)), ans(f101(1, jenis_data=3))),
    EligibilityCase(3, "jenis_data_oa", ans(f101(1, jenis_data=3)), ans(f101(1, jenis_data=2))),
    EligibilityCase(4, "sudah_kawin_atau_cerai", ans(f102(status_kawin=1)), ans(f102(status_kawin=3))),
    EligibilityCase(
        5,
        "kepala_keluarga_dewasa",
        ans(f102(status_kawin=1, lahir=UNDER_17)),
        ans(f102(status_kawin=1, lahir=ADULT)),
    ),
    EligibilityCase(
        6, "umur_pisah_kk", ans(f102(status_kawin=1, lahir=UNDER_17)), ans(f102(status_kawin=2, lahir=UNDER_17))
    ),
    # KTP-el under 17 and never married: refused; 17, or married under 17: accepted
    EligibilityCase(9, "umur_ktp", ans(f102(status_kawin=1, lahir=UNDER_17)), ans(f102(status_kawin=1, lahir=ADULT))),
    EligibilityCase(
        9, "umur_ktp", ans(f102(status_kawin=1, lahir="2009-11-23")), ans(f102(status_kawin=1, lahir="2009-11-22"))
    ),
    EligibilityCase(
        9, "umur_ktp", ans(f102(status_kawin=1, lahir=UNDER_17)), ans(f102(status_kawin=2, lahir=UNDER_17))
    ),
    EligibilityCase(9, "wni", ans(f102(kwn=2)), ans(f102(kwn=1))),
    EligibilityCase(10, "wni", ans(f102(kwn=2)), ans(f102(kwn=1))),
    EligibilityCase(
        11, "umur_ktp", ans(f102(status_kawin=1, lahir=UNDER_17)), ans(f102(status_kawin=6, lahir=UNDER_17))
    ),
    EligibilityCase(11, "orang_asing", ans(f102(kwn=1)), ans(f102(kwn=2))),
    EligibilityCase(12, "orang_asing", ans(f102(kwn=1)), ans(f102(kwn=2))),
    # issue 16 item 9: the KIA's child under 17, by its own birth date (the applicant is a parent)
    EligibilityCase(13, "anak_di_bawah_17", ans(tanggal_lahir_anak="2009-11-22"), ans(tanggal_lahir_anak="2009-11-23")),
    EligibilityCase(14, "anak_di_bawah_17", ans(tanggal_lahir_anak="2000-01-01"), ans(tanggal_lahir_anak="2020-01-01")),
    EligibilityCase(21, "anak_wni", ans(f201(kwn1=2)), ans(f201(kwn1=1))),
    EligibilityCase(22, "anak_oa", ans(f201(kwn1=1)), ans(f201(kwn1=2))),
    EligibilityCase(25, "mempelai_wni", ans(f201(kwn1=1, kwn2=2)), ans(f201(kwn1=1, kwn2=1))),
    EligibilityCase(26, "ada_mempelai_oa", ans(f201(kwn1=1, kwn2=1)), ans(f201(kwn1=2, kwn2=1))),
    EligibilityCase(40, "tanpa_sengketa", ans(ada_sengketa=True), ans(ada_sengketa=False)),
    # referrals (issue 16): Muslim marriages to the KUA, Muslim divorces and annulments to the Pengadilan Agama
    EligibilityCase(
        25,
        "nikah_islam_di_kua",
        ans({"F-2.01": {"perkawinan": {"agama": 1}}}),
        ans({"F-2.01": {"perkawinan": {"agama": 2}}}),
    ),
    EligibilityCase(25, "nikah_islam_di_kua", ans(kedua_mempelai_islam=True), ans(kedua_mempelai_islam=False)),
    EligibilityCase(
        27, "batal_nikah_islam_di_pengadilan_agama", ans(perkawinan_islam=True), ans(perkawinan_islam=False)
    ),
    EligibilityCase(28, "cerai_islam_di_pengadilan_agama", ans(perkawinan_islam=True), ans(perkawinan_islam=False)),
]


def _findings(catalog: Catalog, service: int, answers: Answers) -> set[str]:
    return {f.code for f in eligibility(catalog.service(service), answers, today=TODAY)}


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=f"{c.service:02d}-{c.eligibility}-{i}") for i, c in enumerate(ELIGIBILITY_CASES)]
)
def test_eligibility_condition_fails_only_for_the_bad_answers(catalog: Catalog, case: EligibilityCase) -> None:
    assert case.eligibility in _findings(catalog, case.service, case.bad)
    assert case.eligibility not in _findings(catalog, case.service, case.good)


def test_every_eligibility_condition_has_a_case(catalog: Catalog) -> None:
    declared = {(s.number, e.id) for s in catalog.services for e in s.eligibility}
    assert declared == {(c.service, c.eligibility) for c in ELIGIBILITY_CASES}


def test_unanswered_eligibility_gives_no_finding(catalog: Catalog) -> None:
    assert _findings(catalog, 9, ans()) == set()


def test_ktp_el_refusal_points_to_the_kia(catalog: Catalog) -> None:
    findings = eligibility(catalog.service(9), ans(f102(status_kawin=1, lahir=UNDER_17, kwn=1)), today=TODAY)
    assert [f.code for f in findings] == ["umur_ktp"]
    assert findings[0].severity == "error"
    assert "KIA" in findings[0].message
