"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against a live server.

Screenshots go to artifacts/screenshots/ so a person can look at what the tests saw."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Chromium is not installed: `apt-get install chromium` (CI's .ci/run does this).")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django refuses ORM calls from a thread that has one
    # unless told this is intended (the tests call the ORM only to prepare data).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(params=["phone", "desktop"])
def viewport(request: pytest.FixtureRequest) -> tuple[str, dict[str, int]]:
    return request.param, PHONE if request.param == "phone" else DESKTOP


@pytest.fixture
def page_factory(browser: Any) -> Iterator[Any]:
    """page_factory(viewport, locale) -> a fresh page in its own context (own cookies)."""
    contexts: list[Any] = []

    def make(size: dict[str, int], locale: str = "zh-CN") -> Any:
        context = browser.new_context(viewport=size, locale=locale, device_scale_factor=1)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def shipped_library(transactional_db: Any) -> None:
    """Browser tests need committed data the live server can see, so they run with transaction=True, which
    empties tables between tests; put back what the migrations ship (competency library, levels, question bank)."""
    from talentloop.interviews.bank import sync_question_bank
    from talentloop.interviews.models import InterviewQuestion
    from talentloop.org.library import sync_library
    from talentloop.org.models import Competency, JobLevel

    sync_library(Competency, JobLevel)
    sync_question_bank(InterviewQuestion, Competency)
