"""State of the archive area that belongs to one app instance: locks and the backup media folders.

Kept on ``app.state.archive`` so several apps can live in one process (the tests do), and so the
other areas' shared context (`context.AppContext`) does not have to know about it.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request

from refoffice.context import AppContext


@dataclass
class ArchiveState:
    """Per-instance locks and folders of the archive area."""

    root: Path
    # The audit chain is a sequence: one writer at a time computes the next link.
    audit_lock: threading.Lock = field(default_factory=threading.Lock)
    backup_lock: threading.Lock = field(default_factory=threading.Lock)
    _tmp: tempfile.TemporaryDirectory[str] | None = None

    @classmethod
    def for_db(cls, db_url: str) -> ArchiveState:
        """Backups go beside a SQLite file (``<db>.archive/``), else into a private temp folder."""
        if db_url.startswith("sqlite:///") and db_url not in ("sqlite:///:memory:",):
            root = Path(db_url.removeprefix("sqlite:///") + ".archive")
            root.mkdir(parents=True, exist_ok=True)
            return cls(root)
        tmp = tempfile.TemporaryDirectory(prefix="refoffice-archive-")
        return cls(Path(tmp.name), _tmp=tmp)

    @property
    def media(self) -> list[Path]:
        """Two independent backup media (TT 02/2019 Đ.10; TT 05/2025 Đ.27.1: at least two sets)."""
        return [self.root / "phuong-tien-1", self.root / "phuong-tien-2"]

    @property
    def restores(self) -> Path:
        """Where clean instances restored from a backup live."""
        return self.root / "phuc-hoi"


def archive_state(request: Request) -> ArchiveState:
    """The archive state of the app serving this request."""
    return request.app.state.archive


def app_ctx(scope_app: object) -> AppContext:
    """The shared context of an app object (for ASGI middleware, which has no Request yet)."""
    return scope_app.state.ctx  # type: ignore[attr-defined]
