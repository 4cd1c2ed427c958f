"""Reading a Kartu Keluarga or KTP-el attached to an application ("Baca KK", "Baca KTP-el"): the page is
read on the task runner's pool, the officer reviews the values (ui/editor/card_review.py), and the
accepted ones go into the forms and the applicant page (ui/editor/card_apply.py), asking before anything
typed is replaced. The page read is the one attached to the requirement, and stays attached to it.

Entry points: the "Baca KK" / "Baca KTP-el" button of the requirement in the Persyaratan tab, and
Ctrl+Shift+K anywhere in the editor (the first KK requirement with a page attached).
"""

from __future__ import annotations

import functools
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shiboken6
from PIL import Image as PilImage
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.cardread.model import CardKind, CardReading
from app.catalog import required_forms
from app.documents.images import Image, as_rgb
from app.errors import KnownError
from app.store import applications as apps
from ui.disposal import disposed
from ui.editor.card_apply import APPLICANT, Change, Situation, applied, plan
from ui.editor.card_review import CardReviewDialog, CropKey, prepare_crops
from ui.editor.card_state import Review, review_of

if TYPE_CHECKING:
    from ui.editor.editor import ApplicationEditor

# The documents a card reader knows, and what the button says.
KINDS: dict[str, CardKind] = {"kk": "kk", "ktp_el": "ktp"}
BUTTON_TEXT = {"kk": "Baca KK", "ktp": "Baca KTP-el"}
READ_KEYS = "Ctrl+Shift+K"

Reader = Callable[[Image, CardKind], CardReading]


def card_kind(document_id: str) -> CardKind | None:
    """Whether a requirement's document is a card the reader knows ("kk", "ktp"), else None."""
    return KINDS.get(document_id)


def default_reader(image: Image, kind: CardKind) -> CardReading:
    """The OCR reader (app.cardread.reader), imported when first used: its engine loads only then."""
    from app.cardread.reader import read_card  # noqa: PLC0415 - ONNX Runtime only when a card is read

    return read_card(image, kind)


class NoPageError(KnownError):
    """No page of the card is attached to read."""


class UnreadablePageError(KnownError):
    """The stored page cannot be decoded, or the OCR engine is missing."""


