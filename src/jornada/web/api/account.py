"""The JSON API for signing in and out, one's own preferences, accounts and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from jornada.web import actions
from jornada.web.access import USERS, require
from jornada.web.auth import client_address, set_session_cookie, sign_in, sign_out
from jornada.web.deps import Ctx, CurrentSession, CurrentUser, Id, MaybeNumber
from jornada.web.schemas import (
    AuditOut,
    Done,
    MeIn,
    PasswordChange,
    PasswordSet,
    SessionOut,
    SignIn,
    UserIn,
    UserOut,
    UserPatch,
)

router = APIRouter(tags=["account"])


@router.post("/session", response_model=SessionOut, summary="Sign in")
def create_session(body: SignIn, request: Request, response: Response) -> SessionOut:
    """Check the email and password (5 failures lock the email and the address for 15
    minutes) and set the session cookie; answer with the CSRF token to send on changes."""
    token, session = sign_in(request, body.email, body.password)
    set_session_cookie(request, response, token)
    return SessionOut(
        user=UserOut.of(session.user), csrf_token=session.csrf_secret, expires_at=session.expires_at
    )


@router.get("/session", response_model=SessionOut, summary="Who is signed in")
def read_session(session: CurrentSession) -> SessionOut:
    return SessionOut(
        user=UserOut.of(session.user), csrf_token=session.csrf_secret, expires_at=session.expires_at
    )


@router.delete("/session", response_model=Done, summary="Sign out")
def delete_session(request: Request, response: Response, user: CurrentUser) -> Done:
    sign_out(request, response)
    return Done()


@router.patch("/me", response_model=UserOut, summary="Change one's own language or name")
def update_me(body: MeIn, ctx: Ctx, user: CurrentUser) -> UserOut:
    return UserOut.of(actions.update_me(ctx, user, body.language, body.display_name))


@router.put("/me/password", response_model=Done, summary="Change one's own password")
def change_password(
    body: PasswordChange, request: Request, response: Response, ctx: Ctx, user: CurrentUser
) -> Done:
    """Every session of the account ends: sign in again with the new password."""
    actions.change_my_password(
        ctx, user, body.current_password, body.new_password, client_address(request)
    )
    sign_out(request, response)
    return Done()


@router.get("/users", response_model=list[UserOut], summary="Every account (admins)")
def list_users(ctx: Ctx, user: CurrentUser) -> list[UserOut]:
    require(user, USERS)
    return [UserOut.of(u) for u in ctx.store.users()]


@router.post("/users", response_model=UserOut, status_code=201, summary="Create an account")
def create_user(body: UserIn, ctx: Ctx, user: CurrentUser) -> UserOut:
    created = actions.create_user(
        ctx,
        user,
        email=body.email,
        password=body.password,
        display_name=body.display_name,
        role=body.role,
        business_unit=body.business_unit,
        language=body.language,
    )
    return UserOut.of(created)


@router.patch("/users/{user_id}", response_model=UserOut, summary="Change an account")
def update_user(user_id: Id, body: UserPatch, ctx: Ctx, user: CurrentUser) -> UserOut:
    changes = body.model_dump(exclude_unset=True)
    return UserOut.of(actions.update_user(ctx, user, user_id, **changes))


@router.put("/users/{user_id}/password", response_model=Done, summary="Set a password")
def set_password(user_id: Id, body: PasswordSet, ctx: Ctx, user: CurrentUser) -> Done:
    actions.set_password(ctx, user, user_id, body.password)
    return Done()


@router.get("/audit", response_model=list[AuditOut], summary="Who changed what (admins)")
def audit_log(
    ctx: Ctx,
    user: CurrentUser,
    user_id: MaybeNumber = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    object_type: Annotated[str | None, Query(max_length=40)] = None,
    since: dt.date | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[AuditOut]:
    require(user, USERS)
    start = dt.datetime.combine(since, dt.time(), dt.UTC) if since else None
    entries = ctx.store.audit_log(
        user_id=user_id, action=action, object_type=object_type, since=start, limit=limit
    )
    return [AuditOut.of(e) for e in entries]
