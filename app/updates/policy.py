"""The Dinas' rollout policy: which outposts may take which published version now.

The policy is not security-critical (every release is signed; a forged policy can only delay or
bring forward a signed update), so it travels unsigned over the authenticated sync connection:

    {"paused": false,
     "releases": {"0.2.0": {"share": 20, "outposts": ["3521012001"], "security": false, "notes": "…"}}}

A version not in `releases` is published but not rolled out: no outpost takes it. `outposts` (codes)
take it first, whatever their share; of the others, `share` percent do, chosen by a hash of the
version and the outpost code (a different first fifth for each release, the same answer on every check).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Release:
    """The rollout of one version."""

    share: int = 0  # percent of the outposts, 0..100
    outposts: tuple[str, ...] = ()
    security: bool = False  # a security release: the restart is forced after the notice
    notes: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"share": self.share, "outposts": list(self.outposts), "security": self.security, "notes": self.notes}


@dataclass(frozen=True)
class Policy:
    """Every rollout, and the pause over all of them."""

    paused: bool = False
    releases: dict[str, Release] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: object) -> Policy:
        """Read a policy; anything malformed reads as "nothing rolled out"."""
        if not isinstance(data, dict):
            return cls(paused=True)
        releases: dict[str, Release] = {}
        raw = data.get("releases")
        for version, item in raw.items() if isinstance(raw, dict) else []:
            if not isinstance(item, dict):
                continue
            share = item.get("share", 0)
            outposts = item.get("outposts", [])
            releases[str(version)] = Release(
                share=max(0, min(100, share)) if isinstance(share, int) else 0,
                outposts=tuple(str(o) for o in outposts) if isinstance(outposts, list) else (),
                security=item.get("security") is True,
                notes=str(item.get("notes", ""))[:500],
            )
        return cls(paused=data.get("paused") is True, releases=releases)

    def to_json(self) -> dict[str, Any]:
        return {"paused": self.paused, "releases": {v: r.to_json() for v, r in self.releases.items()}}

    def allows(self, version: str, outpost: str) -> bool:
        """Whether this outpost may take `version` now."""
        release = self.releases.get(version)
        if self.paused or release is None:
            return False
        return outpost in release.outposts or bucket(version, outpost) < release.share


def bucket(version: str, outpost: str) -> int:
    """The outpost's place (0..99) in the rollout of one version."""
    digest = hashlib.sha256(f"{version}\n{outpost}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100
