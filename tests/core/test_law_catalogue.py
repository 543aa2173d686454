"""The law catalogue shipped in the package: every row of the four catalogues, and the script making it."""

from __future__ import annotations

import importlib.util
import os
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from conformance.catalogue.law import rows, rows_of_regime
from tests.conftest import ROOT

SAMPLE = ROOT / "tests" / "data" / "catalogue-sample.md"
LAW = ROOT / "conformance" / "catalogue" / "law"


def _script() -> ModuleType:
    path = ROOT / "scripts" / "extract_catalogue.py"
    spec = importlib.util.spec_from_file_location("extract_catalogue", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _domain_dir() -> Path | None:
    for d in (
        os.environ.get("CONFORMANCE_DOMAIN_DIR"),
        ROOT.parent / "shared" / "domain",
        ROOT.parent.parent / "shared" / "domain",
    ):
        if d and (Path(d) / "criteria-sending-receiving.md").exists():
            return Path(d)
    return None


def test_every_row_of_the_four_catalogues_is_shipped() -> None:
    r = rows()
    by_prefix = {p: sum(1 for k in r if k.startswith(p)) for p in ("SR", "DS", "AR", "TR")}
    # the catalogues' own counts: SR 94 (SR-001…SR-122), DS 37, AR 65, TR 42
    assert by_prefix == {"SR": 94, "DS": 37, "AR": 65, "TR": 42}
    assert len(r) == 238
    assert list(r)[:2] == ["SR-001", "SR-002"] and list(r)[-1] == "TR-042"


def test_rows_are_nfc_and_complete() -> None:
    for row in rows().values():
        for text in (*row.requirement.values(), row.basis, row.test, row.group):
            assert text and unicodedata.is_normalized("NFC", text), row.id
        assert row.evidence_mark and row.regimes and row.instruments
    sr = rows()["SR-001"]
    assert sr.requirement["vi"] == "Dùng mã định danh cơ quan chính thức cho bên gửi và bên nhận"
    assert sr.requirement["en"].startswith("every OrganId in From/To")
    assert rows()["SR-032"].evidence_mark == "R/S"  # "R (requirement) / S (format)"
    assert rows()["SR-042"].basis.startswith("same as SR-041: ")


def test_regimes_follow_which_instrument_is_tested_where() -> None:
    r = rows()
    assert r["DS-001"].regimes == ("2020", "2025")  # NĐ 30 governs both (OQ-06)
    assert r["AR-046"].regimes == ("2020",)  # TT 02/2019 only: lapsed on 01/7/2025
    assert r["TR-016"].regimes == ("2025",)  # Luật Lưu trữ 2024 only
    assert r["AR-042"].regimes == ("2020", "2025")  # TT02 in 2020, TT05 in 2025
    assert r["TR-001"].regimes == ("2020", "2025")  # NĐ 30 and Luật Lưu trữ 2024
    assert len(rows_of_regime("2020")) == 195 and len(rows_of_regime("2025")) == 235


def test_script_extracts_rows_regimes_and_marks(tmp_path: Path) -> None:
    assert _script().main([str(SAMPLE), "--out", str(tmp_path)]) == 0
    sr = yaml.safe_load((tmp_path / "sr.yaml").read_text("utf-8"))
    ds = yaml.safe_load((tmp_path / "ds.yaml").read_text("utf-8"))
    assert sr["catalogue"]["rows"] == 3 and ds["catalogue"]["area"] == "lap-ho-so"
    one, two, three = sr["rows"]
    assert one["requirement"] == {
        "vi": "Dùng mã định danh cơ quan chính thức",
        "en": "every OrganId is an official identifier",
    }
    assert one["group"] == "A. Mã định danh (agency identifier)" and one["source_line"] == 13
    assert two["evidence_mark"] == "R/S" and two["evidence_note"] == "R (requirement) / S (format)"
    assert three["basis"].startswith("same as SR-002: NĐ 30")
    assert three["regimes"] == ["2020", "2025"]
    a, b, c = ds["rows"]
    assert a["requirement"] == {"vi": "Sao lưu XML metadata, daily", "en": "Sao lưu XML metadata, daily"}
    assert a["mixed_language"] is True
    assert (a["regimes"], b["regimes"], c["regimes"]) == (["2020"], ["2025"], ["2020", "2025"])
    first = (tmp_path / "sr.yaml").read_bytes()
    _script().main([str(SAMPLE), "--out", str(tmp_path)])
    assert (tmp_path / "sr.yaml").read_bytes() == first  # deterministic


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("SR 3 · DS 3", "SR 4 · DS 3"), "states 4 SR rows, 3 found"),
        (lambda t: t.replace("TT05 PL III–IV", "Nghị quyết 99"), "no known instrument"),
        (lambda t: t.replace("| S | Unzip.", "| X | Unzip."), "evidence mark"),
    ],
)
def test_script_refuses_a_catalogue_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: object, message: str
) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(edit(SAMPLE.read_text("utf-8")), "utf-8")  # type: ignore[operator]
    assert _script().main([str(bad), "--out", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err


def test_shipped_rows_equal_a_fresh_extraction(tmp_path: Path) -> None:
    """Where the domain folder exists (not in CI), the committed YAML is what the script makes of it."""
    domain = _domain_dir()
    if domain is None:
        pytest.skip("domain catalogues not available (set CONFORMANCE_DOMAIN_DIR)")
    md = [domain / "criteria-sending-receiving.md", domain / "criteria-dossier-archive-transfer.md"]
    assert _script().main([*map(str, md), "--out", str(tmp_path)]) == 0
    for name in ("sr", "ds", "ar", "tr"):
        fresh = (tmp_path / f"{name}.yaml").read_text("utf-8")
        assert fresh == (LAW / f"{name}.yaml").read_text("utf-8"), name
