"""A service's `prefill:` (the answers it implies, carried into its forms) is read and checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.catalog import CatalogError, load_catalog

from .test_loader import SERVICE, load

PREFILL = "prefill:\n  t102.permohonan.jenis: [I.C.1]\n"


def test_prefill_is_read(tmp_path: Path) -> None:
    catalog, _ = load(tmp_path, SERVICE + PREFILL)
    assert catalog.service(8).prefill == (("t102.permohonan.jenis", ["I.C.1"]),)
    assert load(tmp_path / "none")[0].service(8).prefill == ()


@pytest.mark.parametrize(
    ("prefill", "problem"),
    [
        ("  t102.permohonan.jenis: [I.C.9]\n", "'I.C.9' is not a code of jenis"),
        ("  t102.permohonan.jenis: I.C.1\n", "takes a list of codes"),
        ("  t102.permohonan.jenis_lain: [I.C.1]\n", "must name a field of this service's forms"),
        ("  f101.header.nama: BUDI\n", "must name a field of this service's forms"),
        ("  t102.anggota.status_kawin: 1\n", "must name a field of this service's forms"),
    ],
)
def test_prefill_names_a_field_and_a_value_it_takes(tmp_path: Path, prefill: str, problem: str) -> None:
    with pytest.raises(CatalogError) as caught:
        load(tmp_path, SERVICE + "prefill:\n" + prefill)
    assert caught.value.entry.startswith("prefill.")
    assert problem in caught.value.problem


def test_the_shipped_services_tick_their_request_and_report_types() -> None:
    catalog = load_catalog()
    assert dict(catalog.service("KK-BARU-KELUARGA").prefill) == {"f102.permohonan.jenis": ["I.A.1"]}
    assert dict(catalog.service("KTPEL-BARU-WNI").prefill) == {"f102.permohonan.jenis": ["II.A"]}
    assert dict(catalog.service("LAHIR-WNI").prefill) == {"f201.laporan.jenis_pelaporan": 1}
    assert dict(catalog.service(24).prefill) == {"f201.laporan.jenis_pelaporan": 7}
    # Every service on F-2.01 says which report it is.
    for service in catalog.services:
        if "F-2.01" in service.form_ids:
            assert "f201.laporan.jenis_pelaporan" in dict(service.prefill), service.code
