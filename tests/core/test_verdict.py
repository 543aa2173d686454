"""The verdict rules of DESIGN §4, one test per rule."""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.catalogue.model import Criterion, LegalBasis
from conformance.errors import EXIT_DAT, EXIT_HARNESS, EXIT_INCOMPLETE, EXIT_KHONG_DAT
from conformance.verdict import Attestation, Waiver, overall, settle


def crit(cid: str = "DS-006", *, conditional: bool = False, channel: str = "api") -> Criterion:
    return Criterion(
        id=cid,
        title={"vi": "t", "en": "t"},
        area="lap-ho-so",
        level="bat-buoc",
        channel=channel,
        severity="legal",
        legal_basis=(LegalBasis("NĐ 30/2020/NĐ-CP", "Điều 29"),),
        evidence_mark="R",
        conditional=conditional,
        features=(),
        steps=(),
        source="x.yaml",
        line=1,
    )


def row(cid: str, result: str, *, area: str = "lap-ho-so", level: str = "bat-buoc") -> dict[str, str]:
    return {"id": cid, "area": area, "level": level, "result": result}


TODAY = dt.date(2026, 11, 25)


def test_all_pass_is_dat() -> None:
    v = overall([row("DS-006", "pass"), row("DS-007", "pass")])
    assert v.overall == "DAT" and v.exit_code == EXIT_DAT


def test_one_mandatory_fail_is_khong_dat() -> None:
    v = overall([row("DS-006", "pass"), row("DS-007", "fail")])
    assert v.overall == "KHONG_DAT" and v.exit_code == EXIT_KHONG_DAT
    assert any("DS-007" in r for r in v.reasons)


def test_recommended_fail_does_not_block() -> None:
    v = overall([row("DS-006", "pass"), row("SR-074", "fail", level="khuyen-nghi")])
    assert v.overall == "DAT"
    assert any("SR-074" in r for r in v.reasons)


def test_all_skipped_mandatory_area_is_not_dat() -> None:
    v = overall(
        [
            row("DS-006", "pass"),
            row("SR-061", "skipped", area="gui-nhan"),
            row("SR-063", "skipped", area="gui-nhan"),
        ]
    )
    assert v.overall == "CHUA_DU_CAN_CU" and v.exit_code == EXIT_INCOMPLETE
    assert {a["area"]: a["verdict"] for a in v.areas}["gui-nhan"] == "CHUA_DU_CAN_CU"


def test_area_where_nothing_ran_never_passes() -> None:
    v = overall([row("DS-006", "pass"), row("SR-061", "not_applicable", area="gui-nhan")])
    assert {a["area"]: a["verdict"] for a in v.areas}["gui-nhan"] == "CHUA_DU_CAN_CU"
    assert v.overall != "DAT"


def test_no_criteria_is_not_dat() -> None:
    assert overall([]).overall == "CHUA_DU_CAN_CU"


def test_incomplete_run_is_never_dat() -> None:
    assert overall([row("DS-006", "pass")], complete=False).overall == "CHUA_DU_CAN_CU"


def test_harness_error_invalidates_the_run() -> None:
    v = overall([row("DS-006", "pass"), row("DS-007", "error")])
    assert v.overall == "CHUA_DU_CAN_CU" and v.exit_code == EXIT_HARNESS


def test_waived_mandatory_failure_is_dat_and_listed() -> None:
    w = Waiver("DS-007", "Giám đốc Sở", "Đang nâng cấp, hoàn thành trong quý I", dt.date(2027, 3, 31))
    s = settle(crit("DS-007"), "fail", "lỗi", waiver=w, today=TODAY)
    assert s.result == "waived" and s.waiver == w.as_dict()
    assert overall([row("DS-006", "pass"), row("DS-007", s.result)]).overall == "DAT"


def test_expired_waiver_is_not_honoured() -> None:
    w = Waiver("DS-007", "Giám đốc Sở", "Hết hạn rồi", dt.date(2026, 1, 1))
    s = settle(crit("DS-007"), "fail", "lỗi", waiver=w, today=TODAY)
    assert s.result == "fail" and "hết hạn" in s.message and s.waiver is None


def test_waiver_does_not_touch_a_pass() -> None:
    w = Waiver("DS-007", "A", "không cần", dt.date(2027, 1, 1))
    assert settle(crit("DS-007"), "pass", "ok", waiver=w, today=TODAY).result == "pass"


def test_not_applicable_on_non_conditional_criterion_is_refused() -> None:
    s = settle(crit(conditional=False), "not_applicable", "không có tính năng", today=TODAY)
    assert s.result == "skipped" and "không có điều kiện" in s.message


def test_not_applicable_on_conditional_criterion_is_kept() -> None:
    assert settle(crit(conditional=True), "not_applicable", "x", today=TODAY).result == "not_applicable"


def test_attestation_turns_a_manual_criterion_into_attested() -> None:
    a = Attestation("DS-002", "Nguyễn Văn A", "Đã kiểm tra theo hướng dẫn", "bien-ban.pdf", TODAY)
    s = settle(crit("DS-002", channel="manual"), "skipped", "thủ công", attestation=a, today=TODAY)
    assert s.result == "attested" and s.attestation == a.as_dict()


def test_attestation_never_overrides_a_failure() -> None:
    a = Attestation("DS-006", "Nguyễn Văn A", "Tôi thấy ổn", "bien-ban.pdf", TODAY)
    assert settle(crit(), "fail", "lỗi", attestation=a, today=TODAY).result == "fail"


@pytest.mark.parametrize("bogus", ["passed", "", "PASS"])
def test_unknown_raw_result_is_a_harness_error(bogus: str) -> None:
    assert settle(crit(), bogus, "x", today=TODAY).result == "error"
