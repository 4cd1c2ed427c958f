"""Where the accepted values of a card reading go, without Qt: F-1.01's header and member rows, F-1.02's
applicant part and the applicant page, each value as a change to one field.

A change into an empty field (or one still holding what carry-over put there) is made without asking;
a change over what the officer typed is a replacement, asked about first (ui/editor/card_read.py). A
member goes into the F-1.01 row with its NIK, else the row with its name and no NIK, else the first
empty row, else a new row (up to the table's limit). The applicant is the member with the applicant's
NIK, else with the applicant's name; only then do the applicant page and F-1.02 get that person's NIK,
name, birth date, marital status, citizenship and the KK number. A KTP-el is one person: the applicant
when the applicant page is still empty or names them, and their F-1.01 row when it has their NIK.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.forms.carry import is_empty
from app.forms.registry import FormRegistry
from app.identity import normalize_identifier
from ui.editor.card_state import KK_NUMBER, Review

F101, F102, APPLICANT = "F-1.01", "F-1.02", "applicant"
# F-1.01 header fields the card gives (the KK number is not one of them).
HEADER_FIELDS = frozenset(
    {
        "jenis_data",
        "nama_kepala_keluarga",
        "alamat",
        "kode_pos",
        "rt",
        "rw",
        "jumlah_anggota",
        "kode_provinsi",
        "kode_kabupaten",
        "kode_kecamatan",
        "kode_desa",
        "dusun",
    }
)
# F-1.02 "Data Pemohon" from the applicant's member row.
APPLICANT_FIELDS = {
    "nama": "nama_lengkap",
    "nik": "nik",
    "tanggal_lahir": "tanggal_lahir",
    "status_kawin": "status_kawin",
    "kewarganegaraan": "kewarganegaraan",
}
APPLICANT_LABELS = {"name": "Nama pemohon", "nik": "NIK pemohon", "kk": "Nomor KK pemohon"}


@dataclass(frozen=True)
class Change:
    """One field to change: `form` is a form key or "applicant"; `path` as the forms have it."""

    form: str
    path: str
    label: str  # "F-1.01 › Anggota ke-2 › Nama Lengkap"
    before: object
    after: object
    replaces: bool  # over a value the officer typed: asked first


@dataclass
class Plan:
    """What applying a review would change, and what it could not place."""

    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def replacements(self) -> list[Change]:
        """The changes over typed values."""
        return [change for change in self.changes if change.replaces]

    def chosen(self, replace: bool) -> list[Change]:
        """The changes to make: all of them, or those that replace nothing typed."""
        return [change for change in self.changes if replace or not change.replaces]


@dataclass(frozen=True)
class Situation:
    """The application as it is when the officer applies the review."""

    forms: Mapping[str, Mapping[str, object]]  # the current answers of the forms the service shows
    applicant: tuple[str, str, str]  # name, NIK, KK
    carried: Mapping[str, Mapping[str, object]] = field(default_factory=dict)  # form -> path -> carried value


def plan(review: Review, situation: Situation, registry: FormRegistry) -> Plan:
    """The changes the accepted values of a review make to the application."""
    out = Plan()
    if not review.can_apply():
        return out
    header = review.header_answers()
    rows = review.row_answers()
    person = _applicant_row(review, rows, situation)
    if F101 in situation.forms:
        labels = _Labels(registry, F101)
        current = situation.forms[F101]
        section = current.get("header")
        typed = section if isinstance(section, Mapping) else {}
        for field_id, value in header.items():
            if field_id in HEADER_FIELDS:
                _change(
                    out, situation, F101, f"header.{field_id}", labels.of("header", field_id), typed, field_id, value
                )
        _members(out, situation, review, rows, labels)
    kk = header.get(KK_NUMBER)
    if person is not None:
        if F102 in situation.forms:
            labels = _Labels(registry, F102)
            section = situation.forms[F102].get("pemohon")
            typed = section if isinstance(section, Mapping) else {}
            values = {target: person.get(source) for target, source in APPLICANT_FIELDS.items()}
            values["no_kk"] = kk
            for field_id, value in values.items():
                if value is not None:
                    _change(
                        out,
                        situation,
                        F102,
                        f"pemohon.{field_id}",
                        labels.of("pemohon", field_id),
                        typed,
                        field_id,
                        value,
                    )
        name, nik, current_kk = situation.applicant
        mine = {"name": name or None, "nik": nik or None, "kk": current_kk or None}
        for key, value in (("name", person.get("nama_lengkap")), ("nik", person.get("nik")), ("kk", kk)):
            if value is not None:
                _change(out, situation, APPLICANT, f"applicant.{key}", APPLICANT_LABELS[key], mine, key, value)
    elif rows and review.kind == "kk":
        out.notes.append(
            "Pemohon tidak ditemukan di antara anggota KK ini (NIK atau nama pemohon tidak sama): data pemohon "
            "tidak diubah."
        )
    return out


def _applicant_row(
    review: Review, rows: Sequence[Mapping[str, object]], situation: Situation
) -> Mapping[str, object] | None:
    """The member who is the applicant: by NIK, else by name (F-1.02's applicant part too); a KTP-el's
    one person when the applicant page is still empty."""
    name, nik, _kk = situation.applicant
    f102 = situation.forms.get(F102, {}).get("pemohon")
    f102 = f102 if isinstance(f102, Mapping) else {}
    niks = {n for n in (nik, normalize_identifier(f102.get("nik") or "")) if n}
    names = {_text(n) for n in (name, f102.get("nama")) if isinstance(n, str) and n.strip()}
    for row in rows:
        if row.get("nik") in niks:
            return row
    for row in rows:
        if _text(row.get("nama_lengkap")) in names:
            return row
    if review.kind == "ktp" and len(rows) == 1 and not niks and not names:
        return rows[0]
    return None


def _members(
    out: Plan, situation: Situation, review: Review, rows: Sequence[Mapping[str, object]], labels: _Labels
) -> None:
    """Each accepted member into its F-1.01 row."""
    current = situation.forms[F101].get("anggota")
    existing = [dict(r) if isinstance(r, Mapping) else {} for r in (current if isinstance(current, list) else [])]
    carried = situation.carried.get(F101, {})
    used: set[int] = set()
    count = len(existing)
    limit = review.members_max
    for member in rows:
        index = _row_for(member, existing, used, carried, new_rows=review.kind == "kk")
        if index is None:
            if review.kind != "kk":
                continue  # a KTP-el updates its person's row; it adds no member
            if limit is not None and count >= limit:
                out.notes.append(
                    f"{member.get('nama_lengkap') or 'Seorang anggota'} tidak dimasukkan: F-1.01 memuat paling banyak "
                    f"{limit} anggota per lembar."
                )
                continue
            index = count
            count += 1
            existing.append({})
        used.add(index)
        row = existing[index]
        for field_id, value in member.items():
            path = f"anggota[{index}].{field_id}"
            label = f"{F101} › Anggota ke-{index + 1} › {labels.field('anggota', field_id)}"
            _change(out, situation, F101, path, label, row, field_id, value)


def _row_for(
    member: Mapping[str, object],
    rows: Sequence[Mapping[str, object]],
    used: set[int],
    carried: Mapping[str, object],
    *,
    new_rows: bool,
) -> int | None:
    free = [i for i in range(len(rows)) if i not in used]
    nik = member.get("nik")
    for index in free:
        if nik is not None and normalize_identifier(rows[index].get("nik") or "") == nik:
            return index
    name = _text(member.get("nama_lengkap"))
    for index in free:
        if name and _text(rows[index].get("nama_lengkap")) == name and is_empty(rows[index].get("nik")):
            return index
    if not new_rows:
        return None
    for index in free:
        typed = {k: v for k, v in rows[index].items() if not is_empty(v) and carried.get(f"anggota[{index}].{k}") != v}
        if not typed:
            return index
    return None


def _change(
    out: Plan,
    situation: Situation,
    form: str,
    path: str,
    label: str,
    section: Mapping[str, object],
    field_id: str,
    value: object,
) -> None:
    before = section.get(field_id)
    if _same(before, value):
        return
    carried = situation.carried.get(form, {})
    untouched = is_empty(before) or (path in carried and carried[path] == before)
    out.changes.append(Change(form, path, label, None if is_empty(before) else before, value, not untouched))


def _same(left: object, right: object) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        if left.isdigit() or right.isdigit():
            return normalize_identifier(left) == normalize_identifier(right)
        return _text(left) == _text(right)
    return left == right


def _text(value: object) -> str:
    return " ".join(value.split()).casefold() if isinstance(value, str) else ""


class _Labels:
    """Field labels of one form, for the question before replacing."""

    def __init__(self, registry: FormRegistry, form: str) -> None:
        self.form = form
        self.schema = registry.get(form)

    def field(self, section_id: str, field_id: str) -> str:
        section = self.schema.section(section_id)
        spec = section.field(field_id) if section is not None else None
        return spec.label if spec is not None else field_id

    def of(self, section_id: str, field_id: str) -> str:
        section = self.schema.section(section_id)
        title = section.title if section is not None else section_id
        return f"{self.form} › {title} › {self.field(section_id, field_id)}"


def applied(answers: Mapping[str, object], changes: Sequence[Change]) -> dict[str, object]:
    """One form's answers with its changes made (member rows added as needed)."""
    out: dict[str, object] = {
        key: (
            [dict(r) if isinstance(r, Mapping) else r for r in value]
            if isinstance(value, list)
            else dict(value)
            if isinstance(value, Mapping)
            else value
        )
        for key, value in answers.items()
    }
    for change in changes:
        section_id, _, rest = change.path.partition(".")
        if "[" in section_id:
            section_id, _, index_text = section_id.partition("[")
            index = int(index_text.rstrip("]"))
            rows = out.get(section_id)
            rows = rows if isinstance(rows, list) else []
            while len(rows) <= index:
                rows.append({})
            row = rows[index] if isinstance(rows[index], dict) else {}
            row[rest] = change.after
            rows[index] = row
            out[section_id] = rows
        else:
            section = out.get(section_id)
            section = section if isinstance(section, dict) else {}
            section[rest] = change.after
            out[section_id] = section
    return out
