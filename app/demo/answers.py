"""Form answers and case facts for one service and one made-up family: what an officer would have typed.

`build_case(service, people)` picks a family that fits the service (a 17-year-old for a first KTP-el, a
mother of a newborn for a birth, an elderly resident for a death), then `answers_for` fills every form the
service needs for that family. The main services (KTP-el baru 9, KK baru 4, perpindahan 15, kelahiran 21,
kematian 24, perkawinan 25 and 26) come out without errors; the others are filled as well as a generic
filler can, so some of them keep findings, as real drafts do.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from app.catalog import Service, required_forms
from app.demo import forms
from app.demo.forms import Answers, iso
from app.demo.names import BUDHA, FEMALE, HINDU, KATHOLIK, KRISTEN, MALE
from app.demo.people import (
    CERAI_MATI,
    KAWIN_BELUM_TERCATAT,
    KAWIN_TERCATAT,
    WNA,
    Address,
    Family,
    PeopleGenerator,
    Person,
    add_years,
)
from app.forms import FieldSpec, FormSchema, evaluate, load_form
from app.identity import NIK_PENDING

# Other provinces a family may move to or come from (large towns with postal codes in the region data).
_FAR_KABUPATEN = ("33.14", "33.72", "31.74", "32.73", "34.71", "36.71", "51.71", "12.71", "73.71")
_PATH = re.compile(r"^(?P<section>[a-z0-9_]+)(?:\[(?P<row>\d+)\])?\.(?P<field>[a-z0-9_]+)$")
# F-2.01 jenis pelaporan by service number.
_JENIS_PELAPORAN = {
    21: 1, 22: 1, 23: 2, 24: 7, 25: 3, 26: 3, 27: 4, 28: 5, 29: 6, 30: 8, 31: 9, 32: 9, 33: 10, 34: 10,
    35: 10, 36: 11, 37: 13, 38: 14, 39: 15, 40: 15, 41: 12, 42: 12, 43: 12,
}  # fmt: skip
# F-1.02 jenis permohonan by service number (the first that applies; alternatives are drawn per case).
_JENIS_PERMOHONAN: dict[int, tuple[tuple[str, ...], ...]] = {
    4: (("I.A.1",),),
    5: (("I.A.2",),),
    6: (("I.A.3",),),
    7: (("I.B.3",), ("I.B.3", "IV.A")),
    8: (("I.C.1",), ("I.C.2",)),
    9: (("II.A",),),
    10: (("II.C.1",), ("II.C.2",), ("II.C.1",)),  # a lost card twice as often as a damaged one
    11: (("II.A",),),
    12: (("II.D",),),
    13: (("III.A",),),
    14: (("III.A",),),
}
# F-1.02 persyaratan boxes that go with each jenis permohonan (what the officer ticks).
_ATTACHED = {"I.A.1": (3,), "I.A.2": (1, 6), "I.A.3": (1,), "I.B.3": (1, 2), "IV.A": (2,), "I.C.1": (13,),
             "I.C.2": (1,), "II.C.1": (13,), "II.D": (14,)}  # fmt: skip
_COURTS = ("PENGADILAN NEGERI NGAWI", "PENGADILAN NEGERI MADIUN", "PENGADILAN AGAMA NGAWI")
_CLERGY = {KRISTEN: "PDT", KATHOLIK: "ROMO", HINDU: "PANDITA", BUDHA: "BHIKKHU"}


@dataclass
class DemoCase:
    """One application's content: who it is for, the case facts and the answers of every form it needs."""

    service: Service
    family: Family
    applicant: Person
    subject: Person
    facts: dict[str, object] = field(default_factory=dict)
    forms: dict[str, Answers] = field(default_factory=dict)
    substitutes: dict[str, str] = field(default_factory=dict)
    partner: Person | None = None
    partner_family: Family | None = None
    event_date: dt.date | None = None
    applicant_kk: str = ""
    filed_at: Address | None = None  # where the application is taken in, when not at the family's address
    today: dt.date = field(default_factory=dt.date.today)

    def catalog_answers(self) -> dict[str, object]:
        """Facts and answers as the catalogue checklist reads them (`fakta`, `forms`)."""
        return {"fakta": dict(self.facts), "forms": dict(self.forms)}


@dataclass
class _Context:
    service: Service
    family: Family
    people: PeopleGenerator

    @property
    def rng(self) -> random.Random:
        """The generator's random source (one stream for the whole demo)."""
        return self.people.rng

    @property
    def today(self) -> dt.date:
        """The date the demo is made for."""
        return self.people.today

    def neighbours(self) -> tuple[Family, Family]:
        """Two other families of the same desa (witnesses are their heads)."""
        desa = self.family.address.desa_code
        return self.people.family("couple", desa=desa), self.people.family("nuclear", desa=desa)

    def witnesses(self) -> tuple[tuple[Person, Address], tuple[Person, Address]]:
        """Two witnesses with their addresses, for an SPTJM."""
        first, second = self.neighbours()
        return (first.head, first.address), (second.head, second.address)

    def witness_rows(self) -> tuple[dict[str, object], dict[str, object]]:
        """Saksi I and II of F-2.01."""
        first, second = self.neighbours()
        return forms.witness_row(first.head, first.kk), forms.witness_row(second.head, second.kk)


