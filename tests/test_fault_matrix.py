"""The fault matrix: the proof that every automated criterion catches what it is meant to catch.

- The clean reference passes every automated criterion of every profile.
- Each fault of the reference's registry fails exactly the criteria its entry names: by default
  against the criteria of the areas those criteria belong to (fits the suite's budget); with
  CONFORMANCE_FULL_MATRIX=1 (``make fault-matrix``) against every criterion of every profile.
- Every automated criterion is named by at least one fault (a criterion no fault can fail is a
  criterion that cannot fail).

Faults are switched at run time on one running reference; the engine runs in-process, exactly
as the pytest plugin drives it, so this matrix judges the same code that certifies vendors.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conformance.catalogue.loader import load_profile
from conformance.drivers.http import HttpDriver
from conformance.embedded import EmbeddedReference, fault_registry
from conformance.engine import Engine
from conformance.evidence.redact import Redactor
from conformance.preflight import preflight
from conformance.target import load_target
from conformance.verdict import settle
from tests.conftest import ROOT, target_for

PROFILES = ["vn-2020", "vn-2025"]
FULL = os.environ.get("CONFORMANCE_FULL_MATRIX") == "1"


@pytest.fixture(scope="module")
def registry(reference: EmbeddedReference) -> list[dict]:
    return reference.fault_registry()


def run_profile(
    reference: EmbeddedReference,
    tmp_path: Path,
    profile_name: str,
    faults: list[str],
    areas: set[str] | None = None,
    seen: dict[tuple[str, str], str] | None = None,
) -> dict[str, str]:
    """Results of the automated criteria of a profile under ``faults``.

    ``seen`` carries results between the profiles of one fault: a criterion whose check (steps and
    the parameter values they use) is the same in both profiles judges the same system under the
    same fault, so it is not run twice (vn-2025 reuses most of vn-2020).
    """
    reference.set_faults(faults)
    reference.reset()
    profile = load_profile(ROOT / "profiles" / profile_name)
    target = load_target(target_for(reference.base_url, tmp_path))
    engine = Engine(profile, target, tmp_path / "run", "matrix-" + "-".join(faults or ["clean"]), Redactor())
    out = {}
    for c in profile.criteria.values():
        if not c.automated or (areas and c.area not in areas):
            continue
        key = (c.id, c.digest("all", profile.parameters) + ",".join(c.features))
        if seen is not None and key in seen:
            out[c.id] = seen[key]
            continue
        o = engine.run(c)
        out[c.id] = settle(c, o.raw, o.message).result
        if seen is not None:
            seen[key] = out[c.id]
    return out


@pytest.mark.parametrize("profile_name", PROFILES)
def test_clean_reference_passes_every_automated_criterion(
    reference: EmbeddedReference, tmp_path: Path, profile_name: str
) -> None:
    results = run_profile(reference, tmp_path, profile_name, [])
    assert results and all(r == "pass" for r in results.values()), {
        k: v for k, v in results.items() if v != "pass"
    }


FAULT_NAMES = [f["name"] for f in fault_registry()]  # read as data from the reference, no server needed


@pytest.mark.parametrize("fault", FAULT_NAMES)
def test_each_fault_fails_exactly_its_criteria(
    reference: EmbeddedReference, registry: list[dict], tmp_path: Path, fault: str
) -> None:
    entry = next(f for f in registry if f["name"] == fault)
    if entry.get("preflight"):
        reference.set_faults([fault])
        profile = load_profile(ROOT / "profiles" / "vn-2020")
        target = load_target(target_for(reference.base_url, tmp_path))
        res = preflight(profile, target, HttpDriver(target, Redactor()))
        reference.set_faults([])
        assert not res.ok and res.exit_code == 2, res
        return
    expected = set(entry["expect_fail"])
    assert expected, f"{fault}: a fault that names no criterion proves nothing"
    seen: dict[tuple[str, str], str] = {}
    for profile_name in PROFILES:
        profile = load_profile(ROOT / "profiles" / profile_name)
        areas = None if FULL else {profile.criteria[c].area for c in expected if c in profile.criteria}
        results = run_profile(reference, tmp_path, profile_name, [fault], areas, seen)
        failing = {cid for cid, r in results.items() if r == "fail"}
        assert failing == expected & set(results), f"{profile_name}: {fault} → {sorted(failing)}"
        others = {cid: r for cid, r in results.items() if cid not in expected and r != "pass"}
        assert not others, f"{profile_name}: {fault} also changed {others}"


@pytest.mark.parametrize("profile_name", PROFILES)
def test_every_automated_criterion_has_a_fault(registry: list[dict], profile_name: str) -> None:
    profile = load_profile(ROOT / "profiles" / profile_name)
    covered = {cid for f in registry for cid in f["expect_fail"]}
    uncovered = sorted(c.id for c in profile.criteria.values() if c.automated and c.id not in covered)
    assert not uncovered, f"criteria no reference fault can fail: {uncovered}"


def test_registry_names_only_known_criteria(registry: list[dict]) -> None:
    known = set()
    for name in PROFILES:
        known |= set(load_profile(ROOT / "profiles" / name).criteria)
    for f in registry:
        assert set(f["expect_fail"]) <= known, f"{f['name']} names unknown criteria"
        assert (f["rule"] and "Đ" in f["rule"]) or "Phụ lục" in f["rule"], (
            f"{f['name']}: rule needs its legal basis"
        )
