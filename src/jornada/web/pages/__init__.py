"""The pages people use, server-rendered with Jinja2 (none of them is in the API spec)."""

from __future__ import annotations

from fastapi import APIRouter

from jornada.web.pages import account, dashboards, editor, workspaces

pages_router = APIRouter(include_in_schema=False)
pages_router.include_router(account.router)
pages_router.include_router(workspaces.router)
pages_router.include_router(editor.router)
pages_router.include_router(dashboards.router)
