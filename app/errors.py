"""The root of every fault Loket tells the officer about in plain Bahasa Indonesia (not a bug)."""

from __future__ import annotations


class KnownError(Exception):
    """An environment or user fault with a message for the officer: what happened and what to do."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message if not self.detail else f"{self.message} ({self.detail})"
