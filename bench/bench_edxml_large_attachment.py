"""Benchmark: validate an edXML package carrying a 100 MB attachment in bounded memory.

Why: QCVN 102 packages carry attachments as base64 text nodes; the validator must stream them (tap +
iterparse, incremental base64 and SHA-256) rather than hold them. This script builds the package in
a temporary directory (never committed), then reports wall time and memory for

  1. reading the file once in 1 MiB chunks (the floor), and decoding + hashing the bare base64,
  2. ``validate_package`` on the raw .edxml,
  3. ``validate_package`` on the same package signed with RSA-SHA256 (two passes: digest re-read),
  4. ``validate_package`` on the zipped form,

and how long refusing the hostile fixtures takes (billion laughs, XXE, zip bomb).

Memory is measured in a fresh child process per case: peak RSS growth over the baseline after imports
(Linux ``VmHWM`` after resetting it through ``/proc/self/clear_refs``; ``resource.getrusage``
ru_maxrss elsewhere) and the Python heap peak (``tracemalloc``). Usage:

    .venv/bin/python bench/bench_edxml_large_attachment.py [--mib 100]
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
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

_CHILD = r"""
import json, resource, sys, time, tracemalloc
from conformance.standards.edxml import validate_package
import conformance.standards.edxml.dsig  # noqa: F401  (imports outside the measurement)


def status(field):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return None


case, path = sys.argv[1], sys.argv[2]
try:  # Linux: reset the high-water mark so that VmHWM is the peak of this case only
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    base = status("VmRSS")
except OSError:
    base = None
base_maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
t0 = time.perf_counter()
if case == "read":
    with open(path, "rb") as fh:
        while fh.read(1 << 20):
            pass
    ok, codes = True, []
elif case == "decode":  # the inherent work without XML: read, drop line breaks, base64-decode, SHA-256
    import binascii, hashlib
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(77 * 13618):
            h.update(binascii.a2b_base64(chunk.translate(None, b"\n")))
    ok, codes = True, []
else:
    rep = validate_package(path)
    ok, codes = rep.ok, [p.code for p in rep.problems]
elapsed = time.perf_counter() - t0
_, heap_peak = tracemalloc.get_traced_memory()
if base is not None and status("VmHWM") is not None:
    growth = status("VmHWM") - base
