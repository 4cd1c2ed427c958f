"""Made-up Indonesian families with valid NIK and KK numbers, consistent ages, SHDK and marital status.

A NIK is the 6-digit kecamatan code, the birth date DDMMYY (day + 40 for women) and a 4-digit serial
that is unique per prefix; a Nomor KK is the 6-digit kecamatan code, the issue date DDMMYY and a serial.
Codes (agama, pendidikan, pekerjaan, SHDK, status kawin, golongan darah) are those of the SIAK lists in
resources/forms/codelists.yaml. Everything is drawn from one seeded `random.Random`, so a seed and a
date give the same people every time.
"""

from __future__ import annotations

import datetime as dt
import random
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import TypeVar

from app.demo import names
from app.demo.names import FEMALE, ISLAM, MALE, Culture
from app.regions import RegionIndex, default_index
from app.regions.model import Region

# SHDK (Status Hubungan Dalam Keluarga) codes.
KEPALA_KELUARGA, SUAMI, ISTRI, ANAK, MENANTU, CUCU, ORANG_TUA, MERTUA = 1, 2, 3, 4, 5, 6, 7, 8
# Status perkawinan codes.
BELUM_KAWIN, KAWIN_TERCATAT, KAWIN_BELUM_TERCATAT, CERAI_HIDUP, CERAI_HIDUP_BELUM_TERCATAT, CERAI_MATI = range(1, 7)
WNI, WNA = 1, 2
MAX_MEMBERS = 10  # rows of one F-1.01 sheet
KK_EPOCH = dt.date(2000, 1, 1)  # KK issue dates are read as 20YY
FAMILY_KINDS = ("nuclear", "couple", "extended", "single_parent", "single", "elderly")

_DUSUN = (
    "KRAJAN",
    "SIDOREJO",
    "SUMBERAGUNG",
    "NGASEM",
    "KARANGANYAR",
    "TEGALREJO",
    "PUNDEN",
    "BANARAN",
    "GEDANGAN",
    "JATIREJO",
    "MULYOREJO",
    "SUKOREJO",
    "KEDUNGREJO",
    "NGRANDU",
    "GUNUNGSARI",
    "WATES",
    "BULU",
    "DUKUH",
    "TAWANG",
    "KEMBANGAN",
    "PONCOL",
    "SEMBUNG",
    "GANDU",
    "KETONGGO",
)
_STREETS = (
    "JL. DIPONEGORO",
    "JL. YOS SUDARSO",
    "JL. TRUNOJOYO",
    "JL. MERAPI",
    "JL. SULAWESI",
    "JL. KARTINI",
    "JL. TEUKU UMAR",
    "JL. SUPRAPTO",
    "JL. HASANUDDIN",
    "JL. IMAM BONJOL",
    "GG. MAWAR",
    "GG. MELATI",
)
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_PHONE_PREFIXES = ("0812", "0813", "0821", "0822", "0852", "0853", "0857", "0877", "0878", "0881", "0895", "0896")


T = TypeVar("T")


def _randint(rng: random.Random, low: int, high: int) -> int:
    """rng.randint without its rejection loop (a million people make this the hot path)."""
    return low + int(rng.random() * (high - low + 1))


def _choice(rng: random.Random, options: Sequence[T]) -> T:
    """rng.choice without its rejection loop."""
    return options[int(rng.random() * len(options))]


class _Weighted:
    """Codes with weights, drawn by one random number and a bisect (fast enough for a million people)."""

    __slots__ = ("_codes", "_cum", "_total")

    def __init__(self, pairs: Sequence[tuple[int, float]]) -> None:
        self._codes = tuple(code for code, _ in pairs)
        self._cum = tuple(accumulate(weight for _, weight in pairs))
        self._total = self._cum[-1]

    def pick(self, rng: random.Random) -> int:
        """One code, drawn by weight."""
        return self._codes[min(bisect_right(self._cum, rng.random() * self._total), len(self._codes) - 1)]


