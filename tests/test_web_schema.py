"""The JSON API against its own OpenAPI document, with schemathesis: generated requests
(valid and invalid) to every operation, in-process through ASGI, signed in as an admin.
No answer may be a server error (5xx), and every answer must match the document.

Two passes over every operation: the path parameters as generated (mostly objects that do
not exist: the refusals), then pointed at real objects of a 5,000-event demo world (the
demo workspace, a copy of its map, its analysis run, a comment, an account), so bodies and
queries reach the code behind the lookups. Each operation signs in an admin account of its
own, so one that signs out or changes passwords cannot end the others' sessions.
Examples are derandomized (the same requests on every run) and bounded per operation.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from jornada.store import MapKey, Store, User, UserRole
from jornada.web.auth import SESSION_COOKIE
from tests.utils.web import PASSWORD, build_demo_dir, make_users, served_demo

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

MAP = "vertice-b2b-journey"
EXAMPLES = 25
"""Generated examples per operation (the fuzzing phase); the coverage phase adds its own
boundary and type-violating cases on top."""

WHOLE_DOCUMENT = [
    "PUT /api/workspaces/{workspace}/maps/{map_id}",
    "POST /api/lint",
]
"""Operations whose body is a whole map: the coverage phase would send some 2,000 variants
of the map model to each (minutes); the fuzzing phase still sends them generated maps."""

HEAVY = [
    "POST /api/workspaces/{workspace}/runs",
    "GET /api/workspaces/{workspace}/runs/{run_id}/report",
    "GET /api/workspaces/{workspace}/runs/{run_id}/exports",
]
"""Operations that analyse a period or render every export of a run (one to six seconds
each on a real run, as each filter runs the analysis again): a few examples only."""

FILTERED = [
    "GET /api/workspaces/{workspace}/runs/{run_id}/tables/{name}",
    "GET /api/workspaces/{workspace}/runs/{run_id}/findings",
    "GET /api/workspaces/{workspace}/runs/{run_id}/drawings/{name}",
]
"""Views of a run whose filters (outcome, segment, role) run the analysis again (a third
of a second each): fewer generated examples, all the coverage cases."""

CONFIG = {
    "generation": {"max-examples": EXAMPLES, "deterministic": True},
    # Methods a path does not have are answered 405 by the framework: not probed.
    "phases": {"coverage": {"unexpected-methods": []}},
    "operations": [
        {"include-name": WHOLE_DOCUMENT, "phases": {"coverage": {"enabled": False}}},
        {"include-name": FILTERED, "generation": {"max-examples": 10}},
        {
            "include-name": HEAVY,
            "generation": {"max-examples": 4},
            "phases": {"coverage": {"enabled": False}},
        },
    ],
}

FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
ENDS_SESSION = {("DELETE", "/api/session"), ("PUT", "/api/me/password")}


@dataclass
class Api:
    """The app, the store and the real objects the second pass aims at."""

    app: Any
    store: Store
    first_admin: User
    real: dict[str, Any]
    counter: itertools.count[int] = field(default_factory=itertools.count)
    sessions: dict[str, Session] = field(default_factory=dict)

    def session(self, operation: str) -> Session:
        """The signed-in admin account of ``operation`` (made on its first example)."""
        if operation not in self.sessions:
            self.sessions[operation] = Session(self)
        return self.sessions[operation]


@dataclass
class Session:
    """An admin account of its own with an open session: its cookie and the CSRF header
    (opened through the store: signing in is tested elsewhere, and fuzzed sign-ins and
    password checks lock accounts and addresses)."""

    api: Api
    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    user: User | None = None

    def __post_init__(self) -> None:
        self.user = self.api.store.create_user(
            f"fuzz-admin-{next(self.api.counter)}@acme.test",
            PASSWORD,
            display_name="Fuzz",
            role=UserRole.admin,
            by=self.api.first_admin,
        )
        self.renew()

    def renew(self) -> None:
        assert self.user is not None
        token, session = self.api.store.create_session(self.user)
        self.cookies = {SESSION_COOKIE: token}
        self.headers = {"X-CSRF-Token": session.csrf_secret}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Api:
    folder = tmp_path_factory.mktemp("schema")
    demo = build_demo_dir(folder / "demo")
    app, admin, _ = served_demo(folder, demo)
    store: Store = app.state.ctx.store
    users = make_users(store, admin)
    journey = store.get_map(MapKey("demo", MAP)).journey
    fuzzed = store.create_map("demo", journey.model_copy(update={"id": "fuzzed"}), admin)
    comment = store.add_comment(fuzzed.key, "A remark", admin, "pu_quote")
    real = {
        "workspace": "demo",
        "map_id": fuzzed.key.map,
        "collection": "touchpoints",
        "key": "pu_quote",
        "user_id": users["viewer"].id,
        "comment_id": comment.id,
        "run_id": store.analysis_runs("demo")[0].id,
        "initiative_id": "init-quote-48h",
        "unit": "sales",
    }
    return Api(app, store, admin, real)


@pytest.fixture(scope="module")
def api_schema(api: Api) -> Any:
    config = schemathesis.config.SchemathesisConfig.from_dict(CONFIG)
    return schemathesis.openapi.from_asgi("/api/openapi.json", api.app, config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


def _check(case: Any, api: Api, real: bool) -> None:
    method, path = case.method.upper(), case.operation.path
    admin = api.session(f"{method} {path}")
    if real and case.path_parameters:
        values = dict(api.real)
        if path.endswith("/tables/{name}"):
            values["name"] = "funnel"
        elif path.endswith("/drawings/{name}"):
            values["name"] = "subway"
        if method == "DELETE" and path == "/api/workspaces/{workspace}":
            values["workspace"] = _spare_workspace(api)
        elif method == "DELETE" and path == "/api/workspaces/{workspace}/maps/{map_id}":
            values["map_id"] = _spare_map(api)
        case.path_parameters = {k: values.get(k, v) for k, v in case.path_parameters.items()}
    response = case.call(cookies=admin.cookies, headers=admin.headers)
    case.validate_response(
        response, checks=[not_a_server_error, response_schema_conformance], headers=admin.headers
    )
    if (method, path) in ENDS_SESSION and response.status_code < 400:
        admin.renew()


def _spare_workspace(api: Api) -> str:
    slug = f"spare-{next(api.counter)}"
    api.store.create_workspace(slug, slug, by=api.first_admin)
    return slug


def _spare_map(api: Api) -> str:
    journey = api.store.get_map(MapKey("demo", MAP)).journey
    spare = journey.model_copy(update={"id": f"spare-{next(api.counter)}"})
    return api.store.create_map("demo", spare, api.first_admin).key.map


@schema.parametrize()
@FUZZ
def test_no_server_error_and_answers_match_the_document(case: Any, api: Api) -> None:
    _check(case, api, real=False)


@schema.parametrize()
@FUZZ
def test_no_server_error_on_real_objects(case: Any, api: Api) -> None:
    _check(case, api, real=True)


# What the fuzzing found, pinned.


def test_numbers_too_large_for_the_store_are_bad_input_not_a_server_error(api: Api) -> None:
    """Ids and versions past the store's INTEGER columns (found by the fuzzing above: they
    reached SQLite and failed there, 500) are refused as 422 by the API and the pages."""
    from fastapi.testclient import TestClient

    admin = api.session("huge numbers")
    http = TestClient(api.app, cookies=admin.cookies, headers=admin.headers)
    base, run = f"/api/workspaces/demo/maps/{api.real['map_id']}", api.real["run_id"]
    for huge in (2**31, 2**63, 10**30):
        for method, url, body in (
            ("GET", f"/api/workspaces/demo/runs/{huge}", None),
            ("PATCH", f"/api/users/{huge}", {"display_name": "X"}),
            ("PUT", f"/api/comments/{huge}/resolved", {"resolved": True}),
            ("GET", f"{base}/diff?a=1&b={huge}", None),
            ("GET", f"{base}/download?version={huge}", None),
            ("GET", f"/api/workspaces/demo/review?a={run}&b={huge}", None),
            ("POST", f"{base}/initiatives/from-finding", {"version": huge, "run": run, "rank": 1}),
            ("POST", f"{base}/restore", {"restore": 1, "version": huge}),
        ):
            response = http.request(method, url, json=body)
            assert response.status_code == 422, (method, url, response.status_code)
            assert response.json()["error"]["code"] == "invalid", (method, url, response.text)
        for url in (f"/w/demo/runs/{huge}", f"/w/demo/review?a={run}&b={huge}"):
            assert http.get(url).status_code == 422, url
        form = {"csrf_token": admin.headers["X-CSRF-Token"], "restore": "1", "version": str(huge)}
        refused = http.post(f"/w/demo/m/{api.real['map_id']}/restore", data=form)
        assert refused.status_code == 422
