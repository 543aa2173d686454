"""Shared fixtures of the report-writer tests: the sample ``results.json``."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample-results.json"


@pytest.fixture(scope="session")
def sample_results_pristine() -> dict[str, Any]:
    """The sample as read from disk, shared and never mutated."""
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def sample_results(sample_results_pristine: dict[str, Any]) -> dict[str, Any]:
    """A private copy each test may modify."""
    return copy.deepcopy(sample_results_pristine)
