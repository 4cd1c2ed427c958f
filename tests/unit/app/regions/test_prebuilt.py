"""The region index prebuilt as data: the same answers as one built from the CSV files, found by content
hash, built again when the data or the code changes, and read in small pieces."""

from __future__ import annotations

import io
import pickle
import shutil
from pathlib import Path

import pytest

from app.regions import RegionIndex, default_index, prebuilt
from app.resources import resource_path

SHIPPED = resource_path("regions")
QUERIES = ["wonosari", "wono sine", "kab merauke", "sari", "kota", "kec sine", "desa", "jaya", "ma'ruf", "kel baru"]


def _small_folder(folder: Path) -> Path:
    """The region files of Jawa Timur and Papua Selatan only, with the shipped edition and retired codes."""
    folder.mkdir()
    for name, keep in (("wilayah-2025.csv", ("35", "93")), ("kodepos-2025.csv", ("35", "93"))):
        lines = (SHIPPED / name).read_text(encoding="utf-8").splitlines(keepends=True)
        (folder / name).write_text(lines[0] + "".join(x for x in lines[1:] if x.startswith(keep)), encoding="utf-8")
    for name in ("wilayah-historical-not-current.csv", "edition.json"):
        shutil.copy(SHIPPED / name, folder / name)
    return folder


def _answers(index: RegionIndex) -> list[list[str]]:
    return [[r.code for r in index.search(q, limit=20)] for q in QUERIES] + [
        [r.code for r in index.search("sari", level="desa", parent="35.21")]
    ]


def test_the_default_index_is_read_from_the_prebuilt_file_with_the_same_answers_as_a_fresh_build() -> None:
    shared = default_index()  # the first call in a checkout writes the file, the later ones read it
    data, code = prebuilt.data_hash(SHIPPED), prebuilt.code_hash()
    found = prebuilt.find(SHIPPED, data, code)
    assert found is not None
    assert prebuilt.read(found, data, code).table() == shared.table()
    fresh = RegionIndex.load()
    assert shared.search_ready, "the search index comes with the file: nothing is built while the officer types"
    assert _answers(shared) == _answers(fresh)
    assert shared.table() == fresh.table()
    assert shared.historical("91.01") == fresh.historical("91.01")


def test_a_missing_file_is_built_once_and_then_read(tmp_path: Path) -> None:
    folder = _small_folder(tmp_path / "regions")
    built = prebuilt.load_default(folder)
    (made,) = folder.glob("search-index-*.pickle")
    assert made.name == prebuilt.file_name(prebuilt.data_hash(folder), prebuilt.code_hash())

    read = prebuilt.read(made, prebuilt.data_hash(folder), prebuilt.code_hash())
    assert read.search_ready and len(read) == len(built) == len(RegionIndex.load(folder))
    assert _answers(read) == _answers(RegionIndex.load(folder))
    assert read.get("35.21.01.2001") == built.get("35.21.01.2001")
    assert read.postal_code("35.21.01.2001") == "63264"
    assert read.edition == built.edition != ""


def test_changed_data_is_built_again_and_the_old_file_removed(tmp_path: Path) -> None:
    folder = _small_folder(tmp_path / "regions")
    prebuilt.load_default(folder)
    (old,) = folder.glob("search-index-*.pickle")
    wilayah = folder / "wilayah-2025.csv"
    wilayah.write_text(wilayah.read_text(encoding="utf-8") + "35.21.01.2999,Desa Baru Contoh\n", encoding="utf-8")

    index = prebuilt.load_default(folder)

    (new,) = folder.glob("search-index-*.pickle")
    assert new != old
    assert [r.code for r in index.search("baru contoh")] == ["35.21.01.2999"]


def test_a_file_built_by_other_code_is_not_used_in_a_checkout_but_is_in_a_bundle(tmp_path: Path) -> None:
    folder = _small_folder(tmp_path / "regions")
    data = prebuilt.data_hash(folder)
    index = RegionIndex.load(folder)
    other = folder / prebuilt.file_name(data, "0123456789abcdef")
    prebuilt.write(index, other, data, "0123456789abcdef")

    assert prebuilt.find(folder, data, prebuilt.code_hash()) is None
    assert prebuilt.find(folder, data, prebuilt.FROZEN_CODE) == other
    with pytest.raises(prebuilt.SnapshotError, match="other code"):
        prebuilt.read(other, data, prebuilt.code_hash())
    assert len(prebuilt.read(other, data, prebuilt.FROZEN_CODE)) == len(index)
    with pytest.raises(prebuilt.SnapshotError, match="other data"):
        prebuilt.read(other, "ffffffffffffffff", prebuilt.FROZEN_CODE)


def test_a_damaged_file_is_replaced(tmp_path: Path) -> None:
    folder = _small_folder(tmp_path / "regions")
    prebuilt.load_default(folder)
    (made,) = folder.glob("search-index-*.pickle")
    made.write_bytes(made.read_bytes()[: made.stat().st_size // 2])
    with pytest.raises(prebuilt.SnapshotError, match="cannot be read"):
        prebuilt.read(made, prebuilt.data_hash(folder), prebuilt.code_hash())

    index = prebuilt.load_default(folder)

    assert [r.code for r in index.search("wono sine")] == ["35.21.01.2001"]
    assert prebuilt.read(made, prebuilt.data_hash(folder), prebuilt.code_hash()).search_ready


def test_the_file_is_read_in_pieces_of_at_most_chunk_items(tmp_path: Path) -> None:
    made = tmp_path / "index.pickle"
    prebuilt.write(default_index(), made, "d", "c")
    unpickler = pickle.Unpickler(io.BytesIO(made.read_bytes()))
    sizes = []
    while (record := unpickler.load())[0] != "end":
        name, value = record
        if name in (*prebuilt.TABLE_LISTS, *prebuilt.SEARCH_LISTS):
            sizes.append(len(value))
        elif name in (*prebuilt.TABLE_DICTS, *prebuilt.SEARCH_DICTS):
            keys, values = value
            assert len(keys) == len(values)
            sizes.append(len(keys))
    assert len(sizes) > 100
    assert max(sizes) <= prebuilt.CHUNK


def test_the_build_step_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _small_folder(tmp_path / "regions")
    assert prebuilt.main(["--folder", str(folder)]) == 0
    (made,) = folder.glob("search-index-*.pickle")
    assert str(made) in capsys.readouterr().out
