"""`jornada analyze` runs discovery and every insight analysis: one ranked findings list.

The planted truths of a demo world come out on top of their kinds, in es/pt/en; a world
with nothing planted raises none of the planted kinds; without a map the same kinds work.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from jornada.cli import app
from jornada.demo import generate_world
from jornada.demo.config import WorldConfig
from jornada.demo.demomap import build_demo_map
from jornada.demo.truth import planted_found
from jornada.demo.world import STAGES
from jornada.engine import AnalysisOptions
from jornada.ingest.batch import import_paths
from jornada.insights.run import analyse
from jornada.model import save_map
from jornada.workspace import Workspace

EVENTS = 60_000
SEED = 3
PLANTED_KINDS = {"critical_touchpoint", "friction", "rep_load", "content_gap", "buying_group"}
runner = CliRunner()


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    base = tmp_path_factory.mktemp("insights")
    made = {"planted": base / "planted", "null": base / "null"}
    generate_world(made["planted"], events=EVENTS, seed=SEED)
    generate_world(made["null"], events=EVENTS, seed=SEED, config=WorldConfig.null())
    made["map"] = save_map(build_demo_map("en"), base / "map.yaml")
    yield made


def _analyze(*args: str) -> None:
    result = runner.invoke(app, ["analyze", *args])
    assert result.exit_code == 0, result.output


def _findings(out: Path) -> list[dict[str, Any]]:
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    findings: list[dict[str, Any]] = document["findings"]
    return findings


def _of_kind(findings: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [f for f in findings if f["kind"] == kind]


@pytest.fixture(scope="module")
def with_map(worlds: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "with-map"
    _analyze(str(worlds["planted"]), "--map", str(worlds["map"]), "--out", str(out))
    return out


def test_findings_are_one_ranked_list_with_evidence_and_action(with_map: Path) -> None:
    findings = _findings(with_map)
    assert [f["rank"] for f in findings] == list(range(1, len(findings) + 1))
    scores = [f["score"] for f in findings]
    assert scores == sorted(scores, reverse=True)
    for f in findings:
        assert {"kind", "subject", "score", "evidence", "action"} <= f.keys(), f
        assert 0.0 <= f["score"] <= 1.0, f
        assert isinstance(f["evidence"], dict) and f["evidence"], f
        assert f["action"] and not re.fullmatch(r"[a-z_]+\.[a-z_.]+", f["action"]), f
    assert {"backtracking", "drop_off"} & {f["kind"] for f in findings}
    assert PLANTED_KINDS <= {f["kind"] for f in findings}


def test_planted_truths_lead_their_kinds(with_map: Path) -> None:
    findings = _findings(with_map)
    friction = _of_kind(findings, "friction")
    assert friction[0]["touchpoint"] == "pu_contract_redlines"
    critical = [f.get("touchpoint") for f in _of_kind(findings, "critical_touchpoint")[:3]]
    assert "ev_reference_call" in critical
    assert any(f.get("rep") == "REP-BR-0001" for f in _of_kind(findings, "rep_load"))
    gaps = _of_kind(findings, "content_gap")
    assert gaps and gaps[0]["stage"] == "evaluation" and gaps[0]["role"] == "operations_lead"
    assert _of_kind(findings, "buying_group")


@pytest.mark.parametrize(("seed", "events"), [(5, 30_000), (11, 120_000)])
def test_planted_truths_are_found_at_other_seeds_and_sizes(
    tmp_path: Path, seed: int, events: int
) -> None:
    generate_world(tmp_path / "w", events=events, seed=seed)
    truth = json.loads((tmp_path / "w" / "truth.json").read_text(encoding="utf-8"))
    journey = build_demo_map("en")
    with Workspace.open(":memory:") as ws:
        import_paths(ws, [tmp_path / "w"], journey=journey)
        findings = analyse(ws.con, AnalysisOptions(), journey).findings
    found = planted_found(findings, truth)
    assert all(found.values()), found


def test_every_insight_table_is_written(with_map: Path) -> None:
    for name in ("transitions", "funnel", "markov_removal", "touchpoint_lift", "friction",
                 "rep_load", "role_coverage", "channel_mix", "content_coverage",
                 "experience_curve", "bu_view", "designed_vs_actual"):  # fmt: skip
        assert (with_map / f"{name}.csv").is_file(), name
        assert pq.read_table(with_map / f"{name}.parquet").num_rows > 0, name


def test_nothing_planted_raises_none_of_the_planted_kinds(
    worlds: dict[str, Path], tmp_path: Path
) -> None:
    _analyze(str(worlds["null"]), "--map", str(worlds["map"]), "--out", str(tmp_path / "o"))
    raised = {f["kind"] for f in _findings(tmp_path / "o") if f["score"] >= 0.1}
    assert not raised & PLANTED_KINDS, raised


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_without_a_map_in_spanish_and_portuguese(
    worlds: dict[str, Path], tmp_path: Path, lang: str
) -> None:
    stages = ",".join(s.id for s in STAGES)
    out = tmp_path / lang
    _analyze(str(worlds["planted"]), "--stages", stages, "--lang", lang, "--out", str(out))
    findings = _findings(out)
    assert _of_kind(findings, "friction")[0]["touchpoint"] == "pu_contract_redlines"
    english = _findings_english(worlds, tmp_path, stages)
    ours = {(f["kind"], f["subject"]): f["action"] for f in findings}
    theirs = {(f["kind"], f["subject"]): f["action"] for f in english}
    same = [k for k in ours.keys() & theirs.keys() if ours[k] == theirs[k]]
    assert ours.keys() & theirs.keys() and not same, same


def _findings_english(worlds: dict[str, Path], tmp_path: Path, stages: str) -> list[Any]:
    out = tmp_path / "en"
    if not out.exists():
        _analyze(str(worlds["planted"]), "--stages", stages, "--out", str(out))
    return _findings(out)


def test_a_path_table_alone_gets_markov_attribution(tmp_path: Path) -> None:
    paths = tmp_path / "paths.csv"
    paths.write_text(
        "path;total_conversions;total_null\n"
        "search > demo > call;30;10\n"
        "search > call;10;30\n"
        "demo;5;15\n"
        "search;0;40\n",
        encoding="utf-8",
    )
    _analyze(str(paths), "--kind", "paths", "--out", str(tmp_path / "out"))
    removal = pq.read_table(tmp_path / "out" / "markov_removal.parquet").to_pylist()
    effects = {r["touchpoint"]: r["removal_effect"] for r in removal}
    assert set(effects) == {"search", "demo", "call"}
    # By hand: P(conversion) = 81/252; with "call" removed only demo -> conversion is
    # left, 9/252, so the removal effect is 1 - 9/81 = 8/9.
    assert effects["call"] == pytest.approx(8 / 9, abs=1e-9)


def test_subjects_are_named_as_the_map_names_them(with_map: Path) -> None:
    journey = build_demo_map("en")
    names = {e.id: e.name for e in (*journey.stages, *journey.touchpoints)}
    for f in _findings(with_map):
        assert f["subject"] not in names, f
    critical = _of_kind(_findings(with_map), "critical_touchpoint")
    reference = next(f for f in critical if f.get("touchpoint") == "ev_reference_call")
    assert reference["subject"] == names["ev_reference_call"]
    # Actions and composite subjects read names too, never the map's coded ids.
    coded = [i for i in names if "_" in i]
    for f in _findings(with_map):
        for text in (f["subject"], f["action"]):
            assert not [i for i in coded if i in text], (f["kind"], text)
    back = _of_kind(_findings(with_map), "backtracking")[0]
    assert back["subject"] == f"{names[back['stage']]} → {names[back['to_stage']]}"


def test_every_finding_kind_has_a_name_in_each_language(
    with_map: Path, worlds: dict[str, Path], tmp_path: Path
) -> None:
    from jornada.i18n import t

    kinds = {f["kind"] for f in _findings(with_map)}
    for lang in ("en", "es", "pt"):
        for kind in kinds:
            assert t(f"cli.kind.{kind}", lang) != f"cli.kind.{kind}", (lang, kind)
    stages = ",".join(s.id for s in STAGES)
    result = runner.invoke(app, ["analyze", str(worlds["planted"]), "--stages", stages,
                                 "--lang", "es", "--out", str(tmp_path / "es")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "hallazgos (findings.json)" in result.output
    assert "[fricción]" in result.output
