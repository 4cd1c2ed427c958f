"""What changed between two catalogue versions, in words the officer reads (Bahasa Indonesia).

Services added or removed; per service its title, forms, requirements (added, removed, mandatory or
not, original or copy, substitutes) and working days; form schema versions added or withdrawn.
"""

from __future__ import annotations

from app.catalog import Catalog, Requirement, Service
from app.forms import FormRegistry


def describe_changes(old: Catalog, old_forms: FormRegistry, new: Catalog, new_forms: FormRegistry) -> list[str]:
    """One line per change, services first, then forms; empty when the two versions say the same."""
    lines: list[str] = []
    before = {s.code: s for s in old.services}
    after = {s.code: s for s in new.services}
    for code, service in after.items():
        if code not in before:
            lines.append(f"Layanan baru: {service.title}.")
    for code, service in before.items():
        if code not in after:
            lines.append(f"Layanan tidak lagi tersedia: {service.title}.")
    for code, service in after.items():
        if code in before:
            lines += _service_changes(before[code], service)
    old_keys = {schema.key: schema for schema in old_forms}
    new_keys = {schema.key: schema for schema in new_forms}
    for key in sorted(set(new_keys) - set(old_keys)):
        schema = new_keys[key]
        lines.append(f"Formulir {schema.form} versi baru {schema.version}: {schema.title}.")
    for key in sorted(set(old_keys) - set(new_keys)):
        schema = old_keys[key]
        lines.append(f"Formulir {schema.form} versi {schema.version} tidak lagi dipakai.")
    return lines


def _service_changes(old: Service, new: Service) -> list[str]:
    name = new.title
    lines = []
    if old.title != new.title:
        lines.append(f"Layanan '{old.title}' kini bernama '{new.title}'.")
    old_forms = [use.form for use in old.forms]
    new_forms = [use.form for use in new.forms]
    for form in new_forms:
        if form not in old_forms:
            lines.append(f"{name}: formulir {form} kini diperlukan.")
    for form in old_forms:
        if form not in new_forms:
            lines.append(f"{name}: formulir {form} tidak lagi diperlukan.")
    old_requirements = {r.id: r for r in old.requirements}
    new_requirements = {r.id: r for r in new.requirements}
    for rid, requirement in new_requirements.items():
        if rid not in old_requirements:
            lines.append(f"{name}: persyaratan baru '{requirement.title}' ({_need(requirement)}).")
    for rid, requirement in old_requirements.items():
        if rid not in new_requirements:
            lines.append(f"{name}: persyaratan '{requirement.title}' dihapus.")
    for rid, requirement in new_requirements.items():
        previous = old_requirements.get(rid)
        if previous is not None:
            lines += _requirement_changes(name, previous, requirement)
    if old.sla_days != new.sla_days:
        lines.append(f"{name}: waktu penyelesaian {old.sla_days} → {new.sla_days} hari kerja.")
    if old.fee != new.fee:
        lines.append(f"{name}: biaya Rp{old.fee} → Rp{new.fee}.")
    if old.steps != new.steps:
        lines.append(f"{name}: langkah pelayanan diubah.")
    return lines


def _requirement_changes(service: str, old: Requirement, new: Requirement) -> list[str]:
    lines = []
    title = new.title
    if _need(old) != _need(new):
        lines.append(f"{service}: persyaratan '{title}' kini {_need(new)} (sebelumnya {_need(old)}).")
    if old.copy != new.copy:
        lines.append(f"{service}: persyaratan '{title}' kini {_copy(new.copy)} (sebelumnya {_copy(old.copy)}).")
    if old.document.id != new.document.id:
        lines.append(f"{service}: persyaratan '{title}' kini meminta {new.document.title}.")
    old_subs = {s.id: s for s in old.substitutes}
    new_subs = {s.id: s for s in new.substitutes}
    for sid, sub in new_subs.items():
        if sid not in old_subs:
            lines.append(f"{service}: '{title}' dapat diganti dengan {sub.label}.")
    for sid, sub in old_subs.items():
        if sid not in new_subs:
            lines.append(f"{service}: '{title}' tidak lagi dapat diganti dengan {sub.label}.")
    return lines


def _need(requirement: Requirement) -> str:
    if requirement.conditional:
        return "wajib dalam keadaan tertentu"
    return "wajib" if requirement.mandatory else "tidak wajib"


def _copy(kind: str) -> str:
    return {"asli": "asli", "fotokopi": "fotokopi", "asli_diperlihatkan": "fotokopi dengan asli diperlihatkan"}.get(
        kind, kind
    )
