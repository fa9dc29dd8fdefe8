"""A throwaway PostgreSQL server for tests: ``initdb`` + ``pg_ctl`` in a temporary directory.

The server listens only on a Unix socket in that directory (on a free port number, which
names the socket), with durability switched off for speed. ``initdb`` refuses to run as
root, so as root everything runs as the ``postgres`` OS user. Where there are no binaries
(or no such user) the fixture skips, saying why.

Use it by importing the fixture into a test module:

    from tests.utils.postgres import postgres_server  # noqa: F401

and ``postgres_server.new_database()`` for a fresh, empty database URL per test.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

SUPERUSER = "postgres"
SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "50",
    "shared_buffers": "32MB",
}


class PostgresServer:
    """A running server; ``new_database()`` creates an empty database and returns its URL."""

    def __init__(self, root: Path, port: int, run_as: list[str]) -> None:
        self.root = root
        self.port = port
        self.data = root / "data"
        self.sockets = root / "sockets"
        self._run_as = run_as
        self._names = itertools.count(1)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self._run_as, *args], check=True, capture_output=True, text=True, timeout=60
        )

    def start(self) -> None:
        """Create the cluster and start the server; a failure says what the log says."""
        self._run("mkdir", str(self.sockets))
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "--no-sync")
        options = " ".join(f"-c {k}={v}" for k, v in SETTINGS.items())
        options += f" -p {self.port} -k {self.sockets}"
        log = self.root / "server.log"
        try:
            self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(log), "-w", "start")
        except subprocess.CalledProcessError:
            tail = log.read_text(errors="replace")[-1000:] if log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start:\n{tail}") from None

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={self.sockets}&port={self.port}"

    def new_database(self) -> str:
        """An empty database of its own for one test."""
        name = f"test_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _as_postgres_user() -> list[str] | None:
    """The command prefix that runs PostgreSQL's tools (``None``: impossible here)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return None
    runuser = shutil.which("runuser")
    return [runuser, "-u", "postgres", "--"] if runuser else None


def start_server() -> PostgresServer:
    """Start a server, or skip the calling tests with the reason it cannot start."""
    missing = [tool for tool in ("initdb", "pg_ctl", "postgres") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"PostgreSQL binaries not on the PATH: {', '.join(missing)}")
    run_as = _as_postgres_user()
    if run_as is None:
        pytest.skip("running as root without a 'postgres' user (or runuser) to run initdb")
    root = Path(tempfile.mkdtemp(prefix="jornada-pg-"))
    if run_as:
        record = pwd.getpwnam("postgres")
        os.chown(root, record.pw_uid, record.pw_gid)
    server = PostgresServer(root, _free_port(), run_as)
    try:
        server.start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole test session, stopped and removed at the end."""
    server = start_server()
    try:
        yield server
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(server.root, ignore_errors=True)
