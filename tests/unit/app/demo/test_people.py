"""Made-up people: every NIK and KK passes the identifier checks, NIKs are unique, families hang together."""

from __future__ import annotations

import datetime as dt

import pytest

from app.demo.people import (
    ANAK,
    BELUM_KAWIN,
    CERAI_HIDUP,
    CERAI_MATI,
    ISTRI,
    KAWIN_BELUM_TERCATAT,
    KAWIN_TERCATAT,
    KEPALA_KELUARGA,
    MAX_MEMBERS,
    MERTUA,
    ORANG_TUA,
    SUAMI,
    Family,
    PeopleGenerator,
    years_between,
)
from app.identity import check_kk, check_name, check_nik
from app.regions import default_index

TODAY = dt.date(2026, 3, 15)


@pytest.fixture(scope="module")
def families() -> list[Family]:
    """Three thousand families (about nine thousand people) from one seed."""
    return list(PeopleGenerator(11, today=TODAY).families(3000))


def test_every_nik_and_kk_passes_the_checks_without_findings(families: list[Family]) -> None:
    people = 0
    for family in families:
        kk = check_kk(family.kk)
        assert not kk.errors and not kk.warnings, (family.kk, kk.to_dict())
        for person in family.members:
            people += 1
            result = check_nik(person.nik, sex=person.sex, birth_date=person.birth_date)
            assert not result.errors and not result.warnings, (person.nik, result.to_dict())
    assert people > 8000


def test_niks_and_kk_numbers_are_unique(families: list[Family]) -> None:
    niks = [p.nik for f in families for p in f.members]
    assert len(niks) == len(set(niks))
    numbers = [f.kk for f in families]
    assert len(numbers) == len(set(numbers))


def test_nik_digits_follow_birth_date_sex_and_a_current_kecamatan(families: list[Family]) -> None:
    kecamatan = {r.code.replace(".", "") for r in default_index().children("35.21")}
    for person in (p for f in families for p in f.members):
        nik = person.nik
        assert nik[:6] in kecamatan
        day = int(nik[6:8])
        assert day == person.birth_date.day + (40 if person.sex == 2 else 0)
        assert nik[8:12] == f"{person.birth_date:%m}{person.birth_date.year % 100:02d}"
        assert nik[12:] != "0000"


def test_kk_number_is_kecamatan_issue_date_and_serial(families: list[Family]) -> None:
    for family in families:
        assert family.kk[:6] == family.address.kecamatan_code.replace(".", "")
        assert family.kk[6:12] == f"{family.issued:%d%m}{family.issued.year % 100:02d}"
        assert family.issued < TODAY
        assert family.issued >= max(m.birth_date for m in family.members)


def test_names_follow_permendagri_73_2022(families: list[Family]) -> None:
    for person in (p for f in families for p in f.members):
        for name in (person.name, person.mother_name):
            result = check_name(name)
            assert not result.errors and not result.warnings, (name, result.to_dict())
            assert 2 <= len(name.split()) <= 4
            assert all(c.isalpha() or c == " " for c in name)
            assert len(name) <= 60


def test_family_relationships_ages_and_marital_status_are_consistent(families: list[Family]) -> None:
    for family in families:
        members = family.members
        assert 1 <= len(members) <= MAX_MEMBERS
        assert [m.shdk for m in members].count(KEPALA_KELUARGA) == 1
        assert members[0].shdk == KEPALA_KELUARGA
        head, spouse = family.head, family.spouse
        assert head.age(TODAY) >= 17 or head.marital_status != BELUM_KAWIN
        if spouse is not None:
            assert (spouse.shdk, spouse.sex) in ((ISTRI, 2), (SUAMI, 1))
            assert spouse.sex != head.sex
            assert head.marital_status == spouse.marital_status
            assert head.marital_status in (KAWIN_TERCATAT, KAWIN_BELUM_TERCATAT)
            assert head.marriage_date == spouse.marriage_date
        for person in members:
            if person.marital_status != BELUM_KAWIN:
                assert person.marriage_date is not None
                assert years_between(person.birth_date, person.marriage_date) >= 19
            if person.marital_status == KAWIN_TERCATAT:
                assert person.marriage_certificate
            if person.marital_status == CERAI_HIDUP:
                assert person.divorce_date is not None and person.divorce_certificate
                assert person.marriage_date is not None and person.divorce_date >= person.marriage_date
            if person.shdk in (ORANG_TUA, MERTUA):
                assert person.marital_status == CERAI_MATI
                assert person.age(TODAY) >= head.age(TODAY) + 15 or person.shdk == MERTUA
        mother = family.mother
        for child in (m for m in members if m.shdk == ANAK):
            assert child.marital_status == BELUM_KAWIN
            assert child.birth_date < TODAY
            assert child.age(TODAY) < 27 or child is family.children[0]
            if mother is not None and mother.marriage_date is not None:
                assert child.mother_name == mother.name
                assert child.birth_date > mother.marriage_date
                assert 19 <= years_between(mother.birth_date, child.birth_date) <= 44


def test_addresses_are_current_desa_of_the_kabupaten_with_their_postal_code(families: list[Family]) -> None:
    index = default_index()
    for family in families[:500]:
        address = family.address
        region = index.get(address.desa_code)
        assert region is not None and region.code.startswith("35.21.")
        assert address.postal_code == region.postal_code
        assert address.rt.isdigit() and len(address.rt) == 3
        assert address.rw.isdigit() and len(address.rw) == 3
        assert address.kabupaten_name == "KABUPATEN NGAWI"


def test_same_seed_same_people_other_seed_other_people() -> None:
    first = list(PeopleGenerator(5, today=TODAY).families(50))
    again = list(PeopleGenerator(5, today=TODAY).families(50))
    other = list(PeopleGenerator(6, today=TODAY).families(50))
    assert first == again
    assert [f.kk for f in first] != [f.kk for f in other]


def test_requested_shapes() -> None:
    people = PeopleGenerator(3, today=TODAY)
    for _ in range(100):
        teen = people.family(child_age=(17, 18))
        assert 17 <= teen.children[0].age(TODAY) <= 18
        young_mother = people.family("nuclear", wife_age=(21, 38))
        assert young_mother.mother is not None and 21 <= young_mother.mother.age(TODAY) <= 38
        son = people.family(child_age=(23, 32), child_sex=1)
        assert son.children[0].sex == 1
        elderly = people.family("elderly")
        assert elderly.head.age(TODAY) >= 55
    with pytest.raises(ValueError, match="unknown family kind"):
        people.family("commune")


def test_other_kabupaten_numbers_use_its_kecamatan() -> None:
    people = PeopleGenerator(9, kabupaten="35.19", today=TODAY)
    for family in people.families(50):
        assert family.kk.startswith("3519")
        assert not check_kk(family.kk).errors
        assert all(m.nik.startswith("3519") for m in family.members)
