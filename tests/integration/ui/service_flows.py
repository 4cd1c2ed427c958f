"""Two services through the real app with real key presses (xdotool) on an X display (Xvfb in the tests):
a KK Baru whose F-1.01 gets the outpost's region and the head of the family carried over and whose member
row fills itself from the residents index when its NIK is typed, and a birth whose F-2.01 gets region,
report type, date and reporter, and whose SPTJM F-2.03 (after 'no birth letter' on the requirements page)
gets the child, the parents and the witnesses typed once on F-2.01.

The officer logs in (set up directly, not typed), then everything is keys: Ctrl+N, the resident look-up,
Alt+number to the tabs, Tab and Enter from field to field, Space on '+ Tambah baris'. Prints one JSON
object: each step's focus before and after, the tab titles and the answers at the end.
Run by tests/integration/ui/test_real_keyboard.py under xvfb-run: `python -m ... --flow kk_baru|birth`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from app.paths import DataPaths
from app.settings import Settings
from app.store.residents import add_residents
from tests.helpers.residents import ani
from ui.controller import Controller
from ui.editor.editor import ApplicationEditor
from ui.editor.prefill import ReplaceTyped
from ui.forms.view import FormView
from ui.login import FirstRunDialog
from ui.printouts import Viewer
from ui.service_browser import ServicePickerDialog

TAB, ENTER, SPACE = "Tab", "Return", "space"
DESA = "35.21.01.2001"
KK = "3521010101100001"
AGUS = "3521011705800001"
ANI = ani()
BORN = dt.date.today() - dt.timedelta(days=10)


def tabs(count: int) -> str:
    """Tab pressed `count` times, as one step."""
    return " ".join([TAB] * count)


# (typed, keys, where the focus should be after the keys). Places: "applicant.<field>", "<form>:<path>",
# "<form>:button:<text>", "fact:<id>".
KK_BARU: list[tuple[str, str, str]] = [
    ("", "ctrl+n", "applicant.query"),
    # A NIK the residents index does not know: it goes to the NIK field, the keyboard to the name.
    (AGUS, ENTER, "applicant.name"),
    ("AGUS SALIM", "alt+3", "F-1.01:header.jenis_data"),  # 1 Pemohon, 2 F-1.02, 3 F-1.01
    ("1", TAB, "F-1.01:header.nama_kepala_keluarga"),  # carried from the applicant: no typing
    ("", TAB, "F-1.01:header.alamat"),
    ("JL MELATI 3", TAB, "F-1.01:header.kode_pos"),
    ("63263", TAB, "F-1.01:header.rt"),
    ("004", TAB, "F-1.01:header.rw"),
    ("002", TAB, "F-1.01:header.jumlah_anggota"),
    ("2", TAB, "F-1.01:header.telepon"),
    ("", tabs(2), "F-1.01:header.kode_provinsi"),  # past Email; the regions are carried from the outpost
    ("", tabs(4), "F-1.01:header.dusun"),
    ("", TAB, "F-1.01:anggota[0].nik"),
    # The head of the family: NIK, (its 'Belum punya NIK' box), name.
    (AGUS, tabs(2), "F-1.01:anggota[0].nama_lengkap"),
    ("AGUS SALIM", "", "F-1.01:anggota[0].nama_lengkap"),
]
KK_BARU_TAIL: list[tuple[str, str, str]] = [
    # Enter on the last field of the row moves on to '+ Tambah baris'; Space adds the wife's row.
    ("", SPACE, "F-1.01:anggota[1].nik"),
    # She is in the residents index: her NIK fills the row, and leaving the NIK takes the keyboard
    # past her filled fields to the first one still empty that the form needs: her relationship (SHDK).
    (ANI.nik or "", TAB, "F-1.01:anggota[1].shdk"),
    ("", "alt+2", "F-1.02:pemohon.nama"),  # the request form: the applicant and the service's request type
    ("", "alt+9", "review"),
]

BIRTH: list[tuple[str, str, str]] = [
    ("", "ctrl+n", "applicant.query"),
    (AGUS, ENTER, "applicant.name"),
    ("AGUS SALIM", TAB, "applicant.nik"),
    ("", tabs(2), "applicant.kk"),  # past 'belum punya NIK'
    (KK, "alt+2", "F-2.01:wilayah.kode_desa"),  # carried: region, report type and date, the reporter
]
BIRTH_TAIL: list[tuple[str, str, str]] = [
    ("", "alt+8", "fact:surat_lahir_ada"),
    ("T", TAB, "fact:buku_nikah_ada"),  # 'Tidak': no birth letter, the SPTJM F-2.03 joins as tab 3
    ("", "alt+3", "F-2.03:deklarator.nama"),
    ("", "alt+9", "review"),
]
SETTLE_S = 0.25


class Session:
    """The real app after a first-run log-in, and the officer's keys."""

    def __init__(self, app: QApplication, folder: Path, service: str) -> None:
        self.app = app
        paths = DataPaths(folder / "data")
        paths.ensure()
        settings = Settings(paths.settings)
        settings.set("outpost.name", "Kantor Desa Wonosari")
        settings.set("outpost.region", DESA)
        self.controller = Controller(paths, settings)
        ServicePickerDialog.ask = classmethod(lambda cls, parent=None: service)  # type: ignore[method-assign,assignment]
        ReplaceTyped.ask = classmethod(lambda cls, parent, name, labels: True)  # type: ignore[method-assign,assignment]
        Viewer.open = staticmethod(lambda path: None)  # type: ignore[method-assign]
        shown: list[object] = []
        self.controller.login_shown.connect(shown.append)
        self.controller.start()
        self.wait(lambda: bool(shown), 20)
        dialog = cast(FirstRunDialog, shown[0])
        for line, text in (
            (dialog.username, "siti"),
            (dialog.full_name, "Siti Rahayu"),
            (dialog.password, "kata-sandi-1"),
            (dialog.repeat, "kata-sandi-1"),
        ):
            line.setText(text)
        opened: list[object] = []
        self.controller.main_shown.connect(opened.append)
        QTest.keyClick(dialog.repeat, Qt.Key.Key_Return)
        self.wait(lambda: bool(opened), 60)
        self.window = cast(QWidget, opened[0])
        self.window.activateWindow()
        self.wait(self.window.isActiveWindow, 10)
        self.editors: list[ApplicationEditor] = []
        self.window.editor_opened.connect(self.editors.append)  # type: ignore[attr-defined]
        store = self.controller.store
        assert store is not None
        added: list[object] = []
        self.controller.runner.db("residents", lambda: add_residents(store, [ANI]), added.append)
        self.wait(lambda: bool(added), 20)

    def wait(self, condition: object, seconds: float) -> None:
        """Handle events until the condition holds."""
        deadline = time.monotonic() + seconds
        while not condition():  # type: ignore[operator]
            if time.monotonic() > deadline:
                raise TimeoutError("the app did not get there")
            self.app.processEvents()
            time.sleep(0.01)

    def settle(self) -> None:
        """The officer's pause after a key: events handled, the database thread idle."""
        end = time.monotonic() + SETTLE_S
        while time.monotonic() < end or self.controller.runner.busy:
            self.app.processEvents()
            time.sleep(0.01)

    @property
    def editor(self) -> ApplicationEditor | None:
        return self.editors[-1] if self.editors else None

    def where(self) -> str:
        """The place that holds the keyboard, in the steps' words."""
        widget = QApplication.focusWidget()
        editor = self.editor
        if widget is None:
            return "-"
        if editor is None or not editor.isAncestorOf(widget):
            return type(widget).__name__
        page = editor.applicant
        for name in ("query", "name", "nik", "kk"):
            if widget is getattr(page, name):
                return f"applicant.{name}"
        for fact, box in editor.requirements.fact_boxes.items():
            if widget is box:
                return f"fact:{fact}"
        if editor.review.isAncestorOf(widget):
            return "review"
        for form, view in editor.forms.items():
            if view.isAncestorOf(widget):
                return f"{form}:{self._in_form(view, widget)}"
        return type(widget).__name__

    @staticmethod
    def _in_form(view: FormView, widget: QWidget) -> str:
        if isinstance(widget, QPushButton):
            return f"button:{widget.text()}"
        for path, row in view.rows.items():
            if row.editor is widget or row.editor.isAncestorOf(widget):
                return path
        return type(widget).__name__

    def play(self, steps: list[tuple[str, str, str]], out: list[list[str]]) -> None:
        """Type and press, recording where the keyboard was before and after each step."""
        for typed, keys, _expected in steps:
            before = self.where()
            if typed:
                subprocess.run(["xdotool", "type", "--delay", "30", typed], check=True)
                self.settle()
            if keys:
                subprocess.run(["xdotool", "key", "--delay", "40", *keys.split()], check=True)
                self.settle()
            out.append([before, typed, keys, self.where()])

    def answers(self) -> dict[str, object]:
        """Every form's answers, the tab titles and the facts."""
        editor = self.editor
        assert editor is not None
        editor.flush()
        titles = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
        return {"tabs": titles, "forms": {form: view.answers() for form, view in editor.forms.items()}}


