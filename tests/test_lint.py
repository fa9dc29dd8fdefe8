"""The map linter: every rule fires on the mistake it names and stays quiet on a near miss."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from jornada.i18n import LANGS, catalogue
from jornada.model import JourneyMap
from jornada.model.lint import (
    RULES,
    Diagnostic,
    LintError,
    LintSeverity,
    exit_code,
    find_rule,
    lint,
    worst,
)

TODAY = dt.date(2026, 3, 2)
DOCS = Path(__file__).resolve().parent.parent / "docs" / "lint-rules.md"
Data = dict[str, Any]
Edit = Callable[[Data], None]


def clean_data() -> Data:
    """A small map that breaks no rule: pre- and post-purchase, cross-functional, with data."""
    match = [{"activity": "visit*"}]
    return {
        "id": "acme",
        "name": "Acme journey",
        "brand_promise": "Machines that never stop your line",
        "objectives": ["Shorten the sales cycle"],
        "scope": {"segments": ["Mid-size plants"]},
        "review": {"created": "2025-06-01", "last_reviewed": "2026-02-20", "every_days": 90},
        "stages": [
            {"id": "discovery", "name": "Discovery", "phase": "pre_purchase"},
            {"id": "evaluation", "name": "Evaluation", "phase": "pre_purchase"},
            {"id": "onboarding", "name": "Onboarding", "phase": "post_purchase"},
        ],
        "business_units": [
            {"id": "marketing", "name": "Marketing"},
            {"id": "sales", "name": "Sales"},
            {"id": "service", "name": "Service"},
        ],
        "roles": [
            {"id": "buyer", "name": "Economic buyer", "required": True},
            {"id": "user", "name": "User"},
        ],
        "personas": [
            {"id": "cfo", "name": "CFO", "role": "buyer", "empathy": {"pains": ["Risk"]}},
            {"id": "engineer", "name": "Engineer", "role": "user", "empathy": {"does": ["Tests"]}},
        ],
        "touchpoints": [
            {
                "id": "website",
                "name": "Website",
                "labels": {"es": "Sitio web"},
                "stage": "discovery",
                "channel": "web",
                "channel_kind": "online",
                "owner_bu": "marketing",
                "match": match,
            },
            {
                "id": "demo-call",
                "name": "Demo call",
                "stage": "evaluation",
                "channel": "phone",
                "channel_kind": "personal",
                "owner_bu": "sales",
                "match": match,
            },
            {
                "id": "kickoff",
                "name": "Kick-off visit",
                "stage": "onboarding",
                "channel": "visit",
                "channel_kind": "physical",
                "owner_bu": "service",
                "critical": True,
                "match": match,
            },
        ],
        "emotions": [
            {"stage": "discovery", "target": 1, "observed_feeling": "curious"},
            {"stage": "evaluation", "target": 1},
            {"stage": "onboarding", "target_feeling": "cared for"},
        ],
        "pain_points": [{"id": "slow-quote", "name": "Slow quote", "stage": "evaluation"}],
        "content": [
            {"id": "guide", "name": "Guide", "format": "pdf", "stages": ["discovery"]},
            {"id": "faq", "name": "FAQ", "format": "web", "stages": ["evaluation", "onboarding"]},
        ],
        "messages": [
            {
                "id": "welcome",
                "name": "Welcome e-mail",
                "kind": "email",
                "touchpoints": ["kickoff"],
                "promise": "We stay with you",
            }
        ],
        "kpis": [
            {
                "id": "k-disc",
                "name": "Visits",
                "metric": "visits",
                "stage": "discovery",
                "target": 1,
            },
            {
                "id": "k-eval",
                "name": "Win rate",
                "metric": "cr",
                "touchpoint": "demo-call",
                "target": 1,
            },
            {"id": "k-onb", "name": "CSAT", "metric": "csat", "stage": "onboarding", "target": 4},
        ],
        "initiatives": [
            {
                "id": "fast-quote",
                "name": "Quote in a day",
                "owner_bu": "sales",
                "pain_points": ["slow-quote"],
                "target_kpi": "k-eval",
            }
        ],
    }


def build(*edits: Edit, data: Data | None = None) -> JourneyMap:
    data = copy.deepcopy(clean_data() if data is None else data)
    for edit in edits:
        edit(data)
    return JourneyMap.model_validate(data)


def _walk(data: Data, path: str) -> tuple[Any, str | int]:
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    node: Any = data
    for part in parents:
        node = node[part]
    return node, last


def put(path: str, value: Any) -> Edit:
    """Set the value at a dotted path (``touchpoints.1.owner_bu``)."""

    def edit(data: Data) -> None:
        node, last = _walk(data, path)
        node[last] = copy.deepcopy(value)

    return edit


def drop(path: str) -> Edit:
    """Remove the key or list item at a dotted path."""

    def edit(data: Data) -> None:
        node, last = _walk(data, path)
        del node[last]

    return edit


def add(path: str, value: Any) -> Edit:
    """Append to the list at a dotted path."""

    def edit(data: Data) -> None:
        node, last = _walk(data, path)
        node[last].append(copy.deepcopy(value))

    return edit


def each(collection: str, field: str, value: Any) -> Edit:
    """Set ``field`` on every item of ``collection``."""

    def edit(data: Data) -> None:
        for item in data[collection]:
            item[field] = copy.deepcopy(value)

    return edit


def days_ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


ADVOCACY = {"id": "advocacy", "name": "Advocacy", "phase": "post_purchase"}
REFERRAL = {
    "id": "referral",
    "name": "Referral call",
    "stage": "advocacy",
    "channel": "phone",
    "channel_kind": "personal",
    "owner_bu": "service",
}
BARE: Data = {"id": "bare", "name": "Bare map"}


def found(journey: JourneyMap, code: str, lang: str = "en") -> list[Diagnostic]:
    return [d for d in lint(journey, today=TODAY, lang=lang) if d.code == code]


# Every rule: the edit that triggers it, where it points, and a near miss that must not.


@dataclass(frozen=True)
class Case:
    code: str
    severity: LintSeverity
    loc: tuple[str | int, ...]
    trigger: tuple[Edit, ...]
    near_miss: tuple[Edit, ...] = ()
    data: Data | None = None
    says: str = ""


ERR, WARN, INFO = LintSeverity.error, LintSeverity.warning, LintSeverity.info
CASES: dict[str, Case] = {
    "no-stages": Case("JM100", ERR, ("stages",), (), (put("stages", [ADVOCACY]),), BARE),
    "all-pre": Case("JM101", ERR, ("stages",), (put("stages.2.phase", "pre_purchase"),)),
    "all-post": Case(
        "JM102",
        ERR,
        ("stages",),
        (each("stages", "phase", "post_purchase"),),
        (put("stages.0.phase", "post_purchase"),),
    ),
    "stage-without-touchpoints": Case(
        "JM103",
        ERR,
        ("stages", 3),
        (add("stages", ADVOCACY),),
        (add("stages", ADVOCACY), add("touchpoints", REFERRAL)),
        says="'advocacy' (Advocacy)",
    ),
    "stage-without-kpi": Case(
        "JM104",
        WARN,
        ("stages", 0),
        (drop("kpis.0"),),
        (put("kpis.0.stage", None), put("kpis.0.touchpoint", "website")),
    ),
    "touchpoint-without-owner": Case(
        "JM201", ERR, ("touchpoints", 1, "owner_bu"), (drop("touchpoints.1.owner_bu"),)
    ),
    "marketing-only": Case(
        "JM202",
        WARN,
        ("touchpoints",),
        (each("touchpoints", "owner_bu", "marketing"),),
        (each("touchpoints", "shared_bus", ["sales"]),),
        says="'marketing' (Marketing)",
    ),
    "no-offline": Case(
        "JM203",
        WARN,
        ("touchpoints",),
        (each("touchpoints", "channel_kind", "online"),),
        (put("touchpoints.1.channel_kind", "online"),),
        says="3",
    ),
    "no-online": Case(
        "JM204", WARN, ("touchpoints",), (each("touchpoints", "channel_kind", "personal"),)
    ),
    "no-match-rules": Case(
        "JM205",
        INFO,
        ("touchpoints", 0, "match"),
        (put("touchpoints.0.match", []),),
        (put("touchpoints.0.match", [{"channel": "web"}]),),
    ),
    "no-moments-of-truth": Case(
        "JM206",
        WARN,
        ("moments_of_truth",),
        (put("touchpoints.2.critical", False),),
        (
            put("touchpoints.2.critical", False),
            put(
                "moments_of_truth",
                [{"id": "first-run", "name": "First run", "stage": "onboarding"}],
            ),
        ),
    ),
    "no-emotions": Case("JM301", WARN, ("emotions",), (put("emotions", []),)),
    "stage-without-target-emotion": Case(
        "JM302",
        WARN,
        ("stages", 1),
        (drop("emotions.1.target"),),
        (drop("emotions.1.target"), put("emotions.1.target_feeling", "confident")),
    ),
    "no-observed-emotions": Case(
        "JM303",
        INFO,
        ("emotions",),
        (drop("emotions.0.observed_feeling"),),
        (drop("emotions.0.observed_feeling"), put("emotions.2.observed", -1)),
    ),
    "persona-without-empathy": Case(
        "JM304",
        WARN,
        ("personas", 1, "empathy"),
        (put("personas.1.empathy", {}),),
        (put("personas.1.empathy", {"gains": ["Less downtime"]}),),
    ),
    "no-pain-points": Case(
        "JM401",
        WARN,
        ("pain_points",),
        (put("pain_points", []), put("initiatives.0.pain_points", [])),
    ),
    "no-initiatives": Case("JM402", WARN, ("initiatives",), (put("initiatives", []),)),
    "only-dropped-initiatives": Case(
        "JM402",
        WARN,
        ("initiatives",),
        (put("initiatives.0.status", "dropped"),),
        (put("initiatives.0.status", "done"),),
    ),
    "pain-point-without-action": Case(
        "JM403",
        WARN,
        ("pain_points", 1),
        (
            add(
                "pain_points", {"id": "late-invoice", "name": "Late invoice", "stage": "onboarding"}
            ),
        ),
        (
            add(
                "pain_points", {"id": "late-invoice", "name": "Late invoice", "stage": "onboarding"}
            ),
            add("initiatives.0.pain_points", "late-invoice"),
        ),
        says="'late-invoice' (Late invoice)",
    ),
    "initiative-without-owner": Case(
        "JM404",
        WARN,
        ("initiatives", 0, "owner_bu"),
        (drop("initiatives.0.owner_bu"),),
        (drop("initiatives.0.owner_bu"), put("initiatives.0.status", "dropped")),
    ),
    "initiative-without-kpi": Case(
        "JM405", WARN, ("initiatives", 0, "target_kpi"), (drop("initiatives.0.target_kpi"),)
    ),
    "no-content": Case("JM501", WARN, ("content",), (put("content", []),)),
    "content-gap": Case(
        "JM502",
        WARN,
        ("stages", 0),
        (put("content.0.personas", ["cfo"]),),
        (put("content.0.personas", ["cfo", "engineer"]),),
        says="'discovery' (Discovery) has no content for persona 'engineer' (Engineer)",
    ),
    "top-of-funnel-only": Case(
        "JM503",
        WARN,
        ("content",),
        (put("content.1.stages", ["evaluation"]),),
        (put("content.1.stages", ["onboarding"]),),
        says="(Discovery, Evaluation)",
    ),
    "single-persona": Case(
        "JM601", WARN, ("personas", 0), (drop("personas.1"),), says="'cfo' (CFO)"
    ),
    "no-personas": Case("JM601", WARN, ("personas",), (put("personas", []),)),
    "no-roles": Case("JM602", WARN, ("roles",), (put("roles", []), each("personas", "role", None))),
    "no-required-role": Case(
        "JM603",
        INFO,
        ("roles",),
        (put("roles.0.required", False),),
        (put("roles", []), each("personas", "role", None)),
    ),
    "persona-without-role": Case(
        "JM604", WARN, ("personas", 0, "role"), (drop("personas.0.role"),)
    ),
    "stale-map": Case(
        "JM701",
        WARN,
        ("review", "last_reviewed"),
        (put("review.last_reviewed", days_ago(91)),),
        (put("review.last_reviewed", days_ago(90)),),
        says="91 days ago",
    ),
    "stale-since-created": Case(
        "JM701",
        WARN,
        ("review", "created"),
        (
            drop("review.last_reviewed"),
            put("review.created", days_ago(31)),
            put("review.every_days", 30),
        ),
        (
            drop("review.last_reviewed"),
            put("review.created", days_ago(30)),
            put("review.every_days", 30),
        ),
        says="31 days ago",
    ),
    "never-reviewed": Case("JM701", WARN, ("review",), (put("review", {}),)),
    "no-messages": Case("JM801", WARN, ("messages",), (put("messages", []),)),
    "message-without-touchpoint": Case(
        "JM802", WARN, ("messages", 0, "touchpoints"), (put("messages.0.touchpoints", []),)
    ),
    "no-brand-promise": Case(
        "JM803",
        WARN,
        ("brand_promise",),
        (drop("brand_promise"),),
        (drop("brand_promise"), put("messages", [])),
    ),
    "message-without-promise": Case(
        "JM804", INFO, ("messages", 0, "promise"), (drop("messages.0.promise"),)
    ),
    "no-objectives": Case("JM901", WARN, ("objectives",), (put("objectives", []),)),
    "no-scope": Case(
        "JM902", INFO, ("scope",), (put("scope", {}),), (put("scope", {"notes": "Brazil only"}),)
    ),
}


def test_the_clean_map_has_nothing_to_report() -> None:
    assert lint(build(), today=TODAY) == []


def test_every_rule_has_a_case() -> None:
    assert {case.code for case in CASES.values()} == {rule.code for rule in RULES}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_rule_fires_on_its_mistake(case: Case) -> None:
    diagnostics = found(build(*case.trigger, data=case.data), case.code)
    assert diagnostics, f"{case.code} did not fire"
    first = diagnostics[0]
    assert (first.severity, first.loc) == (case.severity, case.loc)
    assert first.rule == find_rule(case.code).slug
    assert case.says in first.message
    assert first.hint


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_rule_stays_quiet_on_a_near_miss(case: Case) -> None:
    assert found(build(*case.near_miss, data=case.data), case.code) == []


def test_content_gap_gives_one_diagnostic_per_empty_cell() -> None:
    journey = build(put("content.0.personas", ["cfo"]), put("content.1.personas", ["engineer"]))
    gaps = found(journey, "JM502")
    assert [(d.loc, d.message.split("'")[3]) for d in gaps] == [
        (("stages", 0), "engineer"),
        (("stages", 1), "cfo"),
        (("stages", 2), "cfo"),
    ]


def test_content_gap_without_personas_is_per_stage() -> None:
    journey = build(
        put("personas", []),
        put("content.1.stages", ["evaluation"]),
    )
    assert [d.loc for d in found(journey, "JM502")] == [("stages", 2)]
    assert found(journey, "JM502")[0].message == "Stage 'onboarding' (Onboarding) has no content."


def test_no_stages_is_one_diagnostic_not_one_per_rule() -> None:
    codes = [d.code for d in lint(build(data=BARE), today=TODAY)]
    assert "JM100" in codes
    assert not {"JM101", "JM102", "JM203", "JM204", "JM502", "JM503"} & set(codes)


# Messages and catalogues


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_codes_and_slugs_are_unique_and_well_formed() -> None:
    codes = [rule.code for rule in RULES]
    slugs = [rule.slug for rule in RULES]
    assert len(set(codes)) == len(codes) and len(set(slugs)) == len(slugs)
    assert codes == sorted(codes)
    assert all(re.fullmatch(r"JM[1-9]\d\d", code) for code in codes)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", slug) for slug in slugs)


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_has_title_message_and_hint_for_every_rule(lang: str) -> None:
    texts = catalogue(lang, "lint")
    slugs = {rule.slug for rule in RULES}
    for rule in RULES:
        for part in ("title", "message", "hint"):
            assert texts.get(f"{rule.slug}.{part}", "").strip(), f"{lang}: {rule.slug}.{part}"
    assert {key.split(".")[0] for key in texts} == slugs, "keys for no rule"


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_translations_have_the_same_keys_and_placeholders(lang: str) -> None:
    english, translated = catalogue("en", "lint"), catalogue(lang, "lint")
    assert set(translated) == set(english)
    for key, template in english.items():
        assert _fields(translated[key]) == _fields(template), f"{lang}: {key}"
        assert translated[key] != template, f"{lang}: {key} is not translated"


def test_messages_follow_the_language_and_name_the_part() -> None:
    journey = build(drop("touchpoints.0.owner_bu"))
    by_lang = {lang: found(journey, "JM201", lang)[0] for lang in LANGS}
    assert by_lang["es"].message != by_lang["en"].message
    assert by_lang["es"].hint != by_lang["en"].hint
    assert by_lang["pt"].message != by_lang["es"].message
    assert "'website' (Sitio web)" in by_lang["es"].message
    assert "'website' (Website)" in by_lang["en"].message
    assert "'website' (Website)" in by_lang["pt"].message
    assert found(journey, "JM201", "fr")[0].message == by_lang["en"].message


def test_every_rule_is_documented() -> None:
    if not DOCS.is_file():
        pytest.skip("runs only from a source checkout")
    rows = re.findall(r"^\| (JM\d+) \| `([a-z-]+)` \| (\w+) \|", DOCS.read_text("utf-8"), re.M)
    documented = {code: (slug, severity) for code, slug, severity in rows}
    for rule in RULES:
        assert documented.get(rule.code) == (rule.slug, rule.severity.value), rule.code
    assert len(documented) == len(RULES) == len(rows)


# lint(): severity, exit codes, disabling, order, JSON


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        ((), (None, 0)),
        ((put("scope", {}),), (INFO, 0)),
        ((put("scope", {}), put("objectives", [])), (WARN, 1)),
        ((put("scope", {}), put("objectives", []), drop("touchpoints.0.owner_bu")), (ERR, 2)),
    ],
    ids=["clean", "info", "warning", "error"],
)
def test_worst_and_exit_code(edits: tuple[Edit, ...], expected: tuple[Any, int]) -> None:
    diagnostics = lint(build(*edits), today=TODAY)
    assert (worst(diagnostics), exit_code(diagnostics)) == expected


@pytest.mark.parametrize("name", ["JM901", "jm901", "no-objectives", " no-objectives "])
def test_disabled_takes_codes_or_slugs(name: str) -> None:
    journey = build(put("objectives", []), put("scope", {}))
    assert [d.code for d in lint(journey, today=TODAY, disabled=[name])] == ["JM902"]


def test_disabled_accepts_a_single_name() -> None:
    journey = build(put("objectives", []), put("scope", {}))
    assert [d.code for d in lint(journey, today=TODAY, disabled="no-scope")] == ["JM901"]


def test_disabling_an_unknown_rule_is_an_error() -> None:
    with pytest.raises(LintError, match="unknown lint rule 'JM999'"):
        lint(build(), today=TODAY, disabled=["JM999"])


def test_today_defaults_to_the_current_date() -> None:
    recent = build(put("review.last_reviewed", dt.date.today().isoformat()))
    old = build(put("review.last_reviewed", "2000-01-01"))
    assert not [d for d in lint(recent) if d.code == "JM701"]
    assert [d.code for d in lint(old)] == ["JM701"]


MESSY = (
    put("objectives", []),
    put("scope", {}),
    drop("touchpoints.2.owner_bu"),
    drop("touchpoints.0.owner_bu"),
    put("content.0.personas", ["cfo"]),
    drop("initiatives.0.target_kpi"),
    put("touchpoints.1.match", []),
    add("stages", ADVOCACY),
)


def test_order_is_severity_then_map_order_and_stable() -> None:
    journey = build(*MESSY)
    diagnostics = lint(journey, today=TODAY)
    assert [(d.severity.value, d.code, d.loc) for d in diagnostics] == [
        ("error", "JM103", ("stages", 3)),
        ("error", "JM201", ("touchpoints", 0, "owner_bu")),
        ("error", "JM201", ("touchpoints", 2, "owner_bu")),
        ("warning", "JM901", ("objectives",)),
        ("warning", "JM502", ("stages", 0)),
        ("warning", "JM104", ("stages", 3)),
        ("warning", "JM302", ("stages", 3)),
        ("warning", "JM502", ("stages", 3)),
        ("warning", "JM502", ("stages", 3)),
        ("warning", "JM202", ("touchpoints",)),
        ("warning", "JM405", ("initiatives", 0, "target_kpi")),
        ("info", "JM902", ("scope",)),
        ("info", "JM205", ("touchpoints", 1, "match")),
    ]
    assert lint(build(*MESSY), today=TODAY) == diagnostics


def test_json_shape_round_trips() -> None:
    diagnostics = lint(build(*MESSY), today=TODAY, lang="pt")
    rows = json.loads(json.dumps([d.model_dump(mode="json") for d in diagnostics]))
    assert set(rows[0]) == {"code", "rule", "severity", "loc", "message", "hint"}
    assert rows[1]["loc"] == ["touchpoints", 0, "owner_bu"]
    assert [Diagnostic.model_validate(row) for row in rows] == diagnostics
