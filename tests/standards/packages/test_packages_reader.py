"""Hardened reading: hostile ZIPs and folders are refused in bounded time and memory, never extracted."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from conformance.standards.packages import Limits, PackageRefused, build, open_package, validate_package
from conformance.standards.packages._xml import XmlRefused, parse_xml
from conformance.standards.packages.reader import hash_stream

OBJID = "uuid-7A50E100-0249-5152-B3F5-13BF3385BC41"


def _zip(path: Path, entries: list[tuple[str, bytes]], *, mode: int = 0o100644) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return path


def _refused(path: Path, code: str, **limits: int) -> None:
    report = validate_package(path, limits=Limits(**limits))
    assert report.status == "refused", report.text()
    assert report.exit_code == 2
    assert [f.code for f in report.findings] == [code], report.text()


@pytest.mark.parametrize(
    "name",
    ["../evil.txt", f"{OBJID}/../../evil.txt", "/etc/cron.d/evil", "C:/evil.bat", "a\\..\\..\\evil"],
)
def test_traversal_refused(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    z = _zip(tmp_path / "p.zip", [(f"{OBJID}/METS.xml", b"<mets/>"), (name, b"x")])
    _never_decompressed(monkeypatch)
    _refused(z, "read.traversal")
    assert not (tmp_path.parent / "evil.txt").exists()


def _never_decompressed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bounded time without a timed assertion: refusal must come from the central directory alone, so
    no entry may be opened (nothing inflated, however large it claims to be)."""

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("a ZIP entry was opened before the package was refused")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)


def test_symlink_entry_refused(tmp_path: Path) -> None:
    z = _zip(tmp_path / "p.zip", [(f"{OBJID}/METS.xml", b"/etc/passwd")], mode=0o120777)
    _refused(z, "read.symlink")


def test_zip_bomb_refused_in_bounded_time_and_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    z = _zip(tmp_path / "bomb.zip", [(f"{OBJID}/representations/rep1/data/a.pdf", bytes(64 * 1024 * 1024))])
    assert z.stat().st_size < 200 * 1024  # small on disk
    _never_decompressed(monkeypatch)  # time: no byte of the 64 MiB entry is inflated
    tracemalloc.start()
    _refused(z, "read.ratio")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 8 * 1024 * 1024  # memory: the entry was never held


def test_total_size_cap_from_declared_sizes(tmp_path: Path) -> None:
    entries = [(f"{OBJID}/representations/rep1/data/{i}.pdf", os.urandom(40_000)) for i in range(5)]
    _refused(_zip(tmp_path / "p.zip", entries), "read.total_size", max_total_bytes=100_000)


def test_entry_count_cap_read_from_the_end_record(tmp_path: Path) -> None:
    entries = [(f"{OBJID}/f{i}.txt", b"x") for i in range(50)]
    _refused(_zip(tmp_path / "p.zip", entries), "read.too_many_entries", max_entries=20)


def test_encrypted_and_duplicate_entries_refused(tmp_path: Path) -> None:
    z = _zip(tmp_path / "enc.zip", [(f"{OBJID}/METS.xml", b"<mets/>")])
    raw = bytearray(z.read_bytes())
    struct.pack_into("<H", raw, 6, 1)  # local header general purpose flag: encrypted
    cd = raw.rfind(b"PK\x01\x02")
    struct.pack_into("<H", raw, cd + 8, 1)
    z.write_bytes(bytes(raw))
    _refused(z, "read.encrypted")
    with zipfile.ZipFile(tmp_path / "dup.zip", "w") as zf:
        zf.writestr(f"{OBJID}/METS.xml", b"a")
        with pytest.warns(UserWarning):
            zf.writestr(f"{OBJID}/METS.xml", b"b")
    _refused(tmp_path / "dup.zip", "read.duplicate_entry")


def test_lying_size_header_is_caught_while_streaming(tmp_path: Path) -> None:
    z = _zip(tmp_path / "lie.zip", [(f"{OBJID}/METS.xml", bytes(8 * 1024 * 1024))])
    raw = bytearray(z.read_bytes())
    struct.pack_into("<I", raw, 22, 100)
    struct.pack_into("<I", raw, raw.rfind(b"PK\x01\x02") + 24, 100)
    z.write_bytes(bytes(raw))
    _refused(z, "read.corrupt")


def test_not_a_zip_and_missing_path(tmp_path: Path) -> None:
    (tmp_path / "x.zip").write_bytes(b"PK\x03\x04garbage")
    _refused(tmp_path / "x.zip", "read.corrupt")
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    _refused(tmp_path / "x.pdf", "read.not_package")
    _refused(tmp_path / "nothing", "read.not_found")


def test_folder_with_symlink_refused(tmp_path: Path) -> None:
    pkg = build.build_sip_hoso(build.example_dossier(), tmp_path)
    (pkg / "representations/rep1/data/link.pdf").symlink_to("/etc/passwd")
    _refused(pkg, "read.symlink")


def test_zip_reading_never_writes_to_disk(tmp_path: Path) -> None:
    z = build.build_sip_hoso(build.example_dossier(), tmp_path / "out", as_zip=True)
    before = {p for p in tmp_path.rglob("*")}
    assert validate_package(z).valid
    assert {p for p in tmp_path.rglob("*")} == before


def test_zip_package_root_and_stray_entries(tmp_path: Path) -> None:
    z = build.build_sip_hoso(build.example_dossier(), tmp_path, as_zip=True)
    with open_package(z) as pkg:
        assert pkg.root_name == z.name[1:-4]
        assert "METS.xml" in pkg.files and pkg.is_zip


def test_hash_stream_is_chunked_and_correct() -> None:
    data = os.urandom(3 * 1024 * 1024 + 7)
    d = hash_stream(io.BytesIO(data), chunk=64 * 1024)
    assert d.size == len(data)
    assert d.sha256 == hashlib.sha256(data).hexdigest().upper()
    with pytest.raises(PackageRefused):
        hash_stream(io.BytesIO(data), limit=1024)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>', "xml.dtd"),
        (b'<!DOCTYPE a [<!ENTITY a "aa"><!ENTITY b "&a;&a;&a;">]><a>&b;</a>', "xml.dtd"),
        ("<!DOCTYPE a><a/>".encode("utf-16"), "xml.dtd"),
        (b"<a>" * 200 + b"</a>" * 200, "xml.too_deep"),
        (b"<a><b></a>", "xml.malformed"),
        (b"<a>&undefined;</a>", "xml.malformed"),
    ],
)
def test_xml_hardening(data: bytes, code: str) -> None:
    with pytest.raises(XmlRefused) as exc:
        parse_xml(data)
    assert exc.value.code == code


def test_xml_size_limit() -> None:
    with pytest.raises(XmlRefused) as exc:
        parse_xml(b"<a>" + b"x" * 2000 + b"</a>", max_bytes=1000)
    assert exc.value.code == "xml.too_large"
