"""The exchange judges decide from records alone: built here by hand, so every failure path is reached."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from conformance.axis import mutants, peers
from conformance.judges.registry import get_judge
from conformance.standards.edxml import model as m
from refoffice.pdf_signatures import PdfSignatures, make_pdf

ROOT = Path(__file__).resolve().parents[2]
PKI = ROOT / "fixtures" / "pki"
VENDOR = {"organ_id": "000.00.00.H99", "organ_name": "UBND tỉnh Thử Nghiệm", "system_id": "x"}


def run(name: str, rec: Any, **params: Any) -> tuple[bool, str]:
    spec = get_judge(name)
    assert spec is not None
    f = spec.fn(rec, **params)
    return f.ok, f.message


def statuses(*codes: str, description: str = "lý do") -> dict[str, Any]:
    return {
        "operation": "exchange.await_status",
        "save": "tt",
        "error": None,
        "statuses": [{"code": c, "description": description} for c in codes],
        "expect": {"document_id": "D", "so_ky_hieu": "1/UBND", "peer": "P"},
    }


def test_status_codes_each_rule() -> None:
    assert run("status_codes", statuses("01", "03"), include=["03"], exclude=["02"], first="01")[0]
    assert not run("status_codes", statuses("03"), first="01")[0]
    assert not run("status_codes", statuses("01", "02"), exclude=["02"])[0]
    assert not run("status_codes", statuses("06", "05"), order=["05", "06"])[0]
    assert run("status_codes", statuses("05", "06"), order=["05", "06"])[0]
    assert not run("status_codes", statuses("01", "03", "01"), once=["01"])[0]
    assert not run("status_codes", statuses("02", description=" "), described=["02"])[0]
    assert not run("status_codes", statuses("01"), none=True)[0]
    assert run("status_codes", statuses(), none=True)[0]
    assert not run("status_codes", statuses("01"), any_of=["15", "16"])[0]
    assert not run("status_codes", {**statuses("01"), "error": "trục không chạy"}, include=["01"])[0]


def test_status_response_for_and_staff() -> None:
    rec = statuses("03")
    rec["statuses"][0]["response_for"] = {"document_id": "D", "code": "1/UBND", "organ_id": "P"}
    assert run("status_response_for", rec, fields=["document_id", "code", "organ_id"])[0]
    rec["statuses"][0]["response_for"]["code"] = "UBND"
    ok, msg = run("status_response_for", rec, fields=["document_id", "code"])
    assert not ok and "ResponseFor/code" in msg
    assert not run("status_staff_info", rec)[0]
    rec["statuses"][0]["staff"] = {"department": "Văn thư", "staff": "B"}
    assert run("status_staff_info", rec)[0]


def test_status_timely_needs_vietnam_time_and_the_same_day() -> None:
    vn = dt.timezone(dt.timedelta(hours=7))
    at = dt.datetime(2026, 3, 14, 15, 0, tzinfo=vn)
    delivery = {"operation": "exchange.deliver", "error": None, "outputs": {"delivered_at": at.isoformat()}}
    ok_rec = statuses("01")
    ok_rec["statuses"][0].update(sent_time=at.isoformat(), timestamp=at.replace(tzinfo=None).isoformat())
    spec = get_judge("status_timely")
    assert spec is not None
    assert spec.fn([delivery, ok_rec]).ok
    utc = statuses("01")
    utc["statuses"][0].update(
        sent_time=at.isoformat(), timestamp=(at - dt.timedelta(hours=7)).replace(tzinfo=None).isoformat()
    )
    assert not spec.fn([delivery, utc]).ok
    late = statuses("01")
    nxt = at + dt.timedelta(days=1)
    late["statuses"][0].update(sent_time=nxt.isoformat(), timestamp=nxt.replace(tzinfo=None).isoformat())
    assert not spec.fn([delivery, late]).ok


def test_transport_and_journal() -> None:
    rec = {
        "operation": "exchange.await_transport",
        "error": None,
        "outputs": {"transport": "pending", "fetched": 3},
    }
    assert not run("transport_status", rec, expect=["done"])[0]
    rec["outputs"]["transport"] = "done"
    assert run("transport_status", rec, expect=["done"])[0]
    assert not run("transport_status", rec, expect=["done"], max_fetches=1)[0]
    journal = {
        "operation": "exchange.journal",
        "error": None,
        "entries": [
            {"op": "getReceivedEdocList", "http": 200, "messagetype": "edoc"},
            {"op": "getEdoc", "http": 401, "error": "AUTH_SIGNATURE"},
        ],
    }
    assert not run("journal_calls", journal, messagetypes=["edoc", "status"])[0]
    assert run("journal_calls", journal, messagetypes=["edoc"], min_refused=1)[0]
    assert not run("journal_calls", journal, no_refused=True)[0]


def sent(package: bytes, **extra: Any) -> dict[str, Any]:
    return {
        "operation": "exchange.sent",
        "save": "goi_tin",
        "error": None,
        "vendor": VENDOR,
        "packages": [
            {
                "doc_id": "x",
                "sent_time": "2026-03-14T10:30:00+07:00",
                "package": {"text": package.decode()},
                **extra,
            }
        ],
    }


PEER = m.Organization("000.00.00.H99", "UBND tỉnh Thử Nghiệm")
ME = m.Organization("000.00.00.H49", "UBND tỉnh Quảng Ninh")


def test_package_judges_read_the_recorded_package() -> None:
    pkg = peers.build_edoc(
        PEER, [ME], number="05", notation="UBND-VP", attachments=mutants.attachment("unsigned_pdf")
    )
    rec = sent(pkg)
    assert run("package_valid", rec)[0]
    assert run("package_organ_ids", rec)[0]
    assert not run("package_organ_ids", {**rec, "vendor": {"organ_id": "000.00.00.H49"}})[0]
    assert run("package_attachments", rec, main_type="application/pdf")[0]
    checks = [
        {"path": "MessageHeader/DocumentId", "grammar": "document_id"},
        {"path": "TraceHeaderList/Bussiness/BussinessDocType", "equals": "0"},
        {"path": "MessageHeader/To/OrganId", "count": 1, "distinct": True},
    ]
    assert run("package_fields", rec, checks=checks)[0]
    ok, msg = run(
        "package_fields", rec, checks=[{"path": "TraceHeaderList/Bussiness/DocumentId", "present": True}]
    )
    assert not ok and "thiếu" in msg
    broken = mutants.variant("content_id_mismatch", pkg)
    assert not run("package_attachments", sent(broken))[0]
    assert not run("package_valid", sent(broken))[0]
    assert not run("sent_count", {**rec, "packages": []}, min=1)[0]


def test_pdf_signature_judge_wants_personal_then_organisation() -> None:
    signer = PdfSignatures(PKI)
    params = {
        "trust_roots": ["fixtures/pki/root-ca.cert.pem"],
        "crls": ["fixtures/pki/root-ca.crl", "fixtures/pki/issuing-ca.crl"],
    }
    good = [m.Attachment("cid:1", "a.pdf", "application/pdf", signer.sign(make_pdf(["x"])))]
    assert run("package_pdf_signatures", sent(peers.build_edoc(PEER, [ME], attachments=good)), **params)[0]
    swapped = [
        m.Attachment(
            "cid:1", "a.pdf", "application/pdf", signer.sign(make_pdf(["x"]), ("organisation", "personal"))
        )
    ]
    ok, msg = run("package_pdf_signatures", sent(peers.build_edoc(PEER, [ME], attachments=swapped)), **params)
    assert not ok and "order" in msg
    unsigned = peers.build_edoc(PEER, [ME], attachments=mutants.attachment("unsigned_pdf"))
    assert not run("package_pdf_signatures", sent(unsigned), **params)[0]


def test_values_across_steps() -> None:
    recs = [{"outputs": {"n": v}} for v in (7, 8, 9)]
    spec = get_judge("outputs_consecutive")
    assert spec is not None and spec.fn(recs, output="n").ok
    assert not spec.fn([{"outputs": {"n": 7}}, {"outputs": {"n": 9}}], output="n").ok
    same = get_judge("outputs_same")
    assert same is not None
    assert same.fn([{"outputs": {"h": "a"}}, {"outputs": {"h": "a"}}], output="h").ok
    assert not same.fn([{"outputs": {"h": "a"}}, {"outputs": {"h": None}}], output="h").ok
