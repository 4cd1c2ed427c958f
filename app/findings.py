"""Findings: what a check says about an answer (error blocks submission, warning needs acknowledgement)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in answers or an identifier, with where it is and how to fix it (Bahasa Indonesia)."""

    path: str
    code: str
    severity: Severity
    message: str

    def to_dict(self) -> dict[str, str]:
        """Return the wire/CLI form `{"path", "code", "severity", "message"}`."""
        return {"path": self.path, "code": self.code, "severity": self.severity, "message": self.message}

    def at(self, path: str) -> Finding:
        """Return the same finding placed at another field path."""
        return Finding(path=path, code=self.code, severity=self.severity, message=self.message)


def errors(findings: list[Finding]) -> list[Finding]:
    """Return only the findings that block submission."""
    return [f for f in findings if f.severity == "error"]


def warnings(findings: list[Finding]) -> list[Finding]:
    """Return only the findings that need the officer's acknowledgement."""
    return [f for f in findings if f.severity == "warning"]
