"""Memory of package validation against data size: SHA-256 is recomputed by streaming, so peak RSS must not
grow with the data.

For each size (``--size-mb``, default 2048 MB, and ``--compare-mb``, default 256 MB) the benchmark builds a
SIP_hoso in a temporary folder with ``conformance.standards.packages.build``, replaces its data files by
sparse files of the requested total size (a ``%PDF-1.4`` header, then a hole: nothing is really written),
reseals the METS checksums (streamed), and validates the package in a fresh child process that reports its
peak RSS before and after ``validate_package``. The table printed at the end compares the growth of peak
RSS with the data size; with ``--zip`` the package is also validated as a (stored, not deflated) ZIP.

    .venv/bin/python bench/bench_package_streaming.py [--size-mb 2048] [--compare-mb 256] [--files 4] [--zip]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conformance.standards.packages import build  # noqa: E402

MB = 1024 * 1024


def _child(path: str) -> None:
    """Validate ``path`` and print peak RSS (KiB) before/after, as JSON on stdout."""
    import resource

    from conformance.standards.packages import validate_package

    warm = Path(tempfile.mkdtemp())
    validate_package(build.build_sip_hoso(build.example_dossier(), warm))  # load lazy tables first
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    report = validate_package(path)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    json.dump(
        {
            "status": report.status,
            "errors": [str(f) for f in report.errors],
            "bytes_hashed": report.stats.get("bytes_hashed", 0),
            "seconds": elapsed,
            "rss_before_kib": before,
            "rss_after_kib": after,
        },
        sys.stdout,
    )


def _make(tmp: Path, total_mb: int, files: int) -> Path:
    spec = build.example_dossier()
    docs = tuple(
        build.DocumentSpec(
            ordinal=i,
            issued_date=spec.start_date,
            organ_name="UBND tỉnh Thử Nghiệm",
            subject=f"Tài liệu số hóa dung lượng lớn {i}",
            type_name="31",
            number_of_page=1,
            confidence_level="02",
        )
        for i in range(1, files + 1)
    )
    spec = build.example_dossier(
        documents=docs,
        confidence_level="02",
        number_of_paper=files,
        paper_file_code="H99LT.K1-G01-H001.0001",
    )
    pkg = build.build_sip_hoso(spec, tmp)
    per_file = total_mb * MB // files
    for i in range(1, files + 1):
        p = pkg / "representations" / "rep1" / "data" / f"{spec.file_code}.{i}.pdf"
        with open(p, "wb") as fh:
            fh.write(b"%PDF-1.4\n")
            fh.truncate(per_file)  # sparse: the rest is a hole read back as zeros
    t0 = time.perf_counter()
    build.reseal(pkg)
    print(
        f"  built {total_mb} MB in {files} sparse files, resealed in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    return pkg


def _measure(path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path)], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    return json.loads(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=int, default=2048, help="data size of the large package (MB)")
    ap.add_argument(
        "--compare-mb", type=int, default=256, help="data size of the comparison package (0: none)"
    )
    ap.add_argument("--files", type=int, default=4, help="number of data files")
    ap.add_argument("--zip", action="store_true", help="also validate a stored ZIP of each package")
    ap.add_argument("--tmpdir", default=None, help="where to build (must support sparse files)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child)
        return
    sizes = [s for s in (args.compare_mb, args.size_mb) if s > 0]
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory(dir=args.tmpdir) as tmp:
            pkg = _make(Path(tmp), size, args.files)
            targets = [("folder", pkg)]
            if args.zip:
                z = Path(tmp) / f"1{pkg.name}.zip"
                build.zip_package(pkg, z, compression=zipfile.ZIP_STORED)
                targets.append(("zip", z))
            for form, path in targets:
                r = _measure(path)
                if r["status"] != "valid":
                    raise SystemExit(f"package not valid: {r['errors']}")
                growth = (r["rss_after_kib"] - r["rss_before_kib"]) / 1024
                rows.append((size, form, r, growth))
                rate = r["bytes_hashed"] / MB / max(r["seconds"], 1e-9)
                print(
                    f"  {size:>6} MB {form:6}: {r['seconds']:.1f} s, {rate:.0f} MB/s, "
                    f"peak RSS growth {growth:.1f} MB",
                    flush=True,
                )
    print()
    print(
        f"{'data MB':>8} {'form':6} {'hashed MB':>10} {'time s':>7} {'MB/s':>6} "
        f"{'RSS before MB':>14} {'RSS after MB':>13} {'growth MB':>10} {'growth/data':>12}"
    )
    for size, form, r, growth in rows:
        print(
            f"{size:>8} {form:6} {r['bytes_hashed'] / MB:>10.0f} {r['seconds']:>7.1f} "
            f"{r['bytes_hashed'] / MB / max(r['seconds'], 1e-9):>6.0f} {r['rss_before_kib'] / 1024:>14.1f} "
            f"{r['rss_after_kib'] / 1024:>13.1f} {growth:>10.1f} {growth / size:>12.5f}"
        )
    if len(sizes) == 2:
        small = next(g for s, f, _, g in rows if s == sizes[0] and f == "folder")
        large = next(g for s, f, _, g in rows if s == sizes[1] and f == "folder")
        verdict = "does not grow" if large - small < 16 else "GROWS"
        print(
            f"\ndata × {sizes[1] / sizes[0]:.0f}; peak RSS growth {small:.1f} MB → {large:.1f} MB: "
            f"memory {verdict} with the data (streamed hashing; {os.cpu_count()} CPUs)"
        )


if __name__ == "__main__":
    main()
