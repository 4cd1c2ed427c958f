"""The result of checking one identifier (NIK, KK number, region code or name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from app.findings import Finding

Kind = Literal["nik", "nik_pending", "kk", "region", "name", "unknown"]


@dataclass(slots=True)
class IdentifierCheck:
    """What a check found: the input, its cleaned form, blocking errors, warnings and the parsed parts."""

    input: str
    kind: Kind
    normalized: str
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    parts: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Return True if nothing blocks the value (warnings may remain)."""
        return not self.errors

    @property
    def findings(self) -> list[Finding]:
        """Return errors then warnings."""
        return [*self.errors, *self.warnings]

    def add(self, finding: Finding) -> None:
        """Record a finding under errors or warnings by its severity."""
        (self.errors if finding.severity == "error" else self.warnings).append(finding)

    def to_dict(self) -> dict[str, object]:
        """Return `{"input", "kind", "normalized", "errors", "warnings", ...parts}` for JSON."""
        out: dict[str, object] = {
            "input": self.input,
            "kind": self.kind,
            "normalized": self.normalized,
            "errors": [f.to_dict() for f in self.errors],
            "warnings": [f.to_dict() for f in self.warnings],
        }
        for key, value in self.parts.items():
            out.setdefault(key, value)
        return out
