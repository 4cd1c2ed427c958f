""".github/workflows/windows-installer.yml builds, tests and keeps the installer with the files of this repository."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
WORKFLOW = ROOT / ".github" / "workflows" / "windows-installer.yml"


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    (job,) = workflow["jobs"].values()
    assert isinstance(job["steps"], list)
    return job["steps"]


def _runs(steps: list[dict[str, Any]]) -> str:
    return "\n".join(str(step.get("run", "")) for step in steps)


def test_runs_on_windows_with_python_311(workflow: dict[Any, Any], steps: list[dict[str, Any]]) -> None:
    (job,) = workflow["jobs"].values()
    setup_python = [s for s in steps if str(s.get("uses", "")).startswith("actions/setup-python@")]

    assert job["runs-on"] == "windows-latest"
    assert [s["with"]["python-version"] for s in setup_python] == ["3.11"]
    # YAML 1.1 reads the key `on` as True.
    triggers = workflow["on"] if "on" in workflow else workflow[True]
    assert {"push", "pull_request", "workflow_dispatch"} <= set(triggers)


def test_installs_the_dist_extra_and_builds_through_build_py(steps: list[dict[str, Any]]) -> None:
    runs = _runs(steps)

    assert 'pip install -c constraints.txt -e ".[dist,server]"' in runs
    assert "python installers/build.py --installer" in runs
    assert "installers/windows/check-installer.ps1" in runs
    assert runs.index("installers/build.py") < runs.index("check-installer.ps1")


def test_uses_the_inno_setup_build_py_looks_for(steps: list[dict[str, Any]]) -> None:
    build = (ROOT / "installers" / "build.py").read_text(encoding="utf-8")
    (iscc,) = re.findall(r'"(C:\\Program Files \(x86\)\\Inno Setup 6\\ISCC\.exe)"', _runs(steps))

    assert f'Path(r"{iscc}")' in build
    assert "choco install innosetup" in _runs(steps)


def test_keeps_the_installer_build_py_writes(bundle: ModuleType, steps: list[dict[str, Any]]) -> None:
    uploads = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    installer = [s for s in uploads if s["with"]["name"] == "loket-windows-installer"]

    assert len(installer) == 1
    assert installer[0]["with"]["path"] == "dist/installer/*.exe"
    assert installer[0]["with"]["if-no-files-found"] == "error"
    assert Path("dist/installer", bundle.installer_name("0.1.0")).match(installer[0]["with"]["path"])


def test_every_repository_file_it_names_exists() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    named = set(re.findall(r"(?:(?<=\s)|(?<=\./))((?:installers|docs|resources|\.github)/[\w./-]+\.\w+)", text))

    assert named, "the workflow names no file of the repository"
    assert {"installers/build.py", "installers/windows/check-installer.ps1"} <= named
    missing = sorted(name for name in named if not (ROOT / name).is_file())
    assert not missing


def test_it_is_valid_for_github_by_the_workflow_schema_offline(tmp_path: Path) -> None:
    """check-jsonschema carries GitHub's workflow schema in its package (no download): the file passes, a typo fails."""
    check = [str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "run-on:"), encoding="utf-8")

    valid = subprocess.run([*check, str(WORKFLOW)], capture_output=True, text=True, timeout=120, check=False)
    invalid = subprocess.run([*check, str(broken)], capture_output=True, text=True, timeout=120, check=False)

    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert invalid.returncode == 1 and "run-on" in invalid.stdout, invalid.stdout + invalid.stderr
