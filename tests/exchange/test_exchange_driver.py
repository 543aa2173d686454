"""The exchange driver against the real reference on the real axis: acts, waits and what it records."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from conformance.drivers.exchange import ExchangeDriver, is_exchange, needs_exclusive
from conformance.embedded import EmbeddedReference
from conformance.evidence.redact import Redactor
from conformance.target import Target, load_target
from tests.conftest import target_for

RUN = {"unique": "24681357", "id": "driver-test"}


@pytest.fixture
def driver(clean_reference: EmbeddedReference, tmp_path: Path) -> ExchangeDriver:
    return ExchangeDriver(load_target(target_for(clean_reference.base_url, tmp_path)), Redactor())


def deliver(driver: ExchangeDriver, **inputs: Any) -> dict[str, Any]:
    rec = driver.perform("exchange.deliver", inputs, None, RUN)
    assert rec["error"] is None, rec["error"]
    return rec


def await_status(driver: ExchangeDriver, d: dict[str, Any], **inputs: Any) -> dict[str, Any]:
    o = d["outputs"]
    return driver.perform(
        "exchange.await_status",
        {"document_id": o["document_id"], "after": o["seq"], "delivery_id": o["delivery_id"], **inputs},
        None,
        RUN,
    )


def test_a_delivered_document_is_answered_01_then_03_and_recorded(driver: ExchangeDriver) -> None:
    d = deliver(driver)
    assert d["package"]["sha256"] == d["outputs"]["sha256"] and "<edXML" in d["package"]["head"]
    assert "text" not in d["package"]  # the harness's own package: hash and header only
    rec = await_status(driver, d, codes=["03"])
    assert rec["outputs"]["codes"] == ["01", "03"], rec
    s = rec["statuses"][1]
    assert s["response_for"]["document_id"] == d["outputs"]["document_id"]
    assert s["package"]["text"].startswith("<?xml")  # the vendor's package, in full, for the judges
    assert rec["vendor"]["organ_id"] == "000.00.00.H49"
    tr = driver.perform("exchange.await_transport", {"delivery_id": d["outputs"]["delivery_id"]}, None, RUN)
    assert tr["outputs"]["transport"] == "done" and tr["outputs"]["fetched"] == 1


def test_the_wait_ends_at_the_acknowledgement_when_a_code_never_comes(driver: ExchangeDriver) -> None:
    d = deliver(driver, to="000.00.12.H99")
    rec = await_status(driver, d, codes=["03"], stop_on=["09"])
    assert rec["outputs"]["codes"] == ["01", "02"] and rec.get("acknowledged") == "done"
    assert rec["outputs"]["waited_s"] < 2.5
    assert rec["timed_out"] is True  # 03 never came: the judge says so


def test_journal_and_marks(driver: ExchangeDriver) -> None:
    mark = driver.perform("exchange.mark", {}, None, RUN)["outputs"]["seq"]
    d = deliver(driver)
    await_status(driver, d, codes=["03"])
    driver.perform("exchange.await_transport", {"delivery_id": d["outputs"]["delivery_id"]}, None, RUN)
    rec = driver.perform("exchange.journal", {"after": mark}, None, RUN)
    ops = rec["outputs"]["ops"]
    assert {"getReceivedEdocList", "getEdoc", "sendEdoc", "updateStatus"} <= set(ops)
    assert rec["outputs"]["refused"] == 0


def test_inject_needs_a_fault_and_clear_works(driver: ExchangeDriver) -> None:
    assert driver.perform("exchange.inject", {}, None, RUN)["error"]
    ok = driver.perform("exchange.inject", {"fail_op": "getEdoc", "times": 1}, None, RUN)
    assert ok["error"] is None
    assert driver.perform("exchange.inject", {"clear": True}, None, RUN)["error"] is None


def test_unknown_operation_and_missing_axis_are_recorded_not_raised(
    clean_reference: EmbeddedReference, tmp_path: Path
) -> None:
    target = load_target(target_for(clean_reference.base_url, tmp_path))
    drv = ExchangeDriver(target, Redactor())
    assert "không tồn tại" in drv.perform("exchange.teleport", {}, None, RUN)["error"]
    assert target.exchange is not None
    dead = dataclasses.replace(target.exchange, url="http://127.0.0.1:9", owner_token="x")
    fields = {f.name: getattr(target, f.name) for f in dataclasses.fields(target)}
    other = Target(**{**fields, "exchange": dead})
    rec = ExchangeDriver(other, Redactor()).perform("exchange.mark", {}, None, RUN)
    assert rec["error"] and "không trả lời" in rec["error"]


def test_operation_classes() -> None:
    assert is_exchange("exchange.deliver") and not is_exchange("document.register_outgoing")
    assert needs_exclusive("exchange.inject") and needs_exclusive("exchange.exclusive")
    assert not needs_exclusive("exchange.deliver")
