"""Every setting of a Loket installation, declared once: key, scope, type, default, who may change it.

Two scopes:

- ``installation``: ``settings.json`` beside the database, readable before log-in (no personal data);
  read and changed through `app.settings.Settings`, by the app and by `loket-admin settings`.
- ``secure``: rows of the encrypted database (`app.store.settings`), readable only once an officer
  has unlocked the store: the enrolment's credentials and the sync's bookkeeping.

Who may change a setting: ``officer`` (any officer, in the settings dialog or the sync area),
``supervisor`` (a supervisor or admin, in the settings dialog) and ``support`` (`loket-admin settings
set`). A setting nobody may change is kept by Loket itself (enrolment, window geometry, cursors).

`docs/installing.md` carries the table made from this module (`python -m app.settings_registry`);
a test keeps the two equal.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Literal

Scope = Literal["installation", "secure"]
Changer = Literal["officer", "supervisor", "support"]

OFFICER: tuple[Changer, ...] = ("officer", "supervisor", "support")
SUPERVISOR: tuple[Changer, ...] = ("supervisor", "support")
LOKET: tuple[Changer, ...] = ()  # kept by Loket itself


@dataclass(frozen=True)
class SettingSpec:
    """One setting: where it lives, its type and default, what it is for and who may change it."""

    key: str
    scope: Scope
    type: type
    default: Any
    label: str  # the caption in the settings dialog (Bahasa Indonesia)
    description: str  # what it does, for the officer (Bahasa Indonesia)
    effect: str  # what it does, for support staff and the docs (English)
    changed_by: tuple[Changer, ...] = LOKET
    choices: tuple[tuple[object, str], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    secret: bool = False  # never printed (device credentials)

    @property
    def kept_by_loket(self) -> bool:
        """Whether only Loket itself writes this setting."""
        return not self.changed_by

    def allowed(self) -> str:
        """What values are allowed, in Bahasa Indonesia (for error messages and `settings list`)."""
        if self.choices:
            return "salah satu dari: " + ", ".join(str(value) for value, _ in self.choices)
        if self.type is bool:
            return "ya atau tidak"
        if self.type is int:
            low = self.minimum if self.minimum is not None else 0
            high = f" sampai {self.maximum}" if self.maximum is not None else " atau lebih"
            return f"bilangan bulat {low}{high}"
        return "teks"


SPECS: tuple[SettingSpec, ...] = (
    # -- the outpost ---------------------------------------------------------------------------------------
    SettingSpec(
        "outpost.name",
        "installation",
        str,
        "",
        "Nama kantor/pos pelayanan",
        "Dicetak pada tanda terima dan formulir; tampil di judul jendela.",
        "Printed on receipts and form print-outs (the place of signing), shown in the window title, "
        "and carried into form fields that ask for the office.",
        SUPERVISOR,
    ),
    SettingSpec(
        "outpost.region",
        "installation",
        str,
        "",
        "Kode wilayah kantor (desa/kecamatan)",
        "Kode Kemendagri, mis. 35.21.01; mengisi wilayah pada formulir dan kabupaten pada tanda terima.",
        "The office's Kemendagri region code: fills the region fields of new forms and names the "
        "kabupaten on receipts.",
        SUPERVISOR,
    ),
    SettingSpec(
        "outpost.site",
        "installation",
        str,
        "",
        "Lokasi pelayanan hari ini",
        "Kantor, atau sekolah/rumah sakit tempat tim keliling bertugas; tampil di bilah status dan diisikan "
        "ke formulir.",
        "Today's service site (office, school, hospital): shown in the status bar and carried into form "
        "fields that ask where the application was taken.",
        OFFICER,
    ),
    SettingSpec(
        "print.template",
        "installation",
        str,
        "pmdn109",
        "Templat cetak formulir",
        "Tata letak formulir yang diminta Dinas kabupaten Anda.",
        "The print layout of the forms (resources/print/templates.yaml) used for every print-out.",
        SUPERVISOR,
    ),
    # -- security ------------------------------------------------------------------------------------------
    SettingSpec(
        "security.idle_lock_minutes",
        "installation",
        int,
        15,
        "Kunci otomatis setelah tidak aktif (menit)",
        "Layar terkunci bila tidak ada ketikan atau klik selama waktu ini.",
        "The main window locks after this many minutes without keyboard or mouse input.",
        SUPERVISOR,
        minimum=1,
        maximum=120,
    ),
    SettingSpec(
        "security.relogin_hours",
        "installation",
        int,
        12,
        "Wajib masuk ulang setiap (jam)",
        "Petugas wajib memasukkan kata sandi lagi setelah sekian jam sejak masuk.",
        "The officer must type the password again this many hours after logging in.",
        SUPERVISOR,
        minimum=1,
        maximum=24,
    ),
    # -- sync ----------------------------------------------------------------------------------------------
    SettingSpec(
        "sync.bandwidth_cap_kbps",
        "installation",
        int,
        0,
        "Batas kecepatan kirim (kbit/detik, 0 = tanpa batas)",
        "Membatasi kecepatan unggah agar tautan tetap dapat dipakai untuk hal lain; berlaku seketika.",
        "Caps the upload rate (kbit/s; 0: no cap); a change applies at once, also in the middle of an upload.",
        OFFICER,
        minimum=0,
        maximum=100_000,
    ),
    SettingSpec(
        "sync.interval_seconds",
        "installation",
        int,
        300,
        "Jeda sinkronisasi otomatis (detik)",
        "Setelah sinkronisasi berhasil, sinkronisasi berikutnya dimulai sendiri setelah sekian detik.",
        "Seconds from the end of a successful background sync to the next; a change re-times the wait "
        "already under way.",
        SUPERVISOR,
        minimum=30,
        maximum=86_400,
    ),
    SettingSpec(
        "sync.paused",
        "installation",
        bool,
        False,
        "Sinkronisasi dijeda",
        "Saat dijeda (mis. di hotspot ponsel berkuota) tidak ada sinkronisasi otomatis; tombol Sinkronkan "
        "tetap mengirim sekali.",
        "While true no background sync starts and a running one stops at its next safe point; the sync "
        "area says so and its Sinkronkan button still runs one sync. Survives a restart.",
        OFFICER,
    ),
    # -- capture -------------------------------------------------------------------------------------------
    SettingSpec(
        "capture.scanner",
        "installation",
        str,
        "",
        "Pemindai bawaan",
        "Pemindai yang langsung dipilih saat mengambil dokumen; diisi sendiri dengan pemindai yang terakhir "
        "dipakai. Kosong: pemindai pertama.",
        "The scanner (device id) chosen first in the capture dialog; set to the last scanner used.",
        OFFICER,
    ),
    SettingSpec(
        "capture.camera",
        "installation",
        str,
        "",
        "Kamera bawaan",
        "Kamera yang langsung dipilih saat mengambil dokumen; diisi sendiri dengan kamera yang terakhir "
        "dipakai. Kosong: kamera pertama.",
        "The camera (device id) chosen first in the capture dialog; set to the last camera used.",
        OFFICER,
    ),
    SettingSpec(
        "capture.dpi",
        "installation",
        int,
        200,
        "Resolusi pindai (dpi)",
        "Resolusi yang langsung dipilih untuk pemindai (bila pemindai mendukungnya).",
        "The scan resolution chosen first in the capture dialog (when the scanner offers it); set to the "
        "last resolution used.",
        OFFICER,
        choices=((150, "150"), (200, "200"), (300, "300"), (400, "400")),
    ),
    # -- kept by Loket ------------------------------------------------------------------------------------
    SettingSpec(
        "ui.window_geometry",
        "installation",
        str,
        "",
        "Ukuran dan posisi jendela",
        "Disimpan otomatis saat jendela ditutup.",
        "The main window's size and position, saved when it closes.",
    ),
    SettingSpec(
        "sync.server_url",
        "secure",
        str,
        "",
        "Alamat server Dinas",
        "Ditetapkan saat pendaftaran perangkat; untuk menggantinya daftarkan ulang perangkat "
        "(loket-admin enrol ALAMAT KODE).",
        "The Dinas server this laptop syncs with: set by enrolment, the only source of the address "
        "(change it by enrolling again).",
    ),
    SettingSpec(
        "sync.device",
        "secure",
        dict,
        {},
        "Kredensial perangkat",
        "Kredensial perangkat dari pendaftaran: device_id, secret, signing_key, outpost_code, outpost_name.",
        "The device's credentials from enrolment (id, secret, signing key, outpost, TLS pins).",
        secret=True,
    ),
    SettingSpec(
        "sync.enrolment_pending",
        "secure",
        dict,
        {},
        "Pendaftaran yang belum dijawab",
        "Identitas perangkat yang dikirim dengan kode pendaftaran; dipakai lagi bila pendaftaran diulang.",
        "The device id, secret and key sent with an enrolment code, reused when the same code is tried "
        "again (a lost answer does not spend the code); cleared once enrolled.",
        secret=True,
    ),
    SettingSpec(
        "sync.status_cursor",
        "secure",
        int,
        0,
        "Posisi umpan status",
        "Posisi terakhir umpan status Dinas yang sudah diterapkan.",
        "Position in the Dinas status feed up to which changes have been applied.",
    ),
    SettingSpec(
        "sync.reference",
        "secure",
        dict,
        {},
        "Katalog dari Dinas",
        "Kunci tanda tangan Dinas dan versi katalog serta skema formulir yang diterima.",
        "The Dinas reference key from enrolment and the catalogue/form-schema versions received "
        "(sync/client/catalog_update.py).",
    ),
    SettingSpec(
        "sync.link",
        "secure",
        dict,
        {},
        "Kecepatan tautan",
        "Kecepatan tautan terakhir yang terukur (bita/detik) dan waktunya.",
        "The last measured link speed (bytes/s), the first chunk size of the next run.",
    ),
    SettingSpec(
        "sync.notices_seen",
        "secure",
        dict,
        {},
        "Pemberitahuan yang sudah dibaca",
        "Pemberitahuan status Dinas yang sudah dibaca, per permohonan.",
        "Which Dinas status notices the officers have read, per application.",
    ),
    SettingSpec(
        "sync.last_success",
        "secure",
        str,
        "",
        "Sinkronisasi berhasil terakhir",
        "Waktu sinkronisasi berhasil terakhir (UTC, ISO 8601).",
        "When the last sync run finished without error (UTC).",
    ),
    SettingSpec(
        "audit.head",
        "secure",
        dict,
        {},
        "Ujung rantai audit",
        "Nomor dan hash entri audit terakhir.",
        "The last audit entry's number and hash: entries removed at the end show too.",
    ),
    SettingSpec(
        "store.previous_keys",
        "secure",
        list,
        [],
        "Kunci basis data sebelumnya",
        "Kunci basis data sebelum penguncian ulang, untuk membuka pindaian lama.",
        "The database keys before each re-key, to open scans sealed under them.",
        secret=True,
    ),
)

BY_KEY: dict[str, SettingSpec] = {spec.key: spec for spec in SPECS}
# Keys of settings.json written by older versions, and their names today.
RENAMED: dict[str, str] = {"sync.bandwidth_kbps": "sync.bandwidth_cap_kbps"}


def spec(key: str) -> SettingSpec:
    """The declaration of one setting (KeyError for an undeclared key)."""
    return BY_KEY[key]


def in_scope(scope: Scope) -> tuple[SettingSpec, ...]:
    """The settings of one scope, in declaration order."""
    return tuple(s for s in SPECS if s.scope == scope)


def changeable(by: Changer | None = None) -> tuple[SettingSpec, ...]:
    """The settings a person may change (`by` one kind of person; None: anyone at all)."""
    return tuple(s for s in SPECS if s.changed_by and (by is None or by in s.changed_by))


def who(spec: SettingSpec) -> str:
    """Who may change a setting, in words (English, for the docs)."""
    if not spec.changed_by:
        return "Loket itself"
    names = {"officer": "any officer", "supervisor": "supervisor", "support": "`loket-admin`"}
    return ", ".join(names[c] for c in spec.changed_by if not (c == "supervisor" and "officer" in spec.changed_by))


def markdown_table() -> str:
    """The table of every setting for docs/installing.md."""
    lines = [
        "| key | scope | type, default | who may change it | effect |",
        "|---|---|---|---|---|",
    ]
    for s in SPECS:
        default = repr(s.default) if s.type is not str else (f'"{s.default}"' if s.default else '""')
        limits = ""
        if s.choices:
            limits = "; one of " + ", ".join(str(v) for v, _ in s.choices)
        elif s.minimum is not None or s.maximum is not None:
            limits = f"; {s.minimum}-{s.maximum}"
        lines.append(f"| `{s.key}` | {s.scope} | {s.type.__name__}, `{default}`{limits} | {who(s)} | {s.effect} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown_table())
