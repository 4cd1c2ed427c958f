"""installers/bundle.py: the bundle collects every data file, program and module, and leaves out the rest."""

from __future__ import annotations

import ast
import os
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]


def test_resource_datas_cover_every_file_under_resources(bundle: ModuleType) -> None:
    on_disk = set()
    for folder, dirs, files in os.walk(ROOT / "resources"):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        on_disk |= {Path(folder, f).relative_to(ROOT / "resources") for f in files if not f.startswith(".")}

    datas = bundle.resource_datas()
    collected = {Path(src).relative_to(ROOT / "resources"): Path(dest) for src, dest in datas}

    assert set(collected) == on_disk
    assert len(datas) == len(collected), "a data file is collected twice"
    for rel, dest in collected.items():
        # The bundle keeps resources/'s layout, below <_MEIPASS>/resources where app/resources.py looks.
        assert dest == Path("resources") / rel.parent
        assert (ROOT / "resources" / rel).is_file()


def test_resource_datas_include_the_icons_and_the_data_the_app_loads(bundle: ModuleType) -> None:
    shipped = {str(rel).replace(os.sep, "/") for rel in bundle.resource_files()}

    assert {"icons/loket.ico", "icons/loket.png", "catalog/catalog.yaml", "forms/codelists.yaml"} <= shipped
    assert any(name.startswith("regions/") for name in shipped)


def test_resource_files_leave_out_editor_and_python_leftovers(bundle: ModuleType, tmp_path: Path) -> None:
    for name in ("a.yaml", "sub/b.csv", ".DS_Store", "sub/.~lock.b.csv#", "__pycache__/x.cpython-311.pyc", ".git/x"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")

    assert bundle.resource_files(tmp_path) == [Path("a.yaml"), Path("sub/b.csv")]


def test_programs_are_the_console_scripts_of_pyproject(bundle: ModuleType) -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]

    programs = bundle.programs()

    assert {p.name for p in programs} == set(scripts)
    assert {p.name for p in programs} >= {"loket", "loket-admin", "loket-server"}
    assert programs[0].name == "loket", "the desktop app comes first: it carries the shared data files"
    by_name = {p.name: p for p in programs}
    assert by_name["loket"].windowed
    assert by_name["loket-admin"].console
    assert by_name["loket-server"].console
    assert set(by_name["loket"].packages) == {"app", "ui", "sync"}
    assert "ui" not in by_name["loket-admin"].packages
    assert "ui" not in by_name["loket-server"].packages


def test_each_program_entry_point_exists(bundle: ModuleType) -> None:
    for program in bundle.programs():
        source = ROOT.joinpath(*program.module.split(".")).with_suffix(".py")
        tree = ast.parse(source.read_text(encoding="utf-8"))
        functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        assert program.function in functions, f"{program.module}:{program.function}"


def test_launcher_freezes_multiprocessing_support_and_calls_the_entry_point(bundle: ModuleType) -> None:
    program = bundle.Program(name="loket-admin", module="app.admin.cli", function="main", packages=("app",))

    source = program.launcher_source()

    compile(source, "loket_admin.py", "exec")
    assert "multiprocessing.freeze_support()" in source
    assert "from app.admin.cli import main" in source
    assert source.rstrip().endswith("sys.exit(main())")


def test_write_launchers_writes_one_script_per_program(bundle: ModuleType, tmp_path: Path) -> None:
    written = dict(bundle.write_launchers(tmp_path, bundle.programs()))

    assert {script.name for script in written.values()} == {"loket.py", "loket_admin.py", "loket_server.py"}
    for program, script in written.items():
        assert script.read_text(encoding="utf-8") == program.launcher_source()


def test_project_modules_find_lazy_imports_and_folders_without_init(bundle: ModuleType, tmp_path: Path) -> None:
    for name in ("pkg/__init__.py", "pkg/cli.py", "pkg/sub/mod.py", "pkg/scratch-copy.py", "pkg/__pycache__/x.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")

    modules = bundle.project_modules(["pkg"], root=tmp_path)

    assert modules == ["pkg", "pkg.cli", "pkg.sub", "pkg.sub.mod"]


def test_project_modules_of_the_real_tree_hold_every_entry_point(bundle: ModuleType) -> None:
    modules = set(bundle.project_modules(bundle.project_packages()))

    assert {p.module for p in bundle.programs()} <= modules
    assert "app.store.backup" in modules  # imported lazily by loket-admin backup


@pytest.mark.parametrize(
    ("version", "numbers"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("2", (2, 0, 0, 0)),
        ("1.2.3.4.5", (1, 2, 3, 4)),
        ("1.4.0rc1", (1, 4, 0, 0)),
        ("0.2.0.dev3+g1234", (0, 2, 0, 0)),
        ("v1.2", (1, 2, 0, 0)),
    ],
)
def test_version_numbers_for_windows(bundle: ModuleType, version: str, numbers: tuple[int, ...]) -> None:
    assert bundle.version_numbers(version) == numbers


@pytest.mark.parametrize("version", ["", "latest", "70000.1"])
def test_version_numbers_refuse_what_windows_cannot_hold(bundle: ModuleType, version: str) -> None:
    with pytest.raises(ValueError, match="version"):
        bundle.version_numbers(version)


