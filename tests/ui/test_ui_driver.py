"""The UI driver in a real Chromium against real pages: what it records, how it reads refusals,
time-outs, frames, CSS fallbacks and sessions kept in local storage.

Browser tests are few and grouped: one browser per test process (shared with the report printer),
a fresh context per criterion scope.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import threading
import time
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from conformance.catalogue.loader import load_profile
from conformance.drivers import ui as ui_driver
from conformance.drivers.http import HttpDriver
from conformance.evidence.redact import Redactor
from conformance.inputs import gen_file, gen_pdf
from conformance.preflight import preflight
from conformance.target import Target, load_target
from tests.conftest import ROOT
from tests.ui.conftest import UI_TARGET, bind, perform

pytestmark = pytest.mark.browser


def _all_bytes(path: Path) -> bytes:
    """A file's bytes, and for a zip every member's bytes too (a trace is a zip of JSON and resources)."""
    data = path.read_bytes()
    if path.suffix == ".zip":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            data += b"".join(z.read(n) for n in z.namelist())
    return data


def _manifest(run_dir: Path, criterion: str) -> dict[str, str]:
    lines = (run_dir / "evidence" / criterion / "manifest.jsonl").read_text("utf-8").splitlines()
    return {e["file"]: e["sha256"] for e in map(json.loads, lines)}


def test_register_through_the_pages_records_each_step_with_its_screenshot(
    ui_target: Target, clean_reference: Any, tmp_path: Path
) -> None:
    run = perform(
        ui_target,
        tmp_path,
        "SR-999",
        [
            (
                "document.register_outgoing",
                {
                    "type_name": "Công văn",
                    "code_notation": "UBND-VP",
                    "subject": "Về việc thử giao diện",
                    "page_amount": 2,
                    "priority": 1,
                },
            ),
        ],
        [clean_reference.password],
    )
    (rec,) = run.records
    assert rec["error"] is None and rec["ui"]["outcome"] == "accepted", rec["ui"]
    out = rec["outputs"]
    assert out["code_number"] == "01" and out["so_ky_hieu"] == "01/UBND-VP"
    assert out["subject"] == "Về việc thử giao diện" and isinstance(out["id"], int)
    assert out["issued_date"][:4].isdigit() and out["issued_date"][4] == "-"  # dd/mm/yyyy read as ISO
    assert out["doc_code"].startswith(out["organ_id"] + ",")
    manifest = _manifest(tmp_path, "SR-999")
    steps = rec["ui"]["steps"]
    done = [s for s in steps if not s.get("skipped")]
    assert {s["action"] for s in done} >= {"goto", "fill", "select", "click", "outcome", "read"}
    for s in done:  # a screenshot per step, in the evidence and hashed into the manifest
        shot = tmp_path / s["screenshot"]
        assert shot.read_bytes()[:3] == b"\xff\xd8\xff", s
        assert manifest[shot.name] == hashlib.sha256(shot.read_bytes()).hexdigest()
    assert any(s.get("skipped") for s in steps)  # inputs not given are left out, like HTTP
    traces = [p for p in run.files() if "-trace-" in p.name]
    assert len(traces) == 1 and traces[0] == run.files()[-1] and zipfile.is_zipfile(traces[0])
    assert traces[0].name in manifest
    with zipfile.ZipFile(traces[0]) as z:
        assert any(n.endswith(".trace") for n in z.namelist())
    secrets = [clean_reference.password.encode()]
    for state in ui_driver._SESSIONS.values():
        secrets += [c["value"].encode() for c in state["cookies"]]
    assert len(secrets) > 1
    for f in run.files():
        blob = _all_bytes(f)
        assert not any(s in blob for s in secrets), f"a secret reached {f.name}"
    # the browser lives in a thread of its own: the main thread can still run asyncio (pyHanko signs so)
    assert ui_driver.BROWSER._thread is not None and ui_driver.BROWSER._thread.is_alive()
    assert asyncio.run(asyncio.sleep(0, result="ok")) == "ok"


def test_files_go_up_and_come_back_through_the_pages(
    ui_target: Target, clean_reference: Any, tmp_path: Path
) -> None:
    pdf = gen_pdf({"text": "Văn bản thử tải lên qua giao diện", "name": "Công văn 12-UBND (bản ký số).pdf"})
    doc = {"type_name": "Công văn", "code_notation": "UBND-VP", "subject": "Văn bản có tệp", "page_amount": 1}
    run = perform(
        ui_target, tmp_path, "SR-994", [("document.register_outgoing", doc)], [clean_reference.password]
    )
    doc_id = run.records[0]["outputs"]["id"]
    calls = [
        ("document.attach_file", {"document_id": doc_id, "file": pdf, "description": "Bản chính"}),
        ("document.attach_file", {"document_id": doc_id, "file": gen_file({"name": "a.txt", "text": "x"})}),
        ("document.attach_file", {"document_id": doc_id, "document_kind": "incoming", "file": pdf}),
    ]
    run = perform(ui_target, tmp_path, "SR-994", calls, [clean_reference.password])
    up, wrong_type, no_page = run.records
    assert up["ui"]["outcome"] == "accepted", up["ui"]
    assert up["outputs"]["sha256"] == pdf.sha256 and up["outputs"]["size"] == pdf.size
    assert up["outputs"]["name"] == pdf.name and up["outputs"]["media_type"] == "application/pdf"
    assert wrong_type["ui"]["outcome"] == "rejected" and "không được chấp nhận" in wrong_type["ui"]["message"]
    assert no_page["ui"]["outcome"] == "error" and "HTTP 404" in no_page["error"]
    down = perform(
        ui_target, tmp_path, "SR-994", [("file.download", {"file_id": up["outputs"]["file_id"]})], []
    ).records[0]
    assert down["ui"]["outcome"] == "done", down["ui"]
    body = down["response"]["body"]
    assert down["outputs"] == {
        "sha256": pdf.sha256,
        "size": pdf.size,
        "media_type": "application/pdf",
        "filename": pdf.name,
    }
    blob = tmp_path / body["blob"]
    assert hashlib.sha256(blob.read_bytes()).hexdigest() == pdf.sha256
    assert _manifest(tmp_path, "SR-994")[blob.name] == pdf.sha256


def test_refusals_are_read_from_the_page(ui_target: Target, clean_reference: Any, tmp_path: Path) -> None:
    base = {"type_name": "Công văn", "code_notation": "UBND-VP", "subject": "Về việc thử", "page_amount": 1}
    calls = [
        ("document.register_outgoing", {**base, "subject": "x" * 501}),  # cut by maxlength
        ("document.register_outgoing", {k: v for k, v in base.items() if k != "page_amount"}),  # required
        ("document.register_outgoing", {**base, "code_notation": "ubnd vp"}),  # the server's alert
        ("document.register_outgoing", {**base, "priority": 9}),  # not in the list
        (
            "dossier.open",
            {
                "title": "Hồ sơ",
                "file_notation": "01.TD",
                "maintenance": "lâu dài",
                "creator": "An",
                "start_date": "2026-01-05",
            },
        ),
    ]
    run = perform(ui_target, tmp_path, "SR-998", calls, [clean_reference.password])
    outcomes = [(r["ui"]["outcome"], r["ui"]["message"]) for r in run.records]
    assert [o for o, _ in outcomes] == ["rejected"] * 5, outcomes
    messages = [m for _, m in outcomes]
    assert "501 ký tự, ô chỉ giữ 500 ký tự" in messages[0]
    assert messages[1].startswith("biểu mẫu chặn gửi: Số trang của văn bản")
    assert "Ký hiệu của văn bản: Ký hiệu không đúng quy định" in messages[2]
    assert "không có lựa chọn «9»" in messages[3]
    assert "Thời hạn bảo quản" in messages[4]
    for rec in run.records:  # after a refusal nothing else is done, and nothing is read
        assert rec["outputs"] == {}
        assert rec["ui"]["steps"][-1].get("skipped", "").startswith("không thực hiện")


def test_time_outs_and_failed_logins_are_records_not_crashes(clean_reference: Any, tmp_path: Path) -> None:
    def short(data: dict) -> None:
        # short, yet long enough that the fields which are there get filled on a loaded machine
        data["ui"]["timeouts"] = {"step": 2, "navigation": 5}

    target = load_target(bind(UI_TARGET, clean_reference.base_url, tmp_path / "t", short))
    clean_reference.set_faults(["outgoing_label_missing"])
    try:
        t0 = time.monotonic()
        run = perform(
            target,
            tmp_path / "run",
            "SR-997",
            [
                (
                    "document.register_outgoing",
                    {"type_name": "Công văn", "code_notation": "UBND-VP", "subject": "x", "page_amount": 1},
                )
            ],
            [clean_reference.password],
        )
        assert time.monotonic() - t0 < 15
    finally:
        clean_reference.set_faults([])
    (rec,) = run.records
    assert rec["ui"]["outcome"] == "error"
    assert "hết thời gian chờ 2s" in rec["error"] and "Trích yếu nội dung" in rec["error"]
    failed = rec["ui"]["steps"][-1]
    assert "error" in failed and (tmp_path / "run" / failed["screenshot"]).is_file()

    def wrong_password(data: dict) -> None:
        data["auth"]["roles"]["van_thu"]["password_env"] = "CONFORMANCE_TEST_WRONG_PASSWORD"

    import os

    os.environ["CONFORMANCE_TEST_WRONG_PASSWORD"] = "khong-dung-mat-khau"
    try:
        target = load_target(bind(UI_TARGET, clean_reference.base_url, tmp_path / "w", wrong_password))
        run = perform(
            target, tmp_path / "run2", "SR-996", [("document.outgoing_form", {})], ["khong-dung-mat-khau"]
        )
    finally:
        del os.environ["CONFORMANCE_TEST_WRONG_PASSWORD"]
    (rec,) = run.records
    assert rec["ui"]["outcome"] == "error"
    assert "đăng nhập vai trò van_thu qua giao diện không thành công" in rec["error"]


def test_preflight_checks_the_ui_login(
    clean_reference: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrong password for a role used through the pages stops the run before any criterion (exit 2)."""

    def ui_only_login(data: dict) -> None:
        data["auth"] = {"kind": "none", "roles": data["auth"]["roles"]}
        data["auth"]["roles"]["van_thu"]["password_env"] = "CONFORMANCE_TEST_WRONG_PASSWORD"

    monkeypatch.setenv("CONFORMANCE_TEST_WRONG_PASSWORD", "khong-dung-mat-khau")
    target = load_target(bind(UI_TARGET, clean_reference.base_url, tmp_path / "t", ui_only_login))
    profile = load_profile(ROOT / "profiles" / "vn-2020")
    res = preflight(profile, target, HttpDriver(target, Redactor()))
    assert not res.ok and res.exit_code == 2, res
    assert "Đăng nhập qua giao diện không được chấp nhận" in res.message and "van_thu" in res.message
    monkeypatch.setenv("CONFORMANCE_TEST_WRONG_PASSWORD", clean_reference.password)
    ok = preflight(profile, target, HttpDriver(target, Redactor()))
    assert ok.ok, ok
    assert {"check": "ui-login:chuyen_vien", "ok": True} in ok.checks


