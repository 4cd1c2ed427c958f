"""A FUSE filesystem that loses, at a "power cut", everything that was not flushed.

It passes every operation through to a backing folder and keeps, beside it, the *durable* state:
for each file the content as of its last fsync/fdatasync, and for each directory its entries as of
its last directory fsync. Unmounting it is the power cut: the backing folder is rebuilt from the
durable state alone, so a write without fsync, a create or rename or unlink without an fsync of its
directory, a truncate without fsync, all vanish. Mounting again is the reboot: whatever is on the
backing folder then is durable.

Model (strict POSIX, stricter than ext4 in data=ordered mode):
- file content: the bytes as of the last fsync of *that file* (through any handle); a new file is
  empty until fsynced; a file renamed over another keeps whatever the rename's source had durably.
- directory entries: as of the last fsync of *that directory*; a new directory not yet in a durable
  entry of its parent vanishes with all it holds; files are identified by inode-like ids, so a rename
  not made durable leaves the old name (and old content) in place.
- not modelled: torn sectors or partly written pages, reordering among unflushed writes (all of them
  are lost, none partly kept), drives that acknowledge a flush they did not do, hard links, xattrs.

Usage: python -m tests.helpers.powerfs BACKING SHADOW MOUNTPOINT
(foreground; `fusermount3 -u MOUNTPOINT` cuts the power; prints one JSON line of counters at exit).
Files in BACKING and SHADOW are hard-linked to each other: keep them on one filesystem.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import mfusepy  # type: ignore[import-untyped]

INF = 1 << 62


class PowerLossFS(mfusepy.Operations):  # type: ignore[misc]
    """Passthrough to `backing`; durable state in `shadow` (file contents) and in memory (entries)."""

    use_ns = True

    def __init__(self, backing: Path, shadow: Path) -> None:
        self.backing = backing
        self.shadow = shadow
        shadow.mkdir(parents=True, exist_ok=True)
        self.next_id = 0
        self.ids: dict[str, int] = {}  # live path ("" is the root) -> node id
        self.kind: dict[int, str] = {}  # "f" | "d"
        self.separate: set[int] = set()  # file ids whose shadow no longer shares the live inode
        self.dirty: dict[int, list[tuple[int, int]]] = {}
        self.durable: dict[int, dict[str, int]] = {}  # directory id -> {name: id} as of its last fsync
        self.handles: dict[int, tuple[int, int]] = {}  # fh -> (backing fd, file id)
        self.counters = {"writes": 0, "fsyncs": 0, "dir_fsyncs": 0, "renames": 0, "creates": 0}
        self._baseline()

    # -- the durable model -------------------------------------------------------------------
    def _new_id(self, kind: str) -> int:
        self.next_id += 1
        self.kind[self.next_id] = kind
        return self.next_id

    def _baseline(self) -> None:
        """At mount ("boot"), everything on the backing folder is durable."""
        root = self._new_id("d")
        self.ids[""] = root
        for folder, dirnames, filenames in os.walk(self.backing):
            rel = os.path.relpath(folder, self.backing)
            rel = "" if rel == "." else rel
            entries: dict[str, int] = {}
            for name in dirnames:
                entries[name] = self.ids[os.path.join(rel, name)] = self._new_id("d")
            for name in filenames:
                node = entries[name] = self.ids[os.path.join(rel, name)] = self._new_id("f")
                os.link(self.backing / rel / name, self.shadow / str(node))
            self.durable[self.ids[rel]] = entries

    def _separate(self, node: int) -> None:
        """Before the first change to a file that shares its inode with its durable copy, copy it."""
        if node in self.separate:
            return
        copy = self.shadow / f"{node}.copy"
        shutil.copyfile(self.shadow / str(node), copy)
        os.replace(copy, self.shadow / str(node))
        self.separate.add(node)

    def _mark(self, node: int, start: int, end: int) -> None:
        ranges = self.dirty.setdefault(node, [])
        if ranges and ranges[-1][1] == start:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))

    def _persist(self, node: int, fd: int) -> None:
        """fsync: the file's durable content becomes its live content."""
        ranges = self.dirty.pop(node, [])
        if not ranges:
            return
        size = os.fstat(fd).st_size
        with open(self.shadow / str(node), "r+b") as out:
            out.truncate(size)
            for first, last in ranges:
                pos, end = min(first, size), min(last, size)
                while pos < end:
                    chunk = os.pread(fd, min(1 << 20, end - pos), pos)
                    if not chunk:
                        break
                    out.seek(pos)
                    out.write(chunk)
                    pos += len(chunk)

    def _live_entries(self, path: str) -> dict[str, int]:
        prefix = f"{path}/" if path else ""
        return {name: self.ids[prefix + name] for name in os.listdir(self._full(path))}

    def cut(self, target: Path) -> None:
        """Rebuild the durable tree into `target` (the power cut)."""
        used: set[int] = set()

        def build(node: int, folder: Path) -> None:
            folder.mkdir()
            for name, child in self.durable.get(node, {}).items():
                if self.kind[child] == "d":
                    build(child, folder / name)
                elif child in used:  # one file reachable by two durable names: give each its own copy
                    shutil.copyfile(self.shadow / str(child), folder / name)
                else:
                    used.add(child)
                    os.link(self.shadow / str(child), folder / name)

        build(self.ids[""], target)

    # -- helpers ------------------------------------------------------------------------------
    @staticmethod
    def _rel(path: str) -> str:
        return path.lstrip("/")

    def _full(self, path: str) -> str:
        return os.path.join(self.backing, self._rel(path))

    def _parent(self, path: str) -> str:
        return os.path.dirname(self._rel(path))

    # -- metadata -----------------------------------------------------------------------------
    def getattr(self, path: str, fh: int | None = None) -> dict[str, Any]:
        st = os.fstat(self.handles[fh][0]) if fh is not None and fh in self.handles else os.lstat(self._full(path))
        keys = ("st_mode", "st_nlink", "st_uid", "st_gid", "st_size", "st_atime", "st_mtime", "st_ctime", "st_ino")
        attrs: dict[str, Any] = {key: getattr(st, key) for key in keys}
        attrs.update(st_atime=st.st_atime_ns, st_mtime=st.st_mtime_ns, st_ctime=st.st_ctime_ns)
        return attrs

    def access(self, path: str, amode: int) -> int:
        if not os.access(self._full(path), amode):
            raise mfusepy.FuseOSError(errno.EACCES)
        return 0

    def chmod(self, path: str, mode: int) -> int:
        os.chmod(self._full(path), mode)
        return 0

    def chown(self, path: str, uid: int, gid: int) -> int:
        os.chown(self._full(path), uid, gid)
        return 0

    def utimens(self, path: str, times: tuple[int, int] | None = None) -> int:
        if times is None:
            os.utime(self._full(path))
        else:
            os.utime(self._full(path), ns=times)
        return 0

    def statfs(self, path: str) -> dict[str, int]:
        st = os.statvfs(self._full(path))
        keys = ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree", "f_files", "f_frsize")
        return {key: getattr(st, key) for key in (*keys, "f_flag", "f_namemax")}

    # -- directories --------------------------------------------------------------------------
    def readdir(self, path: str, fh: int) -> list[str]:
        return [".", "..", *os.listdir(self._full(path))]

    def mkdir(self, path: str, mode: int) -> int:
        os.mkdir(self._full(path), mode)
        self.ids[self._rel(path)] = self._new_id("d")
        return 0

    def rmdir(self, path: str) -> int:
        os.rmdir(self._full(path))
        del self.ids[self._rel(path)]
        return 0

    def fsyncdir(self, path: str, datasync: int, fh: int) -> int:
        rel = self._rel(path)
        self.durable[self.ids[rel]] = self._live_entries(rel)
        self.counters["dir_fsyncs"] += 1
        return 0

    def unlink(self, path: str) -> int:
        os.unlink(self._full(path))
        del self.ids[self._rel(path)]
        return 0

    def rename(self, old: str, new: str) -> int:
        source, target = self._rel(old), self._rel(new)
        os.rename(self._full(old), self._full(new))
        node = self.ids.pop(source)
        self.ids[target] = node
        if self.kind[node] == "d":
            for path in [p for p in self.ids if p.startswith(source + "/")]:
                self.ids[target + path[len(source) :]] = self.ids.pop(path)
        self.counters["renames"] += 1
        return 0

    def link(self, target: str, source: str) -> int:
        raise mfusepy.FuseOSError(errno.EPERM)

    def symlink(self, target: str, source: str) -> int:
        raise mfusepy.FuseOSError(errno.EPERM)

    # -- files --------------------------------------------------------------------------------
    def _open_handle(self, fd: int, node: int) -> int:
        self.handles[fd] = (fd, node)
        return fd

    def create(self, path: str, mode: int, fi: Any = None) -> int:
        rel = self._rel(path)
        fd = os.open(self._full(path), os.O_RDWR | os.O_CREAT | os.O_EXCL, mode)
        node = self._new_id("f")
        (self.shadow / str(node)).touch()
        self.separate.add(node)
        self.ids[rel] = node
        self.counters["creates"] += 1
        return self._open_handle(fd, node)

    def open(self, path: str, flags: int) -> int:
        node = self.ids[self._rel(path)]
        if flags & os.O_TRUNC:
            self._separate(node)
            self._mark(node, 0, INF)
        fd = os.open(self._full(path), flags & ~(os.O_CREAT | os.O_EXCL))
        return self._open_handle(fd, node)

    def read(self, path: str, size: int, offset: int, fh: int) -> bytes:
        return os.pread(self.handles[fh][0], size, offset)

    def write(self, path: str, data: bytes, offset: int, fh: int) -> int:
        fd, node = self.handles[fh]
        self._separate(node)
        self._mark(node, offset, offset + len(data))
        self.counters["writes"] += 1
        return os.pwrite(fd, data, offset)

    def truncate(self, path: str, length: int, fh: int | None = None) -> int:
        if fh is not None and fh in self.handles:
            fd, node = self.handles[fh]
            self._separate(node)
            self._mark(node, length, INF)
            os.ftruncate(fd, length)
        else:
            node = self.ids[self._rel(path)]
            self._separate(node)
            self._mark(node, length, INF)
            os.truncate(self._full(path), length)
        return 0

    def fallocate(self, path: str, mode: int, offset: int, size: int, fh: int) -> int:
        raise mfusepy.FuseOSError(errno.EOPNOTSUPP)

    def flush(self, path: str, fh: int) -> int:
        return 0

    def fsync(self, path: str, datasync: int, fh: int) -> int:
        fd, node = self.handles[fh]
        self._persist(node, fd)
        self.counters["fsyncs"] += 1
        return 0

    def release(self, path: str, fh: int) -> int:
        fd, _ = self.handles.pop(fh)
        os.close(fd)
        return 0


