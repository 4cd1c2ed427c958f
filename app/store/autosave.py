"""Draft autosave: coalesce answer changes and persist them at most every `interval` seconds.

The UI calls `changed()` on every keystroke and `flush_if_due()` from a timer (and `flush()` when the
form closes); with the default half second a crash or power cut loses at most the last second of
typing. The clock is injectable so that tests need no sleeping.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Mapping

Save = Callable[[str, Mapping[str, object]], None]


class Autosaver:
    """Pending answer changes per form, written through `save` when due."""

    def __init__(self, save: Save, interval: float = 0.5, clock: Callable[[], float] = time.monotonic) -> None:
        self._save = save
        self.interval = interval
        self._clock = clock
        self._pending: dict[str, Mapping[str, object]] = {}
        self._since: float | None = None

    @property
    def pending(self) -> bool:
        """Whether there are unsaved changes."""
        return bool(self._pending)

    def changed(self, form_key: str, answers: Mapping[str, object]) -> None:
        """Note the latest answers of a form (a snapshot is kept, later edits don't leak in)."""
        self._pending[form_key] = copy.deepcopy(dict(answers))
        if self._since is None:
            self._since = self._clock()

    def due(self) -> bool:
        """Whether the oldest unsaved change is at least `interval` old."""
        return self._since is not None and self._clock() - self._since >= self.interval

    def flush_if_due(self) -> int:
        """Save if due; return the number of forms written."""
        return self.flush() if self.due() else 0

    def flush(self) -> int:
        """Save every pending form now; on failure the changes stay pending and the error propagates."""
        written = 0
        for form_key in list(self._pending):
            self._save(form_key, self._pending[form_key])
            del self._pending[form_key]
            written += 1
        self._since = None if not self._pending else self._since
        return written
