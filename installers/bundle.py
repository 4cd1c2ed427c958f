"""What goes into the frozen one-folder bundle: its programs, data files, exclusions and version.

Read by installers/loket.spec (inside PyInstaller), by installers/build.py (checks of the built
bundle) and by tests/unit/installers. Everything is derived from the project itself:

- the programs are pyproject's [project.scripts];
- the Python code is every module of the project's packages (the code imports lazily, so an
  import scan of the entry points alone would miss e.g. app.demo or app.store.backup);
- the data files are every file below resources/.

Only the PyInstaller-specific functions import PyInstaller, so the rest runs in plain `make test`.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
RESOURCES = ROOT / "resources"
ICON_ICO = RESOURCES / "icons" / "loket.ico"

BUNDLE_NAME = "loket"
"""Folder name of the bundle under dist/ (dist/loket), and what the Windows installer packs."""

CONTENTS_DIR = "_internal"
"""Where PyInstaller puts everything but the executables (sys._MEIPASS)."""

GUI_PACKAGE = "ui"
"""Programs whose entry point lives here are windowed on Windows; the others are console programs."""

COMPANY = "Loket"
PRODUCT = "Loket"
COPYRIGHT = "Loket"

# Python modules the app does not use and that must not ride along with PySide6 or the standard
# library. Excluded by name: if the project's code ever imports one, build.py stops the build (and
# a unit test fails; see `project_imports_of_excluded`) instead of shipping a program that breaks
# at run time.
EXCLUDED_MODULES: tuple[str, ...] = (
    # Web engine, QML/Quick, 3D, multimedia (the camera uses OpenCV), PDF (imports use pypdfium2).
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.QtWebView",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuick3D",
    "PySide6.QtQuickControls2",
    "PySide6.QtQuickTest",
    "PySide6.QtQuickWidgets",
    "PySide6.Qt3DAnimation",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DExtras",
    "PySide6.Qt3DInput",
    "PySide6.Qt3DLogic",
    "PySide6.Qt3DRender",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtSpatialAudio",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    # Developer tools that are not part of the app.
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtTest",
    "tkinter",
    "_tkinter",
    "turtle",
    "idlelib",
    "pydoc_data",
    "lib2to3",
    # Test and developer tools that may be installed in the build's virtual environment.
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "schemathesis",
    "mypy",
    "ruff",
    "IPython",
)

# Native files of the excluded Qt modules that a Qt plugin can drag in even when no Python module
# asks for them (shell-style patterns on the file name, matched case-insensitively).
EXCLUDED_QT_FILES: tuple[str, ...] = (
    "*qt6webengine*",
    "*qtwebengine*",
    "*qt6webchannel*",
    "*qt6websockets*",
    "*qt6qml*",
    "*qt6quick*",
    "*qt63d*",
    "*qt6multimedia*",
    "*qt6spatialaudio*",
    "*qt6pdf*",
    "*qt6designer*",
    "*qt6help*",
    "*qt6uitools*",
    "*qt6test*",
    "*qt6virtualkeyboard*",
    "*qt6labs*",
    # Windows: Mesa's software OpenGL (about 20 MB), for OpenGL and Qt Quick without a GPU driver;
    # widgets paint without OpenGL.
    "opengl32sw.dll",
)

# Qt plugin folders (below PySide6/Qt/plugins) of no use to this app. Their plugins link to the
# excluded libraries above or serve hardware and platforms Loket does not target.
EXCLUDED_QT_PLUGIN_DIRS: tuple[str, ...] = (
    "qmltooling",
    "qmllint",
    "qmlls",
    "designer",
    "sceneparsers",
    "geometryloaders",
    "renderers",
    "renderplugins",
    "multimedia",
    "virtualkeyboard",
    # Embedded-device input and displays (evdev, EGLFS on bare KMS): not laptops.
    "generic",
    "egldeviceintegrations",
)

# Platform plugins for embedded devices and remote framebuffers (Linux); the bundle keeps the
# desktop ones (xcb, wayland; qwindows on Windows) and offscreen/minimal for headless runs.
EXCLUDED_QT_PLATFORMS: tuple[str, ...] = (
    "libqeglfs*",
    "libqlinuxfb*",
    "libqvnc*",
    "libqminimalegl*",
    "libqvkkhrdisplay*",
    "*qt6eglfs*",
)

APP_LANGUAGES: tuple[str, ...] = ("id", "en")
"""The languages of Loket's user interface; Qt's own translations are kept for these only."""

# Modules left out unless the project's own code imports one of the listed modules. numpy reaches
# the import graph only through Pillow's type hints (PIL._typing); OpenCV (the camera) needs it.
CONDITIONAL_EXCLUDES: dict[str, tuple[str, ...]] = {
    "numpy": ("numpy", "cv2"),
}


def installer_name(version: str) -> str:
    """The Windows installer's file name (loket.iss's OutputBaseFilename says the same)."""
    return f"loket-{version}-windows-x64-setup.exe"


QT_PLATFORM_PLUGINS = {"linux": "libqxcb.so", "win32": "qwindows.dll", "darwin": "libqcocoa.dylib"}
"""The native platform plugin each OS needs; build.py checks it is in the bundle."""


@dataclass(frozen=True)
class Program:
    """One executable of the bundle, from a [project.scripts] entry."""

    name: str
    module: str
    function: str
    packages: tuple[str, ...]

    @property
    def windowed(self) -> bool:
        """Whether Windows should start it without a console window (the desktop app)."""
        return self.module.split(".")[0] == GUI_PACKAGE

    @property
    def console(self) -> bool:
        """Whether it is a console program (the command-line tools)."""
        return not self.windowed

    def launcher_source(self) -> str:
        """The Python source of the script PyInstaller freezes as this program's entry point."""
        return (
            f'"""Frozen entry point of `{self.name}` (generated by installers/bundle.py)."""\n'
            "import multiprocessing\n"
            "import sys\n\n"
            "# Child processes of a frozen program start this same executable.\n"
            "multiprocessing.freeze_support()\n\n"
            f"from {self.module} import {self.function}\n\n"
            f"sys.exit({self.function}())\n"
        )


