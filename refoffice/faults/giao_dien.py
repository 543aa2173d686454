"""Faults of the web interface (UI channel): labels, notifications, what a person sees."""

from __future__ import annotations

from refoffice.faults.model import Fault

FAULTS: list[Fault] = []
