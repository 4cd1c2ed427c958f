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
from collections.abc import Callable, Iterable, Iterator
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
    # Networking is Python's (requests, uvicorn): Qt's network module and its TLS and reachability
    # plugins, and the GSSAPI/Kerberos libraries they pull in, serve nothing. D-Bus from Python neither
    # (Qt's own library stays: QtGui links it).
    "PySide6.QtNetwork",
    "PySide6.QtDBus",
    # Pillow's AVIF codec (libavif, about 5 MB) and Tk bridge: Loket reads scans as JPEG, PNG, TIFF or PDF.
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._imagingtk",
    "PIL.ImageTk",
    "readline",
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
    "*qt6network*",
    # The GTK 3 platform theme: it alone pulls GTK, GDK, Pango, Cairo and ATK (about 20 MB) into the
    # bundle; Qt's own style and the XDG desktop portal theme stay.
    "libqgtk3.so",
    # Image formats Loket never shows (its images are JPEG and PNG, icons SVG and ICO).
    "libqicns.so",
    "libqtga.so",
    "libqwbmp.so",
    "libqtiff.so",
    "libqwebp.so",
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
    # QtNetwork's plugins (the module is excluded above).
    "networkinformation",
    "tls",
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


AWS_SERVICES_KEPT: tuple[str, ...] = ("s3",)
"""The server's object storage speaks S3 only: botocore's and boto3's models of the other 400-odd AWS
services (about 18 MB of data files) stay out; their shared files (endpoints, partitions) stay in."""


def is_excluded_data(name: str) -> bool:
    """Whether a collected data file (destination path in the bundle) is a model of an unused AWS service."""
    parts = name.replace("\\", "/").split("/")
    if len(parts) >= 4 and parts[0] in ("botocore", "boto3") and parts[1] == "data":
        return parts[2] not in AWS_SERVICES_KEPT
    return False


DYNAMIC_IMPORT_PACKAGES: tuple[str, ...] = ("reportlab.graphics.barcode",)
"""Packages that import their modules from strings (reportlab's barcodes, for the receipts' QR codes):
every submodule goes into every program, which an import scan cannot see."""


def dynamic_imports() -> list[str]:
    """The submodules of DYNAMIC_IMPORT_PACKAGES (PyInstaller hidden imports)."""
    from PyInstaller.utils.hooks import collect_submodules  # noqa: PLC0415

    return [name for package in DYNAMIC_IMPORT_PACKAGES for name in collect_submodules(package)]


def ocr_model_datas() -> list[tuple[str, str]]:
    """PyInstaller `datas` for the card reader's recogniser model (app/cardread/engine.py): the one file of
    the rapidocr-onnxruntime wheel it loads, as resources/ocr/<model>. Reading a KK is a feature of the app,
    so a build without the model fails here rather than ship a reader that cannot read."""
    from app.cardread.engine import BUNDLED_MODEL, EngineMissingError, model_path  # noqa: PLC0415

    try:
        model = model_path()
    except EngineMissingError as exc:
        raise SystemExit(f"build: {exc} (make setup installs it)") from None
    return [(str(model), "/".join(("resources", *BUNDLED_MODEL[:-1])))]


ENV_UPDATES_ROOT = "LOKET_UPDATES_ROOT"
"""The Dinas' update root metadata (`loket-server updates init` makes it): the bundle carries it as
resources/updates/root.json, the trust anchor of every update (docs/updates.md)."""


def update_root_datas() -> list[tuple[str, str]]:
    """PyInstaller `datas` for the update root metadata named by $LOKET_UPDATES_ROOT (none: updates off)."""
    import os  # noqa: PLC0415

    value = os.environ.get(ENV_UPDATES_ROOT)
    if not value:
        return []
    path = Path(value)
    if path.name != "root.json" or not path.is_file():
        raise SystemExit(f"{ENV_UPDATES_ROOT}={value}: not a root.json file (the repository's metadata/root.json)")
    return [(str(path), "resources/updates")]


# What `make dist` reports the bundle's size by: component -> top-level names below _internal
# (a package folder, a wheel's `.libs` folder, or a shared library's name prefix).
SIZE_COMPONENTS: dict[str, tuple[str, ...]] = {
    "Qt (PySide6, shiboken6)": ("PySide6", "shiboken6"),
    "OpenCV (cv2 and its libraries)": ("cv2", "opencv_python_headless.libs", "opencv_python.libs"),
    "numpy": ("numpy", "numpy.libs"),
    "OCR (rapidocr_onnxruntime, onnxruntime)": ("rapidocr_onnxruntime", "onnxruntime"),
    "Python runtime": ("libpython", "python3", "base_library.zip", "lib-dynload"),
    "SQLCipher and cryptography": ("sqlcipher3", "cryptography", "libcrypto", "libssl", "_cffi_backend", "nacl"),
    "server (uvicorn, PostgreSQL, S3)": ("psycopg2", "psycopg2_binary.libs", "botocore", "boto3", "uvloop"),
    "PDF and images (pdfium, Pillow, reportlab)": ("pypdfium2", "pypdfium2_raw", "PIL", "pillow.libs", "reportlab"),
    "Loket's data files (resources/)": ("resources",),
}


def size_component(first: str) -> str:
    """The component a top-level entry of _internal belongs to ("other" when none claims it)."""
    for component, prefixes in SIZE_COMPONENTS.items():
        if any(first == p or first.startswith(p) for p in prefixes):
            return component
    return "other (system libraries, pydantic, yaml, …)"


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
    """PyInstaller TOC entries (dest_name, src_name, typecode) minus the excluded Qt and AWS files."""
    return [entry for entry in entries if not is_excluded_qt_file(entry[0]) and not is_excluded_data(entry[0])]


