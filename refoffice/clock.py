"""System clock with a test override, always in Vietnam time (+07:00, no DST).

The harness must be able to stand on 31 December 23:59 and 1 January 00:00 to check that
số văn bản đi restarts (NĐ 30 Điều 15.1), so every "now" in the system comes from here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "+07:00")


def iso(moment: datetime) -> str:
    """ISO 8601 with the +07:00 offset and whole seconds, the form used across the API."""
    return moment.astimezone(VN_TZ).isoformat(timespec="seconds")


class Clock:
    """Real time, or real time shifted by an offset, or a frozen instant."""

    def __init__(self, real: Callable[[], datetime] | None = None) -> None:
        self._real = real or (lambda: datetime.now(VN_TZ))
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen: datetime | None = None

    def now(self) -> datetime:
        """The system time in +07:00."""
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return (self._real() + self._offset).astimezone(VN_TZ)

    def today(self) -> date:
        """The calendar date in Vietnam, which decides the numbering year."""
        return self.now().date()

    def set(self, moment: datetime, frozen: bool = False) -> datetime:
        """Move the clock to `moment`; it keeps running from there unless frozen."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=VN_TZ)
        moment = moment.astimezone(VN_TZ)
        with self._lock:
            if frozen:
                self._frozen = moment
                self._offset = timedelta(0)
            else:
                self._frozen = None
                self._offset = moment - self._real()
        return self.now()

    def reset(self) -> datetime:
        """Back to the real clock."""
        with self._lock:
            self._frozen = None
            self._offset = timedelta(0)
        return self.now()

    @property
    def is_test(self) -> bool:
        """True while the clock is overridden."""
        with self._lock:
            return self._frozen is not None or self._offset != timedelta(0)
