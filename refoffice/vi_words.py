"""Numbers written in Vietnamese words, as totals are stated on NĐ 30 forms ("bằng chữ")."""

from __future__ import annotations

_UNITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_SCALES = ["", "nghìn", "triệu", "tỷ"]


def _triple(n: int, leading: bool) -> list[str]:
    """Words of 0–999; inside a larger number the hundreds are always said ("không trăm linh năm")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    out: list[str] = []
    if hundreds or not leading:
        out += [_UNITS[hundreds], "trăm"]
    if tens == 0:
        if units and out:
            out.append("linh")
    elif tens == 1:
        out.append("mười")
    else:
        out += [_UNITS[tens], "mươi"]
    if units:
        if units == 1 and tens > 1:
            out.append("mốt")
        elif units == 5 and tens:
            out.append("lăm")
        elif units == 4 and tens > 1:
            out.append("tư")
        else:
            out.append(_UNITS[units])
    return out


def in_words(n: int) -> str:
    """``in_words(21) == "hai mươi mốt"``; ``in_words(105) == "một trăm linh năm"``."""
    if n < 0 or n >= 1000**4:
        raise ValueError(n)
    if n == 0:
        return _UNITS[0]
    groups: list[int] = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    words: list[str] = []
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            continue
        words += _triple(g, leading=not words)
        if _SCALES[i]:
            words.append(_SCALES[i])
    return " ".join(words)
