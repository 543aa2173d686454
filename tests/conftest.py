"""Shared fixtures: a real reference system on loopback, target files pointing at it, CLI runs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

from conformance.embedded import EmbeddedReference

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_TARGET = ROOT / "targets" / "reference.yaml"

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=150, print_blob=True)
settings.load_profile("ci")


@pytest.fixture(scope="session")
def reference() -> Iterator[EmbeddedReference]:
    """One real reference server per test process; tests reset it and switch faults at run time.

    The simulated axis is started first and the reference connected to it (area 1); engines in
    this process find the axis through ``conformance.axis.harness.current()``.
    """
    from conformance.axis.harness import start_axis
    from conformance.target import load_target

    exchange = load_target(REFERENCE_TARGET).exchange
    assert exchange is not None
    axis = start_axis(exchange, embedded=True)
    try:
        with EmbeddedReference().start(env=axis.reference_env()) as ref:
            yield ref
    finally:
        axis.stop()


@pytest.fixture
def clean_reference(reference: EmbeddedReference) -> EmbeddedReference:
    reference.set_faults([])
    reference.reset()
    return reference


def target_for(base_url: str, directory: Path, **overrides: object) -> Path:
    """A copy of targets/reference.yaml bound to a running server (what a vendor would write)."""
    data = yaml.safe_load(REFERENCE_TARGET.read_text("utf-8"))
    data["target"]["base_url"] = base_url
    for k, v in overrides.items():
        data["target"][k] = v
    path = directory / "target.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture
def ref_target(clean_reference: EmbeddedReference, tmp_path: Path) -> Path:
    return target_for(clean_reference.base_url, tmp_path)


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 240, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """Run the real ``conformance`` command in a child process."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PYTEST_XDIST_WORKER", None)
    full_env.pop("PYTEST_CURRENT_TEST", None)
    return subprocess.run(
        [sys.executable, "-m", "conformance", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        cwd=cwd,
        check=False,
    )
