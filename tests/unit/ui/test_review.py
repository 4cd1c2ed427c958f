"""One rule for errors: every error on every tab, the applicant page included, is in the review and blocks
Submit (the button and Ctrl+Enter)."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterator

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.catalog import load_catalog
from app.demo.answers import build_case
from app.demo.people import PeopleGenerator
from app.findings import Finding
from app.forms import FormSchema, default_registry, evaluate
from app.submission import SubmissionCheck
from tests.unit.ui.editors import EditorMaker, make_editor  # noqa: F401 - the fixture
from ui.editor.review import PATH_ROLE, ReviewPage

# A value of no field's type, and a text longer than any field takes.
BAD_VALUES: tuple[object, ...] = ({"not": "an answer"}, "x" * 2000)


def _listed(review: ReviewPage) -> set[tuple[str, str]]:
    out = set()
    for index in range(review.errors.count()):
        data = review.errors.item(index).data(PATH_ROLE)
        if data:
            out.add((str(data[0]), str(data[1])))
    return out


def _with(answers: dict[str, object], path: str, value: object) -> dict[str, object]:
    """A copy of the answers with one field (`section.field` or `section[row].field`) set to `value`."""
    out = copy.deepcopy(answers)
    head, _, field_id = path.rpartition(".")
    section_id, _, row = head.partition("[")
    if row:
        rows = out.setdefault(section_id, [])
        assert isinstance(rows, list)
        index = int(row.rstrip("]"))
        while len(rows) <= index:
            rows.append({})
        rows[index][field_id] = value
    else:
        section = out.setdefault(section_id, {})
        assert isinstance(section, dict)
        section[field_id] = value
    return out


def _field_of(path: str) -> str:
    """`anggota[2].nik` -> `anggota.nik`."""
    return re.sub(r"\[\d+\]", "", path)


def _bases() -> dict[str, list[dict[str, object]]]:
    """Answers under which the fields show: nothing, and whole demo applications of every service (the
    fields behind a choice, e.g. F-2.01's sections per kind of report, show only when it is made)."""
    registry = default_registry()
    bases: dict[str, list[dict[str, object]]] = {form: [{}] for form in registry.forms()}
    for service in load_catalog().services:
        for seed in (1, 2):
            case = build_case(service, PeopleGenerator(seed, today=dt.date.today()))
            for form, answers in case.forms.items():
                bases.setdefault(form, []).append(copy.deepcopy(dict(answers)))
    return bases


def _walk(schema: FormSchema, bases: list[dict[str, object]]) -> Iterator[dict[str, object]]:
    """Answers that put one field at a time in error: nothing given (required fields), then bad values in
    every field that shows, each field under the first base that shows it."""
    done: set[str] = set()
    for base in bases:
        yield base
        visible = set(evaluate(schema, base).visible)
        paths = set(visible)
        for section in schema.sections if not base else ():  # a value can make a field show and be wrong
            for spec in section.fields:
                paths.add(f"{section.id}[0].{spec.id}" if section.repeating else f"{section.id}.{spec.id}")
        for path in sorted(paths):
            if _field_of(path) in done:
                continue
            if path in visible:
                done.add(_field_of(path))
            for bad in BAD_VALUES:
                yield _with(base, path, bad)


def test_every_field_the_engine_can_flag_is_listed_in_the_review_and_blocks_submit(qtbot: QtBot) -> None:
    registry = default_registry()
    review = ReviewPage()
    qtbot.addWidget(review)
    flagged: dict[str, set[str]] = {}
    shown: dict[str, set[str]] = {}
    for form, bases in _bases().items():
        schema = registry.get(form)
        for answers in _walk(schema, bases):
            evaluation = evaluate(schema, answers)
            shown.setdefault(form, set()).update(_field_of(p) for p in evaluation.visible)
            new = {_field_of(f.path) for f in evaluation.errors} - flagged.get(form, set())
            if not new:
                continue  # every field in error here was seen in the review already
            review.show_check(SubmissionCheck(forms={schema.form: evaluation}), "")
            expected = {(schema.form, f.path) for f in evaluation.errors}
            assert expected <= _listed(review), expected - _listed(review)
            assert not review.submit_button.isEnabled()
            flagged.setdefault(form, set()).update(_field_of(f.path) for f in evaluation.errors)
    # The walk reached every form and, in each, nearly every field that shows.
    assert set(flagged) == set(registry.forms())
    for form, fields in flagged.items():
        missed = shown[form] - fields
        assert len(missed) <= len(shown[form]) // 10, (form, sorted(missed))


def test_an_applicant_error_is_in_the_review_and_blocks_submit_and_ctrl_enter(
    qtbot: QtBot,
    make_editor: EditorMaker,  # noqa: F811 - the fixture
) -> None:
    """A NIK with day 72 showed red on the Pemohon tab, yet the review said "Tidak ada kesalahan"."""
    editor = make_editor("KTPEL-BARU-WNI")
    editor.show()
    page = editor.applicant
    cases = {
        "applicant.name": ("", "3521015705080001", ""),  # no name
        "applicant.nik": ("DEWI", "3521017205080001", ""),  # day 72 of a woman's NIK is 32: no such day
        "applicant.kk": ("DEWI", "", "3521"),  # a KK of four digits
    }
    for path, (name, nik, kk) in cases.items():
        page.load(name, nik, kk)
        result = editor.recheck()
        assert path in {f.path for _form, f in result.errors}, path
        assert ("", path) in _listed(editor.review), path
        assert not editor.review.submit_button.isEnabled()
        text = " ".join(editor.review.errors.item(i).text() for i in range(editor.review.errors.count()))
        assert "Tidak ada kesalahan" not in text and "Pemohon ·" in text
        # The review's line takes the officer to the field.
        item = next(
            editor.review.errors.item(i)
            for i in range(editor.review.errors.count())
            if editor.review.errors.item(i).data(PATH_ROLE) == ("", path)
        )
        editor.review._activated(item)
        assert editor.tabs.currentWidget() is page
        target = {"applicant.name": page.name, "applicant.nik": page.nik, "applicant.kk": page.kk}[path]
        assert editor.window().focusWidget() is target  # the window's focus (offscreen windows are not active)
        submitted: list[str] = []
        editor.submitted.connect(submitted.append)
        editor.tabs.setCurrentWidget(editor.review)
        qtbot.keyClick(editor.review, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        editor.submit([])  # what Ctrl+Enter calls when the button is enabled: refused as well
        assert not submitted
        editor.submitted.disconnect(submitted.append)
    # The NIK's message stands under the NIK, not under Nomor KK.
    page.load("DEWI", "3521017205080001", "")
    page.check_identifiers()
    assert page.nik_message.isVisibleTo(page) and "tanggal" in page.nik_message.text().lower()
    assert not page.kk_message.isVisibleTo(page)


def test_an_applicant_corrected_only_in_a_form_is_in_the_review_and_blocks_submit(
    qtbot: QtBot,
    make_editor: EditorMaker,  # noqa: F811 - the fixture
) -> None:
    """The Dinas refuses a package whose header names another applicant than a form's `pemohon` section
    (applicant_mismatch); the review says so first, at the form's field, by the same rule."""
    editor = make_editor("KTPEL-BARU-WNI")
    editor.show()
    editor.applicant.load("DEWI LESTARI", "3521015705080001", "3521010101100009")
    editor.tabs.setCurrentWidget(editor.requirements)  # leaving the applicant page carries them into F-1.02
    f102 = editor.form_view("F-1.02")
    assert f102.rows["pemohon.nama"].editor.value() == "DEWI LESTARI"

    def mismatches() -> set[tuple[str, str]]:
        editor.recheck()
        items = [editor.review.errors.item(i) for i in range(editor.review.errors.count())]
        return {item.data(PATH_ROLE) for item in items if "berbeda dengan halaman Pemohon" in item.text()}

    f102.rows["pemohon.nama"].editor.set_value("dewi  lestari")  # the same name to the Dinas
    f102.check()
    assert mismatches() == set()

    f102.rows["pemohon.nama"].editor.set_value("DEWI LESTARI PUTRI")  # corrected in the form only
    f102.rows["pemohon.no_kk"].editor.set_value("3521010101100010")
    f102.check()
    assert mismatches() == {("F-1.02", "pemohon.nama"), ("F-1.02", "pemohon.no_kk")}
    texts = [editor.review.errors.item(i).text() for i in range(editor.review.errors.count())]
    assert any("Nama pemohon di formulir F-1.02 berbeda dengan halaman Pemohon" in t for t in texts), texts
    assert not editor.review.submit_button.isEnabled()
    submitted: list[str] = []
    editor.submitted.connect(submitted.append)
    editor.submit([])  # what Ctrl+Enter calls when the button is enabled: refused as well
    assert not submitted

    # The review's line takes the officer to the form's field.
    item = next(
        editor.review.errors.item(i)
        for i in range(editor.review.errors.count())
        if editor.review.errors.item(i).data(PATH_ROLE) == ("F-1.02", "pemohon.nama")
    )
    editor.review._activated(item)
    focused = editor.window().focusWidget()
    field = f102.rows["pemohon.nama"].editor
    assert focused is not None and (focused is field or field.isAncestorOf(focused))

    # Correcting the applicant page instead (what the Dinas lists and searches) settles it too.
    editor.applicant.load("Dewi Lestari Putri", "3521015705080001", "3521010101100010")
    assert mismatches() == set()


def test_an_applicant_finding_is_an_error_of_the_application() -> None:
    check = SubmissionCheck(eligibility=[Finding("applicant.nik", "nik_birth_day", "error", "Tanggal salah")])
    assert check.blockers(set()) == ["Tanggal salah"]


def test_the_review_opens_on_the_first_warning_to_tick_when_nothing_needs_fixing(qtbot: QtBot) -> None:
    """Alt+9 puts the keyboard where the officer goes: Submit when it may be pressed, the first warning
    still to tick when only ticks stand in the way (Space ticks, Down goes on), else the errors."""
    from app.forms.engine import Evaluation

    page = ReviewPage()
    qtbot.addWidget(page)
    page.show()
    warnings = [Finding(f"anggota[0].nama_{who}", "name_single_word", "warning", "Nama satu kata") for who in "ab"]
    check = SubmissionCheck(forms={"F-1.01": Evaluation("F-1.01", "v", findings=warnings)})
    page.show_check(check, "")
    page.warnings.item(0).setCheckState(Qt.CheckState.Checked)  # one already ticked
    page.focus_first()
    qtbot.waitUntil(page.warnings.hasFocus, timeout=5000)
    assert page.warnings.currentRow() == 1
    page.show_check(check, "")  # a recheck (the autosave's) keeps the place
    assert page.warnings.currentRow() == 1
    qtbot.keyClick(page.warnings, Qt.Key.Key_Space)
    assert page.submit_button.isEnabled()
    page.focus_first()
    qtbot.waitUntil(page.submit_button.hasFocus, timeout=5000)
    error = Finding("anggota[0].nik", "nik_invalid", "error", "NIK salah")
    page.show_check(SubmissionCheck(forms={"F-1.01": Evaluation("F-1.01", "v", findings=[error, *warnings])}), "")
    page.focus_first()
    qtbot.waitUntil(page.errors.hasFocus, timeout=5000)
