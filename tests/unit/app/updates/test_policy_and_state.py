"""The rollout policy (who takes which version) and the update state file (read back whatever it holds)."""

from __future__ import annotations

import json
from pathlib import Path

from app.updates.policy import Policy, Release, bucket
from app.updates.state import UpdateHome, UpdateState

CODES = [f"35.21.{k:02d}.{2000 + n}" for k in range(1, 20) for n in range(13)]  # 247 outposts


def test_a_share_takes_about_that_share_and_named_outposts_come_first() -> None:
    policy = Policy(releases={"0.2.0": Release(share=20, outposts=("35.21.19.2012",))})

    taking = [code for code in CODES if policy.allows("0.2.0", code)]

    assert 0.12 * len(CODES) < len(taking) < 0.28 * len(CODES)
    assert "35.21.19.2012" in taking or bucket("0.2.0", "35.21.19.2012") >= 20
    assert policy.allows("0.2.0", "35.21.19.2012")
    # The same answer on every check; another version draws another first fifth.
    assert taking == [code for code in CODES if policy.allows("0.2.0", code)]
    other = Policy(releases={"0.3.0": Release(share=20)})
    assert taking != [code for code in CODES if other.allows("0.3.0", code)]


def test_a_pause_or_a_version_not_rolled_out_takes_nothing() -> None:
    everyone = Release(share=100)
    assert Policy(releases={"0.2.0": everyone}).allows("0.2.0", CODES[0])
    assert not Policy(paused=True, releases={"0.2.0": everyone}).allows("0.2.0", CODES[0])
    assert not Policy(releases={"0.2.0": everyone}).allows("0.3.0", CODES[0])
    assert not Policy(releases={"0.2.0": Release(share=0)}).allows("0.2.0", CODES[0])


def test_a_policy_round_trips_and_a_malformed_one_takes_nothing() -> None:
    policy = Policy(releases={"0.2.0": Release(share=30, outposts=("a",), security=True, notes="Perbaikan")})
    assert Policy.from_json(json.loads(json.dumps(policy.to_json()))) == policy
    assert Policy.from_json("rusak").paused
    odd = Policy.from_json({"releases": {"0.2.0": {"share": "banyak", "outposts": "a"}, "0.3.0": 5}})
    assert odd.releases["0.2.0"] == Release(share=0, outposts=())
    assert "0.3.0" not in odd.releases
    assert Policy.from_json({"releases": {"0.2.0": {"share": 250}}}).releases["0.2.0"].share == 100


def test_the_state_survives_a_missing_or_damaged_file(tmp_path: Path) -> None:
    home = UpdateHome(tmp_path)
    assert home.load() == UpdateState()
    home.save(UpdateState(active="0.2.0", previous="0.1.0", pending="0.3.0", attempts=1, failed=["0.2.5"]))
    assert home.load().pending == "0.3.0" and home.load().failed == ["0.2.5"]
    home.state_file.write_text('{"active": 5, "attempts": "x", "failed": "0.2.5", "pending": ""}')
    assert home.load() == UpdateState()
    home.state_file.write_bytes(b"\x00\xff")
    assert home.load() == UpdateState()


def test_prune_keeps_what_the_state_names(tmp_path: Path) -> None:
    home = UpdateHome(tmp_path)
    home.ensure()
    for version in ("0.1.0", "0.2.0", "0.3.0"):
        home.version_dir(version).mkdir()
        (home.targets / f"loket-{version}.tar.gz").write_bytes(b"x")
    (home.targets / "loket-0.3.0.patch").write_bytes(b"x")
    home.staging_dir("0.4.0").mkdir()

    home.clean_leftovers()
    home.prune(UpdateState(active="0.3.0", previous="0.2.0"))

    assert sorted(p.name for p in home.versions.iterdir()) == ["0.2.0", "0.3.0"]
    assert sorted(p.name for p in home.targets.iterdir()) == ["loket-0.2.0.tar.gz", "loket-0.3.0.tar.gz"]
