"""Assemble ``results.json`` from a run directory, complete or not.

The engine writes ``run.json`` at start, ``selection.json`` once criteria are collected and one
line per finished criterion in ``events.jsonl``. Everything here is derived from those files, so
the same function serves the end of a run, ``conformance report`` on a run killed half-way, and
``rejudge``. A criterion selected but never finished is reported as not verified, and the run as
incomplete.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conformance.catalogue.model import DESCRIPTIVE_KEYS
from conformance.errors import ConfigError
from conformance.evidence.store import write_durable, write_manifest
from conformance.verdict import overall

FORMAT = "conformance-results/1"


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError.one(
            str(path), None, "", "không tìm thấy tệp (không phải thư mục kết quả chạy?)"
        ) from None
    except ValueError as exc:
        raise ConfigError.one(
            str(path), getattr(exc, "lineno", None), "", f"JSON không hợp lệ: {exc}"
        ) from None


def read_events(run_dir: Path) -> dict[str, dict[str, Any]]:
    """The last event per criterion; a torn last line (killed mid-write) is ignored."""
    events: dict[str, dict[str, Any]] = {}
    path = run_dir / "events.jsonl"
    if not path.exists():
        return events
    for line in path.read_text("utf-8", errors="replace").splitlines():
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if isinstance(ev, dict) and "id" in ev:
            events[ev["id"]] = ev
    return events


def assemble(run_dir: Path) -> dict[str, Any]:
    """results.json content for a run directory."""
    run = read_json(run_dir / "run.json")
    snapshot = read_json(run_dir / "profile.resolved.json")
    criteria_meta = {c["id"]: c for c in snapshot["criteria"]}
    sel_path = run_dir / "selection.json"
    selection = read_json(sel_path)["criteria"] if sel_path.exists() else []
    events = read_events(run_dir)
    ids = list(selection) or list(events)
    ids += [i for i in events if i not in ids]
    rows = []
    for cid in ids:
        ev = events.get(cid)
        meta = criteria_meta.get(cid, {"id": cid})
        if ev is None:
            rows.append(
                {
                    **_public(meta),
                    "result": "skipped",
                    "message": "Chưa chạy: lần chạy bị gián đoạn trước tiêu chí này.",
                    "checks": [],
                    "evidence": [],
                    "duration_s": 0.0,
                    "waiver": None,
                    "attestation": None,
                    "not_run": True,
                }
            )
        else:
            rows.append(
                {
                    **_public(meta),
                    **{
                        k: ev.get(k)
                        for k in (
                            "result",
                            "message",
                            "checks",
                            "evidence",
                            "duration_s",
                            "waiver",
                            "attestation",
                        )
                    },
                }
            )
    complete = (
        bool(run.get("finished_at"))
        and bool(selection)
        and all(i in events for i in selection)
        and not run.get("interrupted")
    )
    verdict = overall(rows, complete=complete)
    out = {
        "format": FORMAT,
        "run": {**run, "complete": complete},
        "verdict": verdict.as_dict(),
        "criteria": rows,
    }
    if selection:  # what the filters left out, so a partial run says what it did not judge
        chosen = set(ids)
        out["excluded"] = [_public(c) for c in snapshot["criteria"] if c["id"] not in chosen]
    if snapshot.get("coverage"):  # coverage of the law, as the profile stood when the run started
        out["coverage"] = snapshot["coverage"]
    return out


def _public(meta: dict[str, Any]) -> dict[str, Any]:
    return {k: meta.get(k) for k in ("id", *DESCRIPTIVE_KEYS)}


def exit_code_of(results: dict[str, Any]) -> int:
    from conformance.verdict import Verdict

    v = results["verdict"]
    return Verdict(v["overall"], v["reasons"], v["counts"], v["areas"]).exit_code


def finalize(run_dir: Path, *, pdf: bool = True) -> dict[str, Any]:
    """Write results.json, the reports and the manifest of a run directory; return the results."""
    results = assemble(run_dir)
    out = run_dir / "results.json"
    tmp = run_dir / "results.json.tmp"
    tmp.unlink(missing_ok=True)
    write_durable(tmp, json.dumps(results, ensure_ascii=False, indent=1).encode("utf-8"))
    tmp.replace(out)
    from conformance.report.writers import write_reports

    write_reports(run_dir, results, pdf=pdf)
    signing = (results["run"].get("run_config") or {}).get("signing")
    if pdf and signing:
        from conformance.report.sign import SigningSpec, sign_report

        spec = SigningSpec(
            Path(signing["pkcs12"]),
            signing["password_env"],
            **{k: signing[k] for k in ("reason", "location") if signing.get(k)},
        )
        sign_report(run_dir / "report.pdf", spec, results_json=out.read_bytes())
    write_manifest(run_dir)
    return results
