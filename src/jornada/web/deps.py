"""The typed dependencies handlers ask for: the app context, the signed-in session and
user, and the language to answer in."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from jornada.store import Session, User
from jornada.web.auth import app_context, current_session, current_user, request_language
from jornada.web.context import AppContext

Ctx = Annotated[AppContext, Depends(app_context)]
CurrentSession = Annotated[Session, Depends(current_session)]
CurrentUser = Annotated[User, Depends(current_user)]


def _language(request: Request) -> str:
    return request_language(request)


Language = Annotated[str, Depends(_language)]
