"""Judges of area 4 over hand-made records: each decides right, fails with a message that says why,
and treats what the system sent (lists, file names, package bytes) as hostile."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest

from conformance.judges.registry import evidence_root, get_judge
from conformance.standards.packages import build

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "packages"


def judge(name: str, rec: Any, **params: Any) -> Any:
    spec = get_judge(name)
    assert spec is not None
    return spec.fn(rec, **params)


def rec(save: str = "r", **outputs: Any) -> dict[str, Any]:
    return {"save": save, "operation": "transfer.x", "outputs": outputs, "response": {"status": 200}}


ITEMS = [
    {
        "dossier_id": 7,
        "file_code": "000.00.00.H49.2025.01.NL",
        "end_date": "2024-02-29",
        "due_date": "2025-02-28",
        "overdue": True,
        "reasons": [],
    },
    {
        "dossier_id": 8,
        "file_code": "000.00.00.H49.2025.02.NL",
        "end_date": "2024-03-10",
        "due_date": "2025-12-31",
        "overdue": False,
        "reasons": ["Tệp hỏng"],
    },
]


def test_list_item() -> None:
    r = rec(items=ITEMS)
    assert judge("list_item", r, where={"dossier_id": "7"}).ok  # "7" from a template equals 7
    assert judge("list_item", r, where={"dossier_id": 9}, present=False).ok
    assert not judge("list_item", r, where={"dossier_id": 7}, present=False).ok
    bad = judge("list_item", r, where={"dossier_id": 7}, expect={"overdue": False}, nonempty=["reasons"])
    assert not bad.ok and "overdue" in bad.message and "reasons để trống" in bad.message
    assert judge(
        "list_item", r, where={"dossier_id": 8}, expect={"overdue": "false"}, nonempty=["reasons"]
    ).ok
    assert not judge("list_item", rec(items=ITEMS + ITEMS[:1]), where={"dossier_id": 7}).ok  # twice
    assert not judge("list_item", rec(items="không phải danh sách"), where={"dossier_id": 7}).ok


def test_due_date_in_list() -> None:
    r = rec(items=ITEMS)
    assert judge("due_date_in_list", r, where={"dossier_id": 7}, rule="nd30").ok  # 29/02 → 28/02
    assert judge("due_date_in_list", r, where={"dossier_id": 8}, rule="l24").ok
    wrong = judge("due_date_in_list", r, where={"dossier_id": 8}, rule="nd30")
    assert not wrong.ok and "10/03/2025" in wrong.message
    assert judge(
        "due_date_in_list", r, where={"dossier_id": 8}, rule="l24", today="2025-12-31T23:00:00+07:00"
    ).ok
    late = judge("due_date_in_list", r, where={"dossier_id": 8}, rule="l24", today="2026-01-01")
    assert not late.ok and "đã quá hạn" in late.message
    xdcb = rec(items=[{**ITEMS[0], "due_date": "2025-02-28"}])
    assert judge("due_date_in_list", xdcb, where={"dossier_id": 7}, settlement="2024-11-30").ok
    assert not judge("due_date_in_list", xdcb, where={"dossier_id": 7}).ok  # neither rule nor settlement


def test_historical_due_and_words_and_counts() -> None:
    r = rec(historical_due="2031-12-31", accepted_at="2026-12-05T10:00:00+07:00")
    assert judge("historical_due", r, output="historical_due", accepted="2026-12-05T10:00:00+07:00").ok
    assert not judge("historical_due", r, output="historical_due", accepted="2027-01-01").ok
    assert judge(
        "number_in_words", rec(total=21, total_words="hai mươi mốt"), words="total_words", figure="total"
    ).ok
    off = judge("number_in_words", rec(total=2, total_words="ba"), words="total_words", figure="total")
    assert not off.ok and "khác nhau" in off.message
    assert not judge(
        "number_in_words", rec(total=2, total_words=None), words="total_words", figure="total"
    ).ok
    assert judge("output_count", rec(columns=list("1234567")), output="columns", count=7).ok
    assert not judge("output_count", rec(columns="7"), output="columns", count=7).ok
    fonds = rec(fonds={"code": "H49", "name": "Phông", "status": ""})
    missing = judge("output_has_fields", fonds, output="fonds", fields=["code", "name", "status"])
    assert not missing.ok and "status" in missing.message


def test_same_documents() -> None:
    spec = get_judge("same_documents")
    assert spec is not None
    before = rec(
        "truoc", documents=[{"document_id": 1, "doc_ordinal": 1}, {"document_id": 2, "doc_ordinal": 2}]
    )
    after = rec(
        "sau",
        documents=[{"document_id": 1, "doc_ordinal": "1", "files": []}, {"document_id": 2, "doc_ordinal": 2}],
    )
    assert spec.fn(
        [before, after], first="documents", second="documents", keys=["document_id", "doc_ordinal"]
    ).ok
    dropped = rec("sau", documents=after["outputs"]["documents"][:1])
    assert not spec.fn([before, dropped], first="documents", second="documents", keys=["document_id"]).ok


def _download(run: Path, src: Path, filename: str | None) -> dict[str, Any]:
    """A recorded download as the driver writes it: a blob in the run folder and response.body."""
    rel = f"evidence/TR-000/001-blob-{src.name}"
    (run / rel).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, run / rel)
    data = src.read_bytes()
    body = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "blob": rel,
        "filename": filename,
        "media_type": "application/zip",
    }
    return {
        "save": "goi",
        "operation": "transfer.export_sip",
        "outputs": {},
        "response": {"status": 200, "body": body},
    }


@pytest.fixture
def packages(tmp_path: Path) -> dict[str, Path]:
    out = tmp_path / "pk"
    sip = build.build_sip_hoso(build.example_dossier(), out, as_zip=True)
    holey_docs = tuple(
        d if d.ordinal != 2 else build.DocumentSpec(**{**d.__dict__, "already_submitted": True})
        for d in build.example_dossier().documents
    )
    holey = build.build_sip_hoso(
        build.example_dossier(documents=holey_docs, file_code="H99.2025.02.TCCB"), out / "h", as_zip=True
    )
    broken = sorted((FIXTURES / "broken" / "checksum_wrong").iterdir())[0]
    return {"sip": sip, "holey": holey, "checksum_wrong": broken}


def test_package_conforms(tmp_path: Path, packages: dict[str, Path]) -> None:
    run = tmp_path / "run"
    sip = packages["sip"]
    with evidence_root(run):
        good = judge("package_conforms", _download(run, sip, sip.name), kind="SIP_hoso")
        assert good.ok, good.message
        assert not judge("package_conforms", _download(run, sip, sip.name), kind="AIP_hoso").ok
        # the declared name is judged (TT05 ZIP name), a hostile one never escapes the temporary folder
        renamed = _download(run, sip, "../../goi.zip")
        named = judge("package_conforms", renamed, rules=["pkg.zip"])
        assert not named.ok and "pkg.zip.name" in named.message
        assert judge("package_conforms", renamed, rules=["mets", "ref"]).ok
        assert not (tmp_path / "goi.zip").exists()
        nameless = judge("package_conforms", _download(run, sip, None), rules=["pkg.zip"])
        assert not nameless.ok and "package.zip" in nameless.message
        no_blob = {"save": "goi", "outputs": {}, "response": {"status": 409}, "error": None}
        assert "không trả về tệp" in judge("package_conforms", no_blob).message


def test_package_conforms_names_the_defect(tmp_path: Path, packages: dict[str, Path]) -> None:
    run = tmp_path / "run"
    folder = packages["checksum_wrong"]
    zipped = build.zip_package(folder, tmp_path / f"1{folder.name}.zip")
    with evidence_root(run):
        r = _download(run, zipped, zipped.name)
        found = judge("package_conforms", r, rules=["ref"])
        assert not found.ok and "ref.checksum.mismatch" in found.message and "@CHECKSUM" in found.message
        assert judge("package_conforms", r, rules=["smap", "mets"]).ok


def test_package_holey_files(tmp_path: Path, packages: dict[str, Path]) -> None:
    run = tmp_path / "run"
    with evidence_root(run):
        assert judge("package_holey_files", _download(run, packages["holey"], packages["holey"].name)).ok
        none = judge("package_holey_files", _download(run, packages["sip"], packages["sip"].name))
        assert not none.ok and "0 tệp liên kết" in none.message


def test_dossier_export_conforms(tmp_path: Path) -> None:
    run = tmp_path / "run"
    with evidence_root(run):
        assert judge("dossier_export_conforms", _download(run, FIXTURES / "nd30" / "valid.xml", "hs.xml")).ok
        bad = judge(
            "dossier_export_conforms", _download(run, FIXTURES / "nd30" / "doctotal_wrong.xml", "hs.xml")
        )
        assert not bad.ok and "nd30.doctotal" in bad.message
