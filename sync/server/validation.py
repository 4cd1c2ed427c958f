"""Re-validation of a submitted revision with the same engine the outpost used: forms, eligibility, documents."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

from app.applicant_check import CODE, mismatched_fields
from app.catalog import checklist, eligibility, required_forms
from app.forms import evaluate
from app.forms.schema import FormSchema
from app.identity import check_kk, check_nik
from sync.protocol import ApplicationPackage, Reason
from sync.server.reference import Reference

log = logging.getLogger("loket.sync.server")


def _reason(*, message: str, code: str = "", path: str = "", requirement: str = "") -> Reason:
    """A Reason with every text cut to the wire limits."""
    return Reason(path=path[:200], requirement=requirement[:64], code=code[:64], message=message[:1000] or "-")


def validate(package: ApplicationPackage, reference: Reference, today: dt.date) -> list[Reason]:
    """The reasons the package cannot be accepted (empty when it is valid). Never raises on bad content."""
    try:
        return _validate(package, reference, today)
    except Exception:  # the engine promises not to raise; if it does, tell the outpost, not a 500
        log.exception("validation failed unexpectedly for item %s", package.item_id)
        return [
            _reason(
                code="validation_failed",
                message="Permohonan tidak dapat diperiksa otomatis oleh server. Dinas akan memeriksanya; "
                "hubungi Dinas bila status tidak berubah.",
            )
        ]


def _validate(package: ApplicationPackage, reference: Reference, today: dt.date) -> list[Reason]:
    reasons: list[Reason] = []
    try:
        service = reference.catalog.service(package.service_code)
    except KeyError:
        return [
            _reason(
                code="unknown_service",
                message=f"Layanan '{package.service_code}' tidak dikenal oleh Dinas. Perbarui katalog layanan "
                "Loket lalu buat ulang permohonan.",
            )
        ]
    reasons += _applicant_reasons(package, today)
    answers_by_form: dict[str, object] = {}
    for given in package.forms:
        if given.form in answers_by_form:
            reasons.append(
                _reason(path=given.form, code="form_twice", message=f"Formulir {given.form} terkirim dua kali.")
            )
            continue
        try:
            schema = reference.forms.get(given.schema_version)
        except KeyError:
            reasons.append(
                _reason(
                    path=given.form,
                    code="unknown_form_version",
                    message=f"Versi formulir {given.schema_version} tidak dikenal oleh Dinas. Perbarui Loket.",
                )
            )
            continue
        if schema.form != given.form:
            reasons.append(
                _reason(
                    path=given.form,
                    code="form_version_mismatch",
                    message=f"Isian formulir {given.form} dikirim dengan versi {given.schema_version}.",
                )
            )
            continue
        answers_by_form[given.form] = given.answers
        evaluation = evaluate(schema, given.answers, today)
        for finding in evaluation.errors:
            reasons.append(_reason(path=f"{given.form}:{finding.path}", code=finding.code, message=finding.message))
        reasons += _header_against_form(package, given.form, schema, given.answers, evaluation.visible)
    catalog_answers = {"forms": answers_by_form, "fakta": package.facts}
    for form in required_forms(service, catalog_answers, reference.forms, today):
        if form not in answers_by_form and form not in {g.form for g in package.forms}:
            reasons.append(
                _reason(path=form, code="form_missing", message=f"Formulir {form} wajib diisi untuk layanan ini.")
            )
    for finding in eligibility(service, catalog_answers, reference.forms, today):
        reasons.append(_reason(path=finding.path, code=finding.code, message=finding.message))
    attached = {d.requirement_id for d in package.documents if d.pages}
    for item in checklist(service, catalog_answers, reference.forms, today):
        if item.applies and item.requirement.id not in attached:
            reasons.append(
                _reason(
                    requirement=item.requirement.id,
                    code="document_missing",
                    message=f"Dokumen persyaratan '{item.requirement.title}' belum dilampirkan. Pindai dokumen itu.",
                )
            )
    return reasons


def _applicant_reasons(package: ApplicationPackage, today: dt.date) -> list[Reason]:
    """The applicant header as the outpost's review checks it: a name, and a NIK and KK (when given) whose
    structure app.identity accepts; each reason at `applicant.name`, `applicant.nik` or `applicant.kk`."""
    applicant = package.applicant
    reasons = []
    if not applicant.name.strip():
        reasons.append(_reason(path="applicant.name", code="applicant_name_empty", message="Nama pemohon belum diisi."))
    checks = [("applicant.nik", check_nik(applicant.nik, today=today))] if applicant.nik.strip() else []
    checks += [("applicant.kk", check_kk(applicant.kk, today=today))] if applicant.kk.strip() else []
    for path, result in checks:
        reasons += [_reason(path=path, code=f.code, message=f.message) for f in result.errors]
    return reasons


def _header_against_form(
    package: ApplicationPackage, form: str, schema: FormSchema, answers: Mapping[str, object], visible: set[str]
) -> list[Reason]:
    """The header's applicant (name, NIK, KK: what the Dinas lists and searches) must be the one the form's
    `pemohon` section names (app.applicant_check: the rule the outpost's review applies before Submit);
    a header naming someone else is a reason at that form field."""
    return [
        _reason(
            path=f"{form}:{field.path}",
            code=CODE,
            message=f"Data pemohon ({field.label}) di kepala permohonan tidak sama dengan isian formulir {form}. "
            "Samakan data pemohon di langkah Pemohon dengan formulir, lalu kirim ulang.",
        )
        for field in mismatched_fields(package.applicant, schema, answers, visible)
    ]
