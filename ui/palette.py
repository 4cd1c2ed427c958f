"""The colours that carry meaning on the officer's screens, in one place (text on the light window background)."""

from __future__ import annotations

ERROR = "#b00020"  # wrong or blocking: field errors, a failed save, returned and rejected applications
WARNING = "#8a5a00"  # needs a look: warnings, working offline, referrals
GOOD = "#1b5e20"  # done: complete, ready for pick-up, online
QUIET = "#555555"  # secondary text: notes, versions, drafts


def style(colour: str, more: str = "") -> str:
    """A widget style sheet in this colour, e.g. style(ERROR, "font-weight: bold;")."""
    return f"color: {colour};" + (f" {more}" if more else "")


def span(colour: str, markup: str) -> str:
    """Rich text in this colour (the markup is taken as it is)."""
    return f"<span style='color:{colour}'>{markup}</span>"
