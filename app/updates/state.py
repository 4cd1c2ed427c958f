"""Where updates live on the laptop and what state they are in (one JSON file, replaced atomically).

    <home>/metadata/      TUF metadata trusted so far (root.json seeded from the installed bundle)
    <home>/targets/       verified archives and patches (the running version's archive: the next patch's base)
    <home>/partial/       downloads under way, resumed where they stopped
    <home>/versions/<v>/  unpacked bundles: the active one, the previous one (to roll back to), one on trial
    <home>/state.json     the `UpdateState` below

<home> is $LOKET_UPDATES_HOME, else `updates` in Loket's data folder. The installed bundle (Program
Files, /opt) is never written to: a new version is a new folder, so no file of a running program is
replaced, on Windows either.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from app.fileio import atomic_write
from app.paths import default_basedir

ENV_HOME = "LOKET_UPDATES_HOME"
APP_NAME = "loket"
"""The name of the archives (loket-<version>.tar.gz) and patches (loket-<version>.patch)."""


def default_home() -> Path:
    """$LOKET_UPDATES_HOME, else <Loket's data folder>/updates."""
    env = os.environ.get(ENV_HOME)
    return Path(env) if env else default_basedir() / "updates"


@dataclass
class UpdateState:
    """The versions this laptop knows about (None: the installed bundle)."""

    active: str | None = None  # a confirmed version under versions/, run instead of an older installed one
    previous: str | None = None  # the version before `active` (kept to roll back to)
    pending: str | None = None  # staged, not yet started: the next start gives it a trial
    attempts: int = 0  # trials of `pending` so far (each start of it counts, before its start check)
    security: bool = False  # the pending version is a security release (restart forced after the notice)
    failed: list[str] = field(default_factory=list)  # versions that failed their start check: never again
    notice: str = ""  # the last outcome to show the officer once (rolled back, updated)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> UpdateState:
        """Read back; unknown keys are ignored, wrong types fall back to the defaults."""
        state = cls()
        for name, default in asdict(cls()).items():
            value = data.get(name, default)
            if isinstance(default, list):
                value = [str(v) for v in value] if isinstance(value, list) else default
            elif isinstance(default, bool):
                value = bool(value)
            elif isinstance(default, int):
                value = int(value) if isinstance(value, int) else default
            elif name in ("active", "previous", "pending"):
                value = str(value) if isinstance(value, str) and value else None
            else:
                value = str(value) if isinstance(value, str) else default
            setattr(state, name, value)
        return state


@dataclass(frozen=True)
class UpdateHome:
    """The update folders of one laptop."""

    root: Path

    @classmethod
    def resolve(cls, root: Path | None = None) -> UpdateHome:
        return cls(root or default_home())

    @property
    def metadata(self) -> Path:
        return self.root / "metadata"

    @property
    def targets(self) -> Path:
        return self.root / "targets"

    @property
    def partial(self) -> Path:
        return self.root / "partial"

    @property
    def versions(self) -> Path:
        return self.root / "versions"

    @property
    def state_file(self) -> Path:
        return self.root / "state.json"

    def version_dir(self, version: str) -> Path:
        return self.versions / version

    def staging_dir(self, version: str) -> Path:
        """Where a version is unpacked before it is renamed into place (left over only by a cut)."""
        return self.versions / f".{version}.partial"

    def ensure(self) -> None:
        for folder in (self.metadata, self.targets, self.partial, self.versions):
            folder.mkdir(parents=True, exist_ok=True)

    def load(self) -> UpdateState:
        """The state; a missing or unreadable file is a fresh state (the installed bundle runs)."""
        try:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return UpdateState()
        return UpdateState.from_json(data) if isinstance(data, dict) else UpdateState()

    def save(self, state: UpdateState) -> None:
        """Replace the state file atomically (a cut leaves the old or the new state)."""
        atomic_write(self.state_file, json.dumps(asdict(state), indent=1).encode("utf-8"))

    def clean_leftovers(self) -> None:
        """Remove half-unpacked versions (a cut during staging); the downloads under partial/ are kept."""
        if not self.versions.is_dir():
            return
        for child in self.versions.iterdir():
            if child.name.startswith(".") and child.name.endswith(".partial"):
                shutil.rmtree(child, ignore_errors=True)

    def prune(self, state: UpdateState) -> None:
        """Keep the unpacked versions and archives the state names; remove the others."""
        keep = {v for v in (state.active, state.previous, state.pending) if v}
        if self.versions.is_dir():
            for child in self.versions.iterdir():
                if not child.name.startswith(".") and child.name not in keep:
                    shutil.rmtree(child, ignore_errors=True)
        if self.targets.is_dir():
            for child in self.targets.iterdir():
                stem = child.name.removeprefix(f"{APP_NAME}-").removesuffix(".tar.gz").removesuffix(".patch")
                if child.name.endswith(".patch") or (child.name.endswith(".tar.gz") and stem not in keep):
                    child.unlink(missing_ok=True)
