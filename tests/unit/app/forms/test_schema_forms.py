"""Cross-form checks of the shipped schemas: every form loads, keys and aliases, contract ids, hygiene."""

from __future__ import annotations

import pytest

from app.forms import FormSchema, default_registry, load_form

FORMS = {
    "F-1.01": "f101",
    "F-1.02": "f102",
    "F-1.03": "f103",
    "F-1.04": "f104",
    "F-1.05": "f105",
    "F-1.06": "f106",
    "F-2.01": "f201",
    "F-2.03": "f203",
    "F-2.04": "f204",
}

# Field ids other modules (the service catalogue) rely on: renaming one breaks them.
CONTRACT = {
    "F-1.01": [
        "header.jenis_data",
        "header.nama_kepala_keluarga",
        "header.alamat",
        "header.kode_pos",
        "header.rt",
        "header.rw",
        "header.jumlah_anggota",
        "header.telepon",
        "header.email",
        "header.kode_provinsi",
        "header.kode_kabupaten",
        "header.kode_kecamatan",
        "header.kode_desa",
        "header.dusun",
        *(
            f"anggota.{f}"
            for f in (
                "nik",
                "nama_lengkap",
                "gelar_depan",
                "gelar_belakang",
                "nomor_paspor",
                "tanggal_akhir_paspor",
                "nama_sponsor",
                "tipe_sponsor",
                "alamat_sponsor",
                "jenis_kelamin",
                "tempat_lahir",
                "tanggal_lahir",
                "kewarganegaraan",
                "nomor_sk_wni",
                "akta_lahir",
                "nomor_akta_lahir",
                "golongan_darah",
                "agama",
                "organisasi_kepercayaan",
                "status_kawin",
                "akta_kawin",
                "nomor_akta_kawin",
                "tanggal_kawin",
                "akta_cerai",
                "nomor_akta_cerai",
                "tanggal_cerai",
                "shdk",
                "kelainan",
                "penyandang_cacat",
                "pendidikan",
                "pekerjaan",
                "nomor_itas",
                "tempat_terbit_itas",
                "tanggal_terbit_itas",
                "tanggal_akhir_itas",
                "tempat_datang_pertama",
                "tanggal_datang_pertama",
                "nik_ibu",
                "nama_ibu",
                "nik_ayah",
                "nama_ayah",
            )
        ),
    ],
    "F-1.02": [
        "pemohon.nama",
        "pemohon.nik",
        "pemohon.no_kk",
        "pemohon.tanggal_lahir",
        "pemohon.status_kawin",
        "pemohon.kewarganegaraan",
        "permohonan.jenis",
        "persyaratan.dilampirkan",
    ],
    "F-1.03": [
        "pemohon.no_kk",
        "pemohon.nama",
        "pemohon.nik",
        "permohonan.jenis_permohonan",
        "asal.alamat",
        "asal.rt",
        "asal.rw",
        "asal.kode_desa",
        "asal.kode_pos",
        "kepindahan.klasifikasi",
        "kepindahan.alasan",
        "kepindahan.alasan_lainnya",
        "kepindahan.jenis_kepindahan",
        "kepindahan.status_kk_tidak_pindah",
        "kepindahan.status_kk_pindah",
        "tujuan.alamat",
        "tujuan.rt",
        "tujuan.rw",
        "tujuan.kode_desa",
        "tujuan.kode_pos",
        "anggota_pindah.nik",
        "anggota_pindah.nama_lengkap",
        "anggota_pindah.shdk",
    ],
    "F-1.04": [
        "pemohon.nama",
        "pemohon.tempat_lahir",
        "pemohon.tanggal_lahir",
        "pemohon.alamat",
        "pemohon.nama_ayah",
        "pemohon.nama_ibu",
    ],
    "F-1.05": [
        "suami.nama",
        "suami.nik",
        "istri.nama",
        "istri.nik",
        "perkawinan.jenis",
        "perkawinan.tanggal",
        "saksi1.nama",
        "saksi1.nik",
        "saksi2.nama",
        "saksi2.nik",
    ],
    "F-1.06": [
        "pemohon.nama",
        "pemohon.nik",
        "anggota.nik",
        "perubahan.elemen",
        "perubahan.semula",
        "perubahan.menjadi",
        "perubahan.dasar_perubahan",
    ],
    "F-2.01": [
        "wilayah.kode_desa",
        "laporan.jenis_pelaporan",
        *(
            f"{block}.{f}"
            for block in ("pelapor", "subjek1", "subjek2")
            for f in ("nama", "nik", "nomor_dokumen_perjalanan", "no_kk", "kewarganegaraan")
        ),
        *(f"{block}.{f}" for block in ("saksi1", "saksi2") for f in ("nama", "nik", "no_kk", "kewarganegaraan")),
        "subjek1.tanggal_lahir",
        "subjek1.jenis_kelamin",
        "subjek2.tanggal_lahir",
        "subjek2.jenis_kelamin",
        *(
            f"{block}.{f}"
            for block in ("ayah", "ibu")
            for f in ("nik", "nama", "tempat_lahir", "tanggal_lahir", "kewarganegaraan")
        ),
        "kelahiran.nama",
        "kematian.tanggal_kematian",
        "perkawinan.tanggal_pemberkatan",
        "perkawinan.status_sebelum_kawin_suami",
        "perkawinan.status_sebelum_kawin_istri",
        "perkawinan.perkawinan_ke",
        "perkawinan.istri_ke",
        "perkawinan.agama",
        "perkawinan.nama_pengadilan",
        "perkawinan.nomor_penetapan_pengadilan",
        "perkawinan.tanggal_penetapan_pengadilan",
        "perkawinan.nama_pemuka_agama",
        "perkawinan.nomor_izin_perwakilan",
        "perkawinan.nomor_paspor",
        "perkawinan.perjanjian_notaris",
    ],
    "F-2.03": [
        "deklarator.nama",
        "deklarator.nik",
        "anak.nama",
        "anak.tanggal_lahir",
        "saksi1.nama",
        "saksi1.nik",
        "saksi2.nama",
        "saksi2.nik",
    ],
    "F-2.04": [
        "suami.nama",
        "suami.nik",
        "istri.nama",
        "istri.nik",
        "saksi1.nama",
        "saksi1.nik",
        "saksi2.nama",
        "saksi2.nik",
    ],
}

