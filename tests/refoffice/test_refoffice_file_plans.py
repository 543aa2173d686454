"""Danh mục hồ sơ in the reference: headings, numbering, approval, the PL V form, opening from the plan."""

from __future__ import annotations

from typing import Any

import pytest


def me(api, user: str) -> int:
    return api.call("GET", "/api/me", user=user).json()["id"]


def plan(api, year: int = 2026, scope: str = "Văn phòng", **fields: Any) -> dict[str, Any]:
    response = api.call("POST", "/api/file-plans", json={"year": year, "scope": scope, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def heading(api, plan_id: int, title: str, abbreviation: str | None = None, parent_id: int | None = None):
    body: dict[str, Any] = {"title": title}
    if abbreviation is not None:
        body["abbreviation"] = abbreviation
    if parent_id is not None:
        body["parent_id"] = parent_id
    return api.call("POST", f"/api/file-plans/{plan_id}/headings", json=body)


def entry(api, plan_id: int, heading_id: int, title: str = "Hồ sơ tuyển dụng", **fields: Any):
    body = {
        "heading_id": heading_id,
        "title": title,
        "maintenance": "Vĩnh viễn",
        "assignee_id": me(api, "chuyenvien"),
    }
    body.update(fields)
    return api.call("POST", f"/api/file-plans/{plan_id}/entries", json=body)


def approve(api, plan_id: int, user: str = "lanhdao"):
    return api.call(
        "POST",
        f"/api/file-plans/{plan_id}/approve",
        user=user,
        json={"decision_number": "12/QĐ-UBND", "decision_date": "2026-01-05"},
    )


def issued_plan_with_entry(api, **entry_fields: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    p = plan(api)
    h = heading(api, p["id"], "Tổ chức cán bộ", "TCCB").json()
    e = entry(api, p["id"], h["id"], **entry_fields).json()
    assert approve(api, p["id"]).status_code == 200
    return p, e


def test_a_plan_is_kept_per_year_and_scope(api) -> None:
    p = plan(api, 2027, "Văn phòng")
    assert (p["year"], p["status"], p["title"], p["numbering"]) == (
        2027,
        "du_thao",
        "Danh mục hồ sơ năm 2027",
        "lien_tuc",
    )
    assert p["organ_id"] == api.ORGAN_ID and p["headings"] == [] and p["entries"] == []
    again = api.call("POST", "/api/file-plans", json={"year": 2027, "scope": "Văn phòng"})
    assert again.status_code == 409 and api.fields(again) == ["scope"]
    plan(api, 2027, "Phòng Tài chính")
    plan(api, 2028, "Văn phòng")
    listed = api.call("GET", "/api/file-plans", user="chuyenvien", params={"year": "2027"}).json()
    assert listed["count"] == 2 and {x["scope"] for x in listed["items"]} == {"Văn phòng", "Phòng Tài chính"}
    assert api.call("GET", f"/api/file-plans/{p['id']}", user="luutru").json()["year"] == 2027


@pytest.mark.parametrize(
    "body,field",
    [
        ({"scope": "Văn phòng"}, "year"),
        ({"year": 2026}, "scope"),
        ({"year": "2026", "scope": "Văn phòng"}, "year"),
        ({"year": 2026, "scope": "Văn phòng", "numbering": "moi_nam"}, "numbering"),
    ],
)
def test_plan_fields_are_checked(api, body: dict, field: str) -> None:
    response = api.call("POST", "/api/file-plans", json=body)
    assert response.status_code == 422 and field in api.fields(response)


def test_only_clerks_and_leaders_draft_plans(api) -> None:
    response = api.call("POST", "/api/file-plans", user="chuyenvien", json={"year": 2026, "scope": "X"})
    assert response.status_code == 403


def test_headings_are_numbered_roman_then_arabic_within_each_heading(api) -> None:
    p = plan(api)
    one = heading(api, p["id"], "Tổ chức cán bộ", "TCCB").json()
    two = heading(api, p["id"], "Văn phòng", "VP").json()
    sub = [
        heading(api, p["id"], "Tuyển dụng", parent_id=one["id"]).json(),
        heading(api, p["id"], "Đào tạo", parent_id=one["id"]).json(),
        heading(api, p["id"], "Hành chính", parent_id=two["id"]).json(),
    ]
    assert (one["number"], one["level"], one["label"]) == ("I", 1, "I. Tổ chức cán bộ")
    assert two["number"] == "II"
    assert [(h["number"], h["level"], h["abbreviation"]) for h in sub] == [
        ("1", 2, None),
        ("2", 2, None),
        ("1", 2, None),
    ]
    printed = api.call("GET", f"/api/file-plans/{p['id']}").json()["headings"]
    assert [h["number"] for h in printed] == ["I", "1", "2", "II", "1"]


def test_heading_rules(api) -> None:
    p = plan(api)
    one = heading(api, p["id"], "Tổ chức cán bộ", "TCCB").json()
    missing = heading(api, p["id"], "Không viết tắt")
    assert missing.status_code == 422 and api.fields(missing) == ["abbreviation"]
    assert api.fields(heading(api, p["id"], "Chữ thường", "tccb")) == ["abbreviation"]
    assert api.fields(heading(api, p["id"], "Quá dài", "A" * 18)) == ["abbreviation"]
    assert heading(api, p["id"], "Trùng", "TCCB").status_code == 409
    sub = heading(api, p["id"], "Tuyển dụng", parent_id=one["id"]).json()
    assert heading(api, p["id"], "Cấp ba", parent_id=sub["id"]).status_code == 422
    assert heading(api, p["id"], "Nhỏ có viết tắt", "TD", parent_id=one["id"]).status_code == 422
    other = plan(api, scope="Phòng khác")
    assert heading(api, other["id"], "Sai danh mục", parent_id=one["id"]).status_code == 404


def test_numbering_per_heading_restarts_at_01_continuous_does_not(api) -> None:
    per = plan(api, numbering="theo_de_muc")
    a = heading(api, per["id"], "Tổ chức cán bộ", "TCCB").json()
    a1 = heading(api, per["id"], "Tuyển dụng", parent_id=a["id"]).json()
    b = heading(api, per["id"], "Văn phòng", "VP").json()
    notations = [
        entry(api, per["id"], a["id"]).json()["file_notation"],
        entry(api, per["id"], a1["id"]).json()["file_notation"],
        entry(api, per["id"], b["id"]).json()["file_notation"],
    ]
    assert notations == ["01.TCCB", "02.TCCB", "01.VP"]
    cont = plan(api, scope="Phòng khác", numbering="lien_tuc")
    c = heading(api, cont["id"], "Kế hoạch", "KH").json()
    d = heading(api, cont["id"], "Tài chính", "TC").json()
    assert [entry(api, cont["id"], x["id"]).json()["file_notation"] for x in (c, d, c)] == [
        "01.KH",
        "02.TC",
        "03.KH",
    ]


def test_entry_fields(api) -> None:
    p = plan(api)
    h = heading(api, p["id"], "Tổ chức cán bộ", "TCCB").json()
    e = entry(api, p["id"], h["id"], maintenance="20 Năm", description="Ghi chú").json()
    assert (e["maintenance"], e["creator"], e["description"], e["dossier_id"]) == (
        "20 năm",
        "Lê Thị Cúc",
        "Ghi chú",
        None,
    )
    assert api.fields(entry(api, p["id"], h["id"], maintenance="lâu dài")) == ["maintenance"]
    assert api.fields(entry(api, p["id"], h["id"], file_notation="05.TCCB")) == ["file_notation"]
    assert api.fields(entry(api, p["id"], h["id"], assignee_id=999999)) == ["assignee_id"]
    assert entry(api, p["id"], 999999).status_code == 404
    # a 2026 plan is issued under TT 05/2025: titles up to 1000; a 2025 plan keeps 500
    assert entry(api, p["id"], h["id"], title="ê" * 1000).status_code == 201
    assert api.fields(entry(api, p["id"], h["id"], title="ê" * 1001)) == ["title"]
    old = plan(api, 2025, "Năm cũ")
    oh = heading(api, old["id"], "Cũ", "CU").json()
    assert api.fields(entry(api, old["id"], oh["id"], title="ê" * 501)) == ["title"]


def test_only_the_head_of_the_agency_approves(api) -> None:
    p = plan(api)
    h = heading(api, p["id"], "Tổ chức cán bộ", "TCCB").json()
    assert approve(api, p["id"]).status_code == 409  # nothing planned yet
    entry(api, p["id"], h["id"])
    for user in ("vanthu", "chuyenvien", "quantri", "luutru"):
        assert approve(api, p["id"], user).status_code == 403, user
    missing = api.call("POST", f"/api/file-plans/{p['id']}/approve", user="lanhdao", json={})
    assert missing.status_code == 422 and set(api.fields(missing)) == {"decision_number", "decision_date"}
    done = approve(api, p["id"]).json()
    assert (done["status"], done["approved_by"], done["decision_number"]) == (
        "ban_hanh",
        me(api, "lanhdao"),
        "12/QĐ-UBND",
    )
    assert done["decision_date"] == "2026-01-05" and done["approved_at"]
    assert approve(api, p["id"]).status_code == 409


def test_export_is_the_pl_v_form_with_totals(api) -> None:
    p = plan(api)
    h = heading(api, p["id"], "Tổ chức cán bộ", "TCCB").json()
    sub = heading(api, p["id"], "Tuyển dụng", parent_id=h["id"]).json()
    entry(api, p["id"], h["id"], title="Hồ sơ chung", maintenance="Vĩnh viễn")
    entry(api, p["id"], sub["id"], title="Hồ sơ thi tuyển", maintenance="20 năm", description="Đợt 1")
    entry(api, p["id"], sub["id"], title="Hồ sơ xét tuyển", maintenance="5 năm")
    approve(api, p["id"])
    form = api.call("GET", f"/api/file-plans/{p['id']}/export", user="chuyenvien").json()
    assert form["columns"] == [
        "Số và ký hiệu hồ sơ",
        "Tên đề mục và tiêu đề hồ sơ",
        "Thời hạn bảo quản",
        "Người lập hồ sơ",
        "Ghi chú",
    ]
    assert [(r["so_ky_hieu"], r["tieu_de"], r["thoi_han"]) for r in form["rows"]] == [
        ("", "I. TỔ CHỨC CÁN BỘ", ""),
        ("01.TCCB", "Hồ sơ chung", "Vĩnh viễn"),
        ("", "1. Tuyển dụng", ""),
        ("02.TCCB", "Hồ sơ thi tuyển", "20 năm"),
        ("03.TCCB", "Hồ sơ xét tuyển", "5 năm"),
    ]
    assert form["rows"][3]["ghi_chu"] == "Đợt 1" and form["rows"][1]["nguoi_lap"] == "Lê Thị Cúc"
    assert form["totals"] == {"ho_so": 3, "vinh_vien": 1, "co_thoi_han": 2}
    assert form["footer"] == (
        "Danh mục hồ sơ này có 3 hồ sơ, bao gồm: 1 hồ sơ bảo quản vĩnh viễn; 2 hồ sơ bảo quản có thời hạn."
    )
    assert form["decision_line"] == "(Kèm theo Quyết định số 12/QĐ-UBND ngày 05/01/2026)"
    assert form["year_line"] == "Năm 2026"


def test_opening_from_the_plan_inherits_its_data_and_only_the_assignee_may(api) -> None:
    p, e = issued_plan_with_entry(api, maintenance="20 năm")
    start = {"plan_entry_id": e["id"], "start_date": "2026-02-01"}
    assert api.call("POST", "/api/dossiers", user="chuyenvien2", json=start).status_code == 403
    dossier = api.call("POST", "/api/dossiers", user="chuyenvien", json=start).json()
    assert dossier["file_notation"] == "01.TCCB" and dossier["file_code"] == f"{api.ORGAN_ID}.2026.01.TCCB"
    assert (dossier["title"], dossier["maintenance"], dossier["creator"]) == (
        "Hồ sơ tuyển dụng",
        "20 năm",
        "Lê Thị Cúc",
    )
    assert dossier["owner"] == me(api, "chuyenvien") and dossier["plan_entry_id"] == e["id"]
    again = api.call("POST", "/api/dossiers", user="chuyenvien", json=start)
    assert again.status_code == 409 and api.fields(again) == ["plan_entry_id"]
    assert api.call("GET", f"/api/file-plans/{p['id']}").json()["entries"][0]["dossier_id"] == dossier["id"]


def test_opening_from_the_plan_refuses_a_draft_a_wrong_year_and_conflicting_values(api) -> None:
    p = plan(api)
    h = heading(api, p["id"], "Tổ chức cán bộ", "TCCB").json()
    e = entry(api, p["id"], h["id"]).json()
    start = {"plan_entry_id": e["id"], "start_date": "2026-02-01"}
    assert api.call("POST", "/api/dossiers", user="chuyenvien", json=start).status_code == 409
    approve(api, p["id"])
    wrong_year = api.call(
        "POST", "/api/dossiers", user="chuyenvien", json={**start, "start_date": "2025-12-31"}
    )
    assert wrong_year.status_code == 422 and api.fields(wrong_year) == ["start_date"]
    other = api.call("POST", "/api/dossiers", user="chuyenvien", json={**start, "maintenance": "5 năm"})
    assert other.status_code == 422 and api.fields(other) == ["maintenance"]
    same = api.call("POST", "/api/dossiers", user="chuyenvien", json={**start, "maintenance": "Vĩnh viễn"})
    assert same.status_code == 201
    assert (
        api.call(
            "POST", "/api/dossiers", json={"plan_entry_id": 999999, "start_date": "2026-01-01"}
        ).status_code
        == 404
    )


def test_the_dossier_shows_its_plan_entry_as_it_is_now(api) -> None:
    p, e = issued_plan_with_entry(api)
    dossier = api.call(
        "POST",
        "/api/dossiers",
        user="chuyenvien",
        json={"plan_entry_id": e["id"], "start_date": "2026-02-01"},
    ).json()
    changed = api.call(
        "PATCH", f"/api/file-plans/{p['id']}/entries/{e['id']}", json={"title": "Hồ sơ tuyển dụng đợt 2"}
    )
    assert changed.status_code == 200 and changed.json()["dossier_id"] == dossier["id"]
    view = api.call("GET", f"/api/dossiers/{dossier['id']}").json()
    assert view["plan_entry"]["title"] == "Hồ sơ tuyển dụng đợt 2" and view["title"] == "Hồ sơ tuyển dụng"
    assert api.fields(
        api.call("PATCH", f"/api/file-plans/{p['id']}/entries/{e['id']}", json={"maintenance": "mãi mãi"})
    ) == ["maintenance"]