# -- choosing a family ----------------------------------------------------------------------------------
def choose_family(service: Service, people: PeopleGenerator) -> Family:
    """A new family that fits the service (e.g. with a child of 17 for a first KTP-el)."""
    rng = people.rng
    number = service.number
    if number == 9:
        return people.family(child_age=(17, 18))
    if number in (13, 14):
        return people.family(child_age=(2, 16))
    if number in (4, 25, 26):
        religion = rng.choice((KRISTEN, KRISTEN, KATHOLIK, HINDU, BUDHA)) if number in (25, 26) else None
        return people.family(child_age=(23, 32), child_sex=MALE, religion=religion)
    if number in (6, 36):
        return people.family(child_age=(19, 30))
    if number in (21, 22, 23):
        return people.family("nuclear", wife_age=(21, 38))
    if number == 24:
        kind = rng.choice(("extended", "couple", "elderly"))
        return people.family(kind, head_age=(62, 88) if kind != "extended" else None)
    if number in (5, 27, 28, 29):
        religion = rng.choice((KRISTEN, KATHOLIK)) if number in (27, 28, 29) else None
        return people.family("nuclear", head_age=(35, 70), religion=religion)
    if number in (30, 31, 32, 33, 34, 35, 37, 38, 39, 40, 42):
        return people.family(child_age=(1, 15))
    return people.family(rng.choice(("nuclear", "nuclear", "couple", "extended", "single_parent")))


def build_case(service: Service, people: PeopleGenerator) -> DemoCase:
    """A family that fits the service and its completed answers."""
    return answers_for(service, choose_family(service, people), people)


def answers_for(service: Service, family: Family, people: PeopleGenerator) -> DemoCase:
    """Facts and answers of every form the service needs for this family."""
    ctx = _Context(service, family, people)
    scenario = _SCENARIOS.get(service.number, _generic)
    case = scenario(ctx)
    case.today = people.today
    defaults = _default_facts(service)
    defaults.update(case.facts)
    case.facts = {k: v for k, v in defaults.items() if k in {f.id for f in service.facts}}
    if not case.applicant_kk and case.applicant.nik and case.applicant in case.family.members:
        case.applicant_kk = case.family.kk
    _complete(ctx, case)
    return case


# -- facts and completion ----------------------------------------------------------------------------------
def _default_facts(service: Service) -> dict[str, object]:
    """Every fact answered: no for yes/no questions, the first option for choices."""
    facts: dict[str, object] = {}
    for fact in service.facts:
        if fact.type == "boolean":
            facts[fact.id] = False
        elif fact.options:
            facts[fact.id] = fact.options[0][0]
    return facts


def _complete(ctx: _Context, case: DemoCase) -> None:
    """Add answers for forms the service needs but the scenario did not fill; fill what is still required."""
    for _ in range(3):
        needed = required_forms(ctx.service, case.catalog_answers(), today=ctx.today)
        missing = [f for f in needed if f not in case.forms]
        for form_id in missing:
            case.forms[form_id] = _default_form(ctx, case, form_id)
        if not missing:
            break
    needed = required_forms(ctx.service, case.catalog_answers(), today=ctx.today)
    case.forms = {form_id: case.forms[form_id] for form_id in needed if form_id in case.forms}
    for form_id, data in case.forms.items():
        fill_required(load_form(form_id), data, ctx.people, case.family)


def _default_form(ctx: _Context, case: DemoCase, form_id: str) -> Answers:
    family, applicant = case.family, case.applicant
    spouse = family.spouse or ctx.people.family("couple").members[1]
    husband, wife = (family.head, spouse) if family.head.sex == MALE else (spouse, family.head)
    if form_id == "F-1.01":
        return forms.f101(family)
    if form_id == "F-1.02":
        return forms.f102(applicant, family.kk, ["I.B.3"], (1, 2))
    if form_id == "F-1.04":
        return forms.f104(applicant, family.address)
    if form_id == "F-1.05":
        married = husband.marriage_date or ctx.people.days_ago(200, 3000)
        return forms.f105(husband, wife, family.address, married, ctx.witnesses())
    if form_id == "F-1.06":
        return forms.f106(applicant, family, [_education_change(applicant)])
    if form_id == "F-2.03":
        return forms.f203(husband, family.address, case.subject, ctx.witnesses())
    if form_id == "F-2.04":
        return forms.f204(husband, wife, family.address, ctx.witnesses())
    return {}


def fill_required(schema: FormSchema, data: Answers, people: PeopleGenerator, family: Family) -> int:
    """Answer every field the engine still reports as required with a plausible value; return how many."""
    filled = 0
    for _ in range(5):
        evaluation = evaluate(schema, data, people.today)
        todo = [f for f in evaluation.errors if f.code in ("required", "too_few_rows")]
        if not todo:
            break
        for finding in todo:
            if finding.code == "too_few_rows":
                rows = data.setdefault(finding.path, [])
                if isinstance(rows, list):
                    rows.append({})
                continue
            match = _PATH.match(finding.path)
            section = schema.section(match["section"]) if match else None
            spec = section.field(match["field"]) if match and section else None
            if match is None or section is None or spec is None:
                continue
            container = _container(data, match["section"], match["row"])
            if container is not None:
                container[spec.id] = _plausible(spec, people, family)
                filled += 1
    return filled


