"""Area 2 judges: list outputs, PL VI records, dossier exports. Each passes on conforming evidence and
fails, with a Vietnamese reason, on the departure it exists to catch."""

from __future__ import annotations

import copy
import hashlib
import shutil
from pathlib import Path
from typing import Any

from conformance.inputs import make_pdf
from conformance.judges.collections import items_count, items_field_equals, items_sequence
from conformance.judges.exports import (
    nd30_export_documents,
    nd30_export_field,
    nd30_export_valid,
    pdf_document,
)
from conformance.judges.metadata import record_conforms, rejected_or_within
from conformance.judges.registry import evidence_root, load_all
from conformance.standards.packages import example_nd30_export, write_nd30_export


def rec(outputs: dict[str, Any] | None = None, status: int = 200, **extra: Any) -> dict[str, Any]:
    return {
        "save": "buoc",
        "operation": "x",
        "outputs": outputs or {},
        "response": {"status": status},
        **extra,
    }


ITEMS = [
    {"id": 1, "file_notation": "01.TK123", "owner": 7, "field": "title", "old": "A", "new": "B"},
    {"id": 2, "file_notation": "02.TK123", "owner": 7, "field": "rights", "old": None, "new": "Công khai"},
    {"id": 3, "file_notation": "01.VP", "owner": 8, "field": "documents", "old": "12", "new": None},
]


def test_area_2_judges_are_registered() -> None:
    names = set(load_all())
    assert {
        "items_count",
        "items_field_equals",
        "items_sequence",
        "record_conforms",
        "rejected_or_within",
        "nd30_export_valid",
        "nd30_export_documents",
        "nd30_export_field",
        "pdf_document",
    } <= names


def test_items_count_with_filters() -> None:
    r = rec({"items": ITEMS})
    assert items_count(r, "items", count=3).ok
    assert items_count(r, "items", matching={"file_notation": "TK123$"}, count=2).ok
    assert items_count(r, "items", where={"owner": 7}, count=2).ok
    assert items_count(r, "items", where={"field": "documents", "old": 12}, count=1).ok  # "12" equals 12
    bad = items_count(r, "items", where={"owner": 7}, count=1)
    assert not bad.ok and "có 2 mục" in bad.message and "owner=7" in bad.message
    assert items_count(r, "items", min=1, max=3).ok and not items_count(r, "items", min=4).ok
    assert not items_count(rec({"items": None}), "items", count=0).ok


def test_items_field_equals_needs_every_item_and_at_least_one() -> None:
    r = rec({"documents": [{"file_code": "X.2025.01.A"}, {"file_code": "X.2025.01.A"}]})
    assert items_field_equals(r, "documents", "file_code", "X.2025.01.A").ok
    r2 = rec({"documents": [{"file_code": "X.2025.01.A"}, {"file_code": "khác"}]})
    assert "1/2 mục" in items_field_equals(r2, "documents", "file_code", "X.2025.01.A").message
    assert not items_field_equals(rec({"documents": []}), "documents", "file_code", "x").ok
    assert items_field_equals(rec({"d": [{"n": "05"}]}), "d", "n", 5, numeric=True).ok


def test_items_sequence_is_order_sensitive() -> None:
    r = rec({"headings": [{"number": "I"}, {"number": "1"}, {"number": "II"}]})
    assert items_sequence(r, "headings", "number", ["I", "1", "II"]).ok
    assert not items_sequence(r, "headings", "number", ["I", "II", "1"]).ok
    assert not items_sequence(r, "headings", "number", ["I", "1"]).ok


HO_SO = {
    "file_code": "000.00.00.H49.2025.01.TCCB",
    "organ_id": "000.00.00.H49",
    "file_catalog": 2025,
    "file_notation": "01.TCCB",
    "title": "Hồ sơ tuyển dụng",
    "maintenance": "Vĩnh viễn",
    "rights": None,
    "creator": "Lê Thị Cúc",
    "language": "Tiếng Việt",
    "start_date": "2025-03-14",
    "end_date": None,
    "doc_total": 0,
    "page_total": 0,
    "description": None,
    "owner": 3,
}


def test_record_conforms_per_regime_and_mandatory_fields() -> None:
    assert record_conforms(rec({"record": HO_SO}), kind="ho_so", mandatory=True).ok
    long_title = {**HO_SO, "title": "ê" * 501}
    verdict = record_conforms(rec({"record": long_title}), kind="ho_so")
    assert not verdict.ok and "title" in verdict.message and "chế độ 2020" in verdict.message
    assert record_conforms(rec({"record": long_title}), kind="ho_so", regime="2025").ok
    assert not record_conforms(
        rec({"record": {**HO_SO, "title": "ê" * 1001}}), kind="ho_so", regime="2025"
    ).ok
    no_creator = {k: v for k, v in HO_SO.items() if k != "creator"}
    assert record_conforms(rec({"record": no_creator}), kind="ho_so").ok
    assert not record_conforms(rec({"record": no_creator}), kind="ho_so", mandatory=True).ok
    assert not record_conforms(rec({"record": [HO_SO]}), kind="ho_so").ok
    assert not record_conforms(rec({"record": {**HO_SO, "doc_total": 10000}}), kind="ho_so").ok


