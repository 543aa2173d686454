"""Coverage of the law: every catalogue row of a profile's regime, with what verifies it or why not.

A row is verified by the criteria whose ID is the row's ID (``SR-061`` or a split ``SR-061a``) and
by any criterion that declares ``covers: [SR-061]``. A row without a criterion must have a reason in
the profile's reasons file (``coverage.yaml`` beside ``profile.yaml``; schema
``coverage.schema.json``): a justified kind (manual only, not testable black-box, out of scope,
legal basis unsettled) or ``gap``, which says plainly that a criterion is still missing. A row
with neither is *unaccounted*, the one state the test suite does not accept.

A reasons file may ``extends:`` another (vn-2025 extends vn-2020); inherited reasons for rows
outside the profile's regime are ignored, while a profile's own reason for such a row, or for a row
that does not exist, is an error with its file and line. A reason for a row that now has a
criterion is *stale*: ``coverage`` warns and names the line to delete.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.catalogue.law import LawRow, row_of, rows, rows_of_regime
from conformance.catalogue.model import Profile
from conformance.catalogue.yamlsrc import display_path, load_yaml
from conformance.errors import ConfigError

REASONS_FILE = "coverage.yaml"

# Reasons a row has no criterion. ``gap`` is the honest "not yet": shown as a gap everywhere.
REASON_KINDS: dict[str, dict[str, Any]] = {
    "manual-only": {
        "vi": "Chỉ người đánh giá kiểm tra được",
        "en": "Manual only",
        "short": "chỉ thủ công",
        "gap": False,
    },
    "not-black-box": {
        "vi": "Không kiểm tra được từ bên ngoài hệ thống",
        "en": "Not testable black-box",
        "short": "không hộp đen",
        "gap": False,
    },
    "out-of-scope": {
        "vi": "Ngoài phạm vi chứng nhận",
        "en": "Out of scope",
        "short": "ngoài phạm vi",
        "gap": False,
    },
    "unsettled": {
        "vi": "Căn cứ pháp lý chưa đủ rõ để kiểm tra",
        "en": "Legal basis unsettled",
        "short": "chưa đủ căn cứ",
        "gap": False,
    },
    "gap": {
        "vi": "KHOẢNG TRỐNG: chưa có tiêu chí",
        "en": "GAP: no criterion yet",
        "short": "KHOẢNG TRỐNG",
        "gap": True,
    },
}
COVERED: dict[str, dict[str, str]] = {
    "automated": {"vi": "Kiểm tra tự động", "en": "Automated", "short": "tự động"},
    "manual": {"vi": "Tiêu chí thủ công", "en": "Manual criterion", "short": "thủ công"},
}
UNACCOUNTED = {
    "vi": "THIẾU: không có tiêu chí, không có lý do",
    "en": "MISSING: no criterion, no reason",
    "short": "THIẾU",
}
STATUSES = (*COVERED, *REASON_KINDS, "unaccounted")


def status_label(status: str) -> dict[str, str]:
    """Label of a coverage status: ``vi``, ``en`` and a ``short`` Vietnamese one for tables."""
    if status in COVERED:
        return COVERED[status]
    if status in REASON_KINDS:
        return {k: REASON_KINDS[status][k] for k in ("vi", "en", "short")}
    return UNACCOUNTED


@dataclass(frozen=True)
class Reason:
    row: str
    kind: str
    note: dict[str, str] | None
    see: str | None
    file: str
    line: int | None
    inherited: bool

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "note": self.note, "see": self.see, "source": self.where}


@dataclass(frozen=True)
class Verifier:
    """A criterion that verifies a row: by its own ID or by ``covers``."""

    id: str
    channel: str
    level: str
    via: str  # "id" | "covers"

    @property
    def automated(self) -> bool:
        return self.channel != "manual"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "channel": self.channel,
            "level": self.level,
            "automated": self.automated,
            "via": self.via,
        }


@dataclass
class CoverageRow:
    row: LawRow
    criteria: list[Verifier]
    reason: Reason | None

    @property
    def status(self) -> str:
        if self.criteria:
            return "automated" if any(v.automated for v in self.criteria) else "manual"
        return self.reason.kind if self.reason else "unaccounted"

    @property
    def stale(self) -> bool:
        """A reason the profile itself gives for a row that now has a criterion."""
        return bool(self.criteria and self.reason and not self.reason.inherited)

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.row.as_dict(),
            "status": self.status,
            "gap": self.status == "unaccounted" or REASON_KINDS.get(self.status, {}).get("gap", False),
            "criteria": [v.as_dict() for v in self.criteria],
            "reason": self.reason.as_dict() if self.reason else None,
            "stale_reason": self.stale,
        }


@dataclass
class Coverage:
    """The coverage table of one profile and what is wrong with it."""

    profile: dict[str, Any]
    regime: str
    reasons_file: str | None
    rows: list[CoverageRow]
    outside_regime: list[tuple[str, str]] = field(default_factory=list)  # (criterion, row)
    orphans: list[str] = field(default_factory=list)  # criteria naming no catalogue row

    @property
    def unaccounted(self) -> list[str]:
        return [r.row.id for r in self.rows if r.status == "unaccounted"]

    @property
    def stale(self) -> list[Reason]:
        return [r.reason for r in self.rows if r.stale and r.reason]

    @property
    def gaps(self) -> list[str]:
        return [r.row.id for r in self.rows if REASON_KINDS.get(r.status, {}).get("gap")]

    def counts(self) -> dict[str, int]:
        c = Counter(r.status for r in self.rows)
        return {s: c.get(s, 0) for s in STATUSES}

    def warnings(self) -> list[str]:
        """Stale reasons (with the line to delete), criteria outside the regime, orphan criteria."""
        out = [
            f"{r.where}: {r.row}: lý do đã cũ, dòng {r.row} đã có tiêu chí — xóa dòng này "
            f"(stale reason: {r.row} now has a criterion; delete this line)"
            for r in self.stale
        ]
        out += [
            f"tiêu chí {cid} kiểm tra dòng {rid} không thuộc chế độ {self.regime} "
            f"(criterion verifies a row outside the regime)"
            for cid, rid in self.outside_regime
        ]
        out += [
            f"tiêu chí {cid} không ứng với dòng nào của danh mục (criterion names no catalogue row)"
            for cid in self.orphans
        ]
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "regime": self.regime,
            "reasons_file": self.reasons_file,
            "catalogue_rows": len(rows()),
            "counts": self.counts(),
            "unaccounted": self.unaccounted,
            "gaps": self.gaps,
            "stale_reasons": [r.as_dict() | {"row": r.row} for r in self.stale],
            "outside_regime": [{"criterion": c, "row": r} for c, r in self.outside_regime],
            "orphan_criteria": self.orphans,
            "warnings": self.warnings(),
            "rows": [r.as_dict() for r in self.rows],
        }


def load_reasons(path: Path, regime: str) -> dict[str, Reason]:
    """The reasons of a file and of the files it extends; every problem with its file and line."""
    return _load_reasons(path, regime, (), inherited=False)


def _load_reasons(path: Path, regime: str, stack: tuple[Path, ...], *, inherited: bool) -> dict[str, Reason]:
    from conformance.catalogue.loader import schema_problems

    real = path.resolve()
    if real in stack:
        chain = " → ".join(str(p) for p in (*stack, real))
        raise ConfigError.one(display_path(path), None, "extends", f"kế thừa vòng tròn: {chain}")
    src = load_yaml(path)
    if not isinstance(src.data, dict):
        raise ConfigError([src.problem((), "tệp lý do phải là một ánh xạ (mapping)")])
    problems = schema_problems(src, "coverage")
    if problems:
        raise ConfigError(problems)
    out: dict[str, Reason] = {}
    if src.data.get("extends"):
        base = path.parent / src.data["extends"]
        if not base.exists():
            raise ConfigError([src.problem(("extends",), f"không tìm thấy {src.data['extends']}")])
        out.update(_load_reasons(base, regime, (*stack, real), inherited=True))
    known = rows()
    problems = []
    text = path.read_text("utf-8").splitlines()
    for rid, entry in (src.data.get("reasons") or {}).items():
        key = ("reasons", rid)
        line = _key_line(text, rid, src.line_of(key))
        row = known.get(rid)
        if row is None:
            problems.append(
                src.problem(key, f"không có dòng {rid} trong danh mục yêu cầu (no such catalogue row)")
            )
            continue
        if regime not in row.regimes:
            if inherited:
                out.pop(rid, None)
                continue
            problems.append(
                src.problem(
                    key,
                    f"dòng {rid} không thuộc chế độ {regime} (chỉ {', '.join(row.regimes)}); "
                    f"xóa lý do này (row outside the profile's regime)",
                )
            )
            continue
        out[rid] = Reason(
            rid,
            entry["kind"],
            entry.get("note"),
            entry.get("see"),
            src.path,
            line,
            inherited,
        )
    if problems:
        raise ConfigError(problems)
    return out


def _key_line(lines: list[str], rid: str, value_line: int | None) -> int | None:
    """The line of ``ROW:`` itself; a block value starts on the line after its key."""
    i = (value_line or 0) - 1
    while 0 <= i < len(lines):
        if lines[i].lstrip().startswith(f"{rid}:"):
            return i + 1
        i -= 1
    return value_line


def prune_stale(cov: Coverage) -> list[Reason]:
    """Delete the profile's own stale reasons from its reasons file (comments and order kept)."""
    stale = [r for r in cov.stale if r.line]
    by_file: dict[str, list[Reason]] = {}
    for r in stale:
        by_file.setdefault(r.file, []).append(r)
    for name, reasons in by_file.items():
        path = Path(name)
        lines = path.read_text("utf-8").splitlines(keepends=True)
        drop: set[int] = set()
        for r in reasons:
            i = (r.line or 0) - 1
            indent = len(lines[i]) - len(lines[i].lstrip())
            drop.add(i)
            j = i + 1
            while j < len(lines) and (
                not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent
            ):
                drop.add(j)  # the entry's own block (kind, note, see)
                j += 1
        path.write_text("".join(x for k, x in enumerate(lines) if k not in drop), "utf-8")
    return stale


