"""Fixtures for the packaging tests: the installers/ helpers, loaded from their files.

installers/ is not a package of the project (it is not installed), so its modules are loaded by
path under names of their own, without putting installers/ on sys.path.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]
INSTALLERS = ROOT / "installers"


def load_installer_module(name: str) -> ModuleType:
    """installers/<name>.py as a module named loket_installers_<name>."""
    qualified = f"loket_installers_{name}"
    if qualified in sys.modules:
        return sys.modules[qualified]
    spec = importlib.util.spec_from_file_location(qualified, INSTALLERS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[qualified] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def bundle() -> ModuleType:
    """installers/bundle.py: what goes into the frozen bundle."""
    return load_installer_module("bundle")


@pytest.fixture(scope="session")
def icon() -> ModuleType:
    """installers/icon.py: the icon drawing."""
    return load_installer_module("icon")
