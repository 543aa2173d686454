"""The bridge from judge parameters (``grammar: so_ky_hieu``) to ``conformance.standards``.

Judges name a grammar; the standards layer owns its rule, regex and evidence mark. Only hard
problems fail a check: warnings (S/I-marked details) are for the report, never the sole ground
for a failure (domain README, evidence marks).
"""

from __future__ import annotations

from conformance.standards.identifiers import GRAMMARS, check_grammar

__all__ = ["GRAMMARS", "check"]


def check(name: str, value: object) -> list[str]:
    """The hard problems of ``value`` under grammar ``name`` (empty when it conforms)."""
    return list(check_grammar(name, value).problems)
