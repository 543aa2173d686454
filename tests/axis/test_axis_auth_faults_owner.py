"""HMAC authentication, transport fault injection, peer play and the owner API of the simulated axis."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from pathlib import Path

import pytest
import requests

from conformance.axis import AxisServer, auth
from conformance.axis.client import AxisClient, OwnerClient, OwnerError
from conformance.axis.server import decode_data
from conformance.standards.edxml import model as m
from conformance.standards.edxml import read_package
from tests.axis.conftest import SECRET_A, A, B, World


def _signed(world: World, op: str, body: bytes, **override: str) -> requests.Response:
    headers = auth.sign_headers(A, SECRET_A, body, "application/json")
    headers.update(override)
    return requests.post(f"{world.server.base_url}/{op}", data=body, headers=headers, timeout=5)


def test_wrong_secret_is_rejected(world: World) -> None:
    intruder = AxisClient(world.server.base_url, A, "not-the-secret")
    r = intruder.call("getReceivedEdocList", {"messagetype": "edoc"})
    assert r.status_code == 401 and r.json()["ErrorCode"] == "AUTH_SIGNATURE"
    out = intruder.send_edoc(world.edoc("60"))
    assert out["ErrorCode"] == "AUTH_SIGNATURE"
    assert world.b.received("edoc") == []  # nothing was queued
    refused = [c for c in world.server.axis.journal("call") if c["http"] == 401]
    assert len(refused) == 2 and all(c["agency"] is None for c in refused)


def test_missing_headers_unknown_system_and_stale_or_bad_timestamp_are_rejected(world: World) -> None:
    body = b"{}"
    r = requests.post(f"{world.server.base_url}/getAgenciesList", data=body, timeout=5)
    assert r.json()["ErrorCode"] == "AUTH_MISSING"
    assert (
        _signed(world, "getAgenciesList", body, systemid="nobody").json()["ErrorCode"]
        == "AUTH_UNKNOWN_SYSTEM"
    )
    old = dt.datetime.now(auth.VN) - dt.timedelta(hours=1)
    stamp = auth.format_timestamp(old)
    sig = auth.sign(SECRET_A, A, stamp, "application/json", body)
    r = _signed(world, "getAgenciesList", body, timestamp=stamp, **{auth.HEADER_SIGN: sig})
    assert r.json()["ErrorCode"] == "AUTH_STALE"
    assert (
        _signed(world, "getAgenciesList", body, timestamp="yesterday").json()["ErrorCode"] == "AUTH_TIMESTAMP"
    )


def test_signature_covers_the_body_and_content_type(world: World) -> None:
    headers = auth.sign_headers(A, SECRET_A, b'{"messagetype":"edoc"}', "application/json")
    r = requests.post(
        f"{world.server.base_url}/getReceivedEdocList",
        data=b'{"messagetype":"status"}',
        headers=headers,
        timeout=5,
    )
    assert r.json()["ErrorCode"] == "AUTH_SIGNATURE"
    headers["Content-Type"] = "text/plain"
    r = requests.post(
        f"{world.server.base_url}/getReceivedEdocList",
        data=b'{"messagetype":"edoc"}',
        headers=headers,
        timeout=5,
    )
    assert r.json()["ErrorCode"] == "AUTH_SIGNATURE"


def test_signature_may_be_base64(world: World) -> None:
    body = b"{}"
    headers = auth.sign_headers(A, SECRET_A, body, "application/json")
    headers[auth.HEADER_SIGN] = (
        __import__("base64").b64encode(bytes.fromhex(headers[auth.HEADER_SIGN])).decode()
    )
    r = requests.post(f"{world.server.base_url}/getAgenciesList", data=body, headers=headers, timeout=5)
    assert r.json()["status"] == "OK"


def test_rotated_secret_takes_effect_at_once(world: World) -> None:
    world.owner.credentials(B, "a-new-secret-for-b", system_id="vxp.refoffice.01")
    assert world.b.call("getAgenciesList").json()["ErrorCode"] == "AUTH_SIGNATURE"
    fresh = AxisClient(world.server.base_url, "vxp.refoffice.01", "a-new-secret-for-b")
    assert fresh.call("getAgenciesList").json()["status"] == "OK"


def test_fail_n_times_then_succeed(world: World) -> None:
    world.a.send_edoc(world.edoc("61"))
    item = world.b.received("edoc")[0]
    world.server.axis.fail_next_done(2, agency=B)
    assert world.b.update_status(item["docId"], "processing")["status"] == "OK"  # only done is failed
    for _ in range(2):
        out = world.b.update_status(item["docId"], "done")
        assert out["status"] == "FAIL" and out["ErrorCode"] == "AXIS_UNAVAILABLE"
        assert [i["docId"] for i in world.b.received("edoc")] == [item["docId"]]  # still pending
    assert world.b.update_status(item["docId"], "done")["status"] == "OK"
    assert world.b.received("edoc") == []
    injected = [c for c in world.server.axis.journal("call") if c.get("injected")]
    assert len(injected) == 2


def test_failed_send_queues_nothing(world: World) -> None:
    world.owner.faults(fail={"op": "sendEdoc", "times": 1})
    assert world.a.send_edoc(world.edoc("62"))["status"] == "FAIL"
    assert world.b.received("edoc") == []
    assert world.a.send_edoc(world.edoc("62"))["status"] == "OK"
    assert len(world.b.received("edoc")) == 1


def test_time_out_after_the_call_took_effect(world: World) -> None:
    world.owner.faults(delay={"seconds": 2.0, "ops": ["sendEdoc"], "count": 1})
    slow = AxisClient(world.server.base_url, A, SECRET_A, timeout=0.5)
    with pytest.raises(requests.Timeout):
        slow.send_edoc(world.edoc("63"))
    assert len(world.b.received("edoc")) == 1  # the axis has it although the sender timed out


def test_time_out_before_the_call_took_effect(world: World) -> None:
    world.owner.faults(delay={"seconds": 2.0, "ops": ["sendEdoc"], "count": 1, "before": True})
    slow = AxisClient(world.server.base_url, A, SECRET_A, timeout=0.5)
    with pytest.raises(requests.Timeout):
        slow.send_edoc(world.edoc("64"))
    assert world.b.received("edoc") == []
    time.sleep(2.0)  # the held request is then processed: a late duplicate, as on a real network
    world.owner.faults(clear=True)


def test_relisting_an_acknowledged_package_keeps_its_id(world: World) -> None:
    world.a.send_edoc(world.edoc("65"))
    item = world.b.received("edoc")[0]
    world.b.get_edoc(item["docId"])
    world.b.update_status(item["docId"], "done")
    world.owner.relist(item["docId"])
    again = world.b.received("edoc")
    assert [i["docId"] for i in again] == [item["docId"]]
    d = world.owner.delivery(item["docId"])
    assert d["listed_again"] == 1 and d["fetched"] == 1 and d["listed"] == 2


def test_owner_api_needs_its_token(world: World) -> None:
    with pytest.raises(OwnerError):
        OwnerClient(world.server.base_url, "wrong").mark()
    r = requests.get(world.server.base_url + "/__owner__/mark", timeout=5)
    assert r.status_code == 401


def test_owner_deliver_wait_and_peer_answers(world: World) -> None:
    mark = world.owner.mark()
    view = world.owner.deliver(world.edoc("66"), B, sender=A)
    delivery = view["deliveries"][0]["id"]
    item = world.b.received("edoc")[0]
    assert item["docId"] == delivery and item["from"] == A

    def ack_later() -> None:
        time.sleep(0.3)
        world.b.update_status(delivery, "done")

    threading.Thread(target=ack_later).start()
    d = world.owner.delivery(delivery, states=["done", "fail"], wait=5)
    assert d["transport"] == "done"
    # the vendor (B) answers with 01; the harness waits for it after its mark
    original = read_package(world.b.get_edoc(delivery), load_attachments=False)
    assert isinstance(original, m.DocumentPackage)
    from conformance.axis.peers import build_status

    world.b.send_edoc(
        build_status(original, world.server.axis.agency(B).organization(), "01"), messagetype="status"
    )
    got = world.owner.messages(sender=B, messagetype="status", after=mark, count=1, wait=5)
    assert len(got) == 1 and got[0]["status_code"] == "01"
    assert got[0]["document_id"] == original.message_header.document_id
    assert read_package(decode_data(got[0]), load_attachments=False).status_code == "01"
    assert [
        d["business"][0]["code"] for d in world.owner.messages(sender=A, after=mark)[0]["deliveries"]
    ] == ["01"]


def test_owner_recall_and_peer_status(world: World) -> None:
    view = world.owner.deliver(world.edoc("67"), B, sender=A)
    recall = world.owner.recall(view["deliveries"][0]["id"], reason="gửi nhầm")
    assert recall["status_code"] == "13" and recall["sender"] == A
    statuses = world.b.received("status")
    assert statuses[0]["statusCode"] == "13"
    # the vendor B sends A a document; A (a peer played by the harness) answers 03 then 05
    sent = world.b.send_edoc(world.edoc("68").replace(b"000.00.00.H99", b"000.00.00.H4Z"), sender=B)
    assert sent["status"] == "FAIL"  # a package From A sent by B is refused
    out = world.b.send_edoc(_swap(world.edoc("68")), sender=B)
    assert out["status"] == "OK", out
    world.owner.peer_status(out["DocId"], "03")
    world.owner.peer_status(out["receivers"][0]["docId"], "05", description="Đang xử lý")
    codes = [s["statusCode"] for s in world.b.received("status")]
    assert codes == ["13", "03", "05"]
    assert world.b.sent("edoc")[0]["statusCodes"] == ["03", "05"]


def _swap(pkg: bytes) -> bytes:
    """A's package turned into one B sends A."""
    return (
        pkg.replace(b"000.00.00.H99", b"@@")
        .replace(b"000.00.00.H49", b"000.00.00.H99")
        .replace(b"@@", b"000.00.00.H49")
    )


