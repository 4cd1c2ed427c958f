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


def add_residents(store: Store, records: Iterable[ResidentRecord], batch: int = 5000) -> int:
    """Insert many residents in large transactions; return how many."""
    count = 0
    rows: list[dict[str, object]] = []

    def flush() -> None:
        with store.db.atomic():
            Resident.insert_many(rows).execute()

    for record in records:
        rows.append(
            {
                "nik": record.nik,
                "kk": record.kk,
                "name": record.name,
                "name_key": name_key(record.name),
                "birth_date": record.birth_date,
                "sex": record.sex,
                "address": record.address,
                "region_code": record.region_code,
                "source": record.source,
                "updated_at": utcnow(),
            }
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
