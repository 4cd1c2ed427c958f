"""Tests of the F-1.03 Perpindahan Penduduk schema: request types, conditional blocks and move rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from app.forms import Evaluation, FormSchema, evaluate, load_form

Answers = dict[str, Any]
TODAY = dt.date.today()

HEAD_NIK = "3521011205800001"

# Real desa codes (resources/regions/wilayah-2025.csv), seen from Wonosari, Kec. Sine, Kab. Ngawi, Jawa Timur.
WONOSARI_SINE = "35.21.01.2001"
PANDANSARI_SINE = "35.21.01.2002"  # another desa of Kec. Sine
SETONO_NGRAMBE = "35.21.02.2003"  # Kec. Ngrambe, Kab. Ngawi
GONGGANG_MAGETAN = "35.20.01.2002"  # Kec. Poncol, Kab. Magetan, Jawa Timur
TAMBAKREJA_CILACAP = "33.01.01.2001"  # Kec. Kedungreja, Kab. Cilacap, Jawa Tengah
# klasifikasi -> a destination from Wonosari that fits it
DESTINATION = {1: WONOSARI_SINE, 2: PANDANSARI_SINE, 3: SETONO_NGRAMBE, 4: GONGGANG_MAGETAN, 5: TAMBAKREJA_CILACAP}
KLASIFIKASI_RULES = {
    1: "klasifikasi_satu_desa_tidak_sesuai",
    2: "klasifikasi_antar_desa_tidak_sesuai",
    3: "klasifikasi_antar_kecamatan_tidak_sesuai",
    4: "klasifikasi_antar_kabupaten_tidak_sesuai",
    5: "klasifikasi_antar_provinsi_tidak_sesuai",
}
WIFE_NIK = "3521014307850002"
CHILD_NIK = "3521014902150003"


@pytest.fixture(scope="module")
def schema() -> FormSchema:
    return load_form("F-1.03")


def rule_ids(schema: FormSchema) -> set[str]:
    ids = {rule.id for rule in schema.rules}
    for section in schema.sections:
        ids.update(rule.id for rule in section.rules)
    return ids


def fired(result: Evaluation, rule_id: str) -> list[tuple[str, str]]:
    return [(f.path, f.severity) for f in result.findings if f.code == rule_id]


def skp() -> Answers:
    """A complete Surat Keterangan Pindah: the whole family moves to another kecamatan of Ngawi."""
    return {
        "pemohon": {"no_kk": "3521011503100001", "nama": "BUDI SANTOSO", "nik": HEAD_NIK},
        "permohonan": {"jenis_permohonan": 2},
        "asal": {
            "alamat": "JL MERDEKA NO 5",
            "rt": "003",
            "rw": "001",
            "kode_desa": WONOSARI_SINE,
            "kode_pos": "63264",
        },
        # the whole family moves: the KK number stays (seed 004 no. 15 A.1 huruf d)
        "kepindahan": {"klasifikasi": 3, "alasan": 1, "jenis_kepindahan": 2, "status_kk_pindah": 3},
        "tujuan": {
            "alamat": "JL DIPONEGORO NO 12",
            "rt": "002",
            "rw": "004",
            "kode_desa": SETONO_NGRAMBE,
            "kode_pos": "63265",
        },
        "anggota_pindah": [
            {"nik": HEAD_NIK, "nama_lengkap": "BUDI SANTOSO", "shdk": 1},
            {"nik": WIFE_NIK, "nama_lengkap": "SRI WAHYUNI", "shdk": 3},
        ],
    }


def skpln() -> Answers:
    """A complete SKPLN: the applicant alone moves abroad; the family stays in a KK of its own."""
    answers = skp()
    answers["permohonan"]["jenis_permohonan"] = 3
    del answers["tujuan"]
    answers["kepindahan"] = {"alasan": 1, "jenis_kepindahan": 1, "status_kk_tidak_pindah": 2}
    answers["anggota_pindah"] = answers["anggota_pindah"][:1]
    answers["luar_negeri"] = {
        "negara_tujuan": "JEPANG",
        "alamat_tujuan": "1-2-3 SHIBUYA TOKYO",
        "penanggung_jawab": "SRI WAHYUNI",
        "tanggal_rencana": (TODAY + dt.timedelta(days=30)).isoformat(),
    }
    return answers


def sktt() -> Answers:
    """A complete SKTT for a foreigner holding an ITAS: no NIK or KK yet, sponsor and KITAS given."""
    answers = skp()
    answers["permohonan"]["jenis_permohonan"] = 4
    answers["pemohon"] = {"nama": "JOHN MILLER"}
    answers["kepindahan"] = {"alasan": 1, "jenis_kepindahan": 1, "status_kk_tidak_pindah": 1, "status_kk_pindah": 2}
    answers["anggota_pindah"] = [{"nama_lengkap": "JOHN MILLER", "shdk": 1}]
    answers["orang_asing"] = {
        "nama_sponsor": "PT MAJU BERSAMA",
        "tipe_sponsor": 5,
        "alamat_sponsor": "JL RAYA NGAWI 10",
        "nomor_kitas": "2C11AB1234",
        "tanggal_berlaku_kitas": (TODAY + dt.timedelta(days=200)).isoformat(),
    }
    return answers


def datang_luar_negeri() -> Answers:
    """A WNI coming home from abroad (seed 004 no. 19): origin abroad, destination a desa of Ngawi."""
    answers = skp()
    answers["permohonan"]["jenis_permohonan"] = 1
    answers["asal"] = {
        "luar_negeri": True,
        "negara": "MALAYSIA",
        "alamat": "NO 12 JALAN AMPANG, KUALA LUMPUR",
        "tanggal_datang": (TODAY - dt.timedelta(days=5)).isoformat(),
    }
    del answers["kepindahan"]["klasifikasi"]
    return answers


def sktt_datang() -> Answers:
    """An SKTT for a foreigner arriving with an ITAS (seed 004 no. 20): origin abroad, no KK status."""
    answers = sktt()
    answers["asal"] = {"luar_negeri": True, "negara": "AUSTRALIA", "alamat": "12 GEORGE STREET, SYDNEY NSW"}
    answers["kepindahan"] = {"alasan": 1, "jenis_kepindahan": 1}
    return answers


VALID: dict[str, Callable[[], Answers]] = {
    "skp": skp,
    "skpln": skpln,
    "sktt": sktt,
    "datang_luar_negeri": datang_luar_negeri,
    "sktt_datang": sktt_datang,
}


@pytest.mark.parametrize("case", sorted(VALID))
def test_complete_application_has_no_errors_and_no_rule_findings(schema: FormSchema, case: str) -> None:
    result = evaluate(schema, VALID[case]())
    assert result.errors == []
    assert [f.code for f in result.findings if f.code in rule_ids(schema)] == []


def test_schema_key_alias_and_sections(schema: FormSchema) -> None:
    assert schema.key == "F-1.03@PMDN109-2019"
    assert schema.alias == "f103"
    assert [s.id for s in schema.sections] == [
        "pemohon",
        "permohonan",
        "asal",
        "kepindahan",
        "tujuan",
        "anggota_pindah",
        "orang_asing",
        "luar_negeri",
    ]
    for section_id in ("asal", "tujuan"):
        spec = schema.section(section_id).field("kode_desa")  # type: ignore[union-attr]
        assert spec is not None and spec.type == "region" and spec.region_level == "desa"


# --------------------------------------------------------------------------- visibility
@pytest.mark.parametrize("jenis", [1, 2, 3, 4, 5])
def test_conditional_blocks_follow_the_request_type(schema: FormSchema, jenis: int) -> None:
    answers = skp()
    answers["permohonan"]["jenis_permohonan"] = jenis
    visible = evaluate(schema, answers).visible
    assert ("luar_negeri.negara_tujuan" in visible) is (jenis == 3)
    assert ("orang_asing.nomor_kitas" in visible) is (jenis in (4, 5))
    assert ("tujuan.kode_desa" in visible) is (jenis != 3)
    assert ("kepindahan.klasifikasi" in visible) is (jenis != 3)


@pytest.mark.parametrize(("jenis_kepindahan", "shown"), [(1, True), (2, False), (3, True), (4, True)])
def test_status_of_those_who_stay_only_when_someone_stays(
    schema: FormSchema, jenis_kepindahan: int, shown: bool
) -> None:
    answers = skp()
    answers["kepindahan"]["jenis_kepindahan"] = jenis_kepindahan
    result = evaluate(schema, answers)
    assert ("kepindahan.status_kk_tidak_pindah" in result.visible) is shown
    assert [f.code for f in result.at("kepindahan.status_kk_tidak_pindah")] == (["required"] if shown else [])


@pytest.mark.parametrize(("alasan", "shown"), [(7, True), (1, False), (6, False)])
def test_other_reason_written_in_only_for_lainnya(schema: FormSchema, alasan: int, shown: bool) -> None:
    answers = skp()
    answers["kepindahan"]["alasan"] = alasan
    result = evaluate(schema, answers)
    assert ("kepindahan.alasan_lainnya" in result.visible) is shown
    assert [f.code for f in result.at("kepindahan.alasan_lainnya")] == (["required"] if shown else [])


# --------------------------------------------------------------------------- required
@pytest.mark.parametrize(
    ("case", "section", "field_id"),
    [
        ("skp", "kepindahan", "klasifikasi"),
        ("skp", "tujuan", "alamat"),
        ("skp", "tujuan", "kode_desa"),
        ("skp", "tujuan", "kode_pos"),
        ("skp", "kepindahan", "alasan"),
        ("skp", "kepindahan", "jenis_kepindahan"),
        ("skp", "kepindahan", "status_kk_pindah"),
        ("skp", "asal", "kode_desa"),
        ("skp", "pemohon", "nik"),
        ("skp", "pemohon", "no_kk"),
        ("skpln", "luar_negeri", "negara_tujuan"),
        ("skpln", "luar_negeri", "alamat_tujuan"),
        ("skpln", "luar_negeri", "penanggung_jawab"),
        ("skpln", "luar_negeri", "tanggal_rencana"),
        ("sktt", "orang_asing", "tipe_sponsor"),
        ("sktt", "orang_asing", "nama_sponsor"),
        ("sktt", "orang_asing", "nomor_kitas"),
        ("sktt", "orang_asing", "tanggal_berlaku_kitas"),
        ("datang_luar_negeri", "asal", "negara"),
        ("datang_luar_negeri", "asal", "alamat"),
        ("datang_luar_negeri", "tujuan", "kode_desa"),
        ("datang_luar_negeri", "tujuan", "alamat"),
        ("datang_luar_negeri", "kepindahan", "status_kk_pindah"),
        ("sktt_datang", "asal", "negara"),
        ("sktt_datang", "tujuan", "kode_desa"),
    ],
)
def test_missing_required_answer_is_an_error(schema: FormSchema, case: str, section: str, field_id: str) -> None:
    answers = VALID[case]()
    del answers[section][field_id]
    assert [f.code for f in evaluate(schema, answers).at(f"{section}.{field_id}")] == ["required"]


@pytest.mark.parametrize("jenis", [1, 4])
def test_destination_and_classification_required_only_for_skp(schema: FormSchema, jenis: int) -> None:
    answers = skp()
    answers["permohonan"]["jenis_permohonan"] = jenis
    del answers["tujuan"]
    del answers["kepindahan"]["klasifikasi"]
    if jenis == 4:
        answers["orang_asing"] = sktt()["orang_asing"]
    assert evaluate(schema, answers).errors == []


def test_sponsor_details_not_required_without_sponsor(schema: FormSchema) -> None:
    answers = sktt()
    answers["orang_asing"]["tipe_sponsor"] = 4
    del answers["orang_asing"]["nama_sponsor"], answers["orang_asing"]["alamat_sponsor"]
    assert evaluate(schema, answers).errors == []


def test_at_least_one_mover(schema: FormSchema) -> None:
    answers = skp()
    answers["anggota_pindah"] = []
    assert "too_few_rows" in {f.code for f in evaluate(schema, answers).at("anggota_pindah")}


def test_mover_nik_required_for_wni(schema: FormSchema) -> None:
    answers = skp()
    del answers["anggota_pindah"][1]["nik"]
    assert [f.code for f in evaluate(schema, answers).at("anggota_pindah[1].nik")] == ["required"]


# --------------------------------------------------------------------------- rules
def _klasifikasi(value: int) -> Callable[[Answers], None]:
    def mutate(answers: Answers) -> None:
        answers["kepindahan"]["klasifikasi"] = value

    return mutate


def _moves_to(klasifikasi: int, kode_desa: str) -> Callable[[Answers], None]:
    def mutate(answers: Answers) -> None:
        answers["kepindahan"]["klasifikasi"] = klasifikasi
        answers["tujuan"]["kode_desa"] = kode_desa

    return mutate


def _same_address(answers: Answers) -> None:
    answers["tujuan"] = dict(answers["asal"])
    answers["kepindahan"]["klasifikasi"] = 1


def _jenis_kepindahan(value: int, stays: int | None = 1) -> Callable[[Answers], None]:
    def mutate(answers: Answers) -> None:
        answers["kepindahan"]["jenis_kepindahan"] = value
        answers["kepindahan"]["status_kk_tidak_pindah"] = stays

    return mutate


def _no_head(answers: Answers) -> None:
    answers["anggota_pindah"][0]["shdk"] = 2
    answers["anggota_pindah"][0]["nama_lengkap"] = "BUDI SANTOSO"


def _members_only_with_head(answers: Answers) -> None:
    answers["kepindahan"].update(jenis_kepindahan=4, status_kk_tidak_pindah=3, status_kk_pindah=2)


def _expired_kitas(answers: Answers) -> None:
    answers["orang_asing"]["tanggal_berlaku_kitas"] = (TODAY - dt.timedelta(days=1)).isoformat()


def _past_plan(answers: Answers) -> None:
    answers["luar_negeri"]["tanggal_rencana"] = (TODAY - dt.timedelta(days=1)).isoformat()


def _nik_reused(answers: Answers) -> None:
    answers["anggota_pindah"][1]["nik"] = HEAD_NIK


def _kk_pindah(jenis_kepindahan: int, pindah: int, tidak_pindah: int | None = None) -> Callable[[Answers], None]:
    def mutate(answers: Answers) -> None:
        answers["kepindahan"].update(
            jenis_kepindahan=jenis_kepindahan, status_kk_pindah=pindah, status_kk_tidak_pindah=tidak_pindah
        )

    return mutate


def _late_arrival(answers: Answers) -> None:
    answers["asal"]["tanggal_datang"] = (TODAY - dt.timedelta(days=15)).isoformat()


RULE_CASES: list[tuple[str, Callable[[], Answers], Callable[[Answers], None], str, str, str]] = [
    ("satu_desa_beda_desa", skp, _klasifikasi(1), KLASIFIKASI_RULES[1], "kepindahan.klasifikasi", "error"),
    (
        "antar_desa_beda_kecamatan",
        skp,
        _klasifikasi(2),
        KLASIFIKASI_RULES[2],
        "kepindahan.klasifikasi",
        "error",
    ),
    (
        "antar_kecamatan_desa_sama",
        skp,
        _moves_to(3, WONOSARI_SINE),
        KLASIFIKASI_RULES[3],
        "kepindahan.klasifikasi",
        "error",
    ),
    (
        "antar_kabupaten_kabupaten_sama",
        skp,
        _klasifikasi(4),
        KLASIFIKASI_RULES[4],
        "kepindahan.klasifikasi",
        "error",
    ),
    (
        "antar_provinsi_provinsi_sama",
        skp,
        _moves_to(5, GONGGANG_MAGETAN),
        KLASIFIKASI_RULES[5],
        "kepindahan.klasifikasi",
        "error",
    ),
    ("alamat_sama", skp, _same_address, "alamat_tujuan_sama_dengan_asal", "tujuan.alamat", "warning"),
    ("kepala_saja_tapi_dua", skp, _jenis_kepindahan(1), "pindah_kepala_keluarga_saja", "anggota_pindah", "error"),
    ("dengan_kepala_tanpa_kepala", skp, _no_head, "pindah_tanpa_kepala_keluarga", "anggota_pindah", "error"),
    (
        "anggota_dengan_kepala",
        skp,
        _members_only_with_head,
        "pindah_anggota_dengan_kepala_keluarga",
        "anggota_pindah",
        "error",
    ),
    ("kitas_habis", sktt, _expired_kitas, "kitas_habis_berlaku", "orang_asing.tanggal_berlaku_kitas", "error"),
    ("rencana_lewat", skpln, _past_plan, "rencana_pindah_sudah_lewat", "luar_negeri.tanggal_rencana", "warning"),
    (
        "nik_dipakai_dua_nama",
        skp,
        _nik_reused,
        "nik_anggota_sama_dengan_pemohon_beda_nama",
        "anggota_pindah[1].nama_lengkap",
        "warning",
    ),
    # status KK (issue 16 item 7, seed 004 no. 15 A.1 huruf d-g)
    (
        "kk_tetap_sebagian_pindah",
        skp,
        _kk_pindah(3, 3, 2),
        "status_kk_tetap_bukan_seluruh_keluarga",
        "kepindahan.status_kk_pindah",
        "error",
    ),
    (
        "seluruh_keluarga_kk_baru",
        skp,
        _kk_pindah(2, 2),
        "status_kk_seluruh_keluarga_pindah",
        "kepindahan.status_kk_pindah",
        "warning",
    ),
    (
        "kepala_pindah_yang_tinggal_kk_tetap",
        skp,
        _kk_pindah(1, 2, 3),
        "status_kk_tetap_kepala_keluarga_pindah",
        "kepindahan.status_kk_tidak_pindah",
        "error",
    ),
    (
        "kepala_tinggal_yang_tinggal_kk_baru",
        skp,
        _kk_pindah(4, 1, 2),
        "status_kk_kepala_keluarga_tinggal",
        "kepindahan.status_kk_tidak_pindah",
        "warning",
    ),
    (
        "datang_lebih_dari_14_hari",
        datang_luar_negeri,
        _late_arrival,
        "kedatangan_luar_negeri_terlambat",
        "asal.tanggal_datang",
        "warning",
    ),
]


@pytest.mark.parametrize(
    ("build", "mutate", "rule_id", "path", "severity"),
    [case[1:] for case in RULE_CASES],
    ids=[case[0] for case in RULE_CASES],
)
def test_rule_fires_with_its_code_path_and_severity(
    schema: FormSchema,
    build: Callable[[], Answers],
    mutate: Callable[[Answers], None],
    rule_id: str,
    path: str,
    severity: str,
) -> None:
    answers = build()
    mutate(answers)
    assert fired(evaluate(schema, answers), rule_id) == [(path, severity)]


def test_every_rule_has_a_firing_case(schema: FormSchema) -> None:
    assert {case[3] for case in RULE_CASES} == rule_ids(schema)


@pytest.mark.parametrize("destination", sorted(DESTINATION))
@pytest.mark.parametrize("klasifikasi", sorted(KLASIFIKASI_RULES))
def test_klasifikasi_must_agree_with_the_desa_codes(schema: FormSchema, klasifikasi: int, destination: int) -> None:
    """From Wonosari (Sine, Ngawi) to a desa that fits klasifikasi `destination`: only a mismatch fires."""
    answers = skp()
    answers["kepindahan"]["klasifikasi"] = klasifikasi
    answers["tujuan"]["kode_desa"] = DESTINATION[destination]
    result = evaluate(schema, answers)
    expected = [] if klasifikasi == destination else [(KLASIFIKASI_RULES[klasifikasi], "kepindahan.klasifikasi")]
    assert [(f.code, f.path) for f in result.findings if f.code in KLASIFIKASI_RULES.values()] == expected


def test_klasifikasi_message_names_both_desa_fields(schema: FormSchema) -> None:
    answers = skp()
    answers["kepindahan"]["klasifikasi"] = 2
    (hit,) = [f for f in evaluate(schema, answers).findings if f.code == KLASIFIKASI_RULES[2]]
    assert hit.severity == "error"
    assert "Desa/Kelurahan Asal" in hit.message and "Desa/Kelurahan Tujuan" in hit.message
    assert "Periksa" in hit.message


@pytest.mark.parametrize(
    ("asal", "tujuan", "klasifikasi", "fires"),
    [
        ("3521012001", SETONO_NGRAMBE, 3, False),  # undotted origin, dotted destination
        ("3521012001", "3521022003", 3, False),
        ("3521012001", SETONO_NGRAMBE, 2, True),
        (WONOSARI_SINE, "3521012001", 1, False),  # the same desa written two ways
        (WONOSARI_SINE, "3521012001", 2, True),
    ],
)
def test_klasifikasi_accepts_dotted_and_undotted_codes(
    schema: FormSchema, asal: str, tujuan: str, klasifikasi: int, fires: bool
) -> None:
    answers = skp()
    answers["asal"]["kode_desa"] = asal
    answers["tujuan"]["kode_desa"] = tujuan
    answers["kepindahan"]["klasifikasi"] = klasifikasi
    codes = {f.code for f in evaluate(schema, answers).findings}
    assert (KLASIFIKASI_RULES[klasifikasi] in codes) is fires


@pytest.mark.parametrize("klasifikasi", sorted(KLASIFIKASI_RULES))
@pytest.mark.parametrize("tujuan", ["35.21.02.20", "35X21", "", None])
def test_klasifikasi_quiet_when_a_desa_code_is_malformed_or_missing(
    schema: FormSchema, klasifikasi: int, tujuan: str | None
) -> None:
    answers = skp()
    answers["kepindahan"]["klasifikasi"] = klasifikasi
    answers["tujuan"]["kode_desa"] = tujuan
    result = evaluate(schema, answers)
    assert not {f.code for f in result.findings} & set(KLASIFIKASI_RULES.values())
    assert result.at("tujuan.kode_desa")  # the field itself reports the bad or missing code


@pytest.mark.parametrize(("klasifikasi", "fires"), [(1, False), (2, True), (3, False), (4, True), (5, True)])
def test_klasifikasi_with_a_kecamatan_code_as_destination_judges_what_it_can(
    schema: FormSchema, klasifikasi: int, fires: bool
) -> None:
    """A valid code of the wrong level: region_level is reported; levels down to kecamatan still compare."""
    answers = skp()
    answers["kepindahan"]["klasifikasi"] = klasifikasi
    answers["tujuan"]["kode_desa"] = "35.21.02"  # Kec. Ngrambe, not a desa
    result = evaluate(schema, answers)
    assert [f.code for f in result.at("tujuan.kode_desa")] == ["region_level"]
    assert (KLASIFIKASI_RULES[klasifikasi] in {f.code for f in result.findings}) is fires


def test_skpln_ignores_a_stale_destination(schema: FormSchema) -> None:
    answers = skpln()
    answers["tujuan"] = dict(answers["asal"])
    answers["kepindahan"]["klasifikasi"] = 4
    codes = {f.code for f in evaluate(schema, answers).findings}
    assert not codes & rule_ids(schema)


@pytest.mark.parametrize("jenis_kepindahan", [2, 3])
def test_family_moves_with_exactly_one_head(schema: FormSchema, jenis_kepindahan: int) -> None:
    answers = skp()
    answers["kepindahan"]["jenis_kepindahan"] = jenis_kepindahan
    answers["kepindahan"]["status_kk_tidak_pindah"] = 1
    answers["anggota_pindah"].append({"nik": CHILD_NIK, "nama_lengkap": "DEWI LESTARI", "shdk": 1})
    assert fired(evaluate(schema, answers), "pindah_tanpa_kepala_keluarga") == [("anggota_pindah", "error")]


# --------------------------------------------------------------------------- issue 16: origin abroad, status KK
@pytest.mark.parametrize("case", ["datang_luar_negeri", "sktt_datang"])
def test_origin_abroad_asks_country_not_desa_rt_rw_or_postal_code(schema: FormSchema, case: str) -> None:
    result = evaluate(schema, VALID[case]())
    assert {"asal.negara", "asal.alamat", "asal.luar_negeri"} <= result.visible
    assert not {"asal.rt", "asal.rw", "asal.kode_desa", "asal.kode_pos", "kepindahan.klasifikasi"} & result.visible
    assert result.errors == []


def test_origin_abroad_was_not_fillable_truthfully_before(schema: FormSchema) -> None:
    """Without the switch an arrival from abroad needs an Indonesian desa code and postal code."""
    answers = datang_luar_negeri()
    answers["asal"]["luar_negeri"] = False
    codes = {(f.path, f.code) for f in evaluate(schema, answers).errors}
    assert {("asal.kode_desa", "required"), ("asal.kode_pos", "required"), ("asal.rt", "required")} <= codes
    assert "asal.negara" not in evaluate(schema, answers).visible


@pytest.mark.parametrize("jenis", [2, 3])
def test_origin_abroad_only_for_arrivals_and_foreigners(schema: FormSchema, jenis: int) -> None:
    """An SKP or an SKPLN starts in Indonesia: a stale 'abroad' answer neither hides the desa nor asks a country."""
    answers = skp() if jenis == 2 else skpln()
    answers["asal"]["luar_negeri"] = True
    result = evaluate(schema, answers)
    assert "asal.luar_negeri" not in result.visible and "asal.negara" not in result.visible
    assert "asal.kode_desa" in result.visible
    assert result.errors == []


def test_arrival_from_abroad_needs_the_destination_in_indonesia(schema: FormSchema) -> None:
    answers = datang_luar_negeri()
    del answers["tujuan"]
    paths = {f.path for f in evaluate(schema, answers).errors if f.code == "required"}
    assert {"tujuan.alamat", "tujuan.rt", "tujuan.rw", "tujuan.kode_desa", "tujuan.kode_pos"} <= paths


def test_klasifikasi_rules_ignore_an_origin_abroad(schema: FormSchema) -> None:
    answers = datang_luar_negeri()
    answers["asal"]["kode_desa"] = WONOSARI_SINE  # carried from the outpost, hidden
    answers["kepindahan"]["klasifikasi"] = 1  # stale, hidden
    codes = {f.code for f in evaluate(schema, answers).findings}
    assert not codes & set(KLASIFIKASI_RULES.values())


def test_country_code_is_for_dukcapil_staff(schema: FormSchema) -> None:
    section = schema.section("asal")
    assert section is not None
    negara, kode = section.field("negara"), section.field("kode_negara")
    assert negara is not None and negara.type == "text" and negara.required is True
    assert kode is not None and kode.staff_only


def test_status_kk_offers_the_kk_number_staying(schema: FormSchema) -> None:
    section = schema.section("kepindahan")
    assert section is not None
    for field_id in ("status_kk_pindah", "status_kk_tidak_pindah"):
        spec = section.field(field_id)
        assert spec is not None and spec.codes is not None
        assert [(c.code, c.label) for c in spec.codes.codes] == [
            (1, "Numpang KK"),
            (2, "Membuat KK Baru"),
            (3, "Nomor KK Tetap"),
        ]


@pytest.mark.parametrize("jenis", [4, 5])
def test_status_kk_not_asked_of_an_itas_holder(schema: FormSchema, jenis: int) -> None:
    answers = sktt()
    answers["permohonan"]["jenis_permohonan"] = jenis
    del answers["kepindahan"]["status_kk_pindah"], answers["kepindahan"]["status_kk_tidak_pindah"]
    result = evaluate(schema, answers)
    assert not {"kepindahan.status_kk_pindah", "kepindahan.status_kk_tidak_pindah"} & result.visible
    assert result.errors == []
