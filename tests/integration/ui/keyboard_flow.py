"""Fill F-1.01 with real key presses (xdotool) into a window on an X display (Xvfb in the tests).

Keys reach Qt as they do at a desk: an open completion list gets them before the field, and a combo
box hands them to its line edit past any filter, which tests that send keys straight to a widget
never see. Prints one JSON object: each step's field before and after, and the answers at the end.
Run by tests/integration/ui/test_real_keyboard.py under xvfb-run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from app.forms import load_form
from app.regions import default_index
from ui.forms.view import FormView

TAB, ENTER, SPACE = "Tab", "Return", "space"
# The officer's keystrokes for the head of the family, then a second member: (typed, key, where the
# focus should be after the key). Entries come from codes ("1"), words of a label ("islam", "kawin t",
# "petani"), and fields appear as answers call for them (Nomor Akta Kelahiran, Akta Perkawinan).
STEPS: list[tuple[str, str, str]] = [
    ("1", TAB, "header.nama_kepala_keluarga"),
    ("BUDI SANTOSO", TAB, "header.alamat"),
    ("JL MAWAR 1", TAB, "header.kode_pos"),
    ("63285", TAB, "header.rt"),
    ("004", TAB, "header.rw"),
    ("002", TAB, "header.jumlah_anggota"),
    ("2", TAB, "header.telepon"),
    ("081234567890", TAB, "header.email"),
    ("", TAB, "header.kode_provinsi"),
    ("35", TAB, "header.kode_kabupaten"),
    ("35.21", TAB, "header.kode_kecamatan"),
    ("35.21.15", TAB, "header.kode_desa"),
    ("35.21.15.2007", TAB, "header.dusun"),
    ("TAWANG", TAB, "anggota[0].nik"),
    ("3521152309710001", TAB, "anggota[0].nik"),  # the "Belum punya NIK" box
    ("", TAB, "anggota[0].nama_lengkap"),
    # Enter: on to the next field that still needs an answer, past the optional titles and passport.
    ("BUDI SANTOSO", ENTER, "anggota[0].jenis_kelamin"),
    ("1", TAB, "anggota[0].tempat_lahir"),
    ("NGAWI", TAB, "anggota[0].tanggal_lahir"),
    ("23091971", TAB, "anggota[0].kewarganegaraan"),
    ("1", TAB, "anggota[0].nomor_sk_wni"),
    ("", TAB, "anggota[0].akta_lahir"),
    ("2", TAB, "anggota[0].nomor_akta_lahir"),
    ("AL-123", ENTER, "anggota[0].golongan_darah"),
    ("1", ENTER, "anggota[0].agama"),
    ("islam", ENTER, "anggota[0].status_kawin"),
    ("kawin t", ENTER, "anggota[0].akta_kawin"),
    ("1", ENTER, "anggota[0].shdk"),
    ("1", ENTER, "anggota[0].kelainan"),
    ("1", ENTER, "anggota[0].pendidikan"),
    ("5", ENTER, "anggota[0].pekerjaan"),
    ("petani", ENTER, "anggota[0].nik_ibu"),
    ("", TAB, "anggota[0].nama_ibu"),
    ("SITI AMINAH", TAB, "anggota[0].nik_ayah"),
    ("", TAB, "anggota[0].nama_ayah"),
    ("KARSO", TAB, "button:+ Tambah baris"),
    ("", SPACE, "anggota[1].nik"),
    ("3521154507750002", TAB, "anggota[1].nik"),
]
SETTLE_S = 0.25


def _settle(app: QApplication) -> None:
    end = time.monotonic() + SETTLE_S
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def _where(view: FormView, widget: QWidget | None) -> str:
    if widget is None:
        return "-"
    if isinstance(widget, QPushButton):
        return f"button:{widget.text()}"
    for path, row in view.rows.items():
        if row.editor is widget or row.editor.isAncestorOf(widget):
            return path
    return type(widget).__name__


def main() -> None:
    app = QApplication(sys.argv)
    default_index().search_index()  # regions loaded, as after log-in
    view = FormView(load_form("F-1.01"))
    view.resize(1200, 740)
    view.show()
    view.activateWindow()
    report: dict[str, object] = {"steps": []}

    def run() -> None:
        steps: list[list[str]] = []
        for typed, key, _expected in STEPS:
            before = _where(view, app.focusWidget())
            if typed:
                subprocess.run(["xdotool", "type", "--delay", "30", typed], check=True)
                _settle(app)
            subprocess.run(["xdotool", "key", key], check=True)
            _settle(app)
            steps.append([before, typed, key, _where(view, app.focusWidget())])
        view.check()
        report["steps"] = steps
        report["answers"] = view.answers()
        print(json.dumps(report, ensure_ascii=False, default=str))
        app.quit()

    def start() -> None:
        view.rows["header.jenis_data"].editor.focus_widget().setFocus()
        QTimer.singleShot(300, run)

    QTimer.singleShot(500, start)
    app.exec()


if __name__ == "__main__":
    main()
