"""The document pipeline: every captured page made small, straight and legible. Pure functions over
numpy arrays (uint8 RGB or gray), no Qt.

find the page -> correct perspective to its real paper (A4, F4, ID-1) -> deskew -> even the light
-> choose bilevel / gray / colour -> encode (G4 or PNG; WebP, AVIF or JPEG to a size) -> check.
"""

from __future__ import annotations

from app.documents.checks import Check, checks_record
from app.documents.classify import Mode
from app.documents.outline import Quad, as_quad, find_page
from app.documents.paper import A4, F4, ID_CARD, PAPERS, Paper, paper_for_document
from app.documents.pipeline import Options, Prepared, ProcessedPage, StoreFields, finish, prepare, process_page
from app.documents.steady import SteadyTrigger

__all__ = [
    "A4",
    "F4",
    "ID_CARD",
    "PAPERS",
    "Check",
    "Mode",
    "Options",
    "Paper",
    "Prepared",
    "ProcessedPage",
    "Quad",
    "SteadyTrigger",
    "StoreFields",
    "as_quad",
    "checks_record",
    "find_page",
    "finish",
    "paper_for_document",
    "prepare",
    "process_page",
]