def read_pyproject(path: Path = PYPROJECT) -> dict[str, Any]:
    """pyproject.toml as a dictionary."""
    with path.open("rb") as handle:
        return tomllib.load(handle)


def project_version(pyproject: dict[str, Any] | None = None) -> str:
    """The version written in pyproject.toml (the single source of the release's version)."""
    project = (pyproject or read_pyproject())["project"]
    return str(project["version"])


def project_packages(pyproject: dict[str, Any] | None = None, root: Path = ROOT) -> tuple[str, ...]:
    """The top-level packages the project ships (setuptools' packages.find include patterns)."""
    data = pyproject or read_pyproject()
    patterns = data["tool"]["setuptools"]["packages"]["find"]["include"]
    found = sorted(
        child.name
        for child in root.iterdir()
        if (child / "__init__.py").is_file() and any(fnmatch.fnmatchcase(child.name, p) for p in patterns)
    )
    return tuple(found)


def programs(pyproject: dict[str, Any] | None = None, root: Path = ROOT) -> tuple[Program, ...]:
    """Every console script as a Program; the desktop app first (it carries the shared data files).

    The desktop app gets every project package. The command-line tools get every package except
    the Qt user interface: by the project's layering, `app` and `sync` never import `ui`.
    """
    data = pyproject or read_pyproject()
    packages = project_packages(data, root)
    found = []
    for name, target in data["project"]["scripts"].items():
        module, _, function = target.partition(":")
        windowed = module.split(".")[0] == GUI_PACKAGE
        own = packages if windowed else tuple(p for p in packages if p != GUI_PACKAGE)
        found.append(Program(name=name, module=module, function=function or "main", packages=own))
    return tuple(sorted(found, key=lambda p: (not p.windowed, p.name)))


