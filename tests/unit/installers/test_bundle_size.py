"""The bundle's size cuts (issue 19, item 1): unused AWS models, orphaned libraries, debug information."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest


@pytest.mark.parametrize(
    ("name", "excluded"),
    [
        ("botocore/data/ec2/2016-11-15/service-2.json.gz", True),
        ("boto3/data/dynamodb/2012-08-10/resources-1.json", True),
        ("botocore/data/s3/2006-03-01/service-2.json.gz", False),
        ("botocore/data/endpoints.json", False),
        ("botocore/data/partitions.json", False),
        ("resources/forms/F-1.01@PMDN109-2019.yaml", False),
    ],
)
def test_only_the_s3_models_of_aws_ride_along(bundle: ModuleType, name: str, excluded: bool) -> None:
    assert bundle.is_excluded_data(name) is excluded


@pytest.mark.parametrize(
    ("name", "excluded"),
    [
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
        ("PySide6/Qt/lib/libQt6Network.so.6", True),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", True),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", False),
        ("PySide6/Qt/lib/libQt6DBus.so.6", False),
    ],
)
def test_qt_parts_loket_does_not_use_stay_out(bundle: ModuleType, name: str, excluded: bool) -> None:
    assert bundle.is_excluded_qt_file(name) is excluded


def test_libraries_only_a_dropped_plugin_needed_go_with_it(bundle: ModuleType) -> None:
    needs = {
        "/x/libqgtk3.so": ["libgtk-3.so.0", "libgdk-3.so.0", "libcairo.so.2", "libX11.so.6"],
        "/x/libgtk-3.so.0": ["libgdk-3.so.0", "libcairo.so.2", "libX11.so.6"],
        "/x/libgdk-3.so.0": ["libcairo.so.2", "libX11.so.6"],
        "/x/libcairo.so.2": ["libX11.so.6"],
        "/x/libqxcb.so": ["libX11.so.6"],
        "/x/libX11.so.6": [],
        "/x/_cffi_backend.so": [],
    }
    kept = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/x/libqxcb.so", "BINARY"),
        ("libgtk-3.so.0", "/x/libgtk-3.so.0", "BINARY"),
        ("libgdk-3.so.0", "/x/libgdk-3.so.0", "BINARY"),
        ("libcairo.so.2", "/x/libcairo.so.2", "BINARY"),
        ("libX11.so.6", "/x/libX11.so.6", "BINARY"),
        ("_cffi_backend.so", "/x/_cffi_backend.so", "EXTENSION"),
    ]
    dropped = [("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/x/libqgtk3.so", "BINARY")]

    left = bundle.without_orphans(kept, dropped, lambda path: [(name, None) for name in needs[path]])

    assert [entry[0] for entry in left] == [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "libX11.so.6",  # xcb still needs it
        "_cffi_backend.so",
    ]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="strip acts on Linux builds only")
def test_debug_information_is_stripped_from_a_copy(bundle: ModuleType, tmp_path: Path) -> None:
    strip = shutil.which("strip")
    compiler = shutil.which("cc") or shutil.which("gcc")
    assert strip and compiler, "binutils and a C compiler are needed (installers/debian-deps.sh: gcc, binutils)"
    source = tmp_path / "lib.c"
    source.write_text("int answer(void) { return 42; }\n")
    library = tmp_path / "libanswer.so"
    subprocess.run([compiler, "-g", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    wheel_lib = tmp_path / "pkg.libs" / "libanswer.so"
    wheel_lib.parent.mkdir()
    shutil.copyfile(library, wheel_lib)
    entries = [
        ("libanswer.so", str(library), "BINARY"),
        ("pkg.libs/libanswer.so", str(wheel_lib), "BINARY"),
        ("resources/x.yaml", str(source), "DATA"),
    ]

    out = bundle.strip_debug(entries, tmp_path / "cache", strip)

    stripped = Path(out[0][1])
    assert stripped.parent == tmp_path / "cache" and stripped.stat().st_size < library.stat().st_size
    symbols = subprocess.run(["nm", "-D", str(stripped)], capture_output=True, text=True, check=True).stdout
    assert " T answer" in symbols  # exported symbols stay
    assert out[1:] == entries[1:]  # auditwheel's folder and data files untouched
    assert bundle.strip_debug(entries, tmp_path / "cache", None) == entries


def test_every_component_of_the_size_table_is_named(bundle: ModuleType) -> None:
    assert bundle.size_component("cv2") == "OpenCV (cv2 and its libraries)"
    assert bundle.size_component("onnxruntime") == "OCR (rapidocr_onnxruntime, onnxruntime)"
    assert bundle.size_component("libpython3.11.so.1.0") == "Python runtime"
    assert bundle.size_component("libgio-2.0.so.0").startswith("other")


def test_the_update_root_metadata_rides_along_when_named(
    bundle: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(bundle.ENV_UPDATES_ROOT, raising=False)
    assert bundle.update_root_datas() == []
    root = tmp_path / "metadata" / "root.json"
    root.parent.mkdir()
    root.write_text("{}")
    monkeypatch.setenv(bundle.ENV_UPDATES_ROOT, str(root))
    assert bundle.update_root_datas() == [(str(root), "resources/updates")]
    monkeypatch.setenv(bundle.ENV_UPDATES_ROOT, str(tmp_path / "keys.json"))
    with pytest.raises(SystemExit, match=r"not a root\.json"):
        bundle.update_root_datas()


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links: the Linux bundle's layout")
def test_one_executable_runs_each_program_by_the_name_it_is_called_as(bundle: ModuleType, tmp_path: Path) -> None:
    found = bundle.programs()
    [(first, script)] = list(bundle.write_launchers(tmp_path, found, multicall=True))
    assert first.name == "loket"
    bundle_dir = tmp_path / "dist"
    bundle_dir.mkdir()
    shutil.copyfile(script, bundle_dir / "loket")
    bundle.link_programs(bundle_dir, found)
    assert (bundle_dir / "loket-admin").is_symlink() and (bundle_dir / "loket-server").readlink() == Path("loket")

    for name in ("loket", "loket-admin", "loket-server"):
        done = subprocess.run(
            [sys.executable, str(bundle_dir / name), "--version"], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"{name} "), done.stdout
