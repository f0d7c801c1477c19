"""The HTML employee list (`/org/employees/`, first page) as HR at full size, through a real HTTP server
with the session cookie from the login form; and its query count at 1,000 employees and at full size,
which must be equal (the page must not run a query per row)."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench.env import BenchEnv, BenchError, Result, Server, request, timed_gets

NAME = "employee list page (HR)"
TARGET_SECONDS = 0.100
PATH = "/org/employees/"
USERNAME = "hr"
PASSWORD = "talentloop"


def run(env: BenchEnv, db: str) -> list[Result]:
    n = env.employees
    repeat = env.requests(full=200, quick=30)
    server = env.server(db, n)
    cookie = login(server)
    if cookie is not None:
        headers = {"Cookie": cookie, "Accept": "text/html"}
        timed_gets(server, [PATH] * 10, headers)
        samples, bodies = timed_gets(server, [PATH] * repeat, headers)
        if b"YF0" not in bodies[-1]:
            raise BenchError(f"{PATH} answered 200 but lists no demo employee")
        how = "HTTP server, session from the login form"
    else:
        samples = env.probe(env.url(db, n), "time", "--path", PATH, "--username", USERNAME,
                            "--repeat", str(repeat), "--warmup", "10")["samples"]
        how = "in-process test Client (no /login/ page yet), not through HTTP"
    small = env.probe(env.seeded(db, env.small), "queries", "--path", PATH, "--username", USERNAME)["queries"]
    large = env.probe(env.url(db, n), "queries", "--path", PATH, "--username", USERNAME)["queries"]
    notes = f"{len(samples)} requests, {how}; queries at {env.small:,}: {small}, at {n:,}: {large}"
    return [Result(
        benchmark=NAME, database=db, n=n, samples=samples, target=TARGET_SECONDS, notes=notes,
        extra_failure="" if small == large else "query count grows with the number of employees",
    )]


def login(server: Server) -> str | None:
    """Log in through /login/ as a browser does. Returns the Cookie header, or None without a login page."""
    status, body, headers = request(server, "GET", "/login/")
    if status == 404:
        return None
    if status != 200:
        raise BenchError(f"GET /login/ answered {status}")
    cookies = _cookies(headers.get_all("Set-Cookie") or [])
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if "csrftoken" not in cookies or match is None:
        raise BenchError("the login page sets no CSRF cookie or has no CSRF field")
    token = match.group(1).decode()
    form = urlencode({"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token})
    status, body, headers = request(
        server, "POST", "/login/", body=form.encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Referer": f"http://127.0.0.1:{server.port}/login/",
        },
    )
    cookies |= _cookies(headers.get_all("Set-Cookie") or [])
    if status != 302 or "sessionid" not in cookies:
        raise BenchError(f"logging in as {USERNAME} failed (status {status})")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _cookies(headers: list[str]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in headers:
        jar.load(header)
    return {key: morsel.value for key, morsel in jar.items()}
