"""The fault matrix: the proof that every automated criterion catches what it is meant to catch.

- The clean reference passes every automated criterion of every profile.
- Each fault of the reference's registry fails exactly the criteria its entry names: by default
  against the criteria of the areas and channels those criteria belong to (fits the suite's budget:
  a fault of the API is not run through the browser unless it names a UI criterion); with
  CONFORMANCE_FULL_MATRIX=1 (``make fault-matrix``) against every criterion of every profile.
- Every automated criterion is named by at least one fault (a criterion no fault can fail is a
  criterion that cannot fail).

Two reductions keep the regular suite fast, both exact; the full matrix applies neither:
- A criterion that vn-2025 inherits unchanged from vn-2020 (same steps, same parameter values, same
  applicability) gives the same verdict under the same fault, so it is judged once per fault.
- The reference records which fault switches its code consulted (``FaultState.take_consulted``). The
  clean run notes, per criterion, the switches read while that criterion ran; a switch the code never
  read during a criterion cannot have changed anything that criterion observed, so a fault is run
  against the criteria of its areas that read it, plus those it names. Criteria create their own
  objects (``${run.unique}``), so one criterion's leftovers do not decide another's verdict; if they
  did, a fault run would show it as a changed verdict and this test would fail.

Faults are switched at run time on one running reference; the engine runs in-process, exactly
as the pytest plugin drives it, so this matrix judges the same code that certifies vendors.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from conformance.catalogue.loader import load_profile
from conformance.catalogue.model import Profile
from conformance.drivers.exchange import ExchangeDriver
from conformance.drivers.http import HttpDriver
from conformance.embedded import EmbeddedReference, fault_registry
from conformance.engine import Engine
from conformance.evidence.redact import Redactor
from conformance.preflight import preflight
from conformance.target import Target, load_target
from conformance.verdict import settle
from tests.conftest import ROOT, target_for

PROFILES = ["vn-2020", "vn-2025"]
FULL = os.environ.get("CONFORMANCE_FULL_MATRIX") == "1"


@pytest.fixture(scope="module")
def registry(reference: EmbeddedReference) -> list[dict]:
    return reference.fault_registry()


@functools.cache
def profile_named(name: str) -> Profile:
    """Profiles are immutable once loaded; parsing them once per process keeps the matrix fast."""
    return load_profile(ROOT / "profiles" / name)


_DRIVERS: dict[str, tuple[Target, HttpDriver, ExchangeDriver | None]] = {}


def driver_for(
    reference: EmbeddedReference, tmp_path: Path
) -> tuple[Target, HttpDriver, ExchangeDriver | None]:
    """One target and drivers per running reference: logins (PBKDF2 on the server) happen once."""
    if reference.base_url not in _DRIVERS:
        target = load_target(target_for(reference.base_url, tmp_path))
        redactor = Redactor()
        exchange = ExchangeDriver(target, redactor) if target.exchange else None
        _DRIVERS[reference.base_url] = (target, HttpDriver(target, redactor), exchange)
    return _DRIVERS[reference.base_url]


def identity(profile_name: str) -> dict[str, tuple]:
    """What decides a criterion's verdict, per criterion ID: steps with their parameter values, scope."""
    profile = profile_named(profile_name)
    return {
        c.id: (c.digest("all", profile.parameters), c.area, tuple(c.features), c.conditional)
        for c in profile.criteria.values()
    }


def run_profile(
    reference: EmbeddedReference,
    tmp_path: Path,
    profile_name: str,
    faults: list[str],
    areas: set[str] | None = None,
    skip: set[str] | None = None,
    consulted: dict[str, set[str]] | None = None,
    channels: set[str] | None = None,
) -> dict[str, str]:
    """Run the automated criteria (of ``areas``, but ``skip``); fill ``consulted`` when given."""
    reference.set_faults(faults)
    reference.reset()
    profile = profile_named(profile_name)
    target, driver, exchange = driver_for(reference, tmp_path)
    run_id = "matrix-" + "-".join(faults or ["clean"])
    engine = Engine(profile, target, tmp_path / "run", run_id, driver.redactor, driver, exchange)
    out = {}
    for c in profile.criteria.values():
        if not c.automated or (areas and c.area not in areas) or (skip and c.id in skip):
            continue
        if channels and c.channel not in channels:
            continue
        if consulted is not None:
            reference.take_consulted()  # a new window: what the set-up and earlier criteria read
        o = engine.run(c)
        if consulted is not None:
            consulted[c.id] = reference.take_consulted()
        out[c.id] = settle(c, o.raw, o.message).result
    return out


