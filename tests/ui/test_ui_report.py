"""A UI fault fails its criterion, and the report shows the last screen the harness saw."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from conformance.report.html import render_html
from tests.conftest import run_cli

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60  # enough of a JPEG for the report, which only embeds it


def _results(shot: str, result: str) -> dict:
    return {
        "format": "conformance-results/1",
        "run": {"id": "r", "profile": {}, "target": {}},
        "verdict": {},
        "criteria": [
            {
                "id": "SR-070b",
                "title": {"vi": "Nhãn", "en": "Labels"},
                "area": "gui-nhan",
                "level": "bat-buoc",
                "channel": "ui",
                "evidence_mark": "R/I",
                "legal_basis": [],
                "result": result,
                "message": "thiếu nhãn",
                "checks": [],
                "evidence": ["evidence/SR-070b/001-context.json", shot, "evidence/SR-070b/004-trace.zip"],
            }
        ],
    }


def test_the_last_screenshot_of_a_failed_criterion_is_embedded(tmp_path: Path) -> None:
    shot = "evidence/SR-070b/003-document.outgoing_form-02-describe_form.jpg"
    (tmp_path / shot).parent.mkdir(parents=True)
    (tmp_path / shot).write_bytes(JPEG)
    html = render_html(_results(shot, "fail"), evidence_dir=tmp_path)
    data_uri = "data:image/jpeg;base64," + base64.b64encode(JPEG).decode()
    assert f'<img src="{data_uri}"' in html
    assert "Màn hình cuối cùng khi kiểm tra qua giao diện" in html and f'href="{shot}"' in html
    linked = render_html(_results(shot, "fail"))  # without the run folder: a link, never a broken embed
    assert f'<img src="{shot}"' in linked
    assert "<img" not in render_html(_results(shot, "pass"), evidence_dir=tmp_path)
    assert "Last screen seen through the user interface" in render_html(
        _results(shot, "error"), lang="en", evidence_dir=tmp_path
    )


@pytest.mark.browser
def test_a_ui_fault_fails_its_criterion_with_the_screenshot_in_the_report(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    proc = run_cli(
        "run",
        "--profile",
        "profiles/vn-2020",
        "--fault",
        "outgoing_label_missing",
        "-k",
        "SR-070b or SR-066",
        "--run-dir",
        str(run_dir),
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr  # KHÔNG ĐẠT
    results = {c["id"]: c for c in json.loads((run_dir / "results.json").read_text("utf-8"))["criteria"]}
    assert results["SR-066"]["result"] == "pass"
    failed = results["SR-070b"]
    assert failed["result"] == "fail" and "«Trích yếu nội dung» (chỉ có placeholder" in failed["message"]
    shots = [e for e in failed["evidence"] if e.endswith(".jpg")]
    assert shots and any(e.endswith(".zip") and "-trace-" in e for e in failed["evidence"])
    html = (run_dir / "report.html").read_text("utf-8")
    article = re.search(r'<article class="crit k-fail" id="crit-SR-070b">.*?</article>', html, re.S)
    assert article, "SR-070b is not reported as failed"
    embedded = base64.b64encode((run_dir / shots[-1]).read_bytes()).decode()
    assert f'<img src="data:image/jpeg;base64,{embedded}"' in article.group(0)
    assert (run_dir / "report.pdf").read_bytes()[:5] == b"%PDF-"  # printed with the UI driver's browser
    manifest = json.loads((run_dir / "manifest.json").read_text("utf-8"))["files"]
    assert shots[-1] in manifest


@pytest.mark.browser
def test_a_signature_shown_valid_fails_sr057b_with_the_page_that_said_so_in_the_report(
    tmp_path: Path,
) -> None:
    """The fault makes the file page say "Hợp lệ" of a revoked signature: SR-057b fails, and the report
    shows the screenshot of that page (the last one the harness took for the criterion)."""
    run_dir = tmp_path / "run"
    proc = run_cli(
        "run", "--profile", "profiles/vn-2020", "--fault", "signature_shown_valid", "-k", "SR-057b",
        "--run-dir", str(run_dir),
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr  # KHÔNG ĐẠT
    failed = json.loads((run_dir / "results.json").read_text("utf-8"))["criteria"][0]
    assert failed["id"] == "SR-057b" and failed["result"] == "fail"
    assert "«thu_hoi»: trang của tệp ghi «Hợp lệ»" in failed["message"]
    assert "«hop_le»" not in failed["message"]  # the valid file is still shown valid: no finding on it
    shots = [e for e in failed["evidence"] if e.endswith(".jpg")]
    assert shots and "file.signature_view" in shots[-1]
    records = [
        json.loads((run_dir / e).read_text("utf-8")) for e in failed["evidence"] if e.endswith(".json")
    ]
    shown = next(r for r in records if r.get("save") == "thu_hoi")
    assert shown["outputs"]["status"] == "Hợp lệ"
    assert [s["status"] for s in shown["outputs"]["signatures"]] == ["Hợp lệ", "Hợp lệ"]
    assert shown["ui"]["steps"][0]["screenshot"] == shots[-1]  # the page the judge read is the one shown
    html = (run_dir / "report.html").read_text("utf-8")
    article = re.search(r'<article class="crit k-fail" id="crit-SR-057b">.*?</article>', html, re.S)
    assert article, "SR-057b is not reported as failed"
    embedded = base64.b64encode((run_dir / shots[-1]).read_bytes()).decode()
    assert f'<img src="data:image/jpeg;base64,{embedded}"' in article.group(0)
