"""First start: an admin account when there is none, and the demo workspace when the app
serves a ``jornada demo`` folder and the store has no workspace yet."""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from jornada.model import Lang, load_map
from jornada.render.data import load
from jornada.store import Store, User, UserRole, Workspace
from jornada.web.data import data_period, json_safe
from jornada.web.settings import Settings
from jornada.web.workspaces import DATA_FILE, run_folder

ADMIN_EMAIL = "admin@jornada.local"
DEMO_SLUG = "demo"
MAP_FILE = "map.yaml"


@dataclass(frozen=True)
class FirstAdmin:
    email: str
    password: str


def is_demo_dir(directory: Path) -> bool:
    """Whether ``directory`` holds what ``jornada demo`` builds (data file and map)."""
    return (directory / DATA_FILE).is_file() and (directory / MAP_FILE).is_file()


def ensure_admin(store: Store, lang: Lang = Lang.en) -> FirstAdmin | None:
    """Create the first admin with a generated password, unless an admin exists; the
    password is returned once (the store keeps only its hash)."""
    if any(u.role is UserRole.admin and u.active for u in store.users()):
        return None
    password = secrets.token_urlsafe(12)
    store.create_user(
        ADMIN_EMAIL, password, display_name="Admin", role=UserRole.admin, language=lang
    )
    return FirstAdmin(ADMIN_EMAIL, password)


def register_demo(store: Store, settings: Settings, directory: Path, by: User) -> Workspace | None:
    """Register the demo folder as a workspace with its map and its analysis as the first
    run, when the store has no workspace yet; ``None`` otherwise."""
    if store.workspaces() or not is_demo_dir(directory):
        return None
    directory = directory.resolve()
    journey = load_map(directory / MAP_FILE)
    workspace = store.create_workspace(
        DEMO_SLUG,
        journey.company or journey.name,
        by=by,
        description=journey.description,
        data_path=str(directory / DATA_FILE),
    )
    version = store.create_map(DEMO_SLUG, journey, by, "jornada demo")
    analysis = directory / "analysis"
    if (analysis / "summary.json").is_file():
        data = load(analysis, journey)
        start, end = data_period(data.tables.get("cases"), None, None)
        run = store.add_analysis_run(
            DEMO_SLUG,
            label="Demo",
            period_start=start,
            period_end=end,
            summary=json_safe(data.summary),
            findings=json_safe(data.findings),
            by=by,
            map_key=version.key,
            map_version=version.version,
        )
        target = run_folder(settings, workspace, run.id)
        if target.exists():  # left by an earlier store over this folder: a new run owns it
            shutil.rmtree(target)
        shutil.copytree(analysis, target)
        if (directory / "lint.json").is_file():
            shutil.copy2(directory / "lint.json", target / "lint.json")
    return workspace
