"""`make run`: the app against a local Dinas server, with demo data, in .loket-dev/ (kept between runs).

First run: a server database with one outpost, an outpost installation with an officer, demo
applications and residents, and the laptop enrolled with the server. Every run: make sure the demo
back-office staff exist (one per role, `loket-server staff demo`; older .loket-dev folders get them
too), start the server on 127.0.0.1:8765, print the back office address and the demo admin log-in,
start the app, stop the server when the app closes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / ".loket-dev"
OUTPOST = DEV / "outpost"
SERVER = DEV / "server"
PORT = int(os.environ.get("LOKET_DEV_PORT", "8765"))
URL = f"http://127.0.0.1:{PORT}"
BACKOFFICE = f"{URL}/backoffice/"
USER, FULL_NAME, PASSWORD = "petugas", "Petugas Demo", "loket-demo-1"
PY = sys.executable


def run(*args: str, env: dict[str, str] | None = None) -> str:
    """Run a command of the project, fail loudly, return its output."""
    done = subprocess.run(
        [PY, "-m", *args], cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def database() -> str:
    """The local server's database URL."""
    return f"sqlite:///{SERVER / 'loket-server.db'}"


def wait_for_server(timeout: float = 30.0) -> None:
    """Until /v1/health answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{URL}/v1/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"the local Dinas server did not start on {URL}")


def first_run() -> None:
    """Create the server data, the outpost installation, demo data, and enrol."""
    SERVER.mkdir(parents=True, exist_ok=True)
    admin_env = {"LOKET_PASSWORD": PASSWORD, "LOKET_NEW_PASSWORD": PASSWORD}
    print("Menyiapkan data contoh di .loket-dev/ (sekali saja)…", flush=True)
    run("app.admin.cli", "--basedir", str(OUTPOST), "init", USER, FULL_NAME, env=admin_env)
    run(
        "app.admin.cli",
        "--basedir",
        str(OUTPOST),
        "--user",
        USER,
        "demo",
        "--applications",
        "30",
        "--residents",
        "5000",
        env=admin_env,
    )
    added = json.loads(
        run("sync.server.cli", "outposts", "add", "35.21.01.2001", "Desa Wonosari", "--database", database(), "--json")
    )
    from app.settings import Settings  # noqa: PLC0415 - after the installation exists

    settings = Settings(OUTPOST / "settings.json")
    settings.set("outpost.name", "Kantor Desa Wonosari")
    settings.set("outpost.region", "35.21.01.2001")
    settings.set("outpost.site", "Kantor Desa Wonosari, Kec. Sine")
    return_code = str(added["enrolment_code"])
    server = start_server()
    try:
        run("app.admin.cli", "--basedir", str(OUTPOST), "--user", USER, "enrol", URL, return_code, env=admin_env)
    finally:
        server.terminate()
        server.wait(timeout=30)


def demo_staff() -> list[dict[str, str]]:
    """Create the demo back-office staff that do not exist yet (idempotent); their log-ins."""
    rows = json.loads(run("sync.server.cli", "staff", "demo", "--database", database(), "--json"))
    return [{str(k): str(v) for k, v in row.items()} for row in rows]


def print_backoffice(staff: list[dict[str, str]]) -> None:
    """Where the back office is and how to log in to it."""
    admin = next((row for row in staff if row["role"] == "admin"), None)
    print(f"Back office Dinas: {BACKOFFICE}")
    if admin is not None:
        print(f"  Masuk sebagai '{admin['username']}' ({admin['full_name']}) dengan kata sandi '{admin['password']}'.")
    others = ", ".join(row["username"] for row in staff if row["role"] != "admin")
    if others:
        print(f"  Staf contoh per peran (kata sandi sama): {others}.")


def start_server() -> subprocess.Popen[bytes]:
    """The local Dinas server, in the background."""
    log = (SERVER / "server.log").open("ab")
    server = subprocess.Popen(
        [
            PY,
            "-m",
            "sync.server.cli",
            "serve",
            "--database",
            database(),
            "--storage",
            str(SERVER / "documents"),
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=log,
    )
    wait_for_server()
    return server


def main() -> int:
    """Prepare once, then run the server and the app."""
    if not (OUTPOST / "loket.db").exists():
        first_run()
    staff = demo_staff()
    server = start_server()
    print(f"Server Dinas lokal: {URL}  (log: .loket-dev/server/server.log)")
    print_backoffice(staff)
    print(f"Aplikasi Loket: masuk sebagai '{USER}' dengan kata sandi '{PASSWORD}'.", flush=True)
    try:
        return subprocess.run([PY, "-m", "ui.main", "--basedir", str(OUTPOST)], cwd=ROOT, check=False).returncode
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
