"""Area 3 of the reference: audit trail, access control, freeze, recall, retention, search, exports,
print marking, backup and restore into a clean instance."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree


def pdf_bytes(text: str) -> bytes:
    """A real one-page PDF with text (the reference's own writer is not used to make test inputs)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

    w = PdfFileWriter(stream_xrefs=False)
    font = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Font"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
            generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica"),
        }
    )
    ops = b"BT /F1 12 Tf 1 0 0 1 60 780 Tm (" + text.encode("ascii") + b") Tj ET"
    ref = w.add_object(generic.StreamObject(stream_data=ops))
    res = generic.DictionaryObject(
        {generic.pdf_name("/Font"): generic.DictionaryObject({generic.pdf_name("/F1"): w.add_object(font)})}
    )
    box = generic.ArrayObject([generic.NumberObject(x) for x in (0, 0, 595, 842)])
    w.insert_page(PageObject(contents=ref, media_box=box, resources=res))
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def attach(api, doc_id: int, content: bytes, user: str = "vanthu"):
    return api.call(
        "POST",
        f"/api/documents/outgoing/{doc_id}/files",
        user=user,
        files={"file": ("van-ban.pdf", content, "application/pdf")},
    )


def audit(api, **params):
    response = api.call("GET", "/api/audit", user="quantri", params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def restricted_doc(api, subject: str = "Văn bản giới hạn") -> dict:
    doc = api.issue_ok(subject=subject)
    assert api.call("POST", f"/api/acl/documents/{doc['id']}/restrict").status_code == 201
    return doc


# -- audit trail -------------------------------------------------------------------------------------------


def test_every_request_is_logged_before_the_reply_ends(api) -> None:
    doc = api.issue_ok()
    assert api.call("GET", f"/api/documents/outgoing/{doc['id']}", user="chuyenvien").status_code == 200
    entries = audit(api, object_type="document", object_id=str(doc["id"]))
    assert [(e["actor"], e["action"], e["outcome"]) for e in entries] == [
        ("vanthu", "dang_ky_van_ban_di", "thanh_cong"),
        ("chuyenvien", "xem_van_ban", "thanh_cong"),
    ]
    assert all(e["at"].endswith("+07:00") for e in entries)


def test_failed_logins_and_unauthenticated_calls_are_logged(api) -> None:
    assert (
        api.client.post("/api/auth/login", json={"username": "chuyenvien", "password": "sai"}).status_code
        == 401
    )
    assert api.call("GET", "/api/search", user=None, params={"q": "x"}).status_code == 401
    failed = [e for e in audit(api, actor="chuyenvien", action="dang_nhap") if e["outcome"] == "that_bai"]
    assert failed, "a failed login must leave an entry naming the account tried"
    assert any(
        e["outcome"] == "chua_xac_thuc" and e["action"] == "tim_kiem" for e in audit(api, action="tim_kiem")
    )


def test_the_log_is_append_only_and_chained(api) -> None:
    api.issue_ok()
    first = audit(api)[0]
    for method in ("PUT", "PATCH", "DELETE"):
        response = api.call(method, f"/api/audit/{first['id']}", user="quantri", json={"detail": "x"})
        assert response.status_code == 403, (method, response.text)
    assert audit(api)[0] == first
    verified = api.call("GET", "/api/audit/verify", user="quantri").json()
    assert verified["ok"] is True and verified["count"] >= 2


def test_a_row_changed_behind_the_application_breaks_the_chain(api, app) -> None:
    from sqlalchemy import update

    from refoffice.models_archive import AuditEntry

    api.issue_ok()
    api.issue_ok()
    entry = audit(api)[1]
    with app.state.ctx.sessions() as session:
        session.execute(update(AuditEntry).where(AuditEntry.id == entry["id"]).values(actor="ke-gian"))
        session.commit()
    verified = api.call("GET", "/api/audit/verify", user="quantri").json()
    assert verified == {"ok": False, "count": verified["count"], "broken_at": entry["id"]}


def test_only_administrative_roles_read_the_log(api) -> None:
    assert api.call("GET", "/api/audit", user="chuyenvien").status_code == 403
    assert api.call("GET", "/api/audit", user="lanhdao").status_code == 200


# -- access control ------------------------------------------------------------------------------------------


def test_a_hidden_object_answers_exactly_like_an_absent_one(api) -> None:
    doc = restricted_doc(api)
    hidden = api.call("GET", f"/api/documents/outgoing/{doc['id']}", user="chuyenvien2")
    absent = api.call("GET", "/api/documents/outgoing/987654321", user="chuyenvien2")
    assert (hidden.status_code, hidden.json()) == (absent.status_code, absent.json()) == (404, absent.json())
    assert api.call("GET", f"/api/documents/outgoing/{doc['id']}").status_code == 200
    denied = audit(api, object_type="document", object_id=str(doc["id"]), actor="chuyenvien2")
    assert [e["outcome"] for e in denied] == ["tu_choi"], "the refusal is logged as such, not as 'not found'"
    listed = api.call("GET", "/api/documents/outgoing", user="chuyenvien2").json()["items"]
    assert doc["id"] not in [d["id"] for d in listed]


def test_files_of_a_hidden_document_are_hidden_too(api) -> None:
    doc = restricted_doc(api)
    stored = attach(api, doc["id"], pdf_bytes("Noi dung")).json()
    assert api.call("GET", f"/api/files/{stored['id']}", user="chuyenvien2").status_code == 404
    assert api.call("GET", f"/api/archive/files/{stored['id']}/print", user="chuyenvien2").status_code == 404
    assert api.call("GET", f"/api/files/{stored['id']}").status_code == 200


def test_a_grant_waits_for_confirmation_and_can_lapse(api) -> None:
    doc = restricted_doc(api)
    change = api.call(
        "POST",
        f"/api/acl/documents/{doc['id']}/grants",
        json={"username": "chuyenvien2", "valid_until": "2099-01-31"},
    ).json()
    assert change["status"] == "cho_duyet" and change["warning"]
    assert api.call("GET", f"/api/documents/outgoing/{doc['id']}", user="chuyenvien2").status_code == 404
    pending = api.call("GET", "/api/acl/changes", user="lanhdao", params={"status": "cho_duyet"}).json()[
        "items"
    ]
    assert change["id"] in [c["id"] for c in pending]
    assert api.call("POST", f"/api/acl/changes/{change['id']}/approve", user="chuyenvien2").status_code == 403
    assert api.call("POST", f"/api/acl/changes/{change['id']}/approve", user="lanhdao").status_code == 200
    assert api.call("GET", f"/api/documents/outgoing/{doc['id']}", user="chuyenvien2").status_code == 200
    api.set_clock("2099-02-01T08:00:00+07:00")
    assert api.call("GET", f"/api/documents/outgoing/{doc['id']}", user="chuyenvien2").status_code == 404


def test_revoking_takes_effect_at_once(api) -> None:
    doc = restricted_doc(api)
    change = api.call(
        "POST", f"/api/acl/documents/{doc['id']}/grants", json={"username": "chuyenvien2"}
    ).json()
    api.call("POST", f"/api/acl/changes/{change['id']}/approve", user="lanhdao")
    assert api.call("GET", f"/api/documents/outgoing/{doc['id']}", user="chuyenvien2").status_code == 200
    assert (
        api.call("DELETE", f"/api/acl/documents/{doc['id']}/grants/chuyenvien2", user="quantri").status_code
        == 200
    )
    assert api.call("GET", f"/api/documents/outgoing/{doc['id']}", user="chuyenvien2").status_code == 404


def test_access_level_uses_the_code_list(api) -> None:
    doc = api.issue_ok()
    path = f"/api/acl/documents/{doc['id']}/access-level"
    assert api.call("PUT", path, json={"level": "04"}).status_code == 422
    assert api.call("PUT", path, json={"level": "03"}).json()["label"] == "Mật"
    assert api.call("GET", f"/api/documents/outgoing/{doc['id']}", user="chuyenvien").status_code == 404


# -- freeze, recall, retention ------------------------------------------------------------------------------


def test_a_frozen_dossier_refuses_changes_until_unfrozen(api) -> None:
    dossier = api.open_dossier_ok()
    doc = api.issue_ok()
    assert (
        api.call("POST", f"/api/archive/dossiers/{dossier['id']}/freeze", user="chuyenvien").status_code
        == 403
    )
    assert api.call("POST", f"/api/archive/dossiers/{dossier['id']}/freeze", user="luutru").status_code == 201
    assert api.attach(dossier["id"], doc["id"]).status_code == 409
    assert (
        api.call("DELETE", f"/api/archive/dossiers/{dossier['id']}/freeze", user="luutru").status_code == 200
    )
    assert api.attach(dossier["id"], doc["id"]).status_code == 201


def test_a_recall_freezes_for_good_and_is_recorded(api) -> None:
    doc = api.issue_ok()
    assert (
        api.call("POST", f"/api/archive/documents/{doc['id']}/recall", json={"reason": "Sai"}).status_code
        == 201
    )
    assert attach(api, doc["id"], pdf_bytes("x")).status_code == 409
    assert api.call("DELETE", f"/api/archive/documents/{doc['id']}/freeze", user="luutru").status_code == 409
    recalls = api.call("GET", "/api/archive/recalls").json()["items"]
    assert [(r["document_id"], r["reason"], r["recalled_by"]) for r in recalls] == [
        (doc["id"], "Sai", "vanthu")
    ]


def test_retention_counts_from_the_year_the_work_ended(api) -> None:
    dossier = api.open_dossier_ok(maintenance="5 năm", start_date="2019-01-05")
    doc = api.issue_ok()
    api.attach(dossier["id"], doc["id"])
    closed = api.call(
        "POST", f"/api/dossiers/{dossier['id']}/close", user="chuyenvien", json={"end_date": "2021-06-30"}
    )
    assert closed.status_code == 200, closed.text
    info = api.call("GET", f"/api/archive/dossiers/{dossier['id']}/retention").json()
    assert (info["expires_year"], info["destroyable_from"]) == (2026, "2027-01-01")
    api.set_clock("2026-12-31T10:00:00+07:00")
    assert api.call("DELETE", f"/api/archive/dossiers/{dossier['id']}", user="luutru").status_code == 409
    api.set_clock("2027-01-02T10:00:00+07:00")
    listed = api.call("GET", "/api/archive/disposal-list", user="luutru").json()["items"]
    assert [(d["dossier_id"], d["status"]) for d in listed] == [(dossier["id"], "Xem xét hủy")]
    assert api.call("DELETE", f"/api/archive/dossiers/{dossier['id']}", user="luutru").status_code == 409
    assert (
        api.call(
            "POST", f"/api/archive/dossiers/{dossier['id']}/disposal-approval", user="lanhdao"
        ).status_code
        == 201
    )
    assert api.call("DELETE", f"/api/archive/dossiers/{dossier['id']}", user="luutru").status_code == 200
    assert api.call("GET", f"/api/dossiers/{dossier['id']}").status_code == 404
    trail = [e["action"] for e in audit(api, object_type="dossier", object_id=str(dossier["id"]))]
    assert trail[0] == "mo_ho_so" and trail[-2:] == ["huy_ho_so", "xem_ho_so"], trail


# -- search, exports, print ---------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_full_text_finds_a_word_only_inside_the_pdf(api) -> None:
    doc = api.issue_ok(subject="Văn bản không có từ khóa")
    attach(api, doc["id"], pdf_bytes("Tu khoa Zanzibar9 chi co trong tep"))
    hits = api.call("GET", "/api/search", user="chuyenvien", params={"q": "zanzibar9"}).json()
    assert [i["id"] for i in hits["items"]] == [doc["id"]]


def test_search_by_field_with_chosen_columns_and_order(api) -> None:
    ids = [api.issue_ok(subject=f"Sắp xếp {i}", signer_full_name="Nguyễn Ký")["id"] for i in range(3)]
    got = api.call(
        "GET",
        "/api/search",
        user="chuyenvien",
        params={
            "field": "FullName",
            "value": "nguyễn ký",
            "fields": "Subject",
            "sort": "CodeNumber",
            "order": "desc",
        },
    ).json()
    assert [i["id"] for i in got["items"]] == ids[::-1]
    assert all(set(i) == {"id", "Subject"} for i in got["items"])


def test_exports_are_real_docx_and_pdf(api) -> None:
    for i in range(2):
        api.issue_ok(subject=f"Kết xuất số {i}")
    params = {"field": "Subject", "value": "Kết xuất", "fields": "Subject"}
    docx = api.call("GET", "/api/search/export", user="chuyenvien", params={**params, "format": "docx"})
    with zipfile.ZipFile(io.BytesIO(docx.content)) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    assert len(root.findall(".//w:tr", ns)) == 3  # header + 2 results
    pdf = api.call("GET", "/api/search/export", user="chuyenvien", params={**params, "format": "pdf"})
    assert pdf.content.startswith(b"%PDF-") and pdf.headers["content-type"] == "application/pdf"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
        ).stdout
        assert "Kết xuất số 1".encode() in text


