"""Reading a TT05 package from a folder or a ZIP file, hardened, without extracting anything to disk.

Why: TT05 delivers SIPs ZIP-compressed (PL III §5, TR-029) from another agency's system, so the archive
must open packages it does not trust. A ZIP is checked from its central directory before any byte is
decompressed: the end-of-central-directory record is read first (entry count and directory size capped,
so a forged directory cannot make ``zipfile`` allocate without bound), then every entry name (no absolute
path, drive letter, backslash or ``..``: path traversal), type (no symbolic link), flags (no encryption),
compression method, declared size (total cap) and compression ratio (per-entry cap: ZIP bomb). Reading
is streamed in fixed chunks and the bytes actually produced are counted against the declared sizes, so a
lying header cannot inflate memory or time. Folders get the same entry-count and size caps, and symbolic
links are refused rather than followed.

SHA-256 values are recomputed by streaming (``Digest``): memory does not grow with the data size (see
``bench/bench_package_streaming.py``). Each file is hashed at most once per validation.
"""

from __future__ import annotations

import hashlib
import os
import stat
import struct
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

__all__ = [
    "CHUNK",
    "Digest",
    "FolderPackage",
    "Limits",
    "PackageRefused",
    "PackageSource",
    "ZipPackage",
    "hash_stream",
    "open_package",
]

CHUNK = 1024 * 1024  # bytes per read when hashing: the only buffer whose size matters


