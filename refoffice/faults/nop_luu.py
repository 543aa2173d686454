"""Faults of area 4, nộp lưu: transfer workflow and SIP/AIP packages."""

from __future__ import annotations

from refoffice.faults.model import Fault

FAULTS: list[Fault] = []
