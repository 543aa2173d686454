"""The abstract operations criteria may call, loaded from operations.yaml.

Profiles name operations; target files bind them. Keeping the list in one data file lets both be
validated before anything runs: an unknown operation is a file:line error, not a failed criterion.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Operation:
    name: str
    vi: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    feature: str | None


@cache
def operations() -> dict[str, Operation]:
    text = resources.files("conformance.catalogue").joinpath("operations.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    return {
        name: Operation(
            name,
            spec["vi"],
            tuple(spec.get("inputs") or ()),
            tuple(spec.get("outputs") or ()),
            spec.get("feature"),
        )
        for name, spec in raw.items()
    }
