"""F-1.01 filled with real key presses into a window on Xvfb: the Tab order of the paper form, Enter
moving on, code lists answered by code or by words, fields that appear as answers call for them, and
'+ Tambah baris' by keyboard (see keyboard_flow.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.integration.ui.keyboard_flow import STEPS

ROOT = Path(__file__).resolve().parents[3]


def test_a_family_card_form_is_filled_with_the_keyboard_alone() -> None:
    missing = [tool for tool in ("xvfb-run", "xdotool") if shutil.which(tool) is None]
    assert not missing, f"{missing} missing: run `make setup` (installers/debian-deps.sh installs them)"
    env = {key: value for key, value in os.environ.items() if key not in ("QT_QPA_PLATFORM", "DISPLAY")}
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", sys.executable, "-m", "tests.integration.ui.keyboard_flow"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    landed = [step[3] for step in report["steps"]]
    assert landed == [expected for _typed, _key, expected in STEPS]
    answers = report["answers"]
    assert answers["header"] == {
        "jenis_data": 1,
        "nama_kepala_keluarga": "BUDI SANTOSO",
        "alamat": "JL MAWAR 1",
        "kode_pos": "63285",
        "rt": "004",
        "rw": "002",
        "jumlah_anggota": 2,
        "telepon": "081234567890",
        "kode_provinsi": "35",
        "kode_kabupaten": "35.21",
        "kode_kecamatan": "35.21.15",
        "kode_desa": "35.21.15.2007",
        "dusun": "TAWANG",
    }
    head, second = answers["anggota"]
    assert head == {
        "nik": "3521152309710001",
        "nama_lengkap": "BUDI SANTOSO",
        "jenis_kelamin": 1,
        "tempat_lahir": "NGAWI",
        "tanggal_lahir": "1971-09-23",
        "kewarganegaraan": 1,
        "akta_lahir": 2,
        "nomor_akta_lahir": "AL-123",
        "golongan_darah": 1,  # "1" while 10-13 exist
        "agama": 1,  # "islam"
        "status_kawin": 2,  # "kawin t": KAWIN TERCATAT, the only label with those words
        "akta_kawin": 1,
        "shdk": 1,
        "kelainan": 1,
        "pendidikan": 5,
        "pekerjaan": 9,  # "petani": PETANI/PEKEBUN
        "nama_ibu": "SITI AMINAH",
        "nama_ayah": "KARSO",
    }
    assert second == {"nik": "3521154507750002"}
