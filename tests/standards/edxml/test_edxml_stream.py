"""Large attachments are validated in bounded memory: content never reaches lxml or a Python buffer."""

from __future__ import annotations

import gc
import hashlib
import tracemalloc
import zipfile
from pathlib import Path

from conformance.standards.edxml import model as m
from conformance.standards.edxml.build import write_package
from conformance.standards.edxml.parse import Limits
from conformance.standards.edxml.validate import validate_package

MIB = 1 << 20


def _big_package(tmp_path: Path, edoc: m.DocumentPackage, mib: int) -> tuple[Path, bytes]:
    block = hashlib.sha512(b"edxml").digest() * (MIB // 64)
    payload = tmp_path / "big.pdf"
    with payload.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        for i in range(mib):
            fh.write(block[i % 64 :] + block[: i % 64])
    edoc.attachments[0].data, edoc.attachments[0].path = None, payload
    out = tmp_path / "big.edxml"
    with out.open("wb") as fh:
        write_package(edoc, fh, declare_digests=True)
    return out, hashlib.sha256(payload.read_bytes()).digest()


def test_large_attachment_in_bounded_memory(tmp_path: Path, edoc: m.DocumentPackage) -> None:
    path, digest = _big_package(tmp_path, edoc, 24)
    assert path.stat().st_size > 32 * MIB
    # the markup handed to lxml stays tiny: the 32 MiB of base64 are diverted by the tap
    limits = Limits(max_structure_bytes=64 * 1024)
    validate_package(path, limits=limits)  # warm-up: code-list data files are loaded once
    gc.collect()
    tracemalloc.start()
    try:
        report = validate_package(path, limits=limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.problems == ()
    assert report.attachments[0]["size"] == 24 * MIB + 9
    assert report.attachments[0]["sha256"] == digest.hex()
    assert peak < 8 * MIB, f"Python heap peak {peak / MIB:.1f} MiB"


def test_large_zipped_package(tmp_path: Path, edoc: m.DocumentPackage) -> None:
    path, digest = _big_package(tmp_path, edoc, 8)
    zipped = tmp_path / "big.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.write(path, "big.edxml")
    report = validate_package(zipped, limits=Limits(max_structure_bytes=64 * 1024))
    assert report.ok and report.attachments[0]["sha256"] == digest.hex()
