"""How soon the HR report of an AI interview is ready after the candidate's last answer, in the embedded setup
(one `talentloop serve` process, tasks run eagerly in-process, no broker), through the public API.

Per sample, over one kept-alive connection to the server on the demo company's database (1,000 employees):
HR (Bearer token) adds an application to a demo job with a competency model (`POST /jobs/{id}/applications/`)
and invites its candidate (`POST /applications/{id}/interviews/`, 8 generated questions, Chinese and English
in turn); the candidate consents and submits seven answers (each is scored as it arrives). Then the clock runs:
the eighth answer is submitted, the interview is handed in (`POST .../complete/`), and
`GET /api/v1/interviews/{id}/report/` is polled every 20 ms until its status is "ready". The answers are the
bank's reference answers of the questions asked (typical typed answers, 100-300 characters). One interview
before the samples warms the server (jieba's dictionary, the scorer's caches), as on a server that has been up.
Target: p95 <= 1 s.

    .venv/bin/python -m bench.run --only "interview report ready" --quick
"""

from __future__ import annotations

import http.client
import json
import statistics
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.env import BenchEnv, BenchError, Result, Server, _tail, request

NAME = "interview report ready"
TARGET_SECONDS = 1.0
SAMPLES = 20
POLL_SECONDS = 0.020
READY_TIMEOUT_SECONDS = 30.0
QUESTIONS = 8
LANGUAGES = ("zh-hans", "en")
BANK = Path(__file__).resolve().parent.parent / "talentloop" / "assessment" / "data" / "question_bank.json"


@dataclass
class Sample:
    seconds: float  # last answer submitted → report ready
    last_answer: float  # the submission of the 8th answer alone (scored before it returns)
    complete: float  # POST complete alone (the report is built before it returns in this setup)
    polls: int  # report GETs until "ready"


class Api:
    """JSON requests over one kept-alive connection; a status other than the expected one is a BenchError."""

    def __init__(self, server: Server, token: str) -> None:
        self.server = server
        self.conn: http.client.HTTPConnection = server.connection()
        self.hr = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    def call(self, method: str, path: str, data: Any = None, *, hr: bool = True, expect: int = 200) -> Any:
        headers = {"Accept": "application/json", **(self.hr if hr else {})}
        body = None
        if data is not None:
            body = json.dumps(data, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        try:
            status, raw, _headers = request(self.server, method, path, headers=headers, body=body,
                                            connection=self.conn)
        except (OSError, http.client.HTTPException):
            # The server closed the kept-alive connection: once more on a new one.
            self.conn.close()
            self.conn = self.server.connection()
            status, raw, _headers = request(self.server, method, path, headers=headers, body=body,
                                            connection=self.conn)
        if status != expect:
            raise BenchError(f"{method} {path} answered {status}, expected {expect}: "
                             f"{_tail(raw.decode(errors='replace'))}")
        try:
            return json.loads(raw) if raw else None
        except ValueError as exc:
            raise BenchError(f"{method} {path} answered {status} with a body that is not JSON: "
                             f"{_tail(raw.decode(errors='replace'))}") from exc

    def close(self) -> None:
        self.conn.close()


def reference_answers() -> dict[str, str]:
    data: list[dict[str, Any]] = json.loads(BANK.read_text(encoding="utf-8"))
    return {item["id"]: item["reference_answer"] for item in data}


def demo_job(api: Api) -> int:
    """The first demo job (by id) whose competency model has at least two competencies."""
    jobs = api.call("GET", "/api/v1/jobs/?page_size=100")["results"]
    for job in sorted(jobs, key=lambda j: j["id"]):
        if len(job.get("competency_model") or []) >= 2:
            return int(job["id"])
    raise BenchError("no job with a competency model: is the demo company loaded?")


def interview(api: Api, job: int, answers: dict[str, str], *, index: int, run: str) -> Sample:
    language = LANGUAGES[index % len(LANGUAGES)]
    application = api.call("POST", f"/api/v1/jobs/{job}/applications/", {
        "name": f"Bench Candidate {index}", "email": f"bench-interview-{run}-{index}@example.com",
        "language": language,
    }, expect=201)
    created = api.call("POST", f"/api/v1/applications/{application['id']}/interviews/", {
        "questions": "auto", "language": language, "seed": index,
    }, expect=201)
    questions = sorted(created["questions"], key=lambda q: q["position"])
    if len(questions) != QUESTIONS:
        raise BenchError(f"the interview has {len(questions)} questions, not {QUESTIONS}")
    candidate = f"/api/v1/interview-sessions/{created['token']}"
    api.call("POST", f"{candidate}/consent/", {"accept": True, "analyses": ["text"]}, hr=False)
    for question in questions[:-1]:
        api.call("POST", f"{candidate}/answers/", {"question": question["position"],
                                                   "text": answers[question["code"]]}, hr=False, expect=201)
    last = questions[-1]
    report = f"/api/v1/interviews/{created['id']}/report/"

    started = time.perf_counter()
    api.call("POST", f"{candidate}/answers/", {"question": last["position"], "text": answers[last["code"]]},
             hr=False, expect=201)
    answered = time.perf_counter()
    api.call("POST", f"{candidate}/complete/", hr=False)
    completed = time.perf_counter()
    polls = 0
    while True:
        polls += 1
        status = api.call("GET", report)["status"]
        if status == "ready":
            break
        if time.perf_counter() - started > READY_TIMEOUT_SECONDS:
            raise BenchError(f"the report of interview {created['id']} was still {status!r} after "
                             f"{READY_TIMEOUT_SECONDS:.0f} s")
        time.sleep(POLL_SECONDS)
    ready = time.perf_counter()
    return Sample(seconds=ready - started, last_answer=answered - started, complete=completed - answered,
                  polls=polls)


def run(env: BenchEnv, db: str) -> list[Result]:
    n = env.small  # the report does not depend on the company's size; a small demo company is enough
    server = env.server(db, n)
    api = Api(server, env.token(db, n, "hr"))
    answers = reference_answers()
    run_id = uuid.uuid4().hex[:8]  # fresh candidates even when the database is reused
    try:
        job = demo_job(api)
        interview(api, job, answers, index=0, run=run_id)  # warm-up, not counted
        samples = [interview(api, job, answers, index=i, run=run_id) for i in range(1, SAMPLES + 1)]
    finally:
        api.close()

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:.0f} ms"

    notes = (
        f"{len(samples)} interviews of {QUESTIONS} questions (Chinese and English in turn) through the API on "
        f"`talentloop serve`, demo company of {n:,} employees, tasks eager in-process; timed from submitting "
        f"the 8th answer to GET report status \"ready\" (polled every {POLL_SECONDS * 1000:.0f} ms); medians: "
        f"8th answer {ms([s.last_answer for s in samples])}, complete {ms([s.complete for s in samples])}, "
        f"{statistics.median(s.polls for s in samples):.0f} report GET(s); one warm-up interview first"
    )
    return [Result(benchmark=NAME, database=db, n=len(samples), samples=[s.seconds for s in samples],
                   target=TARGET_SECONDS, notes=notes)]
