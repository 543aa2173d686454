"""Every committed fixture behaves as ``fixtures/edxml/expected.json`` says, and the files are current."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from conformance.standards.edxml.rules import RULES
from conformance.standards.edxml.validate import ValidationOptions, validate_package

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "edxml"
TODAY = dt.date(2026, 1, 1)  # fixed reference date for date.future (fixtures are dated 2025)
EXPECTED: dict[str, dict] = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
OPTIONS = ValidationOptions(today=TODAY)


def test_fixture_inventory() -> None:
    names = set(EXPECTED)
    on_disk = {str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*") if p.suffix in (".edxml", ".zip")}
    assert names == on_disk
    assert sum(n.startswith("valid/") for n in names) >= 5
    assert sum(n.startswith("invalid/") for n in names) >= 30
    assert any(n.endswith(".zip") for n in names if n.startswith("valid/"))
    for must in ("invalid/billion_laughs.edxml", "invalid/xxe_file.edxml", "invalid/xxe_external_dtd.edxml"):
        assert must in names


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_reports_exactly_what_expected_json_says(name: str) -> None:
    entry = EXPECTED[name]
    report = validate_package(FIXTURES / name, options=OPTIONS)
    got = {(p.code, p.xpath) for p in report.problems}
    want = {(e["code"], e["xpath"]) for e in entry["expect"]}
    assert got == want, [p.line(name) for p in report.problems]
    assert report.ok is entry["valid"]
    for e in entry["expect"]:
        assert e["code"] in RULES and RULES[e["code"]].severity == e["severity"]
    if name.startswith("invalid/"):
        assert report.errors, "an invalid fixture must produce at least one error"
    elif name.startswith("tolerated/"):
        assert report.warnings and not report.errors
    else:
        assert report.problems == ()


def _entries(path: Path | bytes) -> dict[str, bytes]:
    data = path if isinstance(path, bytes) else path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def test_committed_fixtures_match_the_generator(make_fixtures: ModuleType) -> None:
    """make_fixtures.py is deterministic and the committed files are its output (zips: by content)."""
    generated = make_fixtures.fixtures()
    assert set(generated) == set(EXPECTED)
    for name, (data, desc, expect) in generated.items():
        committed = FIXTURES / name
        if name.endswith(".zip") and name != "invalid/zip_corrupt.zip":
            assert _entries(data) == _entries(committed), name
        elif name != "invalid/zip_corrupt.zip":
            assert data == committed.read_bytes(), name
        assert EXPECTED[name]["description"] == desc
        assert [(e["code"], e["xpath"]) for e in EXPECTED[name]["expect"]] == list(expect)
