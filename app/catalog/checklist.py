"""Which requirements, forms and eligibility conditions apply to one application's answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.catalog.model import Eligibility, Referral, Requirement, Service, Substitute
from app.findings import Finding
from app.forms.expr import Expression, Reference, Scope
from app.forms.registry import FormRegistry, default_registry

Row = Mapping[str, object]


@dataclass(frozen=True)
class ChecklistItem:
    """A requirement as it stands for these answers."""

    requirement: Requirement
    applies: bool
    conditional: bool
    reason: str
    substitutes: tuple[Substitute, ...]
    # The substitute these answers already call for ("" when none): one made of a form the service asks
    # for only when the requirement's document is missing (F-2.03 once there is no birth letter).
    suggested: str = ""

    def to_dict(self) -> dict[str, object]:
        """The CLI/wire form."""
        req = self.requirement
        return {
            "id": req.id,
            "title": req.title,
            "document": req.document.id,
            "form": req.document.form,
            "copy": req.copy,
            "applies": self.applies,
            "conditional": self.conditional,
            "reason": self.reason,
            "note": req.note,
            "substitutes": [
                {"id": s.id, "label": s.label, "documents": [d.id for d in s.documents]} for s in self.substitutes
            ],
        }


class AnswerScope:
    """Resolves catalogue condition names: `fakta.<id>` and `<alias>.<section>.<field>` of any form."""

    def __init__(self, answers: object, forms: FormRegistry, today: dt.date | None = None) -> None:
        data = answers if isinstance(answers, Mapping) else {}
        facts = data.get("fakta")
        self.facts: Mapping[str, object] = facts if isinstance(facts, Mapping) else {}
        self.by_alias: dict[str, Mapping[str, object]] = {}
        raw_forms = data.get("forms")
        for key, form_answers in raw_forms.items() if isinstance(raw_forms, Mapping) else []:
            form_id = str(key).split("@", 1)[0]
            if form_id in forms and isinstance(form_answers, Mapping):
                self.by_alias[forms.get(form_id).alias] = form_answers
        self.today = today or dt.date.today()

    def scope(self, row: Row | None = None) -> Scope:
        """A scope for expression evaluation (optionally inside one row of a repeating section)."""

        def resolve(ref: Reference) -> object:
            if row is not None and len(ref) == 1:
                return row.get(ref[0])
            if len(ref) == 2 and ref[0] == "fakta":
                return self.facts.get(ref[1])
            if len(ref) == 2:
                return self.rows(ref)
            if len(ref) == 3:
                section = self.by_alias.get(ref[0], {}).get(ref[1])
                return section.get(ref[2]) if isinstance(section, Mapping) else None
            return None

        return Scope(resolve, self.rows, lambda _group, inner: self.scope(inner), self.today)

    def rows(self, ref: Reference) -> Sequence[Row] | None:
        """The rows of a repeating section `<alias>.<section>`."""
        if len(ref) != 2:
            return None
        value = self.by_alias.get(ref[0], {}).get(ref[1])
        if not isinstance(value, list):
            return None
        return [r if isinstance(r, Mapping) else {} for r in value]

    def holds(self, expr: Expression) -> bool | None:
        """Evaluate a condition."""
        return expr.holds(self.scope())


def checklist(
    service: Service, answers: object, forms: FormRegistry | None = None, today: dt.date | None = None
) -> list[ChecklistItem]:
    """Every requirement of the service, marked as applying or not for these answers."""
    scope = AnswerScope(answers, forms or default_registry(), today)
    called_for = {use.form for use in service.forms if use.when is not None and scope.holds(use.when) is True}
    items = []
    for req in service.requirements:
        if isinstance(req.mandatory, bool):
            applies, reason = req.mandatory, "wajib" if req.mandatory else "tidak wajib"
        else:
            outcome = scope.holds(req.mandatory)
            applies = outcome is True
            reason = {
                True: "berlaku untuk isian ini",
                False: "tidak berlaku untuk isian ini",
                None: "belum dapat ditentukan: lengkapi isian formulir",
            }[outcome]
        waiver = next((w for w in req.unless if scope.holds(w.when) is True), None) if applies else None
        if waiver is not None:
            applies, reason = False, f"tidak berlaku: {waiver.reason}"
        elif applies and req.unless and reason == "wajib":
            reason = "wajib untuk isian ini"
        substitutes = tuple(s for s in req.substitutes if s.when is None or scope.holds(s.when) is True)
        suggested = next((s.id for s in substitutes if called_for & {d.form for d in s.documents}), "")
        items.append(ChecklistItem(req, applies, req.conditional, reason, substitutes, suggested))
    return items


def required_forms(
    service: Service, answers: object, forms: FormRegistry | None = None, today: dt.date | None = None
) -> list[str]:
    """The forms the officer fills for these answers (conditional forms only when their condition holds)."""
    scope = AnswerScope(answers, forms or default_registry(), today)
    return [use.form for use in service.forms if use.when is None or scope.holds(use.when) is True]


def eligibility(
    service: Service, answers: object, forms: FormRegistry | None = None, today: dt.date | None = None
) -> list[Finding]:
    """Findings for eligibility conditions that definitely do not hold (unknown answers give none)."""
    scope = AnswerScope(answers, forms or default_registry(), today)
    return [
        Finding(f"eligibility.{item.id}", item.id, "error", referral_message(item))
        for item in service.eligibility
        if scope.holds(item.check) is False
    ]


def referral_message(item: Eligibility) -> str:
    """The finding's message: the rule's own, and for a referral where the citizen goes instead."""
    if item.referral is None:
        return item.message
    return f"{item.message} Rujuk pemohon ke {item.referral.office.title} ({item.referral.articles})."


@dataclass(frozen=True)
class ActiveReferral:
    """A referral these answers call for: the case belongs to another office, not to this service."""

    service: Service
    rule: Eligibility
    referral: Referral

    def to_dict(self) -> dict[str, object]:
        """The CLI/wire form."""
        ref = self.referral
        return {
            "id": self.rule.id,
            "to": ref.office.id,
            "office": ref.office.title,
            "reason": ref.reason,
            "articles": ref.articles,
            "legal_basis": [b.id for b in ref.legal_basis],
            "next_step": ref.next_step,
            "message": self.rule.message,
        }


def referrals(
    service: Service, answers: object, forms: FormRegistry | None = None, today: dt.date | None = None
) -> list[ActiveReferral]:
    """The referrals whose eligibility rule definitely fails for these answers (unknown answers give none)."""
    scope = AnswerScope(answers, forms or default_registry(), today)
    return [
        ActiveReferral(service, item, item.referral)
        for item in service.eligibility
        if item.referral is not None and scope.holds(item.check) is False
    ]