_CLEAN: dict[tuple[str, str], tuple[dict[str, str], dict[str, set[str]]]] = {}


def clean_run(reference: EmbeddedReference, tmp_path: Path, profile_name: str) -> tuple[dict, dict]:
    """(results, switches consulted per criterion) of the clean reference; once per server and profile."""
    key = (reference.base_url, profile_name)
    if key not in _CLEAN:
        consulted: dict[str, set[str]] = {}
        results = run_profile(reference, tmp_path, profile_name, [], consulted=consulted)
        _CLEAN[key] = (results, consulted)
    return _CLEAN[key]


@pytest.mark.parametrize("profile_name", PROFILES)
def test_clean_reference_passes_every_automated_criterion(
    reference: EmbeddedReference, tmp_path: Path, profile_name: str
) -> None:
    results, _ = clean_run(reference, tmp_path, profile_name)
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
        profile = profile_named("vn-2020")
        target = load_target(target_for(reference.base_url, tmp_path))
        res = preflight(profile, target, HttpDriver(target, Redactor()))
        reference.set_faults([])
        assert not res.ok and res.exit_code == 2, res
        return
    expected = set(entry["expect_fail"])
    assert expected, f"{fault}: a fault that names no criterion proves nothing"
    judged: dict[str, tuple] = {}  # criterion ID → identity already judged under this fault
    # The areas of the criteria the fault names, in any profile: a fault whose criteria exist in one
    # profile only is still run over those areas of the other (no side effects), not over everything.
    areas = (
        None
        if FULL
        else {p.criteria[c].area for p in map(profile_named, PROFILES) for c in expected if c in p.criteria}
    )
    named = [p.criteria[c] for p in map(profile_named, PROFILES) for c in expected if c in p.criteria]
    channels = None if FULL else {c.channel for c in named}  # an API fault skips the browser
    for profile_name in PROFILES:
        ident = identity(profile_name)
        skip = set() if FULL else {cid for cid, key in ident.items() if judged.get(cid) == key}
        if not FULL:
            clean, consulted = clean_run(reference, tmp_path, profile_name)
            assert all(r == "pass" for r in clean.values()), "the clean reference must pass first"
            skip |= {cid for cid, read in consulted.items() if fault not in read and cid not in expected}
        results = run_profile(reference, tmp_path, profile_name, [fault], areas, skip, channels=channels)
        judged.update({cid: ident[cid] for cid in results})
        failing = {cid for cid, r in results.items() if r == "fail"}
        assert failing == expected & set(results), f"{profile_name}: {fault} → {sorted(failing)}"
        others = {cid: r for cid, r in results.items() if cid not in expected and r != "pass"}
        assert not others, f"{profile_name}: {fault} also changed {others}"


@pytest.mark.parametrize("profile_name", PROFILES)
def test_every_automated_criterion_has_a_fault(registry: list[dict], profile_name: str) -> None:
    profile = profile_named(profile_name)
    covered = {cid for f in registry for cid in f["expect_fail"]}
    uncovered = sorted(c.id for c in profile.criteria.values() if c.automated and c.id not in covered)
    assert not uncovered, f"criteria no reference fault can fail: {uncovered}"


def test_registry_names_only_known_criteria(registry: list[dict]) -> None:
    known = set()
    for name in PROFILES:
        known |= set(profile_named(name).criteria)
    for f in registry:
        assert set(f["expect_fail"]) <= known, f"{f['name']} names unknown criteria"
        assert (f["rule"] and "Đ" in f["rule"]) or "Phụ lục" in f["rule"], (
            f"{f['name']}: rule needs its legal basis"
        )
