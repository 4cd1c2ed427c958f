"""The back office's view of a package: labels instead of codes, member tables, findings beside their fields,
reason targets the outpost understands, requirements with pages, the revision diff, and the Jinja2 macros."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from app.catalog import checklist
from app.demo.answers import DemoCase, build_case
from app.demo.people import PeopleGenerator
from app.forms import evaluate
from app.regions import default_index
from sync.protocol import ApplicationPackage, AttachedDocument, FormAnswers, PageRef, Reason
from sync.server.backoffice import formview
from sync.server.backoffice.formview import FieldView, FormView, SectionView
from sync.server.reference import Reference
from ui.editor.reasons import field_of, parse_reasons

TODAY = dt.date(2026, 11, 22)
KK_BARU = 4
LAHIR = 21
TEMPLATES = Path(formview.__file__).parent / "templates"


@pytest.fixture(scope="module")
def reference() -> Reference:
    return Reference.load()


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def make_case(service_number: int, reference: Reference, seed: int = 7) -> DemoCase:
    return build_case(reference.catalog.service(service_number), PeopleGenerator(seed, today=TODAY))


def make_package(
    case: DemoCase, reference: Reference, revision: int = 1, substitutes: dict[str, str] | None = None
) -> ApplicationPackage:
    """A package as the outpost sends it: the demo answers and two pages for every requirement that applies."""
    documents = []
    for item in checklist(case.service, case.catalog_answers(), reference.forms, TODAY):
        if not item.applies:
            continue
        requirement = item.requirement
        substitute = next((s for s in requirement.substitutes if s.id == (substitutes or {}).get(requirement.id)), None)
        document = substitute.documents[0] if substitute is not None else requirement.document
        pages = [
            PageRef(sha256=sha(f"{requirement.id}-{n}"), size=1000 + n, position=n, media_type="image/png")
            for n in (2, 1)  # given out of order: the view sorts by position
        ]
        documents.append(
            AttachedDocument(
                requirement_id=requirement.id,
                substitute_id=substitute.id if substitute is not None else "",
                document_id=document.id,
                pages=pages,
            )
        )
    return ApplicationPackage(
        item_id=str(uuid.uuid4()),
        client_id=str(uuid.uuid4()),
        revision=revision,
        service_code=case.service.code,
        submitted_at=dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC),
        forms=[
            FormAnswers(form=form, schema_version=reference.forms.get(form).key, answers=answers)
            for form, answers in case.forms.items()
        ],
        facts=case.facts,
        documents=documents,
    )


def with_answers(package: ApplicationPackage, form: str, answers: dict[str, Any]) -> ApplicationPackage:
    forms = [f.model_copy(update={"answers": answers}) if f.form == form else f for f in package.forms]
    return package.model_copy(update={"forms": forms})


def answers_of(package: ApplicationPackage, form: str) -> dict[str, Any]:
    return copy.deepcopy(next(f.answers for f in package.forms if f.form == form))


def form_view(views: list[FormView], form: str) -> FormView:
    return next(v for v in views if v.form == form)


def section_view(view: FormView, section_id: str) -> SectionView:
    return next(s for s in view.sections if s.id == section_id)


def field_view(view: FormView, section_id: str, field_id: str) -> FieldView:
    return next(f for f in section_view(view, section_id).fields if f.id == field_id)


# -- forms -------------------------------------------------------------------------------------------------
def test_kk_baru_shows_labels_dates_regions_and_a_member_table(reference: Reference) -> None:
    case = make_case(KK_BARU, reference)
    package = make_package(case, reference)
    views = formview.render_forms(package.model_dump(mode="json"), reference, TODAY)  # stored JSON works too
    assert [v.form for v in views] == [f for f in case.service.form_ids if f in case.forms]  # the service's order
    assert [v.form for v in views][:2] == ["F-1.02", "F-1.01"]
    f101 = form_view(views, "F-1.01")
    assert f101.title == "Formulir Biodata Keluarga" and f101.key == "F-1.01@PMDN109-2019"
    header = answers_of(package, "F-1.01")["header"]
    region = default_index().get(header["kode_desa"])
    assert region is not None
    desa = field_view(f101, "header", "kode_desa")
    assert desa.value == f"{header['kode_desa']} – {region.name}"
    assert desa.number == "12" and desa.path == "F-1.01:header.kode_desa"

    members = section_view(f101, "anggota")
    assert members.table is not None and not members.fields
    labels = [c.label for c in members.table.columns]
    rows = answers_of(package, "F-1.01")["anggota"]
    assert len(members.table.rows) == len(rows)
    sex = labels.index("Jenis Kelamin")
    born = labels.index("Tanggal, Bulan, Tahun Lahir")
    for row, answers in zip(members.table.rows, rows, strict=True):
        assert row.cells[sex].value == {1: "LAKI-LAKI", 2: "PEREMPUAN"}[answers["jenis_kelamin"]]
        year, month, day = answers["tanggal_lahir"].split("-")
        assert row.cells[born].value == f"{day}-{month}-{year}"
        assert row.cells[sex].path == f"F-1.01:anggota[{row.number - 1}].jenis_kelamin"

    f102 = form_view(views, "F-1.02")
    assert field_view(f102, "pemohon", "no_kk").number == "3"
    assert field_view(f102, "pemohon", "status_kawin").value not in (
        "",
        str(answers_of(package, "F-1.02")["pemohon"]["status_kawin"]),
    )
    assert field_view(f102, "pemohon", "tanggal_lahir").app_only


def test_empty_optional_fields_are_quiet_and_empty_required_ones_missing(reference: Reference) -> None:
    case = make_case(KK_BARU, reference)
    package = make_package(case, reference)
    answers = answers_of(package, "F-1.01")
    answers["header"].pop("telepon", None)
    answers["header"]["nama_kepala_keluarga"] = ""
    view = form_view(formview.render_forms(with_answers(package, "F-1.01", answers), reference, TODAY), "F-1.01")
    phone = field_view(view, "header", "telepon")
    assert (phone.value, phone.quiet, phone.missing, phone.findings) == ("", True, False, ())
    head = field_view(view, "header", "nama_kepala_keluarga")
    assert (head.value, head.quiet, head.missing) == ("", False, True)
    assert [f.code for f in head.findings] == ["required"]
    assert head.findings[0].path == "F-1.01:header.nama_kepala_keluarga"


def test_a_wrong_answer_has_its_finding_beside_the_field_it_concerns(reference: Reference) -> None:
    case = make_case(KK_BARU, reference)
    package = make_package(case, reference)
    answers = answers_of(package, "F-1.01")
    answers["anggota"][1]["jenis_kelamin"] = 9
    view = form_view(formview.render_forms(with_answers(package, "F-1.01", answers), reference, TODAY), "F-1.01")
    table = section_view(view, "anggota").table
    assert table is not None
    sex = [c.id for c in table.columns].index("jenis_kelamin")
    cell = table.rows[1].cells[sex]
    assert cell.value == "9" and "unknown_code" in [f.code for f in cell.findings]
    assert {f.path for f in cell.findings} == {"F-1.01:anggota[1].jenis_kelamin"}
    assert not table.rows[0].cells[sex].findings
    assert view.errors >= 1


def test_birth_registration_omits_hidden_sections_and_flags_a_future_birth_date(reference: Reference) -> None:
    case = make_case(LAHIR, reference)
    package = make_package(case, reference)
    answers = answers_of(package, "F-2.01")
    answers["kelahiran"]["tanggal_lahir"] = "2027-01-05"
    package = with_answers(package, "F-2.01", answers)
    view = form_view(formview.render_forms(package, reference, TODAY), "F-2.01")
    evaluation = evaluate(reference.forms.get("F-2.01"), answers, TODAY)
    assert {s.id for s in view.sections} == evaluation.visible_sections
    assert "perkawinan" not in evaluation.visible_sections  # a birth shows no marriage block
    shown = {f.path for s in view.sections for f in s.fields}
    assert shown == {f"F-2.01:{p}" for p in evaluation.visible if "[" not in p}
    assert field_view(view, "laporan", "jenis_pelaporan").value == "Kelahiran"
    born = field_view(view, "kelahiran", "tanggal_lahir")
    assert born.value == "05-01-2027"
    assert "future_date" in [f.code for f in born.findings]


def test_an_unknown_form_version_is_a_finding_not_a_crash(reference: Reference) -> None:
    package = make_package(make_case(KK_BARU, reference), reference)
    odd = package.model_copy(
        update={"forms": [package.forms[0].model_copy(update={"schema_version": "F-1.02@PMDN999-2099"})]}
    )
    [view] = formview.render_forms(odd, reference, TODAY)
    assert not view.known and view.sections == () and view.findings[0].code == "unknown_form_version"
    codes = [f.code for f in formview.application_findings(odd, reference, TODAY)]
    assert "form_missing" in codes  # F-1.01 is needed for a new KK


# -- reason choices ------------------------------------------------------------------------------------------
def outpost_place(reference: Reference, form: str, path: str) -> str:
    """The outpost editor's own wording of a field reason (ui/editor/editor.py `_place`)."""
    found = field_of(reference.forms.get(form), path)
    assert found is not None, path
    section, row, spec = found
    where = section.title + (f", baris ke-{row + 1}" if row is not None else "")
    number = f"{spec.col}. " if spec.col is not None else ""
    return f"{form} › {where} › {number}{spec.label}"