def _container(data: Answers, section: str, row: str | None) -> dict[str, object] | None:
    if row is None:
        value = data.setdefault(section, {})
        return value if isinstance(value, dict) else None
    rows = data.setdefault(section, [])
    if not isinstance(rows, list):
        return None
    index = int(row)
    while len(rows) <= index:
        rows.append({})
    target = rows[index]
    return target if isinstance(target, dict) else None


def _plausible(spec: FieldSpec, people: PeopleGenerator, family: Family) -> object:
    """A value of the field's type that passes its checks (used only where a scenario left a gap)."""
    rng = people.rng
    kind = spec.type
    if kind == "name":
        return people.family("single").head.name
    if kind == "nik":
        return people.family("single").head.nik
    if kind == "kk":
        return family.kk
    if kind == "date":
        if not spec.not_future:
            return iso(people.today + dt.timedelta(days=rng.randint(90, 900)))
        return iso(people.days_ago(20, 2000))
    if kind == "time":
        return f"{rng.randint(7, 20):02d}:{rng.choice((0, 15, 30, 45)):02d}"
    if kind in ("choice", "multichoice"):
        code = spec.codes.codes[0].code if spec.codes is not None else 1
        return [code] if kind == "multichoice" else code
    if kind == "number":
        return int(spec.min) if spec.min is not None and spec.min > 0 else 1
    if kind == "boolean":
        return False
    if kind == "region":
        code = family.address.desa_code
        level = spec.region_level or "desa"
        return {"provinsi": code[:2], "kabupaten": code[:5], "kecamatan": code[:8]}.get(level, code)
    if kind == "postal_code":
        return family.address.postal_code
    if kind == "phone":
        return people.phone()
    if kind == "email":
        return "warga@contoh.id"
    return _plausible_text(spec, people, family)


def _plausible_text(spec: FieldSpec, people: PeopleGenerator, family: Family) -> str:
    rng = people.rng
    key = spec.id
    if spec.pattern is not None and spec.pattern.fullmatch("001"):
        return f"{rng.randint(1, 12):03d}"
    if "pengadilan" in key or "lembaga" in key:
        text = rng.choice(_COURTS)
    elif "alamat" in key:
        text = family.address.full()
    elif "nomor" in key or "akta" in key or "paspor" in key or "kitas" in key or "itas" in key:
        text = f"{rng.randint(1, 999):03d}/{rng.randint(1, 99):02d}/{people.today.year}"
    elif "tempat" in key or "kota" in key:
        text = family.address.town
    elif "negara" in key:
        text = "MALAYSIA"
    else:
        text = spec.label.upper()
    limit = spec.max_length or 60
    return text[:limit].strip()


def _education_change(person: Person) -> dict[str, object]:
    """An F-1.06 row: the person's education (pendidikan codes, domain-reference §8.3) rises to a degree."""
    before = person.education if person.education in (3, 4, 5, 8) else 5  # SD, SLTP, SLTA, D-IV/S1
    after = 8 if before != 8 else 9
    return {
        "nik": person.nik,
        "elemen": 1,
        "semula_pendidikan": before,
        "menjadi_pendidikan": after,
        "dasar_perubahan": "IJAZAH STRATA II" if after == 9 else "IJAZAH DIPLOMA IV/ STRATA I",
    }


# -- scenarios: F-1.02 services -----------------------------------------------------------------------------
def _f102_case(
    ctx: _Context,
    applicant: Person,
    jenis: tuple[str, ...],
    *,
    marital_status: int | None = None,
    attached: tuple[int, ...] | None = None,
) -> DemoCase:
    if attached is None:
        attached = tuple(sorted({box for code in jenis for box in _ATTACHED.get(code, ())}))
    kk = "" if applicant.citizenship == WNA and not applicant.nik else ctx.family.kk
    answers = forms.f102(
        applicant,
        kk,
        jenis,
        attached,
        marital_status=marital_status,
        f106_attached=True if any(code.startswith("IV.") for code in jenis) else None,
    )
    return DemoCase(ctx.service, ctx.family, applicant, applicant, forms={"F-1.02": answers})


def _ktp_baru(ctx: _Context) -> DemoCase:
    """Layanan 9: a 17-year-old's first KTP-el (sometimes not yet in the population database)."""
    applicant = ctx.family.children[0] if ctx.family.children else ctx.family.head
    case = _f102_case(ctx, applicant, ("II.A",))
    case.facts["data_belum_ada"] = ctx.rng.random() < 0.15
    if case.facts["data_belum_ada"]:
        case.forms["F-1.01"] = forms.f101(ctx.family)
    return case


def _kk_baru(ctx: _Context) -> DemoCase:
    """Layanan 4: a son who has just married asks for a KK of his own."""
    rng, people = ctx.rng, ctx.people
    groom = ctx.family.children[0] if ctx.family.children else ctx.family.head
    bride_family = people.family(child_age=(20, 30), child_sex=FEMALE, religion=groom.religion)
    bride = bride_family.children[0] if bride_family.children else bride_family.head
    married = people.days_ago(14, 120)
    recorded = rng.random() < 0.9
    status = KAWIN_TERCATAT if recorded else KAWIN_BELUM_TERCATAT
    case = _f102_case(ctx, groom, ("I.A.1",), marital_status=status, attached=(3,) if recorded else (4,))
    if not recorded:
        case.forms["F-1.05"] = forms.f105(groom, bride, ctx.family.address, married, ctx.witnesses())
    case.partner, case.partner_family, case.event_date = bride, bride_family, married
    return case


