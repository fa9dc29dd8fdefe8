"""The web app through FastAPI's TestClient: a small demo world (5,000 events) served on a
temporary SQLite store, built once for the module.

Sign-in, CSRF and the permission matrix enumerate the app's own routes, so a route added
later is tested (or the test says it needs a line) without anyone remembering to.
"""

from __future__ import annotations

import io
import itertools
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from jornada.model import MapFormat, dump_map, to_data
from jornada.store import MapKey, Store, User, current_revision, head_revision
from jornada.store.database import database_url, make_engine, upgrade
from jornada.web import Settings, create_app
from tests.utils.web import (
    BU,
    PASSWORD,
    ROLES,
    Client,
    build_demo_dir,
    fill,
    make_users,
    routes,
    served_demo,
    sign_in,
    write_routes,
)

MAP = "vertice-b2b-journey"
HOSTILE = "<script>alert('x')</script> & \"quoted\" 'single' ✓ " + "é" * 150
UPLOAD_LIMIT = 3 * 1024 * 1024


@dataclass
class World:
    app: FastAPI
    store: Store
    users: dict[str, User]
    clients: dict[str, Client]
    run_id: int
    folder: Path
    counter: Iterator[int] = field(default_factory=itertools.count)

    def fresh_map(self) -> MapKey:
        """A copy of the demo map under a new id, so each request edits its own map."""
        journey = self.store.get_map(MapKey("demo", MAP)).journey
        copy = journey.model_copy(update={"id": f"copy-{next(self.counter)}"})
        return self.store.create_map("demo", copy, self.users["admin"]).key

    def fresh_workspace(self) -> str:
        slug = f"ws-{next(self.counter)}"
        self.store.create_workspace(slug, slug.upper(), by=self.users["admin"])
        return slug

    def fresh_user(self, role: str) -> User:
        n = next(self.counter)
        return self.store.create_user(
            f"{role}-{n}@acme.test",
            PASSWORD,
            display_name=f"{role} {n}",
            role=self.users[role].role,
            business_unit=self.users[role].business_unit,
            by=self.users["admin"],
        )

    def version(self, key: MapKey) -> int:
        return self.store.get_map(key).version


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("web")
    demo = build_demo_dir(folder / "demo")
    app, admin, _ = served_demo(folder, demo, max_upload_bytes=UPLOAD_LIMIT)
    store: Store = app.state.ctx.store
    users = make_users(store, admin)
    clients = {role: sign_in(app, users[role].email) for role in ROLES}
    run_id = store.analysis_runs("demo")[0].id
    return World(app, store, users, clients, run_id, folder)


def _error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == response.status_code
    assert "\n" not in body["error"]["message"] and body["error"]["message"]
    return dict(body["error"])


def _page(response: Any) -> Any:
    return lxml.html.fromstring(response.text)


# Signing in and out.


