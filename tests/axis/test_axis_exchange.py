"""The SDK-shaped operations of the simulated axis over real HTTP: send, list, get, acknowledge, report."""

from __future__ import annotations

import base64
import json
import threading
import time

import requests

from conformance.axis import auth
from conformance.axis.peers import build_status
from conformance.standards.edxml import model as m
from conformance.standards.edxml import read_package
from tests.axis.conftest import A, B, World


def test_send_list_get_acknowledge_round_trip(world: World) -> None:
    pkg = world.edoc("45")
    sent = world.a.send_edoc(pkg)
    assert sent["status"] == "OK", sent
    items = world.b.received("edoc")
    assert [i["from"] for i in items] == [A]
    assert items[0]["notation"] == "45/UBND-KGVX"
    assert world.b.get_edoc(items[0]["docId"]) == pkg  # byte-for-byte what A sent
    assert world.b.update_status(items[0]["docId"], "done")["status"] == "OK"
    assert world.b.received("edoc") == []  # acknowledged: no longer listed
    rows = world.a.sent("edoc")
    assert len(rows) == 1 and rows[0]["receiveStatus"] == "done" and rows[0]["toCode"] == B
    assert rows[0]["receivedTime"] and rows[0]["senderDocId"] == sent["DocId"]


def test_one_package_to_two_recipients_is_queued_per_recipient(world: World) -> None:
    world.a.send_edoc(world.edoc("46", to=[B, "000.00.12.H99"]))
    assert len(world.b.received("edoc")) == 1
    assert len(world.server.axis.inbox("000.00.12.H99", "edoc", pending=True)) == 1
    assert {r["toCode"] for r in world.a.sent()} == {B, "000.00.12.H99"}


def test_status_package_is_routed_back_to_the_sender_and_listed_by_type(world: World) -> None:
    pkg = world.edoc("47")
    world.a.send_edoc(pkg)
    original = read_package(pkg, load_attachments=False)
    assert isinstance(original, m.DocumentPackage)
    status = build_status(original, world.server.axis.agency(B).organization(), "03")
    out = world.b.send_edoc(status, messagetype="status", sender=B)
    assert out["status"] == "OK", out
    assert world.a.received("edoc") == []
    listed = world.a.received("status")
    assert len(listed) == 1 and listed[0]["statusCode"] == "03" and listed[0]["messagetype"] == "status"
    assert world.a.sent("edoc")[0]["statusCodes"] == ["03"]


def test_status_package_declared_as_edoc_is_refused(world: World) -> None:
    pkg = world.edoc("48")
    world.a.send_edoc(pkg)
    original = read_package(pkg, load_attachments=False)
    assert isinstance(original, m.DocumentPackage)
    status = build_status(original, world.server.axis.agency(B).organization(), "01")
    out = world.b.send_edoc(status, messagetype="edoc", sender=B)
    assert out["ErrorCode"] == "MESSAGETYPE_MISMATCH"


def test_agency_lists_carry_both_code_forms(world: World) -> None:
    legacy = {r["code102"]: r for r in world.a.agencies()}
    qd20 = {r["code102"]: r for r in world.a.agencies(qd20=True)}
    assert legacy[B]["code"] == B and qd20[B]["code"] == "H49"
    assert qd20["000.01.12.H99"]["code"] == "H99.12.01" and qd20["000.01.12.H99"]["level"] == 3
    r = world.a.call("getAgenciesListQD20", {"level": 1})
    assert {x["code"] for x in r.json()["data"]} >= {"H99", "G22", "H49"}
    assert all(x["level"] == 1 for x in r.json()["data"])
    assert world.a.call("getAgenciesListQD20", {"level": "x"}).status_code == 400


def test_recipient_named_by_its_qd20_code_is_routed(world: World) -> None:
    ax = world.server.axis
    pkg = world.edoc("49", to=[B])
    pkg = pkg.replace(b"<edXML:OrganId>000.00.00.H49</edXML:OrganId>", b"<edXML:OrganId>H49</edXML:OrganId>")
    assert world.a.send_edoc(pkg)["status"] == "OK"
    assert len(ax.inbox(B, "edoc", pending=True)) == 1


def test_strict_axis_refuses_an_invalid_package_with_every_finding(world: World) -> None:
    world.server.axis.strict = True
    bad = (
        world.edoc("50")
        .replace(b"<edXML:Subject>", b"<edXML:Subjekt>")
        .replace(b"</edXML:Subject>", b"</edXML:Subjekt>")
    )
    out = world.a.send_edoc(bad)
    assert out["status"] == "FAIL" and out["ErrorCode"] == "INVALID_PACKAGE"
    assert any("Subject" in f["xpath"] or "Subject" in f["message_en"] for f in out["findings"])
    assert world.b.received("edoc") == []
    refused = [e for e in world.server.axis.journal("package") if e.get("refused")]
    assert len(refused) == 1


def test_default_axis_carries_an_imperfect_package_but_never_an_unreadable_one(world: World) -> None:
    imperfect = (
        world.edoc("50")
        .replace(b"<edXML:Subject>", b"<edXML:Subjekt>")
        .replace(b"</edXML:Subject>", b"</edXML:Subjekt>")
    )
    assert world.a.send_edoc(imperfect)["status"] == "OK"  # the judges, not the axis, find it wrong
    assert len(world.b.received("edoc")) == 1
    for bad in (b"not xml at all", b'<!DOCTYPE x [<!ENTITY a "b">]><edXML/>', b"<other/>"):
        out = world.a.send_edoc(bad)
        assert out["ErrorCode"] == "INVALID_PACKAGE", out
    assert len(world.b.received("edoc")) == 1


