"""The profile model: what a criterion is once its YAML has been checked."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

AREAS: dict[str, dict[str, str]] = {
    "gui-nhan": {"vi": "Gửi, nhận văn bản điện tử", "en": "Sending and receiving e-documents"},
    "lap-ho-so": {"vi": "Lập hồ sơ điện tử", "en": "Electronic dossier creation"},
    "luu-tru": {"vi": "Lưu trữ điện tử", "en": "Electronic archiving"},
    "nop-luu": {"vi": "Nộp lưu", "en": "Transfer to the archive"},
}
LEVELS: dict[str, dict[str, str]] = {
    "bat-buoc": {"vi": "Bắt buộc", "en": "Mandatory"},
    "khuyen-nghi": {"vi": "Khuyến nghị", "en": "Recommended"},
}


# What identifies a criterion to a reader (reports, results, profile diffs), as opposed to its check.
DESCRIPTIVE_KEYS = (
    "title",
    "area",
    "level",
    "channel",
    "severity",
    "evidence_mark",
    "legal_basis",
    "conditional",
)


@dataclass(frozen=True)
class LegalBasis:
    instrument: str
    article: str
    clause: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "article": self.article,
            "clause": self.clause,
            "note": self.note,
        }

    def __str__(self) -> str:
        return ", ".join(p for p in (self.article, self.clause, self.instrument) if p)


@dataclass(frozen=True)
class Step:
    """One step of a check: a call of an abstract operation, or a judge over saved calls."""

    kind: str  # "call" | "judge"
    name: str  # operation or judge name
    index: int
    line: int | None
    params: dict[str, Any] = field(default_factory=dict)
    role: str | None = None
    save: str | None = None
    on: tuple[str, ...] = ()
    because: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "with": self.params,
            "as": self.role,
            "save": self.save,
            "on": list(self.on),
            "because": self.because,
        }


@dataclass(frozen=True)
class Criterion:
    id: str
    title: dict[str, str]
    area: str
    level: str
    channel: str
    severity: str
    legal_basis: tuple[LegalBasis, ...]
    evidence_mark: str
    conditional: bool
    features: tuple[str, ...]
    steps: tuple[Step, ...]
    source: str
    line: int | None
    guidance: dict[str, str] | None = None
    requirement: dict[str, str] | None = None
    external_refs: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()  # other catalogue rows this criterion verifies (coverage of the law)

    @property
    def automated(self) -> bool:
        return self.channel != "manual"

    @property
    def mandatory(self) -> bool:
        return self.level == "bat-buoc"

    def calls(self) -> list[Step]:
        return [s for s in self.steps if s.kind == "call"]

    def judges(self) -> list[Step]:
        return [s for s in self.steps if s.kind == "judge"]

    def digest(self, which: str = "all", parameters: dict[str, Any] | None = None) -> str:
        """SHA-256 of the criterion's acts ("calls"), judgements ("judges") or everything."""
        from conformance.templating import references

        steps = self.steps if which == "all" else [s for s in self.steps if s.kind + "s" == which]
        used = {dotted.split(".")[0] for s in steps for ns, dotted in references(s.params) if ns == "param"}
        params = {k: v for k, v in (parameters or {}).items() if k in used}
        blob = json.dumps(
            {"steps": [s.as_dict() for s in steps], "params": params},
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )
        return hashlib.sha256(blob.encode()).hexdigest()

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "area": self.area,
            "level": self.level,
            "channel": self.channel,
            "severity": self.severity,
            "evidence_mark": self.evidence_mark,
            "conditional": self.conditional,
            "features": list(self.features),
            "legal_basis": [lb.as_dict() for lb in self.legal_basis],
            "guidance": self.guidance,
            "covers": list(self.covers),
            "source": f"{self.source}:{self.line}",
        }


@dataclass
class Profile:
    id: str
    version: str
    title: dict[str, str]
    regime: str
    valid_as_of: str
    path: str
    parameters: dict[str, Any]
    criteria: dict[str, Criterion]
    files: list[str]
    sha256: str
    extends: str | None = None

    def header(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "regime": self.regime,
            "valid_as_of": self.valid_as_of,
            "path": self.path,
            "sha256": self.sha256,
            "extends": self.extends,
        }
