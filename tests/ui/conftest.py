"""Fixtures of the UI channel tests: target files bound to a running system, and a run of UI operations."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformance.drivers.ui import UiDriver
from conformance.evidence.redact import Redactor
from conformance.evidence.store import CriterionEvidence
from conformance.target import Target, load_target
from conformance.target_extends import load_extended
from tests.conftest import ROOT

UI_TARGET = ROOT / "targets" / "reference-ui.yaml"


def bind(source: Path, base_url: str, directory: Path, edit: Callable[[dict], None] | None = None) -> Path:
    """A copy of a target file bound to a running server, optionally edited."""
    data = copy.deepcopy(load_extended(source)[0].data)  # standalone: the bases merged in
    data["target"]["base_url"] = base_url
    if edit is not None:
        edit(data)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "target.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@dataclass
class UiRun:
    """UI operations performed in one criterion scope, with the evidence they left."""

    run_dir: Path
    criterion: str
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def evidence(self) -> Path:
        return self.run_dir / "evidence" / self.criterion

    def files(self) -> list[Path]:
        return sorted(p for p in self.evidence.iterdir() if p.name != "manifest.jsonl")


def perform(
    target: Target, run_dir: Path, criterion: str, calls: list[tuple[str, dict[str, Any]]], secrets: list[str]
) -> UiRun:
    """Perform ``calls`` through the UI driver in one criterion scope (as the engine does)."""
    redactor = Redactor(secrets)
    driver = UiDriver(target, redactor)
    ev = CriterionEvidence(run_dir, criterion, redactor)
    run = UiRun(run_dir, criterion)
    with driver.criterion(criterion, ev):
        for op, inputs in calls:
            rec = driver.perform(op, inputs, None, {"unique": "1"}, sink=ev)
            ev.record(op, rec)
            run.records.append(rec)
    return run


@pytest.fixture
def ui_target(clean_reference: Any, tmp_path: Path) -> Target:
    """targets/reference-ui.yaml bound to the clean reference."""
    return load_target(bind(UI_TARGET, clean_reference.base_url, tmp_path / "target"))
