"""Recompute verdicts from a recorded run, without contacting the system under test.

Only the judges are re-applied; the recorded call records are the evidence. When a criterion's
acting steps changed since the run (a different digest), its old evidence no longer answers the
new question, and it is reported as needing a re-run rather than silently re-judged.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.catalogue.model import Profile
from conformance.engine import judge_records
from conformance.evidence.store import load_records
from conformance.results import read_events, read_json
from conformance.verdict import Attestation, Waiver, settle


@dataclass
class Change:
    criterion: str
    before: str
    after: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
        }


def rejudge(run_dir: Path, profile: Profile) -> tuple[list[Change], dict[str, str]]:
    """(changes, new results by criterion) for every criterion recorded in the run."""
    run = read_json(run_dir / "run.json")
    rc = run.get("run_config") or {}
    waivers = {
        k: Waiver(k, w["approver"], w["reason"], dt.date.fromisoformat(w["expires"]))
        for k, w in (rc.get("waivers") or {}).items()
    }
    attest = {
        k: Attestation(
            k, a["evaluator"], a["statement"], a["evidence_file"], dt.date.fromisoformat(a["date"])
        )
        for k, a in (rc.get("attestations") or {}).items()
    }
    changes: list[Change] = []
    results: dict[str, str] = {}
    for cid, ev in read_events(run_dir).items():
        before = ev["result"]
        c = profile.criteria.get(cid)
        if c is None:
            changes.append(Change(cid, before, "—", "tiêu chí không còn trong hồ sơ"))
            continue
        if ev.get("raw_result") not in (
            "pass",
            "fail",
        ):  # not judged from records (manual, N/A, skipped, error)
            results[cid] = before
            continue
        if c.digest("calls", profile.parameters) != ev.get("acts_digest"):
            changes.append(Change(cid, before, "?", "các bước thực hiện đã thay đổi: cần chạy lại tiêu chí"))
            continue
        records = load_records(run_dir, cid)
        scope_run = next((r.get("run", {}) for r in records if r.get("kind") == "context"), {})
        saved = {r["save"]: r for r in records if r.get("kind") == "call" and r.get("save")}
        raw, msg, _ = judge_records(c, saved, profile.parameters, scope_run, run_dir)
        # the waiver date is judged as of the run, so a rejudge later does not expire it silently
        finished = ev.get("finished_at") or run.get("started_at")
        today = dt.datetime.fromisoformat(finished).date() if finished else None
        after = settle(c, raw, msg, waiver=waivers.get(cid), attestation=attest.get(cid), today=today).result
        results[cid] = after
        if after != before:
            changes.append(Change(cid, before, after, msg))
    return changes, results


def changes_json(changes: list[Change]) -> str:
    return json.dumps([c.as_dict() for c in changes], ensure_ascii=False, indent=1)
