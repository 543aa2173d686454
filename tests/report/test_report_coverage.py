"""The report's annex lists the coverage of the law: every row, its criteria and their results, or why not."""

from __future__ import annotations

import html as stdlib_html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema

from conformance.catalogue.coverage import coverage_of
from conformance.catalogue.law import rows_of_regime
from conformance.catalogue.loader import load_profile, schema
from conformance.report.html import render_html
from tests.conftest import ROOT, run_cli


def _annex(page: str) -> str:
    """Visible text of the annex only."""
    start = page.index('<section class="annex"')
    body = page[start : page.index("</section>", start)]
    return stdlib_html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body)))


def _with_coverage(sample: dict[str, Any]) -> dict[str, Any]:
    sample["coverage"] = coverage_of(load_profile(ROOT / "profiles" / "vn-2020")).as_dict()
    return sample


def test_annex_lists_every_row_of_the_regime(sample_results: dict[str, Any]) -> None:
    results = _with_coverage(sample_results)
    jsonschema.validate(results, schema("results"))
    annex = _annex(render_html(results))
    ids = set(re.findall(r"\b(?:SR|DS|AR|TR)-[0-9]{3}\b", annex))
    assert set(rows_of_regime("2020")) <= ids
    assert "TR-016" not in annex  # a 2025-only row is not in the 2020 regime
    assert "PHỤ LỤC: ĐỐI CHIẾU YÊU CẦU PHÁP LÝ VỚI TIÊU CHÍ KIỂM TRA" in annex
    gaps = len(results["coverage"]["gaps"])
    assert f"{gaps} dòng yêu cầu là khoảng trống" in annex and "KHOẢNG TRỐNG: chưa có tiêu chí" in annex
    assert "Ngoài phạm vi chứng nhận" in annex and "QĐ 1032/QĐ-BNV" in annex  # TR-038 with its note


def test_annex_shows_each_criterion_with_its_result_in_this_run(sample_results: dict[str, Any]) -> None:
    results = _with_coverage(sample_results)
    page = render_html(results)
    annex = _annex(page)
    # the sample run holds DS-006 (pass) and DS-011 (waived); SR-061 is in the profile but not in this run
    assert "DS-006: Đạt" in annex and "DS-011: Được miễn trừ" in annex
    assert "SR-061: không chạy trong lần này" in annex
    assert "SR-063: không chạy trong lần này" in annex.split("DS-037", 1)[1][:400]  # via covers
    assert '<a href="#crit-DS-006">DS-006</a>' in page
    en = _annex(render_html(results, lang="en"))
    assert "ANNEX: COVERAGE OF THE LAW" in en and "DS-006: Pass" in en and "GAP: no criterion yet" in en


def test_unaccounted_rows_are_said_in_the_annex(sample_results: dict[str, Any]) -> None:
    results = _with_coverage(sample_results)
    row = next(r for r in results["coverage"]["rows"] if r["id"] == "SR-001")
    row.update(status="unaccounted", gap=True, reason=None)
    annex = _annex(render_html(results))
    assert "1 dòng không có tiêu chí cũng không có lý do: SR-001." in annex


def test_a_run_without_coverage_renders_without_annex(sample_results: dict[str, Any]) -> None:
    assert '<section class="annex"' not in render_html(sample_results)


def test_run_records_coverage_as_the_profile_stood_at_the_start(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    shutil.copytree(ROOT / "profiles" / "vn-2020", profiles / "vn-2020")
    run_dir = tmp_path / "run"
    proc = run_cli(
        "run", "--profile", str(profiles / "vn-2020"), "-k", "DS-006", "--no-pdf", "--run-dir", str(run_dir)
    )
    assert proc.returncode in (0, 5), proc.stdout + proc.stderr
    results = json.loads((run_dir / "results.json").read_text("utf-8"))
    jsonschema.validate(results, schema("results"))
    assert len(results["coverage"]["rows"]) == 195 and results["coverage"]["unaccounted"] == []
    assert "DS-006: Đạt" in _annex((run_dir / "report.html").read_text("utf-8"))
    before = (run_dir / "report.html").read_bytes()
    # the reasons file changes after the run: a rebuilt report still shows the coverage of the run
    f = profiles / "vn-2020" / "coverage.yaml"
    f.write_text(f.read_text("utf-8").replace("  SR-001: {kind: gap}\n", ""), "utf-8")
    assert run_cli("report", str(run_dir), "--no-pdf").returncode in (0, 5)
    assert (run_dir / "report.html").read_bytes() == before


def test_a_broken_reasons_file_stops_the_run_with_file_and_line(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    shutil.copytree(ROOT / "profiles" / "vn-2020", profiles / "vn-2020")
    f = profiles / "vn-2020" / "coverage.yaml"
    f.write_text(f.read_text("utf-8").replace("reasons:\n", "reasons:\n  SR-999: {kind: later}\n"), "utf-8")
    proc = run_cli(
        "run",
        "--profile",
        str(profiles / "vn-2020"),
        "-k",
        "DS-006",
        "--no-pdf",
        "--run-dir",
        str(tmp_path / "r"),
    )
    assert proc.returncode == 2 and "coverage.yaml:" in proc.stdout + proc.stderr
    assert "reasons.SR-999.kind" in proc.stdout + proc.stderr and "Traceback" not in proc.stdout + proc.stderr
