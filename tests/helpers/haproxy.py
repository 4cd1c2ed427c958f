"""A real load balancer for replica tests and benchmarks: HAProxy (Debian's `haproxy`) on a free 127.0.0.1 port.

The configuration is generated for the replicas given: one thread (it shares the cores with the
replicas), least connections (a batch costs more than a chunk), health checks on /v1/health
every 200 ms by default (a dead replica is out after 2 failed checks; the benchmark checks every
second and waits for 3, as a production balancer would), and a request that could not be sent to a
replica (connection refused) is sent to another one (`retries` + `option redispatch`). A request
already sent to a replica that then dies is *not* retried by HAProxy: the client gets a 502/503 and
retries it itself, as the outposts' sync does.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests.helpers.dinas import free_port

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


def available() -> bool:
    """Whether HAProxy is installed (installers/debian-deps.sh installs it)."""
    return Path(HAPROXY).exists()


def config(port: int, backends: list[int], *, maxconn: int = 2000, check_ms: int = 200, fall: int = 2) -> str:
    """An HAProxy configuration balancing 127.0.0.1:`port` over the replicas on `backends`."""
    servers = "\n".join(
        f"    server replica{index} 127.0.0.1:{backend} check inter {check_ms}ms fall {fall} rise 1 maxconn {maxconn}"
        for index, backend in enumerate(backends)
    )
    return f"""global
    maxconn {maxconn * 2}
    nbthread 1

defaults
    mode http
    timeout connect 2s
    timeout client 120s
    timeout server 120s
    timeout http-request 30s
    timeout check 5s
    retries 3
    option redispatch
    option http-keep-alive

frontend loket
    bind 127.0.0.1:{port}
    default_backend replicas

backend replicas
    balance leastconn
    option httpchk GET /v1/health
    http-check expect status 200
{servers}
"""


class LoadBalancer:
    """One HAProxy process in front of the replicas' ports; `url` is what the outposts use."""

    def __init__(self, folder: Path, backends: list[int], *, check_ms: int = 200, fall: int = 2) -> None:
        self.folder = folder
        self.check_ms, self.fall = check_ms, fall
        self.port = free_port()
        self.backends = backends
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Base URL of the balanced API."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> LoadBalancer:
        """Write the configuration, check it, start HAProxy in the foreground and wait for its port."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / "haproxy.cfg"
        path.write_text(config(self.port, self.backends, check_ms=self.check_ms, fall=self.fall))
        checked = subprocess.run([HAPROXY, "-c", "-f", str(path)], capture_output=True, text=True, check=False)
        if checked.returncode != 0:
            raise RuntimeError(f"haproxy configuration refused: {checked.stdout}{checked.stderr}")
        log = (self.folder / "haproxy.log").open("ab")
        self.process = subprocess.Popen([HAPROXY, "-db", "-f", str(path)], stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"haproxy exited with {self.process.returncode}: {self.log_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    time.sleep(0.5)  # the first health checks mark the replicas up
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"haproxy did not start: {self.log_text()}")

    def stop(self) -> None:
        """Stop HAProxy."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def log_text(self) -> str:
        """What HAProxy printed."""
        path = self.folder / "haproxy.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""
