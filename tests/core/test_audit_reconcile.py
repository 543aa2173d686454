"""Audit-trail reconciliation: each missing, altered or extra entry is named on its own."""

from __future__ import annotations

from typing import Any

from conformance.drivers.http import extract
from conformance.judges.audit import audit_reconciles, log_unchanged

T = "2031-05-04T10:00:{:02d}+07:00"


def call(save: str, op: str, actor: str, second: int, status: int = 200, **inputs: Any) -> dict[str, Any]:
    outputs = inputs.pop("outputs", {})
    return {
        "kind": "call",
        "save": save,
        "operation": op,
        "actor": actor,
        "inputs": inputs,
        "outputs": outputs,
        "started_at": T.format(second),
        "response": {"status": status},
    }


def entry(i: int, op: str, actor: str, second: int, kind: str | None, oid: Any, outcome: str = "success"):
    return {
        "id": i,
        "at": T.format(second),
        "actor": actor,
        "action": op,
        "object_type": kind,
        "object_id": oid,
        "outcome": outcome,
    }


def log(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "save": "nhat_ky",
        "operation": "audit.list",
        "response": {"status": 200},
        "outputs": {"entries": entries},
    }


JOURNAL = [
    call("dang_ky", "document.register_outgoing", "vanthu", 1, 201, outputs={"id": 7}),
    call("xem", "document.read", "chuyenvien", 2, id=7),
    call("bi_tu_choi", "document.read", "chuyenvien2", 3, 404, id=7),
    call("dang_nhap_sai", "auth.login_attempt", None, 4, 401, username="chuyenvien", password="x"),
]
GOOD = [
    entry(1, "document.register_outgoing", "vanthu", 1, "document", 7),
    entry(2, ["document.read", "document.get_outgoing"], "chuyenvien", 2, "document", 7),
    entry(3, ["document.read"], "chuyenvien2", 3, "document", 7, "denied"),
    entry(4, ["session.login", "auth.login_attempt"], "chuyenvien", 4, None, None, "denied"),
]


def test_a_complete_log_reconciles() -> None:
    f = audit_reconciles([*JOURNAL, log(GOOD)], log="nhat_ky", tolerance_s=5)
    assert f.ok, f.message
    assert "4/4" in f.message


def test_a_missing_entry_is_named() -> None:
    f = audit_reconciles([*JOURNAL, log([e for e in GOOD if e["id"] != 3])], log="nhat_ky", tolerance_s=5)
    assert not f.ok
    assert "THIẾU «bi_tu_choi»" in f.message and "chuyenvien2" in f.message and "document#7" in f.message
    assert f.message.count("THIẾU") == 1


def test_an_altered_entry_names_the_field() -> None:
    altered = [dict(e) for e in GOOD]
    altered[1]["actor"] = "quantri"
    altered[3]["at"] = "2031-05-04T03:00:04+07:00"  # seven hours early
    f = audit_reconciles([*JOURNAL, log(altered)], log="nhat_ky", tolerance_s=5)
    assert not f.ok
    assert "SAI «xem»" in f.message and "'quantri' thay vì 'chuyenvien'" in f.message
    assert "SAI «dang_nhap_sai»" in f.message and "lệch 25200 s" in f.message


def test_an_extra_entry_on_a_journal_object_is_named() -> None:
    extra = [*GOOD, entry(9, ["document.read"], "lanhdao", 3, "document", 7)]
    f = audit_reconciles([*JOURNAL, log(extra)], log="nhat_ky", tolerance_s=5)
    assert not f.ok and "THỪA bản ghi #9" in f.message and "lanhdao" in f.message


def test_entries_of_a_former_holder_of_a_reused_id_are_not_extra() -> None:
    earlier = [entry(0, "document.register_outgoing", "vanthu", 0, "document", 7), *GOOD]
    f = audit_reconciles([*JOURNAL, log(earlier)], log="nhat_ky", tolerance_s=5)
    assert f.ok, f.message


def test_log_unchanged_names_deleted_and_edited_entries() -> None:
    before = log(GOOD)
    after = log([{**GOOD[0], "actor": "x"}, *GOOD[2:]])
    f = log_unchanged([before, after])
    assert not f.ok and "#1 đã bị sửa (actor)" in f.message and "#2 đã bị xóa" in f.message


def test_projection_maps_vendor_vocabulary() -> None:
    doc = {"items": [{"who": "a", "act": "VIEW", "ok": "Y"}, {"who": "b", "act": "OTHER", "ok": "N"}]}
    spec = {
        "each": "/items",
        "fields": {"actor": "/who", "action": "/act", "outcome": "/ok"},
        "map": {"action": {"VIEW": ["document.read"]}, "outcome": {"Y": "success", "N": "denied"}},
    }
    assert extract(doc, spec) == [
        {"actor": "a", "action": ["document.read"], "outcome": "success"},
        {"actor": "b", "action": "OTHER", "outcome": "denied"},
    ]
    assert extract(doc, {"each": "/items", "value": "/who"}) == ["a", "b"]