def mount(backing: Path, shadow: Path, mountpoint: Path) -> PowerLossFS:
    """Serve until unmounted (foreground, one thread), then cut the power on the backing folder."""
    fs = PowerLossFS(backing, shadow)
    mfusepy.FUSE(
        fs,
        str(mountpoint),
        foreground=True,
        nothreads=True,
        hard_remove=True,  # an unlinked open file is not renamed to .fuse_hidden*
        attr_timeout=0,
        entry_timeout=0,
        negative_timeout=0,
    )
    rebuilt = backing.with_name(backing.name + ".cut")
    shutil.rmtree(rebuilt, ignore_errors=True)
    fs.cut(rebuilt)
    shutil.rmtree(backing)
    os.replace(rebuilt, backing)
    shutil.rmtree(shadow)
    return fs


class Mounted:
    """A running PowerLossFS daemon (a child process); `cut()` unmounts it, which loses unflushed data."""

    def __init__(self, backing: Path, shadow: Path, mountpoint: Path, timeout: float = 20.0) -> None:
        self.mountpoint = mountpoint
        mountpoint.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.powerfs", str(backing), str(shadow), str(mountpoint)],
            cwd=Path(__file__).resolve().parents[2],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while not os.path.ismount(mountpoint):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.proc.kill()
                _, err = self.proc.communicate()
                raise RuntimeError(f"the power-loss filesystem did not mount: {err.decode(errors='replace')}")
            time.sleep(0.01)

    def cut(self) -> dict[str, int]:
        """Cut the power: unmount; the daemon rebuilds the backing folder from the durable state."""
        for attempt in range(100):
            done = subprocess.run(["fusermount3", "-u", str(self.mountpoint)], capture_output=True, check=False)
            if done.returncode == 0:
                break
            if attempt == 99:
                raise RuntimeError(f"unmount failed: {done.stderr.decode(errors='replace')}")
            time.sleep(0.05)
        out, err = self.proc.communicate(timeout=60)
        if self.proc.returncode != 0:
            raise RuntimeError(f"the power-loss filesystem failed: {err.decode(errors='replace')}")
        counters: dict[str, int] = json.loads(out.decode().strip().splitlines()[-1])
        return counters


def fuse_unavailable() -> str | None:
    """Why FUSE cannot be used here (None when it can)."""
    if not os.path.exists("/dev/fuse"):
        return "/dev/fuse does not exist"
    if shutil.which("fusermount3") is None:
        return "fusermount3 is not installed (apt-get install fuse3)"
    try:
        fd = os.open("/dev/fuse", os.O_RDWR)
    except OSError as exc:
        return f"/dev/fuse cannot be opened: {exc.strerror}"
    os.close(fd)
    return None


def main() -> None:
    backing, shadow, mountpoint = (Path(arg) for arg in sys.argv[1:4])
    fs = mount(backing, shadow, mountpoint)
    sys.stdout.write(json.dumps(fs.counters) + "\n")


if __name__ == "__main__":
    main()
