"""Referrals ("not here, go there"): a Muslim marriage goes to the KUA Kecamatan, a Muslim divorce or annulment to
the Pengadilan Agama; said by `python -m app.catalog CODE --answers FILE`, blocking submission, printed as a slip."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from app.catalog import CatalogError, load_catalog, read_catalog, referrals
from app.catalog.__main__ import main
from app.forms.registry import default_registry
from app.printing.receipt import Outpost
from app.printing.referral import referral_slip_for, render_referral_slip
from app.resources import resource_path
from app.submission import check_submission
from tests.unit.app.printing.pdfs import read_pdf


def run_cli(code: str, answers: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    """The checklist as the command line prints it."""
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    assert main([code, "--answers", str(path)]) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def _ids(out: dict[str, object], key: str) -> list[str]:
    items = out[key]
    assert isinstance(items, list)
    return [str(item.get("id") or item.get("code")) for item in items]


def marriage(agama: int) -> dict[str, object]:
    return {"forms": {"F-2.01": {"laporan": {"jenis_pelaporan": 3}, "perkawinan": {"agama": agama}}}}


def test_a_marriage_according_to_islam_is_referred_to_the_kua(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run_cli("KAWIN-WNI", marriage(1), tmp_path, capsys)
    assert _ids(out, "referrals") == ["nikah_islam_di_kua"]
    referral = out["referrals"][0]  # type: ignore[index]
    assert referral["to"] == "kua_kecamatan"
    assert "Pasal 8 ayat (2)" in referral["articles"] and "PP 9/1975" in referral["articles"]
    assert "uu_1_1974" in referral["legal_basis"]
    assert "nikah_islam_di_kua" in _ids(out, "eligibility")  # the same rule blocks the application


def test_the_question_asked_before_any_form_refers_as_well(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_cli("KAWIN-WNI", {"fakta": {"kedua_mempelai_islam": True}}, tmp_path, capsys)
    assert _ids(out, "referrals") == ["nikah_islam_di_kua"]


@pytest.mark.parametrize("answers", [marriage(2), {"fakta": {"kedua_mempelai_islam": False}}, {}])
def test_a_non_muslim_or_unanswered_marriage_is_not_referred(
    answers: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run_cli("KAWIN-WNI", answers, tmp_path, capsys)
    assert out["referrals"] == []
    assert "nikah_islam_di_kua" not in _ids(out, "eligibility")


@pytest.mark.parametrize(
    ("code", "rule"),
    [("CERAI", "cerai_islam_di_pengadilan_agama"), ("BATAL-KAWIN", "batal_nikah_islam_di_pengadilan_agama")],
)
def test_a_muslim_divorce_or_annulment_goes_to_the_pengadilan_agama(
    code: str, rule: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run_cli(code, {"fakta": {"perkawinan_islam": True}}, tmp_path, capsys)
    assert _ids(out, "referrals") == [rule]
    assert out["referrals"][0]["to"] == "pengadilan_agama"  # type: ignore[index]
    assert run_cli(code, {"fakta": {"perkawinan_islam": False}}, tmp_path, capsys)["referrals"] == []


def test_a_referral_blocks_submission() -> None:
    service = load_catalog().service("KAWIN-WNI")
    result = check_submission(service, {}, {"kedua_mempelai_islam": True}, {})
    assert any(f.code == "nikah_islam_di_kua" and "KUA" in f.message for _, f in result.errors)


def test_the_slip_says_where_to_go_why_and_on_what_law() -> None:
    service = load_catalog().service("CERAI")
    (active,) = referrals(service, {"fakta": {"perkawinan_islam": True}})
    outpost = Outpost("Kantor Kecamatan Sine", "Kabupaten Ngawi")
    slip = referral_slip_for(active, outpost, "SITI AMINAH", dt.datetime(2026, 3, 2, 9, 30))
    text = read_pdf(render_referral_slip(slip)).text
    for needle in ("SURAT RUJUKAN", "SITI AMINAH", "Pengadilan Agama", "UU 7/1989 Pasal 84", "Pencatatan Perceraian"):
        assert needle in text


def test_the_loader_rejects_a_referral_to_an_unknown_office(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    (folder / "services").mkdir(parents=True)
    (folder / "catalog.yaml").write_bytes(resource_path("catalog/catalog.yaml").read_bytes())
    data = yaml.safe_load(resource_path("catalog/services/28-cerai.yaml").read_text(encoding="utf-8"))
    data["eligibility"][0]["referral"]["to"] = "kantor_imigrasi_bulan"
    (folder / "services" / "28-cerai.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError, match="unknown office"):
        read_catalog(folder, default_registry())
