"""Canonical release archives: the same files give the same tar, whatever their times, owners or order."""

from __future__ import annotations

import io
import os
import sys
import tarfile
from pathlib import Path

import pytest

from app.updates.archive import write_archive, write_tar


def bundle(folder: Path, mtime: int) -> Path:
    (folder / "_internal" / "lib").mkdir(parents=True)
    (folder / "loket").write_bytes(b"program")
    (folder / "_internal" / "lib" / "b.so").write_bytes(b"b" * 1000)
    (folder / "_internal" / "a.py").write_text("A = 1\n")
    for path in folder.rglob("*"):
        os.utime(path, (mtime, mtime))
    return folder


def tar_of(folder: Path) -> bytes:
    out = io.BytesIO()
    write_tar(folder, out)
    return out.getvalue()


def test_the_tar_depends_only_on_the_files(tmp_path: Path) -> None:
    one = tar_of(bundle(tmp_path / "one", 1_600_000_000))
    other = bundle(tmp_path / "other", 1_700_000_000)
    (other / "unins000.exe").write_bytes(b"added by the installer")
    assert tar_of(other) == one
    (other / "_internal" / "a.py").write_text("A = 2\n")
    assert tar_of(other) != one
    with tarfile.open(fileobj=io.BytesIO(one)) as tar:
        assert tar.getnames() == ["./_internal/a.py", "./_internal/lib/b.so", "./loket"]
        assert {m.mtime for m in tar.getmembers()} == {0}


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links: the Linux bundle's programs")
def test_symbolic_links_are_kept_as_links(tmp_path: Path) -> None:
    folder = bundle(tmp_path / "b", 0)
    (folder / "loket-admin").symlink_to("loket")
    with tarfile.open(fileobj=io.BytesIO(tar_of(folder))) as tar:
        link = tar.getmember("./loket-admin")
        assert link.issym() and link.linkname == "loket"


def test_the_gzip_archive_is_the_same_twice(tmp_path: Path) -> None:
    folder = bundle(tmp_path / "b", 0)
    first = write_archive(folder, tmp_path / "one.tar.gz").read_bytes()
    assert write_archive(folder, tmp_path / "two.tar.gz").read_bytes() == first
