"""installers/windows/loket.iss keeps its promises: per-machine, upgrade in place, the data folder kept and writable.

Inno Setup only runs on Windows; these tests read the script as text, and check that it agrees with
the bundle (installers/bundle.py), the data paths (app/paths.py) and the installer check script.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from app import paths

ROOT = Path(__file__).resolve().parents[3]
WINDOWS = ROOT / "installers" / "windows"
ISS = WINDOWS / "loket.iss"
GUID = re.compile(r"^\{\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$")


def _defines(text: str) -> dict[str, str]:
    return dict(re.findall(r'^\s*#define\s+(\w+)\s+"([^"]*)"', text, flags=re.MULTILINE))


def _expand(value: str, defines: dict[str, str]) -> str:
    return re.sub(r"\{#(\w+)\}", lambda m: defines.get(m.group(1), m.group(0)), value)


def _sections(text: str) -> dict[str, list[str]]:
    """Section name -> its lines, without comments, preprocessor lines and the [Code] section's Pascal."""
    defines = _defines(text)
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = header.group(1)
            sections.setdefault(current, [])
        elif current != "Code":
            sections.setdefault(current, []).append(_expand(line, defines))
    return sections


def _setup(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in _sections(text)["Setup"])


def _entries(text: str, section: str) -> list[dict[str, str]]:
    """The "Name: value; Flags: ..." entries of a section, quotes removed."""
    entries = []
    for line in _sections(text).get(section, []):
        fields = re.findall(r'(\w+):\s*("[^"]*"|[^;]*)', line)
        entries.append({key: value.strip().strip('"') for key, value in fields})
    return entries


@pytest.fixture(scope="module")
def iss() -> str:
    return ISS.read_text(encoding="utf-8")


def test_app_id_is_a_fixed_guid_so_upgrades_replace_the_installed_version(iss: str) -> None:
    app_id = _setup(iss)["AppId"]

    assert GUID.match(app_id), f"AppId must be a literal GUID, never computed: {app_id}"
    assert "{#" not in app_id
    # The check script looks the installation up under the same id.
    check = (WINDOWS / "check-installer.ps1").read_text(encoding="utf-8")
    assert f"$AppId = '{app_id[1:]}'" in check


def test_installs_per_machine_into_program_files(iss: str) -> None:
    setup = _setup(iss)

    assert setup["PrivilegesRequired"] == "admin"
    assert "PrivilegesRequiredOverridesAllowed" not in setup
    assert setup["DefaultDirName"] == r"{autopf}\Loket"
    assert setup["ArchitecturesInstallIn64BitMode"] == "x64compatible"
    assert setup["UsePreviousAppDir"] == "yes"
    assert setup["CloseApplications"] == "yes"


def test_version_comes_from_the_build(iss: str) -> None:
    setup = _setup(iss)

    assert setup["AppVersion"] == "{#AppVersion}"
    assert setup["VersionInfoVersion"] == "{#AppVersionNumbers}"
    assert re.search(r"#ifndef AppVersion\s+#error", iss), "an installer without a version must not compile"


def test_data_folder_is_where_the_app_keeps_it_on_windows(monkeypatch: pytest.MonkeyPatch, iss: str) -> None:
    monkeypatch.delenv("LOKET_BASEDIR", raising=False)
    monkeypatch.setenv("PROGRAMDATA", r"C:\ProgramData")
    monkeypatch.setattr(sys, "platform", "win32")

    app_folder = paths.default_basedir()
    data_dirs = [e for e in _entries(iss, "Dirs") if e["Name"].startswith("{commonappdata}")]

    assert [e["Name"] for e in data_dirs] == ["{commonappdata}\\" + app_folder.name]
    assert str(app_folder).replace("/", "\\") == r"C:\ProgramData\Loket"


def test_data_folder_is_writable_by_users_and_kept_on_uninstall(iss: str) -> None:
    (data_dir,) = [e for e in _entries(iss, "Dirs") if e["Name"] == r"{commonappdata}\Loket"]

    assert data_dir["Permissions"] == "users-modify"
    assert "uninsneveruninstall" in data_dir["Flags"].split()
    for entry in _entries(iss, "UninstallDelete"):
        assert "{commonappdata}" not in entry["Name"], "the data folder is deleted only when the user asks"


def test_uninstaller_deletes_the_data_only_when_asked(iss: str) -> None:
    code = iss.split("[Code]", 1)[1]

    assert code.count("DelTree(") == 1
    assert re.search(r"usPostUninstall\)\s+and\s+DeleteData", code)
    assert "DeleteData := HasSwitch('/DELETEDATA')" in code
    assert "Box.Checked := False;" in code  # the tick box starts unticked
    assert "MB_DEFBUTTON2" in code  # and the confirmation defaults to "No"


def test_packs_the_whole_bundle_and_replaces_its_libraries_on_upgrade(bundle: ModuleType, iss: str) -> None:
    defines = _defines(iss)
    (files,) = _entries(iss, "Files")

    assert Path(defines["BundleDir"].replace("\\", "/")).name == bundle.BUNDLE_NAME
    assert files["Source"] == defines["BundleDir"] + "\\*"
    assert files["DestDir"] == "{app}"
    assert {"recursesubdirs", "createallsubdirs", "ignoreversion"} <= set(files["Flags"].split())
    assert [e["Name"] for e in _entries(iss, "InstallDelete")] == ["{app}\\" + bundle.CONTENTS_DIR]


def test_shortcuts_start_the_desktop_app(bundle: ModuleType, iss: str) -> None:
    (gui,) = [p for p in bundle.programs() if p.windowed]
    icons = _entries(iss, "Icons")

    assert {e["Name"].split("\\")[0] for e in icons} == {"{autoprograms}", "{autodesktop}"}
    assert all(e["Filename"] == f"{{app}}\\{gui.name}.exe" for e in icons)
    (run,) = _entries(iss, "Run")
    assert run["Filename"] == f"{{app}}\\{gui.name}.exe"
    assert "runasoriginaluser" in run["Flags"].split()


def test_files_the_script_names_exist(iss: str) -> None:
    setup = _setup(iss)

    assert (WINDOWS / setup["SetupIconFile"].replace("\\", "/")).resolve() == ROOT / "resources" / "icons" / "loket.ico"
    assert (ROOT / "resources" / "icons" / "loket.ico").is_file()
    # installers\build.py passes its own folder; the default is the same dist\installer.
    assert "OutputDir={#OutputDir}" in iss
    assert Path(setup["OutputDir"].replace("\\", "/")).parts[-2:] == ("dist", "installer")


def test_check_script_checks_every_promise() -> None:
    check = (WINDOWS / "check-installer.ps1").read_text(encoding="utf-8")

    for promise in ("S-1-5-32-545", "Start Menu", "Desktop", "stale-file", "/DELETEDATA", "--smoke", "verify"):
        assert promise in check