def test_sign_in_sets_a_safe_cookie_and_answers_the_csrf_token(world: World) -> None:
    http = TestClient(world.app)
    response = http.post("/api/session", json={"email": "CX_LEAD@acme.test", "password": PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert "jornada_session=" in cookie and "HttpOnly" in cookie
    assert "SameSite=lax" in cookie.replace("Lax", "lax") and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http without secure_cookies
    body = response.json()
    assert body["user"]["role"] == "cx_lead" and len(body["csrf_token"]) > 20
    assert http.get("/api/session").json()["csrf_token"] == body["csrf_token"]
    out = http.delete("/api/session", headers={"X-CSRF-Token": body["csrf_token"]})
    assert out.status_code == 200
    assert _error(http.get("/api/workspaces"))["code"] == "not_signed_in"


def test_head_answers_like_get_without_a_body(world: World) -> None:
    http = TestClient(world.app, follow_redirects=False)
    for path in ("/", "/login", "/static/app.css", "/api/openapi.json", "/no-such-page"):
        got, head = http.get(path), http.head(path)
        assert head.status_code == got.status_code, path
        assert head.content == b"", path
        assert head.headers.get("content-type") == got.headers.get("content-type"), path
        assert head.headers.get("content-security-policy"), path
    assert http.head("/login").status_code == 200


def test_sign_in_form_then_sign_out(world: World) -> None:
    http = TestClient(world.app)
    assert http.get("/w/demo").url.path == "/login"  # pages send strangers to sign in
    form = _page(http.get("/login?next=/w/demo"))
    token = form.xpath('//input[@name="csrf_token"]/@value')[0]
    response = http.post(
        "/login",
        data={
            "email": "viewer@acme.test",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/w/demo",
        },
    )
    assert response.status_code == 200 and response.url.path == "/w/demo"
    page = _page(response)
    csrf = page.xpath('//meta[@name="csrf-token"]/@content')[0]
    out = http.post("/logout", data={"csrf_token": csrf})
    assert out.url.path == "/login"
    assert http.get("/w/demo").url.path == "/login"


def test_sign_in_form_refuses_a_token_it_did_not_give(world: World) -> None:
    http = TestClient(world.app)
    response = http.post(
        "/login", data={"email": "viewer@acme.test", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 403
    message = _page(response).xpath('//*[@data-testid="error"]/text()')[0]
    assert message == "The sign-in form has expired: reload the page and sign in again."


def test_sign_in_form_never_sends_people_to_another_site(world: World) -> None:
    http = TestClient(world.app, follow_redirects=False)
    token = _page(http.get("/login")).xpath('//input[@name="csrf_token"]/@value')[0]
    response = http.post(
        "/login",
        data={
            "email": "viewer@acme.test",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/x",
        },
    )
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_wrong_password_is_refused_with_one_line(world: World) -> None:
    http = TestClient(world.app, client=("10.0.0.2", 5000))
    response = http.post("/api/session", json={"email": "viewer@acme.test", "password": "nope"})
    assert response.status_code == 401
    assert _error(response)["message"] == "Wrong email or password."
    spanish = http.post(
        "/api/session",
        json={"email": "nobody@acme.test", "password": "x"},
        headers={"Accept-Language": "es-ES,es;q=0.9"},
    )
    assert _error(spanish)["message"] == "Correo o contraseña incorrectos."


def test_sign_in_is_rate_limited(world: World) -> None:
    user = world.fresh_user("viewer")
    http = TestClient(world.app, client=("10.0.0.3", 5000))
    for _ in range(5):
        wrong = http.post("/api/session", json={"email": user.email, "password": "guess"})
        assert wrong.status_code == 401
    locked = http.post("/api/session", json={"email": user.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert _error(locked)["message"].startswith("Too many failed sign-ins: try again after")
    page = TestClient(world.app, client=("10.0.0.3", 5001))
    token = _page(page.get("/login")).xpath('//input[@name="csrf_token"]/@value')[0]
    refused = page.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in _page(refused).xpath('string(//*[@data-testid="error"])')


# CSRF on every state change.


def _example(path: str, world: World) -> str:
    values = {
        "workspace": "demo",
        "map_id": MAP,
        "collection": "touchpoints",
        "key": "pu_quote",
        "user_id": world.users["viewer"].id,
        "comment_id": 1,
        "initiative_id": "init-quote-48h",
        "run_id": world.run_id,
        "unit": BU,
    }
    return fill(path, values)


def test_every_state_change_without_the_csrf_token_is_refused(world: World) -> None:
    admin = world.clients["admin"]
    before = len(world.store.audit_log(limit=10_000))
    checked = 0
    for method, path in sorted(write_routes(world.app)):
        if (method, path) in (("POST", "/login"), ("POST", "/api/session")):
            continue  # no session yet: tested above
        url = _example(path, world)
        missing = admin.http.request(method, url)
        wrong = admin.http.request(method, url, headers={"X-CSRF-Token": "x" * 43})
        for response in (missing, wrong):
            assert response.status_code == 403, (method, path, response.text[:200])
            if path.startswith("/api/"):
                assert _error(response)["code"] == "csrf"
        if not path.startswith("/api/"):
            form = admin.http.request(method, url, data={"csrf_token": "forged"})
            assert form.status_code == 403, (method, path)
        checked += 1
    assert checked >= 40
    assert len(world.store.audit_log(limit=10_000)) == before  # nothing was written


def test_reading_never_writes(world: World) -> None:
    viewer = world.clients["viewer"]
    before = world.store.audit_log(limit=1)[0].id
    for url in (
        "/",
        "/w/demo",
        f"/w/demo/m/{MAP}",
        f"/w/demo/m/{MAP}/history",
        f"/w/demo/runs/{world.run_id}",
        f"/api/workspaces/demo/maps/{MAP}",
    ):
        assert viewer.http.get(url).status_code == 200
    assert world.store.audit_log(limit=1)[0].id == before


# Who may change what: each role tries every write route.


@dataclass
class Try:
    """One request to a write route, prepared for a role."""

    url: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    session: str = "main"
    """``main``: the role's client; ``fresh``: a new session of the same account;
    ``user``: a throwaway account of the same role (for password changes)."""
    credentials: bool = False
    """The request signs in itself (the sign-in routes): no session, no CSRF token."""


ALL = set(ROLES)
LEADS = {"admin", "cx_lead"}
EDITORS = {"admin", "cx_lead", "bu_owner"}
ADMIN = {"admin"}


def _touchpoint(key: str, owner: str = BU) -> dict[str, Any]:
    return {
        "id": key,
        "name": f"New {key}",
        "stage": "purchase",
        "channel": "email",
        "channel_kind": "online",
        "owner_bu": owner,
    }


def _with_sales_change(world: World, key: MapKey) -> Any:
    journey = world.store.get_map(key).journey
    data = to_data(journey)
    for item in data["touchpoints"]:
        if item["id"] == "pu_quote":
            item["name"] = "Quote within 48 hours"
    return data


def _with_stage_change(world: World) -> tuple[MapKey, int]:
    key = world.fresh_map()
    data = to_data(world.store.get_map(key).journey)
    data["stages"][0]["name"] = "Renamed stage"
    from jornada.model import JourneyMap

    world.store.save_map(key, JourneyMap.model_validate(data), 1, world.users["admin"])
    return key, 2


def _comment(world: World) -> int:
    return world.store.add_comment(MapKey("demo", MAP), "A remark", world.users["admin"]).id


def _upload() -> dict[str, Any]:
    csv = b"account_id,name,segment\nacc-x1,Acme X,enterprise\n"
    return {"files": {"files": ("accounts.csv", csv, "text/csv")}}


def _from_finding(world: World, key: MapKey) -> dict[str, Any]:
    return {"version": world.version(key), "run": world.run_id, "rank": 1}


def _api_map(world: World, role: str, suffix: str = "") -> tuple[MapKey, str]:
    key = world.fresh_map()
    return key, f"/api/workspaces/demo/maps/{key.map}{suffix}"


def _page_map(world: World, suffix: str = "") -> tuple[MapKey, str]:
    key = world.fresh_map()
    return key, f"/w/demo/m/{key.map}{suffix}"


Prepare = Callable[[World, str], Try]


def _writes() -> dict[tuple[str, str], tuple[set[str], Prepare]]:
    def me(world: World, role: str) -> Try:
        # a throwaway account of the role, so the change is real and touches no one else
        return Try("/api/me", {"json": {"language": "pt"}}, session="user")

    def element_add(world: World, role: str) -> Try:
        key, url = _api_map(world, role, "/elements/touchpoints")
        return Try(url, {"json": {"version": 1, "element": _touchpoint(f"tp-{role}")}})

    def element_put(world: World, role: str) -> Try:
        key, url = _api_map(world, role, "/elements/touchpoints/pu_quote")
        element = {**_touchpoint("pu_quote"), "name": "Quote within 48 hours"}
        return Try(url, {"json": {"version": 1, "element": element}})

    def element_delete(world: World, role: str) -> Try:
        key, url = _api_map(world, role)
        world.store.save_map(key, _added(world, key, "tp-spare"), 1, world.users["admin"])
        return Try(f"{url}/elements/touchpoints/tp-spare?version=2")

    def save_whole(world: World, role: str) -> Try:
        key, url = _api_map(world, role)
        return Try(url, {"json": {"version": 1, "document": _with_sales_change(world, key)}})

    def save_text(world: World, role: str) -> Try:
        key, url = _api_map(world, role, "/document")
        from jornada.model import JourneyMap

        text = dump_map(JourneyMap.model_validate(_with_sales_change(world, key)), MapFormat.yaml)
        return Try(url, {"json": {"version": 1, "text": text}})

    def restore(world: World, role: str) -> Try:
        key, version = _with_stage_change(world)
        url = f"/api/workspaces/demo/maps/{key.map}/restore"
        return Try(url, {"json": {"restore": 1, "version": version}})

    def page_restore(world: World, role: str) -> Try:
        key, version = _with_stage_change(world)
        return Try(f"/w/demo/m/{key.map}/restore", {"data": {"restore": 1, "version": version}})

    def status(world: World, role: str) -> Try:
        key, url = _api_map(world, role, "/initiatives/init-quote-48h/status")
        return Try(url, {"json": {"version": 1, "status": "done"}})

    def from_finding(world: World, role: str) -> Try:
        key, url = _api_map(world, role, "/initiatives/from-finding")
        return Try(url, {"json": _from_finding(world, key)})

    def page_from_finding(world: World, role: str) -> Try:
        key, url = _page_map(world, "/from-finding")
        return Try(url, {"data": {"run": world.run_id, "rank": 1, "version": 1}})

    def page_add(world: World, role: str) -> Try:
        key, url = _page_map(world, "/new/touchpoints")
        return Try(url, {"data": {"version": 1, **_touchpoint(f"tp-{role}")}})

    def page_edit(world: World, role: str) -> Try:
        key, url = _page_map(world, "/e/touchpoints/pu_quote")
        data = {**_touchpoint("pu_quote"), "name": "Quote within 48 hours", "version": 1}
        return Try(url, {"data": data})

    def page_delete(world: World, role: str) -> Try:
        key, url = _page_map(world)
        world.store.save_map(key, _added(world, key, "tp-spare"), 1, world.users["admin"])
        return Try(f"{url}/e/touchpoints/tp-spare/delete", {"data": {"version": 2}})

    def page_yaml(world: World, role: str) -> Try:
        key, url = _page_map(world, "/yaml")
        from jornada.model import JourneyMap

        text = dump_map(JourneyMap.model_validate(_with_sales_change(world, key)), MapFormat.yaml)
        return Try(url, {"data": {"version": 1, "text": text}})

    def page_move(world: World, role: str) -> Try:
        key, url = _page_map(world, "/board/init-quote-48h")
        return Try(url, {"data": {"version": 1, "status": "done"}})

    def page_comment(world: World, role: str) -> Try:
        return Try(f"/w/demo/m/{MAP}/comments", {"data": {"text": "Looks good"}})

    def new_user(world: World, role: str) -> dict[str, Any]:
        n = next(world.counter)
        return {
            "email": f"made-{n}@acme.test",
            "password": PASSWORD,
            "role": "viewer",
            "display_name": f"Made {n}",
        }

    return {
        ("POST", "/api/session"): (
            ALL,
            lambda w, r: Try(
                "/api/session",
                {"json": {"email": w.users[r].email, "password": PASSWORD}},
                credentials=True,
            ),
        ),
        ("DELETE", "/api/session"): (ALL, lambda w, r: Try("/api/session", session="fresh")),
        ("PATCH", "/api/me"): (ALL, me),
        ("PUT", "/api/me/password"): (
            ALL,
            lambda w, r: Try(
                "/api/me/password",
                {"json": {"current_password": PASSWORD, "new_password": PASSWORD + "!"}},
                session="user",
            ),
        ),
        ("POST", "/api/users"): (ADMIN, lambda w, r: Try("/api/users", {"json": new_user(w, r)})),
        ("PATCH", "/api/users/{user_id}"): (
            ADMIN,
            lambda w, r: Try(
                f"/api/users/{w.fresh_user('viewer').id}", {"json": {"display_name": "Renamed"}}
            ),
        ),
        ("PUT", "/api/users/{user_id}/password"): (
            ADMIN,
            lambda w, r: Try(
                f"/api/users/{w.fresh_user('viewer').id}/password",
                {"json": {"password": PASSWORD + "?"}},
            ),
        ),
        ("POST", "/api/workspaces"): (
            LEADS,
            lambda w, r: Try(
                "/api/workspaces", {"json": {"slug": f"new-{next(w.counter)}", "name": "New"}}
            ),
        ),
        ("PATCH", "/api/workspaces/{workspace}"): (
            LEADS,
            lambda w, r: Try(
                f"/api/workspaces/{w.fresh_workspace()}", {"json": {"name": "Renamed"}}
            ),
        ),
        ("DELETE", "/api/workspaces/{workspace}"): (
            LEADS,
            lambda w, r: Try(f"/api/workspaces/{w.fresh_workspace()}"),
        ),
        ("POST", "/api/workspaces/{workspace}/maps"): (
            LEADS,
            lambda w, r: Try(
                "/api/workspaces/demo/maps",
                {
                    "json": {
                        "template": "five-stage",
                        "language": "pt",
                        "id": f"started-{next(w.counter)}",
                    }
                },
            ),
        ),
        ("POST", "/api/workspaces/{workspace}/maps/document"): (
            LEADS,
            lambda w, r: Try(
                "/api/workspaces/demo/maps/document",
                {"json": {"text": f"id: doc-{next(w.counter)}\nname: From a file\n"}},
            ),
        ),
        ("PUT", "/api/workspaces/{workspace}/maps/{map_id}"): (EDITORS, save_whole),
        ("PUT", "/api/workspaces/{workspace}/maps/{map_id}/document"): (EDITORS, save_text),
        ("DELETE", "/api/workspaces/{workspace}/maps/{map_id}"): (
            LEADS,
            lambda w, r: Try(_api_map(w, r)[1]),
        ),
        ("POST", "/api/workspaces/{workspace}/maps/{map_id}/elements/{collection}"): (
            EDITORS,
            element_add,
        ),
        ("PUT", "/api/workspaces/{workspace}/maps/{map_id}/elements/{collection}/{key}"): (
            EDITORS,
            element_put,
        ),
        ("DELETE", "/api/workspaces/{workspace}/maps/{map_id}/elements/{collection}/{key}"): (
            EDITORS,
            element_delete,
        ),
        ("POST", "/api/workspaces/{workspace}/maps/{map_id}/restore"): (LEADS, restore),
        ("POST", "/api/workspaces/{workspace}/maps/{map_id}/comments"): (
            EDITORS,
            lambda w, r: Try(
                f"/api/workspaces/demo/maps/{MAP}/comments",
                {"json": {"text": "Agreed", "element_id": "pu_quote"}},
            ),
        ),
        ("PUT", "/api/comments/{comment_id}/resolved"): (
            EDITORS,
            lambda w, r: Try(f"/api/comments/{_comment(w)}/resolved", {"json": {"resolved": True}}),
        ),
        ("POST", "/api/lint"): (
            ALL,
            lambda w, r: Try("/api/lint", {"json": {"text": "id: x\nname: X\n"}}),
        ),
        ("POST", "/api/workspaces/{workspace}/uploads"): (
            LEADS,
            lambda w, r: Try("/api/workspaces/demo/uploads", _upload()),
        ),
        ("POST", "/api/workspaces/{workspace}/runs"): (
            LEADS,
            lambda w, r: Try(
                "/api/workspaces/demo/runs", {"json": {"label": f"Run by {r}", "map": MAP}}
            ),
        ),
        ("PUT", "/api/workspaces/{workspace}/maps/{map_id}/initiatives/{initiative_id}/status"): (
            EDITORS,
            status,
        ),
        ("POST", "/api/workspaces/{workspace}/maps/{map_id}/initiatives/from-finding"): (
            EDITORS,
            from_finding,
        ),
        # Pages.
        ("POST", "/login"): (
            ALL,
            lambda w, r: Try(
                "/login",
                {"data": {"email": w.users[r].email, "password": PASSWORD}},
                credentials=True,
            ),
        ),
        ("POST", "/logout"): (ALL, lambda w, r: Try("/logout", session="fresh")),
        ("POST", "/me/language"): (
            ALL,
            lambda w, r: Try("/me/language", {"data": {"language": "es"}}, session="user"),
        ),
        ("POST", "/me/password"): (
            ALL,
            lambda w, r: Try(
                "/me/password",
                {
                    "data": {
                        "current_password": PASSWORD,
                        "new_password": PASSWORD + "!",
                        "repeat_password": PASSWORD + "!",
                    }
                },
                session="user",
            ),
        ),
        ("POST", "/admin/users"): (
            ADMIN,
            lambda w, r: Try("/admin/users", {"data": new_user(w, r)}),
        ),
        ("POST", "/admin/users/{user_id}"): (
            ADMIN,
            lambda w, r: Try(
                f"/admin/users/{w.fresh_user('viewer').id}",
                {"data": {"role": "cx_lead", "active": "on"}},
            ),
        ),
        ("POST", "/workspaces"): (
            LEADS,
            lambda w, r: Try(
                "/workspaces", {"data": {"slug": f"page-{next(w.counter)}", "name": "Page"}}
            ),
        ),
        ("POST", "/w/{workspace}/delete"): (
            LEADS,
            lambda w, r: Try(f"/w/{w.fresh_workspace()}/delete"),
        ),
        ("POST", "/w/{workspace}/maps"): (
            LEADS,
            lambda w, r: Try(
                "/w/demo/maps",
                {
                    "data": {
                        "template": "gartner",
                        "language": "es",
                        "id": f"page-map-{next(w.counter)}",
                    }
                },
            ),
        ),
        ("POST", "/w/{workspace}/uploads"): (LEADS, lambda w, r: Try("/w/demo/uploads", _upload())),
        ("POST", "/w/{workspace}/runs"): (
            LEADS,
            lambda w, r: Try("/w/demo/runs", {"data": {"label": f"Page run {r}", "map": MAP}}),
        ),
        ("POST", "/w/{workspace}/m/{map_id}/new/{collection}"): (EDITORS, page_add),
        ("POST", "/w/{workspace}/m/{map_id}/e/{collection}/{key}"): (EDITORS, page_edit),
        ("POST", "/w/{workspace}/m/{map_id}/e/{collection}/{key}/delete"): (EDITORS, page_delete),
        ("POST", "/w/{workspace}/m/{map_id}/delete"): (
            LEADS,
            lambda w, r: Try(_page_map(w, "/delete")[1]),
        ),
        ("POST", "/w/{workspace}/m/{map_id}/yaml"): (EDITORS, page_yaml),
        ("POST", "/w/{workspace}/m/{map_id}/restore"): (LEADS, page_restore),
        ("POST", "/w/{workspace}/m/{map_id}/comments"): (EDITORS, page_comment),
        ("POST", "/comments/{comment_id}/resolve"): (
            EDITORS,
            lambda w, r: Try(f"/comments/{_comment(w)}/resolve", {"data": {"resolved": "1"}}),
        ),
        ("POST", "/w/{workspace}/m/{map_id}/board/{initiative_id}"): (EDITORS, page_move),
        ("POST", "/w/{workspace}/m/{map_id}/from-finding"): (EDITORS, page_from_finding),
    }


def _added(world: World, key: MapKey, touchpoint: str) -> Any:
    from jornada.model import JourneyMap

    data = to_data(world.store.get_map(key).journey)
    data["touchpoints"].append(_touchpoint(touchpoint))
    return JourneyMap.model_validate(data)


def _send(world: World, role: str, method: str, attempt: Try) -> Any:
    if attempt.credentials:
        http = TestClient(world.app)
        if attempt.url == "/login":
            token = _page(http.get("/login")).xpath('//input[@name="csrf_token"]/@value')[0]
            attempt.kwargs["data"]["csrf_token"] = token
        return http.request(method, attempt.url, **attempt.kwargs)
    if attempt.session == "fresh":
        client = sign_in(world.app, world.users[role].email)
    elif attempt.session == "user":
        client = sign_in(world.app, world.fresh_user(role).email)
    else:
        client = world.clients[role]
    if "data" in attempt.kwargs or "files" in attempt.kwargs:
        if attempt.url.startswith("/api/"):
            return client.api(method, attempt.url, **attempt.kwargs)
        data = {"csrf_token": client.csrf, **attempt.kwargs.get("data", {})}
        return client.http.request(
            method, attempt.url, data=data, files=attempt.kwargs.get("files")
        )
    if not attempt.url.startswith("/api/"):
        return client.http.request(method, attempt.url, data={"csrf_token": client.csrf})
    return client.api(method, attempt.url, **attempt.kwargs)


WRITES_NOTHING = {("POST", "/api/lint")}
"""Write routes that change nothing (checking a map), so leave no trace."""


def _trace(world: World) -> tuple[int, int]:
    """What every change leaves behind: the audit log's last entry, and the uploads kept
    (imports are not in the audit log; each leaves a folder of the files sent)."""
    uploads = world.folder / "demo" / "uploads"
    kept = len(list(uploads.iterdir())) if uploads.exists() else 0
    return world.store.audit_log(limit=1)[0].id, kept


def test_each_role_tries_every_write_route(world: World) -> None:
    writes = _writes()
    assert set(writes) == write_routes(world.app), "a write route needs a line in _writes()"
    refused: list[str] = []
    for (method, path), (allowed, prepare) in sorted(writes.items()):
        for role in ROLES:
            attempt = prepare(world, role)
            mark = _trace(world)
            response = _send(world, role, method, attempt)
            status = response.status_code
            where = (method, path, role, status, response.text[:300])
            if role in allowed:
                assert status < 400, where
                if (method, path) not in WRITES_NOTHING:
                    assert _trace(world) != mark, ("an allowed write left no trace", *where)
            else:
                assert status == 403, where
                assert _trace(world) == mark, ("a refused write changed something", *where)
                refused.append(f"{role} {method} {path}")
    assert len(refused) >= 60
    assert all(not r.startswith("admin ") for r in refused)


def test_a_bu_owner_cannot_change_another_units_touchpoint(world: World) -> None:
    key = world.fresh_map()
    owner = world.clients["bu_owner"]
    element = {**_touchpoint("aw_trade_show", "marketing"), "stage": "awareness"}
    url = f"/api/workspaces/demo/maps/{key.map}/elements/touchpoints/aw_trade_show"
    response = owner.api("PUT", url, json={"version": 1, "element": element})
    assert response.status_code == 403
    assert _error(response)["message"] == (
        "You can change only the touchpoints and initiatives of your business unit (sales); "
        "this edit changes the touchpoint 'New aw_trade_show'."
    )
    grab = {**_touchpoint("pu_quote", BU), "owner_bu": "marketing"}
    taken = owner.api(
        "PUT", url.replace("aw_trade_show", "pu_quote"), json={"version": 1, "element": grab}
    )
    assert taken.status_code == 403  # nor hand its own touchpoint to another unit
    assert world.version(key) == 1


def test_a_bu_owner_is_refused_on_every_route_that_would_change_another_units_element(
    world: World,
) -> None:
    """Each map-changing route, aimed at marketing's touchpoint or customer success's
    initiative by the sales BU owner: 403, no new version, nothing in the audit log."""
    key = world.fresh_map()
    journey = world.store.get_map(key).journey
    data = to_data(journey)
    for item in data["touchpoints"]:
        if item["id"] == "aw_trade_show":
            item["name"] = "Trade show, renamed by an admin"
    from jornada.model import JourneyMap

    world.store.save_map(key, JourneyMap.model_validate(data), 1, world.users["admin"])
    version = 2
    theirs = {**_touchpoint("aw_trade_show", "marketing"), "stage": "awareness", "name": "Ours"}
    new_theirs = _touchpoint("tp-theirs", "marketing")
    renamed = to_data(world.store.get_map(key).journey)
    for item in renamed["touchpoints"]:
        if item["id"] == "aw_trade_show":
            item["name"] = "Ours now"
    text = dump_map(JourneyMap.model_validate(renamed), MapFormat.yaml)
    api = f"/api/workspaces/demo/maps/{key.map}"
    page = f"/w/demo/m/{key.map}"
    finding = {"run": world.run_id, "rank": 1, "owner_bu": "marketing"}
    attempts: list[tuple[str, str, dict[str, Any]]] = [
        (
            "POST",
            f"{api}/elements/touchpoints",
            {"json": {"version": version, "element": new_theirs}},
        ),
        (
            "PUT",
            f"{api}/elements/touchpoints/aw_trade_show",
            {"json": {"version": version, "element": theirs}},
        ),
        ("DELETE", f"{api}/elements/touchpoints/aw_trade_show?version={version}", {}),
        ("PUT", api, {"json": {"version": version, "document": renamed}}),
        ("PUT", f"{api}/document", {"json": {"version": version, "text": text}}),
        ("POST", f"{api}/restore", {"json": {"restore": 1, "version": version}}),
        (
            "PUT",
            f"{api}/initiatives/init-shift-training/status",
            {"json": {"version": version, "status": "done"}},
        ),
        ("POST", f"{api}/initiatives/from-finding", {"json": {"version": version, **finding}}),
        ("POST", f"{page}/new/touchpoints", {"data": {"version": version, **new_theirs}}),
        ("POST", f"{page}/e/touchpoints/aw_trade_show", {"data": {"version": version, **theirs}}),
        ("POST", f"{page}/e/touchpoints/aw_trade_show/delete", {"data": {"version": version}}),
        ("POST", f"{page}/yaml", {"data": {"version": version, "text": text}}),
        ("POST", f"{page}/restore", {"data": {"restore": 1, "version": version}}),
        (
            "POST",
            f"{page}/board/init-shift-training",
            {"data": {"version": version, "status": "done"}},
        ),
        ("POST", f"{page}/from-finding", {"data": {"version": version, **finding}}),
    ]
    owner = world.clients["bu_owner"]
    for method, url, kwargs in attempts:
        mark = _trace(world)
        if "data" in kwargs:
            response = owner.form(url, kwargs["data"])
        else:
            response = owner.api(method, url, **kwargs)
        assert response.status_code == 403, (method, url, response.status_code, response.text[:300])
        assert _trace(world) == mark and world.version(key) == version, (method, url)
    # The same owner may still change their own unit's touchpoint on that map.
    mine = {**_touchpoint("pu_quote"), "name": "Quote within 48 hours"}
    ok = owner.api(
        "PUT", f"{api}/elements/touchpoints/pu_quote", json={"version": version, "element": mine}
    )
    assert ok.status_code == 200 and world.version(key) == version + 1


# Optimistic locking.


def test_two_editors_never_lose_each_others_work(world: World) -> None:
    key = world.fresh_map()
    first, second = world.clients["cx_lead"], sign_in(world.app, world.users["admin"].email)
    url = f"/api/workspaces/demo/maps/{key.map}"
    v1 = first.http.get(url).json()["version"]
    assert second.http.get(url).json()["version"] == v1 == 1
    mine = {**_touchpoint("pu_quote"), "name": "Quote in 48 h (first)"}
    theirs = {**_touchpoint("pu_quote"), "name": "Quote in one day (second)"}
    ok = first.api(
        "PUT", f"{url}/elements/touchpoints/pu_quote", json={"version": v1, "element": mine}
    )
    assert ok.status_code == 200 and ok.json()["saved"]["version"] == 2
    stale = second.api(
        "PUT", f"{url}/elements/touchpoints/pu_quote", json={"version": v1, "element": theirs}
    )
    assert stale.status_code == 409
    error = _error(stale)
    assert error["code"] == "stale_edit"
    assert error["message"].startswith("Cx Lead saved demo/" + key.map + " as version 2 at ")
    assert "after you opened version 1; your changes were not saved" in error["message"]
    journey = world.store.get_map(key).journey
    assert journey.element("pu_quote").name == "Quote in 48 h (first)"  # type: ignore[union-attr]
    assert world.version(key) == 2


def test_a_stale_form_keeps_what_the_user_typed(world: World) -> None:
    key = world.fresh_map()
    editor = world.clients["cx_lead"]
    world.store.save_map(key, _added(world, key, "tp-other"), 1, world.users["admin"])
    data = {
        **_touchpoint("pu_quote"),
        "name": "My careful rewording",
        "version": 1,
        "csrf_token": editor.csrf,
    }
    response = editor.http.post(f"/w/demo/m/{key.map}/e/touchpoints/pu_quote", data=data)
    assert response.status_code == 409
    page = _page(response)
    message = page.xpath('string(//*[@data-testid="error"])')
    assert message.startswith("Admin saved demo/") and "as version 2" in message
    assert page.xpath('//input[@name="name"]/@value') == ["My careful rewording"]
    assert page.xpath('//input[@name="version"]/@value') == ["1"]
    assert world.store.get_map(key).journey.element("pu_quote").name != "My careful rewording"  # type: ignore[union-attr]


# Editing through the API and the pages.


def test_add_edit_and_delete_an_element_through_the_api(world: World) -> None:
    key = world.fresh_map()
    lead = world.clients["cx_lead"]
    base = f"/api/workspaces/demo/maps/{key.map}/elements"
    added = lead.api(
        "POST", f"{base}/touchpoints", json={"version": 1, "element": _touchpoint("tp-chat")}
    )
    assert added.status_code == 201 and added.json()["key"] == "tp-chat"
    read = lead.http.get(f"{base}/touchpoints/tp-chat").json()
    assert read["element"]["owner_bu"] == BU and read["version"] == 2
    bad = lead.api(
        "PUT",
        f"{base}/touchpoints/tp-chat",
        json={"version": 2, "element": {**_touchpoint("tp-chat"), "channel_kind": "telepathy"}},
    )
    assert bad.status_code == 422
    assert _error(bad)["message"].startswith("channel_kind: Input should be 'online'")
    used = lead.api("DELETE", f"{base}/stages/purchase?version=2")
    assert used.status_code == 422
    assert _error(used)["message"].startswith("'Purchase' is still used by touchpoints: ")
    gone = lead.api("DELETE", f"{base}/touchpoints/tp-chat?version=2")
    assert gone.status_code == 200 and gone.json()["version"] == 3
    versions = lead.http.get(f"/api/workspaces/demo/maps/{key.map}/versions").json()
    assert [v["version"] for v in versions] == [3, 2, 1]
    diff = lead.http.get(f"/api/workspaces/demo/maps/{key.map}/diff?a=1&b=2").json()
    assert diff == [
        {
            "collection": "touchpoints",
            "element_id": "tp-chat",
            "kind": "added",
            "name": "New tp-chat",
            "fields": [],
        }
    ]


def test_the_editor_form_is_generated_from_the_model(world: World) -> None:
    lead = world.clients["cx_lead"]
    page = _page(lead.http.get(f"/w/demo/m/{MAP}/e/touchpoints/pu_quote"))
    form = page.xpath('//form[@data-testid="element-form"]')[0]
    assert form.xpath('.//select[@name="channel_kind"]/option/@value') == [
        "online",
        "personal",
        "physical",
    ]
    assert "sales" in form.xpath('.//select[@name="owner_bu"]/option/@value')
    assert form.xpath('.//select[@name="shared_bus"]/@multiple')
    assert form.xpath('.//input[@name="critical"]/@type') == ["checkbox"]
    assert form.xpath('.//input[@name="id"]/@readonly')
    assert form.xpath('.//textarea[@name="match"]')  # a list of rules: a YAML box
    assert {"labels.es", "labels.pt", "labels.en"} <= set(form.xpath(".//input/@name"))
    initiative = _page(lead.http.get(f"/w/demo/m/{MAP}/new/initiatives"))
    assert initiative.xpath('//input[@name="due"]/@type') == ["date"]
    assert initiative.xpath('//input[@name="progress"]/@type') == ["number"]
    assert initiative.xpath('//select[@name="pain_points"]/@multiple')
    persona = _page(lead.http.get(f"/w/demo/m/{MAP}/new/personas"))
    assert persona.xpath('//textarea[@name="empathy.thinks"]')
    lint = page.xpath('//*[@data-testid="lint"]//li')
    assert lint and page.xpath('string(//*[@data-testid="lint-count"])') == str(
        len(world.clients["cx_lead"].http.get(f"/api/workspaces/demo/maps/{MAP}").json()["lint"])
    )


def test_a_form_with_a_bad_value_says_where_and_keeps_the_input(world: World) -> None:
    key = world.fresh_map()
    lead = world.clients["cx_lead"]
    data = {
        "version": 1,
        "csrf_token": lead.csrf,
        "id": "ini-x",
        "name": "Faster quotes",
        "progress": "lots",
        "pain_points": ["pp_slow_quote"],
    }
    response = lead.http.post(f"/w/demo/m/{key.map}/new/initiatives", data=data)
    assert response.status_code == 422
    page = _page(response)
    assert page.xpath('string(//*[@data-testid="error"])') == "progress: 'lots' is not a number."
    assert page.xpath('//input[@name="name"]/@value') == ["Faster quotes"]
    assert world.version(key) == 1


def test_start_a_map_from_a_template_and_lint_it_while_typing(world: World) -> None:
    lead = world.clients["cx_lead"]
    made = lead.api(
        "POST",
        "/api/workspaces/demo/maps",
        json={"template": "gartner", "language": "es", "company": "Fábrica Sur"},
    )
    assert made.status_code == 201
    slug = made.json()["map"]
    journey = lead.http.get(f"/api/workspaces/demo/maps/{slug}").json()["document"]
    assert journey["language"] == "es" and journey["company"] == "Fábrica Sur"
    lint = lead.api("POST", "/api/lint", json={"text": "id: x\nname: X\n"})
    assert lint.status_code == 200
    assert "JM100" in {d["code"] for d in lint.json()}  # no stages
    broken = lead.api("POST", "/api/lint", json={"text": "id: x\nname: [unclosed\n"})
    assert broken.status_code == 422
    assert _error(broken)["message"].startswith("The map cannot be read: YAML:3:1: invalid YAML")


def test_restore_an_old_version(world: World) -> None:
    key, version = _with_stage_change(world)
    lead = world.clients["cx_lead"]
    restored = lead.api(
        "POST",
        f"/api/workspaces/demo/maps/{key.map}/restore",
        json={"restore": 1, "version": version},
    )
    assert restored.status_code == 200 and restored.json()["restored_from"] == 1
    assert world.store.get_map(key).journey == world.store.get_map(key, 1).journey
    stale = lead.api(
        "POST",
        f"/api/workspaces/demo/maps/{key.map}/restore",
        json={"restore": 1, "version": version},
    )
    assert stale.status_code == 409


def test_comments_on_an_element_and_on_the_map(world: World) -> None:
    owner = world.clients["bu_owner"]
    url = f"/api/workspaces/demo/maps/{MAP}/comments"
    on_element = owner.api("POST", url, json={"text": HOSTILE, "element_id": "pu_quote"})
    assert on_element.status_code == 201
    missing = owner.api("POST", url, json={"text": "?", "element_id": "no-such"})
    assert missing.status_code == 404
    listed = owner.http.get(url, params={"element_id": "pu_quote"}).json()
    assert HOSTILE in [c["text"] for c in listed]
    page = owner.http.get(f"/w/demo/m/{MAP}/e/touchpoints/pu_quote")
    assert "<script>alert(" not in page.text
    texts = _page(page).xpath('//*[@data-testid="comment"]/p/text()')
    assert HOSTILE.strip() in [t.strip() for t in texts]


# Data, analyses, dashboards.


def test_upload_import_report_then_analyse_a_period(world: World) -> None:
    lead = world.clients["cx_lead"]
    events = (world.folder / "demo" / "data" / "events.parquet").read_bytes()
    response = lead.api(
        "POST",
        "/api/workspaces/demo/uploads",
        data={"map": MAP},
        files={"files": ("events.parquet", events)},
    )
    assert response.status_code == 200, response.text
    (report,) = response.json()
    assert report["kind"] == "events" and report["already_imported"]
    assert report["rows_read"] == (
        report["rows_loaded"] + report["rows_rejected"] + report["rows_duplicate"]
    )
    csv = b"account_id,name,segment\nacc-new-1,New One,enterprise\n,No id,smb\n"
    page = lead.http.post(
        "/w/demo/uploads",
        data={"csrf_token": lead.csrf, "map": MAP},
        files={"files": ("accounts.csv", csv)},
    )
    assert page.status_code == 200
    rows = _page(page).xpath('//*[@data-testid="report-row"]')
    assert len(rows) == 1
    numbers = [
        rows[0].xpath(f'string(.//*[@data-testid="{k}"])')
        for k in ("rows-read", "rows-loaded", "rows-rejected", "rows-duplicate")
    ]
    assert numbers == ["2", "1", "1", "0"]
    assert "missing account_id" in _page(page).xpath('string(//*[@data-testid="import-report"])')
    run = lead.api(
        "POST",
        "/api/workspaces/demo/runs",
        json={"label": "First half", "since": "2023-01-01", "until": "2023-06-30", "map": MAP},
    )
    assert run.status_code == 201, run.text
    body = run.json()
    assert body["period_start"] == "2023-01-01" and body["period_end"] == "2023-06-30"
    assert body["filters"] == {"since": "2023-01-01", "until": "2023-06-30"}
    folder = world.folder / "demo" / "runs" / str(body["id"])
    assert (folder / "summary.json").is_file() and (folder / "friction.parquet").is_file()
    backwards = lead.api(
        "POST", "/api/workspaces/demo/runs", json={"since": "2024-02-01", "until": "2024-01-01"}
    )
    assert backwards.status_code == 422
    assert _error(backwards)["message"] == (
        "The period ends (2024-01-01) before it starts (2024-02-01)."
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("payload.exe", b"MZ...", "payload.exe: this kind of file cannot be imported; use "),
        ("events.csv", b"", "events.csv is empty."),
        ("notes.csv", b"a,b\n1,2\n", "The import stopped: notes.csv: cannot tell which table"),
    ],
)
def test_bad_uploads_are_refused_with_one_line_and_nothing_written(
    world: World, name: str, content: bytes, message: str
) -> None:
    lead = world.clients["cx_lead"]
    uploads = world.folder / "demo" / "uploads"
    before = sorted(uploads.iterdir()) if uploads.exists() else []
    response = lead.api("POST", "/api/workspaces/demo/uploads", files={"files": (name, content)})
    assert response.status_code == 422
    assert _error(response)["message"].startswith(message)
    after = sorted(uploads.iterdir()) if uploads.exists() else []
    if not message.startswith("The import stopped"):
        assert after == before


def test_an_upload_over_the_limit_is_refused_before_it_is_read(world: World) -> None:
    lead = world.clients["cx_lead"]
    big = io.BytesIO(b"x" * (UPLOAD_LIMIT + 10))
    response = lead.api(
        "POST", "/api/workspaces/demo/uploads", files={"files": ("events.csv", big)}
    )
    assert response.status_code == 413
    assert _error(response)["message"].startswith("The request is larger than 3 MB")


def test_dashboards_show_every_table_the_subway_and_the_canvas(world: World) -> None:
    viewer = world.clients["viewer"]
    base = f"/w/demo/runs/{world.run_id}"
    page = _page(viewer.http.get(base))
    headline = page.xpath('//*[@data-testid="headline"]//dd/text()')
    assert len(headline) >= 5
    tables = world.store.get_analysis_run(world.run_id)
    assert len(page.xpath('//*[@data-testid="finding"]')) == min(40, len(tables.findings))
    links = page.xpath('//nav[@data-testid="tables"]//a/@data-testid')
    assert {"table-funnel", "table-friction", "table-bu_view"} <= set(links)
    charts = page.xpath('//*[@data-testid="charts"]//*[local-name()="svg"]')
    assert len(charts) >= 5
    funnel = _page(viewer.http.get(f"{base}/tables/funnel"))
    rows = funnel.xpath('//table[@data-testid="data-table"]/tbody/tr')
    api = viewer.http.get(f"/api/workspaces/demo/runs/{world.run_id}/tables/funnel").json()
    assert len(rows) == api["total"] == len(api["rows"])
    assert funnel.xpath('//table[@data-testid="data-table"]/thead//th/@title') == api["columns"]
    subway = _page(viewer.http.get(f"{base}/subway?level=stage&min_share=0.01"))
    assert subway.xpath('//*[@data-testid="drawing-subway"]/*[local-name()="svg"]')
    canvas = _page(viewer.http.get(f"{base}/canvas"))
    assert canvas.xpath('//*[@data-testid="drawing-canvas"]/*[local-name()="svg"]')
    bad = viewer.http.get(f"{base}/subway?level=galaxy")
    assert bad.status_code == 422


def test_a_filtered_view_runs_the_analysis_again(world: World) -> None:
    viewer = world.clients["viewer"]
    url = f"/api/workspaces/demo/runs/{world.run_id}/tables/cases"
    every = viewer.http.get(url).json()
    won = viewer.http.get(url, params={"outcome": "won"}).json()
    assert 0 < won["total"] < every["total"]
    assert {r["outcome"] for r in won["rows"]} == {"won"}
    page = _page(viewer.http.get(f"/w/demo/runs/{world.run_id}/subway?outcome=won"))
    assert page.xpath('//*[@data-testid="filtered"]')


def test_initiative_from_a_finding_board_and_unit_view(world: World) -> None:
    key = world.fresh_map()
    owner = world.clients["bu_owner"]
    run = world.store.get_analysis_run(world.run_id)
    rank = next(f["rank"] for f in run.findings if f.get("touchpoint"))
    made = owner.api(
        "POST",
        f"/api/workspaces/demo/maps/{key.map}/initiatives/from-finding",
        json={"version": 1, "run": world.run_id, "rank": rank},
    )
    assert made.status_code == 201, made.text
    initiative = world.store.get_map(key).journey.element(made.json()["key"])
    finding = next(f for f in run.findings if f["rank"] == rank)
    assert initiative is not None and initiative.owner_bu == BU  # type: ignore[attr-defined]
    assert initiative.touchpoints == [finding["touchpoint"]]  # type: ignore[attr-defined]
    assert initiative.description == finding["action"][:2000]
    board = _page(owner.http.get(f"/w/demo/m/{key.map}/board"))
    ideas = board.xpath('//*[@data-testid="column-idea"]//*[@data-testid="initiative"]/@data-id')
    assert initiative.id in ideas
    moved = owner.api(
        "PUT",
        f"/api/workspaces/demo/maps/{key.map}/initiatives/{initiative.id}/status",
        json={"version": 2, "status": "planned"},
    )
    assert moved.status_code == 200
    unit = _page(owner.http.get(f"/w/demo/m/{key.map}/units/{BU}?run={world.run_id}"))
    assert unit.xpath('string(//*[@data-testid="unit-name"])') == "Sales"
    owned = unit.xpath('//*[@data-testid="unit-owned"]/li/a/text()')
    assert "Quote" in " ".join(owned)
    assert initiative.name in unit.xpath('//*[@data-testid="unit-initiatives"]//a/text()')


def test_periodic_review_compares_two_runs(world: World) -> None:
    lead = world.clients["cx_lead"]
    second = lead.api(
        "POST",
        "/api/workspaces/demo/runs",
        json={"label": "Won only later", "since": "2024-01-01", "map": MAP},
    )
    assert second.status_code == 201
    b = second.json()["id"]
    review = lead.http.get(f"/api/workspaces/demo/review?a={world.run_id}&b={b}").json()
    names = [k["name"] for k in review["kpis"]]
    assert "win_rate" in names and "events" in names
    events = next(k for k in review["kpis"] if k["name"] == "events")
    assert events["delta"] == events["b"] - events["a"] < 0
    page = _page(lead.http.get(f"/w/demo/review?a={world.run_id}&b={b}"))
    assert page.xpath('//*[@data-testid="kpi-change"]')
    assert page.xpath('//*[@data-testid="finding-change"]')


def test_downloads(world: World) -> None:
    viewer = world.clients["viewer"]
    yaml_text = viewer.http.get(f"/api/workspaces/demo/maps/{MAP}/download?format=yaml")
    assert yaml_text.headers["content-type"].startswith("text/yaml")
    assert "attachment" in yaml_text.headers["content-disposition"]
    assert f"id: {MAP}" in yaml_text.text
    svg = viewer.http.get(f"/api/workspaces/demo/runs/{world.run_id}/drawings/subway")
    assert svg.headers["content-type"] == "image/svg+xml" and svg.text.startswith("<svg")
    report = viewer.http.get(f"/api/workspaces/demo/runs/{world.run_id}/report")
    assert report.status_code == 200 and report.text.lower().startswith("<!doctype html>")


def test_exports_download_as_a_zip(world: World) -> None:
    import zipfile

    viewer = world.clients["viewer"]
    response = viewer.http.get(f"/api/workspaces/demo/runs/{world.run_id}/exports")
    assert response.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert {"subway.svg", "canvas.svg", "workshop.xlsx", "journey.mmd"} <= set(names)


# Escaping, language, errors, the spec, migrations.


def test_hostile_names_are_escaped_everywhere(world: World) -> None:
    lead = world.clients["cx_lead"]
    slug = f"hostile-{next(world.counter)}"
    made = lead.api("POST", "/api/workspaces", json={"slug": slug, "name": HOSTILE})
    assert made.status_code == 201
    started = lead.api(
        "POST",
        f"/api/workspaces/{slug}/maps",
        json={"template": "blank", "name": HOSTILE, "id": "m"},
    )
    assert started.status_code == 201
    stage = {"id": "s1", "name": HOSTILE, "phase": "pre_purchase"}
    added = lead.api(
        "POST",
        f"/api/workspaces/{slug}/maps/m/elements/stages",
        json={"version": 1, "element": stage},
    )
    assert added.status_code == 201
    for url in (
        "/",
        f"/w/{slug}",
        f"/w/{slug}/m/m",
        f"/w/{slug}/m/m?tab=stages",
        f"/w/{slug}/m/m/e/stages/s1",
        f"/w/{slug}/m/m/history",
        f"/w/{slug}/m/m/diff?a=1&b=2",
        f"/w/{slug}/m/m/yaml",
    ):
        response = lead.http.get(url)
        assert response.status_code == 200, url
        assert "<script>alert(" not in response.text, url
        assert HOSTILE.strip() in _page(response).text_content(), url


def test_language_switch(world: World) -> None:
    user = world.fresh_user("viewer")
    client = sign_in(world.app, user.email)
    english = _page(client.http.get("/"))
    assert english.xpath("/html/@lang") == ["en"]
    switched = client.form("/me/language", {"language": "es", "next": "/w/demo"})
    page = _page(switched)
    assert switched.url.path == "/w/demo" and page.xpath("/html/@lang") == ["es"]
    assert page.xpath("string(//h2[1])") == "Mapas"
    client.form("/me/language", {"language": "pt", "next": "/"})
    assert _page(client.http.get("/")).xpath("string(//h1)") == "Espaços de trabalho"
    wrong = client.api("PATCH", "/api/me", json={"language": "fr"})
    assert wrong.status_code == 422
    assert _error(wrong)["message"].startswith("body.language: ")


def test_api_errors_have_one_shape(world: World) -> None:
    lead = world.clients["cx_lead"]
    unknown = lead.api("POST", "/api/workspaces", json={"slug": "x", "name": "X", "colour": 1})
    assert unknown.status_code == 422
    assert _error(unknown)["message"] == "body.colour: Extra inputs are not permitted"
    assert _error(lead.http.get("/api/workspaces/nope"))["message"] == (
        "There is no workspace 'nope'."
    )
    assert _error(lead.http.get("/api/nothing-here"))["code"] == "not_found"
    taken = lead.api("POST", "/api/workspaces", json={"slug": "demo", "name": "Again"})
    assert taken.status_code == 409 and _error(taken)["code"] == "workspace.exists"


def test_pages_send_security_headers(world: World) -> None:
    response = world.clients["viewer"].http.get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert world.clients["viewer"].http.get("/static/app.js").status_code == 200


def test_openapi_describes_every_api_route(world: World) -> None:
    spec = world.clients["viewer"].http.get("/api/openapi.json").json()
    validate(spec)
    api_routes = [
        (m, p, r)
        for m, p, r in routes(world.app)
        if p.startswith("/api/") and p != "/api/openapi.json" and m != "HEAD"
    ]
    assert len(api_routes) >= 40
    for method, path, route in api_routes:
        operation = spec["paths"][path][method.lower()]
        ok = next(code for code in operation["responses"] if code.startswith("2"))
        content = operation["responses"][ok].get("content", {})
        assert content, (method, path)
        if "application/json" in content:
            assert content["application/json"]["schema"], (method, path)
        if method in ("POST", "PUT", "PATCH") and route.body_field is not None:
            assert operation["requestBody"]["content"], (method, path)
        assert {"401", "403", "422"} <= set(operation["responses"]), (method, path)
    assert not any(p.startswith(("/w/", "/login", "/admin")) for p in spec["paths"])


def test_the_app_upgrades_an_older_database_on_start(tmp_path: Path, world: World) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(database_url(path))
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    engine.dispose()
    app = create_app(Settings(database=str(path), data_dir=tmp_path))
    store: Store = app.state.ctx.store
    assert current_revision(store.engine) == head_revision()
    from jornada.web.bootstrap import ensure_admin

    first = ensure_admin(store)
    assert first is not None
    response = TestClient(app).post(
        "/api/session", json={"email": first.email, "password": first.password}
    )
    assert response.status_code == 200
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_the_docs_name_every_setting_and_role() -> None:
    from jornada.store import UserRole

    text = (Path(__file__).parents[1] / "docs" / "web.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`{name}`" in text, name
    for role in UserRole:
        assert role.value in text, role
