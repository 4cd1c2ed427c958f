"""Bounded requests against a real server process: chunked bodies stopped at the limit (the server's peak memory
checked), enrolment and back-office log-in limited per address, the API docs off, every error in Bahasa Indonesia."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.helpers.dinas import DinasServer, start_server

MIB = 1024 * 1024
ENGLISH = ("Not Found", "Method Not Allowed", "Field required", "JSON decode", "Input should", "error parsing")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DinasServer]:
    running = start_server(tmp_path_factory.mktemp("bounded") / "server")
    yield running
    running.stop()
    assert "Traceback" not in running.log_text(), running.log_text()


def peak_resident(server: DinasServer) -> int:
    """The server process's peak resident memory so far (VmHWM), in bytes."""
    assert server.process is not None
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def send_chunked(server: DinasServer, path: str, total: int, chunk: int = MIB) -> bytes:
    """POST `total` bytes as a chunked body (no Content-Length) while reading whatever the server answers."""
    answer = bytearray()
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:

        def read() -> None:
            try:
                while data := sock.recv(65536):
                    answer.extend(data)
            except OSError:
                pass

        reader = threading.Thread(target=read)
        reader.start()
        head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        sock.sendall((head + "Transfer-Encoding: chunked\r\n\r\n").encode())
        piece = f"{chunk:x}\r\n".encode() + b"[" * chunk + b"\r\n"
        try:
            for _ in range(total // chunk):
                sock.sendall(piece)
            sock.sendall(b"0\r\n\r\n")
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server stopped reading and closed: what this test wants
        reader.join(60)
    return bytes(answer)


def test_a_large_chunked_body_is_refused_without_the_server_holding_it(server: DinasServer) -> None:
    """300 MiB chunked to POST /v1/enrol (no Content-Length to check first): 413, and the peak stays small."""
    requests.post(f"{server.url}/v1/enrol", json={"code": "x"}, timeout=10)  # warm the code paths up
    before = peak_resident(server)
    answer = send_chunked(server, "/v1/enrol", 300 * MIB)
    growth = peak_resident(server) - before
    assert growth < 16 * MIB, f"the server's peak memory grew by {growth / MIB:.0f} MiB"
    if answer:  # the 413 can be lost when the server resets the connection it stopped reading
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert b"too_large" in answer
    # A batch may be bigger (32 MiB), and is cut there all the same.
    answer = send_chunked(server, "/v1/batches", 64 * MIB)
    assert not answer or answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert peak_resident(server) - before < 160 * MIB


def test_a_body_announced_over_the_limit_is_refused_before_it_is_read(server: DinasServer) -> None:
    refused = requests.post(
        f"{server.url}/v1/enrol", data=b"{" * (1 * MIB), headers={"Content-Type": "application/json"}, timeout=30
    )
    assert refused.status_code == 413
    assert refused.json()["error"]["code"] == "too_large"


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[DinasServer]:
    """A server of its own: the rate windows of the shared one are spent by the other tests."""
    running = start_server(tmp_path / "server")
    yield running
    running.stop()


def test_enrolment_is_limited_per_address(fresh: DinasServer) -> None:
    """Twice the window's allowance plus one: whichever window they fall in, one is over (429, Retry-After)."""
    answers = [
        requests.post(
            f"{fresh.url}/v1/enrol",
            json={"code": "AAAA-BBBB-CCCC", "device_id": "0" * 36, "device_secret": "s" * 43, "device_name": "x"},
            timeout=10,
        )
        for _ in range(2 * 20 + 1)
    ]
    limited = [a for a in answers if a.status_code == 429]
    assert limited, [a.status_code for a in answers]
    assert {a.status_code for a in answers} <= {401, 422, 429}
    body = limited[0].json()["error"]
    assert body["code"] == "rate_limited" and "Terlalu banyak pendaftaran perangkat" in body["message"]
    assert 0 < int(limited[0].headers["Retry-After"]) <= 600


def test_back_office_log_in_is_limited_per_address(fresh: DinasServer) -> None:
    answers = [
        requests.post(f"{fresh.url}/backoffice/masuk", data={"username": "rina", "password": "salah"}, timeout=10)
        for _ in range(2 * 30 + 1)
    ]
    limited = [a for a in answers if a.status_code == 429]
    assert limited, [a.status_code for a in answers]
    assert "text/html" in limited[0].headers["content-type"]
    assert "Terlalu banyak percobaan masuk" in limited[0].text
    assert int(limited[0].headers["Retry-After"]) > 0


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json"])
def test_the_api_docs_are_off_by_default(server: DinasServer, path: str) -> None:
    answer = requests.get(f"{server.url}{path}", timeout=10)
    assert answer.status_code == 404
    assert answer.json()["error"]["message"] == "Alamat ini tidak ada di server Dinas."


def test_every_error_answers_in_bahasa_indonesia(server: DinasServer) -> None:
    """Starlette's 404/405 and pydantic's parse errors, in words an Indonesian reader gets, with stable codes."""
    answers = {
        "unknown path": requests.get(f"{server.url}/v1/tidak-ada", timeout=10),
        "wrong method": requests.delete(f"{server.url}/v1/health", timeout=10),
        "broken JSON": requests.post(
            f"{server.url}/v1/enrol", data=b'{"code": ', headers={"Content-Type": "application/json"}, timeout=10
        ),
        "missing fields": requests.post(f"{server.url}/v1/enrol", json={}, timeout=10),
        "bad query": requests.get(f"{server.url}/v1/status?after=minus", timeout=10),
    }
    for what, answer in answers.items():
        assert answer.status_code in (404, 405, 422, 401), (what, answer.status_code)
        assert not any(word in answer.text for word in ENGLISH), (what, answer.text)
    assert answers["wrong method"].status_code == 405 and "GET" in answers["wrong method"].headers["Allow"]
    assert answers["wrong method"].json()["error"]["message"].startswith("Metode HTTP ini tidak diizinkan")
    broken = answers["broken JSON"].json()["error"]
    assert broken["code"] == "invalid_request" and broken["detail"][0]["msg"] == "JSON tidak sah"
    missing = answers["missing fields"].json()["error"]["detail"]
    assert {d["msg"] for d in missing} == {"wajib diisi"}


def test_a_body_that_stalls_is_cut_off_with_408(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A client that announces a body and stops sending holds no worker: 408 and the connection closed."""
    monkeypatch.setenv("LOKET_SERVER_BODY_IDLE_SECONDS", "1")
    slow = start_server(tmp_path / "server")
    try:
        with socket.create_connection(("127.0.0.1", slow.port), timeout=30) as sock:
            head = "POST /v1/enrol HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            sock.sendall((head + "Content-Length: 400\r\n\r\n").encode() + b'{"code": "AB')
            answer = bytearray()
            while data := sock.recv(65536):  # the server answers, then closes: recv returns b""
                answer.extend(data)
        status = answer.split(b"\r\n", 1)[0]
        assert b" 408 " in status, bytes(answer)
        assert b"detik" in answer
        health = requests.get(f"{slow.url}/v1/health", timeout=10)
        assert health.status_code == 200, "the server goes on serving others"
    finally:
        slow.stop()
    assert "Traceback" not in slow.log_text(), slow.log_text()


def test_a_request_head_that_dribbles_in_is_cut_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A client sending its headers a piece at a time (slowloris) loses the connection; others are served."""
    monkeypatch.setenv("LOKET_SERVER_HEAD_SECONDS", "1")
    slow = start_server(tmp_path / "server")
    try:
        with socket.create_connection(("127.0.0.1", slow.port), timeout=30) as sock:
            sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            closed = sock.recv(65536)  # nothing more is sent: the server closes the connection
            assert closed == b""
        with socket.create_connection(("127.0.0.1", slow.port), timeout=30) as sock:
            sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            assert sock.recv(65536).startswith(b"HTTP/1.1 200"), "a whole head in time is served"
    finally:
        slow.stop()
    assert "Traceback" not in slow.log_text(), slow.log_text()
