"""The residents index: who lives in the outpost's area, to prefill applications (NIK, KK, name look-up)."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

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
    details: Mapping[str, object] = field(default_factory=dict)  # more biodata, by F-1.01 member field id


_INSERT = (
    "INSERT INTO resident (nik, kk, name, name_key, birth_date, sex, address, region_code, source, updated_at, "
    "details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
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
                json.dumps(dict(record.details), ensure_ascii=False, sort_keys=True) if record.details else "{}",
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


def search_name(query: str, limit: int = 20) -> list[Resident]:
    """Residents by name: first those whose whole name starts with the query ("budi s" finds Budi
    Santoso), then those with a word for every word of the query ("santoso", "sant bud": any word of
    the name, in any order), each in name order. Both use an index (name prefix, full-text words)."""
    key = name_key(query)
    if not key:
        return []
    upper = key[:-1] + chr(ord(key[-1]) + 1)
    found = list(
        Resident.select()
        .where((Resident.name_key >= key) & (Resident.name_key < upper))
        .order_by(Resident.name_key)
        .limit(limit)
    )
    if len(found) >= limit:
        return found
    seen = [r.id for r in found]
    match = " ".join(f'"{word}"*' for word in key.split())
    # The full-text index gives the ids; the first `limit` of them in id order (the index's own order,
    # so the look-up stops early) are sorted by name here.
    ids = [
        row[0]
        for row in Resident._meta.database.execute_sql(
            "SELECT rowid FROM resident_name WHERE resident_name MATCH ? LIMIT ?", (match, limit * 2 + len(seen))
        )
        if row[0] not in seen
    ]
    if ids:
        more = Resident.select().where(Resident.id.in_(ids)).order_by(Resident.name_key).limit(limit - len(found))
        found.extend(more)
    return found


def typed_full_name(query: str) -> str:
    """The name to put into "Nama lengkap" when a name search found nobody, or "" to leave it empty.

    Only a query of two or more words of two or more letters each ("sri wahyuni") is taken for the
    whole name of a person not yet in the index. A single word is how officers search by surname or
    first name ("santoso"), and a short word is a prefix ("budi s"): copying those put a wrong name into
    a required field that then looked filled in."""
    words = query.split()
    if len(words) < 2 or any(len(w) < 2 or not all(ch.isalpha() or ch in ".'-" for ch in w) for w in words):
        return ""
    return " ".join(words).upper()


def resident_facts(resident: Resident) -> dict[str, object]:
    """What the index knows of one resident, by the names carry-over uses (`resident.<x>` in the form
    schemas): name, nik, kk, birth_date, sex, address, region_code, then the stored biodata."""
    facts: dict[str, object] = {}
    try:
        details = json.loads(resident.details or "{}")
    except ValueError:
        details = {}
    if isinstance(details, dict):
        facts.update({str(k): v for k, v in details.items()})
    facts.update(
        {
            "name": resident.name,
            "nik": resident.nik,
            "kk": resident.kk,
            "birth_date": resident.birth_date,
            "sex": resident.sex,
            "address": resident.address,
            "region_code": resident.region_code,
        }
    )
    return {k: v for k, v in facts.items() if v not in (None, "")}
