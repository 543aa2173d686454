"""Tệp của văn bản and kết thúc hồ sơ in the reference: what arrives is stored and served unchanged."""

from __future__ import annotations

import hashlib

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _upload(api, doc_id: int, data: bytes = PDF, name: str = "Công văn.pdf", ctype: str = "application/pdf"):
    return api.call(
        "POST",
        f"/api/documents/outgoing/{doc_id}/files",
        files={"file": (name, data, ctype)},
        data={"description": "Văn bản chính"},
    )


def test_a_stored_file_comes_back_byte_for_byte_with_its_arrival_hash(api) -> None:
    doc = api.issue_ok()
    up = _upload(api, doc["id"])
    assert up.status_code == 201, up.text
    meta = up.json()
    assert meta["sha256"] == hashlib.sha256(PDF).hexdigest() and meta["size"] == len(PDF)
    assert meta["name"] == "Công văn.pdf" and meta["description"] == "Văn bản chính"
    got = api.call("GET", f"/api/files/{meta['id']}", user="chuyenvien")
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["x-content-sha256"] == meta["sha256"]
    assert "filename*=UTF-8''C%C3%B4ng%20v%C4%83n.pdf" in got.headers["content-disposition"]
    listed = api.call("GET", f"/api/documents/outgoing/{doc['id']}/files").json()["items"]
    assert [f["id"] for f in listed] == [meta["id"]]


def test_files_that_are_not_what_they_claim_are_refused(api) -> None:
    doc = api.issue_ok()
    assert _upload(api, doc["id"], b"MZ\x90\x00", "setup.pdf").status_code == 415
    assert _upload(api, doc["id"], b"MZ\x90\x00", "setup.exe", "application/x-msdownload").status_code == 415
    assert _upload(api, doc["id"], b"", "rong.pdf").status_code == 415
    assert api.call("GET", f"/api/documents/outgoing/{doc['id']}/files").json()["items"] == []


def test_upload_needs_a_document_a_file_and_a_login(api) -> None:
    assert _upload(api, 999_999).status_code == 404
    doc = api.issue_ok()
    no_file = api.call("POST", f"/api/documents/outgoing/{doc['id']}/files", data={"description": "x"})
    assert no_file.status_code == 422 and api.fields(no_file) == ["file"]
    anonymous = api.call(
        "POST", f"/api/documents/outgoing/{doc['id']}/files", user=None, files={"file": ("a.pdf", PDF)}
    )
    assert anonymous.status_code == 401
    assert api.call("GET", "/api/files/1", user=None).status_code == 401
    assert api.call("GET", "/api/files/abc").status_code == 404


def test_closing_a_dossier_sets_end_date_and_stops_filing(api) -> None:
    dossier = api.open_dossier_ok()
    assert (
        api.call("POST", f"/api/dossiers/{dossier['id']}/close", user="chuyenvien", json={}).status_code
        == 409
    )
    doc = api.issue_ok()
    assert api.attach(dossier["id"], doc["id"]).status_code == 201
    assert (
        api.call(
            "POST", f"/api/dossiers/{dossier['id']}/close", user="chuyenvien", json={"end_date": "2000-01-01"}
        ).status_code
        == 422
    )
    assert (
        api.call("POST", f"/api/dossiers/{dossier['id']}/close", user="chuyenvien2", json={}).status_code
        == 403
    )
    closed = api.call("POST", f"/api/dossiers/{dossier['id']}/close", user="chuyenvien", json={})
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert body["status"] == "closed" and body["end_date"] == doc["issued_date"] and body["closed_at"]
    assert api.attach(dossier["id"], api.issue_ok()["id"]).status_code == 409
    assert (
        api.call("POST", f"/api/dossiers/{dossier['id']}/close", user="chuyenvien", json={}).status_code
        == 409
    )


def test_listing_filters_by_owner_and_status(api) -> None:
    mine = api.open_dossier_ok()
    other = api.open_dossier(user="vanthu", file_notation="02.VT").json()
    doc = api.issue_ok()
    api.attach(mine["id"], doc["id"])
    api.call("POST", f"/api/dossiers/{mine['id']}/close", user="chuyenvien", json={})

    def ids(**query: str) -> list[int]:
        return [
            d["id"] for d in api.call("GET", "/api/dossiers", user="chuyenvien", params=query).json()["items"]
        ]

    assert ids() == [mine["id"], other["id"]]
    assert ids(owner="me") == [mine["id"]]
    assert ids(owner="me", status="open") == []
    assert ids(status="open") == [other["id"]]
    assert api.call("GET", "/api/dossiers", params={"status": "x"}).status_code == 422
