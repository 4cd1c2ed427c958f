"""constraints.txt pins every Python package pyproject.toml asks for, on Linux and Windows, at a version it allows.

A dependency added to pyproject.toml without `make lock` fails here (its name and the fix are in the message).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[3]
PLATFORMS = {
    "linux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    "win32": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
}
PYTHON = {"python_version": "3.11", "python_full_version": "3.11.2", "implementation_name": "cpython"}


def _pins(platform: str) -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for raw in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"constraints.txt: {line!r} is not an exact pin"
        if requirement.marker is None or requirement.marker.evaluate({**PYTHON, **PLATFORMS[platform]}):
            pins[canonicalize_name(requirement.name)] = Version(specifier.version)
    return pins


def _wanted() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        lines += extra
    return [r for r in map(Requirement, lines) if canonicalize_name(r.name) != canonicalize_name(project["name"])]


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_every_dependency_is_pinned_at_an_allowed_version(platform: str) -> None:
    pins = _pins(platform)
    environment = {**PYTHON, **PLATFORMS[platform], "extra": ""}
    problems = []
    for requirement in _wanted():
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        pinned = pins.get(canonicalize_name(requirement.name))
        if pinned is None:
            problems.append(f"{requirement.name}: not in constraints.txt")
        elif not requirement.specifier.contains(pinned, prereleases=True):
            problems.append(f"{requirement.name}: pinned {pinned}, pyproject asks {requirement.specifier}")
    assert not problems, f"run `make lock` and commit constraints.txt ({platform}): {problems}"


def test_the_server_stack_is_an_extra_and_psycopg_3_its_driver() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {canonicalize_name(Requirement(line).name) for line in project["dependencies"]}
    server = {canonicalize_name(Requirement(line).name) for line in project["optional-dependencies"]["server"]}

    assert {"fastapi", "uvicorn", "psycopg", "jinja2", "python-multipart", "boto3"} <= server
    assert not core & server, "the outpost app and loket-admin install without the server stack"
    assert "psycopg2-binary" not in core | server
    assert "loket[server]" in project["optional-dependencies"]["dev"]
