"""Judges: pure functions that decide a check from recorded evidence.

A judge never acts on the system under test: it reads the records that drivers saved (request,
reply, extracted outputs) and returns a `Finding`. That is what lets ``conformance rejudge``
recompute a verdict from a recorded run after a profile fix, without touching the vendor again.
Profiles name judges and give them parameters; each judge declares the JSON Schema of its
parameters so a profile is checked (file:line) before any run.
"""

from conformance.judges.registry import JUDGES, Finding, JudgeSpec, get_judge

__all__ = ["JUDGES", "Finding", "JudgeSpec", "get_judge"]