def _kk_ganti_kepala(ctx: _Context) -> DemoCase:
    """Layanan 5: the head has died; his wife becomes the head of the family."""
    widow = ctx.family.spouse or ctx.family.head
    case = _f102_case(ctx, widow, ("I.A.2",), marital_status=CERAI_MATI)
    case.subject = ctx.family.head
    case.event_date = ctx.people.days_ago(20, 200)
    return case


def _kk_pisah(ctx: _Context) -> DemoCase:
    """Layanan 6: a grown child splits off into a KK of their own."""
    applicant = ctx.family.children[0] if ctx.family.children else ctx.family.head
    case = _f102_case(ctx, applicant, ("I.A.3",))
    case.facts["sebab_pisah"] = "lainnya"
    return case


def _f102_generic(ctx: _Context) -> DemoCase:
    """Layanan 7, 8, 10-14: one F-1.02 request for the right member of the family."""
    rng, family, number = ctx.rng, ctx.family, ctx.service.number
    choices = _JENIS_PERMOHONAN.get(number, (("I.B.3",),))
    jenis = rng.choice(choices)
    applicant = family.head
    child = None
    if number in (13, 14):  # a KIA: the child is the subject, a parent the applicant (issue 16 item 9)
        young = [c for c in family.children if c.age(ctx.today) < 17]
        child = rng.choice(young) if young else family.children[-1] if family.children else None
    elif number == 10 and family.spouse is not None and rng.random() < 0.4:
        applicant = family.spouse
    if number in (11, 12, 14):
        applicant = _resident_foreigner(ctx, applicant)
    case = _f102_case(ctx, applicant, jenis)
    if "I.B.3" in jenis or "IV.A" in jenis:
        case.forms["F-1.06"] = forms.f106(applicant, family, [_education_change(applicant)])
    if number in (13, 14):
        case.facts["tanggal_lahir_anak"] = iso(child.birth_date if child is not None else ctx.today)
    if number in (11, 12):
        case.facts["didaftarkan_sponsor"] = False
    return case


def _resident_foreigner(ctx: _Context, like: Person) -> Person:
    """A foreign resident with a KITAP, who therefore has a NIK (applicant of services 11, 12, 14)."""
    people = ctx.people
    age = like.age(ctx.today)
    foreigner = people.foreigner(like.sex, (max(age, 1), max(age, 1)))
    nik = people.nik(ctx.family.address.kecamatan_code, foreigner.birth_date, foreigner.sex)
    return replace(foreigner, nik=nik, marital_status=like.marital_status)


# -- scenarios: F-1.03 services ----------------------------------------------------------------------------
def _other_kabupaten(ctx: _Context, same_province: bool) -> str:
    people, rng = ctx.people, ctx.rng
    own = ctx.family.address.kabupaten_code
    if same_province:
        options = [r.code for r in people.regions.children(own[:2]) if r.code != own]
    else:
        options = [k for k in _FAR_KABUPATEN if k[:2] != own[:2]]
    rng.shuffle(options)
    for code in options:
        if people.desa_of(code):
            return code
    return own


def _destination(ctx: _Context, origin: Address, classification: int) -> Address:
    people, rng = ctx.people, ctx.rng
    if classification == 1:
        return people.address(origin.desa_code)
    if classification in (2, 3):
        same_kecamatan = classification == 2
        candidates = [
            d
            for d in people.desa_of(origin.kabupaten_code)
            if (d.code[:8] == origin.kecamatan_code) == same_kecamatan and d.code != origin.desa_code
        ]
        if candidates:
            return people.address(rng.choice(candidates).code)
    return people.address(kabupaten=_other_kabupaten(ctx, classification == 4))


def _pindah(ctx: _Context) -> DemoCase:
    """Layanan 15 (and 16): a family, or part of it, moves; filed at the origin or at the destination."""
    rng, people = ctx.rng, ctx.people
    arriving = rng.random() < 0.2
    family = ctx.family
    if arriving:
        family = people.family(rng.choice(("nuclear", "couple")), kabupaten=_other_kabupaten(ctx, rng.random() < 0.6))
        ctx = _Context(ctx.service, family, people)
    members = family.members
    adults_staying = [m for m in members[1:] if m.age(ctx.today) >= 17]
    kind = rng.choices((2, 1, 3, 4), weights=(0.6, 0.15, 0.1, 0.15))[0]
    if len(members) == 1:
        kind = 1
    elif (kind in (1, 3) and not adults_staying) or (kind == 3 and len(members) < 3):
        kind = 2
    grown = [c for c in family.children if c.age(ctx.today) >= 18]
    if kind == 4 and not grown:
        kind = 2
    movers: list[Person]
    if kind == 1:
        movers = [members[0]]
    elif kind == 2:
        movers = list(members)
    elif kind == 3:
        movers = [members[0], *members[2:]]
    else:
        movers = [grown[0]]
    applicant = movers[0]
    if arriving:
        classification = 4 if family.address.provinsi_code == people.kabupaten[:2] else 5
        destination = people.address(kabupaten=people.kabupaten)
    else:
        classification = rng.choices((1, 2, 3, 4, 5), weights=(0.05, 0.3, 0.3, 0.22, 0.13))[0]
        destination = _destination(ctx, family.address, classification)
        if destination.kabupaten_code == family.address.kabupaten_code and classification >= 4:
            classification = 3 if destination.kecamatan_code != family.address.kecamatan_code else 2
    reason = rng.choices((1, 6, 5, 2, 4, 7), weights=(0.35, 0.25, 0.2, 0.1, 0.05, 0.05))[0]
    answers = forms.f103(
        applicant,
        family.kk,
        family.address,
        movers,
        request=2,
        classification=classification,
        reason=reason,
        kind=kind,
        destination=destination,
        # the head stays: the family keeps its KK number; the whole family moves: so do they (seed 004 no. 15 d-e)
        kk_staying=3 if kind == 4 else 2,
        kk_moving=rng.choice((1, 2)) if kind == 4 else (3 if kind == 2 else 2),
    )
    case = DemoCase(ctx.service, family, applicant, applicant, forms={"F-1.03": answers})
    if arriving:
        case.filed_at = destination
    moving_children = [m for m in movers if m.age(ctx.today) < 17]
    case.facts.update(
        {
            "daerah": "tujuan" if arriving else "asal",
            "menumpang_rumah": rng.random() < 0.1,
            "anggota_tinggal_di_bawah_17": False,
            "ada_kia": bool(moving_children) and rng.random() < 0.4,
            "kawin_atau_cerai_tercatat": any(m.marriage_certificate for m in movers),
        }
    )
    if arriving and rng.random() < 0.1:
        case.substitutes["skpwni"] = "permohonan_skp_ke_daerah_asal"
    return case


