"""Fault switches: each breaks exactly its rule, switchable at run time; control and reset."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from refoffice.faults import gui_nhan
from refoffice.models_exchange import IncomingDocument, SentPackage
from tests.conftest import ROOT

FAULT_EXPECT = {
    "numbering_no_year_restart": ["SR-061"],
    "code_number_not_padded": ["SR-063", "SR-010a"],
    "manual_number_required": ["SR-061", "SR-063", "SR-066", "SR-069", "SR-010a"],
    "manual_number_accepted": ["SR-069"],
    "subject_length_unchecked": ["SR-070"],
    "organ_id_not_autofilled": ["SR-071"],
    "doc_code_without_date": ["DS-030", "SR-010a", "SR-032"],
    "dossier_title_length_unchecked": ["DS-006"],
    "maintenance_free_text": ["DS-007"],
    "dossier_start_date_optional": ["DS-010"],
    "file_code_not_unique": ["DS-011", "DS-017", "TR-014a"],
    "doc_ordinal_not_assigned": ["DS-012", "DS-017", "DS-023", "TR-014a", "TR-014b"],
    "dossier_totals_not_updated": ["DS-017", "DS-022"],
    "health_clock_skewed": [],
    # UI faults (refoffice/faults/giao_dien.py): they change only the pages
    "outgoing_label_missing": ["SR-070b", "SR-070c"],
    "dossier_label_wrong": ["DS-024b"],
    "control_not_keyboard_reachable": ["SR-070c"],
    "so_di_print_missing_column": ["SR-066"],
    "so_den_print_missing_column": ["SR-067a"],
    "incoming_notification_missing": ["SR-104"],
    "recipient_status_not_shown": ["SR-084b"],
    "signature_shown_valid": ["SR-057b"],
}
# faults of the reference's axis connector, proven by the fault matrix over the exchange criteria
EXCHANGE_FAULTS = {f.name for f in gui_nhan.FAULTS} - {
    "numbering_no_year_restart",
    "code_number_not_padded",
    "manual_number_required",
    "manual_number_accepted",
    "subject_length_unchecked",
    "organ_id_not_autofilled",
}
DOC_CODE = re.compile(r"^(?P<organ>[^,]+),(?P<date>\d{4}/\d{2}/\d{2}),(?P<so>\d+)/(?P<kyhieu>[^,]+)$")


def number_of(doc: dict[str, Any]) -> int:
    """The number inside doc_code, which every numbering fault leaves readable."""
    return int(doc["doc_code"].rsplit(",", 1)[1].split("/", 1)[0])


# --- probes: each observes one rule; a fault must change exactly its own probe -----------------


def probe_year_restart(api) -> Any:
    api.set_clock("2025-12-31T23:59:00+07:00")
    api.issue_ok()
    api.issue_ok()
    api.set_clock("2026-01-01T00:00:00+07:00")
    return number_of(api.issue_ok())


def probe_padding(api) -> Any:
    """Every number that is shown is zero-padded (a number not shown at all is another rule)."""
    shown = []
    for _ in range(3):
        doc = api.issue_ok()
        shown += [doc["code_number"], doc["so_ky_hieu"], doc["doc_code"].rsplit(",", 1)[1]]
    return all(len(s.split("/")[0]) >= 2 for s in shown if s is not None)


def probe_auto_number(api) -> Any:
    doc = api.issue_ok()
    manual = api.issue(code_number="07").status_code
    return (doc["code_number"] is not None, doc["so_ky_hieu"] is not None, manual)


def probe_subject_length(api) -> Any:
    return (api.issue(subject="ê" * 500).status_code, api.issue(subject="ê" * 501).status_code)


def probe_organ_id(api) -> Any:
    return api.issue_ok()["organ_id"]


def probe_doc_code(api) -> Any:
    api.set_clock("2025-03-14T09:00:00+07:00")
    match = DOC_CODE.match(api.issue_ok()["doc_code"])
    return match is not None and match["date"] == "2025/03/14" and match["organ"] == api.ORGAN_ID


def probe_title_length(api) -> Any:
    return (
        api.open_dossier(title="ô" * 500).status_code,
        api.open_dossier(title="ô" * 501, file_notation="02.TCCB").status_code,
    )


def probe_maintenance(api) -> Any:
    values = ["Vĩnh viễn", "20 năm", "lâu dài", ""]
    return [
        api.open_dossier(maintenance=v, file_notation=f"0{i + 1}.VP").status_code
        for i, v in enumerate(values)
    ]


def probe_mandatory(api) -> Any:
    """Đ.29.2.c: each of the five items omitted in turn."""
    fields = ["title", "file_notation", "maintenance", "creator", "start_date"]
    return [
        api.open_dossier(
            **{f: api.OMIT}, **({} if f == "file_notation" else {"file_notation": f"0{i}.KH"})
        ).status_code
        for i, f in enumerate(fields, start=1)
    ]


def probe_file_code(api) -> Any:
    first = api.open_dossier_ok()
    again = api.open_dossier(user="chuyenvien2")
    return (first["file_code"] == f"{api.ORGAN_ID}.2025.01.TCCB", again.status_code)


def _three_docs(api) -> tuple[int, list[int]]:
    dossier = api.open_dossier_ok()["id"]
    ordinals = [
        api.attach(dossier, api.issue_ok(page_amount=p)["id"]).json()["doc_ordinal"] for p in (2, 3, 5)
    ]
    return dossier, ordinals


def probe_ordinals(api) -> Any:
    return _three_docs(api)[1]


def probe_totals(api) -> Any:
    dossier, _ = _three_docs(api)
    record = api.call("GET", f"/api/dossiers/{dossier}").json()
    return (record["doc_total"], record["page_total"])


def probe_health(api) -> Any:
    api.set_clock("2025-06-01T10:00:00+07:00")
    return api.client.get("/api/health").json()["now"]


def probe_series(api) -> Any:
    return [number_of(api.issue_ok(series=s)) for s in ("thuong", "mat", "thuong", "Luật")]


PROBES: dict[str, Callable[[Any], Any]] = {
    "year_restart": probe_year_restart,
    "padding": probe_padding,
    "auto_number": probe_auto_number,
    "subject_length": probe_subject_length,
    "organ_id": probe_organ_id,
    "doc_code": probe_doc_code,
    "title_length": probe_title_length,
    "maintenance": probe_maintenance,
    "mandatory": probe_mandatory,
    "file_code": probe_file_code,
    "ordinals": probe_ordinals,
    "totals": probe_totals,
    "health": probe_health,
    "series": probe_series,
    "subject_label": lambda api: _page(api, "vanthu", "/van-ban-di/dang-ky").count(
        '<label for="truong-subject">'
    ),
    "maintenance_label": lambda api: re.findall(
        r'<label for="truong-maintenance">([^<]*)', _page(api, "chuyenvien", "/ho-so/mo")
    ),
    "keyboard": lambda api: "tabindex" in _page(api, "chuyenvien", "/ho-so/mo"),
    "print_columns": lambda api: _page(api, "vanthu", "/van-ban-di/in").count('<th scope="col">'),
    "so_den_print_columns": lambda api: _page(api, "vanthu", "/van-ban-den/in").count('<th scope="col">'),
    "incoming_notice": lambda api: _incoming_notice(api),
    "recipient_status": lambda api: _recipient_status(api),
    "signature_status": lambda api: _signature_status(api),
}
PROBE_OF_FAULT = {
    "numbering_no_year_restart": "year_restart",
    "code_number_not_padded": "padding",
    "manual_number_required": "auto_number",
    "manual_number_accepted": "auto_number",
    "subject_length_unchecked": "subject_length",
    "organ_id_not_autofilled": "organ_id",
    "doc_code_without_date": "doc_code",
    "dossier_title_length_unchecked": "title_length",
    "maintenance_free_text": "maintenance",
    "dossier_start_date_optional": "mandatory",
    "file_code_not_unique": "file_code",
    "doc_ordinal_not_assigned": "ordinals",
    "dossier_totals_not_updated": "totals",
    "health_clock_skewed": "health",
    "outgoing_label_missing": "subject_label",
    "dossier_label_wrong": "maintenance_label",
    "control_not_keyboard_reachable": "keyboard",
    "so_di_print_missing_column": "print_columns",
    "so_den_print_missing_column": "so_den_print_columns",
    "incoming_notification_missing": "incoming_notice",
    "recipient_status_not_shown": "recipient_status",
    "signature_shown_valid": "signature_status",
}


def _page(api, username: str, path: str) -> str:
    """A page as the user sees it (logged in through the login page)."""
    api.client.cookies.clear()
    login = api.client.post(
        "/dang-nhap", data={"username": username, "password": api.PASSWORD}, follow_redirects=False
    )
    api.client.cookies.set("refoffice_session", login.cookies["refoffice_session"])
    try:
        return api.client.get(path).text
    finally:
        api.client.cookies.clear()


def _signature_status(api) -> list[str]:
    """What the file page says of a PDF signed with a revoked certificate (file, then each signature)."""
    doc = api.issue_ok()
    data = (ROOT / "fixtures" / "pdf" / "revoked-cert.pdf").read_bytes()
    up = api.call(
        "POST",
        f"/api/documents/outgoing/{doc['id']}/files",
        files={"file": ("thu-hoi.pdf", data, "application/pdf")},
    )
    html = _page(api, "vanthu", f"/tep/{up.json()['id']}")
    return re.findall(r'<dd class="(?:ok|error)">([^<]*)</dd>|<td class="(?:ok|error)">([^<]*)</td>', html)


def _incoming_notice(api) -> list[str]:
    """The notices of the văn thư's start page once a văn bản đến is registered."""
    with api.client.app.state.ctx.sessions() as s:
        s.add(
            IncomingDocument(
                arrival_year=2025, arrival_number=1, arrival_date="2025-06-01T08:00:00+07:00",
                document_id="000.00.00.H99.1", from_organ_id="000.00.00.H99", from_organ_name="UBND tỉnh",
                code_number="1", code_notation="UBND-VP", so_ky_hieu="1/UBND-VP", type_name="Công văn",
                subject="Thử thông báo", promulgation_date=date(2025, 6, 1), status="da_vao_so",
                axis_delivery_id="d1", package_sha256="0" * 64, package=b"",
            )
        )  # fmt: skip
        s.commit()
    return re.findall(
        r'role="status"><a href="/van-ban-den/moi">([^<]*)</a>', _page(api, "vanthu", "/van-ban-di")
    )