@pytest.mark.parametrize("service", [KK_BARU, LAHIR])
def test_every_reason_choice_is_understood_by_the_outpost(reference: Reference, service: int) -> None:
    case = make_case(service, reference)
    package = make_package(case, reference)
    choices = formview.reason_choices(package, reference, TODAY)
    assert len({c.value for c in choices}) == len(choices)
    requirement_ids = {r.id for r in case.service.requirements}
    fields = 0
    for choice in choices:
        reason = Reason(**formview.parse_choice(choice.value), message="Perbaiki.")
        [parsed] = parse_reasons([reason.model_dump()])
        if choice.group == "Persyaratan":
            assert parsed.requirement in requirement_ids and parsed.target == ("", f"requirement:{parsed.requirement}")
            assert choice.label == case.service.requirement(parsed.requirement).title  # type: ignore[union-attr]
            continue
        fields += 1
        assert parsed.form and choice.value == f"{parsed.form}:{parsed.path}"
        assert choice.label == outpost_place(reference, parsed.form, parsed.path)
    visible = sum(len(evaluate(reference.forms.get(f), a, TODAY).visible) for f, a in case.forms.items())
    assert fields == visible
    assert {c.value for c in choices} >= {f"persyaratan:{r}" for r in requirement_ids}
    assert "F-1.02:pemohon.no_kk" in {c.value for c in choices} or service != KK_BARU