def _pindah_foreigner(ctx: _Context) -> DemoCase:
    """Layanan 17 and 20: a foreigner with a limited stay permit registers or moves (best effort)."""
    people, rng, family = ctx.people, ctx.rng, ctx.family
    foreigner = people.foreigner(rng.choice((MALE, FEMALE)), (25, 60))
    request = 5 if ctx.service.number == 17 else 4
    destination = _destination(ctx, family.address, 3) if request == 5 else None
    answers = forms.f103(
        foreigner,
        "",
        family.address,
        [foreigner],
        request=request,
        classification=3 if request == 5 else None,
        reason=1,
        kind=1,
        destination=destination,
        kk_staying=2,
        kk_moving=2,
    )
    answers["orang_asing"] = {
        "tipe_sponsor": 5,
        "nama_sponsor": "PT SINAR ABADI NUSANTARA",
        "alamat_sponsor": family.address.full(),
        "nomor_kitas": f"2C{rng.randint(10, 99)}JD{rng.randint(1000, 9999)}",
        "tanggal_berlaku_kitas": iso(people.today + dt.timedelta(days=rng.randint(60, 600))),
    }
    case = DemoCase(ctx.service, family, foreigner, foreigner, forms={"F-1.03": answers})
    case.facts.update({"daerah": "asal", "menumpang_rumah": False, "didaftarkan_sponsor": True})
    return case


def _pindah_luar_negeri(ctx: _Context) -> DemoCase:
    """Layanan 18: a resident moves abroad for work (SKPLN)."""
    people, rng, family = ctx.people, ctx.rng, ctx.family
    applicant = family.head
    answers = forms.f103(
        applicant,
        family.kk,
        family.address,
        [applicant],
        request=3,
        classification=None,
        reason=1,
        kind=1,
        destination=None,
        kk_staying=2,
        kk_moving=None,
    )
    answers["luar_negeri"] = {
        "negara_tujuan": rng.choice(("MALAYSIA", "TAIWAN", "HONGKONG", "KOREA SELATAN", "JEPANG")),
        "alamat_tujuan": "JALAN INDUSTRI NOMOR DUA PULUH",
        "penanggung_jawab": applicant.name,
        "tanggal_rencana": iso(people.today + dt.timedelta(days=rng.randint(10, 90))),
    }
    return DemoCase(ctx.service, family, applicant, applicant, forms={"F-1.03": answers})


# -- scenarios: F-2.01 services -----------------------------------------------------------------------------
def _birth(ctx: _Context) -> DemoCase:
    """Layanan 21 (and 22): a baby born in the last weeks is registered by the father."""
    people, rng, family = ctx.people, ctx.rng, ctx.family
    father, mother = family.father or family.head, family.mother or family.head
    age_days = rng.randint(3, 45)
    born = ctx.today - dt.timedelta(days=age_days)
    baby = people.newborn(family, born)
    reported = ctx.today - dt.timedelta(days=rng.randint(0, min(5, age_days - 1)))
    letter = rng.random() < 0.88
    married_book = father.marital_status == KAWIN_TERCATAT and rng.random() < 0.97
    place = rng.choices((1, 2, 3, 4, 5), weights=(0.35, 0.3, 0.1, 0.2, 0.05))[0] if letter else 4
    helper = {1: rng.choice((1, 1, 2)), 2: 2, 3: 2, 4: rng.choice((2, 3)), 5: 2}[place] if letter else 3
    answers = forms.f201_header(1, family.address.desa_code, reported, father, family.kk)
    first, second = ctx.witness_rows()
    answers.update(
        {
            "subjek1": forms.person_section(baby, family.kk, pending_nik=True),
            "saksi1": first,
            "saksi2": second,
            "ayah": forms.parent_section(father),
            "ibu": forms.parent_section(mother),
            "kelahiran": {
                "nama": baby.name,
                "jenis_kelamin": baby.sex,
                "tempat_dilahirkan": place,
                "tempat_kelahiran": family.address.town,
                "tanggal_lahir": iso(born),
                "pukul": f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                "jenis_kelahiran": 1,
                "kelahiran_ke": len(family.children) + 1,
                "penolong_kelahiran": helper,
                "berat_bayi": rng.randint(26, 40) * 100 + rng.choice((0, 50)),
                "panjang_bayi": rng.randint(46, 53),
            },
        }
    )
    if ctx.service.number == 22:
        answers["subjek1"] = {**forms.person_section(baby, family.kk, pending_nik=True), "kewarganegaraan": WNA}
    case = DemoCase(ctx.service, family, father, baby, forms={"F-2.01": answers}, event_date=born)
    case.facts.update({"surat_lahir_ada": letter, "buku_nikah_ada": married_book, "asal_usul_tidak_diketahui": False})
    if not letter:
        case.forms["F-2.03"] = forms.f203(father, family.address, baby, ctx.witnesses())
        case.substitutes["surat_keterangan_kelahiran"] = "sptjm_f203"
    if not married_book:
        case.forms["F-2.04"] = forms.f204(father, mother, family.address, ctx.witnesses())
        case.substitutes["buku_nikah"] = "sptjm_f204"
    return case