def test_rejected_or_within() -> None:
    assert rejected_or_within(rec(status=422), "creator", 30).ok
    assert rejected_or_within(rec({"creator": "x" * 30}, status=201), "creator", 30).ok
    assert not rejected_or_within(rec({"creator": "x" * 31}, status=201), "creator", 30).ok
    assert not rejected_or_within(rec(status=500), "creator", 30).ok
    assert not rejected_or_within({"save": "s", "response": None, "error": "timeout"}, "creator", 30).ok


# -- exports -------------------------------------------------------------------------------------------


def download(run: Path, name: str, data: bytes) -> dict[str, Any]:
    """A recorded download step whose blob is ``data`` (as the HTTP driver records it)."""
    blob = Path("evidence") / "DS-017" / name
    (run / blob).parent.mkdir(parents=True, exist_ok=True)
    (run / blob).write_bytes(data)
    body = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "blob": str(blob),
        "filename": name,
    }
    return {
        "save": name,
        "operation": "dossier.export",
        "outputs": {},
        "response": {"status": 200, "body": body},
    }


def export_bytes(tmp_path: Path, edit=None) -> bytes:
    dossier, docs = example_nd30_export()
    dossier, docs = copy.deepcopy(dossier), copy.deepcopy(docs)
    if edit:
        edit(dossier, docs)
    return write_nd30_export(tmp_path / "x.xml", dossier, docs).read_bytes()


def test_nd30_export_valid_passes_the_example_and_names_rule_codes(tmp_path: Path) -> None:
    good = download(tmp_path, "hs.xml", export_bytes(tmp_path))
    swapped = download(tmp_path, "dao.xml", export_bytes(tmp_path, lambda d, docs: docs.reverse()))
    with evidence_root(tmp_path):
        assert nd30_export_valid(good).ok
        bad = nd30_export_valid(swapped)
    assert not bad.ok and "[nd30.doc.order]" in bad.message


def test_nd30_export_valid_applies_the_regime_lengths(tmp_path: Path) -> None:
    long = download(tmp_path, "dai.xml", export_bytes(tmp_path, lambda d, docs: d.update(Title="ê" * 800)))
    with evidence_root(tmp_path):
        assert "[nd30.field.length]" in nd30_export_valid(long).message
        assert nd30_export_valid(long, regime="2025").ok


def test_nd30_export_documents_and_field(tmp_path: Path) -> None:
    good = download(tmp_path, "hs.xml", export_bytes(tmp_path))
    with evidence_root(tmp_path):
        assert nd30_export_documents(good, "CodeNumber", ["01", "15", "125"]).ok
        assert not nd30_export_documents(good, "CodeNumber", ["15", "01", "125"]).ok
        assert nd30_export_field(good, "Rights", "Công khai").ok
        assert nd30_export_field(good, "FileCode", "000.00.00.H99.2025.01.TCCB", documents=True).ok
        assert not nd30_export_field(good, "FileCode", "khác", documents=True).ok


def test_export_judges_refuse_missing_or_hostile_files(tmp_path: Path) -> None:
    no_file = {"save": "xml", "response": {"status": 404, "body": None}}
    hostile = download(tmp_path, "bom.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    with evidence_root(tmp_path):
        assert "không trả về tệp (HTTP 404)" in nd30_export_valid(no_file).message
        assert not nd30_export_valid(hostile).ok
        assert "không đọc được" in nd30_export_documents(hostile, "CodeNumber", []).message
    # outside the evidence root (rejudge without the run folder) the file is missing, not trusted
    assert "không còn trong bằng chứng" in nd30_export_valid(good_outside(tmp_path)).message


def good_outside(tmp_path: Path) -> dict[str, Any]:
    rec_ = download(tmp_path, "o.xml", b"<x/>")
    rec_["response"]["body"]["blob"] = "../o.xml"
    return rec_


def test_pdf_document_pages_and_text_order(tmp_path: Path) -> None:
    pdf = download(
        tmp_path, "hs.pdf", make_pdf("Văn bản thứ nhất. " * 3 + "\n" + "Văn bản thứ hai.", pages=2)
    )
    with evidence_root(tmp_path):
        assert pdf_document(pdf, min_pages=2).ok
        assert not pdf_document(pdf, min_pages=3).ok
        if shutil.which("pdftotext"):
            assert pdf_document(pdf, text_in_order=["Văn bản thứ nhất", "Văn bản thứ hai"]).ok
            wrong = pdf_document(pdf, text_in_order=["Văn bản thứ hai", "Văn bản thứ nhất."])
            assert not wrong.ok and "sai thứ tự" in wrong.message
            assert "không có trong PDF" in pdf_document(pdf, text_in_order=["Không hề có"]).message
        not_pdf = download(tmp_path, "x.pdf", b"<html>")
        assert "không phải PDF" in pdf_document(not_pdf).message
        broken = download(tmp_path, "y.pdf", b"%PDF-1.7\ngarbage")
        assert "không đọc được PDF" in pdf_document(broken).message
