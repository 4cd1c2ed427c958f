"""`python -m app.documents process`, run as a real subprocess on good and bad files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PIL import Image as PilImage

from tests.helpers import documents

ROOT = Path(__file__).resolve().parents[4]


def test_process_prints_json_per_page_and_reports_bad_files(tmp_path: Path) -> None:
    scan = PilImage.fromarray(documents.scan(documents.text_page(31, lines=20), dpi=200))
    scan.save(tmp_path / "surat.png", dpi=(200, 200))
    (tmp_path / "rusak.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.documents",
            "process",
            str(tmp_path / "surat.png"),
            str(tmp_path / "rusak.jpg"),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["page"] == 1 and first["mode"] == "bilevel" and first["dpi"] == 200
    assert first["bytes"] == (out / "surat-p1.tif").stat().st_size
    assert first["ms"] > 0 and first["checks"]["failed"] == []
    assert set(first) >= {"ms", "bytes", "mode", "dpi", "checks"}
    assert second["file"].endswith("rusak.jpg") and "rusak" in second["error"]
