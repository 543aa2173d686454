"""What a QLVBĐH shows a person: registers, their print forms, and the labels of its forms.

NĐ 30/2020 Phụ lục IV gives the columns of each register (sổ đăng ký văn bản đi, đến, theo dõi giải
quyết) and the cover of the printed book [R]; Phụ lục VI Phần II names each input field [R]. The law
does not dictate the exact words a screen prints, so a system's heading or label counts when, after
normalisation (NFC, case, spacing, the usual required-field marks, the abbreviations "VB" and "HS"),
it equals the appendix's name or one of the spellings listed in ``data/display.yaml`` [I].

A signature's status is read the same way: the law (NĐ 30 Điều 21.2.a–b) asks that authenticity and
integrity be checked, not for set words, so ``signature_status`` sorts what a screen says into
valid, invalid or unsigned by the phrases Vietnamese systems use [I].
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ._common import load_data, nfc
from .metadata import field_table

__all__ = [
    "Register",
    "accepted_labels",
    "column_problems",
    "label_matches",
    "normalise_label",
    "register",
    "signature_status",
]

_MARKS = re.compile(r"\s*(?:\(\s*\*\s*\)|\*|:)\s*$")
_ABBREVIATIONS = ((re.compile(r"\bVB\b"), "văn bản"), (re.compile(r"\bHS\b"), "hồ sơ"))


def normalise_label(text: object) -> str:
    """A heading or label reduced to what identifies it: NFC, abbreviations expanded, marks and case gone."""
    s = nfc(str(text or "")).strip()
    for pattern, full in _ABBREVIATIONS:
        s = pattern.sub(full, s)
    s = re.sub(r"\s+", " ", s)
    while True:
        stripped = _MARKS.sub("", s)
        if stripped == s:
            break
        s = stripped
    return s.strip().casefold()


@dataclass(frozen=True)
class Register:
    """One register of NĐ 30 Phụ lục IV: its columns (each with accepted spellings) and its cover."""

    kind: str
    title_vi: str
    source: str
    evidence: str
    columns: tuple[tuple[str, ...], ...]
    cover: tuple[str, ...]

    def column_names(self) -> tuple[str, ...]:
        """The appendix's name of each column, in order."""
        return tuple(c[0] for c in self.columns)


@functools.cache
def register(kind: str) -> Register:
    """Register ``kind``: ``so_di``, ``so_den`` or ``so_theo_doi`` (``KeyError`` otherwise)."""
    raw = load_data("display.yaml")["registers"][kind]
    return Register(
        kind=kind,
        title_vi=raw["title_vi"],
        source=raw["source"],
        evidence=raw["evidence"],
        columns=tuple(tuple(nfc(n) for n in col) for col in raw["columns"]),
        cover=tuple(nfc(c) for c in raw.get("cover") or ()),
    )


def column_problems(headings: Iterable[object], kind: str) -> list[str]:
    """What is wrong with a register's headings: missing columns, then columns out of the appendix's order.

    Extra headings (column numbers "(1)", a row number, a checkbox column) are allowed.
    """
    reg = register(kind)
    seen = [normalise_label(h) for h in headings]
    positions: list[tuple[int, str]] = []
    missing = []
    for col in reg.columns:
        wanted = {normalise_label(n) for n in col}
        where = next((i for i, h in enumerate(seen) if h in wanted), None)
        if where is None:
            missing.append(f"thiếu cột «{col[0]}»")
        else:
            positions.append((where, col[0]))
    if missing:
        return missing
    out = []
    for (a, name_a), (b, name_b) in itertools.pairwise(positions):
        if b < a:
            out.append(f"cột «{name_b}» đứng trước «{name_a}», khác thứ tự của {reg.source}")
    return out


def accepted_labels(table: str, field: str, regime: str | int = "2020") -> tuple[str, ...]:
    """The labels that name PL VI field ``field`` of ``table`` (its appendix name first, then variants)."""
    spec = field_table(table, regime).field(field)
    variants = (load_data("display.yaml").get("labels") or {}).get(table, {}).get(spec.stt, [])
    return (spec.name_vi, *(nfc(v) for v in variants))


def label_matches(text: object, accepted: Sequence[str]) -> bool:
    """True when ``text`` names the same thing as one of ``accepted`` (after ``normalise_label``)."""
    got = normalise_label(text)
    return bool(got) and got in {normalise_label(a) for a in accepted}


# Phrases that say a signature (or a document's signatures) does not hold, or that there is none.
# Checked before the "valid" ones, since "không hợp lệ" contains "hợp lệ" [I].
_INVALID = (
    "không hợp lệ", "không toàn vẹn", "bị sửa", "bị thay đổi", "thu hồi", "hết hạn", "hết hiệu lực",
    "không tin cậy", "không được tin cậy", "không xác thực", "sai chữ ký", "chữ ký sai", "lỗi",
    "invalid", "revoked", "expired", "untrusted", "modified",
)  # fmt: skip
_UNSIGNED = ("không có chữ ký", "chưa ký", "chưa được ký", "not signed", "unsigned", "no signature")
_VALID = ("hợp lệ", "toàn vẹn", "đã xác thực", "valid")


def signature_status(text: object) -> str | None:
    """``invalid``, ``unsigned`` or ``valid`` for what a screen says of a signature; None when unclear."""
    s = re.sub(r"\s+", " ", nfc(str(text or ""))).strip().casefold()
    if not s:
        return None
    for kind, phrases in (("invalid", _INVALID), ("unsigned", _UNSIGNED), ("valid", _VALID)):
        if any(p in s for p in phrases):
            return kind
    return None
