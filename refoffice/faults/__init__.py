"""Fault switches: deliberate, documented departures from one rule each.

The harness runs against the reference with a fault on and must then fail exactly the
criteria in `expect_fail`; that proves each check can actually fail. `expect_fail` is
metadata for the harness and never changes behaviour here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import asdict

from refoffice.faults import giao_dien, gui_nhan, lap_ho_so, luu_tru, nop_luu, preflight
from refoffice.faults.model import N30, Fault

__all__ = ["FAULTS", "N30", "Fault", "FaultState", "UnknownFaultError"]


def _registry() -> dict[str, Fault]:
    """All areas' faults in one ordered registry; a name used twice is a programming error."""
    out: dict[str, Fault] = {}
    for module in (gui_nhan, lap_ho_so, luu_tru, nop_luu, giao_dien, preflight):
        for f in module.FAULTS:
            if f.name in out:
                raise ValueError(f"fault {f.name} is registered twice")
            out[f.name] = f
    return out


FAULTS: dict[str, Fault] = _registry()


class UnknownFaultError(ValueError):
    """A name that is not in the registry."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


class FaultState:
    """The set of enabled faults, switchable at run time without a restart.

    It also remembers which switches the code consulted since it was last asked
    (``take_consulted``). Why: a switch that a request never looked at cannot have changed what
    that request did, so the harness's fault matrix needs to run a fault only against the criteria
    whose requests consult it. Every way of reading a switch (``on``, ``in``) is counted.
    """

    def __init__(self, enabled: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._enabled: frozenset[str] = frozenset()
        self._consulted: set[str] = set()
        self.replace(enabled)

    def replace(self, names: Iterable[str]) -> list[str]:
        """Replace the enabled set; unknown names are refused as a whole."""
        wanted = list(dict.fromkeys(names))
        unknown = [n for n in wanted if n not in FAULTS]
        if unknown:
            raise UnknownFaultError(unknown)
        with self._lock:
            self._enabled = frozenset(wanted)
        return self.enabled()

    def enabled(self) -> list[str]:
        """Enabled names in registry order, for stable output."""
        current = self._enabled
        return [name for name in FAULTS if name in current]

    def on(self, name: str) -> bool:
        """Whether `name` is enabled; an unknown name is a programming error."""
        if name not in FAULTS:
            raise KeyError(name)
        with self._lock:
            self._consulted.add(name)
        return name in self._enabled

    def __contains__(self, name: object) -> bool:
        """``name in faults`` reads a switch like ``on`` (code that takes a set of faults can take this)."""
        return isinstance(name, str) and self.on(name)

    def take_consulted(self) -> list[str]:
        """The switches consulted since the last call, in registry order; starts a new window."""
        with self._lock:
            seen, self._consulted = self._consulted, set()
        return [name for name in FAULTS if name in seen]

    def describe(self) -> list[dict[str, object]]:
        """The registry with the enabled flag, as /__control__/faults returns it."""
        current = self._enabled
        return [{**asdict(f), "enabled": f.name in current} for f in FAULTS.values()]
