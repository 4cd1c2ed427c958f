"""The Dinas' intake and the outpost's review apply one rule to the applicant a form names
(app/applicant_check.py): what the review flags before Submit is exactly what the intake refuses."""

from __future__ import annotations

from collections.abc import Callable

from app.applicant_check import review_findings
from app.forms import evaluate
from sync.protocol import ApplicationPackage, FormAnswers
from sync.server.reference import Reference
from sync.server.validation import validate
from tests.unit.sync.conftest import TODAY, Made

# Edits of one form's `pemohon` section, and the fields each puts at odds with the header.
Edit = dict[str, Callable[[object], str]]
EDITS: dict[str, tuple[Edit, set[str]]] = {
    "as carried": ({}, set()),
    "name in other case and spacing": ({"nama": lambda v: "  " + str(v).lower().replace(" ", "   ") + " "}, set()),
    "NIK and KK with separators": (
        {
            "nik": lambda v: " ".join(str(v)[i : i + 4] for i in range(0, 16, 4)),
            "no_kk": lambda v: f"{v}"[:8] + "." + f"{v}"[8:],
        },
        set(),
    ),
    "name corrected in the form only": ({"nama": lambda v: f"{v} PUTRI"}, {"pemohon.nama"}),
    "NIK corrected in the form only": (
        {"nik": lambda v: str(v)[:-1] + ("2" if str(v)[-1] != "2" else "3")},
        {"pemohon.nik"},
    ),
    "KK emptied in the form (no contradiction: the form's own check asks for it)": ({"no_kk": lambda _v: ""}, set()),
}


def _edited(package: ApplicationPackage, form: str, edit: Edit) -> ApplicationPackage:
    forms = []
    for given in package.forms:
        answers = dict(given.answers)
        if given.form == form:
            pemohon = dict(answers["pemohon"])
            for field_id, change in edit.items():
                pemohon[field_id] = change(pemohon.get(field_id, ""))
            answers["pemohon"] = pemohon
        forms.append(FormAnswers(form=given.form, schema_version=given.schema_version, answers=answers))
    return package.model_copy(update={"forms": forms})


def test_the_intake_refuses_exactly_what_the_review_flags(reference: Reference, made_packages: list[Made]) -> None:
    checked = 0
    for made in made_packages:
        for given in made.package.forms:
            schema = reference.forms.get(given.schema_version)
            if schema.section("pemohon") is None or not isinstance(given.answers.get("pemohon"), dict):
                continue
            for name, (edit, expected) in EDITS.items():
                package = _edited(made.package, given.form, edit)
                server = {
                    r.path.removeprefix(f"{given.form}:")
                    for r in validate(package, reference, TODAY)
                    if r.code == "applicant_mismatch" and r.path.startswith(f"{given.form}:")
                }
                answers = next(f.answers for f in package.forms if f.form == given.form)
                visible = evaluate(schema, answers, TODAY).visible
                outpost = {f.path for f in review_findings(given.form, package.applicant, schema, answers, visible)}
                assert server == outpost == expected, (given.form, name, server, outpost)
                checked += 1
    assert checked >= len(EDITS), "the packages have a form with a pemohon section"
