"""The power-loss filesystem itself: what a cut keeps and what it loses (tests.helpers.powerfs)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("mfusepy", reason="the power-loss filesystem needs mfusepy (dev extra) and libfuse3")
from tests.helpers.powerfs import Mounted, fuse_unavailable


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write(path: Path, data: bytes, *, sync: bool, mode: str = "wb") -> None:
    with path.open(mode) as handle:
        handle.write(data)
        handle.flush()
        if sync:
            os.fsync(handle.fileno())


def test_a_cut_keeps_only_what_was_flushed(tmp_path: Path) -> None:
    reason = fuse_unavailable()
    if reason:
        pytest.skip(f"FUSE unavailable: {reason}")
    disk, mnt = tmp_path / "disk", tmp_path / "mnt"
    disk.mkdir()
    (disk / "old").write_bytes(b"old")
    (disk / "gone").write_bytes(b"still here")

    fs = Mounted(disk, tmp_path / "durable", mnt)
    write(mnt / "synced", b"durable", sync=True)
    write(mnt / "unsynced", b"lost", sync=False)
    fsync_path(mnt)  # both names are durable now; only one content is
    write(mnt / "synced", b" and more", sync=False, mode="ab")
    write(mnt / "old", b"overwritten, not flushed", sync=False)
    write(mnt / ".tmp", b"new", sync=True)
    os.replace(mnt / ".tmp", mnt / "renamed")  # the folder is not fsynced: the rename is lost
    (mnt / "gone").unlink()  # nor the unlink
    (mnt / "folder").mkdir()
    write(mnt / "folder" / "file", b"x", sync=True)
    fsync_path(mnt / "folder")  # the file is in the folder, but the folder is not in its parent
    fs.cut()

    assert sorted(os.listdir(disk)) == ["gone", "old", "synced", "unsynced"]
    assert (disk / "synced").read_bytes() == b"durable"
    assert (disk / "unsynced").read_bytes() == b""
    assert (disk / "old").read_bytes() == b"old"
    assert (disk / "gone").read_bytes() == b"still here"

    fs = Mounted(disk, tmp_path / "durable", mnt)
    write(mnt / ".tmp", b"new", sync=True)
    os.replace(mnt / ".tmp", mnt / "old")
    fsync_path(mnt)
    (mnt / "synced").write_bytes(b"")  # truncated, not flushed
    fs.cut()
    assert (disk / "old").read_bytes() == b"new"
    assert (disk / "synced").read_bytes() == b"durable"
    assert not (disk / ".tmp").exists()