def test_member_rows_are_reason_targets_with_their_row(reference: Reference) -> None:
    package = make_package(make_case(KK_BARU, reference), reference)
    choices = {c.value: c.label for c in formview.reason_choices(package, reference, TODAY)}
    assert (
        choices["F-1.01:anggota[1].nik"]
        == "F-1.01 › Anggota Keluarga, baris ke-2 › "
        + (outpost_place(reference, "F-1.01", "anggota[1].nik").rsplit(" › ", 1)[1])
    )


def test_parse_choice(reference: Reference) -> None:
    assert formview.parse_choice("F-1.02:pemohon.no_kk") == {"path": "F-1.02:pemohon.no_kk"}
    assert formview.parse_choice("F-1.01:anggota[3].nik") == {"path": "F-1.01:anggota[3].nik"}
    assert formview.parse_choice("persyaratan:kk") == {"requirement": "kk"}
    assert formview.parse_choice(" ") == {}
    for bad in ("F-1.02:pemohon.nama<script>", "pemohon.nama", "persyaratan:", "F-1.02:", "x" * 300):
        with pytest.raises(ValueError):
            formview.parse_choice(bad)


# -- requirements --------------------------------------------------------------------------------------------
def test_requirements_with_substitute_and_pages_in_order(reference: Reference) -> None:
    case = make_case(LAHIR, reference)
    package = make_package(case, reference, substitutes={"surat_keterangan_kelahiran": "sptjm_f203"})
    views = {r.id: r for r in formview.render_requirements(package, reference, TODAY)}
    applying = [
        i.requirement.id for i in checklist(case.service, case.catalog_answers(), reference.forms, TODAY) if i.applies
    ]
    assert list(views) == applying
    birth = views["surat_keterangan_kelahiran"]
    assert birth.title == "Surat Keterangan Kelahiran" and birth.copy_label == "fotokopi, asli diperlihatkan"
    assert birth.mandatory and birth.applies and not birth.missing
    assert birth.substitute_id == "sptjm_f203" and birth.substitute_label.startswith("SPTJM")
    assert [p.position for p in birth.pages] == [1, 2]
    assert [p.sha256 for p in birth.pages] == [sha("surat_keterangan_kelahiran-1"), sha("surat_keterangan_kelahiran-2")]
    assert birth.pages[0].media_type == "image/png" and birth.pages[0].document_id == "sptjm_kelahiran"
    assert birth.choice == "persyaratan:surat_keterangan_kelahiran"
    assert views["kk"].substitute_label == "" and views["kk"].copy_label == "fotokopi"


