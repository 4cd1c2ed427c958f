"""The scanned pages of one required document for a demo case: which picture, about whom, how many pages."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from app.catalog import Document
from app.demo import images
from app.demo.answers import DemoCase
from app.demo.images import day_text, person_lines, village_letterhead
from app.demo.names import ISLAM
from app.demo.people import WNA, Address, Person

_CLOSING = "Demikian surat keterangan ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya."


def _dinas(address: Address) -> tuple[str, ...]:
    return (
        f"PEMERINTAH {address.kabupaten_name}",
        "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
        f"Jl. Ahmad Yani, {address.town}",
    )


def _signer(address: Address, rng: random.Random, office: str) -> tuple[str, ...]:
    place = f"{address.desa_name.title()}" if office == "desa" else address.town.title()
    role = {
        "desa": f"Kepala Desa {address.desa_name.title()}",
        "dinas": "Kepala Dinas Kependudukan dan Pencatatan Sipil",
        "polisi": "Kepala Kepolisian Sektor",
        "kesehatan": "Bidan/Dokter Penolong",
        "kua": "Kepala KUA Kecamatan",
        "rt": f"Ketua RT {address.rt}",
    }[office]
    name = rng.choice(("SLAMET RIYADI", "SUPARNO", "HARI WIBOWO", "ENDANG SRI WAHYUNI", "AGUS SUSILO"))
    return (place, role, name)


def _number(rng: random.Random, today: dt.date) -> str:
    return f"474.{rng.randint(1, 4)}/{rng.randint(10, 450):03d}/404.{rng.randint(100, 320)}/{today.year}"


def _letter(
    case: DemoCase,
    rng: random.Random,
    title: str,
    items: list[tuple[str, str]],
    *,
    office: str = "desa",
    body: str = _CLOSING,
    more: list[tuple[str, str]] | None = None,
    issuer: tuple[str, ...] | None = None,
    number: str = "",
    day: dt.date | None = None,
) -> list[bytes]:
    """One page, or two when `more` lines go on a second page; signed and dated on the last page."""
    address = case.family.address
    day = day or case.today - dt.timedelta(days=rng.randint(1, 14))
    signer = _signer(address, rng, office)
    head = issuer or (_dinas(address) if office == "dinas" else village_letterhead(address))
    page_items = [items] if more is None else [items, more]
    number = number or _number(rng, day)
    return [
        images.letter_page(
            title,
            lines,
            issuer=head,
            number=number,
            body=body if page == len(page_items) else "",
            place_date=f"{signer[0]}, {day_text(day)}",
            signer=signer[1:],
            page=page,
            pages=len(page_items),
        )
        for page, lines in enumerate(page_items, start=1)
    ]


def _birth_letter(case: DemoCase, rng: random.Random) -> list[bytes]:
    child, family = case.subject, case.family
    place = images.day_text(child.birth_date)
    items = [
        ("Nama", child.name),
        ("Jenis Kelamin", "LAKI-LAKI" if child.sex == 1 else "PEREMPUAN"),
        ("Tempat/Tgl. Lahir", f"{child.birth_place}, {place}"),
        ("Nama Ibu", child.mother_name),
        ("Nama Ayah", child.father_name or "-"),
        ("Alamat", family.address.line()),
        ("Desa/Kecamatan", f"{family.address.desa_name}, {family.address.kecamatan_name}"),
    ]
    health = (
        f"UPT PUSKESMAS {family.address.kecamatan_name}",
        f"DINAS KESEHATAN {family.address.kabupaten_name}",
        f"Kecamatan {family.address.kecamatan_name.title()}",
    )
    day = child.birth_date + dt.timedelta(days=rng.randint(0, 2))
    return _letter(case, rng, "SURAT KETERANGAN KELAHIRAN", items, office="kesehatan", issuer=health, day=day)


def _death_letter(case: DemoCase, rng: random.Random) -> list[bytes]:
    person = case.subject
    items = [*person_lines(person, case.family.address), ("Meninggal Tanggal", day_text(case.event_date))]
    body = "Telah meninggal dunia di wilayah kami. " + _CLOSING
    day = (case.event_date or case.today) + dt.timedelta(days=rng.randint(0, 1))
    return _letter(case, rng, "SURAT KETERANGAN KEMATIAN", items, body=body, day=min(day, case.today))


def _marriage_book(case: DemoCase, rng: random.Random) -> list[bytes]:
    husband = case.family.father or case.family.head
    wife = case.partner or case.family.mother or case.family.head
    day = husband.marriage_date or case.event_date or case.today
    address = case.family.address
    wife_address = case.partner_family.address if case.partner_family else address
    husband_lines = [("Tanggal Perkawinan", day_text(day))]
    husband_lines += [(f"{label} Suami", value) for label, value in person_lines(husband, address)]
    wife_lines = [(f"{label} Istri", value) for label, value in person_lines(wife, wife_address)]
    number = husband.marriage_certificate
    issued = day + dt.timedelta(days=rng.randint(0, 7))
    if husband.religion == ISLAM:
        kua = ("KEMENTERIAN AGAMA REPUBLIK INDONESIA", f"KANTOR URUSAN AGAMA KECAMATAN {address.kecamatan_name}")
        return _letter(case, rng, "BUKU NIKAH", husband_lines, office="kua", issuer=kua, more=wife_lines, body="",
                       number=number, day=issued)  # fmt: skip
    return _letter(case, rng, "KUTIPAN AKTA PERKAWINAN", husband_lines, office="dinas", more=wife_lines, body="",
                   number=number, day=issued)  # fmt: skip


def _ktp_pages(case: DemoCase, _rng: random.Random) -> list[bytes]:
    people: list[tuple[Person, Address]] = []
    holder = case.applicant if case.applicant.nik and case.applicant.citizenship != WNA else case.family.head
    people.append((holder, case.family.address))
    partner = case.partner
    if case.service.number in (25, 26) and partner is not None and partner.nik and case.partner_family is not None:
        people.append((partner, case.partner_family.address))
    return [images.ktp_card(person, address, issued=case.family.issued) for person, address in people]


def _kia(case: DemoCase, _rng: random.Random) -> list[bytes]:
    young = [c for c in case.family.children if c.age(case.today) < 17]
    return [images.kia_card(young[0] if young else case.subject, case.family)]


def _passport(case: DemoCase, _rng: random.Random) -> list[bytes]:
    foreigner = case.partner if case.partner is not None and case.partner.citizenship == WNA else case.applicant
    return [images.passport_page(foreigner)]


def _police(case: DemoCase, rng: random.Random) -> list[bytes]:
    address = case.family.address
    issuer = (
        "KEPOLISIAN NEGARA REPUBLIK INDONESIA",
        f"RESOR {address.town}",
        f"SEKTOR {address.kecamatan_name}",
    )
    body = "Telah melaporkan kehilangan dokumen kependudukan. " + _CLOSING
    items = person_lines(case.applicant, address)
    return _letter(case, rng, "SURAT TANDA PENERIMAAN LAPORAN KEHILANGAN", items, office="polisi", issuer=issuer,
                   body=body)  # fmt: skip


_RENDERERS: dict[str, Callable[[DemoCase, random.Random], list[bytes]]] = {
    "kk": lambda case, _rng: [images.kk_page(case.family)],
    "ktp_el": _ktp_pages,
    "ktp_non_elektronik": _ktp_pages,
    "kia": _kia,
    "dokumen_perjalanan": _passport,
    "pas_foto_suami_istri": lambda _case, _rng: [images.photo_sheet(2)],
    "pas_foto_anak": lambda _case, _rng: [images.photo_sheet(1)],
    "surat_keterangan_kelahiran": _birth_letter,
    "surat_kematian": _death_letter,
    "akta_perkawinan": _marriage_book,
    "surat_keterangan_hilang_kepolisian": _police,
}


def document_pages(document: Document, case: DemoCase, rng: random.Random) -> list[bytes]:
    """PNG pages of one document given for a requirement of this case (1 or 2 pages)."""
    render = _RENDERERS.get(document.id)
    if render is not None:
        return render(case, rng)
    title = document.title.split(" (")[0].upper()
    person = case.subject if case.subject.nik else case.applicant
    office = "dinas" if document.id.startswith("akta") or document.id == "skp" else "desa"
    if document.id == "surat_pengantar_rt_rw":
        office = "rt"
    body = f"Surat ini dilampirkan pada permohonan {case.service.title}. {_CLOSING}"
    more: list[tuple[str, str]] | None = None
    if rng.random() < 0.2:
        family = case.family
        more = [
            ("Nomor KK", family.kk),
            ("Kepala Keluarga", family.head.name),
            ("Jumlah Anggota", str(len(family.members))),
            ("Alamat", family.address.full()),
        ]
    lines = person_lines(person, case.family.address)
    return _letter(case, rng, title, lines, office=office, body=body, more=more)
