"""The card reader on synthetic cards (tests/helpers/cards): flat, scanned and photographed KK pages read
exactly (the bench, tests/bench/bench_cardread.py, shows these fields reliable on 42 pages), KTP-el fronts,
and bad input giving the page-level problem and nothing to accept."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from app.cardread import pages
from app.cardread.model import CardReading
from app.cardread.reader import read_card
from tests.helpers.cards.content import Family, make_family
from tests.helpers.cards.render import font_path, render_kk
from tests.helpers.cards.samples import Capture, kk_sample, ktp_sample


def expected_rows(family: Family) -> list[dict[str, str]]:
    return [
        {
            "nik": p.nik,
            "nama_lengkap": p.name,
            "jenis_kelamin": str(p.sex),
            "tempat_lahir": p.birth_place,
            "tanggal_lahir": p.birth_date.isoformat(),
            "agama": str(p.religion),
            "pendidikan": str(p.education),
            "pekerjaan": str(p.occupation),
            "golongan_darah": str(p.blood),
            "status_kawin": str(p.marital),
            "shdk": str(p.relation),
            "kewarganegaraan": str(p.citizenship),
            "nama_ayah": p.father,
            "nama_ibu": p.mother,
        }
        for p in family.members
    ]


@pytest.mark.parametrize(("number", "capture"), [(0, "flat"), (1, "scan"), (2, "photo")])
def test_a_kk_page_is_read_exactly(number: int, capture: Capture) -> None:
    sample = kk_sample(number, capture)
    reading = read_card(sample.image, "kk")
    assert reading.problems == ()
    family = sample.family
    header = {key: read.value for key, read in reading.header.items()}
    assert header["nomor_kk"] == family.number
    assert header["nama_kepala_keluarga"] == family.head
    assert (header["rt"], header["rw"]) == (family.rt, family.rw)
    assert header["kode_desa"] == family.desa_code
    assert header["kode_kecamatan"] == family.desa_code[:8]
    assert header["kode_pos"] == family.postal_code
    got = [
        {key: read.value for key, read in row.values.items() if key in want}
        for row, want in zip(reading.rows, expected_rows(family), strict=True)
    ]
    assert got == expected_rows(family)
    # A married member's marriage date; "-" cells (no passport, no KITAP) propose nothing.
    for row, person in zip(reading.rows, family.members, strict=True):
        marriage = row.values.get("tanggal_kawin")
        assert (marriage.value if marriage else None) == (
            person.marriage_date.isoformat() if person.marriage_date else None
        )
        assert "nomor_paspor" not in row.values and "nomor_itas" not in row.values
        assert not row.values["nik"].problems


def test_a_stored_page_is_read_from_its_file(tmp_path: Path) -> None:
    """The pipeline keeps a photographed text page bilevel (G4 TIFF), which loses detail: every NIK read
    from it is either the card's or marked for the officer to check."""
    from app.documents.pipeline import Options, process_page

    sample = kk_sample(5, "photo")
    stored = process_page(sample.image, source="camera", options=Options(find="required"))
    assert stored.media_type == "image/tiff"
    path = tmp_path / "kk.tif"
    path.write_bytes(stored.data)
    reading = read_card(path, "kk")
    assert reading.problems == ()
    assert reading.header["nomor_kk"].value == sample.family.number
    assert len(reading.rows) == len(sample.family.members)
    for row, person in zip(reading.rows, sample.family.members, strict=True):
        nik = row.values["nik"]
        assert nik.value == person.nik or nik.doubtful, (nik, person.nik)


def test_a_ktp_front_is_read() -> None:
    card = ktp_sample(3, "photo")
    reading = read_card(card.image, "ktp")
    assert reading.problems == ()
    (row,) = reading.rows
    person = card.person
    values = {key: read.value for key, read in row.values.items()}
    assert values["nik"] == person.nik
    assert values["nama_lengkap"] == person.name
    assert values["tempat_lahir"] == person.birth_place
    assert values["tanggal_lahir"] == person.birth_date.isoformat()
    assert values["jenis_kelamin"] == str(person.sex)
    assert values["agama"] == str(person.religion)
    assert values["pekerjaan"] == str(person.occupation)
    assert reading.header["kode_desa"].value == card.family.desa_code