def test_package_from_another_agency_is_refused(world: World) -> None:
    out = world.b.send_edoc(world.edoc("51", to=["000.00.12.H99"]), sender=B)
    assert out["ErrorCode"] == "FROM_MISMATCH"


def test_unknown_recipient_is_refused(world: World) -> None:
    pkg = world.edoc("52").replace(b"000.00.00.H49", b"000.00.77.H98")
    assert world.a.send_edoc(pkg)["ErrorCode"] == "UNKNOWN_RECIPIENT"


def test_send_edoc_as_json_with_base64_data(world: World) -> None:
    pkg = world.edoc("53")
    r = world.a.call("sendEdoc", {"messagetype": "edoc", "data": base64.b64encode(pkg).decode()})
    assert r.json()["status"] == "OK"
    r = world.a.call("sendEdoc", {"messagetype": "edoc", "data": "%%%"})
    assert r.status_code == 400


def test_get_and_acknowledge_only_own_deliveries(world: World) -> None:
    world.a.send_edoc(world.edoc("54"))
    item = world.b.received("edoc")[0]
    assert world.a.call("getEdoc", {"docId": item["docId"]}).status_code == 404
    assert world.a.update_status(item["docId"], "done")["ErrorCode"] == "NOT_FOUND"
    assert world.b.update_status(item["docId"], "read")["ErrorCode"] == "BAD_STATUS"
    r = world.b.call("downloadEdoc", {"docId": item["docId"]})
    assert r.headers["content-type"] == "application/xml" and r.content.startswith(b"<?xml")


def test_fail_ack_keeps_the_package_out_of_the_list_and_is_recorded(world: World) -> None:
    world.a.send_edoc(world.edoc("55"))
    item = world.b.received("edoc")[0]
    world.b.update_status(item["docId"], "fail", "gói tin hỏng")
    assert world.b.received("edoc") == []
    row = world.a.sent()[0]
    assert row["receiveStatus"] == "fail" and row["receiveStatusDesc"] == "gói tin hỏng"


def test_counts_and_unknown_operation(world: World) -> None:
    world.a.send_edoc(world.edoc("56"))
    assert world.b.call("countReceiveEdoc").json()["total"] == 1
    assert world.b.call("countReceiveStatus").json()["total"] == 0
    assert world.b.call("noSuchOp").status_code == 404
    assert (
        world.b.call("getReceivedEdocList", {"messagetype": "fax"}).json()["ErrorCode"] == "BAD_MESSAGETYPE"
    )


def test_long_poll_returns_as_soon_as_a_package_arrives(world: World) -> None:
    def later() -> None:
        time.sleep(0.3)
        world.a.send_edoc(world.edoc("57"))

    threading.Thread(target=later).start()
    t0 = time.monotonic()
    items = world.b.received("edoc", wait=5)
    took = time.monotonic() - t0
    assert len(items) == 1 and took < 3, took


def test_long_poll_on_edoc_ends_when_a_status_package_arrives(world: World) -> None:
    pkg = world.edoc("58")
    world.b.send_edoc(pkg.replace(b"000.00.00.H99", b"000.00.00.H4X"), sender=B)  # refused, no effect
    world.a.send_edoc(pkg)
    original = read_package(pkg, load_attachments=False)
    assert isinstance(original, m.DocumentPackage)

    def later() -> None:
        time.sleep(0.3)
        world.b.send_edoc(
            build_status(original, world.server.axis.agency(B).organization(), "01"), messagetype="status"
        )

    threading.Thread(target=later).start()
    t0 = time.monotonic()
    assert world.a.received("edoc", wait=5) == []
    assert time.monotonic() - t0 < 3
    assert len(world.a.received("status")) == 1


def test_long_poll_gives_up_after_its_wait(world: World) -> None:
    t0 = time.monotonic()
    assert world.b.received("edoc", wait=0.4) == []
    assert 0.3 < time.monotonic() - t0 < 3


def test_stop_wakes_a_long_poll(world: World) -> None:
    out: list[float] = []

    def poll() -> None:
        t0 = time.monotonic()
        try:
            world.b.received("edoc", wait=20)
        except requests.RequestException:
            pass
        out.append(time.monotonic() - t0)

    t = threading.Thread(target=poll)
    t.start()
    time.sleep(0.3)
    world.server.stop()
    t.join(5)
    assert out and out[0] < 5


def test_oversized_and_chunked_bodies_are_refused(world: World) -> None:
    world.server.max_body = 1000
    r = requests.post(world.server.base_url + "/sendEdoc", data=b"x" * 2000, timeout=5)
    assert r.status_code == 413
    r = requests.post(
        world.server.base_url + "/sendEdoc", data=iter([b"x" * 10]), timeout=5
    )  # a generator body goes out chunked
    assert r.status_code == 411


def test_journal_records_every_call_and_stores_each_package_once(world: World) -> None:
    pkg = world.edoc("59")
    world.a.send_edoc(pkg)
    world.a.send_edoc(pkg)
    world.b.received("edoc")
    calls = world.server.axis.journal("call")
    assert [c["op"] for c in calls] == ["sendEdoc", "sendEdoc", "getReceivedEdocList"]
    assert calls[0]["agency"] == A and calls[0]["outcome"] == "OK" and calls[0]["ms"] >= 0
    sink = world.server.axis._journal.sink
    assert sink is not None
    lines = (sink / "journal.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == len(world.server.axis.journal())
    assert all(json.loads(x)["seq"] for x in lines)
    assert len(list((sink / "packages").iterdir())) == 1


def test_timestamp_header_round_trip() -> None:
    when = auth.parse_timestamp(auth.format_timestamp())
    assert when is not None
    assert auth.parse_timestamp("14032025T093015+0123") is not None
    assert auth.parse_timestamp("2025-03-14T09:30:15") is None
    assert auth.parse_timestamp("31022025T093015+0000") is None
