"""Every update fault ends with the laptop on a good version and a clear message (issue 19, "Bad input and faults").

Real server (`serve --updates`), real signed repository (tufup), stand-in bundles; the link emulator for cuts.
"""

from __future__ import annotations

import errno
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from app.updates import launch
from app.updates.errors import UpdateError
from app.updates.policy import Policy, Release
from app.updates.state import UpdateHome
from app.updates.updater import PLATFORM, Updater, extract_archive
from sync.client.pacing import Backoff
from tests.helpers.dinas import DinasServer
from tests.helpers.linkemu import LinkEmulator, LinkProfile
from tests.integration.updates.releases import Releases

OUTPOST = "35.21.01.2001"
EVERYONE = Policy(releases={"0.2.0": Release(share=100)})


def updater(home: UpdateHome, url: str, releases: Releases, current: str = "0.1.0", **options: Any) -> Updater:
    return Updater(
        home,
        url,
        current,
        session=requests.Session(),
        backoff=Backoff(base=0.01, cap=0.05),
        outpost=OUTPOST,
        root_json=releases.root_json,
        **options,
    )


def running_010(tmp_path: Path, releases: Releases) -> UpdateHome:
    """A laptop on 0.1.0 with 0.1.0's archive (as after an earlier update): patches apply to it."""
    home = UpdateHome(tmp_path / "laptop" / "updates")
    home.ensure()
    shutil.copyfile(releases.archive("0.1.0"), home.targets / "loket-0.1.0.tar.gz")
    return home


def assert_still_on_010(home: UpdateHome) -> None:
    state = home.load()
    assert state.pending is None and state.active is None
    assert launch.choose(home, "0.1.0") == launch.Choice(None, None)


def test_a_patch_is_downloaded_verified_and_staged(tmp_path: Path, releases: Releases, server: DinasServer) -> None:
    home = running_010(tmp_path, releases)
    client = updater(home, server.url, releases)

    offer = client.check(EVERYONE)
    assert offer is not None and offer.version == "0.2.0" and offer.patch
    assert offer.files == ("loket-0.2.0.patch",) and offer.download_bytes < offer.full_bytes / 10
    client.download(offer)
    folder = client.stage(offer)

    assert (folder / "loket").is_file() and "FIX = '0.2.0'" in (folder / "_internal/modules/module_0.py").read_text()
    assert home.load().pending == "0.2.0"
    assert (home.targets / "loket-0.2.0.tar.gz").is_file()
    assert updater(home, server.url, releases).check(EVERYONE) is None  # one staged version at a time


def test_no_archive_of_the_running_version_takes_the_full_archive(
    tmp_path: Path, releases: Releases, server: DinasServer
) -> None:
    home = UpdateHome(tmp_path / "fresh")
    client = updater(home, server.url, releases)
    offer = client.check(EVERYONE)
    assert offer is not None and not offer.patch and offer.files == ("loket-0.2.0.tar.gz",)
    client.download(offer)
    client.stage(offer)
    assert home.load().pending == "0.2.0"


def test_tampered_metadata_is_refused(tmp_path: Path, releases: Releases, server: DinasServer) -> None:
    targets = releases.platform_dir / "metadata" / "targets.json"
    data = json.loads(targets.read_text())
    data["signed"]["targets"]["loket-0.2.0.tar.gz"]["length"] += 1
    targets.write_text(json.dumps(data))
    home = running_010(tmp_path, releases)

    with pytest.raises(UpdateError) as caught:
        updater(home, server.url, releases).check(EVERYONE)

    assert caught.value.kind == "tampered_metadata"
    assert "tanda tangan data pembaruan dari server tidak sah" in caught.value.message
    assert "Loket tetap memakai versi 0.1.0." in caught.value.message
    assert_still_on_010(home)


