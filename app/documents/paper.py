"""Real paper sizes pages are rectified to: A4, F4 (folio as used in Indonesia) and ID-1 cards (KTP-el, KIA)."""

from __future__ import annotations

import math
from dataclasses import dataclass

MM_PER_INCH = 25.4
TEXT_DPI = 200
CARD_DPI = 300


@dataclass(frozen=True)
class Paper:
    """A paper size, portrait (width <= height), and the resolution pages of that size are kept at."""

    key: str
    label: str
    width_mm: float
    height_mm: float
    dpi: int = TEXT_DPI

    @property
    def aspect(self) -> float:
        """Long side over short side."""
        return self.height_mm / self.width_mm

    def pixels(self, dpi: int, *, landscape: bool = False) -> tuple[int, int]:
        """(width, height) in pixels at dpi, portrait unless landscape."""
        short = round(self.width_mm / MM_PER_INCH * dpi)
        long = round(self.height_mm / MM_PER_INCH * dpi)
        return (long, short) if landscape else (short, long)

    @property
    def is_card(self) -> bool:
        """Whether this is a card (kept in colour, not evened out like white paper)."""
        return self.height_mm < 100


A4 = Paper("a4", "A4", 210.0, 297.0)
F4 = Paper("f4", "F4 (folio)", 215.0, 330.0)
ID_CARD = Paper("id_card", "Kartu (KTP-el/KIA)", 53.98, 85.60, dpi=CARD_DPI)
PAPERS: dict[str, Paper] = {paper.key: paper for paper in (A4, F4, ID_CARD)}

# Catalogue document ids (resources/catalog) that are ID-1 cards.
_CARD_DOCUMENTS = frozenset({"ktp_el", "ktp_non_elektronik", "kia"})


def paper_for_document(document_id: str) -> Paper | None:
    """The paper a catalogue document is printed on when it is known (cards), else None (detect)."""
    return ID_CARD if document_id in _CARD_DOCUMENTS else None


def nearest_paper(aspect: float, *, landscape: bool) -> Paper:
    """The paper whose proportions fit aspect (long side over short side) best.

    F4 (1.53) and ID-1 (1.59) are too close to tell apart by shape, so orientation decides between
    them: cards are held landscape, folio pages are read portrait.
    """
    if aspect < math.sqrt(A4.aspect * F4.aspect):
        return A4
    return ID_CARD if landscape else F4