def test_owner_journal_after_mark_and_faults_clear(world: World) -> None:
    mark = world.owner.mark()
    world.b.call("getAgenciesList")
    entries = world.owner.journal(after=mark, kind="call", agency=B)
    assert [e["op"] for e in entries] == ["getAgenciesList"]
    world.owner.faults(fail={"op": "getAgenciesList", "times": 5})
    assert world.b.call("getAgenciesList").status_code == 503
    world.owner.faults(clear=True)
    assert world.b.call("getAgenciesList").status_code == 200
    with pytest.raises(OwnerError):
        world.owner.request("POST", "nothing")
    with pytest.raises(OwnerError):
        world.owner.deliver(b"<x/>", "000.99.99.H98")


def test_owner_can_deliver_garbage(world: World) -> None:
    view = world.owner.deliver(b"\x00not xml at all", B, sender=A, messagetype="edoc")
    item = world.b.received("edoc")[0]
    assert item["docId"] == view["deliveries"][0]["id"]
    assert world.b.get_edoc(item["docId"]) == b"\x00not xml at all"
    assert json.loads(json.dumps(view))["sender"] == A


def test_a_client_hanging_up_is_not_a_traceback(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """A connector stopped mid-request leaves a broken pipe: nothing on the console; any other error
    in a request is one line, never a traceback."""
    with AxisServer(journal_dir=tmp_path / "journal") as server:
        httpd = server._httpd
        try:
            raise BrokenPipeError(32, "Broken pipe")
        except BrokenPipeError:
            httpd.handle_error(None, ("127.0.0.1", 1))
        assert capfd.readouterr().err == ""
        try:
            raise ValueError("không đọc được")
        except ValueError:
            httpd.handle_error(None, ("127.0.0.1", 1))
        err = capfd.readouterr().err
        assert "Traceback" not in err and err.count("\n") == 1 and "ValueError: không đọc được" in err
