"""Both languages are complete: the catalogues have no gaps, and Chinese pages show no English UI text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polib
import pytest
from django.test import Client
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[1] / "talentloop" / "locale"
# Words that are the same in both languages: product and technical names, and data the tests create.
ALLOWED = {"TalentLoop", "English", "HR", "ID", "API", "OKR", "KPI", "Email", "E-mail"}


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "option"):
            self.skip += 1
        for name, value in attrs:
            # placeholders, titles and labels are read by people too
            if name in ("placeholder", "title", "aria-label") and value:
                self.chunks.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "option") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.chunks.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.chunks


def english_leftovers(chunks: list[str], data_words: set[str]) -> list[str]:
    leftovers = []
    for chunk in chunks:
        words = re.findall(r"[A-Za-z][A-Za-z'-]{2,}", chunk)
        unexpected = [w for w in words if w not in ALLOWED and w not in data_words]
        if unexpected:
            leftovers.append(chunk)
    return leftovers


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_catalogue_is_complete_and_compiled(language: str) -> None:
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    if language == "zh_Hans":
        assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert len(po) > 100
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo}
    expected = {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries()}
    assert compiled == expected, "run `make messages` to recompile the .mo files"


def _pages(org: dict[str, Any]) -> list[tuple[str, str]]:
    employee = org["employees"]["report"]
    job_pages: list[tuple[str, str]] = [("hr", reverse("org:job_list")), ("hr", reverse("org:job_create"))]
    return [
        ("hr", reverse("home")),
        ("hr", reverse("org:department_list")),
        ("hr", reverse("org:department_create")),
        ("hr", reverse("org:employee_list")),
        ("hr", reverse("org:employee_detail", args=[employee.pk])),
        ("hr", reverse("org:employee_edit", args=[employee.pk])),
        ("hr", reverse("org:employee_create")),
        ("hr", reverse("org:competency_list")),
        ("hr", reverse("org:competency_create")),
        *job_pages,
        ("manager", reverse("home")),
        ("manager", reverse("org:employee_list")),
        ("employee", reverse("home")),
        ("employee", reverse("org:employee_detail", args=[employee.pk])),
        ("employee", reverse("org:employee_edit", args=[employee.pk])),
        ("recruiter", reverse("home")),
    ]


@pytest.mark.django_db
def test_chinese_pages_have_no_english_ui_text(org: dict[str, Any]) -> None:
    from talentloop.org.models import Competency

    communication = Competency.objects.get(code="communication")
    data_words = {"hr", "recruiter", "manager", "employee", "outsider", "candidate"}
    problems: dict[str, list[str]] = {}
    for role, url in [*_pages(org), ("hr", reverse("org:competency_detail", args=[communication.pk]))]:
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
        client.force_login(org["users"][role])
        response = client.get(url)
        assert response.status_code == 200, (role, url, response.status_code)
        leftovers = english_leftovers(visible_text(response.content.decode()), data_words)
        if leftovers:
            problems[f"{role} {url}"] = leftovers
    assert problems == {}


@pytest.mark.django_db
def test_login_page_in_both_languages() -> None:
    zh = Client(HTTP_ACCEPT_LANGUAGE="zh-CN").get(reverse("login")).content.decode()
    en = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("login")).content.decode()
    assert english_leftovers(visible_text(zh), set()) == []
    assert '<html lang="zh-hans"' in zh
    assert '<html lang="en"' in en