def test_a_tampered_target_is_thrown_away(tmp_path: Path, releases: Releases, server: DinasServer) -> None:
    patch = releases.platform_dir / "targets" / "loket-0.2.0.patch"
    body = bytearray(patch.read_bytes())
    body[len(body) // 2] ^= 0xFF
    patch.write_bytes(bytes(body))
    home = running_010(tmp_path, releases)
    client = updater(home, server.url, releases)
    offer = client.check(EVERYONE)
    assert offer is not None

    with pytest.raises(UpdateError) as caught:
        client.download(offer)

    assert caught.value.kind == "tampered_target"
    assert "loket-0.2.0.patch rusak atau diubah" in caught.value.message
    assert not (home.partial / "loket-0.2.0.patch").exists() and not (home.targets / "loket-0.2.0.patch").exists()
    assert_still_on_010(home)


def test_expired_metadata_is_refused(tmp_path: Path, releases: Releases, server: DinasServer) -> None:
    from sync.server import updates

    repository = updates._loaded(releases.repo, releases.keys)
    repository.refresh_expiration_date("timestamp", days=-1)
    repository.publish_changes(private_key_dirs=[releases.keys])
    releases.copy_to_server()
    home = running_010(tmp_path, releases)

    with pytest.raises(UpdateError) as caught:
        updater(home, server.url, releases).check(EVERYONE)

    assert caught.value.kind == "expired_metadata"
    assert "sudah kedaluwarsa" in caught.value.message and "loket-server updates refresh" in caught.value.message
    assert_still_on_010(home)


def test_rolled_back_metadata_is_refused(tmp_path: Path, releases: Releases, server: DinasServer) -> None:
    old = {p.name: p.read_bytes() for p in (releases.platform_dir / "metadata").iterdir()}
    releases.publish("0.3.0", changed=4)
    home = running_010(tmp_path, releases)
    assert updater(home, server.url, releases).check(Policy()) is None  # has now seen the newer metadata
    for name, content in old.items():  # a server (or a man in the middle) replays the older metadata
        (releases.platform_dir / "metadata" / name).write_bytes(content)

    with pytest.raises(UpdateError) as caught:
        updater(home, server.url, releases).check(EVERYONE)

    assert caught.value.kind == "rollback_metadata"
    assert "lebih lama daripada yang sudah pernah diterima" in caught.value.message
    assert_still_on_010(home)


def test_a_patch_with_the_wrong_result_falls_back_to_the_full_archive(
    tmp_path: Path, releases: Releases, server: DinasServer
) -> None:
    def wrong_hash(targets: dict[str, Any]) -> None:
        targets["loket-0.2.0.patch"].unrecognized_fields["custom"]["tufup"]["tar_hash"] = "0" * 64

    releases.edit_targets(wrong_hash)  # signed: the Dinas published a patch that does not make 0.2.0
    home = running_010(tmp_path, releases)
    client = updater(home, server.url, releases)
    offer = client.check(EVERYONE)
    assert offer is not None and offer.patch
    client.download(offer)

    with pytest.raises(UpdateError) as caught:
        client.stage(offer)

    assert caught.value.kind == "bad_patch" and "paket lengkap akan diunduh" in caught.value.message
    assert_still_on_010(home)
    assert not home.version_dir("0.2.0").exists() and not (home.targets / "loket-0.2.0.tar.gz").exists()
    again = updater(home, server.url, releases)
    full = again.check(EVERYONE)
    assert full is not None and not full.patch
    again.download(full)
    again.stage(full)
    assert home.load().pending == "0.2.0"


def test_downloads_cut_at_any_byte_resume_with_range_requests(
    tmp_path: Path, releases: Releases, server: DinasServer
) -> None:
    link = LinkEmulator(server.port, LinkProfile(latency=0.02, bandwidth=400_000), seed=19).start()
    try:
        home = UpdateHome(tmp_path / "fresh")
        client = updater(home, link.url, releases, max_failures=20)
        offer = client.check(EVERYONE)
        assert offer is not None and offer.files == ("loket-0.2.0.tar.gz",)
        link.plan_fault(f"GET /updates/{PLATFORM}/targets/", "truncate", times=6)
        client.download(offer)
        client.stage(offer)
    finally:
        link.stop()
    assert link.faults["truncate"] == 6
    assert client.downloader.requests == 7
    # Resumed, not restarted: the bytes fetched stay close to the file's size.
    assert client.downloader.bytes_received < offer.download_bytes * 1.05
    assert home.load().pending == "0.2.0"


def test_a_download_left_half_way_resumes_in_the_next_session(
    tmp_path: Path, releases: Releases, server: DinasServer
) -> None:
    home = UpdateHome(tmp_path / "fresh")
    stop_at = releases.length("loket-0.2.0.tar.gz") // 3
    progress = {"done": 0}
    first = updater(home, server.url, releases, cancelled=lambda: progress["done"] >= stop_at)
    first.downloader.on_progress = lambda done, total: progress.update(done=done)
    offer = first.check(EVERYONE)
    assert offer is not None
    with pytest.raises(UpdateError) as caught:
        first.download(offer)
    assert caught.value.kind == "paused"
    held = (home.partial / "loket-0.2.0.tar.gz").stat().st_size
    assert stop_at <= held < offer.download_bytes

    second = updater(home, server.url, releases)  # the laptop was restarted meanwhile
    offer = second.check(EVERYONE)
    assert offer is not None
    second.download(offer)
    assert second.downloader.bytes_received == offer.download_bytes - held


def test_a_full_disk_while_downloading_or_unpacking_keeps_the_running_version(
    tmp_path: Path, releases: Releases, server: DinasServer
) -> None:
    # ENOSPC is simulated by fault-injecting writers (no small filesystem is mounted in the suite).
    class FullDisk:
        def __init__(self, path: Path, mode: str, room: int) -> None:
            self.handle = path.open(mode)
            self.room = room

        def write(self, data: bytes) -> int:
            if len(data) > self.room:
                self.handle.write(data[: self.room])
                self.room = 0
                raise OSError(errno.ENOSPC, "No space left on device")
            self.room -= len(data)
            return self.handle.write(data)

        def flush(self) -> None:
            self.handle.flush()

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

    home = UpdateHome(tmp_path / "fresh")
    client = updater(home, server.url, releases)
    client.downloader.opener = lambda path, mode: FullDisk(path, mode, 100_000)  # type: ignore[assignment,return-value]
    offer = client.check(EVERYONE)
    assert offer is not None
    with pytest.raises(UpdateError) as caught:
        client.download(offer)
    assert caught.value.kind == "disk_full"
    assert "Ruang disk tidak cukup untuk menyiapkan pembaruan 0.2.0" in caught.value.message
    assert "Loket tetap memakai versi 0.1.0." in caught.value.message
    assert_still_on_010(home)

    def extract_until_full(archive: Path, folder: Path) -> None:
        extract_archive(archive, folder)
        raise OSError(errno.ENOSPC, "No space left on device")

    client = updater(home, server.url, releases, extract=extract_until_full)
    offer = client.check(EVERYONE)
    assert offer is not None
    client.download(offer)  # resumes the 100,000 bytes already there
    with pytest.raises(UpdateError) as caught:
        client.stage(offer)
    assert caught.value.kind == "disk_full"
    assert not home.staging_dir("0.2.0").exists() and not home.version_dir("0.2.0").exists()
    assert_still_on_010(home)

    short = updater(home, server.url, releases, disk_free=lambda path: 1000)
    offer = short.check(EVERYONE)
    assert offer is not None
    with pytest.raises(UpdateError) as caught:
        short.stage(offer)
    assert caught.value.kind == "disk_full" and "perlu sekitar" in caught.value.message
    assert_still_on_010(home)


STAGE_SCRIPT = """
import sys
from pathlib import Path
import requests
from app.updates.policy import Policy, Release
from app.updates.state import UpdateHome
from app.updates.updater import Updater
from sync.client.pacing import Backoff
home = UpdateHome(Path(sys.argv[1]))
updater = Updater(home, sys.argv[2], "0.1.0", session=requests.Session(), backoff=Backoff(),
                  outpost="x", root_json=Path(sys.argv[3]))
offer = updater.check(Policy(releases={"0.2.0": Release(share=100)}))
updater.download(offer)
print("staging", flush=True)
updater.stage(offer)
print("staged", flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_kill_during_the_apply_leaves_a_startable_laptop(
    tmp_path: Path, releases: Releases, server: DinasServer
) -> None:
    home = running_010(tmp_path, releases)
    root = Path(__file__).resolve().parents[3]
    outcomes = []
    for delay in (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8):
        process = subprocess.Popen(
            [sys.executable, "-c", STAGE_SCRIPT, str(home.root), server.url, str(releases.root_json)],
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "staging"
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        process.stdout.close()
        state = home.load()
        choice = launch.choose(home, "0.1.0")
        if state.pending:  # the apply finished before the kill: a complete version gets its trial
            assert choice.trial and (home.version_dir("0.2.0") / "loket").is_file()
            outcomes.append("staged")
            break
        assert choice == launch.Choice(None, None)  # the installed version starts
        assert not home.staging_dir("0.2.0").exists()
        outcomes.append("cut")
    assert "cut" in outcomes
    if outcomes[-1] == "cut":  # the next sync finishes the job from what the cut left
        done = subprocess.run(
            [sys.executable, "-c", STAGE_SCRIPT, str(home.root), server.url, str(releases.root_json)],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    assert home.load().pending == "0.2.0" and (home.version_dir("0.2.0") / "loket").is_file()


def test_a_newer_release_not_rolled_out_here_is_not_taken(
    tmp_path: Path, releases: Releases, server: DinasServer
) -> None:
    releases.publish("0.3.0", changed=4)  # published, rolled out nowhere yet
    home = running_010(tmp_path, releases)

    offer = updater(home, server.url, releases).check(EVERYONE)

    assert offer is not None and offer.version == "0.2.0" and offer.files == ("loket-0.2.0.patch",)
    assert updater(home, server.url, releases).check(Policy(releases={"0.3.0": Release(share=100)})) is not None
    assert updater(home, server.url, releases).check(Policy(paused=True, releases=EVERYONE.releases)) is None


def test_a_fresh_installation_takes_its_first_update_as_a_patch(
    tmp_path: Path, releases: Releases, server: DinasServer
) -> None:
    installed = tmp_path / "Program Files" / "Loket"
    shutil.copytree(releases.bundles / "0.1.0", installed, symlinks=True)
    (installed / "unins000.exe").write_bytes(b"the installer's uninstaller, not part of the release")
    home = UpdateHome(tmp_path / "fresh")
    client = updater(home, server.url, releases, installed=installed)

    offer = client.check(EVERYONE)

    assert offer is not None and offer.patch and offer.files == ("loket-0.2.0.patch",)
    client.download(offer)
    client.stage(offer)
    assert home.load().pending == "0.2.0"


def test_an_installation_that_differs_from_the_release_falls_back_to_the_full_archive(
    tmp_path: Path, releases: Releases, server: DinasServer
) -> None:
    installed = tmp_path / "Loket"
    shutil.copytree(releases.bundles / "0.1.0", installed, symlinks=True)
    (installed / "_internal" / "modules" / "module_7.py").write_text("# changed on this laptop\n")
    home = UpdateHome(tmp_path / "fresh")
    client = updater(home, server.url, releases, installed=installed)
    offer = client.check(EVERYONE)
    assert offer is not None and offer.patch
    client.download(offer)

    with pytest.raises(UpdateError) as caught:
        client.stage(offer)

    assert caught.value.kind == "bad_patch"
    assert_still_on_010(home)
    again = updater(home, server.url, releases, installed=installed)
    full = again.check(EVERYONE)
    assert full is not None and not full.patch
    again.download(full)
    again.stage(full)
    assert home.load().pending == "0.2.0"
