"""Real key presses (xdotool) into windows on Xvfb. F-1.01 alone: the Tab order of the paper form, Enter
moving on, code lists answered by code or by words, fields that appear as answers call for them, and
'+ Tambah baris' by keyboard (keyboard_flow.py). The whole app for two services: a KK Baru with the region
and the head carried and a member row filled from the residents index by its NIK, and a birth whose SPTJM
F-2.03 takes what F-2.01 says (service_flows.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.integration.ui.keyboard_flow import STEPS

ROOT = Path(__file__).resolve().parents[3]


def on_xvfb(module: str, *args: str) -> dict[str, Any]:
    """Run a flow module under xvfb-run; its last output line is the JSON report."""
    missing = [tool for tool in ("xvfb-run", "xdotool") if shutil.which(tool) is None]
    assert not missing, f"{missing} missing: run `make setup` (installers/debian-deps.sh installs them)"
    env = {key: value for key, value in os.environ.items() if key not in ("QT_QPA_PLATFORM", "DISPLAY")}
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def test_a_family_card_form_is_filled_with_the_keyboard_alone() -> None:
    report = on_xvfb("tests.integration.ui.keyboard_flow")
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


def landed(report: dict[str, Any]) -> list[str]:
    """Where the keyboard went after each step's keys."""
    return [step[3] for step in report["steps"]]


def test_a_kk_baru_by_keyboard_carries_the_region_and_fills_a_member_from_the_residents_index() -> None:
    report = on_xvfb("tests.integration.ui.service_flows", "--flow", "kk_baru")
    assert landed(report) == report["expected"], report["steps"]
    assert report["tabs"] == ["1. Pemohon", "2. F-1.02", "3. F-1.01", "8. Persyaratan", "9. Tinjau dan kirim"]
    f101, f102 = report["forms"]["F-1.01"], report["forms"]["F-1.02"]
    header = f101["header"]
    assert [header[f"kode_{level}"] for level in ("provinsi", "kabupaten", "kecamatan", "desa")] == [
        "35",
        "35.21",
        "35.21.01",
        "35.21.01.2001",
    ]  # from the outpost's settings, not typed
    assert header["nama_kepala_keluarga"] == "AGUS SALIM"  # from the applicant page, not typed
    assert (header["alamat"], header["kode_pos"], header["jumlah_anggota"]) == ("JL MELATI 3", "63263", 2)
    head, wife = f101["anggota"]
    # Typed: nothing but the name; the NIK from the applicant, what it implies, the applicant's row as head,
    # WNI in a WNI family, the blood group unknown until said.
    assert head == {
        "nik": "3521011705800001",
        "nama_lengkap": "AGUS SALIM",
        "jenis_kelamin": 1,
        "tanggal_lahir": "1980-05-17",
        "kewarganegaraan": 1,
        "shdk": 1,
        "golongan_darah": 13,
    }
    # Her NIK typed, the rest from the residents index.
    assert len(wife) >= 21, wife
    assert (wife["nama_lengkap"], wife["tanggal_lahir"], wife["jenis_kelamin"]) == ("ANI LESTARI", "1985-02-17", 2)
    assert (wife["nama_ibu"], wife["pekerjaan"], wife["nomor_akta_kawin"]) == ("SUMIATI", 2, "0123/45/II/2008")
    assert f102["pemohon"] == {"nama": "AGUS SALIM", "nik": "3521011705800001", "tanggal_lahir": "1980-05-17"}
    assert f102["permohonan"]["jenis"] == ["I.A.1"]  # from the chosen service


def test_a_birth_by_keyboard_carries_f201_into_the_sptjm() -> None:
    report = on_xvfb("tests.integration.ui.service_flows", "--flow", "birth")
    assert landed(report) == report["expected"], report["steps"]
    # 'Tidak' for the birth letter: F-2.03 joins as 3; the requirements and the review keep 8 and 9.
    assert report["tabs"] == ["1. Pemohon", "2. F-2.01", "3. F-2.03", "8. Persyaratan", "9. Tinjau dan kirim"]
    f201, f203 = report["forms"]["F-2.01"], report["forms"]["F-2.03"]
    today, born = dt.date.today(), (dt.date.today() - dt.timedelta(days=10)).isoformat()
    assert f201["wilayah"] == {"kode_desa": "35.21.01.2001"}
    assert f201["laporan"] == {"jenis_pelaporan": 1, "tanggal_pelaporan": today.isoformat()}
    assert f201["pelapor"] == {"nama": "AGUS SALIM", "nik": "3521011705800001", "no_kk": "3521010101100001"}
    assert f201["subjek1"]["nama"] == "AHMAD FAUZI"  # from the birth's own section
    assert f201["kelahiran"]["tanggal_lahir"] == born
    assert f203["anak"] == {
        "nama": "AHMAD FAUZI",
        "jenis_kelamin": 1,
        "tempat_lahir": "NGAWI",
        "tanggal_lahir": born,
        "nama_ayah": "AGUS SALIM",
        "nama_ibu": "ANI LESTARI",
    }
    assert f203["saksi1"] == {"nama": "SLAMET RIYADI", "nik": "3521010101700001"}
    assert f203["saksi2"] == {"nama": "SRI WAHYUNI", "nik": "3521014101700002"}
    assert (f203["deklarator"]["nama"], f203["deklarator"]["nik"]) == ("AGUS SALIM", "3521011705800001")