class _Recorded:
    """Stands in for PyInstaller's versioninfo classes (same constructor arguments) while evaluating the text."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.args = args
        self.kwargs = kwargs


def _stand_in(name: str, parameters: tuple[str, ...]) -> type:
    def init(self: _Recorded, *args: object, **kwargs: object) -> None:
        unknown = set(kwargs) - set(parameters)
        assert not unknown, f"{name} takes no {unknown}"
        assert len(args) <= len(parameters), f"{name} takes {len(parameters)} arguments"
        _Recorded.__init__(self, *args, **kwargs)

    return type(name, (_Recorded,), {"__init__": init})


# The constructor parameters of PyInstaller.utils.win32.versioninfo's classes.
_VERSIONINFO = {
    "VSVersionInfo": ("ffi", "kids"),
    "FixedFileInfo": ("filevers", "prodvers", "mask", "flags", "OS", "fileType", "subtype", "date"),
    "StringFileInfo": ("kids",),
    "StringTable": ("name", "kids"),
    "StringStruct": ("name", "val"),
    "VarFileInfo": ("kids",),
    "VarStruct": ("name", "kids"),
}


def test_version_resource_text_carries_pyproject_version(bundle: ModuleType) -> None:
    program = next(p for p in bundle.programs() if p.name == "loket-admin")
    namespace = {name: _stand_in(name, params) for name, params in _VERSIONINFO.items()}

    info = eval(bundle.version_resource_text(program, "1.2.3"), {"__builtins__": {}}, namespace)

    assert type(info).__name__ == "VSVersionInfo"
    fixed = info.kwargs["ffi"]
    assert fixed.kwargs["filevers"] == (1, 2, 3, 0)
    assert fixed.kwargs["prodvers"] == (1, 2, 3, 0)
    string_table = info.kwargs["kids"][0].args[0][0]
    strings = {s.args[0]: s.args[1] for s in string_table.args[1]}
    assert strings["FileVersion"] == "1.2.3"
    assert strings["ProductVersion"] == "1.2.3"
    assert strings["OriginalFilename"] == "loket-admin.exe"
    assert strings["ProductName"] == "Loket"


def test_version_files_are_written_for_every_program(bundle: ModuleType, tmp_path: Path) -> None:
    files = bundle.write_version_files(tmp_path, bundle.programs(), "0.1.0")

    assert set(files) == {p.name for p in bundle.programs()}
    assert all("'FileVersion', '0.1.0'" in path.read_text(encoding="utf-8") for path in files.values())


@pytest.mark.parametrize(
    ("name", "excluded"),
    [
        ("PySide6/Qt/lib/libQt6WebEngineCore.so.6", True),
        ("PySide6/Qt6Qml.dll", True),
        ("PySide6\\Qt6Quick.dll", True),
        ("PySide6/Qt/lib/libQt6Pdf.so.6", True),
        ("PySide6/Qt6Multimedia.dll", True),
        ("PySide6/Qt/qml/QtQuick/Controls/libqtquickcontrols2plugin.so", True),
        ("PySide6\\qml\\QtQuick\\qtquick2plugin.dll", True),
        ("PySide6/opengl32sw.dll", True),
        ("PySide6/Qt/plugins/qmltooling/libqmldbg_debugger.so", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", True),
        ("PySide6/Qt/translations/qtbase_de.qm", True),
        ("PySide6/Qt/translations/qt_help_en.qm", True),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", False),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
        ("PySide6/plugins/platforms/qwindows.dll", False),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
        ("PySide6/Qt/translations/qtbase_en.qm", False),
        ("PySide6/translations/qt_id.qm", False),
        ("resources/translations/loket_de.qm", False),
        ("resources/forms/F-1.01@PMDN109-2019.yaml", False),
        ("cv2/cv2.abi3.so", False),
    ],
)
def test_excluded_qt_files(bundle: ModuleType, name: str, excluded: bool) -> None:
    assert bundle.is_excluded_qt_file(name) is excluded


def test_without_excluded_filters_pyinstaller_entries(bundle: ModuleType) -> None:
    entries = [
        ("PySide6/Qt/lib/libQt6Widgets.so.6", "/x/libQt6Widgets.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Qml.so.6", "/x/libQt6Qml.so.6", "BINARY"),
    ]

    assert bundle.without_excluded(entries) == entries[:1]


def test_project_code_imports_no_module_the_bundle_excludes(bundle: ModuleType) -> None:
    # A module the code imports but the bundle leaves out would fail only in the frozen program.
    assert bundle.project_imports_of_excluded() == []


def test_an_excluded_import_is_reported_with_its_place(bundle: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "viewer.py").write_text(
        "import json\n\ndef show():\n    from PySide6 import QtPdf\n    import tkinter.ttk\n",
        encoding="utf-8",
    )

    sites = bundle.project_imports(["pkg"], root=tmp_path)
    problems = bundle.project_imports_of_excluded(sites, root=tmp_path)

    viewer = str(Path("pkg") / "viewer.py")
    assert problems == [f"{viewer}:4 imports PySide6.QtPdf", f"{viewer}:5 imports tkinter.ttk"]


def test_numpy_is_left_out_unless_the_code_uses_it_or_opencv(bundle: ModuleType, tmp_path: Path) -> None:
    site = bundle.ImportSite

    assert "numpy" in bundle.excluded_modules([site("PIL.Image", tmp_path, 1)])
    assert "numpy" not in bundle.excluded_modules([site("cv2", tmp_path, 1)])
    assert "numpy" not in bundle.excluded_modules([site("numpy.typing", tmp_path, 1)])


def test_installer_name_matches_the_inno_setup_output(bundle: ModuleType) -> None:
    iss = (ROOT / "installers" / "windows" / "loket.iss").read_text(encoding="utf-8")

    assert "OutputBaseFilename=loket-{#AppVersion}-windows-x64-setup" in iss
    assert bundle.installer_name("1.2.3") == "loket-1.2.3-windows-x64-setup.exe"
