"""Whether an application may be submitted: every form checked, eligibility, mandatory documents.

One function used by the desktop app before it freezes a revision (and usable by the server): the
officer cannot submit while errors or missing mandatory documents remain, and must acknowledge every
warning explicitly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.catalog import ChecklistItem, Service, checklist, eligibility, required_forms
from app.findings import Finding
from app.forms import Evaluation, FormRegistry, default_registry, evaluate
from app.forms.pruning import evaluate_shown


@dataclass(frozen=True)
class Attached:
    """What was attached for one requirement: pages, and the substitute used instead (if any)."""

    pages: int
    substitute_id: str = ""


@dataclass
class SubmissionCheck:
    """Everything that stands between an application and its submission."""

    forms: dict[str, Evaluation] = field(default_factory=dict)
    eligibility: list[Finding] = field(default_factory=list)
    checklist: list[ChecklistItem] = field(default_factory=list)
    missing: list[ChecklistItem] = field(default_factory=list)

    @property
    def errors(self) -> list[tuple[str, Finding]]:
        """(form id or "", finding) pairs that block submission."""
        found = [(form, f) for form, result in self.forms.items() for f in result.errors]
        return found + [("", f) for f in self.eligibility]

    @property
    def warnings(self) -> list[tuple[str, Finding]]:
        """(form id, finding) pairs that need the officer's acknowledgement."""
        return [(form, f) for form, result in self.forms.items() for f in result.warnings]

    def warning_keys(self) -> list[str]:
        """Stable keys of the warnings, recorded in the audit when acknowledged."""
        return [warning_key(form, f) for form, f in self.warnings]

    def can_submit(self, acknowledged: set[str]) -> bool:
        """No errors, no missing mandatory document, every warning acknowledged."""
        return not self.errors and not self.missing and set(self.warning_keys()) <= acknowledged

    def blockers(self, acknowledged: set[str]) -> list[str]:
        """Why submission is refused, in Bahasa Indonesia, one line each."""
        lines = [f"{form + ': ' if form else ''}{f.message}" for form, f in self.errors]
        lines += [f"Dokumen wajib belum dilampirkan: {item.requirement.title}" for item in self.missing]
        pending = [key for key in self.warning_keys() if key not in acknowledged]
        if pending:
            lines.append(f"{len(pending)} peringatan belum dikonfirmasi petugas.")
        return lines


def warning_key(form: str, finding: Finding) -> str:
    """`F-1.01:anggota[0].nik:nik_sex_mismatch`."""
    return f"{form}:{finding.path}:{finding.code}"


def check_submission(
    service: Service,
    answers: Mapping[str, Mapping[str, object]],
    facts: Mapping[str, object],
    attached: Mapping[str, Attached],
    today: dt.date | None = None,
    forms: FormRegistry | None = None,
) -> SubmissionCheck:
    """Check the application as it stands, with the form schemas of its catalogue version (`forms`)."""
    registry = forms or default_registry()
    # The answers as the Dinas will receive them: a hidden field's answer is not sent (sync.client.package
    # prunes it), so it neither counts here nor feeds the catalogue's conditions.
    shown: dict[str, Mapping[str, object]] = {}
    evaluations: dict[str, Evaluation] = {}
    for form, form_answers in answers.items():
        if form in registry:
            shown[form], evaluations[form] = evaluate_shown(registry.get(form), form_answers, today or dt.date.today())
        else:
            shown[form] = form_answers
    combined = {"forms": shown, "fakta": dict(facts)}
    result = SubmissionCheck()
    for form in required_forms(service, combined, registry, today):
        found = evaluations.get(form)
        result.forms[form] = found if found is not None else evaluate(registry.get(form), {}, today)
    result.eligibility = eligibility(service, combined, registry, today)
    result.checklist = checklist(service, combined, registry, today)
    for item in result.checklist:
        given = attached.get(item.requirement.id)
        if item.applies and (given is None or given.pages == 0):
            result.missing.append(item)
    return result
