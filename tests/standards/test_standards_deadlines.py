"""Nộp lưu deadlines: known values of each reading (OQ-27), and the harness's computation against the
reference's independent one for any date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.standards import deadlines
from refoffice import transfer_rules

D = dt.date


@pytest.mark.parametrize(
    ("rule", "end", "settlement", "due"),
    [
        ("nd30", D(2024, 3, 10), None, D(2025, 3, 10)),
        ("nd30", D(2024, 2, 29), None, D(2025, 2, 28)),
        ("l24", D(2024, 3, 10), None, D(2025, 12, 31)),
        ("l24", D(2024, 12, 31), None, D(2025, 12, 31)),
        ("nd30", D(2024, 3, 10), D(2024, 11, 30), D(2025, 2, 28)),
        ("l24", D(2024, 3, 10), D(2023, 11, 30), D(2024, 2, 29)),
    ],
)
def test_known_due_dates(rule: str, end: D, settlement: D | None, due: D) -> None:
    assert deadlines.due_date(rule, end, settlement) == due


def test_other_limits_and_parsing() -> None:
    assert deadlines.retain_limit(D(2024, 2, 29)) == D(2026, 2, 28)
    assert deadlines.historical_due(D(2026, 12, 5)) == D(2031, 12, 31)
    assert deadlines.parse_day("2026-12-05T23:30:00+07:00") == D(2026, 12, 5)
    assert deadlines.parse_day("05/12/2026") == D(2026, 12, 5)
    assert deadlines.parse_day("31/02/2026") is None and deadlines.parse_day(20261205) is None
    with pytest.raises(ValueError):
        deadlines.due_date("nd20", D(2024, 1, 1))


dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2098, 12, 31))


@given(st.sampled_from(deadlines.RULES), dates, st.none() | dates)
def test_harness_and_reference_agree(rule: str, end: D, settlement: D | None) -> None:
    assert deadlines.due_date(rule, end, settlement) == transfer_rules.due_date(rule, end, settlement)
    due = deadlines.due_date(rule, end, settlement)
    assert deadlines.retain_limit(due) == transfer_rules.retain_limit(due)
    assert deadlines.historical_due(end) == transfer_rules.historical_due(end.year)
