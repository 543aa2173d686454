"""The registry judges add themselves to, and the `Finding` they return."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Record = dict[str, Any]


@dataclass(frozen=True)
class Finding:
    """The outcome of one check: ok or not, and a Vietnamese sentence that says why."""

    ok: bool
    message: str


@dataclass(frozen=True)
class JudgeSpec:
    name: str
    fn: Callable[..., Finding]
    params: dict[str, Any]
    on: Literal["one", "many", "none"]
    doc: str


JUDGES: dict[str, JudgeSpec] = {}

_MODULES = (
    "conformance.judges.http",
    "conformance.judges.values",
    "conformance.judges.files",
    "conformance.judges.display",  # what a person sees (UI channel)
    # area 2, lập hồ sơ: list outputs, PL VI records, dossier exports
    "conformance.judges.collections",
    "conformance.judges.metadata",
    "conformance.judges.exports",
    "conformance.judges.transfer",
    "conformance.judges.audit",
    "conformance.judges.archive",
    "conformance.judges.exchange",
)
_loaded = False


def judge(
    name: str, params: dict[str, Any] | None = None, on: Literal["one", "many", "none"] = "one"
) -> Callable[[Callable[..., Finding]], Callable[..., Finding]]:
    """Register a judge under ``name`` with the JSON Schema of its ``with:`` parameters."""
    schema = {"type": "object", "additionalProperties": False, "properties": {}, **(params or {})}

    def deco(fn: Callable[..., Finding]) -> Callable[..., Finding]:
        JUDGES[name] = JudgeSpec(name, fn, schema, on, (fn.__doc__ or "").strip())
        return fn

    return deco


def load_all() -> dict[str, JudgeSpec]:
    """Import the judge modules (once), so registration happens on demand, not at import time."""
    global _loaded
    if not _loaded:
        for mod in _MODULES:
            importlib.import_module(mod)
        _loaded = True
    return JUDGES


_ROOT: ContextVar[Path | None] = ContextVar("evidence_root", default=None)


@contextlib.contextmanager
def evidence_root(run_dir: Path | None) -> Iterator[None]:
    """The run folder whose blobs judges may read while judging (set by the engine and rejudge)."""
    token = _ROOT.set(run_dir)
    try:
        yield
    finally:
        _ROOT.reset(token)


def blob_path(rel: str | None) -> Path | None:
    """The file of a recorded blob (``evidence/<ID>/NNN-…``), or None when it is not on disk.

    Judges stay pure: a blob is immutable evidence written before judging, named by the record,
    and confined to the run folder (a record naming ``../`` gets None).
    """
    root = _ROOT.get()
    if root is None or not rel:
        return None
    path = (root / rel).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        return None
    return path


def get_judge(name: str) -> JudgeSpec | None:
    return load_all().get(name)
