"""A full UI run of the profile against the HTTP run of the same profile (issue 7: at most 3×).

Both runs happen in the same process against the same reference (connected to the simulated axis
of area 1, as in a real run), interleaved round by round (the reference is reset before each run):
every automated criterion of vn-2020 through targets/reference.yaml (HTTP, with the display-only
operations by UI since they have no API) and through targets/reference-ui.yaml (every operation the
pages offer, by UI). A warm-up round starts the browser and logs each role in once, as a real run
does at its start. Reported: the median of each, the ratio, the same for the criteria whose bindings
differ between the two files, the criteria where the UI run spends most beyond the HTTP run, and the
load average (the machine is shared; a browser slows most under load).

    python bench/bench_ui_vs_http.py [--rounds 3] [--cli] [--area lap-ho-so] [--top 10]

``--cli`` also times the whole command (``conformance run``: process start, embedded reference,
preflight, criteria, HTML and PDF report) once per target.
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from conformance.axis.harness import start_axis  # noqa: E402
from conformance.catalogue.loader import load_profile  # noqa: E402
from conformance.embedded import EmbeddedReference  # noqa: E402
from conformance.engine import Engine  # noqa: E402
from conformance.evidence.redact import Redactor  # noqa: E402
from conformance.target import Target, load_target  # noqa: E402
from conformance.target_extends import load_extended  # noqa: E402
from conformance.verdict import settle  # noqa: E402


def bound(source: Path, base_url: str, directory: Path) -> Target:
    data = copy.deepcopy(load_extended(source)[0].data)  # standalone: the bases merged in
    data["target"]["base_url"] = base_url
    path = directory / source.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return load_target(path)


def run(
    ref: EmbeddedReference, target: Target, run_dir: Path, ids: list[str], each: dict[str, list[float]]
) -> tuple[float, dict[str, str]]:
    """Run ``ids`` on a reset reference: the total time and verdicts; each one's time goes in ``each``."""
    profile = load_profile(ROOT / "profiles" / "vn-2020")
    ref.reset()
    engine = Engine(profile, target, run_dir, run_dir.name, Redactor([ref.password]))
    t0 = time.perf_counter()
    verdicts = {}
    for cid in ids:
        c = profile.criteria[cid]
        t = time.perf_counter()
        o = engine.run(c)
        each.setdefault(cid, []).append(time.perf_counter() - t)
        verdicts[cid] = f"{settle(c, o.raw, o.message).result}: {o.message}"
    return time.perf_counter() - t0, verdicts


def cli(target: str, out: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "conformance", "run", "--profile", "profiles/vn-2020", "--target", target,
         "--run-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{target}: exit {proc.returncode}\n{proc.stdout[-2000:]}")
    return took


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cli", action="store_true", help="also time the whole command once per target")
    ap.add_argument("--area", action="append", help="only the criteria of this area (repeatable)")
    ap.add_argument("--top", type=int, default=8, help="list the criteria costing most through the pages")
    args = ap.parse_args()
    profile = load_profile(ROOT / "profiles" / "vn-2020")
    exchange = load_target(ROOT / "targets" / "reference.yaml").exchange
    assert exchange is not None
    axis = start_axis(exchange, embedded=True)  # area 1 sends and receives through it, as in a real run
    try:
        measure(args, profile, axis)
    finally:
        axis.stop()


def measure(args: argparse.Namespace, profile: Any, axis: Any) -> None:
    load0 = os.getloadavg()
    with (
        EmbeddedReference().start(env=axis.reference_env()) as ref,
        tempfile.TemporaryDirectory() as tmp,
    ):
        tmp_path = Path(tmp)
        http = bound(ROOT / "targets" / "reference.yaml", ref.base_url, tmp_path)
        ui = bound(ROOT / "targets" / "reference-ui.yaml", ref.base_url, tmp_path)
        every = [
            c.id for c in profile.criteria.values() if c.automated and (not args.area or c.area in args.area)
        ]
        differ = [
            c.id for c in profile.criteria.values()
            if c.automated and any(http.binding(s.name) != ui.binding(s.name) for s in c.calls())
        ]  # fmt: skip
        differ = [cid for cid in differ if cid in every]
        warm: dict[str, list[float]] = {}
        run(ref, http, tmp_path / "warm-http", every, warm)
        run(ref, ui, tmp_path / "warm-ui", every, warm)
        times: dict[str, list[float]] = {"http": [], "ui": [], "http-data": [], "ui-data": []}
        each: dict[str, dict[str, list[float]]] = {"http": {}, "ui": {}}
        failed: dict[str, set[str]] = {"http": set(), "ui": set()}
        for i in range(args.rounds):
            for name, target in (("http", http), ("ui", ui)):
                took, verdicts = run(ref, target, tmp_path / f"{name}-{i}", every, each[name])
                failed[name] |= {k for k, v in verdicts.items() if not v.startswith("pass")}
                times[name].append(took)
                took, _ = run(ref, target, tmp_path / f"{name}-data-{i}", differ, {})
                times[f"{name}-data"].append(took)
        load1 = os.getloadavg()
        med = {k: statistics.median(v) for k, v in times.items()}
        scope = f"areas {', '.join(args.area)}" if args.area else "every area"
        head = f"vn-2020 ({scope}): {len(every)} automated criteria ({len(differ)} bound differently)"
        print(f"{head}, {args.rounds} rounds; load average {load0[0]:.1f} at start, {load1[0]:.1f} at end")
        print(f"  whole profile: HTTP target {med['http']:.2f} s, UI target {med['ui']:.2f} s, "
              f"ratio {med['ui'] / med['http']:.2f}×")  # fmt: skip
        print(f"  criteria bound differently: HTTP {med['http-data']:.2f} s, UI {med['ui-data']:.2f} s, "
              f"ratio {med['ui-data'] / med['http-data']:.2f}×")  # fmt: skip
        if failed["http"] or failed["ui"]:  # a failing criterion may stop early: the figures are then off
            print(f"  NOT PASSING (figures are off by their cost): HTTP {sorted(failed['http'])}, "
                  f"UI {sorted(failed['ui'])}")  # fmt: skip
        extra = {
            cid: statistics.median(each["ui"][cid]) - statistics.median(each["http"][cid]) for cid in every
        }
        total = sum(extra.values())
        print(f"  criteria costing most through the pages (median UI − HTTP, s; all: +{total:.2f} s):")
        for cid in sorted(extra, key=extra.get, reverse=True)[: args.top]:
            print(f"    {cid:9} +{extra[cid]:.2f}  (HTTP {statistics.median(each['http'][cid]):.3f})")
        if args.cli:
            c_http = cli("targets/reference.yaml", tmp_path / "cli-http")
            c_ui = cli("targets/reference-ui.yaml", tmp_path / "cli-ui")
            print(f"  whole command (conformance run, PDF included): HTTP {c_http:.2f} s, UI {c_ui:.2f} s, "
                  f"ratio {c_ui / c_http:.2f}×")  # fmt: skip


if __name__ == "__main__":
    main()
