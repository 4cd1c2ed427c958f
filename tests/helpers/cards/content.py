"""What a synthetic card says: a family (or one person) with valid NIKs, region codes that exist and labels
from the forms' code lists, chosen deterministically from a seed."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from functools import lru_cache

from app.forms.registry import default_registry
from app.regions import default_index

FIRST_MALE = [
    "BUDI",
    "AHMAD",
    "RIZKI",
    "AGUS",
    "EKO",
    "DWI",
    "JOKO",
    "HENDRA",
    "SUPRIYADI",
    "BAMBANG",
    "YUSUF",
    "IMAM",
    "FAJAR",
    "ARIF",
    "DENI",
    "WAHYU",
    "RUDI",
    "SLAMET",
    "HERU",
    "TEGUH",
    "ANDI",
    "IRFAN",
    "GILANG",
    "DIMAS",
    "BAGUS",
    "KOMANG",
    "MADE",
    "KETUT",
    "NYOMAN",
    "YOHANES",
    "PETRUS",
    "ANTONIUS",
    "FRANSISKUS",
    "MARKUS",
    "LUKAS",
    "DANIEL",
    "SAMUEL",
    "HASAN",
    "HUSEIN",
    "MUHAMAD",
    "ZAINAL",
    "SYAIFUL",
    "MUKHLIS",
    "ROHMAT",
    "SUTRISNO",
    "PRAYOGO",
    "KURNIAWAN",
]
FIRST_FEMALE = [
    "SITI",
    "NUR",
    "DEWI",
    "SRI",
    "ANI",
    "RINA",
    "YULIANTI",
    "WULAN",
    "RATNA",
    "INDAH",
    "FITRI",
    "LESTARI",
    "PUTRI",
    "AYU",
    "KARTIKA",
    "MAYA",
    "NOVITA",
    "ENDANG",
    "SUMARNI",
    "SUPARMI",
    "TRI",
    "WAHYUNI",
    "RAHMAWATI",
    "AISYAH",
    "FATIMAH",
    "KHODIJAH",
    "ZAHRA",
    "NAYLA",
    "SALSABILA",
    "MARIA",
    "MAGDALENA",
    "THERESIA",
    "AGNES",
    "NI",
    "LUH",
    "WAYAN",
    "KADEK",
    "HARTINI",
    "SUGIARTI",
    "PURWANTI",
    "MUTIARA",
    "CITRA",
]
LAST = [
    "SANTOSO",
    "WIBOWO",
    "PRATAMA",
    "SAPUTRA",
    "HIDAYAT",
    "NUGROHO",
    "SETIAWAN",
    "KUSUMA",
    "SIREGAR",
    "NASUTION",
    "HARAHAP",
    "LUBIS",
    "SIMANJUNTAK",
    "PANJAITAN",
    "SITOMPUL",
    "TAMPUBOLON",
    "WIJAYA",
    "HALIM",
    "GUNAWAN",
    "SUSANTO",
    "PURNOMO",
    "HARYANTO",
    "SUDARSO",
    "RAHMAN",
    "HAKIM",
    "FIRMANSYAH",
    "MAULANA",
    "RAMADHAN",
    "ANGGRAINI",
    "PERMATASARI",
    "WULANDARI",
    "HANDAYANI",
    "MARLINA",
    "SULISTYOWATI",
    "PUSPITASARI",
    "SUKMAWATI",
    "MANURUNG",
    "SINAGA",
    "TARIGAN",
    "GINTING",
    "SEMBIRING",
    "PUTRA",
    "PUTRI",
]
STREETS = [
    "JL. MERDEKA",
    "JL. DIPONEGORO",
    "JL. SUDIRMAN",
    "JL. PEMUDA",
    "JL. KENANGA",
    "JL. MELATI",
    "JL. MAWAR",
    "JL. ANGGREK",
    "JL. GATOT SUBROTO",
    "JL. AHMAD YANI",
    "DUSUN KRAJAN",
    "DUSUN SUMBER",
    "DUSUN NGASEM",
    "JL. RAYA",
    "JL. CEMPAKA",
    "GANG MASJID",
    "JL. PAHLAWAN",
    "DUSUN KARANGREJO",
    "JL. SEROJA",
    "PERUM GRIYA ASRI",
]

# The KK prints its code-list values in these words (the code lists' labels, slashes closed up).
PRINTED_EDUCATION = {
    1: "TIDAK/BELUM SEKOLAH",
    2: "BELUM TAMAT SD/SEDERAJAT",
    3: "TAMAT SD/SEDERAJAT",
    4: "SLTP/SEDERAJAT",
    5: "SLTA/SEDERAJAT",
    6: "DIPLOMA I/II",
    7: "AKADEMI/DIPLOMA III/S. MUDA",
    8: "DIPLOMA IV/STRATA I",
    9: "STRATA II",
    10: "STRATA III",
}
BLOOD = {1: "A", 2: "B", 3: "AB", 4: "O", 13: "TIDAK TAHU"}
# Common occupations weigh more, as on real cards; the rest of the 89 codes appear now and then.
COMMON_JOBS = (1, 2, 3, 8, 9, 11, 15, 88, 89, 5, 19, 84)


@dataclass(frozen=True)
class Person:
    """One member as printed, with the codes the reader should find."""

    nik: str
    name: str
    sex: int
    birth_place: str
    birth_date: datetime.date
    religion: int
    education: int
    occupation: int
    blood: int
    marital: int
    marriage_date: datetime.date | None
    relation: int
    citizenship: int
    father: str
    mother: str
    passport: str = "-"
    kitap: str = "-"


@dataclass(frozen=True)
class Family:
    """A Kartu Keluarga's header and members."""

    number: str
    head: str
    address: str
    rt: str
    rw: str
    desa_code: str
    desa: str
    kecamatan: str
    kabupaten: str
    provinsi: str
    postal_code: str
    issued: datetime.date
    members: tuple[Person, ...] = field(default_factory=tuple)


