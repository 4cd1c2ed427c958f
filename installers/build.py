"""Build Loket's one-folder bundle with PyInstaller, check it, smoke-test the frozen programs, report its size.

    .venv/bin/python installers/build.py                # build dist/loket, check, smoke-test, size
    .venv/bin/python installers/build.py --skip-build   # check and smoke-test the bundle already built
    python installers/build.py --installer              # Windows: also the installer (Inno Setup 6)

A frozen build that was never started is not a release: every program of the bundle is started,
with its data in a temporary folder. Exit status: 0 all passed, 1 a check or a smoke test failed,
2 a tool is missing or the usage is wrong.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import types
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle  # installers/bundle.py, beside this file

ROOT = bundle.ROOT
SPEC = ROOT / "installers" / "loket.spec"
ISS = ROOT / "installers" / "windows" / "loket.iss"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
INSTALLER_DIR = DIST / "installer"
BUNDLE_DIR = DIST / bundle.BUNDLE_NAME
SIZE_BUDGET_MB = 200
ARCHIVE_BUDGET_MB = 90
ARCHIVE_DIR = DIST / "archive"
SMOKE_TIMEOUT = 180.0
ISCC_CANDIDATES = (
    Path(r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe"),
    Path(r"C:\Program Files\Inno Setup 6\ISCC.exe"),
)
IS_WINDOWS = sys.platform == "win32"
# The smoke tests set these passwords for a throwaway installation only.
SMOKE_PASSWORD = "uji-asap-Loket-2026"


class ToolMissingError(Exception):
    """A tool the build needs is not installed (exit 2)."""


@dataclass
class Report:
    """What each step found: one line per check, and the failures."""

    failures: list[str] = field(default_factory=list)

    def ok(self, label: str, detail: str = "") -> None:
        """Record a passed check."""
        print(f"  ok    {label}{f'  ({detail})' if detail else ''}", flush=True)

    def fail(self, label: str, detail: str = "") -> None:
        """Record a failed check, with what is needed to understand it."""
        self.failures.append(label)
        print(f"  FAIL  {label}", flush=True)
        for line in detail.rstrip().splitlines()[-40:]:
            print(f"        {line}", flush=True)

    def skip(self, label: str, why: str) -> None:
        """Record a check that cannot run here."""
        print(f"  skip  {label}  ({why})", flush=True)


@contextmanager
def step(title: str) -> Iterator[None]:
    """Print a step's title and how long it took."""
    print(f"\n== {title}", flush=True)
    started = time.monotonic()
    yield
    print(f"   ({time.monotonic() - started:.1f} s)", flush=True)


# --- build ----------------------------------------------------------------------------------------


def run_pyinstaller(clean: bool) -> None:
    """Freeze the programs into dist/loket with installers/loket.spec."""
    try:
        import PyInstaller  # noqa: F401, PLC0415
    except ImportError:
        raise ToolMissingError("PyInstaller is not installed: .venv/bin/pip install -e '.[dist]'") from None
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level=WARN",
        f"--distpath={DIST}",
        f"--workpath={WORK}",
        *(["--clean"] if clean else []),
        str(SPEC),
    ]
    subprocess.run(command, cwd=ROOT, check=True)


def executable(name: str) -> Path:
    """The path of one program in the bundle."""
    return BUNDLE_DIR / (f"{name}.exe" if IS_WINDOWS else name)


# --- checks of the bundle's contents ---------------------------------------------------------------


