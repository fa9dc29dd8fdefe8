"""The web app's store, on an SQLite file and on a real PostgreSQL server.

Every test that touches a database runs twice (``backend`` = sqlite, postgresql); the
PostgreSQL server is started once for the session by ``tests/utils/postgres.py`` and each
test gets a fresh database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from argon2 import PasswordHasher, Type
from sqlalchemy import text

from jornada.model import JourneyMap, Lang, loads_map, to_data
from jornada.model.templates import build_template
from jornada.store import (
    AlreadyExists,
    ChangeKind,
    FindingStatus,
    InvalidInput,
    LoginRefused,
    MapKey,
    NotFound,
    StaleEdit,
    Store,
    TooManyAttempts,
    Unavailable,
    User,
    UserRole,
    can_edit,
    csrf_matches,
    current_revision,
    diff_maps,
    edit_allowed,
    head_revision,
)
from jornada.store.database import database_url, make_engine, upgrade
from jornada.store.models import Base
from tests.utils.maps import MINIMAL_YAML
from tests.utils.postgres import postgres_server  # noqa: F401  (a fixture)

JOURNEY_YAML = (
    MINIMAL_YAML
    + """\
emotions:
  - stage: purchase
    touchpoint: proposal
    observed: -1
pain_points:
  - id: slow-quote
    name: Slow quote
    stage: purchase
    touchpoint: proposal
kpis:
  - id: win-rate
    name: Win rate
    metric: conversion_rate
    target: 0.3
initiatives:
  - id: faster-quotes
    name: Faster quotes
    owner_bu: sales
    pain_points: [slow-quote]
    target_kpi: win-rate
  - id: better-site
    name: Better website
    owner_bu: marketing
    touchpoints: [website]
"""
)
KEY = MapKey("acme", "acme-journey")
PASSWORD = "correct horse battery"
START = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


class CountingHasher(PasswordHasher):
    """argon2id with cheap parameters for tests, counting how often it verifies."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=64, parallelism=1, type=Type.ID)
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.verified += 1
        return super().verify(hash, password)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    server = request.getfixturevalue("postgres_server")
    database: str = server.new_database()
    return database


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def hasher() -> CountingHasher:
    return CountingHasher()


@pytest.fixture
def open_store(url: str, clock: Clock, hasher: CountingHasher) -> Iterator[Callable[[], Store]]:
    """Opens as many stores on the test's database as a test wants (one per "server")."""
    opened: list[Store] = []

    def open_one() -> Store:
        opened.append(Store.open(url, clock=clock, hasher=hasher))
        return opened[-1]

    yield open_one
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[[], Store]) -> Store:
    return open_store()


def _user(store: Store, name: str, role: UserRole, bu: str | None = None, **kw: Any) -> User:
    return store.create_user(
        f"{name}@acme.example",
        PASSWORD,
        display_name=name.title(),
        role=role,
        business_unit=bu,
        **kw,
    )


@pytest.fixture
def admin(store: Store) -> User:
    return _user(store, "ada", UserRole.admin)


@pytest.fixture
def journey() -> JourneyMap:
    return loads_map(JOURNEY_YAML)


@pytest.fixture
def saved(store: Store, admin: User, journey: JourneyMap) -> MapKey:
    """The test map stored as version 1 in workspace ``acme``."""
    store.create_workspace("acme", "Acme Corp", by=admin, data_path="/data/acme.duckdb")
    store.create_map("acme", journey, admin, "first draft")
    return KEY


def edited(journey: JourneyMap, change: Callable[[dict[str, Any]], None]) -> JourneyMap:
    """A copy of the map with ``change`` applied to its data (and checked again)."""
    data = to_data(journey)
    change(data)
    return JourneyMap.model_validate(data)


