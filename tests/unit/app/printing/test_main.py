"""Tests of `python -m app.printing`: the sample print-outs for checking a template."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.forms import load_form
from app.printing.__main__ import main
from app.printing.forms import render_form
from app.printing.samples import sample_f201_birth_answers


def test_samples_are_written_for_a_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "--template", "ngawi", "--png"]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert {"receipt.pdf", "receipt.png", "print-f101.pdf", "print-f101.png", "print-F-2.04-blank.pdf"} <= set(written)
    assert (tmp_path / "receipt.png").read_bytes().startswith(b"\x89PNG")
    assert "print-f201.pdf" in capsys.readouterr().out


def test_templates_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("ngawi\tF4\t")


def test_the_same_answers_print_the_same_bytes() -> None:
    schema, answers = load_form("F-2.01"), sample_f201_birth_answers()
    assert render_form(schema, answers) == render_form(schema, answers)
