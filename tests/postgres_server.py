"""A real PostgreSQL server for tests: a throw-away cluster in a temporary folder, reached through a Unix socket.

Debian's `postgresql` package (tools/install-system-deps.sh) provides the
server. The cluster is made with `initdb` and run with `pg_ctl` as an
unprivileged user (the `postgres` account when the tests run as root, the
tests' own user otherwise); it listens on no TCP address, only on a socket in
its own folder, so clusters of parallel test runs never collide. A missing
server is a failure, never a skip: the tests that need it would otherwise
pass without checking anything.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shlex
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest

PG_BIN = Path(os.environ.get("KIOSK_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
SERVER_USER = "postgres"


class PostgresServer:
    """One cluster: `start()`, `stop()` (as a power cut or a restart would), `create_database()`, `remove()`."""

    def __init__(self) -> None:
        if not (PG_BIN / "pg_ctl").exists():
            raise RuntimeError(f"PostgreSQL is not installed ({PG_BIN}/pg_ctl is missing): "
                               "run tools/install-system-deps.sh as root (Debian package `postgresql`)")
        self.as_root = os.geteuid() == 0
        # /tmp itself, not pytest's tmp_path: the server user must reach these folders even when the
        # checkout (and pytest's base folder) sits under a 0700 home folder.
        self.root = Path(tempfile.mkdtemp(prefix="kiosk-pg-", dir="/tmp"))
        self.data = self.root / "cluster"
        self.socket_dir = self.root / "socket"
        self.socket_dir.mkdir()
        self.port = 20000 + secrets.randbelow(40000)  # only names the socket file; no TCP port is opened
        self.user = SERVER_USER if self.as_root else pwd.getpwuid(os.geteuid()).pw_name
        if self.as_root:
            account = pwd.getpwnam(SERVER_USER)
            for path in (self.root, self.socket_dir):
                os.chown(path, account.pw_uid, account.pw_gid)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", self.user, "--no-sync", "-E", "UTF8",
                  "--locale=C")
        self.running = False
        self._watch_owner()

    def _watch_owner(self) -> None:
        """A test run that is killed never reaches its teardown: a small watcher stops the server and removes its
        folder once this process is gone (and quits by itself when the folder was removed the normal way)."""
        stop = shlex.join([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])
        if self.as_root:
            stop = shlex.join(["su", SERVER_USER, "-s", "/bin/sh", "-c", stop])
        root = shlex.quote(str(self.root))
        script = (f"while kill -0 {os.getpid()} 2>/dev/null && [ -d {root} ]; do sleep 2; done; "
                  f"if [ -d {root} ]; then {stop} >/dev/null 2>&1; rm -rf {root}; fi")
        self._watcher = subprocess.Popen(["/bin/sh", "-c", script], start_new_session=True, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/tmp")

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(PG_BIN / tool), *args]
        if self.as_root:
            command = ["su", SERVER_USER, "-s", "/bin/sh", "-c", shlex.join(command)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd="/tmp")
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
        return done

    def start(self) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses='' -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"), "-w", "start")
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session at once (what a restart of the server does to the kiosks connected)."""
        if self.running:
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
            self.running = False

    def url(self, database: str = "postgres") -> str:
        return f"postgresql:///{database}?host={self.socket_dir}&port={self.port}&user={self.user}"

    def create_database(self, prefix: str = "kiosk") -> str:
        """A new empty database; returns its URL."""
        import psycopg

        name = f"{prefix}_{secrets.token_hex(6)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def remove(self) -> None:
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            os.killpg(self._watcher.pid, signal.SIGKILL)  # its own process group: the loop and its sleep
            self._watcher.wait()


Server = TypeVar("Server", bound=PostgresServer)


def running_server(server: Server) -> Iterator[Server]:
    """Start `server`, yield it, and remove it whatever the test did."""
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One cluster for the whole run; each test makes its own database in it (`create_database`)."""
    yield from running_server(PostgresServer())


@pytest.fixture
def own_postgres_server() -> Iterator[PostgresServer]:
    """A cluster for one test that stops and restarts the server, so no other test loses its connection."""
    yield from running_server(PostgresServer())
