"""The clock contract: time-dependent criteria run only with a test clock; without one they wait for
an evaluator's attestation — never not-applicable, never a silent pass."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from conformance.catalogue.loader import load_profile
from conformance.embedded import EmbeddedReference
from conformance.engine import Engine
from conformance.evidence.redact import Redactor
from conformance.target import load_target
from conformance.verdict import Attestation, overall, settle
from tests.conftest import ROOT, target_for

CLOCK_CRITERIA = ["SR-061", "AR-011", "AR-044"]


def _engine(reference: EmbeddedReference, tmp_path: Path, features: list[str]) -> tuple[Engine, object]:
    path = target_for(reference.base_url, tmp_path)
    data = yaml.safe_load(path.read_text("utf-8"))
    data["capabilities"]["features"] = features
    if "test_clock" not in features:  # a system without a test clock binds no clock operation
        data["operations"].pop("clock.set", None)
        data["operations"].pop("clock.reset", None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    profile = load_profile(ROOT / "profiles" / "vn-2020")
    return Engine(profile, load_target(path), tmp_path / "run", "clock", Redactor()), profile


def test_without_a_test_clock_time_criteria_need_attestation(clean_reference, tmp_path: Path) -> None:
    engine, profile = _engine(clean_reference, tmp_path, [])
    rows = []
    for cid in CLOCK_CRITERIA:
        c = profile.criteria[cid]
        outcome = engine.run(c)
        assert outcome.raw == "skipped", (cid, outcome.raw, outcome.message)
        assert "test_clock" in outcome.message and "xác nhận của người đánh giá" in outcome.message
        assert not outcome.evidence, "nothing may be done to the system for a criterion that cannot run"
        settled = settle(c, outcome.raw, outcome.message)
        assert settled.result == "skipped"
        rows.append({"id": cid, "area": c.area, "level": c.level, "result": settled.result})
        attested = settle(
            c,
            outcome.raw,
            outcome.message,
            attestation=Attestation(
                cid, "Người đánh giá", "Đã kiểm tra sổ hai năm", "bb.pdf", dt.date(2026, 1, 1)
            ),
        )
        assert attested.result == "attested"
    verdict = overall(rows)
    assert verdict.overall == "CHUA_DU_CAN_CU", "a missing test clock must never certify time rules"


def test_with_a_test_clock_they_run(clean_reference, tmp_path: Path) -> None:
    engine, profile = _engine(clean_reference, tmp_path, ["test_clock"])
    for cid in CLOCK_CRITERIA:
        outcome = engine.run(profile.criteria[cid])
        assert outcome.raw == "pass", (cid, outcome.message)


def test_a_truly_optional_feature_still_gives_not_applicable(clean_reference, tmp_path: Path) -> None:
    """Only test facilities change the outcome; an optional function of the law stays conditional."""
    from conformance.catalogue.operations import facility_features

    assert facility_features() == {"test_clock"}
    engine, profile = _engine(clean_reference, tmp_path, [])
    c = profile.criteria["AR-011"]
    optional = type(c)(**{**c.__dict__, "id": "AR-011", "features": ("mobile_app",), "conditional": True})
    assert engine.run(optional).raw == "not_applicable"
