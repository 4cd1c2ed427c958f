"""Tests of text on paper: Indonesian dates and times, rupiah, answers made safe, and the font lookup."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.printing.fonts import FALLBACK, select_fonts
from app.printing.text import clean, clock, day_date, form_date, long_date, markup, rupiah


def test_dates_and_times_in_bahasa_indonesia() -> None:
    assert long_date(dt.date(2026, 3, 5)) == "5 Maret 2026"
    assert day_date(dt.date(2026, 8, 17)) == "Senin, 17 Agustus 2026"
    assert form_date("2026-08-17") == "17-08-2026"
    assert form_date("17/08/2026") == "17/08/2026"
    wita = dt.timezone(dt.timedelta(hours=8))
    assert clock(dt.datetime(2026, 1, 2, 9, 5, tzinfo=wita)) == "09.05 WITA"
    assert clock(dt.datetime(2026, 1, 2, 9, 5, tzinfo=dt.timezone(dt.timedelta(hours=9)))) == "09.05 WIT"
    assert clock(dt.datetime(2026, 1, 2, 9, 5, tzinfo=dt.UTC)) == "09.05 UTC+0"
    assert clock(dt.datetime(2026, 1, 2, 9, 5)) == "09.05"


def test_rupiah_and_free_services() -> None:
    assert rupiah(0) == "Gratis"
    assert rupiah(10000) == "Rp 10.000"
    assert rupiah(1250000) == "Rp 1.250.000"


def test_answers_become_safe_text() -> None:
    assert clean(None) == ""
    assert clean(True) == "Ya" and clean(False) == "Tidak"
    assert clean(3.0) == "3" and clean(2.5) == "2.5"
    assert clean(["a", 1, None]) == "a, 1,"
    assert clean("a\x00b\tc\r\nd\ud800") == "ab c\nd"
    assert clean("x" * 500, 10) == "xxxxxxxxx…"
    assert markup("<b> & \n c") == "&lt;b&gt; &amp; <br/> c"


def test_fonts_fall_back_to_helvetica_without_dejavu(tmp_path: Path) -> None:
    assert select_fonts([]) == FALLBACK
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"not a font")
    assert select_fonts([tmp_path]) == FALLBACK  # incomplete: skipped
    for name in ("DejaVuSans-Bold.ttf", "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"):
        (tmp_path / name).write_bytes(b"not a font either")
    assert select_fonts([tmp_path]) == FALLBACK  # broken: skipped
