"""At start: run the newest good version of Loket, give a staged one its trial, roll back a broken one.

The installed program (`loket` of the installed bundle) calls `hand_over()` before anything else. It
reads the update state and either returns (this program goes on) or starts another version's `loket`
with the same arguments and never returns:

- a staged version (`pending`) gets a trial: the attempt is counted first, then it is started with
  LOKET_UPDATE_TRIAL set. That version calls `confirm_started()` once its window is up (its start
  check): it becomes `active`, the one before it `previous`. If it dies before that, MAX_ATTEMPTS
  starts later the launcher gives up on it: it is marked failed, its folder removed, and the officer
  is told that Loket went back to the version before.
- otherwise the confirmed `active` version runs, when it is newer than the installed one (a newer
  installer wins over older updates).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from app.updates.state import UpdateHome, UpdateState

log = logging.getLogger("loket.updates")
MAX_ATTEMPTS = 2
ENV_TRIAL = "LOKET_UPDATE_TRIAL"
ENV_LAUNCHED = "LOKET_UPDATE_LAUNCHED"
ENV_LAUNCHER = "LOKET_UPDATE_LAUNCHER"  # the installed program that handed over (a restart goes through it)


@dataclass(frozen=True)
class Choice:
    """What the launcher decided: run `version` from `folder` (None: the program that was started)."""

    version: str | None
    folder: Path | None
    trial: bool = False


def _newer(candidate: str | None, than: str) -> bool:
    if not candidate:
        return False
    try:
        return Version(candidate) > Version(than)
    except InvalidVersion:
        return False


def rolled_back_notice(failed: str, back_to: str) -> str:
    return (
        f"Versi {failed} gagal dijalankan {MAX_ATTEMPTS} kali berturut-turut, jadi Loket kembali ke versi "
        f"{back_to}. Data dan permohonan tidak berubah. Laporkan ke TI Dinas."
    )


def choose(home: UpdateHome, own_version: str, program: str = "loket") -> Choice:
    """Decide which version runs (and record a trial or a roll-back in the state)."""
    home.clean_leftovers()
    state = home.load()
    if state.pending:
        folder = home.version_dir(state.pending)
        runnable = (folder / program_file(program)).is_file() and _newer(state.pending, own_version)
        if runnable and state.attempts < MAX_ATTEMPTS:
            state.attempts += 1
            home.save(state)  # counted before the start: a crash during it still counts
            return Choice(state.pending, folder, trial=True)
        _give_up(home, state, own_version)
    if state.active and _newer(state.active, own_version):
        folder = home.version_dir(state.active)
        if (folder / program_file(program)).is_file():
            return Choice(state.active, folder)
    return Choice(None, None)


def _give_up(home: UpdateHome, state: UpdateState, own_version: str) -> None:
    failed = str(state.pending)
    back_to = state.active if _newer(state.active, own_version) else own_version
    log.warning("version %s failed its start check %d times: back to %s", failed, state.attempts, back_to)
    if failed not in state.failed:
        state.failed.append(failed)
    state.pending = None
    state.attempts = 0
    state.security = False
    state.notice = rolled_back_notice(failed, str(back_to))
    home.save(state)
    shutil.rmtree(home.version_dir(failed), ignore_errors=True)


def confirm_started(home: UpdateHome, own_version: str) -> bool:
    """The start check of a version on trial passed: it becomes the active one. True when it was on trial."""
    if os.environ.get(ENV_TRIAL) != own_version:
        return False
    state = home.load()
    if state.pending != own_version:
        return False
    if state.active != own_version:
        state.previous = state.active
    state.active = own_version
    state.pending = None
    state.attempts = 0
    state.security = False
    state.notice = f"Loket sudah diperbarui ke versi {own_version}."
    home.save(state)
    home.prune(state)
    return True


def take_notice(home: UpdateHome) -> str:
    """The last outcome for the officer (shown once), cleared as it is read."""
    state = home.load()
    if not state.notice:
        return ""
    notice, state.notice = state.notice, ""
    home.save(state)
    return notice


def program_file(program: str) -> str:
    """A program's file name in a bundle (`loket.exe` on Windows)."""
    return f"{program}.exe" if sys.platform == "win32" else program


def hand_over(
    own_version: str,
    argv: Sequence[str],
    *,
    program: str = "loket",
    home: UpdateHome | None = None,
    frozen: bool | None = None,
    execute: Callable[[Path, list[str], dict[str, str]], None] | None = None,
) -> Choice:
    """Start the version `choose` picks instead of this one, or return to let this one run.

    Only a frozen bundle hands over (a checkout runs its own code); a program started by a launcher
    never hands over again.
    """
    frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    if not frozen or os.environ.get(ENV_LAUNCHED):
        return Choice(None, None)
    home = home or UpdateHome.resolve()
    try:
        choice = choose(home, own_version, program)
    except OSError:
        log.exception("update state unreadable or unwritable: the installed version runs")
        return Choice(None, None)
    if choice.folder is None or choice.version is None:
        return choice
    env = {**os.environ, ENV_LAUNCHED: "1", ENV_LAUNCHER: sys.executable}
    if choice.trial:
        env[ENV_TRIAL] = choice.version
    target = choice.folder / program_file(program)
    (execute or _execute)(target, [str(target), *argv], env)
    return choice


def _execute(target: Path, argv: list[str], env: dict[str, str]) -> None:
    """Replace this process (POSIX) or start the other one and leave with its exit status (Windows)."""
    if os.name == "nt":
        sys.exit(subprocess.call(argv, env=env))
    os.execve(target, argv, env)


def restart_command(argv: Sequence[str], frozen: bool | None = None) -> tuple[list[str], dict[str, str]]:
    """How to start Loket again so that the launcher runs (and a staged version gets its trial).

    A handed-over version restarts the installed program that launched it, never itself.
    """
    frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    env = {k: v for k, v in os.environ.items() if k not in (ENV_LAUNCHED, ENV_TRIAL, ENV_LAUNCHER)}
    if not frozen:
        return [sys.executable, "-m", "ui.main", *argv], env
    return [os.environ.get(ENV_LAUNCHER) or sys.executable, *argv], env