def rename(collection: str, element_id: str, name: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for item in data[collection]:
            if item["id"] == element_id:
                item["name"] = name

    return change


# Schema and migrations


def test_new_database_gets_the_newest_schema_exactly_as_the_models_say(store: Store) -> None:
    assert current_revision(store.engine) == head_revision() == "0002"
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_older_database_is_upgraded_on_open_and_keeps_its_rows(url: str, clock: Clock) -> None:
    engine = make_engine(database_url(url))
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    document = json.dumps(to_data(loads_map(JOURNEY_YAML)))
    # What revision 0001 wrote: naive UTC text in SQLite, timestamptz in PostgreSQL.
    at: object = "2025-03-01 09:00:00.000000" if url.startswith("sqlite") else START
    with engine.begin() as connection:
        statements = [
            "INSERT INTO users (id, email, display_name, role, business_unit, password_hash,"
            " active, language, created_at) VALUES (1, 'ada@acme.example', 'Ada', 'admin',"
            " NULL, 'x', true, 'es', :at)",
            "INSERT INTO workspaces (id, slug, name, created_by, created_at)"
            " VALUES (1, 'acme', 'Acme', 1, :at)",
            "INSERT INTO maps (id, workspace_id, slug, version, created_at, updated_at)"
            " VALUES (1, 1, 'acme-journey', 1, :at, :at)",
            "INSERT INTO map_versions (id, map_id, version, document, author_id, created_at,"
            " message) VALUES (1, 1, 1, :doc, 1, :at, 'old')",
            "INSERT INTO comments (id, map_id, element_id, author_id, text, created_at,"
            " resolved) VALUES (1, 1, 'website', 1, 'Too slow', :at, false)",
        ]
        for statement in statements:
            connection.execute(text(statement), {"at": at, "doc": document})
    engine.dispose()

    with Store.open(url, clock=clock) as store:
        assert current_revision(store.engine) == "0002"
        [info] = store.maps("acme")
        assert (info.key, info.name, info.version) == (KEY, "Acme B2B journey", 1)
        assert info.created_at == START
        assert store.get_map(KEY) == (loads_map(JOURNEY_YAML), 1)
        ada = store.find_user("ADA@acme.example")
        assert ada is not None and ada.language is Lang.es and ada.role is UserRole.admin
        assert [c.text for c in store.comments(KEY)] == ["Too slow"]
        with store.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []


def test_app_processes_starting_together_migrate_once(url: str) -> None:
    barrier = threading.Barrier(3)
    opened: list[Store] = []
    failures: list[BaseException] = []

    def start() -> None:
        barrier.wait()
        try:
            opened.append(Store.open(url))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for store in opened:
        store.close()
    assert failures == [] and len(opened) == 3
    assert current_revision(opened[0].engine) == head_revision()


def test_a_database_that_cannot_be_opened_is_named_with_the_reason(
    url: str, tmp_path: Path
) -> None:
    if url.startswith("sqlite"):
        (tmp_path / "a file").write_text("")
        bad, expected = str(tmp_path / "a file" / "store.db"), "Cannot open the database sqlite:///"
    else:
        bad = url.replace("/test_", "/missing_", 1)
        expected = "Cannot open the database postgresql://postgres@/missing_"
    with pytest.raises(Unavailable) as caught:
        Store.open(bad)
    assert str(caught.value).startswith(expected)
    assert caught.value.http_status == 503 and "\n" not in str(caught.value)


def test_sqlite_file_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    with Store.open(tmp_path / "plain path.db") as store:
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (tmp_path / "plain path.db").is_file()


def test_unsupported_database_urls_are_refused_with_a_hint() -> None:
    with pytest.raises(InvalidInput) as caught:
        Store.open("mysql://localhost/jornada")
    assert str(caught.value) == (
        "Unsupported database 'mysql': use a file path, sqlite:///path or"
        " postgresql://user@host/db."
    )
    with pytest.raises(InvalidInput, match="needs a database file"):
        Store.open("sqlite://")
    assert database_url("postgres://u@h/db").drivername == "postgresql+psycopg"


# Users, passwords and sign-in


def test_passwords_are_argon2id_and_wrong_ones_are_refused(store: Store, admin: User) -> None:
    with store.engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM users")).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert Store(store.engine).hasher.type is Type.ID  # the default hasher too
    assert store.authenticate("ADA@Acme.Example ", PASSWORD) == admin
    with pytest.raises(LoginRefused) as caught:
        store.authenticate("ada@acme.example", "wrong password", lang="pt")
    assert str(caught.value) == "E-mail ou senha incorretos."


def test_unknown_emails_cost_a_hash_check_like_known_ones(
    store: Store, admin: User, hasher: CountingHasher
) -> None:
    before = hasher.verified
    with pytest.raises(LoginRefused) as unknown:
        store.authenticate("nobody@acme.example", PASSWORD)
    with pytest.raises(LoginRefused) as known:
        store.authenticate("ada@acme.example", "not the password")
    assert hasher.verified - before == 2
    assert str(unknown.value) == str(known.value) == "Wrong email or password."
    with pytest.raises(LoginRefused):  # kept within its column on PostgreSQL too
        store.authenticate("x" * 1000 + "@acme.example", PASSWORD, ip="y" * 1000)


def test_emails_are_unique_whatever_their_case(store: Store, admin: User) -> None:
    with pytest.raises(AlreadyExists) as caught:
        store.create_user("Ada@ACME.example", PASSWORD, display_name="Ada 2", role=UserRole.viewer)
    assert str(caught.value) == "There is already an account for ada@acme.example."
    assert [u.email for u in store.users()] == ["ada@acme.example"]


def test_accounts_are_checked_when_made(store: Store) -> None:
    with pytest.raises(InvalidInput, match="^The password must have at least 10 characters.$"):
        store.create_user("bo@acme.example", "short", display_name="Bo", role=UserRole.viewer)
    with pytest.raises(InvalidInput, match="needs a business unit"):
        store.create_user("bo@acme.example", PASSWORD, display_name="Bo", role=UserRole.bu_owner)
    with pytest.raises(InvalidInput, match="cannot be used as an address"):
        _user(store, "bo", UserRole.bu_owner, "Sales Dept")
    with pytest.raises(InvalidInput) as caught:
        store.create_user("bo@acme.example", PASSWORD, display_name="B" * 201, role=UserRole.viewer)
    assert str(caught.value) == f"'{'B' * 30}…' is too long: at most 200 characters."
    bo = _user(store, "bo", UserRole.bu_owner, "sales", language=Lang.pt)
    assert (bo.role, bo.business_unit, bo.language, bo.active) == (
        UserRole.bu_owner,
        "sales",
        Lang.pt,
        True,
    )
    assert bo.created_at == START


def test_sign_in_is_refused_after_five_failures_until_the_window_passes(
    store: Store, admin: User, clock: Clock, hasher: CountingHasher
) -> None:
    for _ in range(5):
        clock.advance(minutes=1)
        with pytest.raises(LoginRefused):
            store.authenticate("ada@acme.example", "guess", ip="10.0.0.1")
    checked = hasher.verified
    with pytest.raises(TooManyAttempts) as caught:
        store.authenticate("ada@acme.example", PASSWORD, ip="10.0.0.2", lang="es")
    # The first failure was at 09:01, so the lock lifts at 09:16, 11 minutes from 09:05.
    assert str(caught.value) == (
        "Demasiados intentos fallidos de inicio de sesión: vuelve a intentarlo después de"
        " las 09:16 UTC (en 11 min)."
    )
    assert caught.value.retry_at == START + dt.timedelta(minutes=16)
    assert hasher.verified == checked  # refused without looking at the password
    clock.advance(minutes=10, seconds=59)
    with pytest.raises(TooManyAttempts):
        store.authenticate("ada@acme.example", PASSWORD)
    clock.advance(seconds=1)
    assert store.authenticate("ada@acme.example", PASSWORD) == admin


def test_one_address_is_limited_across_emails_and_success_does_not_unlock_it(
    store: Store, admin: User
) -> None:
    bo = _user(store, "bo", UserRole.viewer)
    for name in ("x1", "x2", "x3", "x4"):
        with pytest.raises(LoginRefused):
            store.authenticate(f"{name}@acme.example", "guess", ip="10.0.0.9")
    assert store.authenticate(bo.email, PASSWORD, ip="10.0.0.9") == bo
    with pytest.raises(LoginRefused):
        store.authenticate("x5@acme.example", "guess", ip="10.0.0.9")
    with pytest.raises(TooManyAttempts):
        store.authenticate(admin.email, PASSWORD, ip="10.0.0.9")
    assert store.authenticate(admin.email, PASSWORD, ip="10.0.0.10") == admin


def test_a_success_clears_the_count_of_its_email(store: Store, admin: User) -> None:
    for _ in range(4):
        with pytest.raises(LoginRefused):
            store.authenticate(admin.email, "guess")
    store.authenticate(admin.email, PASSWORD)
    for _ in range(4):
        with pytest.raises(LoginRefused):
            store.authenticate(admin.email, "guess")
    assert store.authenticate(admin.email, PASSWORD) == admin


def test_inactive_accounts_cannot_sign_in_and_the_last_admin_stays(
    store: Store, admin: User
) -> None:
    cleo = _user(store, "cleo", UserRole.cx_lead)
    token, _ = store.create_session(cleo)
    store.update_user(cleo.id, by=admin, active=False)
    assert store.resolve_session(token) is None
    with pytest.raises(LoginRefused):
        store.authenticate(cleo.email, PASSWORD)
    with pytest.raises(InvalidInput) as caught:
        store.update_user(admin.id, by=admin, role=UserRole.viewer)
    assert str(caught.value) == "This is the last active admin: make another person admin first."
    assert store.get_user(admin.id).role is UserRole.admin


# Sessions


def test_sessions_end_when_idle_too_long_or_too_old_or_revoked(
    store: Store, admin: User, clock: Clock
) -> None:
    token, session = store.create_session(admin)
    assert len(token) >= 43  # 256 random bits, URL-safe
    assert session.user == admin and session.expires_at == START + dt.timedelta(hours=8)
    with store.engine.connect() as connection:
        kept = connection.execute(text("SELECT token_hash FROM sessions")).scalar_one()
    assert kept == hashlib.sha256(token.encode()).hexdigest()
    resolved = store.resolve_session(token)
    assert resolved is not None and resolved.user == admin
    assert csrf_matches(resolved, session.csrf_secret)
    assert not csrf_matches(resolved, session.csrf_secret + "x")
    assert store.resolve_session(token + "x") is None

    clock.advance(seconds=30)
    touched = store.touch_session(token)
    assert touched is not None and touched.last_seen_at == START  # not written again yet
    clock.advance(seconds=30)
    touched = store.touch_session(token)
    assert touched is not None and touched.last_seen_at == clock.now
    assert touched.expires_at == clock.now + dt.timedelta(hours=8)
    for _ in range(30):  # used every 7 hours: alive until the 7-day maximum
        clock.advance(hours=7)
        if store.touch_session(token) is None:
            break
    assert clock.now - START == dt.timedelta(days=7, minutes=1)  # touched last at 161 h
    assert store.resolve_session(token) is None

    token, _ = store.create_session(admin)
    clock.advance(hours=8)
    assert store.resolve_session(token) is None  # idle for 8 hours

    token, _ = store.create_session(admin)
    store.revoke_session(token)
    assert store.resolve_session(token) is None
    store.revoke_session(token)  # twice is harmless


# Workspaces


def test_workspaces_are_created_listed_changed_and_deleted(store: Store, admin: User) -> None:
    store.create_workspace("zeta", "Zeta", by=admin)
    acme = store.create_workspace("acme", "Acme Corp", by=admin, description="B2B")
    assert [w.slug for w in store.workspaces()] == ["acme", "zeta"]
    with pytest.raises(AlreadyExists):
        store.create_workspace("acme", "Other", by=admin)
    with pytest.raises(InvalidInput, match="cannot be used as an address"):
        store.create_workspace("Acme Corp", "Acme", by=admin)
    with pytest.raises(InvalidInput, match="too long"):
        store.create_workspace("long", "é" * 201, by=admin)
    changed = store.update_workspace("acme", by=admin, data_path="/data/acme.duckdb")
    assert changed == store.get_workspace("acme")
    assert (changed.name, changed.description, changed.data_path) == (
        "Acme Corp",
        "B2B",
        "/data/acme.duckdb",
    )
    assert changed.created_by == admin.id and changed.id == acme.id
    store.delete_workspace("zeta", by=admin)
    with pytest.raises(NotFound, match="^There is no workspace 'zeta'.$"):
        store.get_workspace("zeta")


def test_deleting_a_workspace_deletes_its_maps_versions_and_comments(
    store: Store, admin: User, saved: MapKey
) -> None:
    store.add_comment(saved, "Check this", admin)
    store.delete_workspace("acme", by=admin)
    with store.engine.connect() as connection:
        for table in ("maps", "map_versions", "comments"):
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0


# Maps, versions, optimistic locking


def test_maps_are_created_saved_and_listed_with_their_versions(
    store: Store, admin: User, saved: MapKey, journey: JourneyMap, clock: Clock
) -> None:
    assert store.get_map(saved) == (journey, 1)
    with pytest.raises(AlreadyExists):
        store.create_map("acme", journey, admin)
    clock.advance(minutes=5)
    second = edited(journey, rename("touchpoints", "website", "Corporate website"))
    version = store.save_map(saved, second, 1, admin, "rename the website")
    assert (version.version, version.author_name, version.created_at) == (2, "Ada", clock.now)
    assert store.get_map(saved) == (second, 2)
    assert store.get_map(saved, 1) == (journey, 1)
    history = [(v.version, v.message, v.author_id) for v in store.versions(saved)]
    assert history == [(2, "rename the website", admin.id), (1, "first draft", admin.id)]
    [info] = store.maps("acme")
    assert (info.version, info.updated_at, info.created_at) == (2, clock.now, START)


def test_a_large_template_map_round_trips(store: Store, admin: User) -> None:
    big = build_template("gartner", "es", company="Ação & <Cia> 🚀")
    store.create_workspace("acme", "Acme", by=admin)
    store.create_map("acme", big, admin)
    assert store.get_map(MapKey("acme", big.id)) == (big, 1)


def test_a_stale_save_is_refused_and_nothing_is_lost(
    open_store: Callable[[], Store], store: Store, admin: User, saved: MapKey, journey: JourneyMap
) -> None:
    other_server = open_store()
    bea = _user(store, "bea", UserRole.cx_lead, language=Lang.es)
    mine, my_version = store.get_map(saved)
    hers, her_version = other_server.get_map(saved)
    assert my_version == her_version == 1

    mine = edited(mine, rename("stages", "discovery", "Awareness"))
    store.save_map(saved, mine, my_version, admin, "stage renamed")
    hers = edited(hers, rename("touchpoints", "proposal", "Quote"))
    with pytest.raises(StaleEdit) as caught:
        other_server.save_map(saved, hers, her_version, bea, "touchpoint renamed")
    assert str(caught.value) == (
        "Ada guardó acme/acme-journey como versión 2 el 2025-03-01 09:00 UTC, después de que"
        " abrieras la versión 1; tus cambios no se guardaron: vuelve a cargar el mapa y hazlos"
        " de nuevo."
    )
    assert (caught.value.current, caught.value.author, caught.value.http_status) == (2, "Ada", 409)
    assert caught.value.message("en").startswith("Ada saved acme/acme-journey as version 2")
    assert store.get_map(saved) == (mine, 2)
    assert [v.version for v in store.versions(saved)] == [2, 1]

    latest, version = other_server.get_map(saved)
    merged = edited(latest, rename("touchpoints", "proposal", "Quote"))
    other_server.save_map(saved, merged, version, bea, "touchpoint renamed")
    final, _ = store.get_map(saved)
    assert final.stages[0].name == "Awareness" and final.touchpoints[1].name == "Quote"


def race(servers: list[Store], key: MapKey, author: User, names: list[str]) -> list[str]:
    """Every server saves its own edit of the current version at the same moment;
    returns ``won:<name>`` or ``stale`` per server."""
    journey, version = servers[0].get_map(key)
    barrier = threading.Barrier(len(servers))
    outcomes: list[str] = []

    def save(server: Store, name: str) -> None:
        change = edited(journey, rename("touchpoints", "website", name))
        barrier.wait()
        try:
            server.save_map(key, change, version, author, name)
            outcomes.append(f"won:{name}")
        except StaleEdit:
            outcomes.append("stale")

    threads = [
        threading.Thread(target=save, args=pair) for pair in zip(servers, names, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_concurrent_saves_from_the_same_version_let_exactly_one_win(
    open_store: Callable[[], Store], store: Store, admin: User, saved: MapKey
) -> None:
    servers = [open_store(), open_store()]
    rounds = 4
    for round_ in range(rounds):
        outcomes = race(servers, saved, admin, [f"site {round_}-a", f"site {round_}-b"])
        assert sorted(o.split(":")[0] for o in outcomes) == ["stale", "won"], outcomes
        [winner] = [o for o in outcomes if o != "stale"]
        current, number = store.get_map(saved)
        assert number == round_ + 2
        assert f"won:{current.touchpoints[0].name}" == winner
    assert [v.version for v in store.versions(saved)] == list(range(rounds + 1, 0, -1))


def test_a_map_keeps_its_id(store: Store, admin: User, saved: MapKey, journey: JourneyMap) -> None:
    moved = journey.model_copy(update={"id": "other-id"})
    with pytest.raises(InvalidInput, match="cannot change from 'acme-journey' to 'other-id'"):
        store.save_map(saved, moved, 1, admin)
    with pytest.raises(NotFound, match="^There is no map 'acme/nope'.$"):
        store.get_map(MapKey("acme", "nope"))
    with pytest.raises(NotFound, match="has no version 7"):
        store.get_map(saved, 7)


def test_diff_lists_changes_by_element_and_restore_brings_an_old_version_back(
    store: Store, admin: User, saved: MapKey, journey: JourneyMap
) -> None:
    def change(data: dict[str, Any]) -> None:
        rename("touchpoints", "website", "Web")(data)
        data["touchpoints"][1]["shared_bus"] = []
        data["initiatives"] = [i for i in data["initiatives"] if i["id"] != "better-site"]
        data["kpis"].append({"id": "nps", "name": "NPS", "metric": "nps", "target": 40})

    store.save_map(saved, edited(journey, change), 1, admin)
    changes = {(c.collection, c.element_id): c for c in store.diff(saved, 1, 2)}
    assert {k: c.kind for k, c in changes.items()} == {
        ("touchpoints", "website"): ChangeKind.changed,
        ("touchpoints", "proposal"): ChangeKind.changed,
        ("kpis", "nps"): ChangeKind.added,
        ("initiatives", "better-site"): ChangeKind.removed,
    }
    website = changes[("touchpoints", "website")]
    assert [(f.path, f.old, f.new) for f in website.fields] == [("name", "Website", "Web")]
    proposal = changes[("touchpoints", "proposal")].fields
    assert [(f.path, f.old, f.new) for f in proposal] == [("shared_bus", ["marketing"], [])]
    assert changes[("initiatives", "better-site")].name == "Better website"

    restored = store.restore(saved, 1, 2, admin)
    assert (restored.version, restored.restored_from, restored.message) == (
        3,
        1,
        "Restored version 1",
    )
    assert store.get_map(saved) == (journey, 3)
    assert store.diff(saved, 1, 3) == []
    with pytest.raises(StaleEdit):
        store.restore(saved, 2, 2, admin)


def test_diff_finds_field_paths_moves_emotions_and_map_fields(journey: JourneyMap) -> None:
    def change(data: dict[str, Any]) -> None:
        data["name"] = "Acme journey 2025"
        data["stages"] = [data["stages"][1], data["stages"][0], data["stages"][2]]
        data["touchpoints"][0]["match"] = [{"activity": "web*"}]
        data["emotions"][0]["observed"] = 1
        data["emotions"].append({"stage": "discovery", "observed": 2})

    changes = diff_maps(journey, edited(journey, change))
    summary = [(c.collection, c.element_id, c.kind, [f.path for f in c.fields]) for c in changes]
    assert summary == [
        ("map", "acme-journey", ChangeKind.changed, ["name"]),
        ("stages", "purchase", ChangeKind.changed, ["position"]),
        ("stages", "discovery", ChangeKind.changed, ["position"]),
        ("touchpoints", "website", ChangeKind.changed, ["match"]),
        ("emotions", "purchase/proposal/-", ChangeKind.changed, ["observed"]),
        ("emotions", "discovery/-/-", ChangeKind.added, []),
    ]
    assert changes[1].fields[0].old == 1 and changes[1].fields[0].new == 0


# Comments


def test_comments_on_elements_and_on_the_map(
    store: Store, admin: User, saved: MapKey, clock: Clock
) -> None:
    bea = _user(store, "bea", UserRole.viewer)
    first = store.add_comment(saved, "  Is this <b>right</b>? 🤔  ", bea, "website")
    clock.advance(minutes=1)
    store.add_comment(saved, "Overall fine", admin)
    assert (first.text, first.author_name, first.element_id) == (
        "Is this <b>right</b>? 🤔",
        "Bea",
        "website",
    )
    with pytest.raises(NotFound, match="has no element 'nowhere'"):
        store.add_comment(saved, "?", admin, "nowhere")
    with pytest.raises(InvalidInput):
        store.add_comment(saved, "   ", admin)
    assert [c.text for c in store.comments(saved)] == ["Is this <b>right</b>? 🤔", "Overall fine"]
    assert [c.id for c in store.comments(saved, element_id="website")] == [first.id]
    assert store.open_comment_counts(saved) == {"website": 1, None: 1}
    resolved = store.resolve_comment(first.id, by=admin)
    assert resolved.resolved and resolved.author_name == "Bea"
    assert [c.text for c in store.comments(saved, include_resolved=False)] == ["Overall fine"]
    assert store.open_comment_counts(saved) == {None: 1}


# Analysis runs and the periodic review


def test_two_periods_are_compared_by_kpi_and_finding(
    store: Store, admin: User, saved: MapKey
) -> None:
    def finding(kind: str, subject: str, score: float) -> dict[str, Any]:
        return {"kind": kind, "subject": subject, "score": score, "action": "..."}

    q1 = store.add_analysis_run(
        "acme",
        label="Q1",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 3, 31),
        summary={"win_rate": 0.25, "cases": 100, "restarts": 0, "case": "account", "x": True},
        findings=[finding("friction", "Legal review", 0.8), finding("drop_off", "Demo", 0.5)],
        map_key=saved,
        by=admin,
    )
    store.save_map(saved, store.get_map(saved).journey, 1, admin, "no change")
    q2 = store.add_analysis_run(
        "acme",
        label="Q2",
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2025, 6, 30),
        summary={"win_rate": 0.3, "cases": 120, "restarts": 4, "online_share": 0.6},
        findings=[finding("friction", "Legal review", 0.6), finding("rep_load", "Ana", 0.7)],
        filters={"segment": "enterprise"},
        map_key=saved,
        by=admin,
    )
    assert (q1.map_key, q1.map_version, q2.map_version) == (saved, 1, 2)
    assert [r.label for r in store.analysis_runs("acme")] == ["Q2", "Q1"]
    assert store.get_analysis_run(q2.id).filters == {"segment": "enterprise"}

    review = store.compare_runs(q1.id, q2.id)
    kpis = {k.name: (k.a, k.b, k.delta, k.relative) for k in review.kpis}
    assert kpis == {
        "win_rate": (0.25, 0.3, pytest.approx(0.05), pytest.approx(0.2)),
        "cases": (100.0, 120.0, 20.0, 0.2),
        "restarts": (0.0, 4.0, 4.0, None),
        "online_share": (None, 0.6, None, None),
    }
    findings = [(f.status, f.kind, f.subject, f.delta) for f in review.findings]
    assert findings == [
        (FindingStatus.new, "rep_load", "Ana", None),
        (FindingStatus.changed, "friction", "Legal review", pytest.approx(-0.2)),
        (FindingStatus.gone, "drop_off", "Demo", None),
    ]
    assert review.findings[1].rank_a == 1 and review.findings[1].rank_b == 1
    with pytest.raises(InvalidInput, match="ends"):
        store.add_analysis_run(
            "acme",
            label="bad",
            period_start=dt.date(2025, 2, 1),
            period_end=dt.date(2025, 1, 1),
            summary={},
            findings=[],
            by=admin,
        )


# Audit log


def test_every_change_is_in_the_audit_log(
    store: Store, admin: User, journey: JourneyMap, clock: Clock
) -> None:
    bo = store.create_user(
        "bo@acme.example",
        PASSWORD,
        display_name="Bo",
        role=UserRole.bu_owner,
        business_unit="sales",
        by=admin,
    )
    store.update_user(bo.id, by=admin, display_name="Bo Sales")
    store.set_password(bo.id, "another long password", by=admin)
    token, _ = store.create_session(bo)
    store.revoke_session(token)
    store.create_workspace("acme", "Acme", by=admin)
    store.update_workspace("acme", by=admin, name="Acme Corp")
    clock.advance(minutes=1)
    store.create_map("acme", journey, admin, "v1")
    store.save_map(KEY, edited(journey, rename("touchpoints", "proposal", "Quote")), 1, bo)
    store.restore(KEY, 1, 2, admin)
    comment = store.add_comment(KEY, "Looks good", bo)
    store.resolve_comment(comment.id, by=admin)
    run = store.add_analysis_run(
        "acme",
        label="Q1",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 3, 31),
        summary={},
        findings=[],
        by=admin,
    )
    store.delete_map(KEY, by=admin)
    store.delete_workspace("acme", by=admin)

    entries = list(reversed(store.audit_log()))
    assert [(e.action, e.object_type, e.object_id, e.user_id) for e in entries] == [
        ("create", "user", str(admin.id), None),
        ("create", "user", str(bo.id), admin.id),
        ("update", "user", str(bo.id), admin.id),
        ("password", "user", str(bo.id), admin.id),
        ("login", "session", entries[4].object_id, bo.id),
        ("logout", "session", entries[4].object_id, bo.id),
        ("create", "workspace", "acme", admin.id),
        ("update", "workspace", "acme", admin.id),
        ("create", "map", "acme/acme-journey", admin.id),
        ("save", "map", "acme/acme-journey", bo.id),
        ("restore", "map", "acme/acme-journey", admin.id),
        ("create", "comment", str(comment.id), bo.id),
        ("resolve", "comment", str(comment.id), admin.id),
        ("create", "analysis_run", str(run.id), admin.id),
        ("delete", "map", "acme/acme-journey", admin.id),
        ("delete", "workspace", "acme", admin.id),
    ]
    assert entries[2].detail == {"display_name": ["Bo", "Bo Sales"]}
    assert entries[9].detail["changes"] == [
        {"collection": "touchpoints", "id": "proposal", "kind": "changed"}
    ]
    assert all("password" not in str(e.detail).lower() for e in entries)
    mine = store.audit_log(user_id=bo.id)
    assert [e.action for e in mine] == ["create", "save", "logout", "login"]
    assert len(store.audit_log(object_type="map", object_id="acme/acme-journey")) == 4
    assert len(store.audit_log(since=START + dt.timedelta(minutes=1))) == 8
    assert len(store.audit_log(until=START + dt.timedelta(minutes=1))) == 8
    assert len(store.audit_log(action="create", limit=3)) == 3


