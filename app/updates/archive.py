"""Release archives packed canonically, so a laptop can rebuild the archive of the version it has installed.

tufup patches apply to the uncompressed tar of the running version. After its first update a laptop
keeps that archive; right after installation it has none, and its first update would be the full
archive (about 180 MB: hours over EDGE). Packed canonically (sorted names, no times, owners or
permission differences, nothing but the bundle's bytes), the tar of a bundle depends only on its
files: publishing packs it so (sync.server.updates), and the laptop rebuilds the same tar from its
installed bundle (`seed`). Should the rebuilt tar differ, the patch's result fails its signed hash
and the full archive is taken instead: a wrong seed costs a download, never a wrong program.
"""

from __future__ import annotations

import fnmatch
import gzip
import os
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

IGNORED = ("unins*.exe", "unins*.dat", "unins*.msg")
"""Files an installer adds beside the bundle (Inno Setup's uninstaller): not part of a release."""


def _entries(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if Path(root) == folder and any(fnmatch.fnmatch(name.lower(), p) for p in IGNORED):
                continue
            yield path
        for name in dirs:
            path = Path(root) / name
            if path.is_symlink():
                yield path


def write_tar(folder: Path, out: BinaryIO) -> None:
    """The canonical tar of a bundle folder: every file and symbolic link, sorted, times and owners zeroed."""
    paths = sorted(_entries(folder), key=lambda p: p.relative_to(folder).as_posix())
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in paths:
            name = "./" + path.relative_to(folder).as_posix()
            info = tarfile.TarInfo(name)
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if path.is_symlink():
                info.type = tarfile.SYMTYPE
                info.linkname = os.readlink(path).replace("\\", "/")
                info.mode = 0o777
                tar.addfile(info)
                continue
            info.size = path.stat().st_size
            info.mode = 0o755
            with path.open("rb") as handle:
                tar.addfile(info, handle)


def write_archive(folder: Path, archive: Path, level: int = 9) -> Path:
    """The canonical tar of a folder, gzip-compressed (no name or time in the gzip header either)."""
    temporary = archive.with_name(f".{archive.name}.tmp")
    with (
        temporary.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=level, mtime=0) as gz,
    ):
        write_tar(folder, gz)  # type: ignore[arg-type]
    os.replace(temporary, archive)
    return archive
