"""What every benchmark shares: fresh and seeded databases (SQLite in a temp folder, PostgreSQL in dedicated
databases), `talentloop` subprocesses, running servers, HTTP timing, and the result rows."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/talentloop_bench")
SERVER_START_TIMEOUT = 90.0


class BenchError(Exception):
    """A benchmark could not run; the message says why (the runner records it as the row's note)."""


@dataclass
class Result:
    benchmark: str
    database: str
    n: int
    samples: list[float]  # seconds
    target: float  # seconds; the p95 must not exceed it
    notes: str = ""
    error: str = ""
    extra_failure: str = ""  # a further condition that failed (e.g. query counts differ)

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def p95(self) -> float | None:
        if not self.samples:
            return None
        if len(self.samples) == 1:
            return self.samples[0]
        return statistics.quantiles(self.samples, n=20, method="inclusive")[18]

    @property
    def ratio(self) -> float | None:
        p95 = self.p95
        return None if p95 is None else p95 / self.target

    @property
    def status(self) -> str:
        if self.error:
            return "error"
        if self.extra_failure:
            return "FAILED"
        ratio = self.ratio
        if ratio is None:
            return "no data"
        return "met" if ratio <= 1 else "MISSED"

    def as_dict(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark, "database": self.database, "n": self.n, "samples": self.samples,
            "median_s": self.median, "p95_s": self.p95, "target_s": self.target, "ratio": self.ratio,
            "status": self.status, "notes": self.notes, "error": self.error,
            "extra_failure": self.extra_failure,
        }


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def connection(self, timeout: float = 60.0) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)


@dataclass
class BenchEnv:
    quick: bool
    databases: Sequence[str]  # "sqlite", "postgres"
    keep: bool = False
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="talentloop-bench-")))
    _seeded: set[tuple[str, int]] = field(default_factory=set)
    _servers: dict[tuple[str, int], Server] = field(default_factory=dict)
    _tokens: dict[tuple[str, int, str], str] = field(default_factory=dict)

    @property
    def employees(self) -> int:
        """The size the benchmarks measure at; --quick runs them at a small one."""
        return 2_000 if self.quick else 100_000

    @property
    def small(self) -> int:
        """The size that query counts are compared against."""
        return 1_000

    def requests(self, full: int, quick: int) -> int:
        return quick if self.quick else full

    # --- databases ---------------------------------------------------------------------------------------

    def url(self, db: str, n: int) -> str:
        if db == "sqlite":
            return f"sqlite:///{self.workdir / f'bench-{n}.sqlite3'}"
        if db == "postgres":
            parts = urlsplit(POSTGRES_URL)
            name = parts.path.lstrip("/") + ("" if n == self.employees else f"_{n}")
            return urlunsplit(parts._replace(path=f"/{name}"))
        raise BenchError(f"unknown database {db!r}")

    def fresh(self, db: str, n: int) -> str:
        """An empty, migrated database for `n` employees; anything that was there is dropped."""
        url = self.url(db, n)
        self._seeded.discard((db, n))
        self._stop_server(db, n)
        if db == "sqlite":
            path = Path(urlsplit(url).path)
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
        else:
            _recreate_postgres(url)
        self.talentloop(url, "migrate", "--no-input", "-v", "0")
        return url

    def seeded(self, db: str, n: int) -> str:
        """A database holding the demo company with `n` employees (seeded here unless a benchmark did)."""
        if (db, n) not in self._seeded:
            url = self.fresh(db, n)
            self.talentloop(url, "seed-demo", "--employees", str(n), "--reset")
            self._seeded.add((db, n))
        return self.url(db, n)

    def mark_seeded(self, db: str, n: int) -> None:
        self._seeded.add((db, n))

    # --- processes -----------------------------------------------------------------------------------------

    def child_env(self, url: str) -> dict[str, str]:
        # WhiteNoise warns on every start when the static folder is missing.
        (self.workdir / "data" / "static").mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.update({
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "TALENTLOOP_DATA_DIR": str(self.workdir / "data"),
            "DEBUG": "0",  # DEBUG keeps every query in memory and would distort the numbers
            "LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(REPO),
        })
        return env

    def talentloop(self, url: str, *args: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [*talentloop_command(), *args], env=self.child_env(url), cwd=REPO, capture_output=True, text=True,
            timeout=timeout, check=False,
        )
        if result.returncode != 0:
            raise BenchError(f"`talentloop {' '.join(args)}` failed: {_tail(result.stderr or result.stdout)}")
        return result

    def probe(self, url: str, *args: str) -> dict[str, Any]:
        """Run bench.probe (Django's test Client inside a process on that database); returns its JSON."""
        result = subprocess.run(
            [sys.executable, "-m", "bench.probe", *args], env=self.child_env(url), cwd=REPO,
            capture_output=True, text=True, timeout=1800, check=False,
        )
        if result.returncode != 0:
            raise BenchError(f"bench.probe {' '.join(args)} failed: {_tail(result.stderr or result.stdout)}")
        data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
        return data

    def server(self, db: str, n: int) -> Server:
        """`talentloop serve` on a free port over the seeded database, started once and reused."""
        key = (db, n)
        if key in self._servers and self._servers[key].process.poll() is None:
            return self._servers[key]
        url = self.seeded(db, n)
        port = _free_port()
        log = self.workdir / f"server-{db}-{n}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [*talentloop_command(), "serve", "--port", str(port)], env=self.child_env(url), cwd=REPO,
                stdout=out, stderr=subprocess.STDOUT,
            )
        server = Server(process=process, port=port, log=log)
        self._servers[key] = server
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise BenchError(f"the server exited: {_tail(log.read_text(errors='replace'))}")
            try:
                status, _body, _headers = request(server, "GET", "/healthz")
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                return server
            raise BenchError(f"/healthz answered {status}: {_tail(log.read_text(errors='replace'))}")
        raise BenchError(f"the server did not answer within {SERVER_START_TIMEOUT:.0f} s")

    def token(self, db: str, n: int, username: str) -> str:
        key = (db, n, username)
        if key not in self._tokens:
            output = self.talentloop(self.seeded(db, n), "api-token", username).stdout
            self._tokens[key] = output.strip().splitlines()[-1].strip()
        return self._tokens[key]

    def _stop_server(self, db: str, n: int) -> None:
        server = self._servers.pop((db, n), None)
        if server is not None:
            _stop(server.process)

    def close(self) -> None:
        for key in list(self._servers):
            self._stop_server(*key)
        if not self.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)


