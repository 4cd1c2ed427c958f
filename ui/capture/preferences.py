"""What the capture dialog chooses first (the installation's capture.* settings), and what it remembers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from app.errors import KnownError
from app.settings import Settings

log = logging.getLogger("loket.capture")


@dataclass(frozen=True)
class CapturePreferences:
    """The scanner, camera and scan resolution chosen first; `remember` stores what the officer used."""

    scanner: str = ""
    camera: str = ""
    dpi: int = 200
    remember: Callable[[str, object], None] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> CapturePreferences:
        """Read now, so a change in the settings applies to the next capture."""

        def remember(key: str, value: object) -> None:
            try:
                settings.set(key, value, by="officer")
            except KnownError as exc:  # a full disk: the capture itself goes on
                log.warning("could not remember %s: %s", key, exc.message)

        return cls(
            scanner=settings.text("capture.scanner"),
            camera=settings.text("capture.camera"),
            dpi=settings.number("capture.dpi") or 200,
            remember=remember,
        )

    def used(self, key: str, value: object) -> None:
        """The officer used this device or resolution: it is chosen first next time."""
        if self.remember is not None and value not in ("", None):
            self.remember(key, value)
