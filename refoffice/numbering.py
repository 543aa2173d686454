"""Số văn bản đi: one counter per series per calendar year (NĐ 30 Điều 15.1–15.2).

Numbers start at 1 on 1 January of the system clock's year and run to 31 December.
Secret documents (`mat`) and each type of VBQPPL have a series of their own, so they
never consume an ordinary number.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from refoffice.models import OutgoingDocument

THUONG = "thuong"
MAT = "mat"

# Types of văn bản quy phạm pháp luật (Luật Ban hành VBQPPL); each gets its own series.
VBQPPL_SERIES = (
    "Hiến pháp",
    "Bộ luật",
    "Luật",
    "Pháp lệnh",
    "Lệnh",
    "Nghị định",
    "Thông tư",
    "Thông tư liên tịch",
    "Nghị quyết QPPL",
    "Nghị quyết liên tịch",
    "Quyết định QPPL",
)

_BY_FOLDED = {name.casefold(): name for name in (THUONG, MAT, *VBQPPL_SERIES)}


def canonical_series(value: str) -> str | None:
    """The canonical series name for `value` (case-insensitive), or None if unknown."""
    return _BY_FOLDED.get(value.casefold())


def default_series(type_name: str) -> str:
    """A VBQPPL type name selects its own series; everything else is numbered in `thuong`."""
    name = canonical_series(type_name)
    return name if name in VBQPPL_SERIES else THUONG


def next_seq(session: Session, series: str, year: int, *, continuous: bool = False) -> int:
    """The next number of `series` in `year`; `continuous` ignores the year (a fault)."""
    query = select(func.max(OutgoingDocument.number_seq)).where(OutgoingDocument.series == series)
    if not continuous:
        query = query.where(OutgoingDocument.number_year == year)
    return (session.scalar(query) or 0) + 1


def render_number(seq: int, *, padded: bool = True) -> str:
    """Arabic digits, zero-padded to two digits below 10 (NĐ 30 PL I Phần I II.3)."""
    return f"{seq:02d}" if padded else str(seq)


def so_ky_hieu(code_number: str, code_notation: str) -> str:
    """`05/QĐ-UBND`: "/" between số and ký hiệu, no spaces."""
    return f"{code_number}/{code_notation}"