def project_modules(packages: Iterable[str], root: Path = ROOT) -> list[str]:
    """Every module of the given project packages, from the source tree.

    Read from the files rather than by importing: a lazily imported module is found all the same,
    and so is a folder that has no __init__.py yet.
    """
    modules = set()
    for package in packages:
        for path in (root / package).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            if "__pycache__" in parts or any(not part.isidentifier() for part in parts):
                continue  # not importable (e.g. a scratch file named like-this.py)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            for depth in range(1, len(parts) + 1):
                modules.add(".".join(parts[:depth]))
    return sorted(modules)


def _is_shipped(path: Path) -> bool:
    """Whether a file below resources/ belongs in the bundle (not editor or Python leftovers)."""
    return not any(part.startswith(".") or part == "__pycache__" for part in path.parts) and path.suffix != ".pyc"


def resource_files(resources: Path = RESOURCES) -> list[Path]:
    """Every shipped data file below resources/, relative to it, sorted."""
    return sorted(
        path.relative_to(resources)
        for path in resources.rglob("*")
        if path.is_file() and _is_shipped(path.relative_to(resources))
    )


def resource_datas(resources: Path = RESOURCES) -> list[tuple[str, str]]:
    """PyInstaller `datas` entries: each data file and the bundle folder it goes to.

    The bundle keeps resources/'s layout below <_MEIPASS>/resources, where app/resources.py looks.
    """
    return [
        (str(resources / rel), str(Path("resources") / rel.parent).replace("\\", "/"))
        for rel in resource_files(resources)
    ]


def version_numbers(version: str) -> tuple[int, int, int, int]:
    """The four numbers of a Windows version resource from a PEP 440 version ("1.2.0rc1" -> 1.2.0.0)."""
    match = re.match(r"\d+(?:\.\d+)*", version.strip().lstrip("vV"))
    if not match:
        raise ValueError(f"not a release version: {version!r}")
    numbers = [int(part) for part in match.group(0).split(".")][:4]
    numbers += [0] * (4 - len(numbers))
    if any(n > 0xFFFF for n in numbers):
        raise ValueError(f"version parts must fit 16 bits for Windows: {version!r}")
    return numbers[0], numbers[1], numbers[2], numbers[3]


def is_excluded_qt_file(name: str) -> bool:
    """Whether a collected file (destination path in the bundle) belongs to an excluded Qt part."""
    normalized = name.replace("\\", "/").lower()
    base = normalized.rsplit("/", 1)[-1]
    if any(fnmatch.fnmatchcase(base, pattern) for pattern in EXCLUDED_QT_FILES + EXCLUDED_QT_PLATFORMS):
        return True
    parts = normalized.split("/")
    if "plugins" in parts:
        after = parts[parts.index("plugins") + 1 :]
        if after and after[0] in EXCLUDED_QT_PLUGIN_DIRS:
            return True
    if "translations" in parts and base.endswith(".qm") and "resources" not in parts:
        # Qt's catalogues are named <catalogue>_<language>[_<COUNTRY>].qm, e.g. qtbase_pt_BR.qm.
        language = base.removesuffix(".qm").split("_")[1:2]
        return language[0] not in APP_LANGUAGES if language else False
    # QML modules (PySide6/Qt/qml on Linux, PySide6/qml on Windows) only serve QtQml/QtQuick.
    return "pyside6" in parts and "qml" in parts


def without_excluded(entries: Iterable[Any]) -> list[Any]:
    """PyInstaller TOC entries (dest_name, src_name, typecode) minus the excluded Qt files."""
    return [entry for entry in entries if not is_excluded_qt_file(entry[0])]


@dataclass(frozen=True)
class ImportSite:
    """One import statement in the project's code."""

    module: str
    file: Path
    line: int


