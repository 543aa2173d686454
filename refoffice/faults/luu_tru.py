"""Faults of area 3, lưu trữ điện tử: integrity, access control, audit, search, backup, retention."""

from __future__ import annotations

from refoffice.faults.model import Fault

FAULTS: list[Fault] = []
