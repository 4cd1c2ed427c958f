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
# Catalogue documents printed on A4 or F4 sheets: the Kartu Keluarga (a sheet read landscape, despite its name),
# the akta and surat, court orders, signed statements and the forms. Which of the two sizes is not fixed.
_SHEET_DOCUMENTS = frozenset({"kk", "skp", "skpln", "skp_perwakilan", "sktt", "stmd", "ijazah"})
_SHEET_PREFIXES = ("akta_", "surat_", "sptjm_", "formulir_", "putusan_", "penetapan_", "berita_acara_")
SHEETS: tuple[Paper, ...] = (A4, F4)


def papers_for_document(document_id: str) -> tuple[Paper, ...]:
    """The papers a catalogue document may be printed on; empty when unknown (any paper, detected)."""
    if document_id in _CARD_DOCUMENTS:
        return (ID_CARD,)
    if document_id in _SHEET_DOCUMENTS or document_id.startswith(_SHEET_PREFIXES):
        return SHEETS
    return ()


def paper_for_document(document_id: str) -> Paper | None:
    """The paper a catalogue document is printed on when only one is possible (cards), else None (detect)."""
    papers = papers_for_document(document_id)
    return papers[0] if len(papers) == 1 else None


def nearest_paper(aspect: float, *, landscape: bool, among: tuple[Paper, ...] = ()) -> Paper:
    """The paper (of among, or of all when empty) whose proportions fit aspect (long side over short side) best.

    F4 (1.53) and ID-1 (1.59) are too close to tell apart by shape, so when both may be the answer orientation
    decides between them: cards are held landscape, folio pages are read portrait. A document known to be a
    sheet (among without ID-1) is never taken for a card, whichever way it lies.
    """
    candidates = among or tuple(PAPERS.values())
    if F4 in candidates and ID_CARD in candidates:
        candidates = tuple(paper for paper in candidates if paper is not (F4 if landscape else ID_CARD))
        # Measured against F4's proportions, whichever of the two orientation left.
        shape = {ID_CARD.key: F4.aspect}
    else:
        shape = {}
    return min(candidates, key=lambda paper: abs(math.log(aspect / shape.get(paper.key, paper.aspect))))