_BLOOD = _Weighted(((13, 0.45), (1, 0.12), (2, 0.15), (3, 0.05), (4, 0.19), (11, 0.02), (5, 0.01), (7, 0.01)))
_EDUCATION_OLD = _Weighted(((1, 0.15), (2, 0.2), (3, 0.4), (4, 0.12), (5, 0.1), (8, 0.03)))
_EDUCATION_MID = _Weighted(((2, 0.08), (3, 0.32), (4, 0.22), (5, 0.27), (7, 0.03), (8, 0.08)))
_EDUCATION_NEW = _Weighted(((3, 0.12), (4, 0.2), (5, 0.42), (6, 0.03), (7, 0.05), (8, 0.16), (9, 0.02)))
_JOB_MALE = _Weighted(
    (
        (9, 0.22),
        (20, 0.1),
        (88, 0.18),
        (15, 0.14),
        (19, 0.1),
        (84, 0.05),
        (5, 0.04),
        (65, 0.03),
        (81, 0.03),
        (26, 0.03),
        (27, 0.02),
        (6, 0.01),
        (7, 0.01),
        (85, 0.01),
        (10, 0.03),
    )
)
_JOB_FEMALE = _Weighted(
    (
        (2, 0.45),
        (9, 0.1),
        (88, 0.1),
        (15, 0.1),
        (84, 0.08),
        (65, 0.05),
        (5, 0.03),
        (20, 0.05),
        (73, 0.01),
        (74, 0.01),
        (30, 0.02),
    )
)
_JOB_OLD = _Weighted(((4, 0.15), (9, 0.4), (1, 0.3), (88, 0.15)))
_JOB_YOUNG = _Weighted(((3, 0.35), (15, 0.3), (1, 0.15), (19, 0.1), (88, 0.1)))
_CHILDREN = _Weighted(((1, 0.25), (2, 0.35), (3, 0.25), (4, 0.1), (5, 0.05)))
_KINDS = _Weighted(((0, 0.55), (1, 0.15), (2, 0.08), (3, 0.1), (4, 0.04), (5, 0.08)))


@dataclass(frozen=True, slots=True)
class Address:
    """Where a family lives: street or dusun, RT/RW and a current desa/kelurahan with its postal code."""

    street: str
    rt: str
    rw: str
    dusun: str
    desa_code: str
    desa_name: str
    kecamatan_name: str
    kabupaten_name: str
    provinsi_name: str
    postal_code: str

    @property
    def kecamatan_code(self) -> str:
        """The dotted kecamatan code, e.g. `35.21.01`."""
        return self.desa_code[:8]

    @property
    def kabupaten_code(self) -> str:
        """The dotted kabupaten/kota code, e.g. `35.21`."""
        return self.desa_code[:5]

    @property
    def provinsi_code(self) -> str:
        """The provinsi code, e.g. `35`."""
        return self.desa_code[:2]

    @property
    def town(self) -> str:
        """The kabupaten/kota name as a place of birth is written (`NGAWI`, `KOTA MADIUN`)."""
        return self.kabupaten_name.removeprefix("KABUPATEN ").strip()

    def line(self) -> str:
        """Street (or dusun) with RT and RW, as on the KK."""
        return f"{self.street} RT {self.rt} RW {self.rw}"

    def full(self) -> str:
        """The whole address on one line."""
        return f"{self.line()}, {self.desa_name}, {self.kecamatan_name}, {self.town}"


@dataclass(frozen=True, slots=True)
class Person:
    """One made-up resident with the data of a KK row (codes as in the SIAK lists)."""

    nik: str
    name: str
    sex: int
    birth_date: dt.date
    birth_place: str
    religion: int
    education: int
    occupation: int
    marital_status: int
    shdk: int
    blood_type: int
    father_name: str
    mother_name: str
    father_nik: str = ""
    mother_nik: str = ""
    citizenship: int = WNI
    birth_certificate: str = ""
    marriage_date: dt.date | None = None
    marriage_certificate: str = ""
    divorce_date: dt.date | None = None
    divorce_certificate: str = ""
    phone: str = ""
    passport: str = ""

    def age(self, on: dt.date) -> int:
        """Whole years on a date."""
        return years_between(self.birth_date, on)


@dataclass(frozen=True, slots=True)
class Family:
    """One Kartu Keluarga: number, issue date, address and members (head first)."""

    kk: str
    issued: dt.date
    address: Address
    members: tuple[Person, ...]
    culture: str = ""

    @property
    def head(self) -> Person:
        """The kepala keluarga."""
        return next(m for m in self.members if m.shdk == KEPALA_KELUARGA)

    @property
    def spouse(self) -> Person | None:
        """The head's husband or wife, if any."""
        return next((m for m in self.members if m.shdk in (SUAMI, ISTRI)), None)

    @property
    def children(self) -> tuple[Person, ...]:
        """The children (SHDK anak), oldest first."""
        return tuple(m for m in self.members if m.shdk == ANAK)

    @property
    def mother(self) -> Person | None:
        """The mother of the children: the wife, or the head herself."""
        spouse = self.spouse
        if spouse is not None and spouse.sex == FEMALE:
            return spouse
        return self.head if self.head.sex == FEMALE else None

    @property
    def father(self) -> Person | None:
        """The father of the children: the head, or the husband."""
        if self.head.sex == MALE:
            return self.head
        spouse = self.spouse
        return spouse if spouse is not None and spouse.sex == MALE else None