def test_a_requirement_without_pages_is_missing_and_stray_pages_are_shown(reference: Reference) -> None:
    package = make_package(make_case(LAHIR, reference), reference)
    stray = AttachedDocument(
        requirement_id="tidak_ada",
        pages=[PageRef(sha256=sha("stray"), size=10, position=1, media_type="application/pdf")],
    )
    documents = [d for d in package.documents if d.requirement_id != "kk"] + [stray]
    views = {
        r.id: r
        for r in formview.render_requirements(package.model_copy(update={"documents": documents}), reference, TODAY)
    }
    assert views["kk"].missing and views["kk"].pages == ()
    assert not views["tidak_ada"].known and not views["tidak_ada"].pages[0].is_image


# -- revision diff -------------------------------------------------------------------------------------------
def test_diff_of_two_revisions_one_field_changed_and_one_page_replaced(reference: Reference) -> None:
    case = make_case(KK_BARU, reference)
    first = make_package(case, reference)
    answers = answers_of(first, "F-1.01")
    old_address = answers["header"]["alamat"]
    answers["header"]["alamat"] = "JL. MERDEKA 17"
    second = with_answers(first, "F-1.01", answers)
    requirement = second.documents[0]
    replaced = [requirement.pages[0].model_copy(update={"sha256": sha("rescan")}), requirement.pages[1]]
    documents = [requirement.model_copy(update={"pages": replaced}), *second.documents[1:]]
    second = second.model_copy(update={"revision": 2, "documents": documents})

    diff = formview.diff_packages(first, second, reference, TODAY)
    assert (diff.old_revision, diff.new_revision, diff.empty) == (1, 2, False)
    [form] = diff.forms
    assert (form.form, form.status, form.rows) == ("F-1.01", "changed", ())
    [change] = form.changes
    assert (change.section, change.label, change.old, change.new) == (
        "Data Kepala Keluarga",
        "2. Alamat",
        old_address,
        "JL. MERDEKA 17",
    )
    assert change.path == "F-1.01:header.alamat"
    pages = {r.id: r for r in diff.requirements}
    moved = pages[requirement.requirement_id]
    assert [p.sha256 for p in moved.added] == [sha("rescan")]
    assert [p.position for p in moved.removed] == [2] and len(moved.unchanged) == 1
    assert [r.id for r in diff.requirements if r.changed] == [requirement.requirement_id]
    assert formview.diff_packages(first, first, reference, TODAY).empty


def test_diff_of_member_rows_added_removed_and_a_nik_corrected(reference: Reference) -> None:
    first = make_package(make_case(KK_BARU, reference), reference)
    answers = answers_of(first, "F-1.01")
    members = answers["anggota"]
    assert len(members) >= 3
    old_nik = members[0]["nik"]
    members[0]["nik"] = old_nik[:-1] + ("2" if old_nik[-1] != "2" else "3")  # a corrected NIK, same member
    removed = members.pop(1)
    members.append({**removed, "nik": "", "nama_lengkap": "ANAK BARU"})
    diff = formview.diff_packages(first, with_answers(first, "F-1.01", answers), reference, TODAY)
    [form] = diff.forms
    assert form.changes == ()
    kinds = [(r.kind, r.old_number, r.new_number) for r in form.rows]
    assert kinds == [("changed", 1, 1), ("added", None, len(members)), ("removed", 2, None)]
    corrected, added, gone = form.rows
    [change] = corrected.changes
    assert (change.label, change.old, change.new) == ("NIK", old_nik, members[0]["nik"])
    assert change.path == "F-1.01:anggota[0].nik"
    assert added.title == "ANAK BARU" and added.kind_label == "ditambahkan"
    assert gone.title == removed["nama_lengkap"] and all(c.new == "" for c in gone.changes)
    assert "2. Nama Lengkap" in [c.label for c in gone.changes]


