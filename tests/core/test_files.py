"""Files end to end: generated inputs, multipart upload, downloads kept as hashed evidence blobs."""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conformance.catalogue.loader import load_profile
from conformance.drivers.http import HttpDriver
from conformance.embedded import EmbeddedReference
from conformance.engine import Engine, judge_records
from conformance.errors import ConfigError
from conformance.evidence.redact import MASK, Redactor
from conformance.evidence.store import CriterionEvidence, load_records
from conformance.inputs import FileInput, InputError, gen_file, gen_pdf, make_pdf
from conformance.target import load_target
from tests.conftest import target_for

COMMON = {
    "area": "gui-nhan",
    "level": "bat-buoc",
    "evidence_mark": "R",
    "legal_basis": [{"instrument": "NĐ 30/2020/NĐ-CP", "article": "Phụ lục VI", "clause": "Phần III"}],
}
REGISTER = {
    "call": "document.register_outgoing",
    "with": {"type_name": "Công văn", "code_notation": "UBND-VP", "subject": "Về việc tệp", "page_amount": 2},
    "save": "vb",
}


def _profile(tmp_path: Path, steps: list[dict], name: str = "p") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    doc = {
        "profile": {
            "id": "test-files",
            "version": "1",
            "title": {"vi": "Thử tệp", "en": "Files"},
            "regime": "2020",
            "valid_as_of": "2026-11-01",
        },
        "parameters": {},
        "criteria": [
            {"id": "SR-120", "title": {"vi": "Tệp", "en": "Files"}, **COMMON, "check": {"steps": steps}}
        ],
    }
    (folder / "profile.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    return folder


ROUND_TRIP = [
    REGISTER,
    {
        "call": "document.attach_file",
        "with": {
            "document_id": "${saved.vb.outputs.id}",
            "file": {"$pdf": {"text": "Báo cáo ngân sách ${run.unique}", "pages": 2, "name": "bao-cao.pdf"}},
        },
        "save": "len",
    },
    {"call": "file.download", "with": {"file_id": "${saved.len.outputs.file_id}"}, "save": "ve"},
    {"judge": "accepted", "on": "len"},
    {"judge": "file_received", "on": "ve", "with": {"media_types": ["application/pdf"]}},
    {"judge": "same_file", "on": ["len", "ve"], "with": {"input": "file"}},
]


def _engine(tmp_path: Path, reference: EmbeddedReference, profile_dir: Path) -> Engine:
    target = load_target(target_for(reference.base_url, tmp_path))
    return Engine(load_profile(profile_dir), target, tmp_path / "run", "files-test", Redactor())


def test_upload_then_download_round_trip_is_judged_from_blobs(
    clean_reference: EmbeddedReference, tmp_path: Path
) -> None:
    engine = _engine(tmp_path, clean_reference, _profile(tmp_path, ROUND_TRIP))
    c = engine.profile.criteria["SR-120"]
    out = engine.run(c)
    assert out.raw == "pass", out.message

    records = {r.get("save"): r for r in load_records(engine.run_dir, "SR-120")}
    stub = records["len"]["inputs"]["file"]["$file"]
    sent = (engine.run_dir / stub["blob"]).read_bytes()
    assert sent.startswith(b"%PDF-") and hashlib.sha256(sent).hexdigest() == stub["sha256"]
    assert records["len"]["outputs"]["sha256"] == stub["sha256"]  # what the system recorded on arrival
    body = records["ve"]["response"]["body"]
    assert (engine.run_dir / body["blob"]).read_bytes() == sent
    assert body["filename"] == "bao-cao.pdf" and body["media_type"] == "application/pdf"
    assert "base64" not in json.dumps(records["len"]["request"])  # the record holds a stub, not the bytes
    manifest = [
        json.loads(line)
        for line in (engine.run_dir / "evidence" / "SR-120" / "manifest.jsonl").read_text().splitlines()
    ]
    hashes = {m["file"]: m["sha256"] for m in manifest}
    assert hashes[Path(body["blob"]).name] == stub["sha256"]

    # rejudge later reads the same records and blobs and reaches the same verdict
    saved = {r["save"]: r for r in records.values() if r.get("kind") == "call" and r.get("save")}
    raw, _, _ = judge_records(c, saved, {}, {}, engine.run_dir)
    assert raw == "pass"
    # a download whose blob vanished from the evidence is no longer proof
    (engine.run_dir / body["blob"]).unlink()
    raw, msg, _ = judge_records(c, saved, {}, {}, engine.run_dir)
    assert raw == "fail" and "không còn trong bằng chứng" in msg


def test_a_changed_file_fails_same_file(clean_reference: EmbeddedReference, tmp_path: Path) -> None:
    engine = _engine(tmp_path, clean_reference, _profile(tmp_path, ROUND_TRIP))
    c = engine.profile.criteria["SR-120"]
    assert engine.run(c).raw == "pass"
    records = {r.get("save"): r for r in load_records(engine.run_dir, "SR-120")}
    records["ve"]["response"]["body"]["sha256"] = "0" * 64  # as if the system had served other bytes
    saved = {k: v for k, v in records.items() if k}
    raw, msg, _ = judge_records(c, saved, {}, {}, engine.run_dir)
    assert raw == "fail" and "khác tệp đã gửi" in msg


def test_reference_refuses_a_file_that_is_not_what_it_claims(
    clean_reference: EmbeddedReference, tmp_path: Path
) -> None:
    steps = [
        REGISTER,
        {
            "call": "document.attach_file",
            "with": {
                "document_id": "${saved.vb.outputs.id}",
                "file": {"$file": {"name": "setup.exe", "media_type": "application/pdf", "text": "MZ…"}},
            },
            "save": "gia",
        },
        {"judge": "rejected", "on": "gia", "with": {"statuses": [415]}},
    ]
    engine = _engine(tmp_path, clean_reference, _profile(tmp_path, steps))
    out = engine.run(engine.profile.criteria["SR-120"])
    assert out.raw == "pass", out.message


def test_bad_generator_parameters_are_a_file_line_error(tmp_path: Path) -> None:
    steps = [
        REGISTER,
        {"call": "document.attach_file", "with": {"document_id": 1, "file": {"$pdf": {"trang": 2}}}},
        {"judge": "accepted", "on": "vb"},
    ]
    with pytest.raises(ConfigError) as err:
        load_profile(_profile(tmp_path, steps))
    text = str(err.value)
    assert "profile.yaml:" in text and "$pdf không có tham số trang" in text


def test_an_input_the_harness_cannot_build_is_a_harness_error(
    clean_reference: EmbeddedReference, tmp_path: Path
) -> None:
    steps = [
        REGISTER,
        {
            "call": "document.attach_file",
            "with": {"document_id": 1, "file": {"$pdf": {"pages": 0}}},
            "save": "x",
        },
        {"judge": "accepted", "on": "x"},
    ]
    engine = _engine(tmp_path, clean_reference, _profile(tmp_path, steps))
    out = engine.run(engine.profile.criteria["SR-120"])
    assert out.raw == "error" and "số trang" in out.message  # never blamed on the vendor


def test_generated_pdf_has_its_pages_and_readable_vietnamese_text() -> None:
    data = make_pdf("Quyết định về việc phê duyệt kế hoạch lưu trữ", pages=3)
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    assert PdfFileReader(io.BytesIO(data)).root["/Pages"]["/Count"] == 3
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout
        assert "Quyết định về việc phê duyệt kế hoạch lưu trữ" in text.decode("utf-8")


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ({"pages": 0}, "số trang"),
        ({"pages": "hai"}, "số nguyên"),
        ({"text": "x", "foo": 1}, "không có tham số foo"),
    ],
)
def test_pdf_generator_refuses_bad_arguments(arg: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        gen_pdf(arg)


def test_file_generator_builds_exact_bytes() -> None:
    b64 = base64.b64encode(b"<a/>").decode()
    f = gen_file({"name": "a.xml", "media_type": "application/xml", "base64": b64})
    assert isinstance(f, FileInput) and f.data == b"<a/>" and f.sha256 == hashlib.sha256(b"<a/>").hexdigest()
    with pytest.raises(InputError):
        gen_file({"name": "a", "text": "x", "base64": "eA=="})


# -- downloads from a hostile server ----------------------------------------------------------------
SECRET = "mật-khẩu-rất-bí-mật"
PAYLOAD = b"\x00\x01binary" * 20_000  # 160 KB


class Files(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/big":
            body, ctype = PAYLOAD, "application/octet-stream"
        elif self.path == "/secret":
            body, ctype = b"header " + SECRET.encode() + b" footer", "text/plain"
        elif self.path == "/b64":
            body = json.dumps({"content": base64.b64encode(b"%PDF-1.7 x").decode(), "name": "x.pdf"}).encode()
            ctype = "application/json"
        else:
            body, ctype = '{"detail": "Không tìm thấy"}'.encode(), "application/json"
            self.send_response(404)
            self.send_header("Content-Type", ctype)
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Disposition", "attachment; filename*=UTF-8''b%C3%A1o-c%C3%A1o.bin")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def files_server() -> Iterator[str]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Files)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def _driver(base: str, tmp_path: Path, **overrides: object) -> tuple[HttpDriver, CriterionEvidence]:
    target = load_target(target_for(base, tmp_path, **overrides))
    redactor = Redactor([SECRET])
    return HttpDriver(target, redactor), CriterionEvidence(tmp_path / "run", "X-1", redactor)


def test_download_past_its_cap_is_cut_and_said(files_server: str, tmp_path: Path) -> None:
    driver, ev = _driver(files_server, tmp_path, max_download_bytes=65536)
    rec = driver.exchange("GET", "/big", download=True, sink=ev)
    body = rec["response"]["body"]
    assert rec["response"]["truncated"] and "vượt quá 65536" in rec["error"]
    assert body["size"] == 65536 and (tmp_path / "run" / body["blob"]).stat().st_size == 65536
    assert body["filename"] == "báo-cáo.bin"


def test_download_within_cap_is_whole_and_hashed(files_server: str, tmp_path: Path) -> None:
    driver, ev = _driver(files_server, tmp_path)
    rec = driver.exchange("GET", "/big", download=True, sink=ev)
    body = rec["response"]["body"]
    assert rec["error"] is None and body["sha256"] == hashlib.sha256(PAYLOAD).hexdigest()


def test_a_secret_inside_a_downloaded_file_never_reaches_disk(files_server: str, tmp_path: Path) -> None:
    driver, ev = _driver(files_server, tmp_path)
    rec = driver.exchange("GET", "/secret", download=True, sink=ev)
    body = rec["response"]["body"]
    stored = (tmp_path / "run" / body["blob"]).read_bytes()
    assert SECRET.encode() not in stored and MASK.encode() in stored and body["redacted"] is True
    # the hash still describes what the system sent, and the record says the copy was masked
    assert body["sha256"] == hashlib.sha256(b"header " + SECRET.encode() + b" footer").hexdigest()


def test_base64_file_in_a_json_reply_becomes_a_blob(files_server: str, tmp_path: Path) -> None:
    driver, ev = _driver(files_server, tmp_path)
    rec = driver.exchange("GET", "/b64", download={"pointer": "/content", "filename": "/name"}, sink=ev)
    body = rec["response"]["body"]
    assert rec["error"] is None and body["filename"] == "x.pdf"
    assert (tmp_path / "run" / body["blob"]).read_bytes() == b"%PDF-1.7 x"
    assert "JVBER" not in json.dumps(rec["response"]["json"])  # the base64 text is not kept twice


def test_an_error_reply_to_a_download_is_read_as_json(files_server: str, tmp_path: Path) -> None:
    driver, ev = _driver(files_server, tmp_path)
    rec = driver.exchange("GET", "/missing", download=True, sink=ev)
    assert rec["response"]["status"] == 404 and rec["response"]["json"]["detail"] == "Không tìm thấy"
    assert "body" not in rec["response"]
