"""Tests of the shipped service catalogue: the 43 services of seed 004, their outputs and shape."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from app.catalog import Catalog, Service, load_catalog
from app.forms.expr import Expression

FACT_TYPES = {"boolean", "choice", "date"}

# Titles exactly as seed 004 prints them (including the seed's own missing spaces in 41).
SEED_TITLES = {
    1: "Pencatatan Biodata WNI Dalam Wilayah NKRI",
    4: "Penerbitan Kartu Keluarga Baru Karena Membentuk Keluarga Baru",
    5: "Penerbitan Kartu Keluarga Baru Karena Penggantian Kepala Keluarga (kematian kepala keluarga)",
    8: "Penerbitan Kartu Keluarga Karena Hilang/Rusak",
    9: "Penerbitan KTP-el Baru Untuk WNI",
    10: "Penerbitan KTP-el Baru karena Pindah, Perubahan Data, Rusak dan Hilang Untuk WNI",
    14: "Penerbitan KIA Baru Untuk Anak OA",
    15: "Perpindahan Penduduk WNI Dalam NKRI",
    20: "Pendaftaran Bagi Orang Asing ITAS Datang Dari Luar Wilayah NKRI",
    21: "Pencatatan Kelahiran WNI Dalam Wilayah NKRI",
    25: "Pencatatan Perkawinan WNI Dalam Wilayah NKRI",
    26: "Pencatatan Perkawinan OA Di Wilayah NKRI",
    31: "Pencatatan Pengakuan anak di wilayah NKRI",  # the seed misses the space; the catalogue does not
    38: "Pencatatan pembetulan akta Pencatatan Sipil dengan permohonan dari subjek akta di wilayah NKRI",
    40: "Pencatatan Pembatalan Akta Pencatatan Sipil Tanpa Melalui Penetapan Pengadilan/ Contrarius Actus",
    41: "PencatatanPerubahan StatusKewarganegaraan WNA menjadi WNI di wilayah Negara Kesatuan Republik Indonesia",
    43: "Pencatatan Perubahan status kewarganegaraan WNI menjadi WNA",
}

OUTPUTS = {
    "kartu": ["ktp_el", "kk", "kia"],
    "surat": [
        "surat_keterangan_pindah",
        "surat_keterangan_pindah_datang",
        "surat_keterangan_pindah_luar_negeri",
        "surat_keterangan_datang_luar_negeri",
        "surat_keterangan_tempat_tinggal",
        "surat_keterangan_kelahiran",
        "surat_keterangan_lahir_mati",
        "surat_keterangan_pembatalan_perkawinan",
        "surat_keterangan_pembatalan_perceraian",
        "surat_keterangan_kematian",
        "surat_keterangan_pengangkatan_anak",
        "surat_keterangan_pelepasan_kewarganegaraan",
        "surat_keterangan_pengganti_tanda_identitas",
        "surat_keterangan_pencatatan_sipil",
    ],
    "akta": [
        "akta_kelahiran",
        "akta_kematian",
        "akta_perkawinan",
        "akta_perceraian",
        "akta_pengakuan_anak",
        "akta_pengesahan_anak",
    ],
}

# No service of seed 004 issues them: the seed lists them among the 23 outputs only (service 24 issues the
# kutipan akta kematian and names no surat keterangan kematian; issue 16 item 9).
OUTPUTS_WITHOUT_SERVICE = {"surat_keterangan_pengganti_tanda_identitas", "surat_keterangan_kematian"}

# Every regulation the seed's Dasar hukum lists, plus Permendagri 2/2016 its KIA services cite.
SEED_LEGAL_BASIS = {
    "uu_23_2006",
    "uu_24_2013",
    "uu_25_2009",
    "pp_40_2019",
    "perpres_112_2013",
    "perpres_96_2018",
    "permendagri_74_2015",
    "permendagri_19_2018",
    "permendagri_104_2019",
    "permendagri_108_2019",
    "permendagri_109_2019",
    "permendagri_2_2016",
}

SERVICE_NUMBERS = range(1, 44)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """The shipped catalogue, validated by the loader against the shipped form schemas."""
    return load_catalog()


def _conditions(service: Service) -> list[Expression]:
    exprs: list[Expression] = [use.when for use in service.forms if use.when is not None]
    exprs += [item.check for item in service.eligibility]
    for req in service.requirements:
        if isinstance(req.mandatory, Expression):
            exprs.append(req.mandatory)
        exprs += [sub.when for sub in req.substitutes if sub.when is not None]
        exprs += [waiver.when for waiver in req.unless]
    return exprs


def test_there_are_exactly_43_services_numbered_1_to_43(catalog: Catalog) -> None:
    assert [s.number for s in catalog.services] == list(SERVICE_NUMBERS)


def test_codes_are_unique_upper_kebab(catalog: Catalog) -> None:
    codes = [s.code for s in catalog.services]
    assert len(set(codes)) == 43
    assert all(re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)*", c) for c in codes)


def test_service_files_are_named_after_the_number(catalog: Catalog) -> None:
    for service in catalog.services:
        assert service.file.startswith(f"{service.number:02d}-"), service.file


@pytest.mark.parametrize("number", SERVICE_NUMBERS)
def test_every_service_is_complete(catalog: Catalog, number: int) -> None:
    service = catalog.service(number)
    assert service.forms
    assert service.outputs
    assert service.requirements or service.eligibility
    assert service.steps
    assert service.keywords
    assert 1 <= service.sla_days <= 3
    assert service.fee == 0
    assert {"uu_23_2006", "perpres_96_2018"} <= {lb.id for lb in service.legal_basis}
    assert f"seed 004 no. {number}" in service.sources


@pytest.mark.parametrize("number", SERVICE_NUMBERS)
def test_every_fact_is_used_by_a_condition(catalog: Catalog, number: int) -> None:
    service = catalog.service(number)
    used = {ref[1] for expr in _conditions(service) for ref in expr.references if ref[0] == "fakta"}
    declared = {fact.id for fact in service.facts}
    assert declared == used
    for fact in service.facts:
        assert fact.type in FACT_TYPES
        if fact.type == "choice":
            assert len(fact.options) >= 2


@pytest.mark.parametrize(("number", "title"), SEED_TITLES.items())
def test_titles_match_the_seed(catalog: Catalog, number: int, title: str) -> None:
    assert catalog.service(number).title == title


def test_lookup_by_code_and_number_agree(catalog: Catalog) -> None:
    assert catalog.service("LAHIR-WNI") is catalog.service(21)
    assert catalog.service("kawin-oa") is catalog.service(26)
    assert catalog.service("KTPEL-BARU-WNI").number == 9


def test_groups_follow_the_seed_headings(catalog: Catalog) -> None:
    groups = [s.group.id for s in catalog.services]
    assert groups == ["pendaftaran_penduduk"] * 20 + ["pencatatan_sipil"] * 20 + ["kewarganegaraan"] * 3


def test_exactly_23_outputs_3_kartu_14_surat_6_akta(catalog: Catalog) -> None:
    kinds = Counter(o.kind for o in catalog.outputs.values())
    assert kinds == {"kartu": 3, "surat": 14, "akta": 6}
    for kind, ids in OUTPUTS.items():
        assert [o.id for o in catalog.outputs.values() if o.kind == kind] == ids


def test_output_titles_are_the_seeds(catalog: Catalog) -> None:
    assert catalog.outputs["ktp_el"].title == "Kartu Tanda Penduduk Elektronik (KTP-el)"
    assert catalog.outputs["kia"].title == "Kartu Identitas Anak (KIA)"
    assert catalog.outputs["surat_keterangan_pelepasan_kewarganegaraan"].title == (
        "Surat Keterangan Pelepasan Kewarganegaraan Indonesia"
    )
    assert catalog.outputs["akta_pengesahan_anak"].title == "Akta Pengesahan Anak"


def test_every_output_but_two_is_issued_by_a_service(catalog: Catalog) -> None:
    issued = {o.id for s in catalog.services for o in s.outputs}
    assert set(catalog.outputs) - issued == OUTPUTS_WITHOUT_SERVICE


def test_legal_basis_covers_the_seed(catalog: Catalog) -> None:
    assert set(catalog.legal_basis) >= SEED_LEGAL_BASIS


def test_every_document_but_the_main_forms_is_asked_for_somewhere(catalog: Catalog) -> None:
    used = set()
    for service in catalog.services:
        for req in service.requirements:
            used.add(req.document.id)
            used.update(d.id for sub in req.substitutes for d in sub.documents)
    unused = {d.id for d in catalog.documents.values() if d.id not in used and d.form is None}
    assert unused == set()


def test_forms_appear_as_documents(catalog: Catalog) -> None:
    forms = {d.form for d in catalog.documents.values() if d.form}
    assert {"F-1.01", "F-1.02", "F-1.03", "F-1.04", "F-1.05", "F-1.06", "F-2.01", "F-2.03", "F-2.04"} <= forms


def test_service_forms_follow_the_seed(catalog: Catalog) -> None:
    first_form = {s.number: s.form_ids[0] for s in catalog.services}
    assert {n for n, f in first_form.items() if f == "F-1.01"} == {1, 2, 3}
    assert {n for n, f in first_form.items() if f == "F-1.02"} == set(range(4, 15))
    assert {n for n, f in first_form.items() if f == "F-1.03"} == set(range(15, 21))
    assert {n for n, f in first_form.items() if f.startswith("F-2.0")} == set(range(21, 44))
