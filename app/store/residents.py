"""The residents index: who lives in the outpost's area, to prefill applications (NIK, KK, name look-up)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from app.store.db import guarded
from app.store.models import Resident, utcnow
from app.store.store import Store

_NOT_NAME = re.compile(r"[^0-9a-z ]+")


def name_key(name: str) -> str:
    """A name folded for prefix search: no accents or punctuation, lower case, single spaces."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").casefold()
    return " ".join(_NOT_NAME.sub(" ", folded).split())


@dataclass(frozen=True)
class ResidentRecord:
    """One resident as imported or learned from an application."""

    name: str
    nik: str | None = None
    kk: str | None = None
    birth_date: dt.date | None = None
    sex: int | None = None
    address: str = ""
    region_code: str = ""
    source: str = "import"


_INSERT = (
    "INSERT INTO resident (nik, kk, name, name_key, birth_date, sex, address, region_code, source, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def add_residents(store: Store, records: Iterable[ResidentRecord], batch: int = 20_000) -> int:
    """Insert many residents in large transactions (executemany: an import of a million takes seconds)."""
    count = 0
    rows: list[tuple[object, ...]] = []
    now = utcnow().isoformat(sep=" ")

    def flush() -> None:
        with store.db.atomic():
            store.db.connection().executemany(_INSERT, rows)

    for record in records:
        rows.append(
            (
                record.nik,
                record.kk,
                record.name,
                name_key(record.name),
                record.birth_date.isoformat() if record.birth_date else None,
                record.sex,
                record.address,
                record.region_code,
                record.source,
                now,
            )
        )
        if len(rows) >= batch:
            guarded(flush)
            count += len(rows)
            rows = []
    if rows:
        guarded(flush)
        count += len(rows)
    return count


def find_by_nik(nik: str) -> list[Resident]:
    """Residents with this NIK (normally one)."""
    return list(Resident.select().where(Resident.nik == nik).limit(10))


def find_by_kk(kk: str) -> list[Resident]:
    """The members of one family card."""
    return list(Resident.select().where(Resident.kk == kk).limit(50))


def search_name(prefix: str, limit: int = 20) -> list[Resident]:
    """Residents whose folded name starts with the folded prefix (uses the name index)."""
    key = name_key(prefix)
    if not key:
        return []
    upper = key[:-1] + chr(ord(key[-1]) + 1)
    query = (
        Resident.select()
        .where((Resident.name_key >= key) & (Resident.name_key < upper))
        .order_by(Resident.name_key)
        .limit(limit)
    )
    return list(query)
