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


def _chosen(profile_name: str, area: str, http: Target, ui: Target) -> tuple[Profile, list[str]]:
    """The criteria of one area of a profile that the two files bind differently.

    vn-2025 inherits vn-2020: only the criteria it adds or changes are run again for it.
    """
    p2020 = load_profile(ROOT / "profiles" / "vn-2020")
    profile = load_profile(ROOT / "profiles" / profile_name)
    inherited = {c.id: c.digest("all") for c in p2020.criteria.values()} if profile_name == "vn-2025" else {}
    return profile, [
        c.id
        for c in profile.criteria.values()
        if c.automated and c.area == area and _differs(c, http, ui) and inherited.get(c.id) != c.digest("all")
    ]


# one test per profile and area, so that pytest-xdist shares the browser work between its workers
CHUNKS = [
    ("vn-2020", "gui-nhan", 6),
    ("vn-2020", "lap-ho-so", 7),
    ("vn-2020", "nop-luu", 10),
    ("vn-2025", "lap-ho-so", 1),
    ("vn-2025", "nop-luu", 10),
]


@pytest.mark.parametrize(("profile_name", "area", "at_least"), CHUNKS, ids=[f"{p}-{a}" for p, a, _ in CHUNKS])
def test_http_and_ui_bindings_give_the_same_verdicts(
    reference: Any, tmp_path: Path, profile_name: str, area: str, at_least: int
) -> None:
    http = load_target(bind(REFERENCE_TARGET, reference.base_url, tmp_path / "http"))
    ui = load_target(bind(UI_TARGET, reference.base_url, tmp_path / "ui"))
    profile, ids = _chosen(profile_name, area, http, ui)
    assert len(ids) >= at_least, ids
    by_http = _run(reference, profile, http, tmp_path / "run-http", ids)
    by_ui = _run(reference, profile, ui, tmp_path / "run-ui", ids)
    assert all(v.startswith("pass") for v in by_http.values()), by_http
    differ = {
        cid: (by_http[cid], by_ui[cid])
        for cid in ids
        if by_http[cid].split(":")[0] != by_ui[cid].split(":")[0]
    }
    assert not differ, f"{profile_name}: the channels disagree: {differ}"
    _evidence_is_complete(tmp_path / "run-ui", ids)


def test_every_criterion_bound_differently_is_compared(reference: Any, tmp_path: Path) -> None:
    """The chunks above leave no criterion out, whatever area a profile grows into."""
    http = load_target(bind(REFERENCE_TARGET, reference.base_url, tmp_path / "http"))
    ui = load_target(bind(UI_TARGET, reference.base_url, tmp_path / "ui"))
    for name in ("vn-2020", "vn-2025"):
        profile = load_profile(ROOT / "profiles" / name)
        areas = {c.area for c in profile.criteria.values()}
        covered = {a for p, a, _ in CHUNKS if p == name}
        missed = {a: ids for a in areas - covered if (ids := _chosen(name, a, http, ui)[1])}
        assert not missed, f"{name}: criteria bound differently but not compared: {missed}"


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
    assert ui_calls >= len(ids), ui_calls
