"""The run configuration: who evaluates, which failures are waived, which criteria are attested."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.catalogue.loader import schema_problems
from conformance.catalogue.yamlsrc import load_yaml
from conformance.errors import ConfigError
from conformance.verdict import Attestation, Waiver


@dataclass
class RunConfig:
    path: str | None = None
    evaluator: dict[str, Any] = field(default_factory=dict)
    waivers: dict[str, Waiver] = field(default_factory=dict)
    attestations: dict[str, Attestation] = field(default_factory=dict)
    attestation_files: dict[str, Path] = field(default_factory=dict)
    signing: dict[str, Any] | None = None  # pkcs12 (absolute path), password_env, reason, location


def load_run_config(path: Path | str | None, criteria_ids: set[str] | None = None) -> RunConfig:
    """Load and check the run configuration; unknown criteria and missing evidence files are errors."""
    if path is None:
        return RunConfig()
    p = Path(path)
    src = load_yaml(p)
    if not isinstance(src.data, dict):
        raise ConfigError([src.problem((), "tệp cấu hình phải là một ánh xạ (mapping)")])
    problems = schema_problems(src, "run-config")
    if problems:
        raise ConfigError(problems)
    rc = RunConfig(path=src.path, evaluator=src.data.get("evaluator") or {})

    def date_of(key: tuple[str | int, ...], s: str) -> dt.date:
        try:
            return dt.date.fromisoformat(s)
        except ValueError:
            problems.append(src.problem(key, f"ngày không hợp lệ: {s}"))
            return dt.date.min

    sign = src.data.get("signing")
    if sign:
        p12 = (p.parent / sign["pkcs12"]).resolve()
        if not p12.is_file():
            problems.append(
                src.problem(("signing", "pkcs12"), f"không tìm thấy tệp PKCS#12 {sign['pkcs12']}")
            )
        rc.signing = {**sign, "pkcs12": str(p12)}
    for i, w in enumerate(src.data.get("waivers") or []):
        if criteria_ids is not None and w["criterion"] not in criteria_ids:
            problems.append(
                src.problem(("waivers", i, "criterion"), f"tiêu chí {w['criterion']} không có trong hồ sơ")
            )
        rc.waivers[w["criterion"]] = Waiver(
            w["criterion"], w["approver"], w["reason"], date_of(("waivers", i, "expires"), w["expires"])
        )
    for i, a in enumerate(src.data.get("attestations") or []):
        if criteria_ids is not None and a["criterion"] not in criteria_ids:
            problems.append(
                src.problem(
                    ("attestations", i, "criterion"), f"tiêu chí {a['criterion']} không có trong hồ sơ"
                )
            )
        ev = p.parent / a["evidence_file"]
        if not ev.is_file():
            problems.append(
                src.problem(
                    ("attestations", i, "evidence_file"),
                    f"không tìm thấy tệp minh chứng {a['evidence_file']}",
                )
            )
        rc.attestations[a["criterion"]] = Attestation(
            a["criterion"],
            a["evaluator"],
            a["statement"],
            a["evidence_file"],
            date_of(("attestations", i, "date"), a["date"]),
        )
        rc.attestation_files[a["criterion"]] = ev
    if problems:
        raise ConfigError(problems)
    return rc
