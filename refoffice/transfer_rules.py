"""Rules of nộp lưu that do not need the database: deadlines, who must submit what, file checks.

- Deadline to the agency archive (NĐ 30 Đ.30.2.b; Luật Lưu trữ 2024 Đ.17; OQ-27): ``nd30`` is 01 year from
  the day the work ended (EndDate + 1 year); ``l24`` is "tối đa 01 năm, tính từ năm kết thúc công việc",
  read as 31/12 of the year after EndDate. Hồ sơ xây dựng cơ bản: 03 months from the project's final
  settlement (Đ.30.2.a). The agency chooses its rule; a request may name it.
- Keeping a dossier past its due date (Đ.31.3.d): written approval of the head, at most 02 years.
- Only dossiers kept 05 years or more are submitted (Đ.31.3.c).
- Historical archive (Luật Lưu trữ 2024 Đ.17): at most 05 years counted from the year of submission to
  the agency archive, read as 31/12 of that year + 5.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from refoffice.tt05_codes import is_permanent, retention_years

RULES = ("nd30", "l24")
MIN_RETENTION_YEARS = 5
RETAIN_MAX_YEARS = 2
HISTORICAL_YEARS = 5
XDCB_MONTHS = 3

# The EICAR anti-virus test string, assembled so that no scanner flags this source file itself.
_EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()

# First bytes of the formats the reference stores (TT05 PL III: PDF for documents, office formats).
_MAGIC = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "tif": (b"II*\x00", b"MM\x00*"),
    "tiff": (b"II*\x00", b"MM\x00*"),
}


def add_years(d: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later, or the last day of that month when it is shorter."""
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def due_date(rule: str, end_date: date, xdcb_settlement: date | None = None) -> date:
    """The day by which a closed dossier must reach the agency archive."""
    if xdcb_settlement is not None:
        return add_months(xdcb_settlement, XDCB_MONTHS)
    if rule == "l24":
        return date(end_date.year + 1, 12, 31)
    return add_years(end_date, 1)


def retain_limit(due: date) -> date:
    """The latest day a dossier may be kept past its due date (Đ.31.3.d)."""
    return add_years(due, RETAIN_MAX_YEARS)


def historical_due(accepted_year: int) -> date:
    """The last day to transfer a permanent dossier to the historical archive (L24 Đ.17)."""
    return date(accepted_year + HISTORICAL_YEARS, 12, 31)


def must_submit(maintenance: str | None) -> bool:
    """Đ.31.3.c: dossiers kept permanently or for 05 years or more go to the agency archive."""
    if is_permanent(maintenance):
        return True
    years = retention_years(maintenance)
    return years is not None and years >= MIN_RETENTION_YEARS


def file_problem(name: str, seen: Scan, *, virus_scan: bool = True) -> str | None:
    """Why a stored file fails the acceptance check (TT05 Đ.24.2, Ch.IV), or None when it passes."""
    if virus_scan and seen.eicar:
        return f"Tệp {name} chứa mã độc (mẫu kiểm thử EICAR), không được tiếp nhận"
    if not seen.head:
        return f"Tệp {name} rỗng"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    magic = _MAGIC.get(ext)
    if magic is not None and not seen.head.lstrip().startswith(magic):
        return f"Nội dung tệp {name} không đúng định dạng {ext.upper()}"
    if ext == "pdf" and b"%%EOF" not in seen.tail:
        return f"Tệp PDF {name} không toàn vẹn (thiếu dấu kết thúc %%EOF)"
    return None


@dataclass(frozen=True)
class Scan:
    """One streamed pass over a file: its first bytes, SHA-256, and whether the EICAR string occurs."""

    head: bytes
    tail: bytes
    sha256: str
    eicar: bool


def scan(chunks: Iterable[bytes]) -> Scan:
    """Read a file once, in chunks (the EICAR string is also found across chunk borders)."""
    h = hashlib.sha256()
    head, tail, tail_kept, found = b"", b"", b"", False
    for c in chunks:
        tail_kept = (tail_kept + c)[-1024:]
        h.update(c)
        if len(head) < 16:
            head = (head + c)[:16]
        if not found and _EICAR in tail + c:
            found = True
        tail = (tail + c)[-len(_EICAR) :]
    return Scan(head, tail_kept, h.hexdigest(), found)
