"""Findings and the validation report, with the stable JSON form archives' tooling reads.

Why a fixed shape: an archive runs the validator on every received package and files the JSON next to
the package (TT05 Đ.24.2 "kết quả kiểm tra: đạt / không đạt (với lý do)", TR-033). The JSON Schema of the
output is shipped as ``report.schema.json`` in this package (``report_schema()``); ``FORMAT`` and
``VERSION`` change only when the shape changes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from .rules import rule

__all__ = ["FORMAT", "VERSION", "Finding", "Report", "report_schema", "reports_document"]

FORMAT = "qlvbdh-package-validation"
VERSION = "1.0"

STATUSES = ("valid", "invalid", "refused")


@dataclass(frozen=True)
class Finding:
    """One problem. ``file`` is the package-relative path where it sits (POSIX, NFC), ``xpath`` the element
    or attribute inside that XML file (None when the problem is about a whole file), ``target`` another
    package path involved (e.g. the data file whose checksum a METS entry misstates)."""

    code: str
    severity: str
    message: str
    message_vi: str
    file: str | None = None
    xpath: str | None = None
    target: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def sample_compatible(self) -> bool:
        """True for deviations that match the official TT05 sample (OQ-33)."""
        return self.code.endswith(".sample")

    def to_dict(self) -> dict[str, Any]:
        r = rule(self.code)
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "xpath": self.xpath,
            "target": self.target,
            "message": self.message,
            "message_vi": self.message_vi,
            "rule": {"section": r.section, "source": r.source, "evidence": r.evidence, "title": r.title},
            "sample_compatible": self.sample_compatible,
            "details": dict(self.details),
        }

    def __str__(self) -> str:
        where = self.file or "-"
        if self.xpath:
            where += f" {self.xpath}"
        if self.target:
            where += f" → {self.target}"
        return f"{self.severity.upper():7} {self.code}  {where}\n        {self.message_vi} — {self.message}"


@dataclass(frozen=True)
class Report:
    """Outcome of validating one package or export: ``status`` is ``valid`` (no error), ``invalid`` or
    ``refused`` (unreadable, or refused by the reading limits — exit code 2)."""

    package: str
    kind: str | None
    status: str
    findings: tuple[Finding, ...]
    parameters: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    stats: Mapping[str, int] = field(default_factory=dict, hash=False, compare=False)

    @property
    def valid(self) -> bool:
        return self.status == "valid"

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def codes(self) -> tuple[str, ...]:
        """Codes of all findings, in order (duplicates kept)."""
        return tuple(f.code for f in self.findings)

    @property
    def error_codes(self) -> frozenset[str]:
        return frozenset(f.code for f in self.errors)

    def by_code(self, code: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.code == code)

    @property
    def exit_code(self) -> int:
        """0 valid · 1 invalid · 2 refused/unreadable (the CLI contract)."""
        return {"valid": 0, "invalid": 1, "refused": 2}[self.status]

    def to_dict(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "kind": self.kind,
            "status": self.status,
            "valid": self.valid,
            "exit_code": self.exit_code,
            "summary": {
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                **{k: int(v) for k, v in sorted(self.stats.items())},
            },
            "parameters": dict(self.parameters),
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_json(self, **kw: Any) -> str:
        return json.dumps(reports_document([self]), ensure_ascii=False, **kw)

    def text(self) -> str:
        """Human-readable listing (the CLI's default output)."""
        head = {
            "valid": "HỢP LỆ / valid",
            "invalid": "KHÔNG HỢP LỆ / invalid",
            "refused": "TỪ CHỐI / refused",
        }
        lines = [
            f"{self.package}: {head[self.status]} ({self.kind or 'unknown kind'}; "
            f"{len(self.errors)} error(s), {len(self.warnings)} warning(s))"
        ]
        lines += [f"  {f!s}".replace("\n", "\n  ") for f in self.findings]
        return "\n".join(lines)


def reports_document(reports: Iterable[Report]) -> dict[str, Any]:
    """The top-level JSON document of the CLI: ``{format, version, exit_code, reports: [...]}``."""
    items = [r.to_dict() for r in reports]
    code = max((r["exit_code"] for r in items), default=0)
    return {"format": FORMAT, "version": VERSION, "exit_code": code, "reports": items}


@functools.cache
def report_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of ``reports_document`` output, shipped as ``report.schema.json``."""
    text = resources.files(__package__).joinpath("report.schema.json").read_text(encoding="utf-8")
    return json.loads(text)
