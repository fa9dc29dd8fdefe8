"""The web app under load: latency of its main pages with 20 people using it at once.

Builds the demo workspace (``jornada demo --no-serve``, default 200,000 events; cached
under ``--data``), registers it in a fresh store as ``jornada serve`` does, adds a second
analysis run (so the review page compares two periods) and one account per simulated
user, then serves the app with uvicorn (the real server, in a subprocess, on loopback)
with ``--workers`` processes. Each simulated user signs in with its own cookie jar
(httpx ``AsyncClient``) and loops over the map editor, an element's form, the run's
dashboard, the subway map and the review page for ``--seconds``, after a warm-up pass
(every user over every page once, untimed).

Reports requests per second, p50/p95/p99 latency per page and overall, errors (anything
but a 200), the machine, its load average before and after, the date, the command and the
commit, as Markdown on stdout (and with ``--json``, as JSON).

    python benchmarks/bench_web.py                         # 20 users, 30 s, 1 and 2 workers
    python benchmarks/bench_web.py --users 20 --seconds 60 --workers 1
    python benchmarks/bench_web.py --events 20000 --seconds 10   # a quick smoke run

The load generator runs on the same machine as the server (loopback), so on a small
machine it takes part of the CPU the server could use: the numbers are an upper bound on
what a person sees on a dedicated server.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PASSWORD = "load test password"
MAP = "vertice-b2b-journey"


def app_factory() -> Any:
    """The app uvicorn serves in each worker (``--factory bench_web:app_factory``)."""
    from jornada.web import Settings, create_app

    folder = Path(os.environ["JORNADA_BENCH_DIR"])
    return create_app(Settings(database=str(folder / "jornada.db"), data_dir=folder))


def build_demo(data: Path, events: int) -> Path:
    """The demo folder for ``events`` (made once with ``jornada demo``)."""
    folder = data / f"demo-{events}"
    if not (folder / "analysis" / "summary.json").is_file():
        subprocess.run(
            [sys.executable, "-c", "from jornada.cli import main; main()", "demo", "--dir",
             str(folder), "--events", str(events), "--no-serve"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return folder


def prepare(folder: Path, users: int) -> dict[str, Any]:
    """A fresh store over the demo folder, as ``jornada serve`` makes it, with a second
    run and ``users`` accounts; what the simulated users visit."""
    from jornada.store import MapKey, UserRole
    from jornada.web import Settings, create_app
    from jornada.web.bootstrap import ensure_admin, register_demo
    from jornada.web.data import run_analysis

    for name in ("jornada.db", "jornada.db-wal", "jornada.db-shm"):
        (folder / name).unlink(missing_ok=True)
    shutil.rmtree(folder / "runs", ignore_errors=True)  # the runs of the store just removed
    settings = Settings(database=str(folder / "jornada.db"), data_dir=folder)
    app = create_app(settings)
    ctx = app.state.ctx
    store = ctx.store
    ensure_admin(store)
    admin = next(u for u in store.users() if u.role is UserRole.admin)
    workspace = register_demo(store, settings, folder, admin)
    assert workspace is not None, "the demo folder did not register"
    first = store.analysis_runs("demo")[0]
    half = first.period_start + (first.period_end - first.period_start) / 2
    second = run_analysis(
        ctx, admin, workspace, label="Second half", since=half, until=first.period_end,
        map_key=MapKey("demo", MAP),
    )  # fmt: skip
    emails = []
    for i in range(users):
        email = f"load-{i}@bench.test"
        role = UserRole.cx_lead if i % 2 else UserRole.viewer
        store.create_user(email, PASSWORD, display_name=f"Load {i}", role=role, by=admin)
        emails.append(email)
    ctx.close()
    run = first.id
    pages = {
        "map": f"/w/demo/m/{MAP}",
        "editor": f"/w/demo/m/{MAP}/e/touchpoints/pu_quote",
        "dashboard": f"/w/demo/runs/{run}",
        "subway": f"/w/demo/runs/{run}/subway",
        "review": f"/w/demo/review?a={first.id}&b={second.id}",
    }
    return {"emails": emails, "pages": pages}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(folder: Path, workers: int, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "JORNADA_BENCH_DIR": str(folder)}
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "bench_web:app_factory",
        "--app-dir", str(HERE), "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"uvicorn stopped with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)  # waiting for a subprocess to listen: nothing else to wait on
    server.terminate()
    raise RuntimeError("uvicorn did not start in two minutes")


async def simulate(
    base: str, emails: list[str], pages: dict[str, str], seconds: float
) -> dict[str, Any]:
    """Sign every user in, warm every page once, then loop for ``seconds``."""
    import httpx

    timings: dict[str, list[float]] = {name: [] for name in pages}
    errors: list[str] = []
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=4)
    clients = [
        httpx.AsyncClient(base_url=base, timeout=120, limits=limits, follow_redirects=False)
        for _ in emails
    ]
    try:
        for client, email in zip(clients, emails, strict=True):
            answer = await client.post("/api/session", json={"email": email, "password": PASSWORD})
            answer.raise_for_status()

        # Warm-up: every user visits every page once, untimed, so each worker process
        # has read the run and drawn its drawings before anything is timed.
        async def visit(client: httpx.AsyncClient) -> None:
            for url in pages.values():
                (await client.get(url)).raise_for_status()

        await asyncio.gather(*(visit(c) for c in clients))
        stop = time.perf_counter() + seconds

        async def user(index: int, client: httpx.AsyncClient) -> None:
            order = list(pages.items())
            step = index % len(order)  # users start on different pages
            while time.perf_counter() < stop:
                name, url = order[step % len(order)]
                step += 1
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                    elapsed = time.perf_counter() - started
                    if response.status_code != 200:
                        errors.append(f"{name}: {response.status_code}")
                    timings[name].append(elapsed)
                except httpx.HTTPError as exc:
                    errors.append(f"{name}: {type(exc).__name__}")

        began = time.perf_counter()
        await asyncio.gather(*(user(i, c) for i, c in enumerate(clients)))
        wall = time.perf_counter() - began
    finally:
        for client in clients:
            await client.aclose()
    return {"timings": timings, "errors": errors, "wall": wall}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    timings: dict[str, list[float]] = result["timings"]
    every = [t for values in timings.values() for t in values]
    rows = {}
    for name, values in [*timings.items(), ("all", every)]:
        rows[name] = {
            "requests": len(values),
            "per_second": round(len(values) / result["wall"], 1),
            "p50_ms": round(percentile(values, 50) * 1000, 1),
            "p95_ms": round(percentile(values, 95) * 1000, 1),
            "p99_ms": round(percentile(values, 99) * 1000, 1),
        }
    return {"pages": rows, "errors": len(result["errors"]), "error_sample": result["errors"][:5]}


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{model}, {os.cpu_count()} cores{memory}; Python {platform.python_version()}"


def commit() -> str:
    try:
        rev = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "src"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        return rev + (" (src/ with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def markdown(runs: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [
        f"- Machine: {meta['machine']}",
        f"- Date: {meta['date']}; commit {meta['commit']}",
        f"- Command: `{meta['command']}`",
        f"- Demo workspace: {meta['events']:,} events; {meta['users']} simulated users "
        f"(half CX leads, half viewers), {meta['seconds']:.0f} s per run after a warm-up",
    ]
    for run in runs:
        lines += [
            "",
            f"#### {run['workers']} worker{'s' if run['workers'] > 1 else ''} — "
            f"load average {run['load_before']:.2f} before, {run['load_after']:.2f} after; "
            f"errors: {run['errors']}",
            "",
            "| page | requests | req/s | p50 (ms) | p95 (ms) | p99 (ms) |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, row in run["pages"].items():
            label = f"**{name}**" if name == "all" else name
            lines.append(
                f"| {label} | {row['requests']:,} | {row['per_second']} | {row['p50_ms']} | "
                f"{row['p95_ms']} | {row['p99_ms']} |"
            )
        if run["error_sample"]:
            lines.append(f"\nFirst errors: {', '.join(run['error_sample'])}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200_000, help="demo world size")
    parser.add_argument("--users", type=int, default=20, help="simulated users at once")
    parser.add_argument("--seconds", type=float, default=30.0, help="timed run per setting")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="uvicorn workers")
    parser.add_argument("--data", type=Path, default=Path("/tmp/jornada-bench-web"))
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    args.data.mkdir(parents=True, exist_ok=True)
    folder = build_demo(args.data, args.events)
    meta = {
        "machine": machine(),
        "date": dt.date.today().isoformat(),
        "commit": commit(),
        "command": shlex.join(["python", "benchmarks/bench_web.py", *(argv or sys.argv[1:])]),
        "events": args.events,
        "users": args.users,
        "seconds": args.seconds,
    }
    runs = []
    for workers in args.workers:
        setup = prepare(folder, args.users)
        port = free_port()
        server = start_server(folder, workers, port)
        try:
            load_before = os.getloadavg()[0]
            result = asyncio.run(
                simulate(f"http://127.0.0.1:{port}", setup["emails"], setup["pages"], args.seconds)
            )
            load_after = os.getloadavg()[0]
        finally:
            server.terminate()
            server.wait(timeout=30)
        runs.append(
            {"workers": workers, "load_before": load_before, "load_after": load_after}
            | summarise(result)
        )
        print(f"{workers} worker(s): done", file=sys.stderr)
    print(markdown(runs, meta))
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "runs": runs}, indent=2) + "\n")
    return 0 if all(run["errors"] == 0 for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
