"""The typed dependencies handlers ask for: the app context, the signed-in session and
user, and the language to answer in."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from jornada.store import Session, User
from jornada.web.auth import app_context, current_session, current_user, request_language
from jornada.web.context import AppContext
from jornada.web.schemas import MAX_NUMBER

Ctx = Annotated[AppContext, Depends(app_context)]
CurrentSession = Annotated[Session, Depends(current_session)]
CurrentUser = Annotated[User, Depends(current_user)]
Id = Annotated[int, Path(ge=1, le=MAX_NUMBER)]
"""An id in a path (a run, an account, a comment): a number the store can hold."""
Number = Annotated[int, Query(ge=1, le=MAX_NUMBER)]
"""A version or run number in a query."""
MaybeNumber = Annotated[int | None, Query(ge=1, le=MAX_NUMBER)]


def _language(request: Request) -> str:
    return request_language(request)


Language = Annotated[str, Depends(_language)]
