"""What the coverage annex costs a report, against the same report without it, in one process.

The baseline writes report.html, report.en.html and report.pdf (Chromium) from the sample
results; the other loop writes the same results carrying the coverage of vn-2020 (195 rows). Also
timed: computing the coverage of a profile (catalogue, reasons file, criteria), which every run
does once at start.

    python bench/bench_report_annex.py [--rounds 3] [--no-pdf]
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conformance.catalogue.coverage import coverage_of  # noqa: E402
from conformance.catalogue.loader import load_profile  # noqa: E402
from conformance.report.writers import write_reports  # noqa: E402


def _time(fn: object, rounds: int) -> float:
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-pdf", action="store_true")
    args = ap.parse_args()
    profile = load_profile(ROOT / "profiles" / "vn-2020")
    t_cov = _time(lambda: coverage_of(profile), 20)
    base = json.loads((ROOT / "tests" / "data" / "sample-results.json").read_text("utf-8"))
    annexed = copy.deepcopy(base)
    annexed["coverage"] = coverage_of(profile).as_dict()
    pdf = not args.no_pdf
    with tempfile.TemporaryDirectory() as tmp:
        write_reports(Path(tmp) / "warm", base, pdf=pdf)  # start-up costs out of both loops
        t_base = _time(lambda: write_reports(Path(tmp) / "a", base, pdf=pdf), args.rounds)
        t_annex = _time(lambda: write_reports(Path(tmp) / "b", annexed, pdf=pdf), args.rounds)
        size = sum(p.stat().st_size for p in (Path(tmp) / "b").iterdir())
        size0 = sum(p.stat().st_size for p in (Path(tmp) / "a").iterdir())
    print(f"coverage_of(vn-2020): {t_cov * 1000:.1f} ms")
    print(f"reports without annex: {t_base:.2f} s, {size0 / 1024:.0f} KiB")
    print(f"reports with annex:    {t_annex:.2f} s, {size / 1024:.0f} KiB")
    print(f"ratio: {t_annex / t_base:.2f}x")


if __name__ == "__main__":
    main()