def _stillbirth(ctx: _Context) -> DemoCase:
    """Layanan 23: a stillbirth reported by the father."""
    people, rng, family = ctx.people, ctx.rng, ctx.family
    father, mother = family.father or family.head, family.mother or family.head
    day = people.days_ago(2, 20)
    answers = forms.f201_header(2, family.address.desa_code, people.days_ago(0, 1), father, family.kk)
    answers.update(
        {
            "ayah": forms.parent_section(father),
            "ibu": forms.parent_section(mother),
            "lahir_mati": {
                "lama_kandungan": rng.randint(6, 9),
                "jenis_kelamin": rng.choice((MALE, FEMALE)),
                "tanggal_lahir_mati": iso(day),
                "jenis_kelahiran": 1,
                "anak_ke": len(family.children) + 1,
                "tempat_dilahirkan": rng.choice((1, 2)),
                "penolong_kelahiran": 2,
                "yang_menentukan": 2,
                "tempat_kelahiran": family.address.town,
            },
        }
    )
    return DemoCase(ctx.service, family, father, mother, forms={"F-2.01": answers}, event_date=day)


def _death(ctx: _Context) -> DemoCase:
    """Layanan 24: the oldest member of the family has died; a relative (or a neighbour) reports it."""
    people, rng, family = ctx.people, ctx.rng, ctx.family
    deceased = min(family.members, key=lambda m: m.birth_date)
    others = [m for m in family.members if m is not deceased and m.age(ctx.today) >= 17]
    if others:
        reporter, reporter_kk = others[0], family.kk
    else:
        neighbour = people.family("nuclear", desa=family.address.desa_code)
        reporter, reporter_kk = neighbour.head, neighbour.kk
    died = people.days_ago(1, 25)
    reported = ctx.today - dt.timedelta(days=rng.randint(0, min(4, (ctx.today - died).days)))
    at_hospital = rng.random() < 0.35
    answers = forms.f201_header(7, family.address.desa_code, reported, reporter, reporter_kk)
    first, second = ctx.witness_rows()
    answers.update(
        {
            "subjek1": forms.person_section(deceased, family.kk, with_birth=True),
            "saksi1": first,
            "saksi2": second,
            "ayah": forms.parent_section(None, deceased.father_name),
            "ibu": forms.parent_section(None, deceased.mother_name),
            "kematian": {
                "nik": deceased.nik,
                "nama_lengkap": deceased.name,
                "tanggal_kematian": iso(died),
                "pukul": f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                "sebab_kematian": rng.choices((1, 2, 3, 6), weights=(0.8, 0.03, 0.05, 0.12))[0],
                "tempat_kematian": f"RSUD {family.address.town}" if at_hospital else "RUMAH DUKA",
                "yang_menerangkan": 1 if at_hospital else rng.choice((2, 4)),
            },
        }
    )
    case = DemoCase(ctx.service, family, reporter, deceased, forms={"F-2.01": answers}, event_date=died)
    case.applicant_kk = reporter_kk
    case.facts["wni_bukan_penduduk"] = False
    return case


