"""Result type, NFC helpers and the lazy YAML loader shared by the standards modules.

Kept private so that the public modules stay small and the result shape is the same everywhere:
judges read ``ok``/``problems``/``warnings`` without knowing which grammar produced them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

__all__ = ["Findings", "Result", "is_nfc", "load_data", "message", "nfc", "prepare"]

# Stable problem code at the start of a message: "[skh.padding] …" (this module's own format) [I]
_CODE = re.compile(r"^\[([a-z0-9_.]+)\]")


def nfc(value: str) -> str:
    """NFC-normalise: lengths and comparisons are defined on NFC text (brief; TCVN 6909 Unicode)."""
    return unicodedata.normalize("NFC", value)


def is_nfc(value: str) -> bool:
    """True when ``value`` is already NFC (a decomposed input is a warning, not a failure)."""
    return unicodedata.is_normalized("NFC", value)


def message(code: str, vi: str, en: str) -> str:
    """Format one finding: stable code, Vietnamese text, English gloss."""
    return f"[{code}] {vi} — {en}"


@dataclass(frozen=True, kw_only=True)
class Result:
    """Outcome of one check: ``ok`` is False iff there is at least one problem.

    ``problems`` are hard findings; ``warnings`` are advisory (S/I-marked details, tolerated
    deviations, non-NFC input). Both are tuples so that results are immutable and hashable.
    """

    ok: bool
    value: str
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """Stable codes of all problems, then all warnings (for precise assertions)."""
        out = []
        for text in (*self.problems, *self.warnings):
            m = _CODE.match(text)
            if m:
                out.append(m.group(1))
        return tuple(out)

    @property
    def problem_codes(self) -> tuple[str, ...]:
        """Stable codes of the problems only."""
        return tuple(m.group(1) for t in self.problems if (m := _CODE.match(t)))


class Findings:
    """Mutable collector used while checking; frozen into a ``Result`` at the end."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.warnings: list[str] = []

    def problem(self, code: str, vi: str, en: str) -> None:
        self.problems.append(message(code, vi, en))

    def warn(self, code: str, vi: str, en: str) -> None:
        self.warnings.append(message(code, vi, en))

    def merge(self, other: Result, prefix: str = "") -> None:
        """Take over the findings of a sub-check (e.g. the organ part of a DocumentId)."""
        self.problems.extend(prefix + p for p in other.problems)
        self.warnings.extend(prefix + w for w in other.warnings)

    def frozen(self) -> dict[str, Any]:
        """Keyword arguments for a ``Result`` subclass."""
        return {"ok": not self.problems, "problems": tuple(self.problems), "warnings": tuple(self.warnings)}


def prepare(value: object, findings: Findings, what: str) -> str | None:
    """Return the NFC text of ``value`` or record why it cannot be checked."""
    if not isinstance(value, str):
        findings.problem(
            "type", f"{what} phải là chuỗi ký tự, nhận {type(value).__name__}", f"{what} must be a string"
        )
        return None
    if not is_nfc(value):
        findings.warn(
            "nfc",
            f"{what} chưa ở dạng Unicode NFC, đã chuẩn hoá trước khi kiểm tra",
            f"{what} is not NFC; normalised before checking",
        )
    return nfc(value)


@functools.cache
def load_data(name: str) -> Any:
    """Load ``data/<name>`` once (lazily, never at import time) and return the parsed YAML."""
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)
