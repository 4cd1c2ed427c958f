"""A real S3 API server for tests and benchmarks: moto's standalone server on 127.0.0.1, stopped at the end.

moto (`moto[server]`, a dev dependency) speaks the S3 REST API over HTTP, with conditional writes
(`If-None-Match: *`), like MinIO or Ceph RGW; its objects live in the server process's memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import requests
from botocore.config import Config

from tests.helpers.dinas import free_port

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

MOTO_SERVER = str(Path(sys.executable).parent / "moto_server")
ACCESS_KEY = "loket-test"
SECRET_KEY = "loket-test-secret"
REGION = "us-east-1"


class S3Server:
    """One moto S3 server process on a free port of 127.0.0.1."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        """The endpoint URL (LOKET_SERVER_S3_ENDPOINT)."""
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """What a server process needs in its environment to reach this storage."""
        return {
            "LOKET_SERVER_S3_ENDPOINT": self.endpoint,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_DEFAULT_REGION": REGION,
        }

    def start(self, timeout: float = 30.0) -> None:
        """Start moto_server and wait until it answers."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [MOTO_SERVER, "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto_server exited with {self.process.returncode}: {self.log_text()}")
            try:
                requests.get(f"{self.endpoint}/", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError(f"moto_server did not start: {self.log_text()}")

    def stop(self) -> None:
        """Stop the server process."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def log_text(self) -> str:
        """What the server printed."""
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    def client(self) -> S3Client:
        """A boto3 client for this server."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
            config=Config(request_checksum_calculation="when_required", response_checksum_validation="when_required"),
        )

    def new_bucket(self) -> str:
        """A fresh, empty bucket's name."""
        name = f"loket-{uuid.uuid4().hex[:16]}"
        self.client().create_bucket(Bucket=name)
        return name
