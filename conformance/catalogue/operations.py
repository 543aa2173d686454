"""The abstract operations criteria may call, loaded from ``operations_data/*.yaml`` (one file per area).

Profiles name operations; target files bind them. Keeping the list as data lets both be validated
before anything runs: an unknown operation is a file:line error, not a failed criterion. Each file
says, per operation, what it does (vi), its inputs and the outputs a binding must extract. Inputs
not given by a criterion are simply absent from the request.
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
    # The feature is a test facility (a test clock, a way to damage storage), not a function the law
    # may leave out: without it the criterion needs an evaluator's attestation, it is never "not applicable".
    facility: bool = False
    # Done by the harness itself from the target's auth block or binding list, needs no binding.
    builtin: bool = False
    # What the system's audit log should name for this operation: {"object": type, "id": "in.x" | "out.x",
    # "actor": "in.x"} (audit-trail reconciliation).
    audit: dict[str, str] | None = None


@cache
def operations() -> dict[str, Operation]:
    """Every operation of every area file; an operation defined in two files is a packaging error."""
    out: dict[str, Operation] = {}
    folder = resources.files("conformance.catalogue").joinpath("operations_data")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        for name, spec in (yaml.safe_load(entry.read_text("utf-8")) or {}).items():
            if name in out:
                raise ValueError(f"operation {name} is defined twice ({entry.name})")
            out[name] = Operation(
                name,
                spec["vi"],
                tuple(spec.get("inputs") or ()),
                tuple(spec.get("outputs") or ()),
                spec.get("feature"),
                bool(spec.get("facility")),
                bool(spec.get("builtin")),
                spec.get("audit"),
            )
    return out


def facility_features() -> frozenset[str]:
    """Features that are test facilities: their absence calls for an attestation, not "not applicable"."""
    return frozenset(op.feature for op in operations().values() if op.facility and op.feature)
