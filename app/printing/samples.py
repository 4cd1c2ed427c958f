"""Made-up sample data to preview print-outs (templates, screenshots, tests); no real person's data."""

from __future__ import annotations

import datetime as dt

from app.printing.receipt import Outpost, ReceiptData, ReceivedDocument
from app.printing.workdays import add_working_days, default_holidays

_WIB = dt.timezone(dt.timedelta(hours=7))
_MEMBERS = (
    ("BUDI SANTOSO", 1, 1, 2, "1985-04-12", 88),
    ("SITI AMINAH", 2, 3, 2, "1988-06-15", 2),
    ("RINA SANTOSO", 2, 4, 1, "2010-01-20", 3),
    ("AGUS SANTOSO", 1, 4, 1, "2013-09-02", 3),
    ("DEWI LESTARI", 2, 4, 1, "2015-03-11", 3),
    ("EKO PRASETYO", 1, 4, 1, "2016-07-30", 3),
    ("FAJAR NUGROHO", 1, 4, 1, "2017-11-05", 3),
    ("GITA PERMATA", 2, 4, 1, "2018-12-24", 1),
    ("HADI WIBOWO", 1, 4, 1, "2019-02-14", 1),
    ("INDAH SARI", 2, 4, 1, "2020-05-01", 1),
    ("JOKO SUSILO", 1, 4, 1, "2021-08-17", 1),
    ("KARTIKA DEWI", 2, 4, 1, "2023-10-10", 1),
)


def sample_receipt(submitted_at: dt.datetime | None = None) -> ReceiptData:
    """A receipt for a birth registration handed in with an SPTJM instead of a birth letter."""
    submitted = submitted_at or dt.datetime(2026, 10, 12, 10, 35, tzinfo=_WIB)
    return ReceiptData(
        outpost=Outpost("Kantor Kecamatan Sine", "Kabupaten Ngawi", "Jl. Raya Sine No. 1", "0351 000000"),
        local_number="3F9A1C2B",
        service_title="Pencatatan Kelahiran WNI Dalam Wilayah NKRI",
        applicant_name="BUDI SANTOSO",
        applicant_nik="3521011204850001",
        submitted_at=submitted,
        expected_date=add_working_days(submitted.date(), 3, default_holidays()),
        sla_days=3,
        officer_name="Siti Rahayu",
        documents=(
            ReceivedDocument(
                "Surat keterangan kelahiran", "asli", 1, "SPTJM kebenaran data kelahiran (F-2.03) dengan 2 orang saksi"
            ),
            ReceivedDocument("Buku nikah/kutipan akta perkawinan/bukti lain yang sah", "fotokopi", 2),
            ReceivedDocument("Kartu Keluarga (KK)", "fotokopi", 1),
        ),
        outputs=("Akta Kelahiran",),
    )


def sample_f101_answers(members: int = 4) -> dict[str, object]:
    """F-1.01 answers for a WNI family of up to 12 members (more than 10 is beyond the schema: a second sheet)."""
    rows: list[dict[str, object]] = []
    for index, (name, sex, shdk, marital, born, job) in enumerate(_MEMBERS[:members]):
        year, month, day = (int(part) for part in born.split("-"))
        row: dict[str, object] = {
            # NIK: kecamatan Sine (35.21.01), birth date (day + 40 for a woman), serial number.
            "nik": f"352101{day + (40 if sex == 2 else 0):02d}{month:02d}{year % 100:02d}{index + 1:04d}",
            "nama_lengkap": name,
            "jenis_kelamin": sex,
            "tempat_lahir": "NGAWI",
            "tanggal_lahir": born,
            "kewarganegaraan": 1,
            "akta_lahir": 2,
            "nomor_akta_lahir": f"3521-LT-{born.replace('-', '')}-{index + 1:04d}",
            "golongan_darah": 13,
            "agama": 1,
            "status_kawin": marital,
            "shdk": shdk,
            "kelainan": 1,
            "pendidikan": 5 if shdk < 4 else 3,
            "pekerjaan": job,
            "nama_ibu": "SUMIATI RAHAYU" if shdk < 4 else "SITI AMINAH",
            "nama_ayah": "SUPARMAN HADI" if shdk < 4 else "BUDI SANTOSO",
        }
        if marital == 2:
            row.update({"akta_kawin": 2, "nomor_akta_kawin": "0123/045/VI/2008", "tanggal_kawin": "2008-06-01"})
        if shdk == 4:
            row.update({"nik_ibu": "3521015506880002", "nik_ayah": "3521011204850001"})
        rows.append(row)
    return {
        "header": {
            "jenis_data": 1,
            "nama_kepala_keluarga": "BUDI SANTOSO",
            "alamat": "JL. RAYA SINE NO. 12",
            "kode_pos": "63264",
            "rt": "003",
            "rw": "012",
            "jumlah_anggota": len(rows),
            "telepon": "081200000000",
            "kode_provinsi": "35",
            "kode_kabupaten": "35.21",
            "kode_kecamatan": "35.21.01",
            "kode_desa": "35.21.01.2001",
            "dusun": "KRAJAN",
        },
        "anggota": rows,
    }


def sample_f201_birth_answers() -> dict[str, object]:
    """F-2.01 answers reporting a birth, with two witnesses."""
    return {
        "wilayah": {"kode_desa": "3521012001"},
        "laporan": {"jenis_pelaporan": 1, "tanggal_pelaporan": "2026-10-12"},
        "pelapor": _person("BUDI SANTOSO", "3521011204850001", "3521010101100001"),
        "subjek1": _person("ANISA PUTRI", "belum-punya-nik", "3521010101100001"),
        "saksi1": _person("SUGENG RIYADI", "3521010203700004", "3521010101100002"),
        "saksi2": _person("WARSINI LESTARI", "3521014505750005", "3521010101100003"),
        "ayah": {
            "nama": "BUDI SANTOSO",
            "nik": "3521011204850001",
            "tempat_lahir": "NGAWI",
            "tanggal_lahir": "1985-04-12",
            "kewarganegaraan": 1,
        },
        "ibu": {
            "nama": "SITI AMINAH",
            "nik": "3521015506880002",
            "tempat_lahir": "MADIUN",
            "tanggal_lahir": "1988-06-15",
            "kewarganegaraan": 1,
        },
        "kelahiran": {
            "nama": "ANISA PUTRI",
            "jenis_kelamin": 2,
            "tempat_dilahirkan": 2,
            "tempat_kelahiran": "NGAWI",
            "tanggal_lahir": "2026-10-01",
            "pukul": "08:30",
            "jenis_kelahiran": 1,
            "kelahiran_ke": 2,
            "penolong_kelahiran": 2,
            "berat_bayi": 3100,
            "panjang_bayi": 49,
        },
    }


def _person(name: str, nik: str, kk: str) -> dict[str, object]:
    return {"nama": name, "nik": nik, "no_kk": kk, "kewarganegaraan": 1}
