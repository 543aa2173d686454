"""Database engine and sessions (SQLite file by default, any SQLAlchemy URL possible)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool


class Base(DeclarativeBase):
    """Declarative base of every table."""


def sqlite_url(path: str) -> str:
    """URL of a SQLite file given as a plain path (`--db`)."""
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    """Create the engine; SQLite needs cross-thread use (sync endpoints run in a pool)."""
    if url.startswith("sqlite"):
        kwargs: dict[str, object] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool  # one shared in-memory database
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if url not in ("sqlite://", "sqlite:///:memory:"):
                # WAL without an fsync per commit: a test system that commits a few times per package
                # would otherwise spend most of its time waiting for the disk
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def import_models() -> None:
    """Register every table: ``refoffice.models`` and each ``refoffice.models_<area>`` module."""
    import importlib
    import pkgutil

    import refoffice

    importlib.import_module("refoffice.models")
    for mod in pkgutil.iter_modules(refoffice.__path__):
        if mod.name.startswith("models_"):
            importlib.import_module(f"refoffice.{mod.name}")


def create_schema(engine: Engine) -> None:
    """Create missing tables; the reference has no migrations, a new DB per run is the norm."""
    import_models()
    Base.metadata.create_all(engine)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit, so responses can be built from them."""
    return sessionmaker(engine, expire_on_commit=False)


def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One session per request, rolled back if the handler fails."""
    session = factory()
    try:
        yield session
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