# -- a small vendor-like app: session in local storage, a form inside an iframe, an unlabelled field ------
PAGES = {
    "/dang-nhap": """<!doctype html><html lang="vi"><body><form onsubmit="event.preventDefault();
        localStorage.setItem('token', 'tok-' + document.getElementById('u').value + '-bi-mat-123');
        location.href = '/app';"><label for="u">Tên đăng nhập</label><input id="u">
        <label for="p">Mật khẩu</label><input id="p" type="password"><button>Đăng nhập</button>
        </form></body></html>""",
    "/app": """<!doctype html><html lang="vi"><body><script>
        if (!localStorage.getItem('token')) location.href = '/dang-nhap';</script>
        <h1>Xin chào</h1><input id="so" name="so"><iframe id="khung" src="/khung"></iframe></body></html>""",
    "/khung": """<!doctype html><html lang="vi"><body><form onsubmit="event.preventDefault();
        const p = document.createElement('p'); p.setAttribute('role', 'status');
        p.textContent = 'Đã lưu: ' + document.getElementById('ty').value; document.body.append(p);">
        <label for="ty">Trích yếu</label><input id="ty"><input id="khong-nhan" placeholder="Ghi chú">
        <button>Lưu</button></form></body></html>""",
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = PAGES.get(self.path.split("?")[0])
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write((body or "không có").encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def vendor_app() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


VENDOR_TARGET = """
target: {name: Ứng dụng thử, product: thu, vendor: thu, version: "1", base_url: "%s"}
auth:
  kind: none
  roles: {van_thu: {username: vt, password_env: CONFORMANCE_TEST_VENDOR_PASSWORD}}
capabilities: {areas: [gui-nhan]}
ui:
  login:
    steps:
      - goto: /dang-nhap
      - fill: {label: Tên đăng nhập, value: "${cred.username}"}
      - fill: {label: Mật khẩu, value: "${cred.password}"}
      - click: {role: button, name: Đăng nhập}
    success: {role: heading, name: Xin chào}
  timeouts: {step: 3}
operations:
  document.register_outgoing:
    ui:
      as: van_thu
      steps:
        - goto: /app
        - wait_for: {role: heading, name: Xin chào}
        - fill: {frame: "iframe#khung", label: Trích yếu, value: "${in.subject}"}
        - fill: {label: Số của văn bản, css: "#so", value: "${in.code_number}"}
        - click: {frame: "iframe#khung", role: button, name: Lưu}
        - outcome: {accepted: {frame: "iframe#khung", role: status}}
        - read: {output: subject, frame: "iframe#khung", role: status, pattern: "Đã lưu: (.*)"}
        - read: {output: code_number, css: "#so"}
  document.outgoing_form:
    ui:
      as: van_thu
      steps:
        - goto: /app
        - describe_form: {output: fields, frame: "iframe#khung", css: form}
"""


def test_frames_css_fallback_and_a_session_in_local_storage(
    vendor_app: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONFORMANCE_TEST_VENDOR_PASSWORD", "mk-thu-nghiem")
    path = tmp_path / "vendor.yaml"
    path.write_text(VENDOR_TARGET % vendor_app, "utf-8")
    target = load_target(path)
    calls = [
        ("document.register_outgoing", {"subject": "Về việc thử khung", "code_number": "12"}),
        ("document.outgoing_form", {}),
    ]
    run = perform(target, tmp_path / "run", "SR-995", calls, ["mk-thu-nghiem"])
    reg, form = run.records
    assert reg["ui"]["outcome"] == "accepted", reg
    assert reg["outputs"] == {"subject": "Về việc thử khung", "code_number": "12"}
    fallback = next(s for s in reg["ui"]["steps"] if s["n"] == 4)
    assert "dùng css dự phòng" in fallback["fallback"]
    fields = {f["id"]: f for f in form["outputs"]["fields"]}
    assert fields["ty"]["label"] == "Trích yếu" and fields["ty"]["label_source"] == "label"
    assert fields["khong-nhan"]["label_source"] == "placeholder"
    assert all(f["reached_by_tab"] is None for f in fields.values())  # focus in frames is not followed
    token = b"tok-vt-bi-mat-123"  # the session in local storage is a secret like a cookie
    for f in run.files():
        assert token not in _all_bytes(f), f.name
