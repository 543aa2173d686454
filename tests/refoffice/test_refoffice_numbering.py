"""Số văn bản đi: automatic, per series, restarting on 1 January, zero-padded (NĐ 30 Đ.15, PL I II.3)."""

from __future__ import annotations

import re

import pytest

# G-SKH (edxml.md §11.5) and the edXML DocumentId business key (§11.4), written out here on purpose:
# the reference shares no code with the harness.
SKH = re.compile(r"^(0[1-9]|[1-9]\d+)/[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*$")
DOC_CODE = re.compile(r"^(?P<organ>[^,]+),(?P<date>\d{4}/\d{2}/\d{2}),(?P<so>\d+)/(?P<kyhieu>[^,]+)$")


def test_first_number_of_the_year_is_01_with_all_system_fields(api) -> None:
    api.set_clock("2025-03-14T09:30:00+07:00")
    doc = api.issue_ok(code_notation="QĐ-UBND")
    assert doc["code_number"] == "01"
    assert doc["so_ky_hieu"] == "01/QĐ-UBND"
    assert doc["issued_date"] == "2025-03-14"
    assert doc["file_catalog"] == 2025
    assert doc["organ_id"] == api.ORGAN_ID
    assert doc["organ_name"] == api.ORGAN_NAME
    assert doc["language"] == "Tiếng Việt"
    assert doc["doc_code"] == f"{api.ORGAN_ID},2025/03/14,01/QĐ-UBND"
    assert doc["created_at"] == "2025-03-14T09:30:00+07:00"
    assert doc["created_by"] == api.call("GET", "/api/me").json()["id"]
    assert doc["series"] == "thuong"
    assert SKH.match(doc["so_ky_hieu"])
    assert DOC_CODE.match(doc["doc_code"])
    assert api.call("GET", f"/api/documents/outgoing/{doc['id']}").json() == {
        k: v for k, v in doc.items() if k != "warnings"
    }


def test_numbers_are_consecutive_and_zero_padded_below_10(api) -> None:
    numbers = [api.issue_ok(code_notation="UBND-VX")["code_number"] for _ in range(11)]
    assert numbers == ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11"]


def test_numbering_restarts_at_01_on_1_january(api) -> None:
    api.set_clock("2025-12-31T23:59:00+07:00", frozen=False)  # a running clock, as in production
    api.issue_ok()
    last = api.issue_ok()
    assert (last["code_number"], last["issued_date"]) == ("02", "2025-12-31")
    api.set_clock("2026-01-01T00:00:00+07:00", frozen=False)
    first = api.issue_ok()
    assert first["code_number"] == "01"
    assert first["issued_date"] == "2026-01-01"
    assert first["file_catalog"] == 2026
    assert first["doc_code"] == f"{api.ORGAN_ID},2026/01/01,01/QĐ-UBND"


def test_year_is_decided_in_vietnam_time(api) -> None:
    api.set_clock("2025-12-31T16:30:00+00:00")  # 23:30 in Hà Nội
    assert api.issue_ok()["issued_date"] == "2025-12-31"
    # 2025-12-31T17:30Z is already 1 January 2026 in Hà Nội.
    api.set_clock("2025-12-31T17:30:00+00:00")
    doc = api.issue_ok()
    assert (doc["issued_date"], doc["code_number"]) == ("2026-01-01", "01")


def test_secret_documents_have_their_own_series(api) -> None:
    assert api.issue_ok()["code_number"] == "01"
    secret = api.issue_ok(series="mat", code_notation="UBND-VP")
    assert (secret["series"], secret["code_number"]) == ("mat", "01")
    assert api.issue_ok()["code_number"] == "02"
    assert api.issue_ok(series="mat", code_notation="UBND-VP")["code_number"] == "02"