else:
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base_maxrss
print(json.dumps({"case": case, "seconds": elapsed, "rss_growth_kib": growth,
                  "heap_peak_kib": heap_peak // 1024, "ok": ok, "codes": codes}))
"""


def _package(directory: Path, mib: int) -> tuple[Path, int]:
    from conformance.standards.edxml import model as m
    from conformance.standards.edxml.build import business_key, write_package

    payload = directory / "big.pdf"
    with payload.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        block = os.urandom(1 << 20)
        for i in range(mib):
            fh.write(block[i % 97 :] + block[: i % 97])
    day = dt.date(2025, 3, 14)
    code = m.Code("123", "UBND-KGVX")
    pkg = m.DocumentPackage(
        m.MessageHeader(
            from_=m.Organization("000.00.00.H99", "UBND tỉnh Thử Nghiệm"),
            to=[m.Organization("000.00.12.H99", "Sở KH&CN tỉnh Thử Nghiệm")],
            code=code,
            promulgation_info=m.PromulgationInfo("Thử Nghiệm", day),
            document_type=m.DocumentType(2, "Công văn", 18),
            subject="V/v kết nối, liên thông phần mềm quản lý văn bản",
            content="V/v kết nối, liên thông phần mềm quản lý văn bản",
            signer_info=m.SignerInfo("Nguyễn Văn A", "PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH"),
            document_id=business_key("000.00.00.H99", day, code.so_ky_hieu),
            due_date=dt.date(2025, 3, 28),
            other_info=m.OtherInfo(0, "Liên thông văn bản quốc gia", "TVC", 2, 2),
            steering_type=0,
        ),
        m.TraceHeaderList(
            [m.TraceHeader("000.00.00.H99", dt.datetime(2025, 3, 14, 9, 31))],
            m.Bussiness(m.BussinessDocType.NEW, "Văn bản điện tử mới", 0),
        ),
        [m.Attachment("cid:1", "123-UBND-KGVX.signed.pdf", "application/pdf", path=payload)],
    )
    out = directory / "big.edxml"
    with out.open("wb") as fh:
        write_package(pkg, fh, declare_digests=True)
    return out, payload.stat().st_size


def _signed(directory: Path, raw: Path) -> Path:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    from conformance.standards.edxml.dsig import sign_package

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(dt.datetime(2025, 1, 1))
        .not_valid_after(dt.datetime(2035, 1, 1))
        .sign(key, hashes.SHA256())
    )
    out = directory / "big.signed.edxml"
    out.write_bytes(sign_package(raw.read_bytes(), key, cert))
    return out


def _run(case: str, path: Path) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, case, str(path)], check=True, capture_output=True, text=True, env=env
    )
    return json.loads(done.stdout)


def _refusals() -> None:
    """Time to refuse the hostile fixtures (billion laughs, XXE, zip bomb): bounded, before any expansion."""
    from conformance.standards.edxml import validate_package

    fixtures = ROOT / "fixtures" / "edxml" / "invalid"
    laughs = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "' + b"x" * 10 + b'">'
    laughs += b"".join(b'<!ENTITY a%d "%s">' % (i, b"&a;" * 10) for i in range(1, 100)) + b"]><l>&a99;</l>"
    cases = [
        (name, (fixtures / name).read_bytes())
        for name in ("billion_laughs.edxml", "xxe_file.edxml", "xxe_external_dtd.edxml", "zip_bomb.zip")
    ] + [("10^100 laughs (generated)", laughs)]
    print(f"{'refused input':32} {'ms/run':>8}  code")
    for name, data in cases:
        runs = 50
        t0 = time.perf_counter()
        for _ in range(runs):
            report = validate_package(data)
        ms = (time.perf_counter() - t0) * 1000 / runs
        print(f"{name:32} {ms:8.2f}  {report.codes}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mib", type=int, default=100, help="attachment size in MiB (default 100)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="edxml-bench-") as tmp:
        d = Path(tmp)
        t0 = time.perf_counter()
        raw, payload = _package(d, args.mib)
        built = time.perf_counter() - t0
        signed = _signed(d, raw)
        with (d / "big.pdf").open("rb") as src, (d / "big.b64").open("wb") as dst:
            while chunk := src.read(57 * 16384):
                dst.write(base64.encodebytes(chunk))
        zipped = d / "big.zip"
        with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.write(raw, "big.edxml")
        size = raw.stat().st_size / 2**20
        print(f"attachment {payload / 2**20:.1f} MiB; package {size:.1f} MiB (built in {built:.1f} s)")
        results = [
            ("read once (1 MiB chunks)", _run("read", raw)),
            ("read+base64+sha256 (no XML)", _run("decode", d / "big.b64")),
            ("validate raw .edxml", _run("validate", raw)),
            ("validate signed (RSA-SHA256)", _run("validate", signed)),
            ("validate zipped", _run("validate", zipped)),
        ]
        floor = float(results[0][1]["seconds"])  # type: ignore[arg-type]
        print(f"{'case':32} {'time s':>8} {'x read':>8} {'RSS growth MiB':>15} {'heap peak MiB':>14}  codes")
        for label, r in results:
            secs = float(r["seconds"])  # type: ignore[arg-type]
            rss = float(r["rss_growth_kib"]) / 1024  # type: ignore[arg-type]
            heap = float(r["heap_peak_kib"]) / 1024  # type: ignore[arg-type]
            print(f"{label:32} {secs:8.2f} {secs / floor:8.1f} {rss:15.1f} {heap:14.1f}  {r['codes']}")
        _refusals()
        bad = [label for label, r in results[2:] if not r["ok"]]
        if bad:
            print("NOT VALID:", bad)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
