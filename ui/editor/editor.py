"""One application being filled in: applicant, the service's forms, requirements, review and submit.

Every change is saved through the task runner (answers debounced by the Autosaver, so a crash or
power cut loses at most the last second of typing). Submit re-checks everything first.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path

import shiboken6
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from app.applicant_check import ApplicantHeader, check_forms
from app.catalog import ActiveReferral, Service, referrals, required_forms
from app.documents.pipeline import StoreFields
from app.errors import KnownError
from app.reference import library_at
from app.store import Store
from app.store import applications as apps
from app.store.autosave import Autosaver
from app.submission import Attached, SubmissionCheck, check_submission
from app.views.editing import Bundle
from ui import palette
from ui.editor.applicant import ApplicantPage
from ui.editor.card_read import CardReadFlow
from ui.editor.prefill import Prefill
from ui.editor.reasons import DinasReason, field_of, parse_reasons
from ui.editor.requirements import RequirementsPage
from ui.editor.review import ReviewPage
from ui.forms.view import FormView
from ui.tasks import TaskRunner


def read_pages(paths: list[str], document_id: str = "") -> list[tuple[bytes, StoreFields]]:
    """Imported files (images, PDFs) through the document pipeline: (page bytes, attach_page fields).

    document_id, the catalogue document the requirement holds, decides the paper: a KK is an A4 or F4 sheet,
    never an ID-1 card (a photographed KK lying landscape looks like one), a KTP-el is a card.
    Raises a known error naming the file that cannot be read; nothing is stored then."""
    from app.capture.files import file_pages  # noqa: PLC0415 - OpenCV only when importing
    from app.documents import process_page  # noqa: PLC0415
    from app.documents.paper import paper_for_document, papers_for_document  # noqa: PLC0415
    from app.documents.pipeline import Options  # noqa: PLC0415

    options = Options(find="optional", paper=paper_for_document(document_id), papers=papers_for_document(document_id))
    pages = []
    for path in paths:
        for raw in file_pages(path):
            # An imported file may be a scan or a photo: look for the page, and take the whole picture when
            # none stands out (as the capture dialog and `python -m app.documents` do; the default, a camera
            # frame's "required", cropped a flat KK to its member table's frame).
            processed = process_page(raw.image, source="file", source_dpi=raw.dpi, options=options)
            pages.append((processed.data, processed.store_fields()))
    return pages


REQUIREMENTS_NUMBER = 8  # Alt+8, whichever forms the service shows
REVIEW_NUMBER = 9  # Alt+9


class ApplicationEditor(QWidget):
    """The editor of one application's current revision."""

    submitted = Signal(str)  # client id
    status = Signal(str)  # a message for the status bar

    def __init__(
        self, runner: TaskRunner, store: Store, service: Service, bundle: Bundle, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.store = store
        self.service = service
        self.application = bundle.application
        self.answers: dict[str, dict[str, object]] = dict(bundle.answers)
        self.facts: dict[str, object] = dict(bundle.facts)
        self.attached: dict[str, Attached] = dict(bundle.attached)
        # The catalogue version the application was started with: its drafts and amendments keep it.
        self.reference = library_at(store.paths.reference).get(self.application.catalog_version)
        self.registry = self.reference.forms
        self.autosaver = Autosaver(self._save_form)
        self.check_result: SubmissionCheck | None = None
        self.frozen = False  # submitted: nothing more to save
        self.save_error = ""  # why the last save failed (a full disk): closing then loses typing
        self.carry = Prefill(self)  # carry-over declared in the schemas and catalogue (ui/editor/prefill.py)
        self._shown_tab: QWidget | None = None  # the tab shown before the current one

        self.tabs = QTabWidget()
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff4e5; border: 1px solid #e0a040; padding: 6px;")
        self.reasons = parse_reasons(bundle.reasons)
        self.banner.setVisible(bool(self.reasons))
        self.banner.linkActivated.connect(self._reason_clicked)
        if self.reasons:
            self.banner.setText(self._banner_html())
        self.applicant = ApplicantPage(runner, service)
        self.applicant.load(
            self.application.applicant_name, self.application.applicant_nik, self.application.applicant_kk
        )
        self.applicant.changed.connect(self._applicant_changed)
        self.applicant.prefill.connect(self._prefill_forms)
        self.applicant.print_referral.connect(self.print_referral)
        self.tabs.addTab(self.applicant, self.tr("Pemohon"))
        self.forms: dict[str, FormView] = {}
        self._placeholders: dict[str, QLabel] = {}
        self.requirements = RequirementsPage(service, self.facts)
        self.requirements.dinas_notes = {r.requirement: r.message for r in self.reasons if r.requirement}
        self.requirements.facts_changed.connect(self._facts_changed)
        self.requirements.attach_requested.connect(self.attach_files)
        self.requirements.capture_requested.connect(self.capture)
        self.card_read = CardReadFlow(self)  # "Baca KK" / "Baca KTP-el" and Ctrl+Shift+K (ui/editor/card_read.py)
        self.requirements.read_requested.connect(self.card_read.read)
        self.review = ReviewPage()
        self.review.jump.connect(self.jump_to)
        self.review.submit.connect(self.submit)
        self.tabs.addTab(self.requirements, self.tr("Persyaratan"))
        self.tabs.addTab(self.review, self.tr("Tinjau dan kirim"))
        self._sync_form_tabs()
        self._shown_tab = self.tabs.currentWidget()
        self.tabs.currentChanged.connect(self._tab_opened)
        for number in range(1, 10):  # Alt+1 ... Alt+9: the numbered tabs, from anywhere in the window
            shortcut = QShortcut(QKeySequence(f"Alt+{number}"), self)
            shortcut.activated.connect(lambda number=number: self.go_to_number(number))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.version_label = QLabel(
            self.tr("%1 — katalog versi %2").replace("%1", service.title).replace("%2", self.reference.version)
        )
        self.version_label.setStyleSheet(palette.style(palette.QUIET, "padding: 2px 6px;"))
        layout.addWidget(self.version_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs)

        self._applicant_dirty = False
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(250)
        self._autosave_timer.timeout.connect(self._autosave_tick)
        self._autosave_timer.start()
        self._recheck_timer = QTimer(self)
        self._recheck_timer.setSingleShot(True)
        self._recheck_timer.setInterval(200)
        self._recheck_timer.timeout.connect(self.recheck)
        # The first full check runs right after the editor is on screen, as its own GUI-thread task.
        QTimer.singleShot(0, self, self.recheck)
        current = self.application.current_form
        if current in self._placeholders:
            # Reopen where the officer was, unless they already moved on to another tab.
            QTimer.singleShot(0, self, lambda: self.tabs.currentIndex() == 0 and self.form_view(current))

    # -- the Dinas' reasons ----------------------------------------------------------------------
    def _banner_html(self) -> str:
        """The reasons as a list; each names its field or requirement and opens it when clicked."""
        lines = []
        for index, reason in enumerate(self.reasons):
            place = html.escape(self._place(reason))
            message = html.escape(reason.message or self.tr("(tanpa keterangan)"))
            if reason.target is not None:
                lines.append(f'<li><a href="{index}">{place}</a>: {message}</li>')
            else:
                lines.append(f"<li>{message}</li>")
        title = html.escape(self.tr("Dikembalikan oleh Dinas — perbaiki (klik untuk membuka):"))
        return f"<b>{title}</b><ul>{''.join(lines)}</ul>"

    def _place(self, reason: DinasReason) -> str:
        """Where a reason points, in the officer's words: 'F-1.02 › Data Pemohon › 3. Nomor Kartu Keluarga'."""
        if reason.requirement:
            requirement = self.service.requirement(reason.requirement)
            return self.tr("Persyaratan") + " › " + (requirement.title if requirement else reason.requirement)
        try:
            found = field_of(self.registry.get(reason.form), reason.path)
        except KeyError:
            found = None
        if found is None:
            return f"{reason.form} › {reason.path}" if reason.form else reason.path
        section, row, spec = found
        where = section.title + (self.tr(", baris ke-%1").replace("%1", str(row + 1)) if row is not None else "")
        number = f"{spec.col}. " if spec.col is not None else ""
        return f"{reason.form} › {where} › {number}{spec.label}"

    def _reason_clicked(self, link: str) -> None:
        reason = self.reasons[int(link)] if link.isdigit() and int(link) < len(self.reasons) else None
        if reason is not None and reason.target is not None:
            self.jump_to(*reason.target)

    # -- forms ------------------------------------------------------------------------------------
    def _combined(self) -> dict[str, object]:
        return {"forms": self.answers, "fakta": self.facts}

    def _sync_form_tabs(self) -> None:
        """Add a tab for every form the answers now require (conditional forms appear as needed).

        A form's widgets are built when its tab is first opened: building F-2.01 (211 fields) takes
        about 90 ms, too long to do for every form when the application opens."""
        wanted = required_forms(self.service, self._combined(), self.registry)
        for form in wanted:
            if form in self.forms or form in self._placeholders:
                continue
            placeholder = QLabel(self.tr("Memuat formulir…"))
            self._placeholders[form] = placeholder
            self.tabs.insertTab(self._form_position(form), placeholder, form)
        self._number_tabs()

    def _form_position(self, form: str) -> int:
        """Where a newly shown form's tab goes: after the applicant and the shown forms before it in the
        catalogue."""
        order = [use.form for use in self.service.forms]
        rank = order.index(form) if form in order else len(order)
        shown = [*self.forms, *self._placeholders]
        return 1 + sum(
            1 for other in shown if other != form and (order.index(other) if other in order else len(order)) < rank
        )

    def tab_number(self, index: int) -> int:
        """The number of a tab: 1 the applicant, the shown forms 2, 3, ... in catalogue order, and the last
        two fixed, 8 the requirements and 9 the review, so a form that appears (F-2.03 once there is no
        birth letter) never moves them to another Alt+number."""
        widget = self.tabs.widget(index)
        if widget is self.applicant:
            return 1
        if widget is self.requirements:
            return REQUIREMENTS_NUMBER
        if widget is self.review:
            return REVIEW_NUMBER
        forms = [w for i in range(self.tabs.count()) if (w := self.tabs.widget(i)) not in self._fixed_tabs()]
        number = 2 + (forms.index(widget) if widget in forms else len(forms))
        return number if number < REQUIREMENTS_NUMBER else number + 2  # past Alt+9: no shortcut

    def _fixed_tabs(self) -> tuple[QWidget, ...]:
        return (self.applicant, self.requirements, self.review)

    def _number_tabs(self) -> None:
        """Number the tabs ("1. Pemohon", "2. F-1.02", "8. Persyaratan"): Alt+number opens one."""
        for index in range(self.tabs.count()):
            number = self.tab_number(index)
            name = re.sub(r"^\d+\. ", "", self.tabs.tabText(index))
            self.tabs.setTabText(index, f"{number}. {name}")
            self.tabs.setTabToolTip(index, f"Alt+{number}" if number < 10 else "")

    def go_to_number(self, number: int) -> None:
        """Open the tab that carries this number (Alt+number)."""
        for index in range(self.tabs.count()):
            if self.tab_number(index) == number:
                self.go_to_tab(index)
                return

    def go_to_tab(self, index: int) -> None:
        """Open a tab and put the keyboard on its first field."""
        if 0 <= index < self.tabs.count():
            self.tabs.setCurrentIndex(index)
            self.focus_start()

    def _tab_opened(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if self._shown_tab is self.applicant and widget is not self.applicant:
            self._fill_from_applicant()  # the officer is done with the applicant page
        self._shown_tab = widget
        if widget is self.review or widget is self.requirements:
            self._recheck_timer.stop()
            self.recheck()  # never an out-of-date list, even for the 200 ms a pending check waits
        for form, placeholder in list(self._placeholders.items()):
            if placeholder is widget:
                self.form_view(form)

    def form_view(self, form: str) -> FormView:
        """The form's view, built now if its tab was not opened yet; its tab becomes the current one."""
        view = self.forms.get(form)
        if view is None:
            placeholder = self._placeholders.pop(form)
            index = self.tabs.indexOf(placeholder)
            saved = self.answers.get(form, {})
            answers = self._with_applicant(form, saved)
            view = FormView(self.registry.get(form), answers)
            notes = {r.path: r.message for r in self.reasons if r.form == form and r.path}
            if notes:
                view.set_dinas_notes(notes)
            view.changed.connect(lambda answers, form=form: self._form_changed(form, answers))
            self.forms[form] = view
            title = self.tabs.tabText(index)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, view, title)
            self.tabs.blockSignals(False)
            self._number_tabs()  # the tab's Alt+number tooltip went with the placeholder
            placeholder.deleteLater()
            if answers != saved:  # the applicant filled in: save it (the view is in place)
                self._form_changed(form, view.answers())
        self.tabs.setCurrentWidget(view)
        return view

    def set_answers(self, form: str, answers: dict[str, object]) -> None:
        """Put answers into a form from outside it (a card reading): into its view when its tab is built,
        else saved for when it opens (no view is built); saved, carried on and checked as if typed."""
        view = self.forms.get(form)
        if view is not None:
            view.load(answers)
            view.check()  # announces the answers: _form_changed
        else:
            self._form_changed(form, answers)

    def _form_changed(self, form: str, answers: dict[str, object]) -> None:
        self.answers[form] = answers
        self.autosaver.changed(self.registry.get(form).key, answers)
        self._sync_form_tabs()
        self._recheck_timer.start()
        self.carry.form_changed(form, answers)  # into other forms; a NIK typed in a row fills the row

    def _save_form(self, form_key: str, answers: Mapping[str, object]) -> None:
        snapshot = dict(answers)
        self.runner.db(
            "autosave",
            lambda: apps.save_answers(self.store, self.application, form_key, snapshot),
            self._saved,
            self._save_failed,
        )

    def _saved(self, _result: object = None) -> None:
        if shiboken6.isValid(self):
            self.save_error = ""

    def _save_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, KnownError):
            raise exc
        if shiboken6.isValid(self):
            self.save_error = exc.message
            self.status.emit(exc.message)

    def _autosave_tick(self) -> None:
        if self.frozen:
            return
        if self.autosaver.due():
            self.autosaver.flush()
        if self._applicant_dirty:
            self._applicant_dirty = False
            name, nik, kk = self.applicant.values()
            self.runner.db(
                "applicant",
                lambda: apps.save_applicant(self.store, self.application, name=name, nik=nik, kk=kk),
                self._saved,
                self._save_failed,
            )

    def flush(self) -> None:
        """Save everything pending now (before closing)."""
        if self.frozen:
            return
        self.autosaver.flush()
        self._autosave_tick()

    def _applicant_changed(self) -> None:
        self._applicant_dirty = True
        self._recheck_timer.start()

    def _with_applicant(self, form: str, answers: Mapping[str, object]) -> dict[str, object]:
        """The answers with what carries over into the form's empty fields (the applicant, the outpost,
        the service, other forms); what the officer typed is never replaced."""
        return self.carry.answers_for(form, answers)

    def _prefill_forms(self, resident: object) -> None:
        """Put the chosen resident into the applicant fields of every form, built or not yet."""
        self.carry.choose_resident(resident)
        self._fill_from_applicant()

    def _fill_from_applicant(self) -> None:
        """Fill the forms' empty fields that carry over (the applicant's among them), and save them: the
        forms whose tab was not opened yet too, so that the review and the submission see them."""
        self.carry.fill_forms()

    def _facts_changed(self, facts: dict[str, object]) -> None:
        self.facts = facts
        snapshot = dict(facts)
        self.runner.db(
            "facts", lambda: apps.save_facts(self.store, self.application, snapshot), on_error=self._save_failed
        )
        self._sync_form_tabs()
        self.recheck()

    # -- documents --------------------------------------------------------------------------------
    def attach_files(self, requirement_id: str, substitute_id: str, paths: list[str]) -> None:
        """Store imported files as pages of a requirement (on the database thread)."""
        document_id = ""
        req = self.service.requirement(requirement_id)
        if req is not None:
            document_id = req.document.id

        def store_pages() -> int:
            pages = read_pages(paths, document_id)
            for data, fields in pages:
                apps.attach_page(
                    self.store,
                    self.application,
                    requirement_id,
                    data,
                    substitute_id=substitute_id,
                    document_id=document_id,
                    **fields,
                )
            return len(pages)

        def done(count: object) -> None:
            self._pages_added(requirement_id, substitute_id, int(str(count)))
            self.status.emit(self.tr("%n halaman dilampirkan.", "", int(str(count))))

        self.runner.db("attach", store_pages, done, self._save_failed)

    def _pages_added(self, requirement_id: str, substitute_id: str, count: int) -> None:
        """Count newly stored pages against their requirement and check the application again."""
        previous = self.attached.get(requirement_id)
        self.attached[requirement_id] = Attached((previous.pages if previous else 0) + count, substitute_id)
        self.recheck()

    def capture(self, requirement_id: str, substitute_id: str) -> None:
        """Scan or photograph pages for a requirement, then store them (database thread)."""
        from app.documents import paper_for_document  # noqa: PLC0415 - OpenCV only when capturing
        from app.documents.paper import papers_for_document  # noqa: PLC0415
        from app.settings import Settings  # noqa: PLC0415
        from ui.capture import CaptureDialog  # noqa: PLC0415
        from ui.capture.preferences import CapturePreferences  # noqa: PLC0415

        req = self.service.requirement(requirement_id)
        if req is None:
            return
        pages = CaptureDialog.ask(
            self,
            req.title,
            paper=paper_for_document(req.document.id),
            papers=papers_for_document(req.document.id),
            source="scanner",
            runner=self.runner,
            preferences=CapturePreferences.from_settings(Settings(self.store.paths.settings)),
        )
        if not pages:
            return

        def store_pages() -> int:
            for page in pages:
                apps.attach_page(
                    self.store,
                    self.application,
                    requirement_id,
                    page.data,
                    substitute_id=substitute_id,
                    document_id=req.document.id,
                    **page.store_fields(),
                )
            return len(pages)

        def done(count: object) -> None:
            self._pages_added(requirement_id, substitute_id, int(str(count)))
            self.status.emit(self.tr("%n halaman dipindai dan disimpan.", "", int(str(count))))

        self.runner.db("capture", store_pages, done, self._save_failed)

    # -- checking and submitting ------------------------------------------------------------------
    def recheck(self) -> SubmissionCheck:
        """Check the whole application and update the checklist and review pages."""
        result = check_submission(self.service, self.answers, self.facts, self.attached, forms=self.registry)
        # One rule for errors: the applicant page's own (name, NIK, KK) count like every form's, so the review
        # lists them and they block Submit; they stand with the application-wide (form-less) findings.
        result.eligibility = self.applicant.findings() + result.eligibility
        # A form whose applicant was corrected there only: the Dinas would refuse the package (same rule).
        check_forms(result, self.answers, ApplicantHeader(*self.applicant.values()), self.registry)
        self.check_result = result
        self.applicant.show_referrals(referrals(self.service, self._combined(), self.registry))
        self.requirements.show_checklist(result.checklist, self.attached)
        name, nik, _ = self.applicant.values()
        forms = ", ".join(
            f"{form} ({len(ev.errors)} kesalahan, {len(ev.warnings)} peringatan)" for form, ev in result.forms.items()
        )
        summary = (
            f"<h3>{self.service.title}</h3><p>{self.tr('Pemohon')}: <b>{name or '-'}</b> · NIK {nik or '-'}"
            f"<br/>{self.tr('Formulir')}: {forms}<br/>{self.tr('Dokumen')}: "
            f"{sum(1 for i in result.checklist if i.applies) - len(result.missing)} / "
            f"{sum(1 for i in result.checklist if i.applies)} {self.tr('wajib sudah dilampirkan')}</p>"
        )
        self.review.show_check(result, summary)
        return result

    def print_referral(self, active: ActiveReferral) -> None:
        """Make the citizen's referral slip (database thread: it reads the outpost settings) and open it."""
        import datetime as dt  # noqa: PLC0415

        from app.printing.receipt import outpost_from_settings  # noqa: PLC0415
        from app.printing.referral import referral_slip_for, render_referral_slip  # noqa: PLC0415
        from app.settings import Settings  # noqa: PLC0415
        from ui.printouts import Viewer  # noqa: PLC0415

        paths, name = self.store.paths, self.applicant.values()[0]

        def make() -> Path:
            slip = referral_slip_for(active, outpost_from_settings(Settings(paths.settings)), name, dt.datetime.now())
            target = paths.printouts / f"surat-rujukan-{self.application.client_id[:8].upper()}.pdf"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(render_referral_slip(slip))
            return target

        self.runner.db("referral slip", make, Viewer.open, self._save_failed)

    def focus_start(self) -> None:
        """Put the keyboard where the officer starts: the resident look-up of a new application, else
        the first field of the tab the editor opened on (the search box kept it before)."""
        page = self.tabs.currentWidget()
        if page is self.applicant:
            start = self.applicant.query if not self.applicant.name.text().strip() else self.applicant.name
            start.setFocus()
        elif isinstance(page, FormView):
            page.focus_first()
        elif page is self.requirements:
            self.requirements.focus_first()
        elif page is self.review:
            self.review.focus_first()

    def jump_to(self, form: str, path: str) -> None:
        """Open the tab of a finding and focus its field."""
        if path.startswith("applicant."):
            self.tabs.setCurrentWidget(self.applicant)
            self.applicant.focus_path(path)
            return
        if path.startswith("requirement:") or path.startswith("eligibility."):
            self.tabs.setCurrentWidget(self.requirements if path.startswith("requirement:") else self.applicant)
            if path.startswith("requirement:"):
                self.requirements.reveal(path.removeprefix("requirement:"))
            return
        if form in self.forms or form in self._placeholders:
            self.form_view(form).focus_path(path)

    def submit(self, acknowledged: list[str]) -> None:
        """Re-check, then freeze the revision and queue it; refused with the reasons otherwise."""
        self.flush()
        for view in self.forms.values():
            view.reveal()
        result = self.recheck()
        blockers = result.blockers(set(acknowledged))
        if blockers:
            self.status.emit(self.tr("Belum dapat dikirim: ") + blockers[0])
            return
        self.runner.db(
            "submit",
            lambda: apps.submit(self.store, self.application, acknowledged),
            lambda _item: self.submitted.emit(self.application.client_id),
            self._save_failed,
        )
