"""The app factory: one FastAPI app over one store, with pages and a JSON API.

``create_app(settings)`` opens the store (creating its schema or upgrading an older one
with Alembic), installs CSRF protection on every route, a request size limit, security
headers and the one error handler, and mounts the static files, the API (under ``/api``,
described at ``/api/openapi.json``) and the pages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

import jornada
from jornada.store import Store
from jornada.web.api import api_router
from jornada.web.auth import csrf_guard
from jornada.web.context import AppContext
from jornada.web.failures import install_error_handlers
from jornada.web.middleware import BodyLimit, HeadAsGet, SecurityHeaders
from jornada.web.pages import pages_router
from jornada.web.settings import Settings
from jornada.web.views import ViewCache
from jornada.web.workspaces import WorkspacePool

DESCRIPTION = """The journey web app's JSON API: workspaces, maps and their versions,
comments, lint, data uploads and their validation reports, analysis runs with their tables,
drawings and findings, the action plan, the periodic review and downloads.

Sign in with `POST /api/session`; the answer sets the session cookie and carries the
`csrf_token` to send as the `X-CSRF-Token` header on every request that changes anything.
Errors answer `{"error": {"status", "code", "message"}}`."""


def create_app(settings: Settings) -> FastAPI:
    """The web app for ``settings``; the store is opened (and migrated) here."""
    store = Store.open(settings.database)
    ctx = AppContext(settings, store, WorkspacePool(), ViewCache(settings.cached_analyses))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        ctx.close()

    app = FastAPI(
        title="jornada",
        version=getattr(jornada, "__version__", "0.1.0"),
        description=DESCRIPTION,
        openapi_url="/api/openapi.json",
        docs_url=None,  # FastAPI's docs pages load their scripts from a CDN
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(csrf_guard)],
    )
    app.state.ctx = ctx
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes)
    app.add_middleware(HeadAsGet)
    static = resources.files("jornada.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api_router, prefix="/api")
    app.include_router(pages_router)
    install_error_handlers(app)
    return app
