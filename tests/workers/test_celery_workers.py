"""Media analysis on real Celery workers with the local Redis as broker: a worker killed in the middle of an
analysis leads to a retry on another worker and exactly one result (tasks are acknowledged late, requeued when
their worker is lost, and the analysis writes its result only while the answer is still waiting for it).

Everything here is real and runs in separate processes, as in production: the database (a fresh SQLite file, or a
fresh PostgreSQL database when the suite runs on PostgreSQL), the broker (Redis, database 15, emptied first), two
`celery worker` processes one after the other, and the English speech recording (espeak-ng, encoded to WebM/Opus).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from talentloop.core.testing import media

ROOT = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/15"
WORKER_DB = "talentloop_workers"
# A task of a lost worker comes back after this; short here so the test does not wait an hour.
VISIBILITY_TIMEOUT = 3


def _redis() -> Any:
    import redis

    client = redis.Redis.from_url(BROKER)
    try:
        client.ping()
    except redis.ConnectionError as error:  # pragma: no cover - the machine's Redis is part of the test setup
        pytest.fail(f"Redis is not running on 127.0.0.1:6379 ({error}); .ci/run starts it")
    return client


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'workers.sqlite3'}"
        return
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {WORKER_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {WORKER_DB}")
    yield url.rsplit("/", 1)[0] + f"/{WORKER_DB}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {WORKER_DB} WITH (FORCE)")


def _env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.base", "DATABASE_URL": database_url,
        "TALENTLOOP_DATA_DIR": str(tmp_path / "data"), "MEDIA_ROOT": str(tmp_path / "media"),
        "CELERY_BROKER_URL": BROKER, "TALENTLOOP_CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "LOG_LEVEL": "WARNING",
    })
    return env


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _state(database_url: str, answer_id: int) -> dict[str, Any]:
    """The answer as the workers left it, read straight from the database (a Django process per poll is slow)."""
    query = (
        "SELECT status, analysis_attempts, score, transcript, asr_backend, analysed_at "
        "FROM interviews_interviewanswer WHERE id = %s"
    )
    if database_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            row = connection.execute(query.replace("%s", "?"), (answer_id,)).fetchone()
    else:
        import psycopg

        with psycopg.connect(database_url) as connection:
            row = connection.execute(query, (answer_id,)).fetchone()
    assert row is not None, f"answer {answer_id} is missing"
    keys = ("status", "attempts", "score", "transcript", "asr_backend", "analysed_at")
    state = dict(zip(keys, row, strict=True))
    state["analysed_at"] = str(state["analysed_at"]) if state["analysed_at"] is not None else None
    return state


def _worker(env: dict[str, str], name: str, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--concurrency", "1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{name}@%h", "--loglevel", "INFO"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )


def _stop(worker: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def _wait(database_url: str, answer_id: int, done: Any, seconds: float, what: str, log: Path) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        state = _state(database_url, answer_id)
        if done(state):
            return state
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}; last state {state}; worker log:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)


def test_a_worker_killed_mid_analysis_leads_to_a_retry_and_exactly_one_result(
    tmp_path: Path, database_url: str
) -> None:
    broker = _redis()
    broker.flushdb()
    env = _env(tmp_path, database_url)
    speech = media.speech_wav(" ".join([media.ENGLISH_ANSWER.text] * 2), tmp_path / "answer.wav")
    recording = media.convert(speech, tmp_path / "answer.webm")
    _run(env, "manage.py", "migrate", "--no-input", "-v", "0")
    prepared = json.loads(_run(env, "-m", "tests.workers.scenario", "prepare", str(recording)).strip().splitlines()[-1])
    answer_id = int(prepared["answer_id"])
    assert _state(database_url, answer_id)["status"] == "processing"
    assert broker.llen("celery") == 1  # the analysis waits in the broker: nothing ran it in the web process

    first_log, second_log = tmp_path / "worker-1.log", tmp_path / "worker-2.log"
    first = _worker(env, "first", first_log)
    try:
        started = _wait(database_url, answer_id, lambda s: s["attempts"] >= 1, 90, "the first worker", first_log)
        _stop(first, signal.SIGKILL)  # mid-analysis: no acknowledgement, no result
    finally:
        _stop(first, signal.SIGKILL)
    killed = _state(database_url, answer_id)
    assert started["status"] == killed["status"] == "processing", "the analysis finished before the kill"
    assert killed["attempts"] == 1
    assert killed["score"] is None

    second = _worker(env, "second", second_log)
    try:
        result = _wait(database_url, answer_id, lambda s: s["status"] != "processing", 120, "the retry", second_log)
        assert result["status"] == "scored"
        assert result["attempts"] == 2
        assert result["score"] is not None
        assert result["asr_backend"].startswith("pocketsphinx")
        assert any(word in result["transcript"].lower() for word in media.ENGLISH_ANSWER.key_words)

        # A duplicate delivery of the same task (e.g. a requeue racing the retry) changes nothing.
        _run(env, "-c", "import django; django.setup(); from talentloop.interviews.tasks import "
             f"answer_media_analyse_task as t; t.delay({answer_id})")
        deadline = time.monotonic() + 30
        while broker.llen("celery") and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)
        assert _state(database_url, answer_id) == result
    finally:
        _stop(second)
    assert broker.llen("celery") == 0
