"""The pages of one capture session: each picture as captured, how it was processed, and its views."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

from app.capture.base import RawPage
from app.documents import Options, ProcessedPage, StoreFields
from app.documents.images import Image

_ids = itertools.count(1)


@dataclass(frozen=True)
class CapturedPage:
    """A page the officer accepted: the bytes to store and the metadata attach_page keeps with them."""

    page: ProcessedPage
    kept_anyway: bool = False

    @property
    def data(self) -> bytes:
        """The encoded page."""
        return self.page.data

    def store_fields(self) -> StoreFields:
        """Keyword arguments for app.store.applications.attach_page besides the bytes."""
        return self.page.store_fields(kept_anyway=self.kept_anyway)


@dataclass
class PageItem:
    """One page in the dialog's strip: the raw picture (kept for rotating and re-cornering) and results."""

    raw: RawPage
    options: Options
    result: ProcessedPage
    # Arrays, not QImages: the worker renders them, the GUI thread turns them into pictures.
    thumbnail: Image
    view: Image
    id: int = field(default_factory=lambda: next(_ids))
    kept_anyway: bool = False

    @property
    def needs_decision(self) -> bool:
        """A failed check the officer has not chosen to accept."""
        return bool(self.result.failed) and not self.kept_anyway

    def accepted(self) -> CapturedPage:
        """What the dialog returns for this page."""
        return CapturedPage(self.result, self.kept_anyway)

    def with_result(self, other: PageItem) -> PageItem:
        """This page (same id and place) with a re-processed result."""
        return replace(other, id=self.id, kept_anyway=False)


def human_size(size: int) -> str:
    """Bytes as the officer reads them (KB/MB, Indonesian decimal comma)."""
    if size < 1000 * 1000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")