FIX_WORDS = (
    "periksa",
    "isi ",
    "pilih",
    "ubah",
    "perbaiki",
    "samakan",
    "tambahkan",
    "minta",
    "lampirkan",
    "ganti",
    "tukar",
    "lengkapi",
    "centang",
    "lanjutkan",
    "kosongkan",
    "hapus",
)

F201_SECTIONS = [
    "kelahiran",
    "lahir_mati",
    "perkawinan",
    "pembatalan_perkawinan",
    "perceraian",
    "pembatalan_perceraian",
    "kematian",
    "pengangkatan_anak",
    "pengakuan_anak",
    "pengesahan_anak",
    "perubahan_nama",
    "perubahan_kewarganegaraan",
    "peristiwa_lainnya",
    "pembetulan_akta",
    "pembatalan_akta",
    "luar_negeri",
]


def all_rules(schema: FormSchema) -> list[tuple[str, str, str, bool]]:
    """(rule id, severity, message, per-row) of every rule of a schema."""
    rules = [(r.id, r.severity, r.message, False) for r in schema.rules]
    for section in schema.sections:
        rules.extend((r.id, r.severity, r.message, True) for r in section.rules)
    return rules


def test_registry_holds_exactly_the_nine_forms() -> None:
    assert default_registry().forms() == sorted(FORMS)


@pytest.mark.parametrize(("form", "alias"), sorted(FORMS.items()))
def test_form_loads_by_id_and_by_key_with_its_alias(form: str, alias: str) -> None:
    schema = load_form(form)
    assert schema.key == f"{form}@PMDN109-2019"
    assert load_form(schema.key) is schema
    assert schema.alias == alias
    assert default_registry().by_alias(alias) is schema
    assert schema.regulation == "Permendagri 109/2019"


@pytest.mark.parametrize("form", sorted(CONTRACT))
def test_contract_field_ids_exist(form: str) -> None:
    schema = load_form(form)
    missing = []
    for path in CONTRACT[form]:
        section_id, field_id = path.split(".")
        section = schema.section(section_id)
        if section is None or section.field(field_id) is None:
            missing.append(path)
    assert missing == []


def test_f201_has_one_section_per_event_type() -> None:
    schema = load_form("F-2.01")
    for section_id in F201_SECTIONS:
        section = schema.section(section_id)
        assert section is not None and section.visible is not None, section_id


@pytest.mark.parametrize("form", sorted(FORMS))
def test_rule_ids_unique_and_messages_in_bahasa(form: str) -> None:
    rules = all_rules(load_form(form))
    ids = [r[0] for r in rules]
    assert len(ids) == len(set(ids))
    for rule_id, severity, message, per_row in rules:
        assert severity in ("error", "warning")
        assert len(message) >= 40, rule_id
        # says how to fix it: every message carries an instruction
        assert any(word in message.lower() for word in FIX_WORDS), rule_id
        if per_row:
            assert "{row}" in message, rule_id


@pytest.mark.parametrize("form", sorted(FORMS))
def test_app_only_fields_explain_themselves(form: str) -> None:
    for section in load_form(form).sections:
        for spec in section.fields:
            if spec.app_only:
                assert spec.help, f"{section.id}.{spec.id}"


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_date_that_may_lie_ahead_is_an_expiry_or_a_plan(form: str) -> None:
    future_ok = {"tanggal_akhir_paspor", "tanggal_akhir_itas", "tanggal_berlaku_kitas", "tanggal_rencana"}
    for section in load_form(form).sections:
        for spec in section.fields:
            if spec.type == "date" and not spec.not_future:
                assert spec.id in future_ok, f"{section.id}.{spec.id}"


@pytest.mark.parametrize("form", sorted(FORMS))
def test_names_never_exceed_the_60_character_rule(form: str) -> None:
    for section in load_form(form).sections:
        for spec in section.fields:
            if spec.type == "name":
                assert spec.max_length == 60, f"{section.id}.{spec.id}"
