"""Nộp lưu deadlines, computed the way the law reads (for judges, and for archives' own tools).

- Agency archive (lưu trữ cơ quan / lưu trữ hiện hành), OQ-27 with both readings as a profile parameter
  ``nop_luu_due_rule``: ``nd30`` — "trong thời hạn 01 năm kể từ ngày công việc kết thúc" (NĐ 30/2020
  Điều 30.2.b) → EndDate + 1 year (29 February → 28 February); ``l24`` — "tối đa 01 năm, tính từ năm kết
  thúc công việc" (Luật Lưu trữ 2024 Điều 17) → 31 December of the year after EndDate [I].
- Hồ sơ xây dựng cơ bản: "03 tháng kể từ ngày công trình được quyết toán" (NĐ 30 Điều 30.2.a) →
  settlement + 3 calendar months (the last day of a shorter month) [I for the month arithmetic].
- Keeping a dossier past its due date: at most 02 years (NĐ 30 Điều 31.3.d) → due + 2 years.
- Historical archive: "tối đa 05 năm tính từ năm nộp lưu vào lưu trữ hiện hành" (Luật Lưu trữ 2024
  Điều 17, S) → 31 December of (year of acceptance + 5) [I].
"""

from __future__ import annotations

import calendar
import datetime as dt

__all__ = ["RULES", "add_months", "add_years", "due_date", "historical_due", "parse_day", "retain_limit"]

RULES = ("nd30", "l24")


def add_years(d: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (29 February → 28 February)."""
    if d.month == 2 and d.day == 29 and not calendar.isleap(d.year + years):
        return dt.date(d.year + years, 2, 28)
    return dt.date(d.year + years, d.month, d.day)


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the last day of that month when it has fewer days."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(d.day, last))


def due_date(rule: str, end: dt.date, settlement: dt.date | None = None) -> dt.date:
    """Due date of submission to the agency archive; a construction dossier follows its settlement."""
    if settlement is not None:
        return add_months(settlement, 3)
    if rule == "nd30":
        return add_years(end, 1)
    if rule == "l24":
        return dt.date(end.year + 1, 12, 31)
    raise ValueError(f"unknown deadline rule {rule!r} (nd30, l24)")


def retain_limit(due: dt.date) -> dt.date:
    """The latest day a dossier may be kept by its unit past the due date."""
    return add_years(due, 2)


def historical_due(accepted: dt.date) -> dt.date:
    """The last day to transfer a permanent dossier accepted on ``accepted`` to the historical archive."""
    return dt.date(accepted.year + 5, 12, 31)


def parse_day(value: object) -> dt.date | None:
    """A calendar day from ``YYYY-MM-DD``, ``DD/MM/YYYY`` or an ISO 8601 timestamp (its local date)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) > 10:
            return dt.datetime.fromisoformat(text).date()
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
