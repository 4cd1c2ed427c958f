"""Stand-in Loket bundles and a real update repository, made by the same tools as real releases.

A stand-in bundle is a folder like dist/loket: a `loket` program (a Python script run by this
interpreter that goes through the real launcher, app.updates.launch) and an `_internal/` folder
with "modules" (small text files, the part a typical fix changes) and "libraries" (seeded random
bytes, the part that stays). Releases are signed and packed by `sync.server.updates` (tufup).
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.updates.updater import PLATFORM
from sync.server import updates

PROGRAM = """#!{python}
import os, sys
sys.path.insert(0, {root!r})
from pathlib import Path
from app.updates import launch
from app.updates.state import UpdateHome

VERSION = {version!r}
home = UpdateHome(Path(os.environ["LOKET_UPDATES_HOME"]))
launch.hand_over(VERSION, sys.argv[1:], home=home, frozen=True)
with open(os.environ["STANDIN_LOG"], "a") as log:
    log.write(VERSION + "\\n")
if {broken!r}:
    sys.exit(3)  # dies before its start check
launch.confirm_started(home, VERSION)
"""


def make_bundle(
    folder: Path, version: str, *, library_bytes: int = 1_500_000, changed: int = 0, broken: bool = False
) -> Path:
    """A stand-in bundle; `changed` modules differ from the release before (a typical fix changes a few)."""
    shutil.rmtree(folder, ignore_errors=True)
    internal = folder / "_internal"
    (internal / "modules").mkdir(parents=True)
    library = random.Random(19).randbytes(library_bytes)  # the same "libraries" in every version
    (internal / "libloket.so").write_bytes(library)
    for number in range(40):
        text = "".join(f"def function_{number}_{line}(value):\n    return value * {line}\n" for line in range(200))
        if number < changed:
            text += f"\n# fixed in {version}\nFIX = {version!r}\n"
        (internal / "modules" / f"module_{number}.py").write_text(text)
    program = folder / "loket"
    root = str(Path(__file__).resolve().parents[3])
    program.write_text(PROGRAM.format(python=sys.executable, root=root, version=version, broken=broken))
    program.chmod(0o755)
    return folder


@dataclass
class Releases:
    """An update repository on the 'offline machine' and the folder the server serves."""

    repo: Path
    keys: Path
    served: Path
    bundles: Path

    @property
    def platform_dir(self) -> Path:
        """Where the server keeps this platform's repository (the client asks for its own platform's)."""
        return self.served / PLATFORM

    @classmethod
    def create(cls, base: Path) -> Releases:
        releases = cls(base / "repo", base / "keys", base / "served", base / "bundles")
        updates.init_repository(releases.repo, releases.keys)
        releases.copy_to_server()
        return releases

    @property
    def root_json(self) -> Path:
        return self.repo / "metadata" / "root.json"

    def publish(self, version: str, **bundle: Any) -> list[str]:
        """Build a stand-in bundle, sign it as a release, copy the folders to the server."""
        security = bool(bundle.pop("security", False))
        folder = make_bundle(self.bundles / version, version, **bundle)
        added = updates.publish(self.repo, self.keys, folder, version, security=security, notes=f"Rilis {version}")
        self.copy_to_server()
        return added

    def copy_to_server(self) -> None:
        """What Dinas IT does after signing: metadata/ and targets/ to the server (never the keys)."""
        for name in ("metadata", "targets"):
            shutil.copytree(self.repo / name, self.platform_dir / name, dirs_exist_ok=True)

    def archive(self, version: str) -> Path:
        return self.repo / "targets" / f"loket-{version}.tar.gz"

    def length(self, name: str) -> int:
        return int(updates.published_targets(self.repo)[name]["length"])

    def edit_targets(self, change: Any) -> None:
        """Change the signed targets metadata with the keys (a Dinas mistake, signed): re-sign and copy."""
        repository = updates._loaded(self.repo, self.keys)
        change(repository.roles.targets.signed.targets)
        repository.publish_changes(private_key_dirs=[self.keys])
        self.copy_to_server()

    def served_json(self, role: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.platform_dir / "metadata" / f"{role}.json").read_text())
        return data