def test_the_ktp_word_kawin_is_not_taken_for_a_code() -> None:
    card = next(ktp_sample(n, "flat") for n in range(20) if ktp_sample(n, "flat").person.marital in (2, 3))
    status = read_card(card.image, "ktp").rows[0].values["status_kawin"]
    assert status.text == "KAWIN" and status.value is None and status.doubtful
    assert "tercatat" in status.problems[0]


def _nothing_read(reading: CardReading, problem: str) -> None:
    assert reading.problems == (problem,)
    assert reading.rows == () and reading.header == {} and not reading.usable


def _letter() -> np.ndarray:
    page = Image.new("RGB", (2339, 1654), "white")
    draw = ImageDraw.Draw(page)
    from PIL import ImageFont

    font = ImageFont.truetype(str(font_path("LiberationSans-Regular.ttf")), 30)
    for i in range(28):
        draw.text(
            (120, 100 + i * 50),
            "Dengan hormat, bersama surat ini kami sampaikan permohonan pindah.",
            font=font,
            fill="black",
        )
    return np.asarray(page)


@pytest.fixture(scope="module")
def flat_page() -> np.ndarray:
    return kk_sample(0, "flat").image


def test_a_blank_page(flat_page: np.ndarray) -> None:
    _nothing_read(read_card(np.full_like(flat_page, 255), "kk"), pages.BLANK)


def test_a_page_that_is_not_a_kk() -> None:
    _nothing_read(read_card(_letter(), "kk"), pages.NOT_KK)
    _nothing_read(read_card(ktp_sample(0, "flat").image, "kk"), pages.NOT_KK)
    _nothing_read(read_card(kk_sample(0, "flat").image, "ktp"), pages.NOT_KTP)


def test_an_upside_down_page(flat_page: np.ndarray) -> None:
    _nothing_read(read_card(np.ascontiguousarray(np.rot90(flat_page, 2)), "kk"), pages.UPSIDE_DOWN)
    card = ktp_sample(0, "flat").image
    _nothing_read(read_card(np.ascontiguousarray(np.rot90(card, 2)), "ktp"), pages.UPSIDE_DOWN)


def test_a_sideways_page(flat_page: np.ndarray) -> None:
    _nothing_read(read_card(np.ascontiguousarray(np.rot90(flat_page)), "kk"), pages.SIDEWAYS)


def test_a_cut_off_page(flat_page: np.ndarray) -> None:
    _nothing_read(read_card(np.ascontiguousarray(flat_page[:1100]), "kk"), pages.CUT_OFF)
    _nothing_read(read_card(np.ascontiguousarray(flat_page[:, :1500]), "kk"), pages.CUT_OFF)


def test_an_unreadable_page(flat_page: np.ndarray) -> None:
    _nothing_read(read_card(cv2.GaussianBlur(flat_page, (0, 0), 6), "kk"), pages.UNREADABLE)


def test_a_nik_failing_its_checks_is_flagged_and_never_sure() -> None:
    family = make_family(1234, members=3)
    bad_month = family.members[1].nik[:8] + "13" + family.members[1].nik[10:]  # month 13
    male_as_female = family.members[2]
    wrong_sex = (
        male_as_female.nik[:6]
        + f"{int(male_as_female.nik[6:8]) % 40 + (40 if male_as_female.sex == 1 else 0):02d}"
        + male_as_female.nik[8:]
    )
    members = (
        family.members[0],
        dataclasses.replace(family.members[1], nik=bad_month),
        dataclasses.replace(male_as_female, nik=wrong_sex),
    )
    reading = read_card(render_kk(dataclasses.replace(family, members=members), 0), "kk")
    first, second, third = (row.values["nik"] for row in reading.rows)
    assert not first.problems and not first.doubtful
    assert second.text == bad_month and second.doubtful
    assert any("Bulan lahir pada NIK" in p for p in second.problems)
    assert third.text == wrong_sex and third.doubtful
    assert any("NIK" in p for p in third.problems)