def check_sources(report: Report) -> None:
    """Before building: the project imports nothing the bundle leaves out."""
    problems = bundle.project_imports_of_excluded()
    if problems:
        report.fail(
            "project code imports a module the bundle excludes (installers/bundle.py)",
            "\n".join(problems),
        )
    else:
        report.ok("project code imports no excluded module")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_contents(report: Report) -> None:
    """The bundle holds every program, every data file, Qt's platform plugin and translations, no excluded part."""
    internal = BUNDLE_DIR / bundle.CONTENTS_DIR
    for program in bundle.programs():
        path = executable(program.name)
        if path.is_file():
            report.ok(f"program {path.name}")
        else:
            report.fail(f"program {path.name} missing from {BUNDLE_DIR}")

    missing, changed = [], []
    for rel in bundle.resource_files():
        frozen = internal / "resources" / rel
        if not frozen.is_file():
            missing.append(str(rel))
        elif _digest(frozen) != _digest(bundle.RESOURCES / rel):
            changed.append(str(rel))
    count = len(bundle.resource_files())
    if missing or changed:
        report.fail(
            "data files (resources/) in the bundle",
            "\n".join([*(f"missing: {m}" for m in missing), *(f"differs: {c}" for c in changed)]),
        )
    else:
        report.ok(f"all {count} data files of resources/ in the bundle, byte for byte")

    files = [p for p in internal.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    plugin = bundle.QT_PLATFORM_PLUGINS.get(sys.platform)
    if plugin and plugin in names:
        report.ok(f"Qt platform plugin {plugin}")
    elif plugin:
        report.fail(f"Qt platform plugin {plugin} missing: the app cannot open a window on this OS")

    translations = _qt_translations_dir()
    wanted = sorted(
        p.name
        for p in (translations.glob("*.qm") if translations else [])
        if p.name.split("_")[0] in {"qt", "qtbase"} and not bundle.is_excluded_qt_file(f"translations/{p.name}")
    )
    lacking = [name for name in wanted if name not in names]
    if lacking:
        report.fail("Qt's own translations", "missing: " + ", ".join(lacking))
    else:
        report.ok(
            "Qt's own translations for " + "/".join(bundle.APP_LANGUAGES),
            ", ".join(wanted) + "; Qt ships none for Indonesian" if wanted else "Qt ships none for these languages",
        )

    relative = [str(p.relative_to(internal)) for p in files]
    unwanted = sorted(rel for rel in relative if bundle.is_excluded_qt_file(rel))
    unwanted += sorted(
        str(p.relative_to(internal)) for p in internal.rglob("*") if p.is_dir() and p.name in {"tkinter", "tcl", "tk"}
    )
    if unwanted:
        report.fail(
            "excluded parts (QtWebEngine, QML/Quick, 3D, Multimedia, Pdf, Tk) in the bundle", "\n".join(unwanted)
        )
    else:
        report.ok("no QtWebEngine, QML/Quick, Qt3D, QtMultimedia, QtPdf or Tk in the bundle")


def _qt_translations_dir() -> Path | None:
    """Where the build environment's PySide6 keeps Qt's translations."""
    try:
        import PySide6  # noqa: PLC0415
    except ImportError:
        return None
    folder = Path(PySide6.__file__).parent / "Qt" / "translations"
    if not folder.is_dir():
        folder = Path(PySide6.__file__).parent / "translations"  # the Windows wheels' layout
    return folder if folder.is_dir() else None


def check_version_resources(report: Report, version: str) -> None:
    """The Windows version resources generated from pyproject's version parse and serialise.

    PyInstaller's parser lives in a module that imports pefile and win32api, which exist only on
    Windows; elsewhere stand-ins are enough, because parsing and serialising never touch them.
    """
    if not IS_WINDOWS:
        import PyInstaller.compat  # noqa: PLC0415

        sys.modules.setdefault("pefile", types.ModuleType("pefile"))
        if not hasattr(PyInstaller.compat, "win32api"):
            PyInstaller.compat.win32api = None
    from PyInstaller.utils.win32 import versioninfo  # noqa: PLC0415

    for program in bundle.programs():
        text_file = WORK / "loket" / "generated" / f"version-{program.name}.txt"
        if not text_file.is_file():
            report.fail(f"version resource of {program.name}", f"{text_file} was not generated")
            continue
        info = versioninfo.load_version_info_from_text_file(str(text_file))
        raw = info.toRaw()
        numbers = ".".join(str(n) for n in bundle.version_numbers(version))
        if version.encode("utf-16-le") not in raw:
            report.fail(f"version resource of {program.name}", f"version {version} not in the resource")
            continue
        if IS_WINDOWS:
            embedded = str(versioninfo.read_version_info_from_executable(str(executable(program.name))))
            if f"'FileVersion', '{version}'" not in embedded:
                report.fail(f"version resource embedded in {program.name}.exe", embedded)
                continue
            report.ok(f"version resource of {program.name}.exe", f"{numbers}, embedded")
        else:
            report.ok(f"version resource of {program.name}.exe", f"{numbers}; embedded only by a Windows build")


# --- smoke tests of the frozen programs --------------------------------------------------------------


@dataclass
class Smoke:
    """One run of a frozen program and what its result must show."""

    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    stdout_has: str = ""
    wrap: list[str] = field(default_factory=list)  # e.g. xvfb-run


def smoke_env(scratch: Path) -> dict[str, str]:
    """An environment that keeps the frozen programs away from the real profile and the checkout's code."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "LOKET_", "QT_"))}
    env["LOKET_BASEDIR"] = str(scratch / "data")
    env["LOKET_CACHE_DIR"] = str(scratch / "cache")
    env["LOKET_SERVER_HOME"] = str(scratch / "server")
    if not IS_WINDOWS:
        for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR"):
            env[name] = str(scratch / "xdg" / name.lower())
            Path(env[name]).mkdir(parents=True, exist_ok=True, mode=0o700)
    return env


def run_smoke(report: Report, smoke: Smoke, env: dict[str, str], cwd: Path) -> bool:
    """Run one frozen program; it must exit 0 in time, without a traceback, printing what is expected."""
    command = [*smoke.wrap, str(executable(smoke.argv[0])), *smoke.argv[1:]]
    started = time.monotonic()
    try:
        result = subprocess.run(
            command,
            env={**env, **smoke.env},
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=SMOKE_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        report.fail(smoke.label, f"no exit after {SMOKE_TIMEOUT:.0f} s\n{_text(exc.stdout)}\n{_text(exc.stderr)}")
        return False
    seconds = time.monotonic() - started
    output = f"$ {' '.join(command)}\nexit {result.returncode}\n{result.stdout}\n{result.stderr}"
    if result.returncode != 0:
        report.fail(smoke.label, output)
        return False
    if "Traceback (most recent call last)" in result.stderr:
        report.fail(f"{smoke.label}: a traceback on stderr", output)
        return False
    if smoke.stdout_has and smoke.stdout_has not in result.stdout:
        report.fail(f"{smoke.label}: stdout lacks {smoke.stdout_has!r}", output)
        return False
    report.ok(smoke.label, f"{seconds:.1f} s")
    return True


def _text(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        return output.decode("utf-8", errors="replace")
    return output or ""


def smokes(version: str, scratch: Path) -> list[Smoke]:
    """The smoke tests, in order: the command lines, a data round trip, then the desktop app."""
    # A windowed program on Windows has no stdout to print its version on.
    gui_prints = not IS_WINDOWS
    password = {"LOKET_PASSWORD": SMOKE_PASSWORD, "LOKET_NEW_PASSWORD": SMOKE_PASSWORD}
    backup = scratch / "backup" / "loket-backup.zip"
    backup.parent.mkdir(parents=True, exist_ok=True)
    return [
        Smoke("loket-admin --help", ["loket-admin", "--help"], stdout_has="usage: loket-admin"),
        Smoke("loket-server --help", ["loket-server", "--help"], stdout_has="usage: loket-server"),
        Smoke("loket-admin --version", ["loket-admin", "--version"], stdout_has=f"loket-admin {version}"),
        Smoke("loket-server --version", ["loket-server", "--version"], stdout_has=f"loket-server {version}"),
        Smoke("loket --version", ["loket", "--version"], stdout_has=f"loket {version}" if gui_prints else ""),
        Smoke(
            "loket-admin sync --help (registered from sync/ by entry point)",
            ["loket-admin", "sync", "--help"],
            stdout_has="usage: loket-admin sync",
        ),
        Smoke("loket-admin data-check (shipped data loads)", ["loket-admin", "data-check"], stdout_has='"ok": true'),
        Smoke(
            "loket-admin init (a new encrypted database)",
            ["loket-admin", "init", "uji", "Petugas Uji"],
            env=password,
        ),
        Smoke(
            "loket-admin demo (lazy imports: app.demo)",
            ["loket-admin", "--user", "uji", "demo", "--applications", "3"],
            env=password,
        ),
        Smoke("loket-admin backup", ["loket-admin", "--user", "uji", "backup", str(backup)], env=password),
        Smoke("loket-admin verify", ["loket-admin", "--user", "uji", "verify"], env=password),
        Smoke("loket --smoke (offscreen)", ["loket", "--smoke"], env={"QT_QPA_PLATFORM": "offscreen"}),
    ]


def smoke_desktop_on_x11(report: Report, env: dict[str, str], cwd: Path) -> None:
    """Linux: the desktop app once more on a real X server (Xvfb): the xcb plugin and its libraries load."""
    if IS_WINDOWS or sys.platform == "darwin":
        return
    xvfb_run = shutil.which("xvfb-run")
    if not xvfb_run:
        report.skip("loket --smoke on X11", "xvfb-run is not installed")
        return
    smoke = Smoke(
        "loket --smoke (xcb, on Xvfb)",
        ["loket", "--smoke"],
        env={"QT_QPA_PLATFORM": "xcb"},
        wrap=[xvfb_run, "-a", "-s", "-screen 0 1280x800x24"],
    )
    run_smoke(report, smoke, env, cwd)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def smoke_server(report: Report, env: dict[str, str], scratch: Path) -> None:
    """`loket-server serve` answers HTTP on 127.0.0.1 (uvicorn, FastAPI and the shipped reference data)."""
    port = _free_port()
    label = "loket-server serve answers /v1/health"
    command = [
        str(executable("loket-server")),
        "serve",
        "--database",
        f"sqlite:///{(scratch / 'server.db').as_posix()}",
        "--storage",
        str(scratch / "server-documents"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    log = scratch / "server.log"
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(command, env=env, cwd=scratch, stdout=sink, stderr=subprocess.STDOUT)
        try:
            status = _wait_for_http(f"http://127.0.0.1:{port}/v1/health", process, deadline=started + 90)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    output = log.read_text(encoding="utf-8", errors="replace")
    if status is None:
        report.fail(label, f"$ {' '.join(command)}\nno HTTP answer (exit {process.returncode})\n{output}")
    elif status != 200:
        report.fail(label, f"HTTP {status}\n{output}")
    else:
        report.ok(label, f"HTTP 200 after {time.monotonic() - started:.1f} s")


def _wait_for_http(url: str, process: subprocess.Popen[bytes], deadline: float) -> int | None:
    """The HTTP status of the first answer, or None when the process ends or time runs out."""
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)
        except OSError:
            time.sleep(0.3)
    return None


def run_smokes(report: Report, version: str) -> None:
    """Every smoke test, in one temporary folder that is removed afterwards."""
    scratch = Path(tempfile.mkdtemp(prefix="loket-dist-smoke-"))
    try:
        env = smoke_env(scratch)
        for smoke in smokes(version, scratch):
            run_smoke(report, smoke, env, scratch)
        smoke_desktop_on_x11(report, env, scratch)
        smoke_server(report, env, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# --- size --------------------------------------------------------------------------------------------


def tree_size(path: Path) -> int:
    """Bytes of the regular files below a folder (symbolic links count once, at their target)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def size_report(report: Report) -> int:
    """Print the bundle's unpacked size by component, and its update archive's size, next to the budgets."""
    internal = BUNDLE_DIR / bundle.CONTENTS_DIR
    parts: dict[str, int] = {}
    largest: dict[str, int] = {}
    for path in BUNDLE_DIR.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(BUNDLE_DIR)
        size = path.stat().st_size
        if rel.parts[0] != bundle.CONTENTS_DIR:
            key = "programs (each with the Python code, PYZ)"
        else:
            key = bundle.size_component(rel.parts[1])
            largest[rel.parts[1]] = largest.get(rel.parts[1], 0) + size
        parts[key] = parts.get(key, 0) + size
    total = sum(parts.values())
    print(f"        {'component':46} {'MB':>7}")
    for key, size in sorted(parts.items(), key=lambda item: -item[1]):
        print(f"        {key:46} {size / 2**20:7.1f}")
    print(
        "        largest entries of _internal: "
        + ", ".join(
            f"{name} {size / 2**20:.1f}" for name, size in sorted(largest.items(), key=lambda item: -item[1])[:8]
        )
    )
    mb = total / 2**20
    files = sum(1 for p in internal.rglob("*") if p.is_file())
    detail = f"{files} files; budget {SIZE_BUDGET_MB} MB"
    if mb <= SIZE_BUDGET_MB:
        report.ok(f"bundle size {mb:.1f} MB unpacked", detail)
    else:
        print(f"  note  bundle size {mb:.1f} MB unpacked is over the {SIZE_BUDGET_MB} MB budget ({detail})", flush=True)
    archive = update_archive(bundle.project_version())
    archive_mb = archive.stat().st_size / 2**20
    label = f"update archive {archive.relative_to(ROOT)} {archive_mb:.1f} MB (a full update downloads it)"
    if archive_mb <= ARCHIVE_BUDGET_MB:
        report.ok(label, f"budget {ARCHIVE_BUDGET_MB} MB")
    else:
        print(f"  note  {label} is over the {ARCHIVE_BUDGET_MB} MB budget", flush=True)
    return total


def update_archive(version: str) -> Path:
    """The bundle packed as `loket-server updates publish` packs a release (app.updates.archive, canonical)."""
    from app.updates.archive import write_archive  # noqa: PLC0415

    ARCHIVE_DIR.mkdir(parents=True, exist_ok=True)
    return write_archive(BUNDLE_DIR, ARCHIVE_DIR / f"{bundle.BUNDLE_NAME}-{version}.tar.gz")


# --- Windows installer -------------------------------------------------------------------------------


def find_iscc() -> Path:
    """Inno Setup 6's command-line compiler: $ISCC, PATH, or its usual install folders."""
    for candidate in (os.environ.get("ISCC"), shutil.which("iscc"), *ISCC_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise ToolMissingError("Inno Setup 6 (ISCC.exe) not found: choco install innosetup, or set ISCC")


def installer_path(version: str) -> Path:
    """Where the installer for this version is written (the .iss names it the same way)."""
    return INSTALLER_DIR / bundle.installer_name(version)


def build_installer(report: Report, version: str) -> None:
    """Compile installers/windows/loket.iss around dist/loket."""
    iscc = find_iscc()
    command = [
        str(iscc),
        "/Qp",
        f"/DAppVersion={version}",
        f"/DAppVersionNumbers={'.'.join(str(n) for n in bundle.version_numbers(version))}",
        f"/DBundleDir={BUNDLE_DIR}",
        f"/DOutputDir={INSTALLER_DIR}",
    ]
    signtool = os.environ.get("ISCC_SIGNTOOL")
    if signtool:
        # Inno Setup runs this command (with $f for the file) on Setup and on its uninstaller.
        command += ["/DSignToolName=loket", f"/Sloket={signtool}"]
    command.append(str(ISS))
    result = subprocess.run(command, cwd=ISS.parent, capture_output=True, text=True, check=False)
    target = installer_path(version)
    if result.returncode != 0 or not target.is_file():
        report.fail("Inno Setup compile", f"{result.stdout}\n{result.stderr}")
        return
    report.ok(f"installer {target.relative_to(ROOT)}", f"{target.stat().st_size / 2**20:.1f} MB")


# --- main --------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument("--skip-build", action="store_true", help="check and smoke-test the existing dist/loket")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache and work folder first")
    parser.add_argument("--no-smoke", action="store_true", help="build and check only (not for releases)")
    parser.add_argument("--installer", action="store_true", help="also build the Windows installer (Windows only)")
    parser.add_argument("--json", metavar="FILE", help="also write the results (size, failures) to this JSON file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Build, check, smoke-test and measure the bundle; exit 1 when anything failed."""
    args = build_parser().parse_args(argv)
    if args.installer and not IS_WINDOWS:
        print("build.py: the Windows installer is built on Windows (see .github/workflows)", file=sys.stderr)
        return 2
    version = bundle.project_version()
    report = Report()
    started = time.monotonic()
    print(f"Loket {version}: one-folder bundle for {sys.platform} -> {BUNDLE_DIR.relative_to(ROOT)}")
    try:
        with step("Sources"):
            check_sources(report)
        if report.failures:
            print("FAILED: fix the sources before building.", file=sys.stderr)
            return 1
        if not args.skip_build:
            with step("PyInstaller (installers/loket.spec)"):
                run_pyinstaller(args.clean)
        with step("Contents"):
            check_contents(report)
        with step("Windows version resources"):
            check_version_resources(report, version)
        if not args.no_smoke:
            with step("Smoke tests of the frozen programs"):
                run_smokes(report, version)
        if args.installer:
            with step("Windows installer (Inno Setup)"):
                build_installer(report, version)
    except ToolMissingError as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return 1

    size = 0
    if BUNDLE_DIR.is_dir():
        with step("Size"):
            size = size_report(report)
    elapsed = time.monotonic() - started
    print(f"\nBundle: {BUNDLE_DIR}  {size / 2**20:.1f} MB unpacked  ({elapsed:.0f} s in all)")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"version": version, "bytes": size, "seconds": round(elapsed, 1), "failures": report.failures}),
            encoding="utf-8",
        )
    if report.failures:
        print(f"FAILED: {len(report.failures)} check(s): " + "; ".join(report.failures), file=sys.stderr)
        return 1
    print("All checks and smoke tests passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
