"""Reading a number written in Vietnamese words ("hai mươi mốt" → 21).

Why: forms of NĐ 30 Phụ lục V state totals "bằng số và bằng chữ" (the Mục lục hồ sơ nộp lưu ends with
"gồm … hồ sơ (đơn vị bảo quản)" in figures and in words, TR-011). A judge must check that the words say
the same number as the figure, whatever usual spelling the system chose, so this module reads words
rather than generating one expected spelling: "tư"/"bốn", "lăm"/"nhăm"/"năm", "mốt"/"một", "linh"/"lẻ",
"nghìn"/"ngàn", "bảy"/"bẩy" are all accepted. Anything it cannot read gives ``None``.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["parse_vi_number"]

_DIGITS = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "nhăm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
}
_SCALES = {"nghìn": 1000, "ngàn": 1000, "triệu": 1_000_000, "tỷ": 1_000_000_000, "tỉ": 1_000_000_000}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def parse_vi_number(text: str) -> int | None:
    """The non-negative integer that ``text`` spells in Vietnamese words, or None if it spells none."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).casefold())
    if not words:
        return None
    total = 0
    group = 0  # value below the current scale word (0–999)
    digit: int | None = None  # a digit word not yet placed
    last_scale = None
    seen_tens = False
    for w in words:
        if w in _DIGITS:
            if digit is not None:
                return None  # two digits in a row: not a number
            digit = _DIGITS[w]
        elif w == "trăm":
            if digit is None or group:
                return None
            group, digit, seen_tens = digit * 100, None, False
        elif w == "mươi":
            if digit is None or digit < 2 or seen_tens:
                return None
            group, digit, seen_tens = group + digit * 10, None, True
        elif w == "mười":
            if digit is not None or seen_tens:
                return None
            group, seen_tens = group + 10, True
        elif w in ("linh", "lẻ"):
            if digit is not None or seen_tens or group % 100:
                return None
            seen_tens = True
        elif w in _SCALES:
            scale = _SCALES[w]
            if last_scale is not None and scale >= last_scale:
                return None
            value = group + (digit or 0)
            if value == 0:
                return None
            total, group, digit, seen_tens, last_scale = total + value * scale, 0, None, False, scale
        else:
            return None
    return total + group + (digit or 0)
