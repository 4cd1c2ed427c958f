"""Password rules for officers: at least 10 characters, and not one of the common passwords.

The list is data (resources/passwords/common.txt, with its sources). A password that no longer
meets the rules keeps working: the officer is asked to change it at log-in (Store.unlock sets
must_change_password), so a stricter rule never locks anyone out.
"""

from __future__ import annotations

from functools import cache

from app.resources import resource_path
from app.store.errors import StoreError

MIN_PASSWORD_LENGTH = 10


class WeakPasswordError(StoreError):
    """A new password breaks a rule (the message says which and what to do)."""


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased."""
    text = resource_path("passwords", "common.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def password_problem(password: str) -> str | None:
    """What is wrong with a new password, in Bahasa Indonesia; None when it meets the rules."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return (
            f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter. Buat kata sandi yang lebih panjang, "
            "misalnya gabungan tiga kata yang mudah Anda ingat."
        )
    folded = password.strip().lower()
    if folded in common_passwords() or len(set(folded)) <= 2:
        return (
            "Kata sandi ini termasuk kata sandi yang umum dipakai sehingga mudah ditebak. "
            "Pilih kata sandi lain, misalnya gabungan tiga kata yang mudah Anda ingat."
        )
    return None


def check_password_rules(password: str) -> None:
    """Refuse a new password that breaks a rule, with a message saying what is needed."""
    problem = password_problem(password)
    if problem is not None:
        raise WeakPasswordError(problem)
