"""`python -m app.documents read-kk FILE` and `read-ktp FILE`, run as real subprocesses: valid JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2

from tests.helpers.cards.samples import kk_sample, ktp_sample

ROOT = Path(__file__).resolve().parents[3]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.documents", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_read_kk_prints_the_reading_as_json(tmp_path: Path) -> None:
    sample = kk_sample(4, "scan")
    path = tmp_path / "kk.jpg"
    cv2.imwrite(str(path), cv2.cvtColor(sample.image, cv2.COLOR_RGB2BGR))
    done = _run("read-kk", str(path))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["kind"] == "kk" and data["problems"] == [] and data["usable"] is True
    assert data["fields"]["nomor_kk"]["value"] == sample.family.number
    assert [row["values"]["nik"]["value"] for row in data["rows"]] == [p.nik for p in sample.family.members]
    nik = data["rows"][0]["values"]["nik"]
    assert set(nik) == {"text", "value", "confidence", "doubtful", "problems", "box"}
    assert 0.0 <= nik["confidence"] <= 1.0 and set(nik["box"]) == {"x", "y", "width", "height"}


def test_read_ktp_and_a_page_that_is_no_ktp(tmp_path: Path) -> None:
    card = ktp_sample(1, "flat")
    path = tmp_path / "ktp.png"
    cv2.imwrite(str(path), cv2.cvtColor(card.image, cv2.COLOR_RGB2BGR))
    done = _run("read-ktp", str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"][0]["values"]["nik"]["value"] == card.person.nik
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), card.image * 0 + 255)
    done = _run("read-ktp", str(blank))
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert data["rows"] == [] and data["problems"] and "pindai ulang" in data["problems"][0]


def test_a_file_that_is_no_image(tmp_path: Path) -> None:
    path = tmp_path / "notes.png"
    path.write_text("not a picture")
    done = _run("read-kk", str(path))
    assert done.returncode == 1
    assert "error" in json.loads(done.stdout)
