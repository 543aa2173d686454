"""Every committed package fixture gives what ``fixtures/packages/expected.json`` says, and the fixtures are
exactly what ``make_fixtures.py`` generates (deterministic, so the committed output cannot go stale)."""

from __future__ import annotations

import filecmp
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from conformance.standards.packages import Report, validate_nd30_export, validate_package

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "fixtures" / "packages"
EXPECTED: dict[str, dict[str, Any]] = json.loads((FIXTURES / "expected.json").read_text("utf-8"))["fixtures"]


def _run(path: Path) -> Report:
    return validate_nd30_export(path) if path.suffix == ".xml" else validate_package(path)


def test_enough_fixtures() -> None:
    valid = [n for n, e in EXPECTED.items() if e["status"] == "valid" and not n.startswith("nd30/")]
    broken = [n for n, e in EXPECTED.items() if e["status"] != "valid"]
    kinds = {EXPECTED[n].get("kind") for n in valid}
    assert {"SIP_hoso", "SIP_tailieu", "AIP_hoso"} <= kinds
    assert any(EXPECTED[n]["path"].endswith(".zip") for n in valid)
    assert len(broken) >= 30
    assert {"read.traversal", "read.ratio"} <= {e.get("code") for e in EXPECTED.values()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture(name: str) -> None:
    exp = EXPECTED[name]
    report = _run(FIXTURES / exp["path"])
    assert report.status == exp["status"], report.text()
    if "kind" in exp:
        assert report.kind == exp["kind"]
    errors = {f.code for f in report.errors}
    if exp["status"] == "valid":
        assert not errors, report.text()
        assert {f.code for f in report.warnings} >= set(exp.get("warnings", [])), report.text()
        return
    code = exp["code"]
    hits = [
        f
        for f in report.findings
        if f.code == code
        and f.severity == "error"
        and f.file == exp.get("file")
        and (not exp.get("element") or exp["element"] in (f.xpath or ""))
        and (not exp.get("target") or f.target == exp["target"])
    ]
    assert hits, f"{name}: expected {code} at {exp.get('file')} {exp.get('element')}\n{report.text()}"
    # one named defect: no other kind of error than the ones it necessarily causes
    assert errors <= {code, *exp.get("also", [])}, report.text()


def test_fixtures_are_generated_deterministically(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.main(tmp_path)
    differences: list[str] = []

    def compare(cmp: filecmp.dircmp[str], prefix: str = "") -> None:
        differences.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.diff_files)
        for sub, c in cmp.subdirs.items():
            compare(c, f"{prefix}{sub}/")

    for sub in ("valid", "broken", "nd30"):
        compare(filecmp.dircmp(str(FIXTURES / sub), str(tmp_path / sub), ignore=[]), f"{sub}/")
    assert not differences, "committed fixtures differ from make_fixtures.py output: " + ", ".join(
        differences
    )
    assert (tmp_path / "expected.json").read_bytes() == (FIXTURES / "expected.json").read_bytes()


def test_fixtures_folder_is_small() -> None:
    total = sum(p.stat().st_size for p in FIXTURES.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert total < 2 * 1024 * 1024, total
