"""Hồ sơ after opening: update and history, removal, review, closing, listing, hand-over, regime limits,
and what a dossier gives out (mục lục, filed-document records, .xml and .pdf exports).

The exports are checked with the harness's own validators (``conformance.standards``), as a certifying
run or an archive would check them: the reference never imports those, the tests may.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conformance.inputs import make_pdf
from conformance.standards.packages import read_nd30_export, validate_nd30_export


def me(api, user: str) -> int:
    return api.call("GET", "/api/me", user=user).json()["id"]


def patch(api, dossier_id: int, user: str = "chuyenvien", **fields: Any):
    return api.call("PATCH", f"/api/dossiers/{dossier_id}", user=user, json=fields)


def history(api, dossier_id: int) -> list[dict[str, Any]]:
    return api.call("GET", f"/api/dossiers/{dossier_id}/history").json()["items"]


def close(api, dossier_id: int, user: str = "chuyenvien", **body: Any):
    return api.call("POST", f"/api/dossiers/{dossier_id}/close", user=user, json=body)


def filed_dossier(
    api, pages: tuple[int, ...] = (2,), **fields: Any
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    dossier = api.open_dossier_ok(**fields)
    docs = [api.issue_ok(page_amount=p) for p in pages]
    for d in docs:
        assert api.attach(dossier["id"], d["id"]).status_code == 201
    return dossier, docs


@pytest.mark.parametrize("user", ["chuyenvien", "chuyenvien2", "vanthu", "lanhdao", "luutru"])
def test_every_handler_opens_and_owns_dossiers(api, user: str) -> None:
    assert api.open_dossier_ok(user=user)["owner"] == me(api, user)


def test_the_technical_admin_keeps_no_dossiers(api) -> None:
    assert api.open_dossier(user="quantri").status_code == 403


def test_updates_are_recorded_with_old_and_new_values(api) -> None:
    dossier = api.open_dossier_ok(title="Hồ sơ cũ", maintenance="10 năm")
    done = patch(api, dossier["id"], title="Hồ sơ mới", maintenance="vĩnh viễn", rights="Công khai")
    assert done.status_code == 200, done.text
    assert (done.json()["title"], done.json()["maintenance"], done.json()["rights"]) == (
        "Hồ sơ mới",
        "Vĩnh viễn",
        "Công khai",
    )
    changes = {
        (h["field"], h["old"], h["new"]) for h in history(api, dossier["id"]) if h["action"] == "cap_nhat"
    }
    assert changes == {
        ("title", "Hồ sơ cũ", "Hồ sơ mới"),
        ("maintenance", "10 năm", "Vĩnh viễn"),
        ("rights", None, "Công khai"),
    }
    first = history(api, dossier["id"])[0]
    assert (first["action"], first["new"], first["username"]) == (
        "mo_ho_so",
        dossier["file_code"],
        "chuyenvien",
    )


def test_changing_the_notation_changes_the_code_and_keeps_it_unique(api) -> None:
    dossier = api.open_dossier_ok()
    api.open_dossier_ok(file_notation="02.TCCB")
    clash = patch(api, dossier["id"], file_notation="02.TCCB")
    assert clash.status_code == 409 and api.fields(clash) == ["file_notation"]
    moved = patch(api, dossier["id"], file_notation="05.VP").json()
    assert moved["file_code"] == f"{api.ORGAN_ID}.2025.05.VP"
    assert ("file_code", f"{api.ORGAN_ID}.2025.01.TCCB", moved["file_code"]) in {
        (h["field"], h["old"], h["new"]) for h in history(api, dossier["id"])
    }


def test_update_refusals(api) -> None:
    dossier = api.open_dossier_ok()
    assert patch(api, dossier["id"], user="chuyenvien2", title="x").status_code == 403
    assert api.fields(patch(api, dossier["id"], owner=1, file_code="x")) == ["file_code", "owner"]
    assert api.fields(patch(api, dossier["id"], title="")) == ["title"]
    assert api.fields(patch(api, dossier["id"], maintenance="lâu dài")) == ["maintenance"]
    assert api.fields(patch(api, dossier["id"])) == ["body"]
    assert patch(api, 999999, title="x").status_code == 404


def test_removing_a_document_closes_the_ordinal_gap_and_is_recorded(api) -> None:
    dossier, docs = filed_dossier(api, pages=(1, 2, 3))
    gone = api.call("DELETE", f"/api/dossiers/{dossier['id']}/documents/{docs[1]['id']}", user="chuyenvien")
    assert gone.status_code == 200, gone.text
    view = gone.json()
    assert [(d["document_id"], d["doc_ordinal"]) for d in view["documents"]] == [
        (docs[0]["id"], 1),
        (docs[2]["id"], 2),
    ]
    assert (view["doc_total"], view["page_total"]) == (2, 4)
    assert ("rut_van_ban", "documents", str(docs[1]["id"])) in {
        (h["action"], h["field"], h["old"]) for h in history(api, dossier["id"])
    }
    again = api.call("DELETE", f"/api/dossiers/{dossier['id']}/documents/{docs[1]['id']}", user="chuyenvien")
    assert again.status_code == 404
    other = api.call("DELETE", f"/api/dossiers/{dossier['id']}/documents/{docs[0]['id']}", user="chuyenvien2")
    assert other.status_code == 403


def test_review_lists_what_is_missing_before_closing(api) -> None:
    dossier = api.open_dossier_ok()
    review = api.call("GET", f"/api/dossiers/{dossier['id']}/review", user="chuyenvien").json()
    assert review["ready"] is False and [m["field"] for m in review["missing"]] == ["rights", "documents"]
    patch(api, dossier["id"], rights="Công khai")
    api.attach(dossier["id"], api.issue_ok()["id"])
    assert api.call("GET", f"/api/dossiers/{dossier['id']}/review").json() == {
        "id": dossier["id"],
        "ready": True,
        "missing": [],
    }


def test_a_closed_dossier_takes_no_change_and_its_closing_is_recorded(api) -> None:
    dossier, _ = filed_dossier(api)
    assert close(api, dossier["id"], end_date="2000-01-01").status_code == 422
    closed = close(api, dossier["id"]).json()
    assert closed["status"] == "closed" and closed["end_date"]
    assert patch(api, dossier["id"], title="Sau khi đóng").status_code == 409
    assert api.attach(dossier["id"], api.issue_ok()["id"]).status_code == 409
    assert ("ket_thuc", closed["end_date"]) in {(h["action"], h["new"]) for h in history(api, dossier["id"])}


def test_listing_by_owner_id_year_and_status(api) -> None:
    a = api.open_dossier_ok()
    b = api.open_dossier_ok(user="chuyenvien2", file_notation="02.TCCB", start_date="2026-02-02")

    def ids(**query: str) -> list[int]:
        body = api.call("GET", "/api/dossiers", user="chuyenvien", params=query).json()
        assert body["count"] == len(body["items"])
        return [d["id"] for d in body["items"]]

    assert ids(owner=str(me(api, "chuyenvien2"))) == [b["id"]]
    assert ids(owner="me") == [a["id"]]
    assert ids(year="2026") == [b["id"]]
    assert ids(year="2025", status="open") == [a["id"]]
    assert api.call("GET", "/api/dossiers", params={"owner": "ai"}).status_code == 422


def test_hand_over_moves_every_dossier_open_or_closed_and_records_it(api) -> None:
    leaver, heir = me(api, "lanhdao"), me(api, "chuyenvien2")
    kept = api.open_dossier_ok(user="chuyenvien")
    open_one = api.open_dossier_ok(user="lanhdao", file_notation="02.TCCB")
    closed_one = api.open_dossier_ok(user="lanhdao", file_notation="03.TCCB")
    api.attach(closed_one["id"], api.issue_ok()["id"], user="lanhdao")
    assert close(api, closed_one["id"], user="lanhdao").status_code == 200
    body = {"from_user_id": leaver, "to_user_id": heir, "reason": "Nghỉ hưu"}
    assert api.call("POST", "/api/dossiers/reassign", user="lanhdao", json=body).status_code == 403
    moved = api.call("POST", "/api/dossiers/reassign", user="quantri", json=body).json()
    assert (moved["count"], moved["dossier_ids"]) == (2, [open_one["id"], closed_one["id"]])
    for d in (open_one, closed_one):
        assert api.call("GET", f"/api/dossiers/{d['id']}").json()["owner"] == heir
        assert ("ban_giao", str(leaver), str(heir)) in {
            (h["action"], h["old"], h["new"]) for h in history(api, d["id"])
        }
    assert api.call("GET", f"/api/dossiers/{kept['id']}").json()["owner"] == me(api, "chuyenvien")
    for bad, field in (
        ({"from_user_id": leaver, "to_user_id": leaver}, "to_user_id"),
        ({"from_user_id": leaver, "to_user_id": me(api, "quantri")}, "to_user_id"),
        ({"from_user_id": 999999, "to_user_id": heir}, "from_user_id"),
        ({"to_user_id": heir}, "from_user_id"),
    ):
        response = api.call("POST", "/api/dossiers/reassign", user="quantri", json=bad)
        assert response.status_code in (404, 422) and api.fields(response) == [field], bad


@pytest.mark.parametrize(
    "start,title,description,regime",
    [
        ("2025-06-30", 500, 500, "2020"),
        ("2025-07-01", 1000, 2000, "2025"),
        ("2026-03-02", 1000, 2000, "2025"),
    ],
)
def test_lengths_follow_the_regime_of_the_start_date(api, start, title, description, regime) -> None:
    ok = api.open_dossier_ok(start_date=start, title="ê" * title, description="ô" * description)
    assert (len(ok["title"]), len(ok["description"]), ok["regime"]) == (title, description, regime)
    too_long = api.open_dossier(
        start_date=start,
        file_notation="02.TCCB",
        title="ê" * (title + 1),
        description="ô" * (description + 1),
    )
    assert too_long.status_code == 422 and api.fields(too_long) == ["title", "description"]
    assert api.fields(patch(api, ok["id"], title="ê" * (title + 1))) == ["title"]


def test_document_index_is_the_pl_v_form_in_ordinal_order(api) -> None:
    dossier, docs = filed_dossier(api, pages=(1, 2, 3))
    index = api.call("GET", f"/api/dossiers/{dossier['id']}/muc-luc", user="luutru").json()
    assert index["columns"] == [
        "STT",
        "Số, ký hiệu văn bản",
        "Ngày tháng năm văn bản",
        "Tên loại và trích yếu nội dung văn bản",
        "Tác giả văn bản",
        "Tờ số/Trang số",
        "Ghi chú",
    ]
    assert index["header"] == "Số, ký hiệu hồ sơ: 01.TCCB" and index["year_line"] == "Năm 2025"
    rows = index["rows"]
    assert [(r["stt"], r["so_ky_hieu"], r["to_so"]) for r in rows] == [
        (1, docs[0]["so_ky_hieu"], "1"),
        (2, docs[1]["so_ky_hieu"], "2-3"),
        (3, docs[2]["so_ky_hieu"], "4-6"),
    ]
    assert rows[0]["ten_loai_trich_yeu"] == "Quyết định: Về việc ban hành Quy chế thử nghiệm"
    assert rows[0]["tac_gia"] == api.ORGAN_NAME and index["count"] == 3


def test_the_filed_record_carries_the_dossier_code_and_ordinal(api) -> None:
    dossier, docs = filed_dossier(api, pages=(1, 4))
    record = api.call("GET", f"/api/dossiers/{dossier['id']}/documents/{docs[1]['id']}").json()
    assert (record["file_code"], record["organ_id"], record["file_catalog"]) == (
        dossier["file_code"],
        api.ORGAN_ID,
        2025,
    )
    assert (record["file_notation"], record["doc_ordinal"], record["page_amount"]) == ("01.TCCB", 2, 4)
    assert record["code_number"] == docs[1]["code_number"] and record["signer_info"] == {
        "position": None,
        "full_name": None,
    }
    assert api.call("GET", f"/api/dossiers/{dossier['id']}/documents/999999").status_code == 404


def _download(api, path: str, tmp_path: Path, name: str) -> Path:
    response = api.call("GET", path, user="chuyenvien")
    assert response.status_code == 200, response.text
    out = tmp_path / name
    out.write_bytes(response.content)
    return out


def test_xml_export_validates_and_lists_documents_oldest_first_each_with_the_dossier_code(
    api, tmp_path: Path
) -> None:
    dossier = api.open_dossier_ok(rights="Công khai", start_date="2025-01-02")
    api.set_clock("2025-03-10T09:00:00+07:00")
    later = api.issue_ok(subject="Văn bản tháng ba", to=[{"organ_id": "000.00.00.G09"}])
    api.set_clock("2025-02-10T09:00:00+07:00")
    earlier = api.issue_ok(subject="Văn bản tháng hai", to=[{"organ_id": "000.00.00.G09"}])
    api.set_clock("2025-02-10T10:00:00+07:00")
    same_day = api.issue_ok(subject="Văn bản cùng ngày, đăng ký sau", to=[{"organ_id": "000.00.00.G09"}])
    for d in (later, same_day, earlier):
        api.attach(dossier["id"], d["id"])
    response = api.call("GET", f"/api/dossiers/{dossier['id']}/export.xml", user="chuyenvien")
    assert response.headers["content-type"].startswith("application/xml")
    assert f'filename="{dossier["file_code"]}.xml"' in response.headers["content-disposition"]
    path = _download(api, f"/api/dossiers/{dossier['id']}/export.xml", tmp_path, "hs.xml")
    report = validate_nd30_export(path)
    assert report.valid, [str(f) for f in report.findings]
    head, docs = read_nd30_export(path)
    assert (head["FileCode"], head["Rights"], head["DocTotal"], head["StartDate"]) == (
        dossier["file_code"],
        "Công khai",
        "3",
        "02/01/2025",
    )
    assert [d["Subject"] for _, d in docs] == [
        "Văn bản tháng hai",
        "Văn bản cùng ngày, đăng ký sau",
        "Văn bản tháng ba",
    ]
    assert [d["DocOrdinal"] for _, d in docs] == ["3", "2", "1"]
    assert {d["FileCode"] for _, d in docs} == {dossier["file_code"]}


def test_pdf_export_joins_the_documents_oldest_first(api, tmp_path: Path) -> None:
    dossier = api.open_dossier_ok()
    api.set_clock("2025-04-01T09:00:00+07:00")
    second = api.issue_ok(subject="Thứ hai")
    api.set_clock("2025-03-01T09:00:00+07:00")
    first = api.issue_ok(subject="Thứ nhất")
    no_pdf = api.issue_ok(subject="Không có tệp")
    for d, text, pages in ((second, "Nội dung văn bản thứ hai", 1), (first, "Nội dung văn bản thứ nhất", 2)):
        data = make_pdf(text, pages=pages)
        up = api.call(
            "POST",
            f"/api/documents/outgoing/{d['id']}/files",
            files={"file": ("vb.pdf", data, "application/pdf")},
        )
        assert up.status_code == 201, up.text
    for d in (second, first, no_pdf):
        api.attach(dossier["id"], d["id"])
    response = api.call("GET", f"/api/dossiers/{dossier['id']}/export.pdf", user="chuyenvien")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["x-documents-without-pdf"] == str(no_pdf["id"])
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(response.content), strict=False)
    assert int(reader.root["/Pages"]["/Count"]) == 3
    outline = reader.root["/Outlines"]
    titles = []
    item = outline["/First"].get_object()
    while item is not None:
        titles.append(str(item["/Title"]))
        item = item["/Next"].get_object() if "/Next" in item else None
    assert titles == [f"2. {first['so_ky_hieu']} — Thứ nhất", f"1. {second['so_ky_hieu']} — Thứ hai"]
    if shutil.which("pdftotext"):
        path = tmp_path / "hs.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
        assert text.index("Nội dung văn bản thứ nhất") < text.index("Nội dung văn bản thứ hai")


def test_pdf_export_needs_at_least_one_pdf(api) -> None:
    dossier, _ = filed_dossier(api)
    assert api.call("GET", f"/api/dossiers/{dossier['id']}/export.pdf").status_code == 409


MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64" + b"\x00" * 32
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2\x00\x00\x00\x08free"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def test_photos_recordings_and_films_are_collected_into_the_owners_open_dossier(api) -> None:
    dossier = api.open_dossier_ok(rights="Công khai")
    path = f"/api/documents/dossier/{dossier['id']}/files"
    for name, data, ctype in (
        ("anh.jpg", JPEG, "image/jpeg"),
        ("ghi-am.mp3", MP3, "audio/mpeg"),
        ("phim.mp4", MP4, "video/mp4"),
    ):
        up = api.call("POST", path, user="chuyenvien", files={"file": (name, data, ctype)})
        assert up.status_code == 201, up.text
        assert (up.json()["document_kind"], up.json()["document_id"]) == ("dossier", dossier["id"])
    listed = api.call("GET", path, user="luutru").json()["items"]
    assert [(f["name"], f["media_type"]) for f in listed] == [
        ("anh.jpg", "image/jpeg"),
        ("ghi-am.mp3", "audio/mpeg"),
        ("phim.mp4", "video/mp4"),
    ]
    assert api.call("GET", f"/api/files/{listed[2]['id']}").content == MP4
    other = api.call("POST", path, user="chuyenvien2", files={"file": ("anh.jpg", JPEG, "image/jpeg")})
    assert other.status_code == 403
    fake = api.call("POST", path, user="chuyenvien", files={"file": ("phim.mp4", b"not a film", "video/mp4")})
    assert fake.status_code == 415
    api.attach(dossier["id"], api.issue_ok()["id"])
    close(api, dossier["id"])
    late = api.call("POST", path, user="chuyenvien", files={"file": ("anh.jpg", JPEG, "image/jpeg")})
    assert late.status_code == 409
