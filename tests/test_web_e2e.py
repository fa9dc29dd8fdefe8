"""The web app end to end: the real server (uvicorn on a loopback port, over a temporary
SQLite store and a 5,000-event demo world built once for the module) driven in a headless
Chromium, by clicking and typing as people do.

The flows: a CX lead signs in, starts a map from a template, adds a touchpoint and sees
the map check change, types YAML and sees it checked live, changes the map and restores an
earlier version from the history; uploads the demo world's Parquet files and reads the
import report, analyses a period, looks at the subway map, turns a finding into an
initiative and finds it on the board, analyses a second period and compares the two;
two people edit the same element and the second is told who saved first, keeping what
they typed; the interface in Spanish and Portuguese; a viewer sees no control that
changes anything, and a BU owner changes only their unit's touchpoints.

A screenshot of every step goes to ``tests/artifacts/screenshots/web-*.png``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from jornada.i18n import t
from jornada.model import to_data
from jornada.store import MapKey, Store, User
from tests.utils.browser import overlapping, screenshot, text_boxes
from tests.utils.server import serving
from tests.utils.web import PASSWORD, build_demo_dir, make_users, served_demo

pytest.importorskip("playwright")
from playwright.sync_api import Page, expect  # noqa: E402

DEMO_MAP = "vertice-b2b-journey"
SLOW = 60_000  # ms: an import or an analysis on a busy machine
FIRST = ("FY 2024/25", "2024-07-01", "2025-06-30")
SECOND = ("FY 2025/26", "2025-07-01", "2026-06-30")


@dataclass
class Served:
    url: str
    store: Store
    users: dict[str, User]
    demo: Path
    counter: Iterator[int] = field(default_factory=itertools.count)

    def at(self, path: str) -> str:
        return self.url + path

    def map_copy(self) -> MapKey:
        """A copy of the demo map (setup, through the store), so a test edits its own."""
        journey = self.store.get_map(MapKey("demo", DEMO_MAP)).journey
        copy = journey.model_copy(update={"id": f"e2e-copy-{next(self.counter)}"})
        return self.store.create_map("demo", copy, self.users["admin"]).key

    def new_user(self, role: str) -> User:
        n = next(self.counter)
        model = self.users[role]
        return self.store.create_user(
            f"e2e-{role}-{n}@acme.test",
            PASSWORD,
            display_name=f"{role.replace('_', ' ').title()} {n}",
            role=model.role,
            business_unit=model.business_unit,
            by=self.users["admin"],
        )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("e2e")
    demo = build_demo_dir(folder / "demo")
    app, admin, _ = served_demo(folder, demo)
    store: Store = app.state.ctx.store
    users = make_users(store, admin)
    with serving(app) as url:
        yield Served(url, store, users, demo)


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    """A fresh browser context per test; confirm dialogs are answered by each test."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def sign_in(page: Page, served: Served, email: str, target: str = "/") -> None:
    """Open ``target`` signed out, get sent to the sign-in form, sign in, land on it."""
    page.goto(served.at(target))
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_test_id("login-email").fill(email)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(served.at(target))
    expect(page.get_by_test_id("sign-out")).to_be_visible()


def accept_next_dialog(page: Page) -> list[str]:
    """Say yes to the next confirm() and return (in a list) what it asked."""
    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    return asked


def lint_count(page: Page) -> int:
    return int(page.get_by_test_id("lint-count").inner_text())


def number(text: str) -> int:
    """A count as the pages print it in English (``5,000``)."""
    return int(text.replace(",", "").strip())


# A CX lead designs a map.


