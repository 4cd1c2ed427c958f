"""Tests of the YAML data-file reader and its parsed-data cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.datafiles import DataFileError, load_yaml


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("LOKET_CACHE_DIR", str(cache))
    return cache


def test_parsed_data_is_cached_and_invalidated_by_content(tmp_path: Path, private_cache: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("x: 1\nnama: Desa Wonosari\n", encoding="utf-8")
    assert load_yaml(path) == {"x": 1, "nama": "Desa Wonosari"}
    cached = list((private_cache / "data").glob("*.json"))
    assert len(cached) == 1
    assert load_yaml(path) == {"x": 1, "nama": "Desa Wonosari"}
    path.write_text("x: 2\n", encoding="utf-8")
    assert load_yaml(path) == {"x": 2}
    assert len(list((private_cache / "data").glob("*.json"))) == 2


def test_data_json_cannot_hold_is_not_cached(tmp_path: Path, private_cache: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("tanggal: 2019-12-31\n1: satu\n", encoding="utf-8")
    data = load_yaml(path)
    assert isinstance(data, dict) and 1 in data
    assert not list((private_cache / "data").glob("*.json"))
    assert load_yaml(path) == data


def test_damaged_cache_is_ignored(tmp_path: Path, private_cache: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("x: 1\n", encoding="utf-8")
    load_yaml(path)
    [cached] = list((private_cache / "data").glob("*.json"))
    cached.write_text("{rusak", encoding="utf-8")
    assert load_yaml(path) == {"x": 1}


def test_unreadable_cache_folder_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("LOKET_CACHE_DIR", str(blocker))
    path = tmp_path / "a.yaml"
    path.write_text("x: 1\n", encoding="utf-8")
    assert load_yaml(path) == {"x": 1}


@pytest.mark.parametrize(("content", "problem"), [(None, "cannot be read"), ("a: [1,\n", "not valid YAML")])
def test_errors_name_the_file(tmp_path: Path, content: str | None, problem: str) -> None:
    path = tmp_path / "rusak.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_yaml(path)
    assert caught.value.file == "rusak.yaml"
    assert problem in caught.value.problem
