"""Benchmarks of the encrypted store: saving an application, durable commits, and resident look-ups
in an index of 1,000,000 people (a real SQLCipher file with synchronous=FULL)."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from app.store import applications as apps
from app.store.residents import ResidentRecord, add_residents, find_by_nik, search_name
from tests.helpers.stores import new_store

RESIDENTS = 1_000_000
GIVEN = [
    "Budi",
    "Siti",
    "Agus",
    "Dewi",
    "Eko",
    "Sri",
    "Joko",
    "Rina",
    "Ahmad",
    "Nur",
    "Wahyu",
    "Tri",
    "Dian",
    "Sugeng",
    "Lestari",
    "Bambang",
    "Endang",
    "Hadi",
    "Yuli",
    "Rudi",
    "Puji",
    "Slamet",
    "Umi",
    "Kartini",
]
FAMILY = [
    "Santoso",
    "Wulandari",
    "Prasetyo",
    "Rahayu",
    "Susanto",
    "Hidayat",
    "Setiawan",
    "Kurniawan",
    "Saputra",
    "Purnomo",
    "Wibowo",
    "Handayani",
    "Nugroho",
    "Utami",
    "Firmansyah",
    "Maharani",
]


def p95(samples: list[float]) -> float:
    """95th percentile."""
    return statistics.quantiles(samples, n=20)[18]


def member_rows(rng: random.Random, count: int) -> list[dict[str, object]]:
    """F-1.01 member rows with realistic sizes."""
    return [
        {
            "nama_lengkap": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            "jenis_kelamin": rng.choice([1, 2]),
            "tempat_lahir": "Ngawi",
            "tanggal_lahir": f"19{rng.randint(50, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "agama": 1,
            "pendidikan": rng.randint(1, 10),
            "pekerjaan": rng.randint(1, 89),
            "status_kawin": 2,
            "shdk": i + 1,
            "nama_ibu": "Sumiati",
            "nama_ayah": "Sukardi",
            "kewarganegaraan": 1,
            "golongan_darah": 13,
        }
        for i in range(count)
    ]


def residents(rng: random.Random, count: int) -> Iterator[ResidentRecord]:
    """Synthetic residents with unique NIKs."""
    for i in range(count):
        day = rng.randint(1, 28) + (40 if i % 2 else 0)
        nik = f"352101{day:02d}{rng.randint(1, 12):02d}{rng.randint(40, 99):02d}{i % 10000:04d}"
        yield ResidentRecord(
            f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(FAMILY)} {i}",
            nik,
            f"3521010101{i // 4 % 1000000:06d}",
            source="bench",
        )


def run() -> list[dict[str, object]]:
    """Measure and return the budget rows."""
    rng = random.Random(7)
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="loket-bench-store-") as folder:
        store = new_store(Path(folder) / "data")
        saves: list[float] = []
        for _ in range(200):
            started = time.perf_counter()
            application = apps.create_draft(store, "KK-BARU-KELUARGA", applicant_name="Budi Santoso")
            apps.save_answers(
                store,
                application,
                "F-1.01@PMDN109-2019",
                {"header": {"jenis_data": 1, "jumlah_anggota": 4}, "anggota": member_rows(rng, 4)},
            )
            apps.save_answers(store, application, "F-1.02@PMDN109-2019", {"pemohon": {"nama": "Budi Santoso"}})
            apps.save_facts(store, application, {"buku_nikah_ada": True})
            saves.append((time.perf_counter() - started) * 1000)
        rows.append(
            {
                "measure": "save one application (draft + 2 forms + facts, 4 commits), p95",
                "budget": "-",
                "measured": f"{p95(saves):.1f} ms (median {statistics.median(saves):.1f} ms)",
                "ok": None,
            }
        )
        application = apps.create_draft(store, "KTPEL-BARU-WNI")
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < 3.0:
            apps.save_answers(store, application, "F-1.02@PMDN109-2019", {"pemohon": {"nama": f"Budi {count}"}})
            count += 1
        rate = count / (time.perf_counter() - started)
        rows.append(
            {
                "measure": "durable commits per second (autosave, synchronous=FULL, WAL)",
                "budget": "-",
                "measured": f"{rate:.0f}/s",
                "ok": None,
            }
        )

        started = time.perf_counter()
        add_residents(store, residents(rng, RESIDENTS), batch=20_000)
        build = time.perf_counter() - started
        sample = list(store.db.execute_sql("SELECT nik, name FROM resident ORDER BY random() LIMIT 2000"))
        nik_times, name_times = [], []
        for nik, _ in sample[:1000]:
            t0 = time.perf_counter()
            found = find_by_nik(nik)
            nik_times.append((time.perf_counter() - t0) * 1000)
            assert found
        for _, name in sample[1000:]:
            prefix = name[: rng.randint(3, 8)]
            t0 = time.perf_counter()
            search_name(prefix, limit=20)
            name_times.append((time.perf_counter() - t0) * 1000)
        store.close()
    rows.append(
        {
            "measure": f"resident lookup by NIK, {RESIDENTS:,} residents, p95",
            "budget": "<= 5 ms",
            "measured": f"{p95(nik_times):.2f} ms",
            "ok": p95(nik_times) <= 5,
        }
    )
    rows.append(
        {
            "measure": f"resident lookup by name prefix, {RESIDENTS:,} residents, p95",
            "budget": "<= 30 ms",
            "measured": f"{p95(name_times):.2f} ms",
            "ok": p95(name_times) <= 30,
        }
    )
    rows.append(
        {
            "measure": "residents index build (1,000,000 inserts)",
            "budget": "-",
            "measured": f"{build:.0f} s",
            "ok": None,
        }
    )
    return rows
