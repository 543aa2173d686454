"""Hồ sơ: mandatory fields (Đ.29.2.c), PL VI Phần II.III lengths, codes, ordinals and totals."""

from __future__ import annotations

import re

import pytest

# Mã hồ sơ for a QCVN 102 organ code (metadata-and-packages.md §8.3), written out independently.
FILE_CODE = re.compile(
    r"^(?P<organ>\d{3}\.\d{2}\.\d{2}\.[A-K]\d{2})\.(?P<year>\d{4})\.(?P<notation>\d{2,}\.[A-ZĐ0-9\-]+)$"
)


def test_open_dossier_fills_the_system_fields(api) -> None:
    me = api.call("GET", "/api/me", user="chuyenvien").json()
    dossier = api.open_dossier_ok(rights="Công khai", language="Tiếng Việt", description="Ghi chú")
    assert dossier["file_code"] == f"{api.ORGAN_ID}.2025.01.TCCB"
    assert FILE_CODE.match(dossier["file_code"])
    assert dossier["organ_id"] == api.ORGAN_ID
    assert dossier["file_catalog"] == 2025
    assert dossier["owner"] == me["id"]
    assert (dossier["doc_total"], dossier["page_total"], dossier["end_date"]) == (0, 0, None)
    assert dossier["documents"] == []
    assert dossier["maintenance"] == "Vĩnh viễn"
    assert api.call("GET", f"/api/dossiers/{dossier['id']}", user="luutru").json() == dossier
    assert [d["id"] for d in api.call("GET", "/api/dossiers").json()["items"]] == [dossier["id"]]


def test_van_thu_may_open_a_dossier_too(api) -> None:
    assert api.open_dossier(user="vanthu").status_code == 201


@pytest.mark.parametrize("field", ["title", "file_notation", "maintenance", "creator", "start_date"])
def test_each_mandatory_item_omitted_in_turn_is_refused(api, field: str) -> None:
    response = api.open_dossier(**{field: api.OMIT})
    assert response.status_code == 422
    assert response.json()["detail"] == "Dữ liệu không hợp lệ"
    assert api.fields(response) == [field]
    assert api.fields(api.open_dossier(**{field: ""})) == [field]


@pytest.mark.parametrize(
    "field,limit",
    [("title", 500), ("rights", 30), ("creator", 30), ("language", 50), ("description", 500)],
)
def test_dossier_length_boundaries(api, field: str, limit: int) -> None:
    def value(n: int) -> str:
        return ("Hồ sơ việc " * 60)[: n - 1] + "ệ"

    ok = api.open_dossier(**{field: value(limit)}, file_notation="01.TCCB")
    assert ok.status_code == 201, ok.text
    assert ok.json()[field] == value(limit)
    response = api.open_dossier(**{field: value(limit + 1)}, file_notation="02.TCCB")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": field, "message": f"Dài tối đa {limit} ký tự (hiện có {limit + 1} ký tự)"}
    ]


def test_maintenance_is_at_most_30_characters(api) -> None:
    response = api.open_dossier(maintenance="x" * 31)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "maintenance", "message": "Dài tối đa 30 ký tự (hiện có 31 ký tự)"}
    ]


@pytest.mark.parametrize(
    "value,stored",
    [
        ("Vĩnh viễn", "Vĩnh viễn"),
        ("20 năm", "20 năm"),
        ("70 năm", "70 năm"),
        ("vĩnh viễn", "Vĩnh viễn"),
        ("5 năm", "5 năm"),
    ],
)
def test_maintenance_accepts_permanent_or_years(api, value: str, stored: str) -> None:
    assert api.open_dossier_ok(maintenance=value)["maintenance"] == stored


@pytest.mark.parametrize("value", ["lâu dài", "20", "năm", "0 năm", "20 years", "Vĩnh viễn 20 năm"])
def test_maintenance_refuses_free_text(api, value: str) -> None:
    response = api.open_dossier(maintenance=value)
    assert response.status_code == 422 and api.fields(response) == ["maintenance"]