Imports = Callable[[str], Iterable[tuple[str, str | None]]]


def without_orphans(kept: Iterable[Any], dropped: Iterable[Any], imports: Imports) -> list[Any]:
    """The kept TOC entries minus the shared libraries only the dropped files needed.

    PyInstaller collects a plugin's libraries next to it (GTK for the GTK theme plugin); once the
    plugin is excluded they would ride along unused. `imports(path)` gives a file's libraries (ldd
    lists them transitively). Only top-level libraries are dropped: a package's own folder may hold
    libraries loaded by name (ctypes).
    """
    kept = list(kept)

    def top_level(entry: Any) -> bool:
        return "/" not in entry[0].replace("\\", "/") and entry[2] == "BINARY"

    def needed(entries: Iterable[Any]) -> set[str]:
        names: set[str] = set()
        for entry in entries:
            if entry[2] in ("BINARY", "EXTENSION"):
                names.update(Path(name).name for name, _ in imports(entry[1]))
        return names

    # What the rest needs, from the files that are there for their own sake (extensions, Qt's
    # libraries and plugins): a top-level library GTK alone needed is not kept by GTK's other libraries.
    orphans = needed(dropped) - needed(entry for entry in kept if not top_level(entry))
    return [entry for entry in kept if not (top_level(entry) and entry[0] in orphans)]


def strip_debug(entries: Iterable[Any], cache: Path, strip: str | None) -> list[Any]:
    """Linux: TOC entries whose native files carry debug information, pointed at stripped copies.

    `strip --strip-debug` keeps every symbol a library exports; libpython and SQLCipher alone lose
    about 28 MB. Files in a wheel's `<name>.libs` folder are left alone (auditwheel rewrote them with
    patchelf, which strip may undo), and a copy is used only when it is smaller.
    """
    if strip is None or not sys.platform.startswith("linux"):
        return list(entries)
    import subprocess  # noqa: PLC0415

    cache.mkdir(parents=True, exist_ok=True)
    result = []
    for dest, src, typecode in entries:
        source = Path(src)
        folders = Path(dest).parts[:-1]
        if typecode not in ("BINARY", "EXTENSION") or any(part.endswith(".libs") for part in folders):
            result.append((dest, src, typecode))
            continue
        target = cache / dest
        if not target.is_file() or target.stat().st_mtime < source.stat().st_mtime:
            target.parent.mkdir(parents=True, exist_ok=True)
            done = subprocess.run([strip, "--strip-debug", "-o", str(target), str(source)], check=False)
            if done.returncode != 0:
                target.unlink(missing_ok=True)
        smaller = target.is_file() and target.stat().st_size < source.stat().st_size
        result.append((dest, str(target) if smaller else src, typecode))
    return result


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


MULTICALL = sys.platform.startswith("linux")
"""Linux: one executable carries the Python code once and the other programs are symbolic links to it
(it runs the program it is called as); three executables would carry three copies (about 32 MB more).
Windows keeps three executables: the desktop app is windowed, the tools are console programs."""


def multicall_source(found: Iterable[Program]) -> str:
    """The entry script of the one executable that runs every program by the name it is called as."""
    found = list(found)
    first, others = found[0], found[1:]
    branches = "".join(
        f"{'if' if index == 0 else 'elif'} called == {program.name!r}:\n"
        f"    from {program.module} import {program.function} as main\n"
        for index, program in enumerate(others)
    )
    fallback = f"else:\n    from {first.module} import {first.function} as main\n" if others else ""
    return (
        f'"""Frozen entry point of {", ".join(p.name for p in found)} (generated by installers/bundle.py)."""\n'
        "import multiprocessing\n"
        "import os\n"
        "import sys\n\n"
        "# Child processes of a frozen program start this same executable.\n"
        "multiprocessing.freeze_support()\n\n"
        "called = os.path.basename(sys.argv[0]).removesuffix('.exe')\n"
        f"{branches}{fallback}"
        "sys.exit(main())\n"
    )


def write_launchers(folder: Path, found: Iterable[Program], multicall: bool = False) -> Iterator[tuple[Program, Path]]:
    """Write each program's entry script into the folder (PyInstaller's work folder).

    With `multicall`, one script for the first program (the desktop app, which has every package)
    that runs the others by name (see MULTICALL and `link_programs`).
    """
    folder.mkdir(parents=True, exist_ok=True)
    found = list(found)
    chosen = [(found[0], multicall_source(found))] if multicall else [(p, p.launcher_source()) for p in found]
    for program, source in chosen:
        script = folder / f"{program.name.replace('-', '_')}.py"
        if not script.exists() or script.read_text(encoding="utf-8") != source:
            script.write_text(source, encoding="utf-8")
        yield program, script


def link_programs(bundle_dir: Path, found: Iterable[Program]) -> None:
    """With MULTICALL: each program but the first as a relative symbolic link to the first."""
    found = list(found)
    for program in found[1:]:
        link = bundle_dir / program.name
        link.unlink(missing_ok=True)
        link.symlink_to(found[0].name)


def icon_for_platform() -> str | None:
    """The executable icon where the platform embeds one (Windows); Linux has none."""
    return str(ICON_ICO) if sys.platform == "win32" else None
