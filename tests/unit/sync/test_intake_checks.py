"""Issue 15, finding 5: the package header must name the applicant the forms name, and each page must be the
size of the stored document it names; otherwise the revision is `invalid` with a reason (real files, SQLite)."""

from __future__ import annotations

import uuid

from sync.protocol import ApplicationPackage, BatchRequest, FormAnswers
from sync.server.models import Application
from tests.unit.sync.conftest import Dinas, Made


def batch(package: ApplicationPackage) -> BatchRequest:
    return BatchRequest(batch_id=str(uuid.uuid4()), items=[package])


def test_a_header_naming_someone_else_than_the_forms_is_invalid(dinas: Dinas, made_packages: list[Made]) -> None:
    made = next(m for m in made_packages if {f.form for f in m.package.forms} & {"F-1.02", "F-1.03", "F-1.06"})
    dinas.store_documents(made)
    package = made.package
    other = package.applicant.model_copy(update={"name": "SITI AMINAH BINTI USMAN", "nik": "3521015507900001"})
    [result] = dinas.intake.commit(dinas.device, batch(package.model_copy(update={"applicant": other}))).results
    assert result.outcome == "invalid"
    mismatches = [r for r in result.reasons if r.code == "applicant_mismatch"]
    assert {r.path.split(":")[1] for r in mismatches} >= {"pemohon.nama", "pemohon.nik"}
    assert all("tidak sama" in r.message for r in mismatches)
    application = Application.get(Application.client_id == package.client_id)
    assert application.state == "returned" and application.registration_number is None


def test_the_same_name_in_other_case_and_spacing_is_the_same_applicant(dinas: Dinas, made_packages: list[Made]) -> None:
    made = made_packages[0]
    dinas.store_documents(made)
    applicant = made.package.applicant
    spaced = applicant.model_copy(update={"name": "  " + applicant.name.lower().replace(" ", "  ") + " "})
    [result] = dinas.intake.commit(dinas.device, batch(made.package.model_copy(update={"applicant": spaced}))).results
    assert result.outcome == "accepted", result.reasons


def test_a_form_whose_applicant_differs_from_the_header_is_invalid(dinas: Dinas, made_packages: list[Made]) -> None:
    made = next(m for m in made_packages if any(f.form == "F-1.03" for f in m.package.forms))
    dinas.store_documents(made)
    forms = []
    for given in made.package.forms:
        answers = dict(given.answers)
        if given.form == "F-1.03":
            answers["pemohon"] = {**answers["pemohon"], "no_kk": "3521010101200001"}
        forms.append(FormAnswers(form=given.form, schema_version=given.schema_version, answers=answers))
    [result] = dinas.intake.commit(dinas.device, batch(made.package.model_copy(update={"forms": forms}))).results
    assert result.outcome == "invalid"
    assert "F-1.03:pemohon.no_kk" in {r.path for r in result.reasons if r.code == "applicant_mismatch"}


def test_a_page_whose_size_is_not_the_stored_documents_is_invalid(dinas: Dinas, made_packages: list[Made]) -> None:
    made = made_packages[1]
    dinas.store_documents(made)
    documents = [d.model_copy(deep=True) for d in made.package.documents]
    page = documents[0].pages[0]
    documents[0].pages[0] = page.model_copy(update={"size": page.size + 1})
    changed = made.package.model_copy(update={"documents": documents})
    [result] = dinas.intake.commit(dinas.device, batch(changed)).results
    assert result.outcome == "invalid"
    [reason] = [r for r in result.reasons if r.code == "page_mismatch"]
    assert reason.requirement == documents[0].requirement_id and str(page.size) in reason.message
