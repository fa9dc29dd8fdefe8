"""The web app for tests: a demo world served by a real app on a temporary SQLite store,
clients signed in per role, and the app's routes listed (so new routes get tested)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from jornada.demo import generate_world
from jornada.demo.demomap import build_demo_map
from jornada.engine import AnalysisOptions
from jornada.engine.output import write_analysis
from jornada.ingest.batch import import_paths
from jornada.insights.run import analyse
from jornada.model import save_map
from jornada.store import Store, User, UserRole
from jornada.web import Settings, create_app
from jornada.web.bootstrap import ensure_admin, register_demo
from jornada.workspace import Workspace

ROLES = ("admin", "cx_lead", "bu_owner", "viewer")
PASSWORD = "correct horse battery"
BU = "sales"
SAFE = {"GET", "HEAD", "OPTIONS"}


def build_demo_dir(folder: Path, events: int = 5_000, seed: int = 7) -> Path:
    """What ``jornada demo --dir folder`` builds: data, map.yaml, workspace, analysis/."""
    generate_world(folder / "data", events=events, seed=seed)
    journey = build_demo_map("en")
    save_map(journey, folder / "map.yaml")
    with Workspace.open(folder / "workspace.duckdb") as ws:
        import_paths(ws, [folder / "data"], journey=journey, rejected_dir=folder / "rejected")
        analysis = analyse(ws.con, AnalysisOptions(lang="en"), journey)
    write_analysis(analysis, folder / "analysis")
    return folder


@dataclass
class Client:
    """A test client signed in as one user, with the session's CSRF token."""

    http: TestClient
    csrf: str
    user: User

    def api(self, method: str, url: str, **kwargs: Any) -> Any:
        headers = {"X-CSRF-Token": self.csrf, **kwargs.pop("headers", {})}
        return self.http.request(method, url, headers=headers, **kwargs)

    def form(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        return self.http.post(url, data={"csrf_token": self.csrf, **(data or {})}, **kwargs)


def sign_in(app: FastAPI, email: str, password: str = PASSWORD, **client: Any) -> Client:
    http = TestClient(app, **client)
    response = http.post("/api/session", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    store: Store = app.state.ctx.store
    user = store.find_user(email)
    assert user is not None
    return Client(http, body["csrf_token"], user)


def make_users(store: Store, admin: User) -> dict[str, User]:
    """One account per role (the BU owner answers for sales), all with ``PASSWORD``."""
    users = {"admin": admin}
    for role in ROLES[1:]:
        users[role] = store.create_user(
            f"{role}@acme.test",
            PASSWORD,
            display_name=role.replace("_", " ").title(),
            role=UserRole(role),
            business_unit=BU if role == "bu_owner" else None,
            by=admin,
        )
    return users


def served_demo(folder: Path, demo: Path, **settings: Any) -> tuple[FastAPI, User, str]:
    """An app over a fresh store in ``folder`` serving the demo folder ``demo`` as
    ``jornada serve`` does: the first admin (and its password), the demo registered."""
    config = Settings(database=str(folder / "jornada.db"), data_dir=demo, **settings)
    app = create_app(config)
    store: Store = app.state.ctx.store
    first = ensure_admin(store)
    assert first is not None
    admin = store.find_user(first.email)
    assert admin is not None
    register_demo(store, config, demo, admin)
    store.set_password(admin.id, PASSWORD, by=admin)
    return app, admin, first.email


def routes(app: FastAPI) -> list[tuple[str, str, Any]]:
    """Every (method, path, route) the app answers, included routers flattened."""
    found: list[tuple[str, str, Any]] = []

    def walk(items: list[Any]) -> None:
        for route in items:
            contexts = getattr(route, "effective_route_contexts", None)
            if contexts is not None:
                walk(list(contexts()))
                continue
            for method in sorted(getattr(route, "methods", None) or ()):
                found.append((method, route.path, route))

    walk(list(app.routes))
    return found


def write_routes(app: FastAPI) -> set[tuple[str, str]]:
    """The routes that may change something: every method but GET/HEAD/OPTIONS."""
    return {(method, path) for method, path, _ in routes(app) if method not in SAFE}


def fill(path: str, values: dict[str, Any]) -> str:
    """``path`` with its ``{name}`` parameters replaced from ``values``."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
