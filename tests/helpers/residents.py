"""A resident of the test residents index with her F-1.01 biodata: Ani Lestari, wife in the KK Baru flows."""

from __future__ import annotations

import datetime as dt

from app.store.residents import ResidentRecord

ANI_NIK = "3521015702850001"
ANI_KK = "3521010101100001"
ANI_BIODATA: dict[str, object] = {
    "tempat_lahir": "NGAWI",
    "kewarganegaraan": 1,
    "agama": 1,
    "status_kawin": 2,
    "pendidikan": 5,
    "pekerjaan": 2,
    "golongan_darah": 13,
    "akta_lahir": 2,
    "nomor_akta_lahir": "3521-LT-17021985-0001",
    "akta_kawin": 2,
    "nomor_akta_kawin": "0123/45/II/2008",
    "tanggal_kawin": "2008-02-10",
    "kelainan": 1,
    "nik_ibu": "3521014101600001",
    "nama_ibu": "SUMIATI",
    "nik_ayah": "3521010101550001",
    "nama_ayah": "SUKARDI",
}
"""What an import stores about her, by F-1.01 member field id."""


def ani(**details: object) -> ResidentRecord:
    """Her record; `details` adds or overrides biodata (e.g. `shdk=1`: her place in her parents' KK)."""
    return ResidentRecord(
        "ANI LESTARI",
        ANI_NIK,
        ANI_KK,
        dt.date(1985, 2, 17),
        2,
        address="JL. MELATI 3",
        details={**ANI_BIODATA, **details},
    )


def ani_fields(**details: object) -> dict[str, object]:
    """Her record as the carry-over resolver reads a resident (`resident.<x>` sources)."""
    return {"name": "ANI LESTARI", "nik": ANI_NIK, "kk": ANI_KK, "birth_date": dt.date(1985, 2, 17), "sex": 2,
            **ANI_BIODATA, **details}  # fmt: skip
