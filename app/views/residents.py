"""The residents index as the applicant search shows it."""

from __future__ import annotations

from app.identity import normalize_identifier
from app.store.models import Resident
from app.store.residents import find_by_kk, find_by_nik, search_name

__all__ = ["Resident", "look_up"]  # Resident: the record ui/ holds and shows


def look_up(text: str, limit: int = 20) -> list[Resident]:
    """Residents matching a query: a 16-digit number by NIK (else by KK), anything else by name."""
    digits = normalize_identifier(text)
    if digits.isdigit() and len(digits) == 16:
        return find_by_nik(digits) or find_by_kk(digits)
    return search_name(text, limit=limit)
