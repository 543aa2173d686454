"""Nộp lưu in the reference: the workflow end to end through its HTTP API (TestClient).

The harness's criteria (profiles/*/nop-luu.yaml) and the fault matrix are the proof that the rules
hold; these tests pin the reference's own behaviour where a criterion does not look (the pages of a
hand-over, the SIP against the validator, reset), and fail fast while the workflow is being changed.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from conformance.standards.packages import validate_nd30_export, validate_package
from refoffice.transfer_rules import add_months, due_date, historical_due, must_submit, retain_limit

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
# The anti-virus test string, in two halves so that this file is not itself taken for a test virus.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def upload(api, doc_id: int, content: bytes = PDF, name: str = "van-ban.pdf", user: str = "vanthu") -> Any:
    return api.client.post(
        f"/api/documents/outgoing/{doc_id}/files",
        headers={"Authorization": f"Bearer {api.tokens[user]}"},
        files={"file": (name, content, "application/pdf")},
    )


def closed_dossier(
    api,
    notation: str = "01.NL",
    maintenance: str = "Vĩnh viễn",
    docs: int = 2,
    end: str | None = "2024-03-10",
) -> dict[str, Any]:
    d = api.open_dossier_ok(file_notation=notation, maintenance=maintenance, start_date="2023-11-02")
    for n in range(docs):
        doc = api.issue_ok(
            subject=f"Văn bản thứ {n + 1} của hồ sơ", page_amount=n + 1, to=[{"organ_id": "000.00.00.G09"}]
        )
        assert upload(api, doc["id"]).status_code == 201
        assert api.attach(d["id"], doc["id"]).status_code == 201
    if end is not None:
        r = api.call("POST", f"/api/dossiers/{d['id']}/close", user="chuyenvien", json={"end_date": end})
        assert r.status_code == 200, r.text
    return api.call("GET", f"/api/dossiers/{d['id']}", user="chuyenvien").json()


def submit(api, *ids: int, user: str = "chuyenvien") -> Any:
    return api.call("POST", "/api/transfer/batches", user=user, json={"dossier_ids": list(ids)})


def accepted(api, dossier_id: int) -> int:
    r = submit(api, dossier_id)
    assert r.status_code == 201, r.text
    batch = r.json()["id"]
    r = api.call("POST", f"/api/transfer/batches/{batch}/dossiers/{dossier_id}/accept", user="luutru")
    assert r.status_code == 200, r.text
    return batch


def test_rules() -> None:
    from datetime import date

    assert due_date("nd30", date(2024, 2, 29)) == date(2025, 2, 28)
    assert due_date("l24", date(2024, 3, 10)) == date(2025, 12, 31)
    assert due_date("l24", date(2024, 3, 10), date(2024, 11, 30)) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert retain_limit(date(2025, 3, 10)) == date(2027, 3, 10)
    assert historical_due(2026) == date(2031, 12, 31)
    assert must_submit("Vĩnh viễn") and must_submit("5 năm") and not must_submit("3 năm")


def test_due_list_and_submission_rules(api) -> None:
    d = closed_dossier(api)
    short = closed_dossier(api, "02.NL", maintenance="3 năm")
    still_open = closed_dossier(api, "03.NL", end=None)
    due = api.call("GET", "/api/transfer/due?rule=l24", user="chuyenvien").json()["items"]
    assert [i["dossier_id"] for i in due] == [d["id"]]
    assert due[0]["due_date"] == "2025-12-31" and due[0]["overdue"] is True
    nd30 = api.call("GET", "/api/transfer/due", user="chuyenvien").json()["items"]
    assert nd30[0]["due_date"] == "2025-03-10"
    assert submit(api, short["id"]).status_code == 422
    assert submit(api, still_open["id"]).status_code == 422
    assert submit(api, d["id"], user="chuyenvien2").status_code == 403
    assert submit(api, d["id"], d["id"]).status_code == 422
    loose = api.call("POST", "/api/transfer/batches", user="chuyenvien", json={"document_ids": [1]})
    assert loose.status_code == 422 and api.fields(loose) == ["document_ids", "dossier_ids"]
    assert submit(api, d["id"]).status_code == 201
    again = submit(api, d["id"])
    assert again.status_code == 422 and "đã được nộp lưu" in again.text


def test_accept_return_forms_and_freeze(api) -> None:
    a = closed_dossier(api, "01.NL")
    b = closed_dossier(api, "02.NL", docs=1)
    r = submit(api, a["id"], b["id"])
    batch = r.json()["id"]
    assert [i["status"] for i in r.json()["items"]] == ["cho_tiep_nhan", "cho_tiep_nhan"]
    base = f"/api/transfer/batches/{batch}/dossiers"
    no_reason = api.call("POST", f"{base}/{b['id']}/return", user="luutru", json={})
    assert no_reason.status_code == 422
    back = api.call(
        "POST", f"{base}/{b['id']}/return", user="luutru", json={"reason": "Thiếu văn bản kết luận"}
    )
    assert back.status_code == 200
    mine = api.call("GET", f"/api/transfer/batches/{batch}", user="chuyenvien").json()
    assert mine["items"][1]["status"] == "tra_lai" and mine["items"][1]["reason"] == "Thiếu văn bản kết luận"
    assert api.call("POST", f"{base}/{a['id']}/accept", user="chuyenvien").status_code == 403
    ok = api.call("POST", f"{base}/{a['id']}/accept", user="luutru")
    assert ok.status_code == 200, ok.text
    state = api.call("GET", f"/api/transfer/dossiers/{a['id']}", user="chuyenvien").json()
    assert state["location"] == "luu_tru_co_quan"
    assert [d["document_id"] for d in state["record"]["documents"]] == [
        d["document_id"] for d in a["documents"]
    ]
    doc_id = a["documents"][0]["document_id"]
    frozen = upload(api, doc_id)
    assert frozen.status_code == 409
    catalogue = api.call("GET", f"/api/transfer/batches/{batch}/catalogue", user="chuyenvien").json()
    assert len(catalogue["columns"]) == 7 and catalogue["total"] == 1 and catalogue["total_words"] == "một"
    minutes = api.call("GET", f"/api/transfer/batches/{batch}/minutes", user="luutru").json()
    assert (minutes["dossier_total"], minutes["file_total"], minutes["copies"]) == (1, 2, 2)


def test_document_checks(api) -> None:
    d = api.open_dossier_ok(file_notation="01.KT", start_date="2024-01-02")
    contents = [
        PDF,
        b"%PDF-1.4\n1 0 obj << >>",
        PDF + EICAR,
    ]
    for n, content in enumerate(contents):
        doc = api.issue_ok(subject=f"Văn bản {n}")
        assert upload(api, doc["id"], content).status_code == 201
        api.attach(d["id"], doc["id"])
    api.call("POST", f"/api/dossiers/{d['id']}/close", user="chuyenvien", json={"end_date": "2024-05-01"})
    batch = submit(api, d["id"]).json()["id"]
    report = api.call("GET", f"/api/transfer/batches/{batch}/check", user="luutru").json()
    assert [x["result"] for x in report["documents"]] == ["dat", "khong_dat", "khong_dat"]
    assert "%%EOF" in report["documents"][1]["reasons"][0] and "EICAR" in report["documents"][2]["reasons"][0]
    assert report["report"] == {**report["report"], "proposed": 3, "passed": 1, "failed": 2}
    refused = api.call("POST", f"/api/transfer/batches/{batch}/dossiers/{d['id']}/accept", user="luutru")
    assert refused.status_code == 409


def _registration(api, *ids: int, **over: Any) -> Any:
    body = {
        "archive_name": "Lưu trữ lịch sử tỉnh Thử Nghiệm",
        "dossier_ids": list(ids),
        "fonds": {
            "code": "H99",
            "name": "Phông Ủy ban nhân dân tỉnh Thử Nghiệm",
            "status": "mở",
            "history": "Thành lập năm 1991",
            "time_range": "1991-2024",
            "total_documents": 120,
            "classification": "Cơ cấu tổ chức - thời gian",
            "language": "Tiếng Việt",
            "risk_recovery": "Chưa",
            "note": "",
        },
        **over,
    }
    return api.call("POST", "/api/transfer/registrations", user="luutru", json=body)


def test_historical_transfer_and_packages(api, tmp_path: Path) -> None:
    a = closed_dossier(api, "01.LS")
    twenty = closed_dossier(api, "02.LS", maintenance="20 năm", docs=1)
    accepted(api, a["id"])
    accepted(api, twenty["id"])
    assert _registration(api, twenty["id"]).status_code == 422
    assert _registration(api, a["id"], fonds=None).status_code == 422
    reg = _registration(api, a["id"])
    assert reg.status_code == 201, reg.text
    rid = reg.json()["id"]
    assert reg.json()["code"] != _registration(api, a["id"]).json().get("code")
    r = api.call("GET", f"/api/transfer/dossiers/{a['id']}/sip?registration={rid}", user="luutru")
    assert r.status_code == 200, r.text
    name = r.headers["content-disposition"].split('filename="')[1].rstrip('"')
    (tmp_path / name).write_bytes(r.content)
    report = validate_package(tmp_path / name)
    assert report.status == "valid", report.text()
    assert zipfile.ZipFile(io.BytesIO(r.content)).namelist()[0].startswith(name[1:-4])
    assert api.call("GET", f"/api/transfer/dossiers/{twenty['id']}/sip", user="luutru").status_code == 409
    done = api.call("POST", f"/api/transfer/registrations/{rid}/complete", user="luutru")
    assert done.status_code == 200 and done.json()["status"] == "da_nop"
    state = api.call("GET", f"/api/transfer/dossiers/{a['id']}", user="luutru").json()
    assert state["location"] == "luu_tru_lich_su"
    xml = api.call("GET", f"/api/transfer/dossiers/{a['id']}/nd30.xml", user="chuyenvien")
    (tmp_path / "hs.xml").write_bytes(xml.content)
    nd30 = validate_nd30_export(tmp_path / "hs.xml")
    assert nd30.status == "valid", nd30.text()


def test_describe_and_holey(api, tmp_path: Path) -> None:
    a = closed_dossier(api, "01.HL", docs=1)
    shared = a["documents"][0]["document_id"]
    b = api.open_dossier_ok(file_notation="02.HL", start_date="2023-11-02")
    api.attach(b["id"], shared)
    api.call("POST", f"/api/dossiers/{b['id']}/close", user="chuyenvien", json={"end_date": "2024-03-10"})
    accepted(api, a["id"])
    accepted(api, b["id"])
    bad = api.call(
        "POST",
        f"/api/transfer/dossiers/{b['id']}/description",
        user="luutru",
        json={"confidence_level": "02"},
    )
    assert bad.status_code == 422
    ok = api.call(
        "POST",
        f"/api/transfer/dossiers/{b['id']}/description",
        user="luutru",
        json={
            "confidence_level": "02",
            "paper_file_code": "H49LT.K2-G05.0345",
            "number_of_paper": 7,
            "risk_recovery": True,
            "risk_recovery_status": "01",
        },
    )
    assert ok.status_code == 200, ok.text
    assert api.call("GET", f"/api/transfer/dossiers/{a['id']}/sip", user="luutru").status_code == 200
    r = api.call("GET", f"/api/transfer/dossiers/{b['id']}/sip", user="luutru")
    name = r.headers["content-disposition"].split('filename="')[1].rstrip('"')
    (tmp_path / name).write_bytes(r.content)
    report = validate_package(tmp_path / name)
    assert report.status == "valid", report.text()
    assert any(n.endswith(".fetch.txt") for n in zipfile.ZipFile(tmp_path / name).namelist())


def test_reset_empties_area_4(api) -> None:
    d = closed_dossier(api)
    accepted(api, d["id"])
    api.reset()
    assert api.call("GET", "/api/transfer/batches", user="luutru").json()["items"] == []


@pytest.mark.parametrize("fault", ["registration_code_reused"])
def test_registration_fault(api, fault: str) -> None:
    a = closed_dossier(api, "01.DK")
    b = closed_dossier(api, "02.DK")
    accepted(api, a["id"])
    accepted(api, b["id"])
    api.faults(fault)
    assert _registration(api, a["id"]).json()["code"] == _registration(api, b["id"]).json()["code"]