@pytest.mark.parametrize("notation", ["01.TCCB", "02.TCCB", "15.VP", "03.KHTC", "120.ĐT", "01.TC-CB"])
def test_file_notation_grammar_accepts(api, notation: str) -> None:
    assert api.open_dossier_ok(file_notation=notation)["file_code"] == f"{api.ORGAN_ID}.2025.{notation}"


@pytest.mark.parametrize(
    "notation", ["1.TCCB", "01-TCCB", "01.tccb", "01.", "TCCB", "01.TC CB", "01." + "A" * 18]
)
def test_file_notation_grammar_refuses(api, notation: str) -> None:
    response = api.open_dossier(file_notation=notation)
    assert response.status_code == 422 and api.fields(response) == ["file_notation"]


def test_file_code_is_unique_duplicate_is_409(api) -> None:
    first = api.open_dossier_ok()
    second = api.open_dossier_ok(file_notation="02.TCCB")
    assert first["file_code"] != second["file_code"]
    duplicate = api.open_dossier(user="chuyenvien2")
    assert duplicate.status_code == 409
    assert api.fields(duplicate) == ["file_notation"]
    # Same notation in another year is another dossier.
    assert api.open_dossier_ok(start_date="2026-01-05")["file_code"] == f"{api.ORGAN_ID}.2026.01.TCCB"


def test_start_date_must_be_a_date(api) -> None:
    for bad in ("14/03/2025", "2025-02-30", 20250314):
        response = api.open_dossier(start_date=bad)
        assert response.status_code == 422 and api.fields(response) == ["start_date"], bad


def test_ordinals_1_2_3_and_totals(api) -> None:
    dossier = api.open_dossier_ok()
    docs = [api.issue_ok(page_amount=pages)["id"] for pages in (2, 3, 5)]
    ordinals = [api.attach(dossier["id"], doc_id).json() for doc_id in docs]
    assert ordinals == [{"document_id": d, "doc_ordinal": i} for i, d in enumerate(docs, start=1)]
    record = api.call("GET", f"/api/dossiers/{dossier['id']}").json()
    assert (record["doc_total"], record["page_total"]) == (3, 10)
    assert [(d["doc_ordinal"], d["page_amount"]) for d in record["documents"]] == [(1, 2), (2, 3), (3, 5)]
    assert record["documents"][0]["so_ky_hieu"] == "01/QĐ-UBND"
    assert record["documents"][0]["subject"] == "Về việc ban hành Quy chế thử nghiệm"


def test_ordinals_are_per_dossier_and_a_document_is_not_copied(api) -> None:
    a = api.open_dossier_ok()
    b = api.open_dossier_ok(user="chuyenvien2", file_notation="02.TCCB")
    doc = api.issue_ok()["id"]
    other = api.issue_ok()["id"]
    assert api.attach(a["id"], other).json()["doc_ordinal"] == 1
    assert api.attach(a["id"], doc).json()["doc_ordinal"] == 2
    assert api.attach(b["id"], doc, user="chuyenvien2").json() == {"document_id": doc, "doc_ordinal": 1}
    assert len(api.call("GET", "/api/documents/outgoing").json()["items"]) == 2


def test_attach_errors(api) -> None:
    dossier = api.open_dossier_ok()
    doc = api.issue_ok()["id"]
    assert api.attach(dossier["id"], doc, user="chuyenvien2").status_code == 403
    assert api.attach(dossier["id"], doc, user="vanthu").status_code == 403
    assert api.attach(999999, doc).status_code == 404
    missing = api.attach(dossier["id"], 999999)
    assert missing.status_code == 404 and api.fields(missing) == ["document_id"]
    assert api.attach(dossier["id"], doc).status_code == 201
    again = api.attach(dossier["id"], doc)
    assert again.status_code == 409 and api.fields(again) == ["document_id"]
    bad = api.call(
        "POST", f"/api/dossiers/{dossier['id']}/documents", user="chuyenvien", json={"document_id": "1"}
    )
    assert bad.status_code == 422 and api.fields(bad) == ["document_id"]
    record = api.call("GET", f"/api/dossiers/{dossier['id']}").json()
    assert (record["doc_total"], record["page_total"]) == (1, 2)