def test_a_refused_save_leaves_no_audit_entry(
    store: Store, admin: User, saved: MapKey, journey: JourneyMap
) -> None:
    store.save_map(saved, journey, 1, admin)
    with pytest.raises(StaleEdit):
        store.save_map(saved, journey, 1, admin)
    assert [e.action for e in store.audit_log(object_type="map")] == ["save", "create"]


# Permissions


@pytest.fixture
def people(store: Store, admin: User) -> dict[str, User]:
    return {
        "admin": admin,
        "cx_lead": _user(store, "cleo", UserRole.cx_lead),
        "bu_owner": _user(store, "sam", UserRole.bu_owner, "sales"),
        "viewer": _user(store, "vic", UserRole.viewer),
    }


def test_who_may_edit_what(people: dict[str, User], journey: JourneyMap) -> None:
    sales_tp, marketing_tp = journey.touchpoints[1], journey.touchpoints[0]
    sales_init, marketing_init = journey.initiatives
    cases = [
        ("touchpoints", sales_tp),
        ("touchpoints", marketing_tp),
        ("initiatives", sales_init),
        ("initiatives", marketing_init),
        ("touchpoints", None),
        ("pain_points", journey.pain_points[0]),
        ("stages", journey.stages[0]),
        ("map", None),
        ("comments", None),
        ("users", None),
    ]
    table = {role: [can_edit(user, k, e) for k, e in cases] for role, user in people.items()}
    yes, no = True, False
    assert table == {
        "admin": [yes, yes, yes, yes, yes, yes, yes, yes, yes, yes],
        "cx_lead": [yes, yes, yes, yes, yes, yes, yes, yes, yes, no],
        "bu_owner": [yes, no, yes, no, yes, no, no, no, yes, no],
        "viewer": [no, no, no, no, no, no, no, no, no, no],
    }