def _marriage(ctx: _Context) -> DemoCase:
    """Layanan 25 and 26: a (non-Muslim) wedding recorded at the Dinas; in 26 the bride is a foreigner."""
    people, rng, family = ctx.people, ctx.rng, ctx.family
    groom = family.children[0] if family.children else family.head
    foreign_bride = ctx.service.number == 26
    bride_family: Family | None = None
    if foreign_bride:
        bride = people.foreigner(FEMALE, (23, 34))
    else:
        bride_family = people.family(child_age=(20, 30), child_sex=FEMALE, religion=groom.religion)
        bride = bride_family.children[0] if bride_family.children else bride_family.head
    wedding = people.days_ago(5, 50)
    reported = wedding + dt.timedelta(days=rng.randint(1, min(30, (ctx.today - wedding).days)))
    religion = groom.religion if groom.religion in _CLERGY else KRISTEN
    clergy = f"{_CLERGY[religion]} {people.family('single').head.name}"
    marriage: dict[str, object] = {
        "nik_ayah_suami": family.head.nik,
        "nama_ayah_suami": family.head.name,
        "status_sebelum_kawin_suami": forms.status_before_marriage(groom),
        "status_sebelum_kawin_istri": forms.status_before_marriage(bride),
        "perkawinan_ke": 1,
        "tanggal_pemberkatan": iso(wedding),
        "tanggal_melapor": iso(reported),
        "jam_pelaporan": f"{rng.randint(8, 14):02d}:{rng.choice((0, 15, 30, 45)):02d}",
        "agama": religion,
        "nama_pemuka_agama": clergy[:60],
    }
    mother = family.mother
    if mother is not None:
        marriage.update({"nik_ibu_suami": mother.nik, "nama_ibu_suami": mother.name})
    if bride_family is not None:
        marriage.update({"nik_ayah_istri": bride_family.head.nik, "nama_ayah_istri": bride_family.head.name})
        bride_mother = bride_family.mother
        if bride_mother is not None:
            marriage.update({"nik_ibu_istri": bride_mother.nik, "nama_ibu_istri": bride_mother.name})
    else:
        marriage.update({"nama_ayah_istri": bride.father_name, "nama_ibu_istri": bride.mother_name})
        marriage.update({"nomor_izin_perwakilan": f"{rng.randint(100, 999)}/KONS/{people.today.year}"})
        marriage["nomor_paspor"] = bride.passport
    answers = forms.f201_header(3, family.address.desa_code, reported, groom, family.kk)
    first, second = ctx.witness_rows()
    answers.update(
        {
            "subjek1": forms.person_section(groom, family.kk, with_birth=True),
            "subjek2": forms.person_section(bride, bride_family.kk if bride_family else "", with_birth=True),
            "saksi1": first,
            "saksi2": second,
            "perkawinan": marriage,
        }
    )
    case = DemoCase(ctx.service, family, groom, groom, forms={"F-2.01": answers}, event_date=wedding)
    case.partner, case.partner_family = bride, bride_family
    if foreign_bride:
        case.facts["izin_tinggal_oa"] = rng.choices(("itas", "itap", "lainnya"), weights=(0.5, 0.2, 0.3))[0]
    else:
        case.facts.update({"cerai_belum_tercatat": False, "pasangan_meninggal_sebelum_dicatat": False})
    return case


def _civil_generic(ctx: _Context) -> DemoCase:
    """Layanan 27-43: the other civil-registration reports, filled from the family (best effort)."""
    people, rng, family = ctx.people, ctx.rng, ctx.family
    number = ctx.service.number
    jenis = _JENIS_PELAPORAN.get(number, 13)
    head, spouse = family.head, family.spouse
    child = family.children[0] if family.children else head
    subject = child if jenis in (8, 9, 10, 11, 13, 14) else head
    reported = people.days_ago(0, 3)
    answers = forms.f201_header(jenis, family.address.desa_code, reported, head, family.kk)
    answers["subjek1"] = forms.person_section(subject, family.kk, with_birth=True)
    court = rng.choice(_COURTS[:2])
    decided = people.days_ago(20, 50)
    number_text = f"{rng.randint(10, 300)}/Pdt.P/{decided.year}/PN Ngw"
    if jenis in (4, 5, 6) and spouse is not None:
        answers["subjek2"] = forms.person_section(spouse, family.kk, with_birth=True)
        married = head.marriage_date or add_years(head.birth_date, 25)
        certificate = head.marriage_certificate or people.akta_number("KW", family.address.kabupaten_code, married)
        if jenis == 4:
            answers["pembatalan_perkawinan"] = {
                "tanggal_perkawinan": iso(married),
                "nomor_akta_perkawinan": certificate,
                "tanggal_akta_perkawinan": iso(married),
                "nama_pengadilan": court,
                "nomor_putusan_pengadilan": number_text,
                "tanggal_putusan": iso(decided),
            }
        else:
            final = decided + dt.timedelta(days=14)
            answers["perceraian"] = {
                "yang_mengajukan": rng.choice((1, 2)),
                "nomor_akta_perkawinan": certificate,
                "tanggal_akta_perkawinan": iso(married),
                "nama_pengadilan": court,
                "tanggal_putusan_pengadilan": iso(decided),
                "nomor_putusan_pengadilan": number_text,
                "nomor_surat_panitera": f"W14.U{rng.randint(1, 40)}/{rng.randint(100, 999)}/HK",
                "tanggal_surat_panitera": iso(final),
                "tanggal_melapor": iso(max(final, reported)),
            }
            if jenis == 6:
                answers["pembatalan_perceraian"] = {
                    "nomor_akta_perceraian": people.akta_number("CR", family.address.kabupaten_code, decided),
                    "tanggal_akta_perceraian": iso(decided),
                }
    elif jenis in (8, 9, 10):
        father, mother = family.father, family.mother
        parents = {
            "nama_ibu_kandung": mother.name if mother else child.mother_name,
            "nik_ibu_kandung": mother.nik if mother else None,
            "nama_ayah_kandung": father.name if father else child.father_name,
            "nik_ayah_kandung": father.nik if father else None,
        }
        akta = child.birth_certificate or people.akta_number("LT", family.address.kabupaten_code, child.birth_date)
        if jenis == 8:
            adopter = people.family("couple")
            answers["pengangkatan_anak"] = {
                "nama_anak": child.name,
                "nomor_akta_kelahiran": akta,
                "nama_ayah_angkat": adopter.head.name,
                "nik_ayah_angkat": adopter.head.nik,
                "nama_pengadilan": court,
                "tanggal_penetapan": iso(decided),
                "nomor_penetapan": number_text,
            }
        else:
            section = "pengakuan_anak" if jenis == 9 else "pengesahan_anak"
            values: dict[str, object] = {
                "nomor_akta_kelahiran": akta,
                "tanggal_lahir_anak": iso(child.birth_date),
                # the religious marriage before the birth: the route without a court decision (seed 004 no. 31, 33)
                "tanggal_perkawinan_agama": iso(child.birth_date - dt.timedelta(days=400)),
                **{k: v for k, v in parents.items() if v},
            }
            if jenis == 10:
                married = head.marriage_date or people.days_ago(60, 400)
                values["nomor_akta_perkawinan"] = head.marriage_certificate or people.buku_nikah_number(married)
                values["tanggal_akta_perkawinan"] = iso(married)
            answers[section] = values
    elif jenis == 11:
        new_name = people.family("single").head.name
        change: dict[str, object] = {
            "nama_baru": new_name,
            "nama_lama": subject.name,
            "nomor_penetapan": number_text,
            "tanggal_penetapan": iso(decided),
            "nama_lembaga_pengadilan": court,
        }
        if subject.age(ctx.today) < 17:
            change.update({"nama_wali": head.name, "nik_wali": head.nik})
        answers["perubahan_nama"] = change
    elif jenis == 12:
        answers["perubahan_kewarganegaraan"] = {"kewarganegaraan_baru": WNA if number == 43 else 1}
        if number == 41:
            foreigner = replace(people.foreigner(subject.sex, (30, 50)), nik="")
            answers["subjek1"] = forms.person_section(foreigner, "", with_birth=True)
    elif jenis == 13:
        answers["peristiwa_lainnya"] = {
            "nomor_akta_kelahiran": subject.birth_certificate or "3521-LT-01012010-0001",
            "nomor_penetapan": number_text,
            "tanggal_penetapan": iso(decided),
            "nama_lembaga_pengadilan": court,
        }
    elif jenis == 14:
        akta = subject.birth_certificate or people.akta_number("LT", family.address.kabupaten_code, subject.birth_date)
        answers["pembetulan_akta"] = {"nomor_akta": akta}
        if subject.age(ctx.today) < 17:
            answers["pembetulan_akta"] = {"nomor_akta": akta, "nama_wali": head.name, "nik_wali": head.nik}
    elif jenis == 15:
        answers["pembatalan_akta"] = {
            "jenis_akta": "AKTA KELAHIRAN",
            "nomor_akta": subject.birth_certificate or "3521-LT-01012010-0001",
            "nomor_putusan": number_text,
            "tanggal_putusan": iso(decided),
            "nama_lembaga_pengadilan": court,
        }
    return DemoCase(ctx.service, family, head, subject, forms={"F-2.01": answers}, event_date=decided)