# -- the macros ---------------------------------------------------------------------------------------------
class TagBalance(HTMLParser):
    """Checks that every non-void element the macros open is closed in order."""

    VOID = frozenset({"img", "br", "input", "meta", "link", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


def render(source: str, **context: object) -> str:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    html = env.from_string('{% from "_forms.html" import forms, requirements, reason_picker, diff %}' + source).render(
        **context
    )
    checker = TagBalance()
    checker.feed(html)
    checker.close()
    assert checker.stack == []
    return html


def page_url(sha256: str, size: str = "full") -> str:
    return f"/backoffice/halaman/{sha256}" + ("?ukuran=thumb" if size == "thumb" else "")


def test_macros_render_labels_tables_pages_and_escape_answers(reference: Reference) -> None:
    case = make_case(KK_BARU, reference)
    package = make_package(case, reference)
    answers = answers_of(package, "F-1.01")
    answers["header"]["alamat"] = "<script>alert(1)</script>"
    answers["anggota"][0]["jenis_kelamin"] = 9
    package = with_answers(package, "F-1.01", answers)
    html = render(
        "{{ forms(views) }}{{ requirements(reqs, page_url) }}"
        "{{ reason_picker(choices, 'alasan_', 'persyaratan:buku_nikah', 1) }}",
        views=formview.render_forms(package, reference, TODAY),
        reqs=formview.render_requirements(package, reference, TODAY),
        choices=formview.reason_choices(package, reference, TODAY),
        page_url=page_url,
    )
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "PEREMPUAN" in html and "Anggota Keluarga" in html and '<table class="lk-members">' in html
    assert "Nomor Kartu Keluarga" in html
    assert '<p class="finding error">' in html and "tidak ada dalam daftar" in html
    assert 'id="isian-F-1-01-anggota-0-jenis_kelamin"' in html
    assert 'class="lk-field quiet"' in html  # the empty telephone
    first = package.documents[0]
    assert f'href="{page_url(first.pages[1].sha256)}"' in html
    assert f'src="{page_url(first.pages[1].sha256, "thumb")}"' in html
    assert '<select name="alasan_1" id="alasan_1"' in html
    assert '<optgroup label="Persyaratan">' in html and '<optgroup label="F-1.01 Formulir Biodata Keluarga">' in html
    assert '<option value="persyaratan:buku_nikah" selected>' in html
    assert '<option value="F-1.02:pemohon.no_kk">F-1.02 › I. Data Pemohon › 3. Nomor Kartu Keluarga</option>' in html


def test_the_diff_macro_shows_old_and_new_values_and_pages(reference: Reference) -> None:
    first = make_package(make_case(KK_BARU, reference), reference)
    answers = answers_of(first, "F-1.01")
    answers["header"]["alamat"] = "JL. <b>BARU</b>"
    requirement = first.documents[0]
    replaced = [requirement.pages[0].model_copy(update={"sha256": sha("rescan")}), requirement.pages[1]]
    second = with_answers(first, "F-1.01", answers).model_copy(
        update={"revision": 2, "documents": [requirement.model_copy(update={"pages": replaced})]}
    )
    package_diff = formview.diff_packages(first, second, reference, TODAY)
    html = render("{{ diff(d) }}{{ diff(d, page_url) }}", d=package_diff, page_url=page_url)
    assert "Perubahan revisi 1 → 2" in html and "2. Alamat" in html
    assert "<ins>JL. &lt;b&gt;BARU&lt;/b&gt;</ins>" in html
    assert sha("rescan")[:12] in html and page_url(sha("rescan"), "thumb") in html
    assert "Ditambahkan" in html and "Dihapus" in html