def talentloop_command() -> list[str]:
    """The `talentloop` console script of this interpreter's environment (the one `make bench` uses)."""
    script = Path(sys.executable).parent / "talentloop"
    if script.exists():
        return [str(script)]
    found = shutil.which("talentloop")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from talentloop.core.cli import main; sys.exit(main())"]


def request(
    server: Server, method: str, path: str, *, headers: dict[str, str] | None = None,
    body: bytes | None = None, connection: http.client.HTTPConnection | None = None,
) -> tuple[int, bytes, http.client.HTTPMessage]:
    """One request over `connection` (kept alive between calls) or a new one; the whole body is read."""
    conn = connection or server.connection()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), response.headers
    finally:
        if connection is None:
            conn.close()


def timed_gets(
    server: Server, paths: Sequence[str], headers: dict[str, str], *, expect: int = 200
) -> tuple[list[float], list[bytes]]:
    """GET each path in turn over one kept-alive connection; the time covers sending to the last byte."""
    samples: list[float] = []
    bodies: list[bytes] = []
    conn = server.connection()
    try:
        for path in paths:
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            samples.append(time.perf_counter() - started)
            if response.status != expect:
                text = _tail(body.decode(errors="replace"))
                raise BenchError(f"GET {path} answered {response.status}, expected {expect}: {text}")
            bodies.append(body)
    finally:
        conn.close()
    return samples, bodies


def _recreate_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        raise BenchError(f"PostgreSQL is not reachable at {admin}: {exc}".strip()) from exc


def postgres_version() -> str:
    import psycopg

    parts = urlsplit(POSTGRES_URL)
    try:
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), connect_timeout=5) as conn:
            row = conn.execute("SHOW server_version").fetchone()
    except psycopg.OperationalError:
        return "not reachable"
    return str(row[0]) if row else "unknown"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _tail(text: str, lines: int = 6) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])