def test_each_vbqppl_type_has_its_own_series(api) -> None:
    assert api.issue_ok()["code_number"] == "01"
    qppl = api.issue_ok(type_name="Quyết định", series="Quyết định QPPL", code_notation="QĐ-UBND")
    assert (qppl["series"], qppl["code_number"]) == ("Quyết định QPPL", "01")
    nq = api.issue_ok(type_name="Nghị quyết QPPL", code_notation="NQ-HĐND")
    assert (nq["series"], nq["code_number"]) == ("Nghị quyết QPPL", "01")
    assert api.issue_ok()["code_number"] == "02"


def test_unknown_series_is_refused(api) -> None:
    response = api.issue(series="bí mật")
    assert response.status_code == 422
    assert api.fields(response) == ["series"]


@pytest.mark.parametrize("number", ["05", 5, "1"])
def test_a_client_supplied_code_number_is_refused(api, number) -> None:
    response = api.issue(code_number=number)
    assert response.status_code == 422
    assert api.fields(response) == ["code_number"]
    assert "tự động" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("notation", ["QĐ-UBND", "UBND-VX", "TTr-SKHCN", "BNV-VP", "CĐ-UBND", "QyĐ-UBND"])
def test_valid_ky_hieu_is_accepted(api, notation: str) -> None:
    assert SKH.match(api.issue_ok(code_notation=notation)["so_ky_hieu"])


@pytest.mark.parametrize("notation", ["qđ-ubnd", "QĐ UBND", "QĐ/UBND", "-UBND", "QĐ-", "QĐ,UBND"])
def test_malformed_ky_hieu_is_refused(api, notation: str) -> None:
    response = api.issue(code_notation=notation)
    assert response.status_code == 422
    assert api.fields(response) == ["code_notation"]


def test_list_by_year(api) -> None:
    api.set_clock("2025-06-01T08:00:00+07:00")
    api.issue_ok()
    api.set_clock("2026-02-01T08:00:00+07:00")
    api.issue_ok()
    api.issue_ok()
    assert len(api.call("GET", "/api/documents/outgoing?year=2025").json()["items"]) == 1
    items = api.call("GET", "/api/documents/outgoing?year=2026", user="luutru").json()["items"]
    assert [d["code_number"] for d in items] == ["01", "02"]
    assert len(api.call("GET", "/api/documents/outgoing").json()["items"]) == 3
    bad = api.call("GET", "/api/documents/outgoing?year=26")
    assert bad.status_code == 422 and api.fields(bad) == ["year"]


def test_recipient_organ_id_is_filled_from_the_directory(api) -> None:
    doc = api.issue_ok(
        to=[{"organ_name": "Bộ Nội vụ"}, {"organ_id": "000.00.12.H99"}, {"organ_name": "Nơi khác"}]
    )
    assert doc["to"] == [
        {"organ_id": "000.00.00.G09", "organ_name": "Bộ Nội vụ"},
        {"organ_id": "000.00.12.H99", "organ_name": "Sở Khoa học và Công nghệ tỉnh Thử Nghiệm"},
        {"organ_id": None, "organ_name": "Nơi khác"},
    ]


def test_test_clock_is_admin_only_and_validated(api) -> None:
    bad = api.call("POST", "/api/test/clock", user="quantri", json={"now": "31/12/2025"})
    assert bad.status_code == 422 and api.fields(bad) == ["now"]
    set_ = api.call("POST", "/api/test/clock", user="quantri", json={"now": "2025-12-31T23:59:00+07:00"})
    assert set_.json()["now"].startswith("2025-12-31T23:59")
    assert api.client.get("/api/health").json()["now"].startswith("2025-12-31T23:59")
    back = api.call("DELETE", "/api/test/clock", user="quantri")
    assert back.status_code == 200 and not back.json()["now"].startswith("2025-12-31")


def test_a_duplicate_doc_code_is_warned_about(api) -> None:
    first = api.issue_ok(code_notation="UBND-VP")
    secret = api.issue_ok(code_notation="UBND-VP", series="mat")
    assert first["warnings"] == []
    assert secret["doc_code"] == first["doc_code"]
    assert len(secret["warnings"]) == 1 and f"#{first['id']}" in secret["warnings"][0]
