"""The Dinas' reasons for returning an application, read from the status event and placed where they
belong: a field of a form, a requirement, or the application as a whole."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.forms.schema import FieldSpec, FormSchema, SectionSpec

REQUIREMENT_PREFIXES = ("requirement:", "persyaratan:")


@dataclass(frozen=True)
class DinasReason:
    """One reason: its message and what it concerns (a form field, a requirement, or neither)."""

    message: str
    form: str = ""  # "F-1.02"
    path: str = ""  # "pemohon.no_kk", "anggota[1].nik"
    requirement: str = ""  # a requirement id of the service

    @property
    def target(self) -> tuple[str, str] | None:
        """(form, path) for the editor's jump_to, or None for a reason about the whole application."""
        if self.requirement:
            return "", f"requirement:{self.requirement}"
        if self.form and self.path:
            return self.form, self.path
        return None


def parse_reasons(raw: Iterable[Mapping[str, object]]) -> list[DinasReason]:
    """Reasons as the sync protocol carries them: {"path": "F-1.02:pemohon.no_kk"} for a field,
    {"requirement": "kk"} (or a path "persyaratan:kk") for a requirement, else a message alone."""
    reasons: list[DinasReason] = []
    for entry in raw:
        message = str(entry.get("message") or "").strip()
        requirement = str(entry.get("requirement") or "").strip()
        path = str(entry.get("path") or "").strip()
        for prefix in REQUIREMENT_PREFIXES:
            if path.startswith(prefix):
                requirement, path = requirement or path[len(prefix) :], ""
        form, sep, field_path = path.partition(":")
        if not sep:
            form, field_path = "", path
        if message or requirement or field_path:
            reasons.append(DinasReason(message, form, field_path, requirement))
    return reasons


def field_of(schema: FormSchema, path: str) -> tuple[SectionSpec, int | None, FieldSpec] | None:
    """The section, row (0-based, for member tables) and field a path names; None if the form has none."""
    head, _, field_id = path.rpartition(".")
    section_id, _, rest = head.partition("[")
    index = rest.rstrip("]")
    section = next((s for s in schema.sections if s.id == section_id), None)
    spec = next((f for f in section.fields if f.id == field_id), None) if section is not None else None
    if section is None or spec is None:
        return None
    return section, int(index) if index.isdigit() else None, spec