def row_steps(session: Session) -> list[tuple[str, str, str]]:
    """Enter from the head's name along his row to '+ Tambah baris': as many as the row has fields."""
    editor = session.editor
    assert editor is not None
    view = editor.forms["F-1.01"]
    fields = [p for p, row in view.rows.items() if p.startswith("anggota[0].") and row.editor.isVisibleTo(view)]
    after_name = len(fields) - fields.index("anggota[0].nama_lengkap") - 1
    return [("", " ".join([ENTER] * (after_name + 1)), "F-1.01:button:+ Tambah baris")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--flow", choices=("kk_baru", "birth"), required=True)
    flow = parser.parse_args().flow
    app = QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    folder = Path(tempfile.mkdtemp(prefix="loket-keyboard-"))
    session = Session(app, folder, "KK-BARU-KELUARGA" if flow == "kk_baru" else "LAHIR-WNI")
    report: dict[str, object] = {}

    def run() -> None:
        steps: list[list[str]] = []
        if flow == "kk_baru":
            session.play(KK_BARU, steps)
            tail = row_steps(session) + KK_BARU_TAIL
            session.play(tail, steps)
            report["expected"] = [s[2] for s in KK_BARU + tail]
        else:
            session.play(BIRTH, steps)
            fill = birth_f201_steps(session)
            session.play(fill + BIRTH_TAIL, steps)
            report["expected"] = [s[2] for s in BIRTH + fill + BIRTH_TAIL]
        report["steps"] = steps
        report.update(session.answers())
        print(json.dumps(report, ensure_ascii=False, default=str), flush=True)
        shutil.rmtree(folder, ignore_errors=True)
        os._exit(0)  # the app's threads and Qt's teardown are not under test here

    QTimer.singleShot(300, run)
    app.exec()


def birth_f201_steps(session: Session) -> list[tuple[str, str, str]]:
    """From F-2.01's first field, Tab to the fields still to type (in the form's Tab order): the witnesses,
    the parents and the birth; what carried over is only passed."""
    editor = session.editor
    assert editor is not None
    view = editor.forms["F-2.01"]
    typed = {
        "saksi1.nama": "SLAMET RIYADI",
        "saksi1.nik": "3521010101700001",
        "saksi2.nama": "SRI WAHYUNI",
        "saksi2.nik": "3521014101700002",
        "ayah.nama": "AGUS SALIM",
        "ayah.nik": AGUS,
        "ibu.nama": "ANI LESTARI",
        "kelahiran.nama": "AHMAD FAUZI",
        "kelahiran.jenis_kelamin": "1",
        "kelahiran.tempat_dilahirkan": "4",
        "kelahiran.tempat_kelahiran": "NGAWI",
        "kelahiran.tanggal_lahir": BORN.strftime("%d%m%Y"),
    }
    order = [path for path, row in view.rows.items() if row.editor.isVisibleTo(view)]
    steps: list[tuple[str, str, str]] = []
    here, text = order[0], ""
    for path in order[1:]:
        if path not in typed:
            continue
        # The NIK boxes ('Belum punya NIK') take one Tab stop of their own.
        stops = sum(1 + _extra_stops(view, p) for p in order[order.index(here) : order.index(path)])
        steps.append((text, tabs(stops), f"F-2.01:{path}"))
        here, text = path, typed[path]
    steps.append((text, TAB, f"F-2.01:{order[order.index(here) + 1]}"))
    return steps


def _extra_stops(view: FormView, path: str) -> int:
    pending = getattr(view.rows[path].editor, "pending", None)
    return 1 if pending is not None and pending.isVisibleTo(view) and pending.isEnabled() else 0


if __name__ == "__main__":
    main()
