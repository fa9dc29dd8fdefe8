"""The command line, run as a user runs it: a real process, real files, exit codes, stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from jornada.cli import app
from jornada.model import load_map
from tests.utils.maps import MINIMAL_YAML

runner = CliRunner()


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``jornada`` entry point in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-c", "from jornada.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "JORNADA_LANG": "en"},
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *parts: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for part in parts:
        assert part in lines[0]


@pytest.mark.parametrize(
    ("edit", "parts"),
    [
        (
            ("    phase: post_purchase", "    phase: [post"),
            ("map.yaml:", "invalid YAML"),
        ),
        (
            ("stage: purchase", "stage: purchasing"),
            ("map.yaml:29:5: touchpoints[1].stage: unknown stage 'purchasing'",),
        ),
        (
            ("id: proposal", "id: website"),
            ("map.yaml:27:5: touchpoints[1].id: duplicate id 'website'",),
        ),
    ],
    ids=["malformed-yaml", "unknown-stage", "duplicate-id"],
)
def test_lint_bad_map_gives_one_located_line(tmp_path: Path, edit, parts) -> None:
    (tmp_path / "map.yaml").write_text(MINIMAL_YAML.replace(*edit, 1))
    result = run("lint", "map.yaml", cwd=tmp_path)
    assert_one_line_error(result, *parts)


def test_lint_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(run("lint", str(tmp_path / "none.yaml")), "none.yaml: file not found")


def test_lint_exit_code_and_json_follow_the_worst_severity(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(MINIMAL_YAML)
    result = runner.invoke(app, ["lint", str(path), "--format", "json", "--today", "2026-01-01"])
    rows = json.loads(result.stdout)
    severities = {row["severity"] for row in rows}
    assert result.exit_code == (2 if "error" in severities else 1 if "warning" in severities else 0)
    assert all(
        {"code", "rule", "severity", "message", "hint", "loc", "line"} <= set(r) for r in rows
    )
    data = yaml.safe_load(MINIMAL_YAML)
    del data["touchpoints"][0]["owner_bu"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(app, ["lint", str(path), "--format", "json"])
    assert result.exit_code == 2
    owner = [r for r in json.loads(result.stdout) if r["loc"] == ["touchpoints", 0, "owner_bu"]]
    assert owner and owner[0]["severity"] == "error" and owner[0]["line"] is not None


def test_lint_text_output_in_spanish(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(MINIMAL_YAML)
    result = runner.invoke(app, ["lint", str(path), "--lang", "es"])
    assert "advertencias" in result.stdout
    assert f"{path}:" in result.stdout


def test_lint_rejects_a_bad_date(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text(MINIMAL_YAML)
    result = run("lint", "map.yaml", "--today", "31/12/2026", cwd=tmp_path)
    assert_one_line_error(result, "--today: '31/12/2026' is not a date")


@pytest.mark.parametrize("template", ["gartner", "lifecycle", "five-stage"])
@pytest.mark.parametrize("lang", ["es", "pt", "en"])
def test_init_writes_a_clean_starter_map(tmp_path: Path, template: str, lang: str) -> None:
    path = tmp_path / f"{template}-{lang}.yaml"
    result = runner.invoke(app, ["init", "--template", template, "--lang", lang, str(path)])
    assert result.exit_code == 0, result.output
    journey = load_map(path)
    assert journey.language == lang
    lint = runner.invoke(app, ["lint", str(path), "--format", "json"])
    assert lint.exit_code == 0, lint.stdout


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text("keep me")
    result = run("init", "map.yaml", cwd=tmp_path)
    assert_one_line_error(result, "map.yaml already exists")
    assert (tmp_path / "map.yaml").read_text() == "keep me"


def test_schema_command_writes_the_schema(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "--out", str(tmp_path / "s.json")])
    assert result.exit_code == 0
    schema = json.loads((tmp_path / "s.json").read_text())
    assert schema["$schema"].endswith("2020-12/schema")
    assert "touchpoints" in schema["properties"]


def test_demo_data_writes_a_world(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["demo-data", "--events", "3000", "--seed", "3", "--out", str(tmp_path / "w")]
    )
    assert result.exit_code == 0, result.output
    names = {p.name for p in (tmp_path / "w").iterdir()}
    assert {"events.parquet", "accounts.parquet", "truth.json"} <= names


@pytest.mark.parametrize(
    ("args", "part"),
    [(("--events", "0"), "events"), (("--events", "10"), "is a file")],
)
def test_demo_data_bad_arguments(tmp_path: Path, args: tuple[str, str], part: str) -> None:
    (tmp_path / "file").write_text("x")
    out = "file" if part == "is a file" else "w"
    result = run("demo-data", *args, "--out", out, cwd=tmp_path)
    assert_one_line_error(result, part)


def test_demo_data_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "mine.txt").write_text("precious")
    result = run("demo-data", "--events", "10", "--out", "w", cwd=tmp_path)
    assert_one_line_error(result, "is not empty")
    assert (tmp_path / "w" / "mine.txt").read_text() == "precious"


def test_demo_builds_the_workspace_and_prints_where(tmp_path: Path) -> None:
    result = run("demo", "--events", "5000", "--dir", "ws", "--lang", "pt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Espaço de trabalho de demonstração pronto" in result.stdout
    for name in ("map.yaml", "lint.json", "data/events.parquet", "data/truth.json",
                 "report.html"):  # fmt: skip
        assert (tmp_path / "ws" / name).is_file()
    for printed in ("ws/map.yaml", "ws/lint.json", "ws/data/truth.json", "ws/data\n",
                    "ws/workspace.duckdb", "ws/analysis\n", "ws/report.html"):  # fmt: skip
        assert printed in result.stdout
    summary = json.loads((tmp_path / "ws" / "analysis" / "summary.json").read_text())
    assert summary["events"] == 5000 and 0.1 < summary["backtracking_rate"] < 0.3
    journey = load_map(tmp_path / "ws" / "map.yaml")
    assert journey.language == "pt"
    report = (tmp_path / "ws" / "report.html").read_text(encoding="utf-8")
    assert '<html lang="pt">' in report and "Resumo para a diretoria" in report


def test_demo_ends_by_serving_the_app_with_a_login(tmp_path: Path) -> None:
    import re
    import socket
    import urllib.parse
    import urllib.request
    from http.cookiejar import CookieJar

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-c", "from jornada.cli import main; main()", "demo",
               "--events", "3000", "--dir", "ws", "--serve", "--port", str(port)]  # fmt: skip
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "200", "JORNADA_LANG": "en"}
    # What an earlier demo's app left behind must not stop the new one.
    stale = tmp_path / "ws" / "runs" / "1"
    stale.mkdir(parents=True)
    (stale / "summary.json").write_text("{}")
    server = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, text=True, env=env,
                              stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        assert server.stdout is not None
        lines = []
        for line in server.stdout:
            lines.append(line)
            if "password" in line:
                break
        text = "".join(lines)
        assert f"http://127.0.0.1:{port}/" in text, text
        email, password = re.search(r"admin: (\S+), password (\S+)", text).groups()  # type: ignore[union-attr]
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _ in range(100):  # the server starts listening right after printing
            try:
                login = opener.open(f"http://127.0.0.1:{port}/login", timeout=5).read().decode()
                break
            except OSError:
                import time

                time.sleep(0.1)
        token = re.search(r'name="csrf_token" value="([^"]+)"', login)
        form = {"email": email, "password": password}
        if token:
            form["csrf_token"] = token.group(1)
        page = opener.open(
            f"http://127.0.0.1:{port}/login", urllib.parse.urlencode(form).encode(), timeout=10
        )
        body = page.read().decode()
        # Signed in (no longer on the sign-in page) and the demo workspace is there.
        assert page.status == 200 and not page.url.endswith("/login"), page.url
        assert "Vértice Industrial" in body, body[:500]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_demo_without_a_terminal_says_how_to_serve(tmp_path: Path) -> None:
    result = run("demo", "--events", "2000", "--dir", "ws", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "jornada serve --dir ws" in result.stdout


def test_every_command_has_help_with_an_example() -> None:
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.help and "Example: jornada " + name in command.help, name
