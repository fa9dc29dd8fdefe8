"""The JSON API, under ``/api``: the same actions the pages take, as JSON."""

from __future__ import annotations

from fastapi import APIRouter

from jornada.web.api import account, analyses, maps
from jornada.web.schemas import ErrorOut

ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in (
        (401, "Not signed in"),
        (403, "Not allowed, or the CSRF token is missing or wrong"),
        (404, "No such workspace, map, element, run or table"),
        (409, "Stale edit (someone saved first) or a name already taken"),
        (413, "The request is too large"),
        (422, "A value is wrong: the message names where and what"),
        (429, "Too many failed sign-ins"),
    )
}

api_router = APIRouter(responses=ERRORS)
api_router.include_router(account.router)
api_router.include_router(maps.router)
api_router.include_router(analyses.router)
