"""Answers of each official form built from made-up people, in the shape resources/forms defines.

Field ids and code values are those of the schemas and code lists (codes as ints, F-1.02 codes as
strings, dates as ISO `YYYY-MM-DD`). Each builder fills what the paper form asks for the people given;
the scenario in app.demo.answers chooses who they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from app.demo.people import (
    BELUM_KAWIN,
    CERAI_HIDUP,
    CERAI_HIDUP_BELUM_TERCATAT,
    KAWIN_BELUM_TERCATAT,
    KAWIN_TERCATAT,
    WNI,
    Address,
    Family,
    Person,
)
from app.identity import NIK_PENDING

Answers = dict[str, object]
Section = dict[str, object]

ADA, TIDAK_ADA = 2, 1


def iso(day: dt.date | None) -> str | None:
    """A date as the forms store it."""
    return None if day is None else day.isoformat()


def _clean(section: Section) -> Section:
    """Drop empty answers (an unanswered field is absent, not empty)."""
    return {k: v for k, v in section.items() if v not in (None, "", [])}


# -- F-1.01 Biodata Keluarga ---------------------------------------------------------------------------
def biodata_row(person: Person) -> Section:
    """One F-1.01 member row (kolom 2-41 for a WNI family)."""
    married = person.marital_status != BELUM_KAWIN
    has_marriage = married and bool(person.marriage_certificate) and person.marriage_date is not None
    divorced = person.marital_status in (CERAI_HIDUP, CERAI_HIDUP_BELUM_TERCATAT)
    has_divorce = divorced and bool(person.divorce_certificate) and person.divorce_date is not None
    row: Section = {
        "nik": person.nik or NIK_PENDING,
        "nama_lengkap": person.name,
        "jenis_kelamin": person.sex,
        "tempat_lahir": person.birth_place,
        "tanggal_lahir": iso(person.birth_date),
        "kewarganegaraan": person.citizenship,
        "akta_lahir": ADA if person.birth_certificate else TIDAK_ADA,
        "nomor_akta_lahir": person.birth_certificate,
        "golongan_darah": person.blood_type,
        "agama": person.religion,
        "status_kawin": person.marital_status,
        "shdk": person.shdk,
        "kelainan": TIDAK_ADA,
        "pendidikan": person.education,
        "pekerjaan": person.occupation,
        "nik_ibu": person.mother_nik,
        "nama_ibu": person.mother_name,
        "nik_ayah": person.father_nik,
        "nama_ayah": person.father_name,
    }
    if married:
        row["akta_kawin"] = ADA if has_marriage else TIDAK_ADA
        if has_marriage:
            row["nomor_akta_kawin"] = person.marriage_certificate
            row["tanggal_kawin"] = iso(person.marriage_date)
    if divorced:
        row["akta_cerai"] = ADA if has_divorce else TIDAK_ADA
        if has_divorce:
            row["nomor_akta_cerai"] = person.divorce_certificate
            row["tanggal_cerai"] = iso(person.divorce_date)
    return _clean(row)


def f101(family: Family) -> Answers:
    """F-1.01 for a WNI family living in Indonesia."""
    address = family.address
    head = family.head
    return {
        "header": _clean(
            {
                "jenis_data": 1,
                "nama_kepala_keluarga": head.name,
                "alamat": address.street,
                "kode_pos": address.postal_code,
                "rt": address.rt,
                "rw": address.rw,
                "jumlah_anggota": len(family.members),
                "telepon": head.phone,
                "kode_provinsi": address.provinsi_code,
                "kode_kabupaten": address.kabupaten_code,
                "kode_kecamatan": address.kecamatan_code,
                "kode_desa": address.desa_code,
                "dusun": address.dusun,
            }
        ),
        "anggota": [biodata_row(m) for m in family.members],
    }


# -- F-1.02 Pendaftaran Peristiwa Kependudukan -----------------------------------------------------------
def f102(
    person: Person,
    kk: str,
    jenis: Sequence[str],
    attached: Sequence[int] = (),
    *,
    marital_status: int | None = None,
    f106_attached: bool | None = None,
) -> Answers:
    """F-1.02: the applicant, what is applied for and what is attached."""
    answers: Answers = {
        "pemohon": _clean(
            {
                "nama": person.name,
                "nik": person.nik or NIK_PENDING,
                "no_kk": kk,
                "tanggal_lahir": iso(person.birth_date),
                "status_kawin": marital_status or person.marital_status,
                "kewarganegaraan": person.citizenship,
            }
        ),
        "permohonan": {"jenis": list(jenis)},
    }
    persyaratan: Section = {"dilampirkan": sorted(set(attached))}
    if f106_attached is not None:
        persyaratan["f106_dilampirkan"] = f106_attached
    persyaratan = _clean(persyaratan)
    if persyaratan:
        answers["persyaratan"] = persyaratan
    return answers


# -- F-1.03 Perpindahan Penduduk ---------------------------------------------------------------------------
def f103(
    applicant: Person,
    kk: str,
    origin: Address,
    movers: Sequence[Person],
    *,
    request: int,
    classification: int | None,
    reason: int,
    kind: int,
    destination: Address | None,
    kk_staying: int | None,
    kk_moving: int | None,
) -> Answers:
    """F-1.03: who moves from where to where (jenis permohonan 2 = Surat Keterangan Pindah)."""
    answers: Answers = {
        "pemohon": _clean({"no_kk": kk, "nama": applicant.name, "nik": applicant.nik}),
        "permohonan": {"jenis_permohonan": request},
        "asal": {
            "alamat": origin.street,
            "rt": origin.rt,
            "rw": origin.rw,
            "kode_desa": origin.desa_code,
            "kode_pos": origin.postal_code,
        },
        "kepindahan": _clean(
            {
                "klasifikasi": classification,
                "alasan": reason,
                "alasan_lainnya": "MENGIKUTI SUAMI" if reason == 7 else None,
                "jenis_kepindahan": kind,
                "status_kk_tidak_pindah": kk_staying if kind in (1, 3, 4) else None,
                "status_kk_pindah": kk_moving,
            }
        ),
        "anggota_pindah": [_clean({"nik": m.nik, "nama_lengkap": m.name, "shdk": m.shdk}) for m in movers],
    }
    if destination is not None:
        answers["tujuan"] = {
            "alamat": destination.street,
            "rt": destination.rt,
            "rw": destination.rw,
            "kode_desa": destination.desa_code,
            "kode_pos": destination.postal_code,
        }
    return answers


# -- F-1.04, F-1.05, F-1.06 ------------------------------------------------------------------------------
def f104(person: Person, address: Address) -> Answers:
    """F-1.04: statement of a resident who has no population document yet."""
    return {
        "pemohon": _clean(
            {
                "nama": person.name,
                "jenis_kelamin": person.sex,
                "tempat_lahir": person.birth_place,
                "tanggal_lahir": iso(person.birth_date),
                "alamat": address.street,
                "rt": address.rt,
                "rw": address.rw,
                "kode_desa": address.desa_code,
                "nama_ayah": person.father_name,
                "nama_ibu": person.mother_name,
            }
        )
    }


def spouse_section(person: Person, address: Address, *, with_job: bool = False) -> Section:
    """Identity lines of a husband or wife on an SPTJM (F-1.05, F-2.04)."""
    return _clean(
        {
            "nama": person.name,
            "nik": person.nik,
            "tempat_lahir": person.birth_place,
            "tanggal_lahir": iso(person.birth_date),
            "pekerjaan": person.occupation if with_job else None,
            "alamat": address.full(),
        }
    )


def witness_section(person: Person, address: Address) -> Section:
    """A witness on an SPTJM: name, NIK and address."""
    return {"nama": person.name, "nik": person.nik, "alamat": address.full()}


def f105(
    husband: Person,
    wife: Person,
    address: Address,
    day: dt.date,
    witnesses: tuple[tuple[Person, Address], tuple[Person, Address]],
    *,
    divorce: bool = False,
) -> Answers:
    """F-1.05: SPTJM that a marriage (or divorce) took place but is not recorded."""
    return {
        "suami": spouse_section(husband, address),
        "istri": spouse_section(wife, address),
        "perkawinan": {"jenis": 2 if divorce else 1, "tanggal": iso(day), "tempat": address.desa_name},
        "saksi1": witness_section(*witnesses[0]),
        "saksi2": witness_section(*witnesses[1]),
    }


def f106(applicant: Person, family: Family, changes: Sequence[Section]) -> Answers:
    """F-1.06: which elements of the KK change, from what to what, on what evidence."""
    return {
        "pemohon": {"nama": applicant.name, "nik": applicant.nik, "no_kk": family.kk, "alamat": family.address.full()},
        "anggota": [{"nama": m.name, "nik": m.nik, "shdk": m.shdk} for m in family.members],
        "perubahan": [dict(c) for c in changes],
    }


# -- F-2.01 Pelaporan Pencatatan Sipil ----------------------------------------------------------------------
def f201_header(jenis: int, desa: str, reported: dt.date, reporter: Person, reporter_kk: str) -> Answers:
    """F-2.01 wilayah, jenis pelaporan and the pelapor."""
    return {
        "wilayah": {"kode_desa": desa},
        "laporan": {"jenis_pelaporan": jenis, "tanggal_pelaporan": iso(reported)},
        "pelapor": person_section(reporter, reporter_kk),
    }


def person_section(person: Person, kk: str, *, with_birth: bool = False, pending_nik: bool = False) -> Section:
    """Nama, NIK (or travel document), KK, citizenship; birth date and sex when the section asks for them."""
    foreign = person.citizenship != WNI
    nik = person.nik or (NIK_PENDING if pending_nik else "")
    section: Section = {
        "nama": person.name,
        "nik": None if foreign else nik,
        "nomor_dokumen_perjalanan": person.passport if foreign else None,
        "no_kk": kk,
        "kewarganegaraan": person.citizenship,
    }
    if with_birth:
        section["tanggal_lahir"] = iso(person.birth_date)
        section["jenis_kelamin"] = person.sex
    return _clean(section)


def witness_row(person: Person, kk: str) -> Section:
    """Saksi I or II on F-2.01."""
    return _clean({"nama": person.name, "nik": person.nik, "no_kk": kk, "kewarganegaraan": person.citizenship})


def parent_section(person: Person | None, name: str = "") -> Section:
    """Ayah or Ibu on F-2.01 (name only when the parent is not on a KK the app knows)."""
    if person is None:
        return _clean({"nama": name, "kewarganegaraan": WNI if name else None})
    return _clean(
        {
            "nama": person.name,
            "nik": person.nik,
            "tempat_lahir": person.birth_place,
            "tanggal_lahir": iso(person.birth_date),
            "kewarganegaraan": person.citizenship,
        }
    )


# -- F-2.03, F-2.04 ----------------------------------------------------------------------------------------
def f203(
    declarant: Person,
    address: Address,
    child: Person,
    witnesses: tuple[tuple[Person, Address], tuple[Person, Address]],
) -> Answers:
    """F-2.03: SPTJM on the birth data when there is no birth letter."""
    return {
        "deklarator": spouse_section(declarant, address, with_job=True),
        "anak": _clean(
            {
                "nama": child.name,
                "jenis_kelamin": child.sex,
                "tempat_lahir": child.birth_place,
                "tanggal_lahir": iso(child.birth_date),
                "nama_ayah": child.father_name,
                "nama_ibu": child.mother_name,
            }
        ),
        "saksi1": witness_section(*witnesses[0]),
        "saksi2": witness_section(*witnesses[1]),
    }


def f204(
    husband: Person,
    wife: Person,
    address: Address,
    witnesses: tuple[tuple[Person, Address], tuple[Person, Address]],
) -> Answers:
    """F-2.04: SPTJM that the parents are husband and wife (no marriage book)."""
    return {
        "suami": spouse_section(husband, address, with_job=True),
        "istri": spouse_section(wife, address, with_job=True),
        "saksi1": witness_section(*witnesses[0]),
        "saksi2": witness_section(*witnesses[1]),
    }


def status_before_marriage(person: Person) -> int:
    """F-2.01 'status perkawinan sebelum kawin' (1 kawin, 2 belum, 3 cerai hidup, 4 cerai mati)."""
    status = person.marital_status
    if status == BELUM_KAWIN:
        return 2
    if status in (CERAI_HIDUP, CERAI_HIDUP_BELUM_TERCATAT):
        return 3
    if status in (KAWIN_TERCATAT, KAWIN_BELUM_TERCATAT):
        return 1
    return 4