class ReplaceRead:
    """The question before read values replace what the officer typed."""

    @classmethod
    def ask(cls, parent: QWidget | None, changes: Sequence[Change]) -> bool:
        """Whether the differing fields take the card's values ("Ganti") or keep the typed ones ("Biarkan")."""
        tr = QApplication.translate
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(tr("ReplaceRead", "Isian berbeda dengan kartu"))
        lines = [f"• {c.label}: “{c.before}” → “{c.after}”" for c in changes[:15]]
        if len(changes) > 15:
            lines.append(tr("ReplaceRead", "… dan %1 isian lain").replace("%1", str(len(changes) - 15)))
        box.setText(
            tr("ReplaceRead", "Isian berikut sudah diketik dan berbeda dari kartu:") + "\n\n" + "\n".join(lines)
        )
        box.setInformativeText(
            tr("ReplaceRead", "Ganti dengan nilai dari kartu? Isian yang masih kosong tetap diisi dari kartu.")
        )
        replace = box.addButton(tr("ReplaceRead", "Ganti"), QMessageBox.ButtonRole.YesRole)
        keep = box.addButton(tr("ReplaceRead", "Biarkan"), QMessageBox.ButtonRole.NoRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is replace


@dataclass
class Prepared:
    """A reading made ready for the review, off the GUI thread."""

    review: Review
    crops: dict[CropKey, QImage]
    read_ms: float


def decode_page(data: bytes) -> Image:
    """A stored page (WebP, AVIF, JPEG, PNG, G4 TIFF) as a gray or RGB array."""
    with PilImage.open(io.BytesIO(data)) as picture:
        shown = picture.convert("L" if picture.mode in ("1", "L") else "RGB")
    return as_rgb(np.asarray(shown))


class CardReadFlow(QObject):
    """The card reader of one application editor."""

    reader: Reader = staticmethod(default_reader)

    def __init__(self, editor: ApplicationEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.dialog: CardReviewDialog | None = None
        self.busy = False
        self.applying: list[Callable[[], None]] = []  # the steps of an apply still to run, one a turn
        shortcut = QShortcut(QKeySequence(READ_KEYS), editor)
        shortcut.activated.connect(self.read_first)

    # -- reading --------------------------------------------------------------------------------------
    def read_first(self) -> None:
        """Ctrl+Shift+K: read the first KK requirement that has a page (else say what to do)."""
        cards = [r for r in self.editor.service.requirements if card_kind(r.document.id) == "kk"]
        with_pages = [r for r in cards if (a := self.editor.attached.get(r.id)) and a.pages and not a.substitute_id]
        if with_pages:
            self.read(with_pages[0].id)
        elif cards:
            self._say(
                self.tr("Belum ada halaman KK untuk dibaca: pindai atau impor KK pada tab Persyaratan (Alt+8) dulu.")
            )
        else:
            self._say(self.tr("Layanan ini tidak meminta KK: tidak ada KK untuk dibaca."))

    def read(self, requirement_id: str) -> None:
        """Read the last page attached to a card requirement, then open the review."""
        requirement = self.editor.service.requirement(requirement_id)
        kind = card_kind(requirement.document.id) if requirement is not None else None
        if kind is None:
            return
        if self.busy:
            self._say(self.tr("Kartu sedang dibaca: tunggu hasilnya."))
            return
        self.busy = True
        application, store = self.editor.application, self.editor.store
        self._say(self.tr("Membaca %1…").replace("%1", "KK" if kind == "kk" else "KTP-el"))

        def load() -> bytes:
            pages = [
                page
                for document, listed in apps.pages_of(application)
                if document.requirement_id == requirement_id and not document.substitute_id
                for page in listed
            ]
            if not pages:
                raise NoPageError(
                    "Belum ada halaman kartu pada persyaratan ini: pindai atau impor dulu, lalu baca.",
                )
            return store.blobs.get(pages[-1].blob_hash)

        def loaded(data: bytes) -> None:
            self.editor.runner.pool("read card", lambda: self.prepare(data, kind), self.show_review, self._failed)

        self.editor.runner.db("card page", load, loaded, self._failed)

    def prepare(self, data: bytes, kind: CardKind) -> Prepared:
        """Decode, read and crop (on the pool)."""
        from app.cardread.engine import EngineMissingError  # noqa: PLC0415 - with the reader, when first used

        started = time.perf_counter()
        try:
            image = decode_page(data)
        except (OSError, ValueError) as exc:  # Pillow's UnidentifiedImageError is an OSError
            raise UnreadablePageError(
                "Halaman yang tersimpan tidak dapat dibuka untuk dibaca: pindai atau impor kartu itu lagi.", str(exc)
            ) from exc
        try:
            reading = type(self).reader(image, kind)
        except EngineMissingError as exc:
            raise UnreadablePageError(
                "Pembaca kartu (OCR) tidak terpasang lengkap di komputer ini: pasang ulang Loket, atau ketik data "
                "kartu sendiri.",
                str(exc),
            ) from exc
        read_ms = (time.perf_counter() - started) * 1000
        return Prepared(review_of(reading, self.editor.registry.get("F-1.01")), prepare_crops(image, reading), read_ms)

    def show_review(self, prepared: Prepared) -> None:
        """The review of a reading, on top of the editor."""
        self.busy = False
        if not shiboken6.isValid(self.editor):
            return
        dialog = CardReviewDialog(prepared.review, prepared.crops, self.editor)
        dialog.applied.connect(self.apply)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        self._say(
            self.tr("Kartu dibaca dalam %1 detik: periksa setiap nilai.").replace(
                "%1", f"{prepared.read_ms / 1000:.1f}"
            )
        )

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        if not isinstance(error, KnownError):
            raise error
        self._say(error.message)

    def _say(self, message: str) -> None:
        if shiboken6.isValid(self.editor):
            self.editor.status.emit(message)

    # -- applying -------------------------------------------------------------------------------------
    def situation(self) -> Situation:
        """The application's forms and applicant as they are now."""
        editor = self.editor
        shown = required_forms(editor.service, {"forms": editor.answers, "fakta": editor.facts}, editor.registry)
        forms: dict[str, dict[str, object]] = {}
        for form in shown:
            view = editor.forms.get(form)
            forms[form] = view.answers() if view is not None else dict(editor.answers.get(form, {}))
        carried = {form: dict(c.values) for form, c in editor.carry.carried.items()}
        return Situation(forms, editor.applicant.values(), carried)

    def apply(self, review: object) -> None:
        """Put a review's accepted values into the application, asking before replacing typed ones. The
        changes are made a form a turn of the event loop (each turn within the GUI thread's budget)."""
        if not isinstance(review, Review) or not review.can_apply():
            return
        made = plan(review, self.situation(), self.editor.registry)
        replace = False
        if made.replacements():
            replace = ReplaceRead.ask(self.editor, made.replacements())
        changes = made.chosen(replace)
        by_form: dict[str, list[Change]] = {}
        for change in changes:
            by_form.setdefault(change.form, []).append(change)
        steps: list[Callable[[], None]] = [functools.partial(self._apply_applicant, by_form.pop(APPLICANT, []))]
        steps += [functools.partial(self._apply_form, form, form_changes) for form, form_changes in by_form.items()]
        steps.append(self.editor.carry.fill_forms)
        if by_form:
            shown = "F-1.01" if "F-1.01" in by_form else next(iter(by_form))
            steps.append(functools.partial(self._show_form, shown))
        members = len({c.path.split(".")[0] for c in changes if c.path.startswith("anggota[")})
        message = self.tr("%1 isian diisi dari kartu").replace("%1", str(len(changes)))
        if members:
            message += self.tr(" (%1 anggota pada F-1.01)").replace("%1", str(members))
        if made.replacements() and not replace:
            message += self.tr("; %1 isian yang sudah diketik dibiarkan").replace("%1", str(len(made.replacements())))
        steps.append(functools.partial(self._say, ". ".join([message + ".", *made.notes])))
        self.applying = steps
        self._next_step()

    def _next_step(self) -> None:
        if not self.applying or disposed(self.editor):
            self.applying = []
            return  # nothing left, or the editor was closed meanwhile (its tree is being deleted)
        self.applying.pop(0)()
        if self.applying:
            QTimer.singleShot(0, self, self._next_step)

    def _show_form(self, form: str) -> None:
        """The officer sees the filled form (its tab built now if it was not yet)."""
        self.editor.form_view(form)

    def _apply_form(self, form: str, changes: Sequence[Change]) -> None:
        view = self.editor.forms.get(form)
        current = view.answers() if view is not None else dict(self.editor.answers.get(form, {}))
        answers = applied(current, changes)
        self.editor.carry.confirmed(form, answers)  # what the officer confirmed from the card stands
        self.editor.set_answers(form, answers)

    def _apply_applicant(self, changes: Sequence[Change]) -> None:
        if not changes:
            return
        name, nik, kk = self.editor.applicant.values()
        values = {"applicant.name": name, "applicant.nik": nik, "applicant.kk": kk}
        for change in changes:
            values[change.path] = str(change.after)
        self.editor.applicant.load(values["applicant.name"], values["applicant.nik"], values["applicant.kk"])
        self.editor.applicant.changed.emit()
