"""A throwaway PostgreSQL for tests and benchmarks: initdb in a temporary folder, a free port, stopped at the end.

initdb refuses to run as root, so as root every PostgreSQL program runs as the `postgres` user
through `runuser -u postgres --` (CI runs as root on Debian 12 with PostgreSQL 15).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.helpers.dinas import free_port


def _pg_bin() -> Path:
    """LOKET_PG_BIN, else the newest /usr/lib/postgresql/*/bin (Debian 12 ships 15)."""
    if os.environ.get("LOKET_PG_BIN"):
        return Path(os.environ["LOKET_PG_BIN"])
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return installed[-1].parent if installed else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _pg_bin()


class PostgresUnavailableError(RuntimeError):
    """The PostgreSQL programs are not installed here."""


def available() -> bool:
    """Whether initdb and pg_ctl are installed."""
    return (PG_BIN / "initdb").exists() and (PG_BIN / "pg_ctl").exists()


class Postgres:
    """One PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 only."""

    def __init__(self, *, durable: bool = False) -> None:
        if not available():
            raise PostgresUnavailableError(f"PostgreSQL programs not found in {PG_BIN}")
        self.durable = durable  # fsync on (benchmarks) or off (tests: faster, a crash loses the cluster)
        self.folder = Path(tempfile.mkdtemp(prefix="loket-pg-"))
        self.data = self.folder / "data"
        self.socket_dir = self.folder / "run"
        self.log = self.folder / "postgres.log"
        self.port = 0
        self._databases = 0

    def _as_postgres(self, *command: str) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return list(command)

    def _run(self, *command: str) -> None:
        result = subprocess.run(self._as_postgres(*command), capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {result.stdout}{result.stderr}")

    def start(self) -> Postgres:
        """initdb and start the server; wait until it accepts connections."""
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            shutil.chown(self.socket_dir, "postgres", "postgres")
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
            "--locale=C", "--no-sync",
        )  # fmt: skip
        self.port = free_port()
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c max_connections=300 "
            f"-c shared_buffers=128MB -c fsync={'on' if self.durable else 'off'} "
            f"-c synchronous_commit={'on' if self.durable else 'off'} "
            f"-c full_page_writes={'on' if self.durable else 'off'}"
        )
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")
        return self

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; return its URL."""
        self._databases += 1
        name = name or f"loket_{self._databases}"
        self._run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        """Stop the server and delete its folder."""
        if self.port:
            subprocess.run(
                self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"),
                capture_output=True,
                timeout=60,
                check=False,
            )
            self.port = 0
        shutil.rmtree(self.folder, ignore_errors=True)
