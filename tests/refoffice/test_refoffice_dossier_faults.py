"""Area 2 fault switches: each breaks exactly its own rule of the dossier life cycle.

One probe per rule observes the reference through its API; a fault changes its own probe, and with all
the other faults on at once a probe does not move. The probes of area 1 live in
``test_refoffice_faults.py``; the harness-level proof (each fault fails exactly its criteria) is
``tests/test_fault_matrix.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from refoffice.faults import lap_ho_so

PDF_TEXT = "Nội dung văn bản"


def me(api, user: str) -> int:
    return api.call("GET", "/api/me", user=user).json()["id"]


def _plan(api, numbering: str = "lien_tuc", year: int = 2026) -> tuple[int, int, int]:
    """An issued plan with one heading (TCCB) and one entry assigned to chuyenvien: (plan, heading, entry)."""
    p = api.call("POST", "/api/file-plans", json={"year": year, "scope": "Văn phòng", "numbering": numbering})
    plan_id = p.json()["id"]
    h = api.call(
        "POST", f"/api/file-plans/{plan_id}/headings", json={"title": "Tổ chức", "abbreviation": "TCCB"}
    )
    e = api.call(
        "POST",
        f"/api/file-plans/{plan_id}/entries",
        json={
            "heading_id": h.json()["id"],
            "title": "Hồ sơ A",
            "maintenance": "20 năm",
            "assignee_id": me(api, "chuyenvien"),
        },
    )
    api.call(
        "POST",
        f"/api/file-plans/{plan_id}/approve",
        user="lanhdao",
        json={"decision_number": "01/QĐ-UBND", "decision_date": "2026-01-02"},
    )
    return plan_id, h.json()["id"], e.json()["id"]


def _from_plan(api, entry_id: int, user: str = "chuyenvien"):
    return api.call(
        "POST", "/api/dossiers", user=user, json={"plan_entry_id": entry_id, "start_date": "2026-02-01"}
    )


def _filed(api, pages: tuple[int, ...] = (1,), **fields: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    dossier = api.open_dossier_ok(rights="Công khai", **fields)
    docs = [api.issue_ok(page_amount=p, to=[{"organ_id": "000.00.00.G09"}]) for p in pages]
    for d in docs:
        api.attach(dossier["id"], d["id"])
    return dossier, docs


# --- probes ------------------------------------------------------------------------------------------


def probe_plan_list(api) -> Any:
    api.call("POST", "/api/file-plans", json={"year": 2061, "scope": "Văn phòng"})
    return api.call("GET", "/api/file-plans", params={"year": "2061"}).json()["count"]


def probe_plan_approval(api) -> Any:
    p = api.call("POST", "/api/file-plans", json={"year": 2026, "scope": "X"}).json()["id"]
    h = api.call("POST", f"/api/file-plans/{p}/headings", json={"title": "A", "abbreviation": "A"}).json()[
        "id"
    ]
    api.call(
        "POST",
        f"/api/file-plans/{p}/entries",
        json={"heading_id": h, "title": "T", "maintenance": "5 năm", "assignee_id": me(api, "chuyenvien")},
    )
    body = {"decision_number": "01/QĐ-UBND", "decision_date": "2026-01-02"}
    return api.call("POST", f"/api/file-plans/{p}/approve", user="vanthu", json=body).status_code


def probe_headings(api) -> Any:
    p = api.call("POST", "/api/file-plans", json={"year": 2026, "scope": "X"}).json()["id"]
    one = api.call("POST", f"/api/file-plans/{p}/headings", json={"title": "A", "abbreviation": "A"}).json()
    api.call("POST", f"/api/file-plans/{p}/headings", json={"title": "B", "abbreviation": "B"})
    api.call("POST", f"/api/file-plans/{p}/headings", json={"title": "A1", "parent_id": one["id"]})
    return [h["number"] for h in api.call("GET", f"/api/file-plans/{p}").json()["headings"]]


def probe_footer(api) -> Any:
    plan_id, heading_id, _ = _plan(api)
    api.call(
        "POST",
        f"/api/file-plans/{plan_id}/entries",
        json={
            "heading_id": heading_id,
            "title": "B",
            "maintenance": "Vĩnh viễn",
            "assignee_id": me(api, "chuyenvien"),
        },
    )
    return api.call("GET", f"/api/file-plans/{plan_id}/export").json()["totals"]


def probe_plan_numbering(api) -> Any:
    p = api.call(
        "POST", "/api/file-plans", json={"year": 2026, "scope": "X", "numbering": "theo_de_muc"}
    ).json()
    out = []
    for abbr in ("A", "B"):
        h = api.call(
            "POST", f"/api/file-plans/{p['id']}/headings", json={"title": abbr, "abbreviation": abbr}
        ).json()
        e = api.call(
            "POST",
            f"/api/file-plans/{p['id']}/entries",
            json={
                "heading_id": h["id"],
                "title": "T",
                "maintenance": "5 năm",
                "assignee_id": me(api, "chuyenvien"),
            },
        )
        out.append(e.json()["file_notation"])
    return out


def probe_title_length(api) -> Any:
    return (
        api.open_dossier(title="ê" * 500).status_code,
        api.open_dossier(title="ê" * 501, file_notation="02.TCCB").status_code,
        api.open_dossier(title="ê" * 1001, file_notation="03.TCCB", start_date="2026-01-02").status_code,
    )


def probe_maintenance(api) -> Any:
    return api.open_dossier(maintenance="lâu dài").status_code


def probe_open_from_plan_by_other(api) -> Any:
    _, _, entry = _plan(api)
    return _from_plan(api, entry, user="chuyenvien2").status_code


def probe_inherited(api) -> Any:
    _, _, entry = _plan(api)
    body = _from_plan(api, entry).json()
    return (body["title"], body["maintenance"], body["creator"], body["file_notation"])


def probe_start_date(api) -> Any:
    return api.open_dossier(start_date=api.OMIT).status_code


def probe_file_code(api) -> Any:
    first = api.open_dossier_ok()
    return (first["file_code"], api.open_dossier(user="chuyenvien2").status_code)


def probe_handlers(api) -> Any:
    return [
        api.open_dossier(user=u, file_notation=f"0{i}.CN").status_code
        for i, u in enumerate(["lanhdao", "luutru"], 1)
    ]


def probe_ordinals(api) -> Any:
    dossier = api.open_dossier_ok()
    return [api.attach(dossier["id"], api.issue_ok()["id"]).json()["doc_ordinal"] for _ in range(3)]


def probe_view_documents(api) -> Any:
    dossier, _ = _filed(api, pages=(1, 1))
    items = api.call("GET", f"/api/dossiers/{dossier['id']}").json()["documents"]
    return [d["file_code"] == dossier["file_code"] for d in items]


def probe_plan_link(api) -> Any:
    _, _, entry = _plan(api)
    dossier = _from_plan(api, entry).json()
    return api.call("GET", f"/api/dossiers/{dossier['id']}").json()["plan_entry_id"] == entry


def probe_own_list(api) -> Any:
    api.open_dossier_ok()
    api.open_dossier_ok(user="chuyenvien2", file_notation="02.TCCB")
    return api.call("GET", "/api/dossiers", user="chuyenvien", params={"owner": "me"}).json()["count"]


def probe_shared_document(api) -> Any:
    a = api.open_dossier_ok()
    b = api.open_dossier_ok(user="chuyenvien2", file_notation="02.TCCB")
    doc = api.issue_ok()["id"]
    return (api.attach(a["id"], doc).status_code, api.attach(b["id"], doc, user="chuyenvien2").status_code)


def probe_totals(api) -> Any:
    dossier, _ = _filed(api, pages=(2, 3))
    record = api.call("GET", f"/api/dossiers/{dossier['id']}").json()
    return (record["doc_total"], record["page_total"])


def probe_filed_fields(api) -> Any:
    dossier, docs = _filed(api)
    record = api.call("GET", f"/api/dossiers/{dossier['id']}/documents/{docs[0]['id']}").json()
    return (record["organ_id"], record["file_catalog"])


def probe_filed_code(api) -> Any:
    dossier, docs = _filed(api)
    record = api.call("GET", f"/api/dossiers/{dossier['id']}/documents/{docs[0]['id']}").json()
    return record["file_code"] == dossier["file_code"]


def probe_export_order(api) -> Any:
    dossier = api.open_dossier_ok(rights="Công khai")
    first = api.issue_ok(subject="Văn bản đăng ký trước")
    later = api.issue_ok(subject="Văn bản đăng ký sau")
    api.attach(dossier["id"], later["id"])
    api.attach(dossier["id"], first["id"])
    xml = api.call("GET", f"/api/dossiers/{dossier['id']}/export.xml").text
    return xml.index("đăng ký trước") < xml.index("đăng ký sau")


def probe_export_code(api) -> Any:
    dossier, _ = _filed(api, pages=(1, 1))
    xml = api.call("GET", f"/api/dossiers/{dossier['id']}/export.xml").text
    return xml.count(f"<FileCode>{dossier['file_code']}</FileCode>")


def probe_index_order(api) -> Any:
    dossier, _ = _filed(api, pages=(1, 1, 1))
    return [r["stt"] for r in api.call("GET", f"/api/dossiers/{dossier['id']}/muc-luc").json()["rows"]]


def probe_description(api) -> Any:
    return api.open_dossier(description="ô" * 501).status_code


def probe_rights_update(api) -> Any:
    dossier = api.open_dossier_ok(rights="Công khai")
    return api.call(
        "PATCH", f"/api/dossiers/{dossier['id']}", user="chuyenvien", json={"rights": "Mật"}
    ).json()["rights"]


def probe_creator(api) -> Any:
    return api.open_dossier(creator="x" * 31).status_code


def probe_closed(api) -> Any:
    dossier, _ = _filed(api)
    api.call("POST", f"/api/dossiers/{dossier['id']}/close", user="chuyenvien", json={})
    return api.attach(dossier["id"], api.issue_ok()["id"]).status_code


def probe_audit(api) -> Any:
    dossier = api.open_dossier_ok()
    api.call("PATCH", f"/api/dossiers/{dossier['id']}", user="chuyenvien", json={"title": "Tiêu đề mới"})
    items = api.call("GET", f"/api/dossiers/{dossier['id']}/history").json()["items"]
    return [i["action"] for i in items]


def probe_review(api) -> Any:
    dossier = api.open_dossier_ok()
    review = api.call("GET", f"/api/dossiers/{dossier['id']}/review").json()
    empty_close = api.call(
        "POST", f"/api/dossiers/{dossier['id']}/close", user="chuyenvien", json={}
    ).status_code
    return ([m["field"] for m in review["missing"]], empty_close)


def probe_end_date(api) -> Any:
    dossier, _ = _filed(api)
    return api.call(
        "POST", f"/api/dossiers/{dossier['id']}/close", user="chuyenvien", json={"end_date": "2000-01-01"}
    ).status_code


def probe_hand_over(api) -> Any:
    dossier = api.open_dossier_ok(user="lanhdao", rights="Công khai")
    api.attach(dossier["id"], api.issue_ok()["id"], user="lanhdao")
    api.call("POST", f"/api/dossiers/{dossier['id']}/close", user="lanhdao", json={})
    body = {"from_user_id": me(api, "lanhdao"), "to_user_id": me(api, "chuyenvien2")}
    return api.call("POST", "/api/dossiers/reassign", user="quantri", json=body).json()["count"]


def probe_media(api) -> Any:
    dossier = api.open_dossier_ok()
    mp3 = b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64" + b"\x00" * 32
    return api.call(
        "POST",
        f"/api/documents/dossier/{dossier['id']}/files",
        user="chuyenvien",
        files={"file": ("ghi-am.mp3", mp3, "audio/mpeg")},
    ).status_code


def probe_original(api) -> Any:
    doc = api.issue_ok()
    data = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    up = api.call(
        "POST",
        f"/api/documents/outgoing/{doc['id']}/files",
        files={"file": ("goc.pdf", data, "application/pdf")},
    )
    return api.call("GET", f"/api/files/{up.json()['id']}").content == data


def probe_doc_code(api) -> Any:
    return api.issue_ok()["doc_code"].count(",")


PROBES: dict[str, Callable[[Any], Any]] = {
    name[len("probe_") :]: fn for name, fn in globals().items() if name.startswith("probe_") and callable(fn)
}
PROBE_OF_FAULT = {
    "file_plan_list_current_year_only": "plan_list",
    "file_plan_approval_any_role": "plan_approval",
    "file_plan_headings_arabic": "headings",
    "file_plan_footer_miscounted": "footer",
    "file_plan_numbering_ignores_scope": "plan_numbering",
    "dossier_title_length_unchecked": "title_length",
    "maintenance_free_text": "maintenance",
    "plan_entry_open_by_anyone": "open_from_plan_by_other",
    "plan_entry_maintenance_not_inherited": "inherited",
    "dossier_start_date_optional": "start_date",
    "file_code_not_unique": "file_code",
    "dossier_open_denied_to_luu_tru_vien": "handlers",
    "doc_ordinal_not_assigned": "ordinals",
    "dossier_view_documents_without_code": "view_documents",
    "dossier_plan_link_missing": "plan_link",
    "dossier_list_ignores_owner": "own_list",
    "document_in_one_dossier_only": "shared_document",
    "dossier_totals_not_updated": "totals",
    "filed_document_fields_not_filled": "filed_fields",
    "filed_document_file_code_wrong": "filed_code",
    "export_not_chronological": "export_order",
    "export_document_file_code_wrong": "export_code",
    "document_index_not_in_ordinal_order": "index_order",
    "dossier_description_length_unchecked": "description",
    "dossier_rights_not_updatable": "rights_update",
    "creator_length_unchecked": "creator",
    "closed_dossier_accepts_documents": "closed",
    "dossier_changes_not_audited": "audit",
    "close_skips_missing_field_check": "review",
    "end_date_before_start_accepted": "end_date",
    "reassign_skips_closed_dossiers": "hand_over",
    "dossier_media_refused": "media",
    "original_file_not_kept": "original",
    "doc_code_without_date": "doc_code",
}
# A fault whose rule other probes also read (the stored data they show): what else it may change.
ALSO_CHANGES = {
    "file_code_not_unique": {"export_code"},
    "doc_ordinal_not_assigned": {"index_order"},
}


@pytest.fixture(scope="module")
def baseline(shared_api) -> dict[str, Any]:
    """What the probes see with no fault on, computed once."""
    out = {}
    for name, probe in PROBES.items():
        shared_api.faults()
        shared_api.reset()
        out[name] = probe(shared_api)
    shared_api.reset()
    return out


def test_every_area_2_fault_has_a_probe() -> None:
    assert set(PROBE_OF_FAULT) == {f.name for f in lap_ho_so.FAULTS}
    assert set(PROBE_OF_FAULT.values()) == set(PROBES)


def test_baseline_is_the_correct_behaviour(baseline: dict[str, Any], api) -> None:
    assert baseline == {
        "plan_list": 1,
        "plan_approval": 403,
        "headings": ["I", "1", "II"],
        "footer": {"ho_so": 2, "vinh_vien": 1, "co_thoi_han": 1},
        "plan_numbering": ["01.A", "01.B"],
        "title_length": (201, 422, 422),
        "maintenance": 422,
        "open_from_plan_by_other": 403,
        "inherited": ("Hồ sơ A", "20 năm", "Lê Thị Cúc", "01.TCCB"),
        "start_date": 422,
        "file_code": (f"{api.ORGAN_ID}.2025.01.TCCB", 409),
        "handlers": [201, 201],
        "ordinals": [1, 2, 3],
        "view_documents": [True, True],
        "plan_link": True,
        "own_list": 1,
        "shared_document": (201, 201),
        "totals": (2, 5),
        "filed_fields": (api.ORGAN_ID, 2025),
        "filed_code": True,
        "export_order": True,
        "export_code": 3,
        "index_order": [1, 2, 3],
        "description": 422,
        "rights_update": "Mật",
        "creator": 422,
        "closed": 409,
        "audit": ["mo_ho_so", "cap_nhat"],
        "review": (["rights", "documents"], 409),
        "end_date": 422,
        "hand_over": 1,
        "media": 201,
        "original": True,
        "doc_code": 2,
    }


@pytest.mark.parametrize("fault", sorted(PROBE_OF_FAULT))
def test_each_area_2_fault_changes_its_own_behaviour(api, baseline: dict[str, Any], fault: str) -> None:
    own = PROBE_OF_FAULT[fault]
    api.reset()
    api.faults(fault)
    observed = PROBES[own](api)
    assert observed != baseline[own], f"{fault} does not change {own}: {observed!r}"


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_no_other_area_2_fault_changes_a_behaviour(api, baseline: dict[str, Any], probe: str) -> None:
    """Every fault but the probe's own (and those allowed to show in it) on at once: the probe must not
    move. One run per probe instead of faults × probes; two faults cancelling out is not a real risk here."""
    others = [f for f, p in PROBE_OF_FAULT.items() if p != probe and probe not in ALSO_CHANGES.get(f, set())]
    api.reset()
    api.faults(*others)
    assert PROBES[probe](api) == baseline[probe]