def _recipient_status(api) -> list[str]:
    """The status the sent document's page shows for a recipient that refused it (02)."""
    doc = api.issue_ok()
    with api.client.app.state.ctx.sessions() as s:
        s.add(
            SentPackage(
                outgoing_id=doc["id"], business=0, document_id=doc["doc_code"], state="da_gui",
                recipients=[{"organ_id": "000.00.00.H99", "organ_name": "UBND tỉnh", "statuses": [
                    {"code": "01", "description": "Đã đến", "at": "2025-06-01T08:00:00+07:00"},
                    {"code": "02", "description": "Sai nơi nhận", "at": "2025-06-01T08:01:00+07:00"}]}],
                sent_at="2025-06-01T07:59:00+07:00", package_sha256="0" * 64, package=b"",
            )
        )  # fmt: skip
        s.commit()
    html = _page(api, "vanthu", f"/van-ban-di/{doc['id']}")
    return re.findall(r"<td>000\.00\.00\.H99</td><td>([^<]*)</td>", html)


def observe(api, faults: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for name, probe in PROBES.items():
        api.reset()
        api.faults(*faults)
        out[name] = probe(api)
    return out


@pytest.fixture(scope="module")
def baseline(shared_api) -> dict[str, Any]:
    """What the probes see with no fault on, computed once."""
    shared_api.faults()
    result = observe(shared_api, ())
    shared_api.reset()
    return result


def test_baseline_is_the_correct_behaviour(baseline: dict[str, Any], api) -> None:
    assert baseline == {
        "year_restart": 1,
        "padding": True,
        "auto_number": (True, True, 422),
        "subject_length": (201, 422),
        "organ_id": api.ORGAN_ID,
        "doc_code": True,
        "title_length": (201, 422),
        "maintenance": [201, 201, 422, 422],
        "mandatory": [422, 422, 422, 422, 422],
        "file_code": (True, 409),
        "ordinals": [1, 2, 3],
        "totals": (3, 10),
        "health": baseline["health"],
        "series": [1, 1, 2, 1],
        "subject_label": 1,
        "maintenance_label": ["Thời hạn bảo quản"],
        "keyboard": False,
        "print_columns": 10,
        "so_den_print_columns": 10,
        "incoming_notice": ["Có 1 văn bản đến mới"],
        "recipient_status": ["02 – Từ chối tiếp nhận"],
        "signature_status": [("Không hợp lệ", ""), ("", "Không hợp lệ"), ("", "Không hợp lệ")],
    }
    assert baseline["health"].startswith("2025-06-01T10:00")


@pytest.mark.parametrize("fault", sorted(PROBE_OF_FAULT))
def test_each_fault_changes_exactly_its_own_behaviour(api, baseline: dict[str, Any], fault: str) -> None:
    observed = observe(api, (fault,))
    changed = {name for name in PROBES if observed[name] != baseline[name]}
    assert changed == {PROBE_OF_FAULT[fault]}, {n: (baseline[n], observed[n]) for n in changed}


def test_registry_lists_every_fault_with_rule_and_expectations(api) -> None:
    response = api.control("GET", "/__control__/faults")
    assert response.status_code == 200
    registry = {f["name"]: f for f in response.json()["faults"]}
    # Area 2 has its probes in test_refoffice_dossier_faults; areas 3 and 4 prove their faults through the
    # harness's fault matrix (tests/test_fault_matrix.py).
    assert set(FAULT_EXPECT) <= set(registry) and set(FAULT_EXPECT) == set(PROBE_OF_FAULT)
    for name, fault in registry.items():
        assert fault["expect_fail"] == FAULT_EXPECT.get(name, fault["expect_fail"])
        assert fault["enabled"] is False
        assert re.search(r"\((NĐ|Luật|TT|QĐ|TCVN) [^)]+\)$", fault["rule"]), fault["rule"]
        assert fault["description_en"]
        assert fault["preflight"] is (name == "health_clock_skewed")
    assert response.json()["enabled"] == []


def test_faults_switch_at_run_time_and_replace_the_set(api) -> None:
    api.faults("code_number_not_padded", "maintenance_free_text")
    listed = api.control("GET", "/__control__/faults").json()
    assert listed["enabled"] == ["code_number_not_padded", "maintenance_free_text"]
    assert api.issue_ok()["code_number"] == "1"
    api.faults("maintenance_free_text")
    assert api.issue_ok()["code_number"] == "02"
    api.faults()
    assert api.control("GET", "/__control__/faults").json()["enabled"] == []


@pytest.mark.parametrize("body", [{"enable": ["no_such_fault"]}, {"enable": "code_number_not_padded"}, {}])
def test_unknown_or_malformed_fault_names_are_refused(api, body: dict) -> None:
    api.faults("maintenance_free_text")
    response = api.control("POST", "/__control__/faults", json=body)
    assert response.status_code == 422 and api.fields(response) == ["enable"]
    assert api.control("GET", "/__control__/faults").json()["enabled"] == ["maintenance_free_text"]


# --- the exact behaviour each fault promises ----------------------------------------------------


def test_numbering_no_year_restart(api) -> None:
    api.faults("numbering_no_year_restart")
    api.set_clock("2025-12-31T23:59:00+07:00")
    api.issue_ok()
    api.set_clock("2026-01-01T00:00:00+07:00")
    doc = api.issue_ok()
    assert (doc["code_number"], doc["so_ky_hieu"]) == ("02", "02/QĐ-UBND")


def test_code_number_not_padded_keeps_doc_code_padded(api) -> None:
    api.faults("code_number_not_padded")
    api.set_clock("2025-03-14T09:00:00+07:00")
    docs = [api.issue_ok() for _ in range(5)]
    assert (docs[4]["code_number"], docs[4]["so_ky_hieu"]) == ("5", "5/QĐ-UBND")
    assert docs[4]["doc_code"] == f"{api.ORGAN_ID},2025/03/14,05/QĐ-UBND"


def test_manual_number_required(api) -> None:
    api.faults("manual_number_required")
    api.set_clock("2025-03-14T09:00:00+07:00")
    doc = api.issue_ok()
    assert (doc["code_number"], doc["so_ky_hieu"]) == (None, None)
    assert doc["doc_code"] == f"{api.ORGAN_ID},2025/03/14,01/QĐ-UBND"
    typed = api.issue_ok(code_number="07")
    assert (typed["code_number"], typed["so_ky_hieu"]) == ("07", "07/QĐ-UBND")
    assert api.fields(api.issue(code_number="7a")) == ["code_number"]


def test_manual_number_accepted(api) -> None:
    api.faults("manual_number_accepted")
    api.set_clock("2025-03-14T09:00:00+07:00")
    auto = api.issue_ok()
    assert (auto["code_number"], auto["so_ky_hieu"]) == ("01", "01/QĐ-UBND")
    typed = api.issue_ok(code_number="987")
    assert (typed["code_number"], typed["so_ky_hieu"]) == ("987", "987/QĐ-UBND")


def test_subject_length_unchecked_up_to_2000(api) -> None:
    api.faults("subject_length_unchecked")
    assert api.issue(subject="ê" * 2000).status_code == 201
    assert api.fields(api.issue(subject="ê" * 2001)) == ["subject"]


def test_organ_id_not_autofilled(api) -> None:
    api.faults("organ_id_not_autofilled")
    doc = api.issue_ok()
    assert doc["organ_id"] is None
    assert doc["doc_code"].startswith(f"{api.ORGAN_ID},")


def test_doc_code_without_date(api) -> None:
    api.faults("doc_code_without_date")
    assert api.issue_ok()["doc_code"] == f"{api.ORGAN_ID},01/QĐ-UBND"


def test_dossier_title_length_unchecked_up_to_5000(api) -> None:
    api.faults("dossier_title_length_unchecked")
    assert api.open_dossier(title="ô" * 5000).status_code == 201
    assert api.fields(api.open_dossier(title="ô" * 5001, file_notation="02.TCCB")) == ["title"]
    assert api.fields(api.open_dossier(title="", file_notation="03.TCCB")) == ["title"]


def test_maintenance_free_text(api) -> None:
    api.faults("maintenance_free_text")
    assert api.open_dossier_ok(maintenance="lâu dài")["maintenance"] == "lâu dài"
    assert api.fields(api.open_dossier(maintenance=" ", file_notation="02.TCCB")) == ["maintenance"]


def test_dossier_start_date_optional(api) -> None:
    api.faults("dossier_start_date_optional")
    api.set_clock("2025-03-14T09:00:00+07:00")
    dossier = api.open_dossier_ok(start_date=api.OMIT)
    assert dossier["start_date"] is None
    assert dossier["file_catalog"] == 2025


def test_file_code_not_unique(api) -> None:
    api.faults("file_code_not_unique")
    first = api.open_dossier_ok()
    second = api.open_dossier_ok()
    assert first["file_code"] == second["file_code"] == f"{api.ORGAN_ID}.2025"
    assert first["id"] != second["id"]


def test_doc_ordinal_not_assigned(api) -> None:
    api.faults("doc_ordinal_not_assigned")
    assert probe_ordinals(api) == [1, 1, 1]


def test_dossier_totals_not_updated(api) -> None:
    api.faults("dossier_totals_not_updated")
    assert probe_totals(api) == (0, 0)


def test_health_clock_skewed_is_two_hours_ahead(api) -> None:
    api.faults("health_clock_skewed")
    api.set_clock("2025-06-01T10:00:00+07:00")
    now = datetime.fromisoformat(api.client.get("/api/health").json()["now"])
    assert now.isoformat().startswith("2025-06-01T12:00")
    assert api.issue_ok()["created_at"].startswith("2025-06-01T10:00")


# --- reset ----------------------------------------------------------------------------------------


def test_reset_wipes_business_data_keeps_users_and_resets_the_clock(api) -> None:
    api.set_clock("2025-03-14T09:00:00+07:00")
    doc = api.issue_ok()
    dossier = api.open_dossier_ok()
    api.attach(dossier["id"], doc["id"])
    response = api.control("POST", "/__control__/reset")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert api.call("GET", f"/api/documents/outgoing/{doc['id']}").status_code == 404
    assert api.call("GET", f"/api/dossiers/{dossier['id']}").status_code == 404
    assert api.call("GET", "/api/me").status_code == 200  # users and sessions survive
    assert not api.client.get("/api/health").json()["now"].startswith("2025-03-14")
    assert api.issue_ok()["code_number"] == "01"
    assert api.open_dossier(start_date="2025-03-14").status_code == 201
