"""The server's audit log: who did what, when (call inside the transaction of the change)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from sync.server.models import AuditLog


def record(actor: str, action: str, subject: str = "", details: Mapping[str, object] | None = None) -> None:
    """Append one audit entry (no personal data: ids, codes and counts only)."""
    AuditLog.create(
        actor=actor[:64],
        action=action[:40],
        subject=subject[:64],
        details=json.dumps(dict(details or {}), ensure_ascii=True, sort_keys=True),
    )
