"""schemathesis against the server's own OpenAPI: whatever it is sent, valid or not, it never answers 5xx."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.generation.modes import GenerationMode

from tests.helpers.dinas import DinasServer, start_server
from tests.unit.sync.conftest import device_key

OPERATIONS = (
    "GET /v1/health",
    "POST /v1/enrol",
    "GET /v1/device",
    "POST /v1/device/wiped",
    "POST /v1/cancellations",
    "GET /v1/conflicts/{item_id}",
    "POST /v1/documents/status",
    "GET /v1/documents/{sha256}",
    "PUT /v1/documents/{sha256}",
    "POST /v1/batches",
    "GET /v1/status",
    "GET /v1/applications/{client_id}",
    "GET /v1/reference",
    "GET /v1/reference/bundle",
    "GET /v1/updates/policy",
    "GET /v1/backoffice/applications",
    "GET /v1/backoffice/applications/{key}",
    "POST /v1/backoffice/applications/{key}/actions",
    "GET /v1/backoffice/conflicts",
    "GET /v1/backoffice/documents/{sha256}",
)
EXAMPLES = 25
# Batches are deep documents: generating them is slow, and each one still exercises the whole intake.
FEWER = {"POST /v1/batches": 8}


class Dinas:
    """A running server with an enrolled device and a staff user."""

    def __init__(self, server: DinasServer, device: str, staff: str) -> None:
        self.server = server
        self.device = device
        self.staff = staff


@pytest.fixture(scope="module")
def dinas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dinas]:
    folder: Path = tmp_path_factory.mktemp("openapi")
    server = start_server(folder / "server", api_docs=True)  # /openapi.json is off without --api-docs
    secret = secrets.token_urlsafe(32)
    enrolled = requests.post(
        f"{server.url}/v1/enrol",
        json={
            "code": server.add_outpost("35.21.01.2001", "Desa Sukamaju"),
            "device_id": str(uuid.uuid4()),
            "device_secret": secret,
            "device_name": "Laptop uji",
            "public_key": device_key()[1],  # a device must bring its signing key
        },
        timeout=10,
    )
    assert enrolled.status_code == 200, enrolled.text
    yield Dinas(server, secret, server.add_staff("uji"))
    server.stop()
    assert "Traceback" not in server.log_text(), server.log_text()


@pytest.fixture(scope="module")
def api_schema(dinas: Dinas) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{dinas.server.url}/openapi.json")


def test_every_operation_is_tested(api_schema: schemathesis.BaseSchema) -> None:
    labels = set()
    for result in api_schema.get_all_operations():
        assert isinstance(result, Ok), result
        labels.add(result.ok().label)
    assert labels == set(OPERATIONS)


@pytest.mark.parametrize(
    ("label", "mode"),
    [
        (label, mode)
        for label in OPERATIONS
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        if not (label == "GET /v1/health" and mode == GenerationMode.NEGATIVE)  # no input to get wrong
    ],
)
def test_no_request_makes_the_server_fail(
    label: str, mode: GenerationMode, api_schema: schemathesis.BaseSchema, dinas: Dinas
) -> None:
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None
    token = dinas.staff if "/backoffice/" in label else dinas.device

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=FEWER.get(label, EXAMPLES), deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    def check(case: Any) -> None:
        headers = {"Authorization": f"Bearer {token}"} if "Authorization" not in (case.headers or {}) else {}
        case.call_and_validate(headers=headers, checks=[not_a_server_error], timeout=30)

    check()