def reasons_path(profile: Profile) -> Path:
    return Path(profile.path).parent / REASONS_FILE


def coverage_of(profile: Profile, reasons_file: Path | None = None) -> Coverage:
    """The coverage table of a profile; raises ConfigError (file:line) when its reasons file is bad."""
    path = reasons_file or reasons_path(profile)
    reasons = load_reasons(path, profile.regime) if path.exists() else {}
    in_regime = rows_of_regime(profile.regime)
    known = rows()
    verifiers: dict[str, list[Verifier]] = {}
    outside: list[tuple[str, str]] = []
    orphans: list[str] = []
    for c in profile.criteria.values():
        own = row_of(c.id)
        targets = [(own, "id"), *((r, "covers") for r in c.covers)]
        if own not in known:
            orphans.append(c.id)
            targets = targets[1:]
        for rid, via in targets:
            if rid not in in_regime:
                outside.append((c.id, rid))
                continue
            verifiers.setdefault(rid, []).append(Verifier(c.id, c.channel, c.level, via))
    table = [CoverageRow(r, verifiers.get(rid, []), reasons.get(rid)) for rid, r in in_regime.items()]
    return Coverage(
        profile=profile.header(),
        regime=profile.regime,
        reasons_file=display_path(path) if path.exists() else None,
        rows=table,
        outside_regime=outside,
        orphans=orphans,
    )
