"""Application factory: wires the database, clock, faults and routers for one instance."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, FastAPI

from refoffice import (
    __version__,
    archive_install,
    auth,
    control,
    documents,
    dossier_outputs,
    dossiers,
    exchange_api,
    file_plans,
    files,
    pages,
    transfer,
    transfer_historical,
    ui_incoming_pages,
    ui_pages,
)
from refoffice.clock import Clock, iso
from refoffice.config import Config, ConfigError
from refoffice.context import AppContext, get_ctx
from refoffice.db import create_schema, make_engine, session_factory
from refoffice.errors import install_handlers
from refoffice.faults import FaultState, UnknownFaultError

HEALTH_SKEW = timedelta(hours=2)  # what `health_clock_skewed` adds


def create_app(config: Config, clock: Clock | None = None) -> FastAPI:
    """Build an app with its own database connection, clock and fault state."""
    try:
        faults = FaultState(config.faults)
    except UnknownFaultError as exc:
        raise ConfigError(f"unknown fault(s): {', '.join(exc.names)}") from None
    engine = make_engine(config.db_url)
    create_schema(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        auth.seed_users(session, config.password, config.hash_iterations)
    ctx = AppContext(config=config, engine=engine, sessions=sessions, clock=clock or Clock(), faults=faults)
    connector = None
    if config.axis_url:  # area 1: the connector to the national axis (refoffice/connector.py)
        from refoffice.connector import Connector

        connector = Connector(ctx)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if connector is not None:
            connector.start()
        yield
        if connector is not None:
            connector.stop()
        engine.dispose()

    app = FastAPI(
        title="refoffice – Hệ thống tham chiếu QLVBĐH",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.ctx = ctx
    app.state.connector = connector
    install_handlers(app)

    @app.get("/api/health")
    def health(ctx: Annotated[AppContext, Depends(get_ctx)]) -> dict[str, Any]:
        """Liveness plus the system clock, so the harness can check time before a run."""
        now = ctx.clock.now()
        if ctx.faults.on("health_clock_skewed"):
            now += HEALTH_SKEW
        return {"status": "ok", "now": iso(now), "version": __version__}

    for module in (
        auth,
        documents,
        dossiers,
        dossier_outputs,
        file_plans,
        files,
        control,
        pages,
        transfer,
        transfer_historical,
        exchange_api,
        ui_pages,
        ui_incoming_pages,  # issue 7: sổ đến and its print form, new incoming documents
    ):
        app.include_router(module.router)
    archive_install.install(app)  # area 3: audit trail and access control wrap every router
    return app
