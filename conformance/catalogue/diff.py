"""Differences between two profiles, so a certificate's scope can be compared across regimes."""

from __future__ import annotations

from typing import Any

from conformance.catalogue.model import DESCRIPTIVE_KEYS, Profile

_FIELDS = (*DESCRIPTIVE_KEYS, "features", "guidance", "covers")


def diff(a: Profile, b: Profile) -> dict[str, Any]:
    """added / removed criterion IDs, changed ones with the fields that differ, changed parameters."""
    changed: dict[str, list[str]] = {}
    for cid in sorted(set(a.criteria) & set(b.criteria)):
        ca, cb = a.criteria[cid], b.criteria[cid]
        sa, sb = ca.summary(), cb.summary()
        fields = [f for f in _FIELDS if sa.get(f) != sb.get(f)]
        if ca.digest("calls", a.parameters) != cb.digest("calls", b.parameters):
            fields.append("check.calls")
        if ca.digest("judges", a.parameters) != cb.digest("judges", b.parameters):
            fields.append("check.judges")
        if fields:
            changed[cid] = fields
    params = {
        k: (a.parameters.get(k), b.parameters.get(k))
        for k in sorted(set(a.parameters) | set(b.parameters))
        if a.parameters.get(k) != b.parameters.get(k)
    }
    return {
        "from": a.header(),
        "to": b.header(),
        "added": sorted(set(b.criteria) - set(a.criteria)),
        "removed": sorted(set(a.criteria) - set(b.criteria)),
        "changed": changed,
        "parameters": params,
    }
