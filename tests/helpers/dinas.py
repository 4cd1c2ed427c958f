"""A real Dinas intake server for tests and benchmarks: `loket-server serve` on a free 127.0.0.1 port.

With `tls=TlsFiles(...)` it serves HTTPS itself (`--tls-cert/--tls-key`), e.g. with a certificate from a
test CA (`tls_files`, trustme); `api_docs` serves /openapi.json; `extra_args` go to `serve` as they are.

The test process also binds the server's database (SQLite or PostgreSQL) to add outposts, staff
and to inspect what the server stored, the way `loket-server` administration commands do.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import requests

if TYPE_CHECKING:
    import trustme

SERVER = str(Path(sys.executable).parent / "loket-server")


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class DinasServer:
    """A running server process and where it keeps its data."""

    database_url: str
    storage: Path
    port: int
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    workers: int = 1
    reference: Path | None = None
    tls: TlsFiles | None = None
    api_docs: bool = False
    extra_args: tuple[str, ...] = ()
    _bound: bool = field(default=False, repr=False)

    @property
    def url(self) -> str:
        """Base URL of the API."""
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        """Start `loket-server serve` and wait until /v1/health answers."""
        assert self.process is None
        log = (self.log_path or self.storage.parent / "server.log").open("ab")
        self.process = subprocess.Popen(
            [
                SERVER,
                "serve",
                "--database",
                self.database_url,
                "--storage",
                str(self.storage),
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                *(["--reference", str(self.reference)] if self.reference else []),
                *(["--tls-cert", str(self.tls.cert), "--tls-key", str(self.tls.key)] if self.tls else []),
                *(["--api-docs"] if self.api_docs else []),
                *self.extra_args,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"loket-server exited with {self.process.returncode}: {self.log_text()}")
            try:
                verify: str | bool = str(self.tls.ca) if self.tls else True
                if requests.get(f"{self.url}/v1/health", timeout=1, verify=verify).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"loket-server did not start: {self.log_text()}")

    def stop(self) -> None:
        """Stop the server process."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def log_text(self) -> str:
        """What the server printed."""
        path = self.log_path or self.storage.parent / "server.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def bind(self) -> None:
        """Bind the server's models to its database in this process (administration, inspection)."""
        from sync.server import keys
        from sync.server.db import bind, open_database
        from sync.server.models import database_proxy

        previous = database_proxy.obj
        if previous is not None:
            previous.close()  # psycopg 3 warns (ResourceWarning) about a connection dropped while still open
        bind(open_database(self.database_url))
        keys.activate(keys.load(self.storage))  # the server's key: packages in the database are sealed with it
        self._bound = True

    def add_outpost(self, code: str, name: str) -> str:
        """Register an outpost; return a one-time enrolment code."""
        from sync.server import auth
        from sync.server.models import Outpost

        self.bind()
        outpost = Outpost.get_or_none(Outpost.code == code) or auth.add_outpost(code, name)
        return auth.new_enrolment_code(outpost)

    def add_staff(self, username: str) -> str:
        """Add a back-office user; return their token."""
        from sync.server import auth

        self.bind()
        return auth.add_staff(username, username.title())

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run `loket-server ARGS --database URL` (with the server's storage, where its key is)."""
        return subprocess.run(
            [SERVER, *args, "--database", self.database_url],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "LOKET_SERVER_STORAGE": str(self.storage)},
        )


@dataclass(frozen=True)
class TlsFiles:
    """A server certificate and key, and the CA certificate that vouches for it (PEM files)."""

    cert: Path
    key: Path
    ca: Path


def tls_files(ca: trustme.CA, folder: Path, name: str = "server") -> TlsFiles:
    """A certificate for 127.0.0.1 and localhost from a trustme test CA (a new key every call)."""
    folder.mkdir(parents=True, exist_ok=True)
    issued = ca.issue_cert("127.0.0.1", "localhost")
    files = TlsFiles(folder / f"{name}.crt", folder / f"{name}.key", folder / "ca.crt")
    issued.cert_chain_pems[0].write_to_path(str(files.cert))
    issued.private_key_pem.write_to_path(str(files.key))
    ca.cert_pem.write_to_path(str(files.ca))
    return files


def start_server(
    folder: Path,
    database_url: str | None = None,
    *,
    workers: int = 1,
    reference: Path | None = None,
    tls: TlsFiles | None = None,
    api_docs: bool = False,
    extra_args: tuple[str, ...] = (),
) -> DinasServer:
    """Start a server with its data below `folder` (SQLite there unless a database URL is given)."""
    folder.mkdir(parents=True, exist_ok=True)
    server = DinasServer(
        database_url=database_url or f"sqlite:///{folder / 'server.db'}",
        storage=folder / "documents",
        port=free_port(),
        log_path=folder / "server.log",
        workers=workers,
        reference=reference,
        tls=tls,
        api_docs=api_docs,
        extra_args=extra_args,
    )
    server.start()
    return server
