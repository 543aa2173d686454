"""The HTTP driver against a hostile server: oversize bodies, bad JSON, stalls, resets, deep nesting."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.drivers.http import HttpDriver, json_pointer
from conformance.evidence.redact import MASK, Redactor
from conformance.target import load_target
from conformance.templating import ABSENT
from tests.conftest import target_for


class Hostile(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _send(self, body: bytes, ctype: str = "application/json", status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/huge":
            self._send(b'{"a": "' + b"x" * 200_000 + b'"}')
        elif self.path == "/badjson":
            self._send(b'{"id": 1,,}')
        elif self.path == "/deep":
            self._send(b"[" * 100_000 + b"]" * 100_000)
        elif self.path == "/stall":
            time.sleep(3)
            self._send(b"{}")
        elif self.path == "/reset":
            self.connection.close()
        elif self.path == "/html":
            self._send("<h1>Lỗi</h1>".encode(), "text/html; charset=utf-8", 500)
        else:
            self._send(b'{"ok": true, "nested": {"list": [10, 20]}}')


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def driver(hostile: str, tmp_path: Path) -> HttpDriver:
    target = load_target(
        target_for(hostile, tmp_path, max_response_bytes=65536, timeouts={"connect": 2, "read": 1})
    )
    return HttpDriver(target, Redactor())


def test_oversize_body_is_capped_and_said(driver: HttpDriver) -> None:
    rec = driver.exchange("GET", "/huge")
    assert rec["response"]["truncated"] is True and rec["response"]["size"] == 65536
    assert "vượt quá" in rec["error"] and rec["response"]["json"] is None


def test_invalid_json_is_recorded_not_raised(driver: HttpDriver) -> None:
    rec = driver.exchange("GET", "/badjson")
    assert rec["response"]["status"] == 200 and rec["response"]["json"] is None
    assert rec["response"]["parse_error"]


def test_deeply_nested_json_does_not_crash(driver: HttpDriver) -> None:
    driver.target.max_response_bytes = 1_000_000
    rec = driver.exchange("GET", "/deep")
    assert rec["response"]["status"] == 200  # parsed or recorded as unparsable, never an exception


def test_stalled_reply_times_out(driver: HttpDriver) -> None:
    t0 = time.monotonic()
    rec = driver.exchange("GET", "/stall")
    assert rec["response"] is None and "hết thời gian chờ" in rec["error"]
    assert time.monotonic() - t0 < 2.9


def test_connection_reset_is_an_error_record(driver: HttpDriver) -> None:
    rec = driver.exchange("GET", "/reset")
    assert rec["response"] is None and rec["error"]


def test_non_json_error_page_is_kept_as_text(driver: HttpDriver) -> None:
    rec = driver.exchange("GET", "/html")
    assert rec["response"]["status"] == 500 and "Lỗi" in rec["response"]["text"]


def test_json_pointer_never_raises() -> None:
    doc = {"a": {"b": [1, {"c/d": 2, "e~f": 3}]}}
    assert json_pointer(doc, "/a/b/1/c~1d") == 2
    assert json_pointer(doc, "/a/b/1/e~0f") == 3
    assert json_pointer(doc, "/a/b/9") is ABSENT
    assert json_pointer(doc, "/a/x/y") is ABSENT
    assert json_pointer(None, "/a") is ABSENT


def test_redactor_masks_every_form_of_a_secret() -> None:
    secret = 'Mật"khẩu/+ bí mật'
    r = Redactor([secret])
    import json
    from urllib.parse import quote, quote_plus

    for form in (secret, json.dumps(secret)[1:-1], quote(secret, safe=""), quote_plus(secret)):
        assert r.text(f"x{form}y") == f"x{MASK}y"
    assert r.value({"Authorization": "Bearer abc", "nested": [{"password": "p"}], "ok": "giữ"}) == {
        "Authorization": MASK,
        "nested": [{"password": MASK}],
        "ok": "giữ",
    }