@lru_cache(maxsize=1)
def _desa_codes() -> tuple[str, ...]:
    index = default_index()
    return tuple(r.code for r in index.regions() if r.depth == 4 and index.postal_code(r.code))


@lru_cache(maxsize=1)
def _birth_places() -> tuple[str, ...]:
    names = []
    for region in default_index().regions():
        if region.depth == 2:
            name = region.name.upper().removeprefix("KABUPATEN ").removeprefix("KOTA ").removeprefix("ADM. ")
            if len(name) <= 16:
                names.append(name)
    return tuple(sorted(set(names)))


@lru_cache(maxsize=1)
def occupation_labels() -> dict[int, str]:
    """SIAK occupation code → the words a card prints."""
    codes = default_registry().codelists.get("pekerjaan")
    assert codes is not None
    return {int(c.code): c.label for c in codes.codes}


def label(list_id: str, code: int) -> str:
    """The label of a code in one of the forms' code lists."""
    codes = default_registry().codelists.get(list_id)
    assert codes is not None
    found = codes.label(code)
    assert found is not None, (list_id, code)
    return found


def region_name(code: str) -> str:
    """A region's name in capitals as the card prints it."""
    region = default_index().get(code)
    assert region is not None, code
    return region.name.upper()


def make_nik(rng: random.Random, prefix: str, born: datetime.date, sex: int, used: set[str]) -> str:
    """A NIK that passes app.identity: region prefix, birth date (+40 for women), a non-zero serial."""
    day = born.day + (40 if sex == 2 else 0)
    while True:
        nik = f"{prefix}{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randint(1, 2999):04d}"
        if nik not in used:
            used.add(nik)
            return nik


def _date(rng: random.Random, start: int, end: int) -> datetime.date:
    first = datetime.date(start, 1, 1).toordinal()
    last = datetime.date(end, 12, 28).toordinal()
    return datetime.date.fromordinal(rng.randint(first, last))


def _name(rng: random.Random, sex: int, last: str | None = None) -> str:
    first = rng.choice(FIRST_MALE if sex == 1 else FIRST_FEMALE)
    parts = [first]
    if rng.random() < 0.45:
        parts.append(rng.choice(FIRST_MALE if sex == 1 else FIRST_FEMALE))
    if rng.random() < 0.8:
        parts.append(last or rng.choice(LAST))
    # Repeated words ("SRI SRI") read oddly; keep the order, drop repeats.
    seen: list[str] = []
    for part in parts:
        if part not in seen:
            seen.append(part)
    return " ".join(seen)


