"""Append-only evidence files, written as they happen, each hashed into a manifest.

Each criterion has a folder ``evidence/<ID>/``; every record is a new file (opened with ``x``, never
rewritten) and a line ``{"file","sha256","size"}`` in that folder's ``manifest.jsonl``.

Durability: every record reaches the operating system before the next step starts, so a harness
killed with SIGKILL loses nothing it recorded. The commit point of a criterion is its line in
``events.jsonl``, which is fsynced; per-record fsync (``CONFORMANCE_EVIDENCE_FSYNC=1``) also
survives a power cut mid-criterion, at about 1.5 ms a record on a common disk. Either way the
SHA-256 manifest exposes any record a crash truncated.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any, ClassVar

from conformance.evidence.redact import Redactor

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _fsync_each() -> bool:
    return os.environ.get("CONFORMANCE_EVIDENCE_FSYNC") == "1"


def write_durable(path: Path, data: bytes, *, exclusive: bool = True, sync: bool = True) -> None:
    """Write bytes, flushed to the OS; fsynced too when ``sync`` (commit points, run files)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb" if exclusive else "wb") as fh:
        fh.write(data)
        fh.flush()
        if sync:
            os.fsync(fh.fileno())


def append_line(path: Path, obj: Any, *, sync: bool = True) -> None:
    """Append one JSON line (one write call, so a reader never sees half a line from us)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n"
    with open(path, "ab") as fh:
        fh.write(line.encode("utf-8"))
        fh.flush()
        if sync:
            os.fsync(fh.fileno())


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class CriterionEvidence:
    """The evidence folder of one criterion in one run."""

    _next: ClassVar[dict[Path, int]] = {}  # per process: a criterion run again continues its numbering

    def __init__(self, run_dir: Path, criterion_id: str, redactor: Redactor) -> None:
        self.run_dir = run_dir
        self.dir = run_dir / "evidence" / criterion_id
        self.redactor = redactor
        self.files: list[str] = []
        n = self._next.get(self.dir)
        if n is None:
            n = len([p for p in self.dir.iterdir() if p.name != "manifest.jsonl"]) if self.dir.exists() else 0
        self._n = n

    def record(self, name: str, obj: dict[str, Any]) -> str:
        """Write one JSON record; returns its path relative to the run directory."""
        self._n += 1
        fname = f"{self._n:03d}-{_SAFE.sub('_', name)[:60]}.json"
        data = json.dumps(self.redactor.value(obj), ensure_ascii=False, indent=1, sort_keys=True, default=str)
        data = self.redactor.text(data)
        return self._commit(fname, data.encode("utf-8"))

    def blob(self, name: str) -> Blob:
        """Start a binary artefact written in chunks (a download streamed to disk), hashed as it goes."""
        self._n += 1
        return Blob(self, f"{self._n:03d}-{_SAFE.sub('_', name)[:80]}")

    def attach(self, name: str, data: bytes) -> str:
        """Store a binary artefact (screenshot, package, PDF) as evidence."""
        self._n += 1
        return self._commit(f"{self._n:03d}-{_SAFE.sub('_', name)[:80]}", data)

    def _manifest(self, fname: str, sha256: str, size: int, sync: bool) -> str:
        append_line(self.dir / "manifest.jsonl", {"file": fname, "sha256": sha256, "size": size}, sync=sync)
        self._next[self.dir] = self._n
        rel = str((self.dir / fname).relative_to(self.run_dir))
        self.files.append(rel)
        return rel

    def _commit(self, fname: str, data: bytes) -> str:
        path = self.dir / fname
        sync = _fsync_each()
        write_durable(path, data, sync=sync)
        return self._manifest(fname, hashlib.sha256(data).hexdigest(), len(data), sync)


class Blob:
    """A binary artefact being written: the SHA-256 and size of what the system sent, as it arrives.

    ``sha256`` and ``size`` describe the bytes received. Secrets are masked in the stored copy before
    it enters the manifest (``redacted`` then says so): the file on disk may differ from what was
    received only in that case, and the record says it.
    """

    MASK_SCAN_MAX = 64 * 1024 * 1024

    def __init__(self, ev: CriterionEvidence, fname: str) -> None:
        self._ev = ev
        self.fname = fname
        self.path = ev.dir / fname
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "xb")
        self._hash = hashlib.sha256()
        self.size = 0
        self.sha256 = ""
        self.redacted = False
        self.rel = ""

    def write(self, chunk: bytes) -> None:
        self._hash.update(chunk)
        self.size += len(chunk)
        self._fh.write(chunk)

    def close(self) -> str:
        """Finish the file (flushed; fsynced per the store's policy), add it to the manifest."""
        if self.rel:
            return self.rel
        sync = _fsync_each()
        self._fh.flush()
        if sync:
            os.fsync(self._fh.fileno())
        self._fh.close()
        self.sha256 = self._hash.hexdigest()
        stored_sha, stored_size = self.sha256, self.size
        if self.size <= self.MASK_SCAN_MAX:
            masked, self.redacted = self._ev.redactor.bytes(self.path.read_bytes())
            if self.redacted:
                self.path.write_bytes(masked)
                stored_sha, stored_size = hashlib.sha256(masked).hexdigest(), len(masked)
        self.rel = self._ev._manifest(self.fname, stored_sha, stored_size, sync)
        return self.rel


def load_records(run_dir: Path, criterion_id: str) -> list[dict[str, Any]]:
    """The JSON records of a criterion, in the order they were written."""
    d = run_dir / "evidence" / criterion_id
    if not d.is_dir():
        return []
    out = []
    for p in sorted(d.glob("[0-9][0-9][0-9]-*.json")):
        try:
            rec = json.loads(p.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        rec["_file"] = str(p.relative_to(run_dir))
        out.append(rec)
    return out


def write_manifest(run_dir: Path) -> Path:
    """SHA-256 of every file of the run directory (but the manifest itself)."""
    entries = {}
    for p in sorted(run_dir.rglob("*")):
        if p.is_file() and p.name != "manifest.json":
            entries[str(p.relative_to(run_dir))] = {"sha256": sha256_file(p), "size": p.stat().st_size}
    out = run_dir / "manifest.json"
    tmp = out.with_suffix(".tmp")
    tmp.write_text(
        json.dumps({"algorithm": "sha256", "files": entries}, indent=1, ensure_ascii=False), "utf-8"
    )
    tmp.replace(out)
    return out