def test_design_a_map_from_a_template_and_restore_an_earlier_version(
    page: Page, served: Served
) -> None:
    page.goto(served.at("/"))
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))
    screenshot(page, "web-01-sign-in")
    sign_in(page, served, "cx_lead@acme.test")
    expect(page.get_by_test_id("me")).to_have_text("Cx Lead")

    page.get_by_test_id("workspace-name").fill("Acme Field Sales")
    page.get_by_test_id("workspace-slug").fill("acme")
    page.get_by_test_id("workspace-create").click()
    expect(page).to_have_url(served.at("/w/acme?done=workspace_created"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme Field Sales")

    # Start a map from a template.
    page.get_by_test_id("map-template").select_option("five-stage")
    page.get_by_test_id("map-language").select_option("en")
    page.get_by_test_id("map-company").fill("Acme")
    page.get_by_test_id("map-id").fill("acme-five")
    page.get_by_test_id("map-create").click()
    expect(page).to_have_url(served.at("/w/acme/m/acme-five?done=map_created"))
    expect(page.get_by_test_id("map-version")).to_have_text("v1")
    expect(page.get_by_test_id("field-company")).to_have_value("Acme")
    before = lint_count(page)
    screenshot(page, "web-02-map-from-template")

    # Add a touchpoint in the editor; the map check beside it picks it up.
    page.get_by_test_id("collection-touchpoints").click()
    rows = page.get_by_test_id("element-row")
    expect(rows.first).to_be_visible()
    touchpoints = rows.count()
    first_stage = page.locator('[data-testid="element-row"] td.muted').first.inner_text()
    page.get_by_test_id("element-add").click()
    expect(page).to_have_url(served.at("/w/acme/m/acme-five/new/touchpoints"))
    page.get_by_test_id("field-id").fill("tp-webinar")
    page.get_by_test_id("field-name").fill("Product webinar")
    stage = re.search(r"stage: ([\w-]+)", first_stage)
    assert stage is not None, first_stage
    page.get_by_test_id("field-stage").select_option(stage.group(1))
    page.get_by_test_id("field-channel").fill("webinar")
    page.get_by_test_id("field-channel_kind").select_option("online")
    page.get_by_test_id("field-critical").check()
    screenshot(page, "web-03-touchpoint-form")
    page.get_by_test_id("element-save").click()
    expect(page).to_have_url(served.at("/w/acme/m/acme-five?tab=touchpoints&done=saved"))
    expect(page.get_by_test_id("flash")).to_have_text(t("web.done.saved", "en"))
    expect(page.get_by_test_id("map-version")).to_have_text("v2")
    expect(rows).to_have_count(touchpoints + 1)
    expect(page.locator('[data-testid="element-row"][data-key="tp-webinar"]')).to_contain_text(
        "Product webinar"
    )
    lint = page.get_by_test_id("lint")
    expect(lint).to_contain_text("JM201 Touchpoint 'tp-webinar' (Product webinar) has no owner")
    expect(lint).to_contain_text("JM205 Touchpoint 'tp-webinar'")
    assert lint_count(page) == before + 2
    screenshot(page, "web-04-touchpoint-added")

    # Give it an owner: that finding leaves the map check.
    page.locator('[data-testid="element-row"][data-key="tp-webinar"]').get_by_test_id(
        "element-link"
    ).click()
    expect(page.get_by_test_id("field-name")).to_have_value("Product webinar")
    page.get_by_test_id("field-owner_bu").select_option("sales")
    page.get_by_test_id("element-save").click()
    expect(page.get_by_test_id("map-version")).to_have_text("v3")
    expect(lint).not_to_contain_text("JM201 Touchpoint 'tp-webinar'")
    assert lint_count(page) == before + 1

    # The raw YAML is checked while typing (nothing is saved until Save).
    page.get_by_test_id("tab-yaml").click()
    area = page.get_by_test_id("yaml-text")
    expect(area).to_contain_text("tp-webinar")
    area.fill("id: sketch\nname: A sketch\n")
    expect(page.locator("#lint-list")).to_contain_text("JM100")
    expect(page.get_by_test_id("lint-count")).not_to_have_text(str(before + 1))
    area.fill("id: sketch\nname: [unclosed\n")
    expect(page.locator("#lint-list")).to_contain_text("invalid YAML")
    expect(page.get_by_test_id("lint-count")).to_have_text("!")
    screenshot(page, "web-05-yaml-checked-live")

    # Change the map (rename a stage), then restore the version before the change.
    page.goto(served.at("/w/acme/m/acme-five?tab=stages"))
    stage_row = page.locator(f'[data-testid="element-row"][data-key="{stage.group(1)}"]')
    old_name = stage_row.get_by_test_id("element-link").inner_text()
    stage_row.get_by_test_id("element-link").click()
    page.get_by_test_id("field-name").fill("First contact")
    page.get_by_test_id("element-save").click()
    expect(page.get_by_test_id("map-version")).to_have_text("v4")
    expect(stage_row.get_by_test_id("element-link")).to_have_text("First contact")
    page.get_by_test_id("tab-history").click()
    expect(page.get_by_test_id("version-row")).to_have_count(4)
    page.get_by_test_id("diff-a").select_option("3")
    page.get_by_test_id("diff-b").select_option("4")
    page.get_by_test_id("diff-show").click()
    change = page.get_by_test_id("change")
    expect(change).to_have_count(1)
    expect(change).to_contain_text(old_name)
    expect(change).to_contain_text("First contact")
    screenshot(page, "web-06-diff")
    page.get_by_test_id("tab-history").click()
    asked = accept_next_dialog(page)
    page.get_by_test_id("restore-3").click()
    expect(page).to_have_url(served.at("/w/acme/m/acme-five/history?done=restored"))
    assert asked and "3" in asked[0]
    expect(page.get_by_test_id("flash")).to_have_text(t("web.done.restored", "en"))
    expect(page.get_by_test_id("map-version")).to_have_text("v5")
    expect(page.get_by_test_id("version-row")).to_have_count(5)
    screenshot(page, "web-07-restored")
    page.goto(served.at("/w/acme/m/acme-five?tab=stages"))
    expect(stage_row.get_by_test_id("element-link")).to_have_text(old_name)
    page.goto(served.at("/w/acme/m/acme-five?tab=touchpoints"))
    expect(page.locator('[data-testid="element-row"][data-key="tp-webinar"]')).to_be_visible()
    journey = served.store.get_map(MapKey("acme", "acme-five")).journey
    assert journey == served.store.get_map(MapKey("acme", "acme-five"), 3).journey


# A CX lead brings in data and acts on it.


def test_upload_analyse_act_on_a_finding_and_review_two_periods(page: Page, served: Served) -> None:
    sign_in(page, served, "cx_lead@acme.test")
    page.get_by_test_id("workspace-name").fill("Vértice field data")
    page.get_by_test_id("workspace-slug").fill("field")
    page.get_by_test_id("workspace-create").click()
    expect(page).to_have_url(served.at("/w/field?done=workspace_created"))

    # The designed map, uploaded as a file.
    page.get_by_test_id("map-file").set_input_files(served.demo / "map.yaml")
    page.get_by_test_id("map-upload-form").locator("button[type=submit]").click()
    expect(page).to_have_url(served.at(f"/w/field/m/{DEMO_MAP}?done=map_created"))
    expect(page.get_by_test_id("map-version")).to_have_text("v1")

    # The demo world's Parquet exports, uploaded and imported with that map.
    page.get_by_test_id("home").click()
    page.get_by_test_id("workspace-link").filter(has_text="Vértice field data").click()
    files = sorted((served.demo / "data").glob("*.parquet"))
    assert len(files) >= 5
    page.get_by_test_id("upload-files").set_input_files(files)
    page.get_by_test_id("upload-map").select_option(DEMO_MAP)
    page.get_by_test_id("upload-submit").click()
    report = page.get_by_test_id("import-report")
    expect(report).to_be_visible(timeout=SLOW)
    rows = page.get_by_test_id("report-row")
    expect(rows).to_have_count(len(files))
    kinds: dict[str, tuple[int, int, int, int]] = {}
    for row in rows.all():
        numbers = tuple(
            number(row.get_by_test_id(k).inner_text())
            for k in ("rows-read", "rows-loaded", "rows-rejected", "rows-duplicate")
        )
        read, loaded, rejected, duplicate = numbers
        assert read == loaded + rejected + duplicate, (row.inner_text(), numbers)
        assert read > 0
        kinds[row.locator("td").nth(1).inner_text().split()[0]] = numbers
    assert set(kinds) >= {"events", "accounts", "contacts", "opportunities"}
    assert kinds["events"][0] == 5_000 and kinds["events"][1] > 4_500
    screenshot(page, "web-08-import-report")

    # Analyse a period.
    analyse(page, *FIRST)
    expect(page.get_by_role("heading", level=1)).to_contain_text(FIRST[0])
    headline = page.get_by_test_id("headline")
    expect(headline.locator("dd").first).to_be_visible()
    events = number(page.get_by_test_id("kpi-events").locator("dd").inner_text())
    assert 0 < events < 5_000  # the period holds part of the three years
    findings = page.get_by_test_id("finding")
    expect(findings.first).to_be_visible()
    screenshot(page, "web-09-dashboard")

    # The subway map: an SVG with stations, no label over another.
    page.get_by_test_id("run-subway").click()
    drawing = page.get_by_test_id("drawing-subway")
    expect(drawing.locator("svg")).to_have_count(1)
    stations = drawing.locator("svg g.station")
    expect(stations.first).to_be_visible()
    assert stations.count() >= 10
    assert not overlapping(text_boxes(page)), overlapping(text_boxes(page))
    screenshot(page, "web-10-subway")
    page.get_by_test_id("filter-level").select_option("stage")
    page.get_by_test_id("filter-apply").click()
    expect(page).to_have_url(re.compile(r"level=stage"))
    expect(drawing.locator("svg g.station")).to_have_count(7)  # the demo map's stages
    assert not overlapping(text_boxes(page)), overlapping(text_boxes(page))

    # A finding becomes an initiative, on the board as an idea.
    page.get_by_test_id("run-overview").click()
    finding = findings.first
    subject = finding.locator(".finding-head strong").inner_text()
    finding.get_by_test_id("finding-initiative").click()
    form = finding.get_by_test_id("initiative-form")
    expect(form).to_be_visible()
    expect(form.locator('input[name="name"]')).to_have_value(subject)
    form.locator('input[name="name"]').fill("Act on: " + subject)
    screenshot(page, "web-11-finding-to-initiative")
    form.get_by_test_id("initiative-create").click()
    expect(page).to_have_url(re.compile(rf"/w/field/m/{DEMO_MAP}/e/initiatives/[^/?]+\?done="))
    initiative = page.url.split("/e/initiatives/")[1].split("?")[0]
    expect(page.get_by_test_id("field-name")).to_have_value("Act on: " + subject)
    expect(page.get_by_test_id("field-status")).to_have_value("idea")
    page.get_by_test_id("tab-board").click()
    card = page.get_by_test_id("column-idea").locator(
        f'[data-testid="initiative"][data-id="{initiative}"]'
    )
    expect(card).to_contain_text("Act on: " + subject)
    screenshot(page, "web-12-board")

    # A second period, and the two compared on the review page.
    page.goto(served.at("/w/field"))
    analyse(page, *SECOND)
    page.goto(served.at("/w/field"))
    expect(page.get_by_test_id("run-row")).to_have_count(2)
    page.get_by_test_id("review-link").click()
    for testid, (label, _, _) in (("review-a", FIRST), ("review-b", SECOND)):
        choice = page.get_by_test_id(testid)
        choice.select_option(choice.locator("option", has_text=label).get_attribute("value"))
    page.get_by_test_id("review-compare").click()
    kpis = page.get_by_test_id("review-kpis")
    expect(kpis.locator("thead")).to_contain_text(FIRST[0])
    expect(kpis.locator("thead th").nth(1)).to_have_text(FIRST[0])
    expect(kpis.locator("thead th").nth(2)).to_have_text(SECOND[0])
    events_row = page.get_by_test_id("kpi-change").filter(
        has_text=re.compile("^" + re.escape(t("web.summary.events", "en")))
    )
    expect(events_row).to_have_count(1)
    shown = events_row.locator("td").nth(1).inner_text().replace(",", "")
    assert float(shown) == events, shown
    assert page.get_by_test_id("finding-change").count() > 0
    screenshot(page, "web-13-review")


def analyse(page: Page, label: str, since: str, until: str) -> None:
    """On a workspace page: analyse ``since``..``until`` with the demo map."""
    page.get_by_test_id("run-label").fill(label)
    page.get_by_test_id("run-since").fill(since)
    page.get_by_test_id("run-until").fill(until)
    page.get_by_test_id("run-map").select_option(DEMO_MAP)
    page.get_by_test_id("run-submit").click()
    page.wait_for_url(re.compile(r"/runs/\d+\?done=run_created"), timeout=SLOW)


# Two people, one element.


def test_a_stale_edit_names_who_saved_first_and_keeps_the_input(
    browser: Any, served: Served
) -> None:
    key = served.map_copy()
    url = served.at(f"/w/demo/m/{key.map}/e/touchpoints/pu_quote")
    first = browser.new_context(viewport={"width": 1400, "height": 900})
    second = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        mine, theirs = first.new_page(), second.new_page()
        sign_in(mine, served, "cx_lead@acme.test", f"/w/demo/m/{key.map}/e/touchpoints/pu_quote")
        sign_in(theirs, served, served.users["admin"].email, url.removeprefix(served.url))
        for page in (mine, theirs):
            expect(page.get_by_test_id("form-version")).to_have_value("1")
        mine.get_by_test_id("field-name").fill("Quote within 48 hours")
        mine.get_by_test_id("element-save").click()
        expect(mine.get_by_test_id("flash")).to_have_text(t("web.done.saved", "en"))
        expect(mine.get_by_test_id("map-version")).to_have_text("v2")

        theirs.get_by_test_id("field-name").fill("Quote the same day")
        theirs.get_by_test_id("field-description").fill("Careful words I do not want to lose.")
        theirs.get_by_test_id("element-save").click()
        error = theirs.get_by_test_id("error")
        expect(error).to_contain_text(f"Cx Lead saved demo/{key.map} as version 2 at ")
        expect(error).to_contain_text("after you opened version 1; your changes were not saved")
        expect(theirs.get_by_test_id("field-name")).to_have_value("Quote the same day")
        expect(theirs.get_by_test_id("field-description")).to_have_value(
            "Careful words I do not want to lose."
        )
        expect(theirs.get_by_test_id("form-version")).to_have_value("1")
        screenshot(theirs, "web-14-stale-edit")
    finally:
        first.close()
        second.close()
    saved = served.store.get_map(key)
    assert saved.version == 2
    assert saved.journey.element("pu_quote").name == "Quote within 48 hours"  # type: ignore[union-attr]


# The interface in Spanish and Portuguese.


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_the_interface_speaks_spanish_and_portuguese(page: Page, served: Served, lang: str) -> None:
    user = served.new_user("viewer")
    sign_in(page, served, user.email, "/w/demo")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_test_id("language-select").select_option(lang)  # submits on change
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page).to_have_url(served.at("/w/demo"))
    for key, testid in (("nav.workspaces", "nav-workspaces"), ("sign_out", "sign-out")):
        expected = t(f"web.{key}", lang)
        assert expected != t(f"web.{key}", "en")
        expect(page.get_by_test_id(testid)).to_have_text(expected)
    expect(page.get_by_role("heading", level=2).first).to_have_text(t("web.maps", lang))
    expect(page.get_by_test_id("runs-table").locator("th").first).to_have_text(
        t("web.runs.label", lang)
    )
    screenshot(page, f"web-15-workspace-{lang}")
    page.get_by_test_id("run-link").first.click()
    expect(page.get_by_test_id("run-subway")).to_have_text(t("web.run.subway", lang))
    expect(page.locator("main")).to_contain_text(t("web.findings.title", lang))
    page.get_by_test_id("run-subway").click()
    expect(page.get_by_test_id("drawing-subway").locator("svg g.station").first).to_be_visible()
    assert not overlapping(text_boxes(page)), overlapping(text_boxes(page))
    screenshot(page, f"web-16-subway-{lang}")
    assert served.store.find_user(user.email).language.value == lang  # type: ignore[union-attr]


# Who sees what.


EDIT_CONTROLS = (
    "map-form",
    "map-upload-form",
    "upload-form",
    "run-form",
    "workspace-form",
    "workspace-delete",
    "map-delete",
    "element-add",
    "element-delete",
    "element-save",
    "yaml-save",
    "move-form",
    "initiative-add",
    "initiative-form",
    "finding-initiative",
    "comment-form",
)


def test_a_viewer_sees_no_control_that_changes_anything(page: Page, served: Served) -> None:
    key = served.map_copy()
    journey = served.store.get_map(key).journey
    data = to_data(journey)
    data["stages"][0]["name"] = "Renamed for the history"
    served.store.save_map(key, type(journey).model_validate(data), 1, served.users["admin"])
    base = f"/w/demo/m/{key.map}"
    run = served.store.analysis_runs("demo")[-1].id
    sign_in(page, served, "viewer@acme.test")
    pages = {
        "workspaces": "/",
        "workspace": "/w/demo",
        "map": base,
        "touchpoints": base + "?tab=touchpoints",
        "touchpoint": base + "/e/touchpoints/pu_quote",
        "yaml": base + "/yaml",
        "history": base + "/history",
        "board": base + "/board",
        "dashboard": f"/w/demo/runs/{run}",
    }
    for name, path in pages.items():
        page.goto(served.at(path))
        expect(page.get_by_test_id("sign-out")).to_be_visible()
        shown = [c for c in EDIT_CONTROLS if page.get_by_test_id(c).count()]
        restores = page.locator('[data-testid^="restore-"]').count()
        assert not shown and not restores, (name, shown, restores)
        posts = page.eval_on_selector_all(
            "form[method=post]",
            "forms => forms.filter(f => f.querySelector('[type=submit]:not([disabled])'))"
            ".map(f => f.getAttribute('action'))",
        )
        assert set(posts) <= {"/logout", "/me/language"}, (name, posts)
        for field_ in page.locator(".element-form [name]:not([type=hidden])").all():
            assert field_.is_disabled() or field_.get_attribute("readonly") is not None, name
        screenshot(page, f"web-17-viewer-{name}")
    # What the viewer can read is all there.
    page.goto(served.at(f"/w/demo/runs/{run}/subway"))
    expect(page.get_by_test_id("drawing-subway").locator("svg g.station").first).to_be_visible()
    page.goto(served.at(base + "/history"))
    expect(page.get_by_test_id("version-row")).to_have_count(2)


def test_a_bu_owner_edits_only_their_units_touchpoints(page: Page, served: Served) -> None:
    key = served.map_copy()
    base = f"/w/demo/m/{key.map}"
    sign_in(page, served, "bu_owner@acme.test", base + "?tab=touchpoints")
    expect(page.locator(".who .role")).to_contain_text("sales")
    expect(page.get_by_test_id("element-add")).to_be_visible()

    # Their own unit's touchpoint: saved.
    page.locator('[data-testid="element-row"][data-key="pu_quote"]').get_by_test_id(
        "element-link"
    ).click()
    expect(page.get_by_test_id("field-owner_bu")).to_have_value("sales")
    page.get_by_test_id("field-name").fill("Quote within one working day")
    page.get_by_test_id("element-save").click()
    expect(page.get_by_test_id("flash")).to_have_text(t("web.done.saved", "en"))
    expect(page.locator('[data-testid="element-row"][data-key="pu_quote"]')).to_contain_text(
        "Quote within one working day"
    )
    expect(page.get_by_test_id("map-version")).to_have_text("v2")
    screenshot(page, "web-18-bu-owner-saved")

    # Another unit's touchpoint: refused, with the reason, and the input kept.
    page.goto(served.at(base + "/e/touchpoints/aw_trade_show"))
    expect(page.get_by_test_id("field-owner_bu")).to_have_value("marketing")
    page.get_by_test_id("field-name").fill("Our trade show now")
    page.get_by_test_id("element-save").click()
    expect(page.get_by_test_id("error")).to_have_text(
        "You can change only the touchpoints and initiatives of your business unit (sales); "
        "this edit changes the touchpoint 'Our trade show now'."
    )
    expect(page.get_by_test_id("field-name")).to_have_value("Our trade show now")
    screenshot(page, "web-19-bu-owner-refused")

    # Nor take one over by naming their unit as its owner.
    page.goto(served.at(base + "/e/touchpoints/aw_trade_show"))
    page.get_by_test_id("field-owner_bu").select_option("sales")
    page.get_by_test_id("element-save").click()
    expect(page.get_by_test_id("error")).to_contain_text("your business unit (sales)")

    # Stages are not theirs to add or delete.
    page.goto(served.at(base + "?tab=stages"))
    expect(page.get_by_test_id("element-row").first).to_be_visible()
    expect(page.get_by_test_id("element-add")).to_have_count(0)
    expect(page.get_by_test_id("element-delete")).to_have_count(0)
    saved = served.store.get_map(key)
    assert saved.version == 2
    trade_show = saved.journey.element("aw_trade_show")
    assert trade_show is not None and trade_show.owner_bu == "marketing"  # type: ignore[attr-defined]
    assert trade_show.name != "Our trade show now"
