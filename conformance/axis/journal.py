"""Append-only evidence journal of the simulated axis: every call and every package it carried.

Why: a verdict on a vendor's connector must be traceable to what actually crossed the axis — the
call, the authenticated agency, the outcome, the timing, and the exact package bytes with their
SHA-256. Entries are kept in memory with a sequence number, so an observer can ask for "everything
after my mark"; with a directory sink each entry is also one JSON line of ``journal.jsonl`` and
each distinct package is stored once as ``packages/<sha256>.edxml``.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = ["Journal"]


class Journal:
    """Thread-safe, append-only list of entries (read-only mappings) with an optional directory sink."""

    def __init__(self, sink: Path | str | None = None) -> None:
        self._lock = threading.Lock()
        self._entries: list[Mapping[str, Any]] = []
        self._sink = Path(sink) if sink is not None else None
        self._seen: set[str] = set()
        if self._sink is not None:
            (self._sink / "packages").mkdir(parents=True, exist_ok=True)

    @property
    def sink(self) -> Path | None:
        return self._sink

    def record(self, kind: str, **fields: Any) -> Mapping[str, Any]:
        """Append one entry (``kind`` is ``call``, ``package`` or ``owner``) and return it."""
        with self._lock:
            entry = {"seq": len(self._entries) + 1, "kind": kind, "at": time.time(), **fields}
            frozen = MappingProxyType(entry)
            self._entries.append(frozen)
            if self._sink is not None:
                with (self._sink / "journal.jsonl").open("a", encoding="utf-8") as out:
                    out.write(json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str) + "\n")
            return frozen

    def record_package(self, data: bytes, **fields: Any) -> Mapping[str, Any]:
        """Record a package (size, SHA-256, routing facts) and store its bytes in the sink."""
        digest = hashlib.sha256(data).hexdigest()
        if self._sink is not None:
            with self._lock:
                fresh = digest not in self._seen
                self._seen.add(digest)
            if fresh:
                (self._sink / "packages" / f"{digest}.edxml").write_bytes(data)
        return self.record("package", sha256=digest, size=len(data), **fields)

    def entries(self, kind: str | None = None, *, after: int = 0) -> tuple[Mapping[str, Any], ...]:
        """A snapshot of the entries after sequence number ``after``, optionally of one kind."""
        with self._lock:
            items = tuple(self._entries[max(after, 0) :])
        return items if kind is None else tuple(e for e in items if e["kind"] == kind)

    def last_seq(self) -> int:
        with self._lock:
            return len(self._entries)

    def __len__(self) -> int:
        return self.last_seq()