def project_imports(packages: Iterable[str] | None = None, root: Path = ROOT) -> list[ImportSite]:
    """Every absolute import in the project's packages, lazy ones inside functions included."""
    found = []
    for package in packages if packages is not None else project_packages(root=root):
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            tree = ast.parse(path.read_bytes(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found += [ImportSite(alias.name, path, node.lineno) for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.append(ImportSite(node.module, path, node.lineno))
                    # `from PySide6 import QtPdf` imports the submodule PySide6.QtPdf.
                    found += [ImportSite(f"{node.module}.{a.name}", path, node.lineno) for a in node.names]
    return found


def _within(module: str, names: Iterable[str]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in names)


def excluded_modules(imports: Iterable[ImportSite] | None = None) -> list[str]:
    """The modules the bundle leaves out: the fixed list, plus each conditional one nobody needs."""
    modules = [site.module for site in (imports if imports is not None else project_imports())]
    excluded = list(EXCLUDED_MODULES)
    for name, users in CONDITIONAL_EXCLUDES.items():
        if not any(_within(module, users) for module in modules):
            excluded.append(name)
    return excluded


def project_imports_of_excluded(imports: Iterable[ImportSite] | None = None, root: Path = ROOT) -> list[str]:
    """Where the project's code imports a module the bundle leaves out ("file:line module")."""
    sites = list(imports if imports is not None else project_imports(root=root))
    excluded = excluded_modules(sites)
    return [
        f"{site.file.relative_to(root)}:{site.line} imports {site.module}"
        for site in sites
        if _within(site.module, excluded)
    ]


# --- The parts below run inside PyInstaller (imported lazily so `make test` needs no PyInstaller). ---


def package_datas(program: Program) -> list[tuple[str, str]]:
    """Non-Python files inside the project packages (none today), plus the project's metadata.

    The metadata carries the version that `app.version` reads with importlib.metadata.
    """
    from PyInstaller.utils.hooks import collect_data_files, copy_metadata  # noqa: PLC0415

    datas: list[tuple[str, str]] = []
    for package in program.packages:
        datas.extend(collect_data_files(package, excludes=["**/__pycache__"]))
    datas.extend(copy_metadata("loket"))
    return datas


def version_resource_text(program: Program, version: str) -> str:
    """The Windows version resource of one executable, in PyInstaller's text form (a Python expression).

    Built from pyproject's version; installers/build.py writes it next to the launchers and checks it
    with PyInstaller's own parser on every platform, Windows embeds it in the .exe.
    """
    numbers = version_numbers(version)
    description = "Loket" if program.windowed else f"Loket - {program.name}"
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": program.name,
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": f"{program.name}.exe",
        "ProductName": PRODUCT,
        "ProductVersion": version,
    }
    string_structs = ",\n          ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return (
        "# UTF-8\n"
        f"# Version resource of {program.name}.exe, generated by installers/bundle.py from pyproject.toml.\n"
        "VSVersionInfo(\n"
        "  ffi=FixedFileInfo(\n"
        f"    filevers={numbers},\n"
        f"    prodvers={numbers},\n"
        "    mask=0x3f,\n"
        "    flags=0x0,\n"
        "    OS=0x40004,\n"  # Windows NT, 32/64-bit
        "    fileType=0x1,\n"  # an application
        "    subtype=0x0,\n"
        "    date=(0, 0),\n"
        "  ),\n"
        "  kids=[\n"
        "    StringFileInfo([\n"
        "      StringTable(\n"
        "        '040904B0',\n"  # US English, Unicode
        f"        [{string_structs}],\n"
        "      ),\n"
        "    ]),\n"
        "    VarFileInfo([VarStruct('Translation', [1033, 1200])]),\n"
        "  ],\n"
        ")\n"
    )


def write_version_files(folder: Path, found: Iterable[Program], version: str) -> dict[str, Path]:
    """Write each program's version resource text into the folder; program name -> file."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for program in found:
        path = folder / f"version-{program.name}.txt"
        path.write_text(version_resource_text(program, version), encoding="utf-8")
        files[program.name] = path
    return files


def write_launchers(folder: Path, found: Iterable[Program]) -> Iterator[tuple[Program, Path]]:
    """Write each program's entry script into the folder (PyInstaller's work folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    for program in found:
        script = folder / f"{program.name.replace('-', '_')}.py"
        source = program.launcher_source()
        if not script.exists() or script.read_text(encoding="utf-8") != source:
            script.write_text(source, encoding="utf-8")
        yield program, script


def icon_for_platform() -> str | None:
    """The executable icon where the platform embeds one (Windows); Linux has none."""
    return str(ICON_ICO) if sys.platform == "win32" else None
