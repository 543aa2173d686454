"""Refusing hostile ZIPs takes the same time however much they claim to hold.

A ZIP bomb (one highly compressible entry) and a ZIP with a ``../`` entry are refused from the central
directory alone, before any byte is inflated. This benchmark builds bombs declaring 64 MiB and 1 GiB (and a
``../`` ZIP), validates each a number of times in this process, and prints the refusal time as a ratio of
the time to validate a small, valid SIP_hoso: a ratio that does not grow with the declared size is the
claim. No timed assertion: figures only.

    .venv/bin/python bench/bench_package_hostile.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conformance.standards.packages import build, validate_package  # noqa: E402

OBJID = "uuid-7D0D1987-0F1C-47A7-8FD6-CC5C7DE4064F"
MIB = 1024 * 1024


def _bomb(path: Path, declared_mib: int) -> Path:
    """One entry of ``declared_mib`` MiB of zeros, deflated (written in chunks: never held in memory)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(f"{OBJID}/METS.xml", b"<mets/>")
        with zf.open(f"{OBJID}/representations/rep1/data/a.pdf", "w", force_zip64=True) as dst:
            block = bytes(MIB)
            for _ in range(declared_mib):
                dst.write(block)
    return path


def _traversal(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{OBJID}/METS.xml", b"<mets/>")
        zf.writestr("../../evil.txt", b"x")
    return path


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, int]:
    """Median seconds of ``repeat`` runs and the peak traced memory of one run (bytes)."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(runs), peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        valid = build.build_sip_hoso(build.example_dossier(), t, as_zip=True)
        cases = {
            "valid SIP (baseline)": valid,
            "bomb, 64 MiB declared": _bomb(t / "bomb64.zip", 64),
            "bomb, 1 GiB declared": _bomb(t / "bomb1g.zip", 1024),
            "'../' entry": _traversal(t / "traversal.zip"),
        }
        base = None
        print(f"{'case':26} {'on disk':>10} {'status':>8} {'median':>10} {'× baseline':>11} {'peak mem':>10}")
        for name, path in cases.items():
            status = validate_package(path).status
            median, peak = _time(lambda p=path: validate_package(p), args.repeat)
            base = base or median
            print(
                f"{name:26} {path.stat().st_size / 1024:>8.0f} K {status:>8} {median * 1000:>8.2f} ms "
                f"{median / base:>10.2f}× {peak / MIB:>8.2f} M"
            )


if __name__ == "__main__":
    main()
