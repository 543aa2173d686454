"""Wiring of the archive area into an app: its state, its two central middlewares, its routers.

Order matters: the audit middleware is the outermost layer, so it sees every request (even the ones
the access-control guard answers itself) and learns from the guard whether a 404 was a refusal.
"""

from __future__ import annotations

import shutil

from fastapi import FastAPI

from refoffice import acl, archive, audit, backup, search
from refoffice.archive_state import ArchiveState


def install(app: FastAPI) -> None:
    """Add the archive area to an app built by `create_app`."""
    ctx = app.state.ctx
    state = ArchiveState.for_db(ctx.config.db_url)
    app.state.archive = state
    app.add_middleware(acl.AclGuard)  # inner
    app.add_middleware(audit.AuditMiddleware)  # outer: added last
    for module in (audit, acl, archive, search, backup):
        app.include_router(module.router)

    def wipe_files() -> None:
        for folder in (*state.media, state.restores):
            shutil.rmtree(folder, ignore_errors=True)

    ctx.reset_hooks.append(wipe_files)