# -- scenarios: F-1.01 services -------------------------------------------------------------------------------
def _biodata(ctx: _Context) -> DemoCase:
    """Layanan 1-3: a family's biodata (F-1.01); abroad (2) and foreigners (3) are best effort."""
    family, number = ctx.family, ctx.service.number
    answers = forms.f101(family)
    if number == 2:
        header = answers["header"]
        if isinstance(header, dict):
            header["jenis_data"] = 3
        answers["luar_negeri"] = {
            "alamat": "JALAN AMPANG NOMOR TUJUH",
            "kota": "KUALA LUMPUR",
            "provinsi_negara_bagian": "SELANGOR",
            "negara": "MALAYSIA",
            "kode_pos": "50450",
            "jumlah_anggota": len(family.members),
            "telepon": "+60123456789",
        }
    if number == 3:
        header = answers["header"]
        if isinstance(header, dict):
            header["jenis_data"] = 2
        rows = answers["anggota"]
        for row in rows if isinstance(rows, list) else []:
            row.update({"kewarganegaraan": WNA, "nik": NIK_PENDING, "tipe_sponsor": 4})
            for key in ("nik_ibu", "nik_ayah", "akta_lahir", "nomor_akta_lahir"):
                row.pop(key, None)
    case = DemoCase(ctx.service, family, family.head, family.head, forms={"F-1.01": answers})
    if number == 1:
        case.facts.update({"dokumen_peristiwa_ada": True, "ijazah_ada": True, "bayi_orang_tua_terdaftar": False})
    if number == 3:
        case.facts["izin_tinggal"] = "itap"
    return case


def _generic(ctx: _Context) -> DemoCase:
    """Any other service: the head applies; forms are filled by `_complete`."""
    return DemoCase(ctx.service, ctx.family, ctx.family.head, ctx.family.head)


_SCENARIOS: Mapping[int, Callable[[_Context], DemoCase]] = {
    1: _biodata,
    2: _biodata,
    3: _biodata,
    4: _kk_baru,
    5: _kk_ganti_kepala,
    6: _kk_pisah,
    7: _f102_generic,
    8: _f102_generic,
    9: _ktp_baru,
    10: _f102_generic,
    11: _f102_generic,
    12: _f102_generic,
    13: _f102_generic,
    14: _f102_generic,
    15: _pindah,
    16: _pindah,
    17: _pindah_foreigner,
    18: _pindah_luar_negeri,
    19: _pindah,
    20: _pindah_foreigner,
    21: _birth,
    22: _birth,
    23: _stillbirth,
    24: _death,
    25: _marriage,
    26: _marriage,
    **{n: _civil_generic for n in range(27, 44)},
}
