"""Per-application state shared by the routers, and the FastAPI dependencies that reach it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from refoffice.clock import Clock
from refoffice.config import Config
from refoffice.db import session_scope
from refoffice.faults import FaultState


@dataclass
class AppContext:
    """Everything one app instance owns; several apps can live in one process (tests)."""

    config: Config
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock
    faults: FaultState
    # Serialises number assignment and uniqueness checks inside this process.
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    # Called by /__control__/reset after the tables are emptied (state kept outside the database).
    reset_hooks: list[Callable[[], None]] = field(default_factory=list)


def get_ctx(request: Request) -> AppContext:
    """The context of the app serving this request."""
    return request.app.state.ctx


def get_session(request: Request) -> Iterator[Session]:
    """A database session for the duration of the request."""
    yield from session_scope(get_ctx(request).sessions)