@dataclass(frozen=True)
class Limits:
    """Reading limits (hardening, [I]); every one is a CLI flag.

    ``max_ratio`` applies to entries whose declared size exceeds ``ratio_floor`` (small, highly repetitive
    XML files legitimately compress well).
    """

    max_entries: int = 20_000
    max_total_bytes: int = 64 * 1024**3
    max_ratio: float = 100.0
    ratio_floor: int = 64 * 1024
    max_xml_bytes: int = 64 * 1024 * 1024
    max_xml_depth: int = 64
    max_name_length: int = 1024

    def as_dict(self) -> dict[str, float | int]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class PackageRefused(Exception):
    """The package is not validated further: unreadable, or refused by a reading limit (exit code 2)."""

    def __init__(self, code: str, message: str, message_vi: str, file: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.message_vi = message_vi
        self.file = file


@dataclass(frozen=True)
class Digest:
    """Byte length, SHA-256 (upper-case hex, as the TT05 sample writes it) and the first bytes of a file."""

    size: int
    sha256: str
    head: bytes


def hash_stream(stream: BinaryIO, *, chunk: int = CHUNK, limit: int | None = None) -> Digest:
    """SHA-256 of a stream read in ``chunk``-sized pieces; ``limit`` stops a stream that exceeds it."""
    h = hashlib.sha256()
    size = 0
    head = b""
    buf = bytearray(chunk)
    view = memoryview(buf)
    readinto = getattr(stream, "readinto", None)
    while True:
        if readinto is not None:
            n = readinto(view)
            if not n:
                break
            piece = view[:n]
        else:
            data = stream.read(chunk)
            if not data:
                break
            n, piece = len(data), data
        if size < 16:
            head = (head + bytes(piece[: 16 - size]))[:16]
        size += n
        if limit is not None and size > limit:
            raise PackageRefused(
                "read.total_size",
                f"stream longer than its limit of {limit} bytes",
                f"Dữ liệu dài hơn giới hạn {limit} byte",
            )
        h.update(piece)
    return Digest(size, h.hexdigest().upper(), head)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class PackageSource:
    """A package's files: ``files`` maps package-relative POSIX paths (NFC) to byte sizes.

    ``root_name`` is the package folder name (the OBJID folder) or None when a ZIP holds the package at
    its top; ``name`` is the file or folder name as given; ``stray`` lists paths outside the package
    folder of a ZIP.
    """

    name: str
    root_name: str | None
    is_zip: bool
    files: dict[str, int]
    dirs: set[str]
    stray: list[str]
    non_nfc: list[str]

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._digests: dict[str, Digest] = {}
        self.bytes_hashed = 0
        self.files = {}
        self.dirs = set()
        self.stray = []
        self.non_nfc = []

    def open(self, rel: str) -> BinaryIO:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:
        """Release the underlying file handle (ZIP)."""

    def __enter__(self) -> PackageSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def exists(self, rel: str) -> bool:
        return rel in self.files

    def is_dir(self, rel: str) -> bool:
        return rel.rstrip("/") in self.dirs

    def read_bytes(self, rel: str, limit: int) -> bytes:
        """Whole content of a (small) file; ``ValueError`` when it is larger than ``limit``."""
        if self.files.get(rel, 0) > limit:
            raise ValueError(f"{rel}: {self.files[rel]} bytes > {limit}")
        with self.open(rel) as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise ValueError(f"{rel}: larger than {limit}")
        return data

    def digest(self, rel: str) -> Digest:
        """Streamed SHA-256 of one file, computed once and cached."""
        d = self._digests.get(rel)
        if d is None:
            with self.open(rel) as fh:
                d = hash_stream(fh, limit=self.limits.max_total_bytes)
            self._digests[rel] = d
            self.bytes_hashed += d.size
        return d


class FolderPackage(PackageSource):
    """A package unpacked in a folder; symbolic links are refused, never followed."""

    def __init__(self, root: Path, limits: Limits, *, display: str | None = None) -> None:
        super().__init__(limits)
        self.root = root
        self.name = display or root.name
        self.root_name = _nfc(root.name)
        self.is_zip = False
        self._real: dict[str, str] = {}
        total = 0
        count = 0
        stack = [("", root)]
        while stack:
            prefix, directory = stack.pop()
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
            for entry in entries:
                count += 1
                if count > limits.max_entries:
                    raise PackageRefused(
                        "read.too_many_entries",
                        f"more than {limits.max_entries} entries",
                        f"Hơn {limits.max_entries} mục",
                    )
                rel_raw = prefix + entry.name
                rel = _nfc(rel_raw)
                if rel != rel_raw:
                    self.non_nfc.append(rel)
                if entry.is_symlink():
                    raise PackageRefused(
                        "read.symlink", "symbolic link in the package", "Gói chứa liên kết tượng trưng", rel
                    )
                if entry.is_dir(follow_symlinks=False):
                    self.dirs.add(rel)
                    stack.append((rel + "/", Path(entry.path)))
                elif entry.is_file(follow_symlinks=False):
                    size = entry.stat(follow_symlinks=False).st_size
                    total += size
                    if total > limits.max_total_bytes:
                        raise PackageRefused(
                            "read.total_size",
                            f"total size above {limits.max_total_bytes} bytes",
                            f"Tổng dung lượng vượt {limits.max_total_bytes} byte",
                        )
                    self.files[rel] = size
                    self._real[rel] = entry.path
        self.total_bytes = total

    def open(self, rel: str) -> BinaryIO:
        path = self._real[rel]
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        return os.fdopen(fd, "rb", buffering=0)


# ---- ZIP -----------------------------------------------------------------------------------------------

_EOCD = b"PK\x05\x06"
_EOCD64_LOC = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_CD_ENTRY_MAX = 46 + 0xFFFF * 3  # fixed header + name + extra + comment, each ≤ 65535


def _eocd(fh: BinaryIO, size: int) -> tuple[int, int]:
    """(entry count, central directory size) from the end records, read in bounded time (≤ 64 KiB + 22)."""
    tail_len = min(size, 0xFFFF + 22)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    pos = tail.rfind(_EOCD)
    if pos < 0 or len(tail) - pos < 22:
        raise PackageRefused(
            "read.corrupt", "no end of central directory record", "Không tìm thấy cuối thư mục ZIP"
        )
    _, _, _, _, entries, cd_size, _, _ = struct.unpack("<4sHHHHIIH", tail[pos : pos + 22])
    loc = pos - 20
    if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and loc >= 0 and tail[loc : loc + 4] == _EOCD64_LOC:
        (off64,) = struct.unpack("<Q", tail[loc + 8 : loc + 16])
        if off64 + 56 > size:
            raise PackageRefused("read.corrupt", "bad ZIP64 locator", "Bản ghi ZIP64 hỏng")
        fh.seek(off64)
        rec = fh.read(56)
        if rec[:4] != _EOCD64:
            raise PackageRefused("read.corrupt", "bad ZIP64 end record", "Bản ghi ZIP64 hỏng")
        entries, cd_size = struct.unpack("<QQ", rec[32:48])
    return entries, cd_size


def _bad_name(name: str) -> str | None:
    """Why an entry name is refused, or None."""
    if "\x00" in name:
        return "NUL in name"
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    if "\\" in name:
        return "backslash in name"
    if any(part == ".." for part in name.split("/")):
        return "'..' component"
    return None


class _CountingReader:
    """Wraps a ZIP entry stream: counts produced bytes against the package total (lying headers)."""

    def __init__(self, inner: BinaryIO, owner: ZipPackage, name: str) -> None:
        self._inner = inner
        self._owner = owner
        self._name = name

    def read(self, n: int = -1) -> bytes:
        try:
            data = self._inner.read(n if n is not None and n >= 0 else CHUNK)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise PackageRefused(
                "read.corrupt",
                f"cannot read {self._name}: {exc}",
                f"Không đọc được {self._name}: {exc}",
                self._name,
            ) from None
        except Exception as exc:  # zlib.error and friends
            raise PackageRefused(
                "read.corrupt",
                f"cannot read {self._name}: {exc}",
                f"Không đọc được {self._name}: {exc}",
                self._name,
            ) from None
        self._owner._produced += len(data)
        if self._owner._produced > self._owner.limits.max_total_bytes:
            raise PackageRefused(
                "read.total_size",
                "decompressed bytes above the total limit",
                "Dữ liệu giải nén vượt giới hạn tổng",
                self._name,
            )
        return data

    def __enter__(self) -> _CountingReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self._inner.close()

    def close(self) -> None:
        self._inner.close()


class ZipPackage(PackageSource):
    """A package in a ZIP file, read in place (never extracted)."""

    def __init__(self, path: Path, limits: Limits) -> None:
        super().__init__(limits)
        self.path = path
        self.name = path.name
        self.is_zip = True
        self._produced = 0
        size = path.stat().st_size
        self._fh = open(path, "rb")
        try:
            entries, cd_size = _eocd(self._fh, size)
            if entries > limits.max_entries:
                raise PackageRefused(
                    "read.too_many_entries",
                    f"{entries} entries, limit {limits.max_entries}",
                    f"{entries} mục, giới hạn {limits.max_entries}",
                )
            if cd_size > max(entries, 1) * _CD_ENTRY_MAX or cd_size > size:
                raise PackageRefused(
                    "read.corrupt", "central directory size is implausible", "Thư mục ZIP hỏng"
                )
            self._fh.seek(0)
            try:
                self._zip = zipfile.ZipFile(self._fh)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
                raise PackageRefused("read.corrupt", f"bad ZIP: {exc}", f"ZIP hỏng: {exc}") from None
            self._scan()
        except BaseException:
            self._fh.close()
            raise

    def _scan(self) -> None:
        limits = self.limits
        infos = self._zip.infolist()
        if len(infos) > limits.max_entries:
            raise PackageRefused("read.too_many_entries", f"{len(infos)} entries", f"{len(infos)} mục")
        seen: set[str] = set()
        total = 0
        names: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = info.filename
            why = _bad_name(name)
            if why or len(name) > limits.max_name_length:
                raise PackageRefused(
                    "read.traversal",
                    f"entry {name!r} refused: {why or 'name too long'}",
                    f"Từ chối mục {name!r}: đường dẫn tuyệt đối hoặc chứa '..'",
                    name,
                )
            mode = info.external_attr >> 16
            if info.create_system == 3 and stat.S_ISLNK(mode):
                raise PackageRefused(
                    "read.symlink", f"entry {name!r} is a symbolic link", "Mục là liên kết tượng trưng", name
                )
            if info.flag_bits & 0x1:
                raise PackageRefused("read.encrypted", f"entry {name!r} is encrypted", "Mục bị mã hóa", name)
            if info.compress_type not in (
                zipfile.ZIP_STORED,
                zipfile.ZIP_DEFLATED,
                zipfile.ZIP_BZIP2,
                zipfile.ZIP_LZMA,
            ):
                raise PackageRefused(
                    "read.unsupported",
                    f"entry {name!r}: compression {info.compress_type}",
                    "Phương thức nén không hỗ trợ",
                    name,
                )
            norm = _nfc(str(PurePosixPath(name))) + ("/" if name.endswith("/") else "")
            if norm in seen:
                raise PackageRefused("read.duplicate_entry", f"entry {name!r} twice", "Tên mục lặp lại", name)
            seen.add(norm)
            total += info.file_size
            if total > limits.max_total_bytes:
                raise PackageRefused(
                    "read.total_size",
                    f"declared uncompressed size above {limits.max_total_bytes} bytes",
                    f"Dung lượng giải nén khai báo vượt {limits.max_total_bytes} byte",
                )
            if info.file_size > limits.ratio_floor:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > limits.max_ratio:
                    raise PackageRefused(
                        "read.ratio",
                        f"entry {name!r} expands {ratio:.0f}× (limit {limits.max_ratio:.0f}×)",
                        f"Mục {name!r} giãn {ratio:.0f} lần (giới hạn {limits.max_ratio:.0f})",
                        name,
                    )
            if not info.is_dir():
                names[norm] = info
                if _nfc(name) != name:
                    self.non_nfc.append(_nfc(name))
        self.total_bytes = total
        # the package folder: one top-level folder holding METS.xml, else METS.xml at the top
        tops = {n.split("/", 1)[0] for n in names}
        root = None
        if "METS.xml" in names:
            root = ""
        else:
            candidates = sorted(t for t in tops if f"{t}/METS.xml" in names)
            if len(candidates) == 1:
                root = candidates[0]
            elif len(tops) == 1 and "/" in next(iter(names), ""):
                root = next(iter(tops))
        self.root_name = root or None
        prefix = f"{root}/" if root else ""
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for n, info in names.items():
            if prefix and not n.startswith(prefix):
                self.stray.append(n)
                continue
            rel = n[len(prefix) :]
            self._infos[rel] = info
            self.files[rel] = info.file_size
            parts = rel.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                self.dirs.add("/".join(parts[:i]))
        for n in seen:
            if n.endswith("/") and n.startswith(prefix) and n != prefix:
                self.dirs.add(n[len(prefix) :].rstrip("/"))

    def open(self, rel: str) -> BinaryIO:
        info = self._infos[rel]
        try:
            inner = self._zip.open(info)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
            raise PackageRefused(
                "read.corrupt", f"cannot open {rel}: {exc}", f"Không mở được {rel}", rel
            ) from None
        return _CountingReader(inner, self, rel)  # type: ignore[return-value]

    def close(self) -> None:
        try:
            self._zip.close()
        finally:
            self._fh.close()


def open_package(path: str | os.PathLike[str], limits: Limits | None = None) -> PackageSource:
    """Open a package folder or ZIP file. A folder that does not hold ``METS.xml`` itself but has exactly
    one sub-folder that does is read from that sub-folder (the ``<OBJID>/`` folder of an unpacked ZIP)."""
    limits = limits or Limits()
    p = Path(path)
    if p.is_symlink():
        raise PackageRefused(
            "read.symlink", "the package path is a symbolic link", "Đường dẫn gói là liên kết"
        )
    if not p.exists():
        raise PackageRefused("read.not_found", f"{p} does not exist", f"Không tìm thấy {p}")
    if p.is_dir():
        if not (p / "METS.xml").is_file():
            subs = [
                c
                for c in sorted(p.iterdir())
                if c.is_dir() and not c.is_symlink() and (c / "METS.xml").is_file()
            ]
            if len(subs) == 1:
                return FolderPackage(subs[0], limits, display=p.name)
            if not any((p / d).is_dir() for d in ("metadata", "representations", "schemas")):
                raise PackageRefused(
                    "read.not_package",
                    f"{p.name}: no METS.xml and no package sub-folder",
                    f"{p.name}: không có METS.xml hay thư mục gói",
                )
        return FolderPackage(p, limits)
    if p.is_file():
        with open(p, "rb") as fh:
            magic = fh.read(4)
        if magic[:2] == b"PK":
            return ZipPackage(p, limits)
        raise PackageRefused(
            "read.not_package", f"{p.name} is not a ZIP file", f"{p.name} không phải tệp ZIP"
        )
    raise PackageRefused(
        "read.not_package", f"{p} is not a file or folder", f"{p} không phải tệp hay thư mục"
    )


@contextmanager
def opened(path: str | os.PathLike[str], limits: Limits | None = None) -> Iterator[PackageSource]:
    """``with opened(path) as pkg:`` — ``open_package`` as a context manager."""
    pkg = open_package(path, limits)
    try:
        yield pkg
    finally:
        pkg.close()
