"""TT 05/2025 element frames, the code lists ``codes.py`` does not hold, and the mimetype table.

Why a data file (``data/tt05.yaml``): the frames and lists rest on a secondary reading of the TT05
appendices (U10, [S]; OQ-29, OQ-34) and must be replaceable after checking the official PDF without
touching code. Lists already in ``conformance.standards.codes`` (maintenance, mode, language, typeName)
are used from there, never copied. Loaded lazily on first use.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from .. import codes

__all__ = ["Element", "check_list_code", "frame", "list_codes", "mets_constants", "mimetypes", "tt05"]

#: code lists served by conformance.standards.codes (name in the frame → name in codes.py)
SHARED_LISTS: Mapping[str, str] = MappingProxyType(
    {"maintenance": "maintenance", "mode": "mode", "language": "language", "type_name": "type_name"}
)


@dataclass(frozen=True)
class Element:
    """One element of a TT05 ``<simpledc>`` frame."""

    name: str
    type: str
    length: int | None
    need: str
    code: str | None = None
    check: str | None = None
    empty: str | None = None
    extra: bool = False


@functools.cache
def tt05() -> Mapping[str, Any]:
    """The parsed ``data/tt05.yaml`` (cached)."""
    text = resources.files(__package__).joinpath("data", "tt05.yaml").read_text(encoding="utf-8")
    return MappingProxyType(yaml.safe_load(text))


@functools.cache
def frame(kind: str) -> tuple[Element, ...]:
    """Element frame: SIP_hoso, AIP_hoso, SIP_tailieu, AIP_tailieu, SIP_doc or AIP_doc (data/tt05.yaml)."""
    return tuple(Element(**row) for row in tt05()["frames"][kind])


@functools.cache
def list_codes(name: str) -> Mapping[str, str]:
    """code → label of a list (shared lists come from ``codes.code_list``)."""
    if name in SHARED_LISTS:
        return MappingProxyType({e.code: e.label for e in codes.code_list(SHARED_LISTS[name])})
    return MappingProxyType({str(e["code"]): e["label"] for e in tt05()["lists"][name]["entries"]})


def check_list_code(name: str, values: Sequence[str]) -> list[str]:
    """Values of ``values`` that are not codes of list ``name`` (several values only for ``language``)."""
    if name in SHARED_LISTS:
        res = codes.check_code(SHARED_LISTS[name], list(values) if name == "language" else values[0])
        known = {e.code for e in res.entries}
        return [v for v in values if v not in known]
    known = list_codes(name)
    return [v for v in values if v not in known]


def mimetypes() -> Mapping[str, tuple[str, ...]]:
    """extension (lower case, no dot) → accepted MIME types (TT05 PL III §8 [S])."""
    return MappingProxyType({k: tuple(v) for k, v in tt05()["mimetypes"].items()})


def mets_constants() -> Mapping[str, Any]:
    return tt05()["mets"]
