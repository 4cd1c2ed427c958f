"""An update published at the Dinas reaches two outposts over the faulty test link and is applied at the
next start; the Dinas steers the rollout and sees each laptop's version; a release that fails its own start
check is rolled back (issue 19, "Done when"). Real server, real enrolled stores, stand-in bundles."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from app.updates.state import UpdateHome
from sync.client import SyncClient, enrol
from sync.client.pacing import Backoff
from sync.client.updates_check import UpdateCheck, UpdateStatus
from tests.helpers.dinas import DinasServer
from tests.helpers.linkemu import LinkEmulator, LinkProfile
from tests.helpers.stores import new_store
from tests.integration.updates.releases import Releases

OUTPOST_A = ("35.21.01.2001", "Desa Sukamaju")
OUTPOST_B = ("35.21.02.2002", "Desa Sidomulyo")
LINK = LinkProfile(latency=0.02, bandwidth=400_000).with_faults(0.03)


def start_installed(installed: Path, home: UpdateHome, log: Path) -> subprocess.CompletedProcess[str]:
    """The officer starts Loket: the installed program (0.1.0) goes through the launcher."""
    env = {**os.environ, "LOKET_UPDATES_HOME": str(home.root), "STANDIN_LOG": str(log)}
    for name in ("LOKET_UPDATE_LAUNCHED", "LOKET_UPDATE_TRIAL"):
        env.pop(name, None)
    return subprocess.run([str(installed / "loket")], env=env, capture_output=True, text=True, timeout=60, check=False)


def status_rows(server: DinasServer, releases: Releases) -> dict[str, dict[str, str]]:
    done = server.cli("updates", "status", "--updates", str(releases.served), "--json")
    assert done.returncode == 0, done.stderr
    return {row["outpost"]: row for row in json.loads(done.stdout)["outposts"]}


def rollout(server: DinasServer, releases: Releases, *args: str) -> None:
    done = server.cli("updates", *args, "--updates", str(releases.served))
    assert done.returncode == 0, done.stderr


def test_a_release_reaches_two_outposts_over_the_faulty_link_and_is_applied(
    tmp_path: Path, releases: Releases, server: DinasServer
) -> None:
    link = LinkEmulator(server.port, LINK, seed=1919).start()
    codes = {"a": OUTPOST_A, "b": OUTPOST_B}
    try:
        rollout(server, releases, "rollout", "0.2.0", "--share", "0", "--outposts", OUTPOST_A[0])
        outcomes: dict[str, UpdateStatus] = {}
        for name in ("a", "b"):
            store = new_store(tmp_path / name)
            home = UpdateHome(tmp_path / name / "updates")
            if name == "a":  # A updated before and kept 0.1.0's archive: it gets the patch; B the full archive
                home.ensure()
                shutil.copyfile(releases.archive("0.1.0"), home.targets / "loket-0.1.0.tar.gz")
            try:
                enrol(store, link.url, server.add_outpost(*codes[name]), f"Laptop {name.upper()}")
                client = SyncClient(store)
                check = UpdateCheck(
                    client, home=home, current="0.1.0", root_json=releases.root_json, backoff=Backoff(0.05, 0.2)
                )
                client.run_once()
                status = check.check_now()
                if name == "b":  # not in the first wave: nothing; the Dinas widens the rollout to everyone
                    assert status.phase == "idle" and home.load().pending is None
                    rollout(server, releases, "pause")
                    rollout(server, releases, "rollout", "0.2.0", "--share", "100")
                    assert check.check_now().phase == "idle"  # paused
                    rollout(server, releases, "resume")
                    status = check.check_now()
                outcomes[name] = status
                check.check_now()  # the next check reports the staged version
            finally:
                store.close()
    finally:
        link.stop()

    a, b = outcomes["a"], outcomes["b"]
    assert (a.phase, a.version, b.phase, b.version) == ("ready", "0.2.0", "ready", "0.2.0")
    assert a.download_bytes == releases.length("loket-0.2.0.patch") < b.download_bytes // 10
    assert b.download_bytes == releases.length("loket-0.2.0.tar.gz")
    assert link.injected > 0
    rows = status_rows(server, releases)
    assert rows[OUTPOST_A[0]]["staged"] == rows[OUTPOST_B[0]]["staged"] == "0.2.0"
    assert rows[OUTPOST_A[0]]["version"]  # the laptop's running version, from the Loket-Version header

    for name in ("a", "b"):  # the next start applies it
        home = UpdateHome(tmp_path / name / "updates")
        log = tmp_path / name / "started.log"
        done = start_installed(releases.bundles / "0.1.0", home, log)
        assert done.returncode == 0, done.stderr
        assert log.read_text().split() == ["0.2.0"]
        state = home.load()
        assert (state.active, state.pending) == ("0.2.0", None)
        assert state.notice == "Loket sudah diperbarui ke versi 0.2.0."


def test_a_release_failing_its_start_check_is_rolled_back(
    tmp_path: Path, releases: Releases, server: DinasServer
) -> None:
    releases.publish("0.3.0", changed=5, broken=True)
    rollout(server, releases, "rollout", "0.3.0", "--share", "100")
    store = new_store(tmp_path / "a")
    home = UpdateHome(tmp_path / "a" / "updates")
    try:
        enrol(store, server.url, server.add_outpost(*OUTPOST_A), "Laptop A")
        client = SyncClient(store)
        check = UpdateCheck(client, home=home, current="0.1.0", root_json=releases.root_json)
        client.run_once()
        assert check.check_now().version == "0.3.0"
    finally:
        store.close()

    log = tmp_path / "started.log"
    outcomes = [start_installed(releases.bundles / "0.1.0", home, log).returncode for _ in range(3)]

    # Two trial starts die before their start check; the third start runs the installed version again.
    assert log.read_text().split() == ["0.3.0", "0.3.0", "0.1.0"]
    assert outcomes == [3, 3, 0]
    state = home.load()
    assert state.pending is None and state.failed == ["0.3.0"] and not home.version_dir("0.3.0").exists()
    assert "Versi 0.3.0 gagal dijalankan 2 kali berturut-turut, jadi Loket kembali ke versi 0.1.0" in state.notice
