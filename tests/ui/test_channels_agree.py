"""Both channels agree: the same profile through targets/reference.yaml (HTTP) and through
targets/reference-ui.yaml (the pages) gives the same verdict for every criterion whose operations the
two files bind differently; and the UI run's evidence holds a screenshot per step and one Playwright
trace per criterion, each hashed into the manifest.

Criteria whose operations both files bind the same way (the display-only ones: forms, registers)
would run the same code twice; they are compared in the fault matrix instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.catalogue.loader import load_profile
from conformance.catalogue.model import Criterion, Profile
from conformance.engine import Engine
from conformance.evidence.redact import Redactor
from conformance.evidence.store import load_records
from conformance.target import Target, load_target
from conformance.verdict import settle
from tests.conftest import REFERENCE_TARGET, ROOT
from tests.ui.conftest import UI_TARGET, bind

pytestmark = pytest.mark.browser


def _differs(c: Criterion, http: Target, ui: Target) -> bool:
    return any(http.binding(s.name) != ui.binding(s.name) for s in c.calls())


def _run(reference: Any, profile: Profile, target: Target, run_dir: Path, ids: list[str]) -> dict[str, str]:
    reference.set_faults([])
    reference.reset()
    engine = Engine(profile, target, run_dir, run_dir.name, Redactor([reference.password]))
    out = {}
    for cid in ids:
        c = profile.criteria[cid]
        o = engine.run(c)
        out[cid] = f"{settle(c, o.raw, o.message).result}: {o.message}"
    return out


def test_http_and_ui_bindings_give_the_same_verdicts(reference: Any, tmp_path: Path) -> None:
    http = load_target(bind(REFERENCE_TARGET, reference.base_url, tmp_path / "http"))
    ui = load_target(bind(UI_TARGET, reference.base_url, tmp_path / "ui"))
    p2020 = load_profile(ROOT / "profiles" / "vn-2020")
    p2025 = load_profile(ROOT / "profiles" / "vn-2025")
    ids = [c.id for c in p2020.criteria.values() if c.automated and _differs(c, http, ui)]
    assert len(ids) >= 12, ids
    # vn-2025 adds nothing of its own but overrides: only the criteria it changed are run again
    changed = [
        c.id
        for c in p2025.criteria.values()
        if c.automated and _differs(c, http, ui) and c.digest("all") != p2020.criteria[c.id].digest("all")
    ]
    assert changed, "vn-2025 should override at least one criterion run through both channels"
    ui_dir = tmp_path / "run-ui"
    verdicts: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    for name, profile, chosen in (("vn-2020", p2020, ids), ("vn-2025", p2025, changed)):
        by_http = _run(reference, profile, http, tmp_path / f"run-http-{name}", chosen)
        by_ui = _run(
            reference, profile, ui, ui_dir if name == "vn-2020" else tmp_path / "run-ui-2025", chosen
        )
        verdicts[name] = (by_http, by_ui)
    for name, (by_http, by_ui) in verdicts.items():
        assert all(v.startswith("pass") for v in by_http.values()), by_http
        differ = {
            cid: (by_http[cid], by_ui[cid])
            for cid in by_http
            if by_http[cid].split(":")[0] != by_ui[cid].split(":")[0]
        }
        assert not differ, f"{name}: the channels disagree: {differ}"
    _evidence_is_complete(ui_dir, ids)


def _evidence_is_complete(run_dir: Path, ids: list[str]) -> None:
    """A screenshot per UI step and one trace per criterion, all in the criterion's SHA-256 manifest."""
    ui_calls = 0
    for cid in ids:
        folder = run_dir / "evidence" / cid
        manifest = {
            e["file"]: e for e in map(json.loads, (folder / "manifest.jsonl").read_text("utf-8").splitlines())
        }
        calls = [
            r for r in load_records(run_dir, cid) if r.get("kind") == "call" and r.get("channel") == "ui"
        ]
        if not calls:
            continue
        ui_calls += len(calls)
        traces = [f for f in manifest if "-trace-" in f and f.endswith(".zip")]
        assert len(traces) == 1, (cid, traces)
        for rec in calls:
            steps = [s for s in rec["ui"]["steps"] if not s.get("skipped")]
            assert steps, (cid, rec["operation"])
            for s in steps:
                assert "screenshot" in s, (cid, rec["operation"], s)
                shot = Path(s["screenshot"])
                assert shot.name in manifest and (run_dir / shot).is_file(), (cid, rec["operation"], s)
    assert ui_calls >= 30, ui_calls
