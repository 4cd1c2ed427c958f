"""Text as it goes on paper: Indonesian dates and times, rupiah, and answers made safe to typeset."""

from __future__ import annotations

import datetime as dt
import re
from xml.sax.saxutils import escape

from app.forms.expr import as_date
from app.indonesian import DAYS, MONTHS

# Indonesia's three time zones, by UTC offset in hours.
ZONES = {7: "WIB", 8: "WITA", 9: "WIT"}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def long_date(day: dt.date) -> str:
    """`12 Maret 2026`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_date(day: dt.date) -> str:
    """`Kamis, 12 Maret 2026`."""
    return f"{DAYS[day.weekday()]}, {long_date(day)}"


def clock(moment: dt.datetime) -> str:
    """`10.35 WIB` (Indonesian style: a dot between hours and minutes, and the time zone when known)."""
    text = f"{moment.hour:02d}.{moment.minute:02d}"
    offset = moment.utcoffset()
    if offset is None:
        return text
    hours = offset.total_seconds() / 3600
    zone = ZONES.get(int(hours)) if hours.is_integer() else None
    if zone is None:
        zone = f"UTC{'+' if hours >= 0 else '-'}{abs(hours):g}"
    return f"{text} {zone}"


def form_date(value: object) -> str:
    """A date as forms print it, `12-03-2026`; other answers as they are."""
    day = as_date(value)
    return f"{day.day:02d}-{day.month:02d}-{day.year}" if day else clean(value)


def rupiah(amount: int) -> str:
    """`Rp 10.000`; a fee of 0 is `Gratis`."""
    if amount <= 0:
        return "Gratis"
    return "Rp " + f"{amount:,}".replace(",", ".")


def clean(value: object, limit: int = 400) -> str:
    """Any answer as printable one-paragraph text: no control characters, at most `limit` characters."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "Ya" if value else "Tidak"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, list | tuple):
        text = ", ".join(clean(item, limit) for item in value[:50])
    else:
        text = str(value)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\t", " "))
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text.strip()


def markup(value: object, limit: int = 400) -> str:
    """An answer as safe reportlab paragraph markup (escaped, line breaks kept)."""
    return escape(clean(value, limit)).replace("\n", "<br/>")
