"""Where the card reader finds its recogniser model: in the frozen bundle under resources/ocr (the bundle
carries that one file of the rapidocr-onnxruntime wheel), else in the installed package; without either,
a clear error (and `loket-admin data-check` says so)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from app.admin.cli import main as admin_main
from app.cardread import engine


def test_the_bundled_model_comes_first_then_the_installed_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = engine.model_path()
    assert installed.name == engine.MODEL_FILE and installed.is_file()
    shipped = tmp_path / "resources" / "ocr" / engine.MODEL_FILE
    shipped.parent.mkdir(parents=True)
    shipped.write_bytes(b"model")
    monkeypatch.setattr(engine, "resource_path", lambda *parts: tmp_path.joinpath("resources", *parts))
    assert engine.model_path() == shipped


def test_without_a_model_data_check_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(engine, "resource_path", lambda *parts: tmp_path.joinpath("resources", *parts))
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    with pytest.raises(engine.EngineMissingError, match="rapidocr-onnxruntime is not installed"):
        engine.model_path()
    code = admin_main(["--basedir", str(tmp_path / "data"), "data-check"])
    assert code != 0
    shown = capsys.readouterr()
    assert "Model pembaca KK tidak ada" in shown.out + shown.err
