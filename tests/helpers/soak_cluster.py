"""The server side of a soak run: one `serve` on SQLite, or replicas on PostgreSQL behind HAProxy, folder or S3.

Everything it starts (PostgreSQL, moto's S3 server, the replicas, HAProxy) is stopped when the `with`
block ends. Outposts enrol directly at the first replica (each from its own loopback address, which the
server's per-address enrolment limit sees; behind the balancer every request comes from HAProxy's).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from tests.helpers import haproxy
from tests.helpers.dinas import DinasServer, free_port
from tests.helpers.pg import Postgres
from tests.helpers.s3 import S3Server

if TYPE_CHECKING:
    from tests.helpers.soak import SoakScale

SERVER_ERROR = re.compile(r'" 500 |Traceback \(most recent call last\)')


class Cluster:
    """The Dinas as the soak sees it: `url` for syncing and staff, `enrol_url` for enrolment."""

    def __init__(self, folder: Path, scale: SoakScale) -> None:
        self.folder = folder
        self.scale = scale
        self.postgres: Postgres | None = None
        self.s3: S3Server | None = None
        self.servers: list[DinasServer] = []
        self.balancer: haproxy.LoadBalancer | None = None
        self.database_url = f"sqlite:///{folder / 'server.db'}"
        self._saved_env: dict[str, str | None] = {}

    def __enter__(self) -> Cluster:
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def _start(self) -> None:
        if self.scale.replicas > 1 and not self.scale.postgres:
            raise ValueError("replicas share one PostgreSQL: scale.postgres must be set")
        if self.scale.postgres:
            self.postgres = Postgres(durable=True).start()
            self.database_url = self.postgres.create_database("soak")
        extra: tuple[str, ...] = ()
        if self.scale.s3:
            self.s3 = S3Server(self.folder / "moto.log")
            self.s3.start()
            self._setenv({**self.s3.env(), "LOKET_SERVER_LOCAL_DIR": str(self.folder / "documents")})
            extra = ("--storage", f"s3://{self.s3.new_bucket()}/loket/documents")
        for index in range(self.scale.replicas):
            server = DinasServer(
                database_url=self.database_url,
                storage=self.folder / "documents",
                port=free_port(),
                log_path=self.folder / f"server{index}.log",
                extra_args=extra,
            )
            server.start()  # one after the other: the first creates the schema and the server key
            self.servers.append(server)
        if self.scale.replicas > 1:
            self.balancer = haproxy.LoadBalancer(self.folder / "haproxy", [s.port for s in self.servers]).start()
        self.servers[0].bind()

    def _setenv(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            self._saved_env.setdefault(name, os.environ.get(name))
            os.environ[name] = value

    def stop(self) -> None:
        """Stop everything started, in reverse."""
        if self.balancer is not None:
            self.balancer.stop()
            self.balancer = None
        for server in self.servers:
            server.stop()
        if self.s3 is not None:
            self.s3.stop()
        if self.postgres is not None:
            self.postgres.stop()
            self.postgres = None
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_env.clear()

    @property
    def port(self) -> int:
        """The port outposts sync to (the balancer's, else the one server's)."""
        return self.balancer.port if self.balancer else self.servers[0].port

    @property
    def url(self) -> str:
        """The base URL outposts sync to and staff use."""
        return self.balancer.url if self.balancer else self.servers[0].url

    @property
    def enrol_url(self) -> str:
        """Where outposts enrol (the first server directly)."""
        return self.servers[0].url

    def enrolment_codes(self, count: int) -> list[str]:
        """One outpost and its one-time enrolment code per simulated outpost."""
        return [
            self.servers[0].add_outpost(f"35.21.{index // 100 + 1:02d}.{2001 + index % 100}", f"Desa Soak {index}")
            for index in range(count)
        ]

    def add_staff(self, username: str) -> str:
        """A back-office user with every workflow role; their API token."""
        return self.servers[0].add_staff(username)

    def server_pids(self) -> list[int]:
        """The server processes' ids."""
        return [s.process.pid for s in self.servers if s.process is not None]

    def server_errors(self) -> list[str]:
        """Server errors (500 answers, tracebacks) in the servers' logs."""
        found = []
        for server in self.servers:
            path = server.log_path
            if path is not None and path.exists():
                found += [
                    f"{path.name}: {line[:200]}"
                    for line in path.read_text(errors="replace").splitlines()
                    if SERVER_ERROR.search(line)
                ]
        return found

    def accepted_count(self) -> int:
        """Applications the Dinas holds."""
        from sync.server.models import Application

        return int(Application.select().count())

    def page_count(self) -> int:
        """Documents held per outpost (each outpost's own copy counts: what was uploaded)."""
        from sync.server.models import DocumentOwner

        return int(DocumentOwner.select().count())

    def database_bytes(self) -> int:
        """The database's size on disk (PostgreSQL: pg_database_size; SQLite: the file and its WAL)."""
        if self.postgres is not None:
            from sync.server.models import database_proxy

            row = database_proxy.execute_sql("SELECT pg_database_size(current_database())").fetchone()
            return int(row[0]) if row else 0
        base = self.folder / "server.db"
        return sum(p.stat().st_size for p in (base, base.with_name("server.db-wal")) if p.exists())
