"""The real `talentloop` console script, run in subprocesses against a throw-away SQLite database."""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def _console_script() -> str:
    beside_python = Path(sys.executable).parent / "talentloop"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("talentloop")
    assert found is not None, "the talentloop console script is not installed"
    return found


TALENTLOOP = _console_script()


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The caller's environment minus anything that points at the test run's settings or database."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS"}
        and not k.startswith(("DJANGO_SUPERUSER_", "PYTEST_"))
    }
    env["TALENTLOOP_DATA_DIR"] = str(data_dir)
    env["DATABASE_URL"] = f"sqlite:///{data_dir / 'cli.sqlite3'}"
    env.update(extra)
    return env


def run(data_dir: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TALENTLOOP, *args],
        env=_env(data_dir, **extra),
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with a migrated database and one superuser, shared by the tests of this module."""
    folder = tmp_path_factory.mktemp("talentloop-data")
    migrated = run(folder, "migrate", "--no-input")
    assert migrated.returncode == 0, migrated.stderr
    assert "Applying org.0002_library... OK" in migrated.stdout
    created = run(
        folder,
        "createsuperuser",
        "--noinput",
        DJANGO_SUPERUSER_USERNAME="admin",
        DJANGO_SUPERUSER_PASSWORD="a-long-pass-word-2024",
        DJANGO_SUPERUSER_EMAIL="admin@example.com",
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "Superuser created successfully."
    return folder


def _query(data_dir: Path, sql: str, *params: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(data_dir / "cli.sqlite3") as db:
        return db.execute(sql, params).fetchall()


def test_migrate_writes_the_sqlite_file_and_loads_the_library(data_dir: Path) -> None:
    assert (data_dir / "cli.sqlite3").exists()
    codes = {row[0] for row in _query(data_dir, "SELECT code FROM org_competency WHERE is_builtin")}
    assert {"communication", "customer_orientation", "teamwork", "leadership", "problem_solving"} <= codes
    assert _query(data_dir, "SELECT code FROM org_joblevel ORDER BY rank") == [
        ("junior",),
        ("mid",),
        ("senior",),
    ]


def test_createsuperuser_reads_the_environment(data_dir: Path) -> None:
    assert _query(data_dir, "SELECT username, email, is_superuser, is_staff FROM core_user") == [
        ("admin", "admin@example.com", 1, 1),
    ]


def test_api_token_prints_a_token_that_belongs_to_the_user(data_dir: Path) -> None:
    result = run(data_dir, "api-token", "admin")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert len(token) == 40
    owner = _query(
        data_dir,
        "SELECT u.username FROM authtoken_token t JOIN core_user u ON u.id = t.user_id WHERE t.key = ?",
        token,
    )
    assert owner == [("admin",)]
    again = run(data_dir, "api_token", "admin")
    assert again.stdout.strip() == token


def test_api_token_for_an_unknown_user_fails_clearly(data_dir: Path) -> None:
    result = run(data_dir, "api-token", "nobody")
    assert result.returncode == 1
    assert result.stderr.strip() == "CommandError: No user named 'nobody'."


def test_check_deploy_passes_with_production_settings(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        "check",
        "--deploy",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(45),
        ALLOWED_HOSTS="hr.example.com",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr


@pytest.mark.parametrize("secret_key", ["", "too-short"])
def test_production_settings_refuse_to_start_without_a_real_secret_key(
    tmp_path: Path, secret_key: str
) -> None:
    result = run(
        tmp_path,
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="hr.example.com",
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "talentloop: configuration error: SECRET_KEY must be set to a random string of at least 50 characters."
    )