def test_a_print_copy_keeps_the_original_bytes_and_adds_a_marking(api) -> None:
    doc = api.issue_ok()
    original = pdf_bytes("Ban goc")
    stored = attach(api, doc["id"], original).json()
    printed = api.call("GET", f"/api/archive/files/{stored['id']}/print")
    assert printed.status_code == 200
    assert printed.content.startswith(original) and len(printed.content) > len(original)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=printed.content, capture_output=True, check=True)
        assert b"vanthu" in text.stdout and "Bản in".encode() in text.stdout


# -- backup and restore -------------------------------------------------------------------------------------


def test_backup_restores_into_a_clean_instance_with_identical_files(api) -> None:
    doc = api.issue_ok(signer_full_name="Nguyễn Văn Ký")
    content = pdf_bytes("Sao luu")
    attach(api, doc["id"], content)
    dossier = api.open_dossier_ok()
    api.attach(dossier["id"], doc["id"])
    backup = api.call("POST", "/api/backups", user="quantri").json()
    assert len(backup["copies"]) == 2 and len({c["sha256"] for c in backup["copies"]}) == 1
    live = api.call("GET", "/api/inventory", user="quantri").json()
    for medium in ("PT01", "PT02"):
        restored = api.call(
            "POST", f"/api/backups/{backup['id']}/restore", user="quantri", params={"medium": medium}
        )
        assert restored.status_code == 201 and restored.json()["report"]["problems"] == []
        inv = api.call("GET", f"/api/restores/{restored.json()['id']}/inventory", user="quantri").json()
        assert inv["objects"] == live["objects"]
        assert [f["sha256"] for f in inv["files"]] == [hashlib.sha256(content).hexdigest()]
        assert inv["orphans"] == inv["dangling"] == []
    archive = api.call("GET", f"/api/backups/{backup['id']}/download", user="quantri")
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zf:
        names = zf.namelist()
        assert (
            f"metadata/van-ban/{doc['id']}.xml" in names
            and f"files/{hashlib.sha256(content).hexdigest()}" in names
        )
        etree.fromstring(zf.read(f"metadata/ho-so/{dossier['id']}.xml"))


