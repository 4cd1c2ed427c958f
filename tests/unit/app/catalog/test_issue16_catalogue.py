"""Issue 16, the catalogue side: births of a child of its mother only and of a foundling, deaths of foreigners
and of people in no KK, and the smaller requirement fixes of item 9; each through `python -m app.catalog CODE
--answers FILE` (the JSON an officer's tools read) and, where the officer sees it, the requirements page."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.catalog import CatalogError, checklist, load_catalog, read_catalog
from app.catalog.__main__ import main
from app.forms.registry import default_registry
from app.resources import resource_path
from ui.editor.requirements import RequirementsPage

Json = dict[str, Any]  # parsed JSON
Cli = Callable[[str, object], Json]


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """`python -m app.catalog CODE --answers FILE` as a function of the code and the answers."""

    def run(code: str, answers: object) -> Json:
        path = tmp_path / "answers.json"
        path.write_text(json.dumps(answers), encoding="utf-8")
        assert main([code, "--answers", str(path)]) == 0
        out: Json = json.loads(capsys.readouterr().out)
        return out

    return run


def requirements(out: Json) -> dict[str, Json]:
    """The printed requirements by id."""
    items = out["requirements"]
    assert isinstance(items, list)
    return {str(item["id"]): item for item in items}


def applying(out: Json) -> set[str]:
    """The ids of the requirements that apply."""
    return {rid for rid, item in requirements(out).items() if item["applies"]}


def facts(**values: object) -> Json:
    return {"forms": {}, "fakta": values}


# ------------------------------------------------------------------------------------------- births


@pytest.mark.parametrize("code", ["LAHIR-WNI", "LAHIR-OA"])
def test_a_child_of_its_mother_only_needs_no_marriage_book_and_no_f204(cli: Cli, code: str) -> None:
    out = cli(code, facts(surat_lahir_ada=True, buku_nikah_ada=False, anak_seorang_ibu=True))
    assert "buku_nikah" not in applying(out)
    reason = str(requirements(out)["buku_nikah"]["reason"])
    assert "hanya mencantumkan nama ibu" in reason and "UU 1/1974 Pasal 43 ayat (1)" in reason
    assert out["forms"] == ["F-2.01"]  # no statement of a married couple for her to sign


@pytest.mark.parametrize("code", ["LAHIR-WNI", "LAHIR-OA"])
def test_married_parents_without_the_book_still_sign_f204(cli: Cli, code: str) -> None:
    out = cli(code, facts(surat_lahir_ada=True, buku_nikah_ada=False, anak_seorang_ibu=False))
    assert "buku_nikah" in applying(out)
    assert out["forms"] == ["F-2.01", "F-2.04"]
    # unanswered, the question waives nothing: the seed's requirement stands
    assert "buku_nikah" in applying(cli(code, facts(surat_lahir_ada=True, buku_nikah_ada=False)))


def test_the_mother_without_a_birth_letter_signs_f203(cli: Cli) -> None:
    out = cli("LAHIR-WNI", facts(surat_lahir_ada=False, buku_nikah_ada=False, anak_seorang_ibu=True))
    assert out["forms"] == ["F-2.01", "F-2.03"]
    letter = requirements(out)["surat_keterangan_kelahiran"]
    assert letter["applies"] and [s["id"] for s in letter["substitutes"]] == ["sptjm_f203"]
    assert "ibu kandung" in str(letter["note"])
    assert {"kk", "surat_keterangan_kelahiran"} <= applying(out)


def test_a_foundling_needs_the_police_report_instead_of_letter_book_and_kk(cli: Cli) -> None:
    out = cli("LAHIR-WNI", facts(surat_lahir_ada=False, buku_nikah_ada=False, asal_usul_tidak_diketahui=True))
    assert applying(out) == {"berita_acara_kepolisian"}
    for rid in ("surat_keterangan_kelahiran", "buku_nikah", "kk"):
        assert "berita acara dari kepolisian" in str(requirements(out)[rid]["reason"]), rid
    assert out["forms"] == ["F-2.01"]  # neither SPTJM


def test_the_birth_with_the_hospital_letter_is_unchanged(cli: Cli) -> None:
    out = cli("LAHIR-WNI", facts(surat_lahir_ada=True, buku_nikah_ada=True, asal_usul_tidak_diketahui=False))
    assert applying(out) == {"surat_keterangan_kelahiran", "buku_nikah", "kk"}
    assert out["forms"] == ["F-2.01"]


def test_the_requirements_page_says_why_the_marriage_book_is_not_asked(qtbot: QtBot) -> None:
    service = load_catalog().service("LAHIR-WNI")
    answers = facts(surat_lahir_ada=True, anak_seorang_ibu=True)
    page = RequirementsPage(service, answers["fakta"])
    qtbot.addWidget(page)
    page.show_checklist(checklist(service, answers), {})
    row = page.rows["buku_nikah"]
    assert not row.item.applies
    assert "hanya mencantumkan nama ibu" in row.status.text()
    assert "wajib" not in row.status.text()


# -------------------------------------------------------------------------------------------- deaths


def death(kewarganegaraan: int, **values: object) -> Json:
    return {"forms": {"F-2.01": {"subjek1": {"kewarganegaraan": kewarganegaraan}}}, "fakta": values}


def test_a_foreigner_with_an_itas_brings_the_itas_or_sktt_and_no_kk(cli: Cli) -> None:
    out = cli("KEMATIAN", death(2, izin_tinggal_oa="itas"))
    travel = requirements(out)["dokumen_perjalanan_oa"]
    assert travel["applies"]
    assert [s["id"] for s in travel["substitutes"]] == ["itas_sktt"]
    assert "kk_ktp_almarhum" not in applying(out)
    assert "ITAS" in str(requirements(out)["kk_ktp_almarhum"]["reason"])


def test_a_foreigner_with_an_itap_brings_the_itap_or_ktp_el_and_the_kk(cli: Cli) -> None:
    out = cli("KEMATIAN", death(2, izin_tinggal_oa="itap"))
    assert [s["id"] for s in requirements(out)["dokumen_perjalanan_oa"]["substitutes"]] == ["itap_ktp_el"]
    assert "kk_ktp_almarhum" in applying(out)


def test_a_person_in_no_kk_is_recorded_without_nik(cli: Cli) -> None:
    out = cli("KEMATIAN", death(1, tidak_tercantum_kk=True))
    assert applying(out) == {"surat_kematian"}
    assert "tanpa NIK" in str(requirements(out)["kk_ktp_almarhum"]["reason"])


def test_a_resident_s_death_still_needs_the_kk(cli: Cli) -> None:
    out = cli("KEMATIAN", death(1, tidak_tercantum_kk=False, wni_bukan_penduduk=False))
    assert applying(out) == {"surat_kematian", "kk_ktp_almarhum"}


def test_a_death_names_only_the_akta_the_seed_names() -> None:
    assert [o.id for o in load_catalog().service("KEMATIAN").outputs] == ["akta_kematian"]


# ------------------------------------------------------------------------------------- item 9, smaller


def kk_baru(status_kawin: int) -> Json:
    form = {"pemohon": {"status_kawin": status_kawin}, "permohonan": {"jenis": ["I.A.1"]}}
    return {"forms": {"F-1.02": form}, "fakta": {}}


def test_a_widowed_applicant_for_a_new_kk_brings_the_spouse_s_death_akta(cli: Cli) -> None:
    assert applying(cli("KK-BARU-KELUARGA", kk_baru(6))) == {"akta_kematian_pasangan"}
    assert applying(cli("KK-BARU-KELUARGA", kk_baru(4))) == {"akta_perceraian"}
    assert applying(cli("KK-BARU-KELUARGA", kk_baru(2))) == {"buku_nikah"}  # the married couple: unchanged


def test_a_move_leaving_children_asks_the_guardian_statement_only_without_a_relative_as_head(cli: Cli) -> None:
    move = {"F-1.03": {"kepindahan": {"klasifikasi": 4, "jenis_kepindahan": 1}}}
    case: dict[str, object] = {"daerah": "asal", "anggota_tinggal_di_bawah_17": True}
    assert "surat_pernyataan_wali" in applying(cli("PINDAH-WNI", {"forms": move, "fakta": case}))
    relative = {"forms": move, "fakta": {**case, "saudara_menjadi_kepala_keluarga": True}}
    out = cli("PINDAH-WNI", relative)
    assert "surat_pernyataan_wali" not in applying(out)
    assert "saudara yang dewasa pindah menjadi kepala keluarga" in requirements(out)["surat_pernyataan_wali"]["reason"]


def test_ktp_el_without_data_in_the_database_needs_the_kelurahan_and_kecamatan_letter(cli: Cli) -> None:
    out = cli("KTPEL-BARU-WNI", facts(data_belum_ada=True))
    assert {"surat_pengantar_rt_rw", "surat_pengantar_kelurahan_kecamatan"} <= applying(out)
    assert "surat_pengantar_kelurahan_kecamatan" not in applying(cli("KTPEL-BARU-WNI", facts(data_belum_ada=False)))


def test_a_kk_change_after_a_move_asks_for_the_skpwni_once(cli: Cli) -> None:
    out = cli("KK-PERUBAHAN-DATA", facts(pindah_datang=True))
    asked = [item for item in requirements(out).values() if item["applies"]]
    mentions = [item["id"] for item in asked if "SKPWNI" in item["title"] + item["note"] or item["document"] == "skp"]
    assert mentions == ["skp"]
    assert applying(cli("KK-PERUBAHAN-DATA", facts(pindah_datang=False))) == {"kk_lama", "bukti_perubahan"}


# ------------------------------------------------------------------------------------ the loader


def _birth_catalog_with(tmp_path: Path, waiver: object, mandatory: object = True) -> Path:
    folder = tmp_path / "catalog"
    (folder / "services").mkdir(parents=True)
    (folder / "catalog.yaml").write_bytes(resource_path("catalog/catalog.yaml").read_bytes())
    data = yaml.safe_load(resource_path("catalog/services/21-lahir-wni.yaml").read_text(encoding="utf-8"))
    buku_nikah = next(r for r in data["requirements"] if r["id"] == "buku_nikah")
    buku_nikah["unless"] = [waiver]
    buku_nikah["mandatory"] = mandatory
    (folder / "services" / "21-lahir-wni.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return folder


@pytest.mark.parametrize(
    ("waiver", "mandatory", "problem"),
    [
        ({"when": "fakta.anak_seorang_ibu"}, True, "needs a non-empty text"),
        ({"when": "fakta.ayah_pergi", "reason": "x"}, True, "neither a declared fact"),
        ({"when": "fakta.anak_seorang_ibu", "reason": "x", "then": 1}, True, "unknown keys"),
        ({"when": "fakta.anak_seorang_ibu", "reason": "x"}, False, "never mandatory"),
    ],
)
def test_the_loader_rejects_a_bad_waiver(tmp_path: Path, waiver: object, mandatory: object, problem: str) -> None:
    with pytest.raises(CatalogError, match=problem) as raised:
        read_catalog(_birth_catalog_with(tmp_path, waiver, mandatory), default_registry())
    assert "21-lahir-wni.yaml" in str(raised.value) and "buku_nikah" in str(raised.value)


# ------------------------------------------------------------------------------------------------ KIA


def kia(child_born: str, parent_born: str = "1990-04-01") -> Json:
    """A KIA asked for by a married parent (the F-1.02 applicant) for a child born on `child_born`."""
    pemohon = {"tanggal_lahir": parent_born, "status_kawin": 2, "kewarganegaraan": 1}
    form = {"pemohon": pemohon, "permohonan": {"jenis": ["III.A"]}}
    return {"forms": {"F-1.02": form}, "fakta": {"tanggal_lahir_anak": child_born}}


@pytest.mark.parametrize("code", ["KIA-WNI", "KIA-OA"])
def test_the_kia_photo_follows_the_child_s_birth_date(cli: Cli, code: str) -> None:
    today = dt.date.today()
    six = today.replace(year=today.year - 6).isoformat()
    assert "pas_foto_anak" in applying(cli(code, kia(six)))
    two = today.replace(year=today.year - 2).isoformat()
    assert "pas_foto_anak" not in applying(cli(code, kia(two)))


@pytest.mark.parametrize("code", ["KIA-WNI", "KIA-OA"])
def test_the_kia_age_rule_reads_the_child_not_the_parent(cli: Cli, code: str) -> None:
    today = dt.date.today()
    assert cli(code, kia(today.replace(year=today.year - 3).isoformat()))["eligibility"] == []
    adult = cli(code, kia(today.replace(year=today.year - 18).isoformat()))
    assert [f["code"] for f in adult["eligibility"]] == ["anak_di_bawah_17"]
    assert "tanggal lahir anak" in adult["eligibility"][0]["message"]


def test_the_child_s_birth_date_is_typed_on_the_requirements_page(qtbot: QtBot, tmp_path: Path) -> None:
    service = load_catalog().service("KIA-WNI")
    page = RequirementsPage(service, {})
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    editor = page.fact_dates["tanggal_lahir_anak"]
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.focus_first()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.line)  # the first question takes the keyboard
    seen: list[dict[str, object]] = []
    page.facts_changed.connect(seen.append)
    qtbot.keyClicks(editor.line, "0304201")  # not a whole date yet: no answer
    assert page.facts() == {}
    qtbot.keyClicks(editor.line, "8")
    assert seen[-1] == {"tanggal_lahir_anak": "2018-04-03"}
    page.show_checklist(checklist(service, {"forms": {}, "fakta": page.facts()}), {})
    assert page.rows["pas_foto_anak"].item.applies  # 8 years old
    page.grab().save(str(tmp_path / "kia-requirements.png"))
    reopened = RequirementsPage(service, {"tanggal_lahir_anak": "2018-04-03"})
    qtbot.addWidget(reopened)
    assert reopened.facts() == {"tanggal_lahir_anak": "2018-04-03"}
