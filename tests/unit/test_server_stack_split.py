"""The outpost's programs run without the server stack (pyproject's `server` extra): `loket` and `loket-admin`
import none of it, by their source and when run with it made unimportable."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER_STACK = ("fastapi", "starlette", "uvicorn", "psycopg", "jinja2", "multipart", "python_multipart", "boto3")
OUTPOST_CODE = ("app", "ui", "sync/client", "sync/protocol.py", "sync/client_cli.py", "sync/__init__.py")

# Run before the program: every module of the server stack fails to import, as where the extra is not installed.
BLOCKER = textwrap.dedent(
    f"""
    import importlib.abc, sys
    class NoServerStack(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {SERVER_STACK!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}} (server extra not installed)", name=name)
            return None
    sys.meta_path.insert(0, NoServerStack())
    """
)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_outpost_code_imports_nothing_of_the_server_stack() -> None:
    files = [
        p for entry in OUTPOST_CODE for p in ([ROOT / entry] if entry.endswith(".py") else (ROOT / entry).rglob("*.py"))
    ]
    found = sorted(
        f"{path.relative_to(ROOT).as_posix()}: {name}"
        for path in files
        for name in _imports(path)
        if name.split(".")[0] in SERVER_STACK or name == "sync.server" or name.startswith("sync.server.")
    )
    assert len(files) > 100
    assert found == []


def _run_without_server_stack(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LOKET_BASEDIR": str(tmp_path / "data")}
    return subprocess.run(
        [sys.executable, "-c", BLOCKER + code],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


def test_loket_admin_runs_without_the_server_stack(tmp_path: Path) -> None:
    result = _run_without_server_stack(
        "from app.admin.cli import main\nmain(['--help'])\n",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "enrol" in result.stdout and "sync" in result.stdout
    checked = _run_without_server_stack(
        "from app.admin.cli import main\nraise SystemExit(main(['data-check']))\n", tmp_path
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert '"ok": true' in checked.stdout


def test_the_blocker_does_block(tmp_path: Path) -> None:
    result = _run_without_server_stack("import sync.server.api\n", tmp_path)
    assert result.returncode != 0 and "server extra not installed" in result.stderr


def test_loket_starts_without_the_server_stack(tmp_path: Path) -> None:
    result = _run_without_server_stack("import sys\nfrom ui.main import main\nsys.exit(main(['--smoke']))\n", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_loket_server_without_its_packages_says_what_to_install(tmp_path: Path) -> None:
    result = _run_without_server_stack(
        "import sys\nfrom sync.server.entry import main\n"
        f"sys.argv = ['loket-server', 'serve', '--database', 'sqlite:///{tmp_path}/s.db', '--port', '1']\n"
        "raise SystemExit(main())\n",
        tmp_path,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "paket server" in result.stderr and "loket[server]" in result.stderr