def test_restore_fault_drops_a_file_and_the_inventory_shows_it(api) -> None:
    doc = api.issue_ok()
    attach(api, doc["id"], pdf_bytes("Mat tep"))
    backup = api.call("POST", "/api/backups", user="quantri").json()
    api.faults("restore_drops_one_file")
    restored = api.call("POST", f"/api/backups/{backup['id']}/restore", user="quantri").json()
    inv = api.call("GET", f"/api/restores/{restored['id']}/inventory", user="quantri").json()
    assert restored["report"]["problems"] and len(inv["dangling"]) == 1


def test_the_scheduler_makes_a_full_backup_on_the_first_of_the_month(api) -> None:
    api.set_clock("2031-03-01T02:00:00+07:00")
    first = api.call("POST", "/api/backups/scheduled/run", user="quantri").json()
    api.set_clock("2031-03-02T02:00:00+07:00")
    second = api.call("POST", "/api/backups/scheduled/run", user="quantri").json()
    again = api.call("POST", "/api/backups/scheduled/run", user="quantri").json()
    assert (first["kind"], second["kind"], again["id"]) == ("day_du", "gia_tang", second["id"])
    log = api.call("GET", "/api/backups", user="quantri").json()["items"]
    assert all(e["operator"] and e["result"] == "thanh_cong" and len(e["copies"]) == 2 for e in log)
