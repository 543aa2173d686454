"""The rules of area 2 as data: field lengths per legal regime, code grammars, heading numerals.

Which regime governs a dossier is decided by its thời gian bắt đầu: a dossier formed from
01/7/2025 (Luật Lưu trữ 2024 and TT 05/2025/TT-BNV in force) may carry the longer TT 05/2025 tiêu
đề (1000) and ghi chú (2000) that its SIP package will hold; an older one keeps the NĐ 30/2020 PL VI
Phần II.III lengths (500, 500). Every other field keeps its NĐ 30 length in both regimes.

Written independently of ``conformance.standards`` on purpose (the reference never imports the
harness): the two must agree because both follow the law, not because they share code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Luật Lưu trữ 2024, NĐ 113/2025 and TT 05/2025/TT-BNV took effect on this day.
REGIME_2025_FROM = date(2025, 7, 1)


@dataclass(frozen=True)
class DossierLimits:
    """Maximum lengths (characters, NFC) of the dossier fields of NĐ 30 PL VI Phần II.III."""

    regime: str
    title: int
    description: int
    maintenance: int = 30
    rights: int = 30
    creator: int = 30
    language: int = 50
    file_notation: int = 20


LIMITS_2020 = DossierLimits(regime="2020", title=500, description=500)
# TT 05/2025 Phụ lục III, EAD of SIP_hoso: title String(1000), description String(2000).
LIMITS_2025 = DossierLimits(regime="2025", title=1000, description=2000)
# What the `dossier_title_length_unchecked` / `dossier_description_length_unchecked` faults let through.
UNCHECKED_MAX = 5000


def limits_for(start_date: date | None, today: date | None = None) -> DossierLimits:
    """The limits of the regime in force on the dossier's start date (``today`` when it has none)."""
    day = start_date or today or date.today()
    return LIMITS_2025 if day >= REGIME_2025_FROM else LIMITS_2020


# Số và ký hiệu hồ sơ: số thứ tự from 01, ".", ký hiệu of the đề mục lớn (NĐ 30 PL V I.2).
# ASCII digits only (Python's \\d would also take other scripts' digits); at least two, not all zero.
FILE_NOTATION_RE = re.compile(r"^(?!0+\.)[0-9]{2,}\.[A-ZĐ][A-ZĐ0-9-]*$")
# Chữ viết tắt of a đề mục lớn: upper case letters, digits and "-"; it ends up after "NN." in a
# FileNotation of at most 20 characters, so it has at most 17.
HEADING_ABBR_RE = re.compile(r"^[A-ZĐ][A-ZĐ0-9-]{0,16}$")
# Thời hạn bảo quản: "Vĩnh viễn" or a positive number of years (NĐ 30 PL V I.4); "05 năm" is the
# spelling of Đ.31.3.c and is accepted, stored as "5 năm".
MAINTENANCE_RE = re.compile(r"^(?:(?P<forever>vĩnh viễn)|(?P<years>[0-9]+) năm)$", re.IGNORECASE)
PERMANENT = "Vĩnh viễn"

DOC_ORDINAL_MAX = 999  # DocOrdinal is Number(3)
TOTAL_MAX = 9999  # DocTotal and PageTotal are Number(4)

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def roman(n: int) -> str:
    """Đề mục lớn are numbered with Roman numerals (NĐ 30 PL V I.1)."""
    if n < 1:
        raise ValueError("Roman numerals start at 1")
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def canonical_maintenance(value: str) -> str | None:
    """``Vĩnh viễn`` or ``<n> năm`` in canonical spelling; None when the value is neither."""
    match = MAINTENANCE_RE.match(value)
    if match is None or (match["years"] is not None and int(match["years"]) == 0):
        return None
    return PERMANENT if match["forever"] else f"{int(match['years'])} năm"


def notation(ordinal: int, abbreviation: str) -> str:
    """``01.TCCB``: the ordinal zero-padded to two digits, then the đề mục lớn abbreviation."""
    return f"{ordinal:02d}.{abbreviation}"