def test_edit_allowed_keeps_bu_owners_to_their_own_elements(
    people: dict[str, User], journey: JourneyMap
) -> None:
    sam = people["bu_owner"]
    own = edited(journey, rename("touchpoints", "proposal", "Quote"))
    assert edit_allowed(sam, journey, own)

    def add_own(data: dict[str, Any]) -> None:
        data["touchpoints"].append(
            {
                "id": "call",
                "name": "Call",
                "stage": "purchase",
                "channel": "phone",
                "channel_kind": "personal",
                "owner_bu": "sales",
            }
        )

    assert edit_allowed(sam, journey, edited(journey, add_own))

    other = edited(journey, rename("touchpoints", "website", "Web"))
    verdict = edit_allowed(sam, journey, other)
    assert not verdict
    assert verdict.reason == (
        "You can change only the touchpoints and initiatives of your business unit (sales);"
        " this edit changes the touchpoint 'Web'."
    )

    def take_over(data: dict[str, Any]) -> None:
        data["touchpoints"][0]["owner_bu"] = "sales"

    def hand_away(data: dict[str, Any]) -> None:
        data["initiatives"][0]["owner_bu"] = "marketing"

    assert not edit_allowed(sam, journey, edited(journey, take_over))
    assert not edit_allowed(sam, journey, edited(journey, hand_away))
    assert not edit_allowed(sam, journey, edited(journey, rename("pain_points", "slow-quote", "x")))
    for role in ("admin", "cx_lead"):
        assert edit_allowed(people[role], journey, other)
    viewer = edit_allowed(people["viewer"], journey, own)
    assert not viewer and viewer.reason == "Your account can read maps but not change them."
    assert edit_allowed(people["viewer"], journey, journey)
