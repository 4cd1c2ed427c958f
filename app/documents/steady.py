"""When to take the picture by itself: the page has been found, held still and sharp for a moment."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from app.documents.outline import Quad

STEADY_FRAMES = 8
MAX_MOTION = 0.006
REARM_MOTION = 0.08
SHARP_LIMIT = 0.4


@dataclass
class SteadyTrigger:
    """Fed one detection per preview frame; says when to capture, then waits for the next page.

    Positions are fractions of the frame (so preview scale does not matter). After a capture it
    re-arms only once the page has left the view or moved a lot (the officer turned the page).
    """

    frames: int = STEADY_FRAMES
    max_motion: float = MAX_MOTION
    sharp_limit: float = SHARP_LIMIT
    _last: Quad | None = field(default=None, repr=False)
    _captured_at: Quad | None = field(default=None, repr=False)
    _still: int = 0
    armed: bool = True

    def reset(self) -> None:
        """Forget everything (a new device, or auto capture switched back on)."""
        self._last, self._captured_at, self._still, self.armed = None, None, 0, True

    @property
    def progress(self) -> float:
        """How far along the steady count is, 0-1 (for a progress ring in the preview)."""
        return min(1.0, self._still / self.frames) if self.armed else 0.0

    def update(self, quad: Quad | None, blur: float) -> bool:
        """Take one frame's outline (fractions of the frame, or None) and blur score; True: capture now."""
        if quad is None:
            self._last, self._still = None, 0
            if self._captured_at is not None:
                self.armed, self._captured_at = True, None
            return False
        if not self.armed:
            if self._captured_at is not None and float(np.abs(quad - self._captured_at).max()) > REARM_MOTION:
                self.armed, self._captured_at = True, None
            self._last = quad
            return False
        moved = self._last is None or float(np.abs(quad - self._last).max()) > self.max_motion
        self._last = quad
        self._still = 0 if moved or blur > self.sharp_limit else self._still + 1
        if self._still >= self.frames:
            self.armed, self._captured_at, self._still = False, quad, 0
            return True
        return False
