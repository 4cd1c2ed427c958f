"""A real `loket-server serve --storage s3://bucket/prefix` on moto's S3 server: chunked, resumable uploads.

The server process keeps no upload state: after a restart (as after a chunk lands on another replica)
the device resumes at the offset the object store holds, and the document ends sealed in the bucket.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sync.server import keys
from tests.bench.bench_sync import enrol_outposts
from tests.helpers.dinas import start_server
from tests.helpers.s3 import S3Server


@pytest.fixture
def s3_server(tmp_path: Path) -> Iterator[S3Server]:
    server = S3Server(tmp_path / "moto.log")
    server.start()
    yield server
    server.stop()


def test_uploads_resume_across_server_processes_and_end_sealed_in_the_bucket(
    s3_server: S3Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in s3_server.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LOKET_SERVER_LOCAL_DIR", str(tmp_path / "dinas" / "documents"))
    monkeypatch.delenv(keys.ENV_KEY, raising=False)
    bucket = s3_server.new_bucket()
    url = f"s3://{bucket}/kab/documents"
    data = os.urandom(700_000)
    sha = hashlib.sha256(data).hexdigest()

    first = start_server(tmp_path / "dinas", extra_args=("--storage", url))
    try:
        (device,) = enrol_outposts(first, 1)
        headers = {"Authorization": f"Bearer {device.secret}"}
        answer = requests.put(
            f"{first.url}/v1/documents/{sha}",
            params={"offset": 0, "size": len(data)},
            data=data[:300_000],
            headers=headers,
            timeout=30,
        )
        assert answer.status_code == 200 and answer.json()["offset"] == 300_000, answer.text
    finally:
        first.stop()
    assert not (tmp_path / "dinas" / "documents" / "partial").exists(), "nothing of the upload on local disk"

    second = start_server(tmp_path / "dinas", extra_args=("--storage", url))  # another process, same state
    try:
        state = requests.get(
            f"{second.url}/v1/documents/{sha}", params={"size": len(data)}, headers=headers, timeout=30
        )
        assert state.status_code == 200 and state.json()["offset"] == 300_000, state.text
        stale = requests.put(
            f"{second.url}/v1/documents/{sha}",
            params={"offset": 0, "size": len(data)},
            data=data[:300_000],
            headers=headers,
            timeout=30,
        )
        assert stale.status_code == 409 and "offset_mismatch" in stale.text and "300000" in stale.text, stale.text
        done = requests.put(
            f"{second.url}/v1/documents/{sha}",
            params={"offset": 300_000, "size": len(data)},
            data=data[300_000:],
            headers=headers,
            timeout=30,
        )
        assert done.status_code == 200 and done.json()["complete"], done.text
    finally:
        second.stop()

    client = s3_server.client()
    listed = [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert listed == [f"kab/documents/documents/{sha[:2]}/{sha}"]
    blob = client.get_object(Bucket=bucket, Key=listed[0])["Body"].read()
    ring = keys.load(tmp_path / "dinas" / "documents")
    assert keys.is_sealed(blob) and ring.open(blob, sha.encode("ascii")) == data