def _job(rng: random.Random, age: int) -> int:
    if age < 18:
        return 3 if age >= 6 else 1
    if rng.random() < 0.7:
        return rng.choice(COMMON_JOBS)
    return rng.choice(sorted(occupation_labels()))


def _education(rng: random.Random, age: int) -> int:
    if age < 6:
        return 1
    if age < 12:
        return 2
    if age < 18:
        return rng.choice((3, 4))
    return rng.choice((2, 3, 4, 5, 5, 5, 6, 7, 8, 8, 9, 10))


def make_family(seed: int, members: int | None = None) -> Family:
    """A family of 3-8 members (or `members`) living in a real desa, deterministic for `seed`."""
    rng = random.Random(seed)
    desa_code = rng.choice(_desa_codes())
    index = default_index()
    kec_code, kab_code, prov_code = desa_code[:8], desa_code[:5], desa_code[:2]
    prefix = kec_code.replace(".", "")
    count = members if members is not None else rng.randint(3, 8)
    religion = rng.choice((1, 1, 1, 1, 2, 3, 4, 5, 6))
    family_name = rng.choice(LAST)
    used: set[str] = set()
    head_born = _date(rng, 1950, 1990)
    wife_born = _date(rng, head_born.year - 3, min(head_born.year + 8, 1998))
    married = _date(rng, max(head_born.year, wife_born.year) + 19, max(head_born.year, wife_born.year) + 24)
    father_of_head, mother_of_head = _name(rng, 1, family_name), _name(rng, 2)
    head = _name(rng, 1, family_name)
    places = _birth_places()
    home = rng.choice(places)
    people: list[Person] = []

    def person(
        name: str,
        sex: int,
        born: datetime.date,
        relation: int,
        marital: int,
        wed: datetime.date | None,
        dad: str,
        mum: str,
    ) -> Person:
        age = 2026 - born.year
        place = home if rng.random() < 0.6 else rng.choice(places)
        return Person(
            nik=make_nik(rng, prefix, born, sex, used),
            name=name,
            sex=sex,
            birth_place=place,
            birth_date=born,
            religion=religion,
            education=_education(rng, age),
            occupation=2 if (relation == 3 and rng.random() < 0.5) else _job(rng, age),
            blood=rng.choice(sorted(BLOOD)),
            marital=marital,
            marriage_date=wed,
            relation=relation,
            citizenship=1,
            father=dad,
            mother=mum,
        )

    recorded = rng.random() < 0.8
    people.append(
        person(
            head, 1, head_born, 1, 2 if recorded else 3, married if recorded else None, father_of_head, mother_of_head
        )
    )
    wife = _name(rng, 2)
    children_of = (head, wife)
    if count >= 2:
        people.append(
            person(
                wife, 2, wife_born, 3, 2 if recorded else 3, married if recorded else None, _name(rng, 1), _name(rng, 2)
            )
        )
    extra = count - len(people)
    if extra > 0 and rng.random() < 0.25:
        # A widowed parent of the head lives with the family.
        people.append(
            person(mother_of_head, 2, _date(rng, 1930, head_born.year - 18), 7, 6, None, _name(rng, 1), _name(rng, 2))
        )
    while len(people) < count:
        born = _date(rng, married.year + 1, min(married.year + 25, 2025))
        sex = rng.choice((1, 2))
        people.append(person(_name(rng, sex, family_name if sex == 1 else None), sex, born, 4, 1, None, *children_of))
    issued = _date(rng, 2016, 2025)
    number = f"{prefix}{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}{rng.randint(1, 9999):04d}"
    postal = index.postal_code(desa_code) or "00000"
    return Family(
        number=number,
        head=head,
        address=f"{rng.choice(STREETS)} NO. {rng.randint(1, 120)}" if rng.random() < 0.6 else rng.choice(STREETS),
        rt=f"{rng.randint(1, 15):03d}",
        rw=f"{rng.randint(1, 9):03d}",
        desa_code=desa_code,
        desa=region_name(desa_code),
        kecamatan=region_name(kec_code),
        kabupaten=region_name(kab_code),
        provinsi=region_name(prov_code),
        postal_code=postal,
        issued=issued,
        members=tuple(people),
    )
