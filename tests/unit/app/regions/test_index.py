"""Tests of the region table: counts, look-up, tree, retired codes, postal codes and name search."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.regions import DESA_KELURAHAN, Level, Region, RegionIndex, default_index, dotted_code, level_of
from app.regions.search import fold_words


@pytest.fixture(scope="module")
def index() -> RegionIndex:
    """Return the shared index of the shipped data."""
    return default_index()


def _folded(region: Region) -> list[str]:
    return fold_words(region.name)


# -- counts and the code rules -------------------------------------------------------------------------


def test_counts_per_level_match_the_2025_edition(index: RegionIndex) -> None:
    counts = Counter(r.level for r in index.regions())
    assert counts == {
        "provinsi": 38,
        "kabupaten": 416,
        "kota": 98,
        "kecamatan": 7285,
        "kelurahan": 8496,
        "desa": 75252,
        "desa_adat": 14,
    }
    assert len(index) == 91_599
    assert counts["kabupaten"] + counts["kota"] == 514
    assert counts["kelurahan"] + counts["desa"] + counts["desa_adat"] == 83_762


def test_all_desa_adat_are_in_kabupaten_jayapura(index: RegionIndex) -> None:
    desa_adat = list(index.regions("desa_adat"))
    assert len(desa_adat) == 14
    assert all(r.code.startswith("91.03.") for r in desa_adat)
    assert index.get("91.03") is not None
    assert index.get("91.03").name == "Kabupaten Jayapura"  # type: ignore[union-attr]


def test_level_follows_the_code_rules() -> None:
    assert level_of("35") == "provinsi"
    assert level_of("35.21") == "kabupaten"
    assert level_of("35.69") == "kabupaten"
    assert level_of("35.71") == "kota"
    assert level_of("35.21.01") == "kecamatan"
    assert level_of("35.21.01.1001") == "kelurahan"
    assert level_of("35.21.01.2001") == "desa"
    assert level_of("91.03.01.3001") == "desa_adat"


def test_every_kabupaten_is_below_70_and_every_kota_above(index: RegionIndex) -> None:
    assert all(int(r.code[3:5]) < 70 for r in index.regions("kabupaten"))
    assert all(int(r.code[3:5]) >= 71 for r in index.regions("kota"))
    assert all(r.name.startswith("Kabupaten ") for r in index.regions("kabupaten"))
    assert all(r.name.startswith("Kota ") for r in index.regions("kota"))


def test_ngawi_has_19_kecamatan_and_217_desa_kelurahan(index: RegionIndex) -> None:
    kecamatan = index.children("35.21")
    assert len(kecamatan) == 19
    assert all(k.level == "kecamatan" for k in kecamatan)
    desa = [d for k in kecamatan for d in index.children(k.code)]
    assert len(desa) == 217
    assert all(d.level in DESA_KELURAHAN for d in desa)


def test_kota_cilegon(index: RegionIndex) -> None:
    cilegon = index.get("36.72")
    assert cilegon == Region(code="36.72", name="Kota Cilegon", level="kota")


def test_wonosari_in_sine_dotted_and_undotted(index: RegionIndex) -> None:
    dotted = index.get("35.21.01.2001")
    assert dotted is not None
    assert dotted.name == "Wonosari"
    assert dotted.level == "desa"
    assert dotted.key == "3521012001"
    assert dotted.parent_code == "35.21.01"
    assert index.get("3521012001") == dotted
    assert index.get(" 35 21 01 2001 ") == dotted
    assert index.get("35.21.01")
    assert index.get("35.21.01").name == "Sine"  # type: ignore[union-attr]


def test_path_runs_from_province_to_the_region(index: RegionIndex) -> None:
    path = index.path("3521012001")
    assert [r.code for r in path] == ["35", "35.21", "35.21.01", "35.21.01.2001"]
    assert [r.name for r in path] == ["Jawa Timur", "Kabupaten Ngawi", "Sine", "Wonosari"]
    assert [r.level for r in path] == ["provinsi", "kabupaten", "kecamatan", "desa"]
    assert index.path("35") == [index.get("35")]


def test_children_are_one_level_down_in_code_order(index: RegionIndex) -> None:
    provinces = index.children("35")
    assert [r.code for r in provinces] == sorted(r.code for r in provinces)
    assert all(r.code.count(".") == 1 for r in provinces)
    assert index.children("35.21.01.2001") == []


def test_postal_codes(index: RegionIndex) -> None:
    assert index.postal_code("35.21.01.2001") == "63264"
    assert index.postal_code("3521012001") == "63264"
    wonosari = index.get("35.21.01.2001")
    assert wonosari is not None
    assert wonosari.postal_code == "63264"
    assert index.postal_code("35.21.01") is None
    assert index.get("35.21.01").postal_code is None  # type: ignore[union-attr]
    desa = list(index.regions("desa"))[:200]
    assert all(r.postal_code is not None and len(r.postal_code) == 5 for r in desa)


# -- retired codes -------------------------------------------------------------------------------------


def test_historical_merauke_now_93_01(index: RegionIndex) -> None:
    assert index.get("91.01") is None
    retired = index.historical("91.01")
    assert retired is not None
    assert retired.name == "KAB. MERAUKE"
    assert retired.level == "kabupaten"
    assert retired.last_seen_edition == "2022"
    assert retired.successor is not None
    assert retired.successor.code == "93.01"
    assert retired.successor.name == "Kabupaten Merauke"
    assert index.historical("9101") == retired
    assert retired.to_dict()["successor"] == {"code": "93.01", "name": "Kabupaten Merauke", "level": "kabupaten"}


def test_historical_kecamatan_successor_is_same_named_kecamatan(index: RegionIndex) -> None:
    retired = index.historical("91.01.01")
    assert retired is not None
    assert retired.successor is not None
    assert retired.successor.code == "93.01.01"
    assert retired.successor.name == "Merauke"


def test_historical_kecamatan_without_namesake_falls_back_to_kabupaten(index: RegionIndex) -> None:
    retired = index.historical("91.13.36")  # Holuon, Kab. Yahukimo before 2022
    assert retired is not None
    assert retired.successor is not None
    assert retired.successor.code == "95.03"


def test_historical_sorong_2023(index: RegionIndex) -> None:
    retired = index.historical("92.71")
    assert retired is not None
    assert retired.level == "kota"
    assert retired.last_seen_edition == "2023"
    assert retired.successor is not None
    assert retired.successor.code == "96.71"


def test_historical_is_none_for_current_and_unknown_codes(index: RegionIndex) -> None:
    assert index.historical("35.21") is None
    assert index.historical("93.01") is None
    assert index.historical("35.21.99") is None


def test_historical_children(index: RegionIndex) -> None:
    children = index.historical_children("91.01")
    assert children
    assert all(c.code.startswith("91.01.") and c.level == "kecamatan" for c in children)


def test_known_prefixes(index: RegionIndex) -> None:
    assert index.is_known_prefix("35")
    assert index.is_known_prefix("3521")
    assert index.is_known_prefix("352101")
    assert index.is_known_prefix("9101")  # retired
    assert index.is_known_prefix("91.01.01")  # retired
    assert not index.is_known_prefix("10")
    assert not index.is_known_prefix("352199")
    assert index.is_current("35.21")
    assert not index.is_current("91.01")


# -- malformed input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [None, "", "abc", "35.21.99.9999", 35, 3521, ["35"], {"35": 1}, 35.21, "35.2", "3521.01", "352", "٣٥", "35..21"],
)
def test_malformed_or_unknown_codes_give_empty_answers(index: RegionIndex, bad: object) -> None:
    assert index.get(bad) is None
    assert index.children(bad) == []
    assert index.path(bad) == []
    assert index.historical(bad) is None
    assert index.postal_code(bad) is None
    assert not index.is_known_prefix(bad)
    if not isinstance(bad, str):
        assert index.search(bad) == []


def test_dotted_code_forms() -> None:
    assert dotted_code("3521012001") == "35.21.01.2001"
    assert dotted_code("352101") == "35.21.01"
    assert dotted_code("35.21") == "35.21"
    assert dotted_code("35.21.01.20011") is None
    assert dotted_code("3521012") is None
    assert dotted_code(None) is None
    assert dotted_code("x" * 1000) is None


# -- search --------------------------------------------------------------------------------------------


def test_search_word_start_prefix(index: RegionIndex) -> None:
    results = index.search("won", limit=50)
    assert results
    assert all(any(w.startswith("won") for w in _folded(r)) for r in results)
    wonosari = index.search("wonosari", limit=200)
    assert "35.21.01.2001" in [r.code for r in wonosari]


def test_search_never_matches_inside_a_word(index: RegionIndex) -> None:
    results = index.search("sari", limit=5000)
    assert results
    assert all(any(w.startswith("sari") for w in _folded(r)) for r in results)
    assert "Wonosari" not in {r.name for r in results}


def test_search_matches_later_words(index: RegionIndex) -> None:
    names = {r.code: r.name for r in index.search("sari", limit=5000)}
    assert names["12.71.16.1003"] == "Sari Rejo"
    later = [name for name in names.values() if not fold_words(name)[0].startswith("sari")]
    assert "Rejo Sari" in later  # a name where "sari" is the second word


def test_search_exact_name_first(index: RegionIndex) -> None:
    results = index.search("sari")
    assert results[0].name == "Sari"
    assert results[1].name == "Sari"
    ngawi = index.search("ngawi")
    assert {r.code for r in ngawi[:3]} == {"35.21", "35.21.09", "35.21.09.2010"}
    assert ngawi[0].code == "35.21"  # higher level first among exact matches


def test_search_case_and_punctuation_insensitive(index: RegionIndex) -> None:
    assert index.search("WONOSARI") == index.search("wonosari")
    assert "11.01.01.2001" in [r.code for r in index.search("keude-bakongan")]
    lubuk = [r.name for r in index.search("lubuk pakam i ii", limit=5)]
    assert "Lubuk Pakam I,II" in lubuk
    typographic = index.search("regapuu")
    assert typographic
    assert typographic[0].name == "Regapu’u"
    assert index.search("regapu'u") == typographic


def test_search_multi_word_uses_kecamatan_and_kabupaten(index: RegionIndex) -> None:
    assert index.search("wono sine")[0].code == "35.21.01.2001"
    assert index.search("wonosari sine")[0].code == "35.21.01.2001"
    assert index.search("sine wono")[0].code == "35.21.01.2001"
    assert "35.21.01.2001" in [r.code for r in index.search("wonosari ngawi", limit=50)]
    # at least one word must start a word of the region's own name: "sine ngawi" gives kecamatan Sine and
    # desa Sine in it, not the other desa of Sine
    assert [r.code for r in index.search("sine ngawi")] == ["35.21.01", "35.21.01.2008"]


def test_search_tolerates_level_words(index: RegionIndex) -> None:
    assert index.search("Kab. Ngawi")[0].code == "35.21"
    assert index.search("kabupaten ngawi")[0].code == "35.21"
    assert index.search("Kota Cilegon")[0].code == "36.72"
    assert index.search("Kec. Sine")[0].code == "35.21.01"
    assert index.search("kecamatan sine")[0].code == "35.21.01"
    assert index.search("Kel. Sine")[0].code == "33.14.10.1001"
    first = index.search("Desa Wonosari")[0]
    assert first.level == "desa"
    assert first.name == "Wonosari"
    assert index.search("desa wono kec sine")[0].code == "35.21.01.2001"


def test_search_names_that_start_with_a_level_word(index: RegionIndex) -> None:
    kota_baru = index.search("kota baru")
    assert all(r.name == "Kota Baru" for r in kota_baru[:5])
    assert index.search("desa baru")[0].name == "Desa Baru"


def test_search_level_filter(index: RegionIndex) -> None:
    assert all(r.level == "desa" for r in index.search("sari", level="desa", limit=100))
    assert all(r.level in DESA_KELURAHAN for r in index.search("wono", level=DESA_KELURAHAN, limit=100))
    assert all(r.level == "kelurahan" for r in index.search("sari", level="kelurahan", limit=100))
    adat = index.search("desa adat", level="desa_adat", limit=100)
    assert len(adat) == 14
    only_kota: tuple[Level, ...] = ("kota",)
    assert [r.code for r in index.search("cilegon", level=only_kota)] == ["36.72"]
    assert index.search("sari", level="nagari") == []  # type: ignore[arg-type]
    assert index.search("sari", level=["desa", 7]) == []  # type: ignore[list-item]


def test_search_parent_filter(index: RegionIndex) -> None:
    results = index.search("wono", parent="35.21", limit=100)
    assert results
    assert all(r.code.startswith("35.21.") for r in results)
    assert [r.code for r in index.search("wonosari", parent="352101")] == ["35.21.01.2001"]
    jawa_timur = index.search("s", parent="35", limit=50)
    assert len(jawa_timur) == 50
    assert all(r.code.startswith("35.") for r in jawa_timur)
    assert index.search("wono", parent="99") == []
    assert index.search("wono", parent="35.21.01.2001") == []


def test_search_limit_and_determinism(index: RegionIndex) -> None:
    assert len(index.search("s", limit=3)) == 3
    assert index.search("s", limit=0) == []
    assert index.search("s", limit=-1) == []
    assert index.search("s", limit="5") == []  # type: ignore[arg-type]
    assert index.search("su ma", limit=30) == index.search("su ma", limit=30)
    assert index.search("su ma", limit=10) == index.search("su ma", limit=30)[:10]


def test_search_by_code(index: RegionIndex) -> None:
    assert [r.code for r in index.search("3521012001")] == ["35.21.01.2001"]
    assert [r.code for r in index.search("35.21")] == ["35.21"]
    assert index.search("35.21", level="desa") == []


@pytest.mark.parametrize("query", ["", "   ", "!!!", "x" * 10_000, "\u200b", "zzzzzz qqqqq"])
def test_search_odd_queries_return_lists(index: RegionIndex, query: str) -> None:
    assert isinstance(index.search(query), list)


# -- loading other data --------------------------------------------------------------------------------


def test_load_from_another_folder(tmp_path: Path) -> None:
    (tmp_path / "wilayah-2025.csv").write_text(
        "kode,nama\n35,Jawa Timur\n35.21,Kabupaten Ngawi\n35.21.01,Sine\n35.21.01.2001,Wonosari\n",
        encoding="utf-8",
    )
    (tmp_path / "kodepos-2025.csv").write_text("kode,kodepos\n35.21.01.2001,63264\n", encoding="utf-8")
    (tmp_path / "wilayah-historical-not-current.csv").write_text(
        "kode,nama,last_seen_edition\n35.99,KAB. CONTOH,2020\n", encoding="utf-8"
    )
    small = RegionIndex.load(tmp_path)
    assert len(small) == 4
    assert small.edition == ""
    assert small.get("3521012001") == Region("35.21.01.2001", "Wonosari", "desa", "63264")
    assert [r.code for r in small.search("wono sine")] == ["35.21.01.2001"]
    retired = small.historical("35.99")
    assert retired is not None
    assert retired.successor is None


def test_default_index_is_shared_and_names_its_edition() -> None:
    assert default_index() is default_index()
    assert "300.2.2-2138/2025" in default_index().edition
