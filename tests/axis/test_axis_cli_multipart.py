"""``python -m conformance.axis serve`` as a separate process, and the multipart reader of ``sendEdoc``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conformance.axis.client import AxisClient
from conformance.axis.multipart import MultipartError, parse_multipart


def test_serve_runs_alone_and_stops_on_sigterm(tmp_path: Path) -> None:
    ready = tmp_path / "ready.json"
    env = {**os.environ, "AXIS_SECRET": "standalone-secret-123"}
    p = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "conformance.axis",
            "serve",
            "--port",
            "0",
            "--agency",
            "000.00.00.H49",
            "--system-id",
            "vxp.vendor.01",
            "--ready-file",
            str(ready),
            "--journal",
            str(tmp_path / "j"),
        ],
        env=env,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        url = json.loads(ready.read_text("utf-8"))["url"]
        client = AxisClient(url, "vxp.vendor.01", "standalone-secret-123")
        rows = client.agencies(qd20=True)
        assert {"H49", "H99", "G22"} <= {r["code"] for r in rows}
        assert AxisClient(url, "vxp.vendor.01", "wrong").call("getAgenciesList").status_code == 401
    finally:
        p.send_signal(signal.SIGTERM)
        assert p.wait(10) == 0
    assert (tmp_path / "j" / "journal.jsonl").exists()


def test_serve_refuses_to_start_without_a_secret() -> None:
    env = {k: v for k, v in os.environ.items() if k != "AXIS_SECRET"}
    out = subprocess.run(
        [sys.executable, "-m", "conformance.axis", "serve", "--agency", "000.00.00.H49"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert out.returncode == 2 and "AXIS_SECRET" in out.stderr


def _body(boundary: str, *parts: tuple[str, str, bytes]) -> bytes:
    out = b""
    for headers, _, content in parts:
        out += f"--{boundary}\r\n{headers}\r\n\r\n".encode() + content + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def test_multipart_fields_and_file() -> None:
    body = _body(
        "XyZ",
        (
            'Content-Disposition: form-data; name="header"\r\nContent-Type: application/json',
            "",
            b'{"from": "A"}',
        ),
        ('Content-Disposition: form-data; name="note"', "", "ghi chú".encode()),
        ('Content-Disposition: form-data; name="file"; filename="a.edxml"', "", b"<x>\r\n--not-a-delim</x>"),
    )
    fields, file = parse_multipart(body, 'multipart/form-data; boundary="XyZ"')
    assert fields == {"from": "A", "note": "ghi chú"}
    assert file == b"<x>\r\n--not-a-delim</x>"


@pytest.mark.parametrize(
    "body, ctype",
    [
        (b"--B\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n", "multipart/form-data; boundary=B"),
        (b"whatever", "multipart/form-data"),
        (b"--B\r\nno blank line here\r\n--B--\r\n", "multipart/form-data; boundary=B"),
    ],
)
def test_multipart_broken_bodies_are_refused(body: bytes, ctype: str) -> None:
    with pytest.raises(MultipartError):
        parse_multipart(body, ctype)
