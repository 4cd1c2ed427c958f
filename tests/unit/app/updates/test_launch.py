"""The launcher's choice at start: the newest good version, a trial for a staged one, a roll-back after failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.updates import launch
from app.updates.state import UpdateHome, UpdateState


def installed(home: UpdateHome, version: str) -> Path:
    folder = home.version_dir(version)
    folder.mkdir(parents=True)
    (folder / launch.program_file("loket")).write_text("#!/bin/sh\n")
    return folder


@pytest.fixture
def home(tmp_path: Path) -> UpdateHome:
    home = UpdateHome(tmp_path / "updates")
    home.ensure()
    return home


def test_nothing_staged_runs_the_installed_program(home: UpdateHome) -> None:
    assert launch.choose(home, "0.1.0") == launch.Choice(None, None)


def test_a_staged_version_gets_its_trials_then_is_given_up(home: UpdateHome) -> None:
    folder = installed(home, "0.2.0")
    home.save(UpdateState(pending="0.2.0"))

    assert launch.choose(home, "0.1.0") == launch.Choice("0.2.0", folder, trial=True)
    assert home.load().attempts == 1
    assert launch.choose(home, "0.1.0") == launch.Choice("0.2.0", folder, trial=True)
    # Two starts without its start check: back to the installed version, told once, never offered again.
    assert launch.choose(home, "0.1.0") == launch.Choice(None, None)
    state = home.load()
    assert state.pending is None and state.failed == ["0.2.0"] and not folder.exists()
    assert "Versi 0.2.0 gagal dijalankan 2 kali" in state.notice and "kembali ke versi 0.1.0" in state.notice
    assert launch.take_notice(home).startswith("Versi 0.2.0 gagal")
    assert launch.take_notice(home) == ""


def test_a_confirmed_trial_becomes_active_and_the_one_before_is_kept(
    home: UpdateHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed(home, "0.2.0")
    three = installed(home, "0.3.0")
    home.save(UpdateState(active="0.2.0", pending="0.3.0"))
    assert launch.choose(home, "0.1.0").trial

    assert not launch.confirm_started(home, "0.3.0")  # not started as a trial: nothing changes
    monkeypatch.setenv(launch.ENV_TRIAL, "0.3.0")
    assert launch.confirm_started(home, "0.3.0")

    state = home.load()
    assert (state.active, state.previous, state.pending, state.attempts) == ("0.3.0", "0.2.0", None, 0)
    assert launch.choose(home, "0.1.0") == launch.Choice("0.3.0", three)
    # A failing trial of 0.4.0 goes back to 0.3.0, the active one, not to the installed 0.1.0.
    installed(home, "0.4.0")
    home.save(UpdateState(active="0.3.0", previous="0.2.0", pending="0.4.0", attempts=2))
    assert launch.choose(home, "0.1.0") == launch.Choice("0.3.0", three)
    assert "kembali ke versi 0.3.0" in home.load().notice


def test_a_newer_installed_program_wins_over_older_updates(home: UpdateHome) -> None:
    installed(home, "0.2.0")
    home.save(UpdateState(active="0.2.0"))
    assert launch.choose(home, "0.5.0") == launch.Choice(None, None)
    home.save(UpdateState(pending="0.2.0"))
    assert launch.choose(home, "0.5.0") == launch.Choice(None, None)  # an older staged version is dropped
    assert home.load().pending is None


def test_a_half_unpacked_version_is_never_run(home: UpdateHome) -> None:
    staging = home.staging_dir("0.2.0")
    staging.mkdir()
    (staging / launch.program_file("loket")).write_text("#!/bin/sh\n")
    home.save(UpdateState(pending="0.2.0"))  # as if the state was written but the rename was lost

    assert launch.choose(home, "0.1.0") == launch.Choice(None, None)
    assert not staging.exists()


def test_hand_over_only_from_a_frozen_program_started_by_the_officer(
    home: UpdateHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = installed(home, "0.2.0")
    home.save(UpdateState(pending="0.2.0"))
    started: list[tuple[Path, list[str], dict[str, str]]] = []

    def record(target: Path, argv: list[str], env: dict[str, str]) -> None:
        started.append((target, argv, env))

    assert launch.hand_over("0.1.0", ["--x"], home=home, frozen=False, execute=record).folder is None
    choice = launch.hand_over("0.1.0", ["--x"], home=home, frozen=True, execute=record)
    assert choice.trial and started[0][0] == folder / launch.program_file("loket") and started[0][1][1:] == ["--x"]
    assert started[0][2][launch.ENV_TRIAL] == "0.2.0" and started[0][2][launch.ENV_LAUNCHED] == "1"
    monkeypatch.setenv(launch.ENV_LAUNCHED, "1")
    assert launch.hand_over("0.1.0", [], home=home, frozen=True, execute=record).folder is None
    assert len(started) == 1


def test_a_restart_goes_through_the_installed_launcher(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(launch.ENV_LAUNCHER, "/opt/loket/loket")
    monkeypatch.setenv(launch.ENV_LAUNCHED, "1")
    monkeypatch.setenv(launch.ENV_TRIAL, "0.2.0")

    argv, env = launch.restart_command(["--basedir", "x"], frozen=True)

    assert argv == ["/opt/loket/loket", "--basedir", "x"]
    assert not {launch.ENV_LAUNCHER, launch.ENV_LAUNCHED, launch.ENV_TRIAL} & set(env)
    assert launch.restart_command([], frozen=False)[0][1:] == ["-m", "ui.main"]