def years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from start to end (a person's age on `end`)."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(slots=True)
class _Household:
    """What the members of one family share while it is being built."""

    culture: Culture
    religion: int
    address: Address
    kecamatan: str  # 6 digits: where the family's numbers are issued
    family_name: str


class PeopleGenerator:
    """Deterministic source of made-up families in one kabupaten (default Kabupaten Ngawi, 35.21)."""

    def __init__(
        self,
        seed: int = 2026,
        *,
        kabupaten: str = "35.21",
        today: dt.date | None = None,
        regions: RegionIndex | None = None,
    ) -> None:
        self.rng = random.Random(seed)
        self.today = today or dt.date.today()
        self.regions = regions or default_index()
        self.kabupaten = kabupaten
        self._desa: dict[str, tuple[Region, ...]] = {}
        self._kecamatan: dict[str, tuple[str, ...]] = {}
        self._nik_serials: dict[str, array[int]] = {}
        self._kk_serials: dict[str, array[int]] = {}
        self._akta_serial = 0
        if not self.desa_of(kabupaten):
            raise ValueError(f"no current desa/kelurahan below {kabupaten!r}")

    # -- regions ----------------------------------------------------------------------------------
    def desa_of(self, kabupaten: str) -> tuple[Region, ...]:
        """Every current desa/kelurahan of a kabupaten/kota that has a postal code."""
        found = self._desa.get(kabupaten)
        if found is None:
            found = tuple(
                desa
                for kecamatan in self.regions.children(kabupaten)
                for desa in self.regions.children(kecamatan.code)
                if desa.postal_code
            )
            self._desa[kabupaten] = found
        return found

    def kecamatan_codes(self, kabupaten: str | None = None) -> tuple[str, ...]:
        """The dotted kecamatan codes of a kabupaten (default: this generator's)."""
        key = kabupaten or self.kabupaten
        found = self._kecamatan.get(key)
        if found is None:
            found = tuple(r.code for r in self.regions.children(key))
            self._kecamatan[key] = found
        return found

    def address(self, desa: str | None = None, kabupaten: str | None = None) -> Address:
        """A made-up address in a desa (random in the kabupaten when not given)."""
        rng = self.rng
        region = self.regions.get(desa) if desa else None
        if region is None:
            region = _choice(rng, self.desa_of(kabupaten or self.kabupaten))
        path = {r.level: r.name for r in self.regions.path(region.code)}
        kabupaten_name = path.get("kabupaten") or path.get("kota") or ""
        kelurahan = region.code[9] == "1"
        dusun = "" if kelurahan else _choice(rng, _DUSUN)
        street = f"{_choice(rng, _STREETS)} NO. {_randint(rng, 1, 120)}" if kelurahan else f"DUSUN {dusun}"
        return Address(
            street=street,
            rt=f"{_randint(rng, 1, 12):03d}",
            rw=f"{_randint(rng, 1, 8):03d}",
            dusun=dusun,
            desa_code=region.code,
            desa_name=region.name.upper(),
            kecamatan_name=path.get("kecamatan", "").upper(),
            kabupaten_name=kabupaten_name.upper(),
            provinsi_name=path.get("provinsi", "").upper(),
            postal_code=region.postal_code or "",
        )

    # -- numbers ----------------------------------------------------------------------------------
    def nik(self, kecamatan: str, birth: dt.date, sex: int) -> str:
        """A new NIK: kecamatan (6 digits), DDMMYY (day + 40 for women), serial unique for that prefix."""
        prefix = kecamatan.replace(".", "")
        slot = (((birth.year % 100) * 12 + birth.month - 1) * 31 + birth.day - 1) * 2 + sex - 1
        counters = self._nik_serials.get(prefix)
        if counters is None:
            counters = array("H", bytes(2 * 100 * 12 * 31 * 2))
            self._nik_serials[prefix] = counters
        serial = counters[slot] + 1
        if serial > 9999:
            others = [c for c in self.kecamatan_codes(prefix[:2] + "." + prefix[2:4]) if c.replace(".", "") != prefix]
            return self.nik(_choice(self.rng, others), birth, sex)
        counters[slot] = serial
        day = birth.day + (40 if sex == FEMALE else 0)
        return f"{prefix}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"

    def kk_number(self, kecamatan: str, issued: dt.date) -> str:
        """A new Nomor KK: kecamatan (6 digits), issue date DDMMYY, serial unique for that prefix."""
        prefix = kecamatan.replace(".", "")
        slot = (issued - KK_EPOCH).days
        counters = self._kk_serials.get(prefix)
        if counters is None or slot >= len(counters):
            size = max(slot + 1, (self.today - KK_EPOCH).days + 1)
            grown = array("H", bytes(2 * size))
            if counters is not None:
                grown[: len(counters)] = counters
            counters = grown
            self._kk_serials[prefix] = counters
        serial = counters[slot] + 1
        if serial > 9999:
            return self.kk_number(kecamatan, issued - dt.timedelta(days=1))
        counters[slot] = serial
        return f"{prefix}{issued:%d%m}{issued.year % 100:02d}{serial:04d}"

    def akta_number(self, kind: str, region: str, day: dt.date) -> str:
        """A register number in the Dukcapil style, e.g. `3521-LT-17082015-0042` (LT lahir, KW kawin, CR cerai)."""
        self._akta_serial = self._akta_serial % 9999 + 1
        return f"{region.replace('.', '')[:4]}-{kind}-{day:%d%m%Y}-{self._akta_serial:04d}"

    def buku_nikah_number(self, day: dt.date) -> str:
        """A KUA marriage book number, e.g. `0457/025/VII/2012`."""
        rng = self.rng
        return f"{_randint(rng, 1, 999):04d}/{_randint(rng, 1, 60):03d}/{_ROMAN[day.month - 1]}/{day.year}"

    def phone(self) -> str:
        """A made-up mobile number."""
        rng = self.rng
        return _choice(rng, _PHONE_PREFIXES) + "".join(str(_randint(rng, 0, 9)) for _ in range(_choice(rng, (7, 8))))

    # -- dates ------------------------------------------------------------------------------------
    def birth_for_age(self, age: int) -> dt.date:
        """A birth date giving exactly `age` whole years today."""
        latest = add_years(self.today, -age)
        earliest = add_years(self.today, -age - 1) + dt.timedelta(days=1)
        return self.day_between(earliest, latest)

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        """A day from first to last inclusive (first when the range is empty)."""
        if last <= first:
            return first
        return dt.date.fromordinal(self.rng.randint(first.toordinal(), last.toordinal()))

    def days_ago(self, low: int, high: int) -> dt.date:
        """A day between `high` and `low` days before today."""
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    # -- people -----------------------------------------------------------------------------------
    def family(
        self,
        kind: str | None = None,
        *,
        religion: int | None = None,
        child_age: tuple[int, int] | None = None,
        child_sex: int | None = None,
        wife_age: tuple[int, int] | None = None,
        head_age: tuple[int, int] | None = None,
        desa: str | None = None,
        kabupaten: str | None = None,
    ) -> Family:
        """A new family; `child_age` guarantees an (oldest) child of that age, `wife_age` a wife of that age."""
        rng = self.rng
        if kind is None:
            kind = "nuclear" if child_age or wife_age else FAMILY_KINDS[_KINDS.pick(rng)]
        if kind not in FAMILY_KINDS:
            raise ValueError(f"unknown family kind {kind!r}")
        culture = names.pick_culture(rng)
        address = self.address(desa, kabupaten)
        home = _Household(
            culture=culture,
            religion=religion or names.pick_religion(rng, culture),
            address=address,
            kecamatan=address.kecamatan_code.replace(".", ""),
            family_name=_choice(rng, culture.family_names) if culture.family_names else "",
        )
        if kind in ("nuclear", "extended"):
            members = self._couple_with_children(home, child_age, child_sex, wife_age, head_age)
            if kind == "extended" and len(members) < MAX_MEMBERS:
                members.append(self._grandparent(home, members[0], members[1] if len(members) > 1 else None))
        elif kind == "couple":
            young = head_age is None and rng.random() < 0.5
            members = self._couple_with_children(
                home, None, None, (20, 29) if young else None, head_age or (None if young else (58, 80)), children=0
            )
        elif kind == "single_parent":
            members = self._single_parent(home)
        elif kind == "single":
            members = [self._head_alone(home, head_age or (20, 45), BELUM_KAWIN)]
        else:
            members = self._elderly(home, head_age or (62, 90))
        return self._finish(home, members)

    def _finish(self, home: _Household, members: list[Person]) -> Family:
        """Issue the KK: after the newest member's birth and the marriage, at most yesterday."""
        latest = max(m.birth_date for m in members) + dt.timedelta(days=14)
        married = [m.marriage_date for m in members[:2] if m.marriage_date is not None and m.shdk != ORANG_TUA]
        first = max(latest, dt.date(2008, 1, 1), *(d + dt.timedelta(days=30) for d in married))
        last = self.today - dt.timedelta(days=1)
        issued = self.day_between(min(first, last), last)
        kk = self.kk_number(home.kecamatan, issued)
        return Family(kk=kk, issued=issued, address=home.address, members=tuple(members), culture=home.culture.key)

    def _name(self, home: _Household, sex: int, born: dt.date, family_name: str | None = None) -> str:
        name_of_family = home.family_name if family_name is None else family_name
        return names.person_name(self.rng, home.culture, sex, home.religion, born.year, name_of_family)

    def _other_family_name(self, home: _Household) -> str:
        culture = home.culture
        return _choice(self.rng, culture.family_names) if culture.family_names else ""

    def _birth_place(self, home: _Household, local: bool) -> str:
        if local or self.rng.random() < 0.7:
            return home.address.town
        return _choice(self.rng, home.culture.birthplaces) if home.culture.birthplaces else home.address.town

    def _education(self, born: dt.date) -> int:
        age = years_between(born, self.today)
        if age < 19:
            return 1 if age < 5 else 2 if age < 13 else 3 if age < 16 else 4
        table = _EDUCATION_OLD if born.year < 1960 else _EDUCATION_MID if born.year < 1980 else _EDUCATION_NEW
        return table.pick(self.rng)

    def _occupation(self, born: dt.date, sex: int, *, child: bool = False) -> int:
        age = years_between(born, self.today)
        if age < 5:
            return 1
        if age < 19:
            return 3
        if child and age < 27:
            return _JOB_YOUNG.pick(self.rng)
        if age >= 62:
            return _JOB_OLD.pick(self.rng)
        return (_JOB_MALE if sex == MALE else _JOB_FEMALE).pick(self.rng)

    def _adult(
        self,
        home: _Household,
        sex: int,
        born: dt.date,
        shdk: int,
        marital: int,
        *,
        married: dt.date | None = None,
        family_name: str | None = None,
        kecamatan: str | None = None,
    ) -> Person:
        rng = self.rng
        parents_year = dt.date(born.year - 27, 1, 1)
        own_family_name = home.family_name if family_name is None else family_name
        father = self._name(home, MALE, parents_year, own_family_name)
        mother = self._name(home, FEMALE, parents_year, self._other_family_name(home))
        if kecamatan is None:
            moved = rng.random() < 0.12
            kecamatan = _choice(rng, self.kecamatan_codes(home.address.kabupaten_code)) if moved else home.kecamatan
        certificate = ""
        if (born.year >= 1985 and rng.random() < 0.85) or rng.random() < 0.3:
            issued = min(self.today, born + dt.timedelta(days=_randint(rng, 7, 400)))
            certificate = self.akta_number("LT", home.address.kabupaten_code, issued)
        marriage_certificate = ""
        if married is not None and marital in (KAWIN_TERCATAT, CERAI_HIDUP, CERAI_MATI):
            marriage_certificate = (
                self.buku_nikah_number(married)
                if home.religion == ISLAM
                else self.akta_number("KW", home.address.kabupaten_code, married)
            )
        return Person(
            nik=self.nik(kecamatan, born, sex),
            name=self._name(home, sex, born, own_family_name),
            sex=sex,
            birth_date=born,
            birth_place=self._birth_place(home, local=False),
            religion=home.religion,
            education=self._education(born),
            occupation=self._occupation(born, sex),
            marital_status=marital,
            shdk=shdk,
            blood_type=_BLOOD.pick(rng),
            father_name=father,
            mother_name=mother,
            birth_certificate=certificate,
            marriage_date=married if marital != BELUM_KAWIN else None,
            marriage_certificate=marriage_certificate,
            phone=self.phone() if shdk == KEPALA_KELUARGA and rng.random() < 0.8 else "",
        )

    def _child(self, home: _Household, born: dt.date, sex: int, father: Person | None, mother: Person) -> Person:
        rng = self.rng
        certificate = ""
        if rng.random() < 0.9:
            issued = min(self.today, born + dt.timedelta(days=_randint(rng, 3, 200)))
            certificate = self.akta_number("LT", home.address.kabupaten_code, issued)
        return Person(
            nik=self.nik(home.kecamatan, born, sex),
            name=self._name(home, sex, born),
            sex=sex,
            birth_date=born,
            birth_place=self._birth_place(home, local=True),
            religion=home.religion,
            education=self._education(born),
            occupation=self._occupation(born, sex, child=True),
            marital_status=BELUM_KAWIN,
            shdk=ANAK,
            blood_type=_BLOOD.pick(rng),
            father_name=father.name if father is not None else "",
            mother_name=mother.name,
            father_nik=father.nik if father is not None else "",
            mother_nik=mother.nik,
            birth_certificate=certificate,
        )

    def newborn(self, family: Family, born: dt.date, sex: int | None = None) -> Person:
        """A baby of the family's mother, not yet on the KK and without a NIK (NIK is issued with the KK)."""
        rng = self.rng
        culture = next((c for c, _ in names.CULTURE_WEIGHTS if c.key == family.culture), names.JAVANESE)
        father, mother = family.father, family.mother
        if mother is None:
            raise ValueError("the family has no mother for a newborn")
        family_name = father.name.split()[-1] if father is not None and culture.family_names else ""
        sex = sex or _choice(rng, (MALE, FEMALE))
        return Person(
            nik="",
            name=names.person_name(rng, culture, sex, mother.religion, born.year, family_name),
            sex=sex,
            birth_date=born,
            birth_place=family.address.town,
            religion=mother.religion,
            education=1,
            occupation=1,
            marital_status=BELUM_KAWIN,
            shdk=ANAK,
            blood_type=13,
            father_name=father.name if father is not None else "",
            mother_name=mother.name,
            father_nik=father.nik if father is not None else "",
            mother_nik=mother.nik,
        )

    def foreigner(self, sex: int, age: tuple[int, int]) -> Person:
        """A foreign national (no NIK, a passport number instead)."""
        rng = self.rng
        born = self.birth_for_age(_randint(rng, *age))
        return Person(
            nik="",
            name=names.foreign_name(rng, sex),
            sex=sex,
            birth_date=born,
            birth_place=_choice(rng, names.FOREIGN_COUNTRIES),
            religion=_choice(rng, (2, 3)),
            education=8,
            occupation=15,
            marital_status=BELUM_KAWIN,
            shdk=KEPALA_KELUARGA,
            blood_type=_BLOOD.pick(rng),
            father_name=names.foreign_name(rng, MALE),
            mother_name=names.foreign_name(rng, FEMALE),
            citizenship=WNA,
            passport=f"{_choice(rng, 'ABCEKLNPX')}{_randint(rng, 1000000, 9999999)}",
        )

    # -- household shapes ---------------------------------------------------------------------------
    def _couple_with_children(
        self,
        home: _Household,
        child_age: tuple[int, int] | None,
        child_sex: int | None,
        wife_age: tuple[int, int] | None,
        head_age: tuple[int, int] | None,
        children: int | None = None,
    ) -> list[Person]:
        rng = self.rng
        oldest: dt.date | None = None
        if child_age is not None:
            oldest = self.birth_for_age(_randint(rng, *child_age))
            wife_born = add_years(oldest, -_randint(rng, 22, 34)) - dt.timedelta(days=_randint(rng, 0, 364))
            married = oldest - dt.timedelta(days=_randint(rng, 300, 900))
        else:
            if wife_age is not None:
                wife_born = self.birth_for_age(_randint(rng, *wife_age))
            elif head_age is not None:
                wife_born = add_years(self.birth_for_age(_randint(rng, *head_age)), _randint(rng, 0, 6))
            else:
                wife_born = self.birth_for_age(_randint(rng, 21, 68))
            married = add_years(wife_born, _randint(rng, 19, 27)) + dt.timedelta(days=_randint(rng, 0, 364))
            latest = self.today - dt.timedelta(days=400 if wife_age is not None else 30)
            married = max(min(married, latest), add_years(wife_born, 19))
        head_born = wife_born - dt.timedelta(days=_randint(rng, -700, 3000))
        head_born = min(head_born, add_years(married, -21))
        status = KAWIN_TERCATAT if rng.random() < 0.93 else KAWIN_BELUM_TERCATAT
        head = self._adult(home, MALE, head_born, KEPALA_KELUARGA, status, married=married)
        wife = self._adult(
            home, FEMALE, wife_born, ISTRI, status, married=married, family_name=self._other_family_name(home)
        )
        members = [head, wife]
        count = _CHILDREN.pick(rng) if children is None else children
        born = oldest or married + dt.timedelta(days=_randint(rng, 300, 1100))
        first_sex = child_sex or _choice(rng, (MALE, FEMALE))
        while count > 0 and born < self.today and years_between(wife_born, born) <= 43:
            age = years_between(born, self.today)
            if age < 27 or (oldest is not None and born == oldest):
                sex = first_sex if len(members) == 2 else _choice(rng, (MALE, FEMALE))
                members.append(self._child(home, born, sex, head, wife))
            count -= 1
            born += dt.timedelta(days=_randint(rng, 500, 2200))
            if len(members) >= MAX_MEMBERS - 1:
                break
        return members

    def _grandparent(self, home: _Household, head: Person, wife: Person | None) -> Person:
        rng = self.rng
        of_wife = wife is not None and rng.random() < 0.4
        child = wife if of_wife and wife is not None else head
        born = add_years(child.birth_date, -_randint(rng, 21, 34)) - dt.timedelta(days=_randint(rng, 0, 364))
        born = max(born, add_years(self.today, -96))
        sex = FEMALE if rng.random() < 0.7 else MALE
        married = add_years(born, _randint(rng, 19, 24))
        family_name = home.family_name if not of_wife else self._other_family_name(home)
        return self._adult(
            home, sex, born, MERTUA if of_wife else ORANG_TUA, CERAI_MATI, married=married, family_name=family_name
        )

    def _single_parent(self, home: _Household) -> list[Person]:
        rng = self.rng
        members = self._couple_with_children(home, None, None, (28, 60), None, children=_randint(rng, 1, 4))
        if len(members) < 3:
            members = self._couple_with_children(home, (5, 20), None, None, None)
        head, wife, children = members[0], members[1], members[2:]
        widowed = rng.random() < 0.7
        status = CERAI_MATI if widowed else CERAI_HIDUP
        keep_mother = rng.random() < 0.75
        parent = wife if keep_mother else head
        divorce_date: dt.date | None = None
        divorce_certificate = ""
        if not widowed:
            youngest = max(c.birth_date for c in children)
            latest = self.today - dt.timedelta(days=1)
            divorce_date = self.day_between(min(youngest + dt.timedelta(days=60), latest), latest)
            divorce_certificate = self.akta_number("CR", home.address.kabupaten_code, divorce_date)
        phone = self.phone() if rng.random() < 0.7 else ""
        parent = replace(
            parent,
            shdk=KEPALA_KELUARGA,
            marital_status=status,
            divorce_date=divorce_date,
            divorce_certificate=divorce_certificate,
            phone=phone,
        )
        return [parent, *children]

    def _head_alone(self, home: _Household, age: tuple[int, int], marital: int) -> Person:
        born = self.birth_for_age(self.rng.randint(*age))
        sex = _choice(self.rng, (MALE, FEMALE))
        return self._adult(home, sex, born, KEPALA_KELUARGA, marital)

    def _elderly(self, home: _Household, age: tuple[int, int]) -> list[Person]:
        rng = self.rng
        members = self._couple_with_children(home, None, None, None, age, children=_choice(rng, (0, 0, 1, 2)))
        widow = rng.random() < 0.75
        survivor = members[1] if widow else members[0]
        survivor = replace(survivor, shdk=KEPALA_KELUARGA, marital_status=CERAI_MATI)
        if rng.random() < 0.4:
            return [survivor]
        return [survivor, *members[2:]]

    # -- streams ----------------------------------------------------------------------------------
    def families(self, count: int | None = None) -> Iterator[Family]:
        """An endless (or `count`-long) stream of families of every kind."""
        made = 0
        while count is None or made < count:
            yield self.family()
            made += 1
