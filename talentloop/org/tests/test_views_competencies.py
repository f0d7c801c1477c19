"""The competency library pages: list, search, detail, and HR's create and edit forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from talentloop.core.models import AuditEntry, User
from talentloop.org.models import Competency

LIST = reverse("org:competency_list")
CREATE = reverse("org:competency_create")

Login = Callable[..., Client]
Org = dict[str, Any]


@pytest.fixture
def login() -> Login:
    """login(user, language="en") -> a browser-like client logged in with that interface language."""

    def make(user: User, language: str = "en") -> Client:
        client = Client()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


def listed_codes(response: Any) -> list[str]:
    return [competency.code for competency in response.context["page_obj"]]


def new_competency_data(**overrides: str) -> dict[str, str]:
    data = {
        "code": "negotiation_basics",
        "name": "谈判基础",
        "name_en": "Negotiation Basics",
        "category": "interpersonal",
        "definition": "在谈判中准备充分并守住底线。",
        "definition_en": "Prepares for negotiations and holds the walk-away point.",
        "indicator_1_zh": "谈判前列出底线。",
        "indicator_1_en": "Writes down the walk-away point before a negotiation.",
        "indicator_2_zh": "能提出双赢方案。",
        "indicator_2_en": "Proposes options that work for both sides.",
        "indicator_3_zh": "带领团队完成复杂谈判。",
        "indicator_3_en": "Leads a team through complex negotiations.",
        "is_active": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ["hr", "recruiter", "manager", "employee"])
def test_list_and_detail_render_for_staff(org: Org, login: Login, role: str) -> None:
    client = login(org["users"][role])
    communication = Competency.objects.get(code="communication")

    listing = client.get(LIST)
    detail = client.get(reverse("org:competency_detail", args=[communication.pk]))

    assert listing.status_code == 200
    assert listing.context["page_obj"].paginator.count == 26
    assert listed_codes(listing)[:3] == ["adaptability", "attention_to_detail", "business_acumen"]
    assert detail.status_code == 200
    assert detail.context["competency"] == communication


def test_candidate_gets_403_and_anonymous_is_sent_to_login(org: Org, login: Login) -> None:
    communication = Competency.objects.get(code="communication")
    client = login(org["users"]["candidate"])

    assert client.get(LIST).status_code == 403
    assert client.get(reverse("org:competency_detail", args=[communication.pk])).status_code == 403
    anonymous = Client().get(LIST)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{resolve_url(settings.LOGIN_URL)}?next={LIST}"


def test_search_finds_communication_by_english_and_chinese_name(org: Org, login: Login) -> None:
    client = login(org["users"]["employee"])

    by_english = client.get(LIST, {"q": "communication"})
    by_chinese = client.get(LIST, {"q": "沟通"})
    by_name = client.get(LIST, {"q": "Learning Agility"})

    # The code of "written_communication" contains the word too.
    assert listed_codes(by_english) == ["communication", "written_communication"]
    assert listed_codes(by_chinese) == ["communication"]
    assert listed_codes(by_name) == ["learning_agility"]


def test_category_filter_combines_with_search(org: Org, login: Login) -> None:
    client = login(org["users"]["hr"])

    leadership = client.get(LIST, {"category": "leadership"})
    combined = client.get(LIST, {"category": "interpersonal", "q": "communication"})
    bogus = client.get(LIST, {"category": "no-such-category", "q": "沟通"})

    assert listed_codes(leadership) == [
        "coaching_developing_others", "decision_making", "leadership", "strategic_thinking",
    ]
    assert listed_codes(combined) == ["written_communication"]
    # An unknown category is dropped; the search still applies.
    assert listed_codes(bogus) == ["communication"]


def test_list_shows_names_in_the_active_language_and_an_inactive_badge(org: Org, login: Login) -> None:
    Competency.objects.filter(code="innovation").update(is_active=False)

    english = login(org["users"]["hr"], "en").get(LIST, {"q": "innovation"}).content.decode()
    chinese = login(org["users"]["hr"], "zh-hans").get(LIST, {"q": "沟通"}).content.decode()

    assert ">Innovation</a>" in english
    assert english.count('<span class="badge badge-grey">inactive</span>') == 1
    assert ">沟通能力</a>" in chinese
    assert ">Communication</a>" not in chinese


def test_detail_shows_definition_and_three_levels_in_the_active_language(org: Org, login: Login) -> None:
    communication = Competency.objects.get(code="communication")
    url = reverse("org:competency_detail", args=[communication.pk])

    english = login(org["users"]["manager"], "en").get(url)
    chinese = login(org["users"]["manager"], "zh-hans").get(url)

    assert english.context["indicators"] == [
        {"level": item["level"], "text": item["en"]} for item in communication.indicators
    ]
    body = english.content.decode()
    assert escape(communication.definition_en) in body
    for item in communication.indicators:
        assert escape(item["en"]) in body
    zh_body = chinese.content.decode()
    assert communication.definition in zh_body
    for item in communication.indicators:
        assert item["zh"] in zh_body


def test_only_hr_sees_edit_buttons(org: Org, login: Login) -> None:
    communication = Competency.objects.get(code="communication")
    url = reverse("org:competency_detail", args=[communication.pk])

    for role, expected in [("hr", True), ("recruiter", False), ("manager", False), ("employee", False)]:
        client = login(org["users"][role])
        assert ('data-testid="edit-competency"' in client.get(url).content.decode()) is expected
        assert ('data-testid="new-competency"' in client.get(LIST).content.decode()) is expected


def test_unknown_competency_is_404(org: Org, login: Login) -> None:
    response = login(org["users"]["hr"]).get(reverse("org:competency_detail", args=[999_999]))

    assert response.status_code == 404
    assert "No such competency." in response.content.decode()


def test_hr_creates_a_competency(org: Org, login: Login) -> None:
    client = login(org["users"]["hr"])
    assert client.get(CREATE).status_code == 200

    response = client.post(CREATE, new_competency_data())

    competency = Competency.objects.get(code="negotiation_basics")
    assert response.status_code == 302
    assert response["Location"] == reverse("org:competency_detail", args=[competency.pk])
    assert (competency.name, competency.name_en, competency.category) == (
        "谈判基础", "Negotiation Basics", "interpersonal",
    )
    assert competency.definition_en == "Prepares for negotiations and holds the walk-away point."
    assert competency.indicators == [
        {"level": 1, "zh": "谈判前列出底线。", "en": "Writes down the walk-away point before a negotiation."},
        {"level": 2, "zh": "能提出双赢方案。", "en": "Proposes options that work for both sides."},
        {"level": 3, "zh": "带领团队完成复杂谈判。", "en": "Leads a team through complex negotiations."},
    ]
    assert competency.is_active is True
    assert competency.is_builtin is False
    assert AuditEntry.objects.filter(object_type="org.competency", object_id=str(competency.pk)).count() == 1
    detail = client.get(response["Location"]).content.decode()
    assert "Competency “Negotiation Basics” created." in detail
    assert "Leads a team through complex negotiations." in detail


def test_a_level_left_empty_in_both_languages_has_no_indicator(org: Org, login: Login) -> None:
    data = new_competency_data(indicator_2_zh="", indicator_2_en="", indicator_3_en="")

    login(org["users"]["hr"]).post(CREATE, data)

    assert Competency.objects.get(code="negotiation_basics").indicators == [
        {"level": 1, "zh": "谈判前列出底线。", "en": "Writes down the walk-away point before a negotiation."},
        {"level": 3, "zh": "带领团队完成复杂谈判。", "en": ""},
    ]


def test_invalid_competency_re_renders_with_the_services_messages(org: Org, login: Login) -> None:
    client = login(org["users"]["hr"])
    before = Competency.objects.count()

    bad_code = client.post(CREATE, new_competency_data(code="Bad Code"))
    duplicate = client.post(CREATE, new_competency_data(code="communication"))
    no_name = client.post(CREATE, new_competency_data(name=""))

    assert bad_code.status_code == 200
    assert bad_code.context["form"].errors == {
        "code": ["Use lower-case English letters, digits and underscores, e.g. customer_orientation."],
    }
    assert no_name.status_code == 200
    assert no_name.context["form"].errors == {"name": ["This field is required."]}
    assert duplicate.status_code == 200
    taken = "Another competency already uses the code “communication”."
    assert duplicate.context["form"].errors == {"code": [taken]}
    assert taken in duplicate.content.decode()
    assert Competency.objects.count() == before


def test_hr_edits_a_competency(org: Org, login: Login) -> None:
    communication = Competency.objects.get(code="communication")
    url = reverse("org:competency_edit", args=[communication.pk])
    client = login(org["users"]["hr"])

    form = client.get(url).context["form"]
    assert form.initial["indicator_3_en"] == communication.indicators[2]["en"]
    assert form.initial["is_active"] is True
    data = {name: "" if value is None else str(value) for name, value in form.initial.items()}
    data.pop("is_active")  # an unticked checkbox is simply absent
    data.update(name_en="Communication Skills", indicator_1_en="States the conclusion first.")

    response = client.post(url, data)

    assert response.status_code == 302
    communication.refresh_from_db()
    assert communication.name_en == "Communication Skills"
    assert communication.is_active is False
    assert communication.indicators[0]["en"] == "States the conclusion first."
    assert communication.indicators[0]["zh"] == "汇报工作时先说结论再讲原因，在对方提问后能准确补充细节。"
    changed = set(
        AuditEntry.objects.filter(object_type="org.competency", object_id=str(communication.pk))
        .values_list("field", flat=True)
    )
    assert changed == {"name_en", "indicators", "is_active"}


@pytest.mark.parametrize("role", ["recruiter", "manager", "employee", "candidate"])
def test_only_hr_may_create_or_edit(org: Org, login: Login, role: str) -> None:
    communication = Competency.objects.get(code="communication")
    edit = reverse("org:competency_edit", args=[communication.pk])
    client = login(org["users"][role])
    before = Competency.objects.count()

    responses = [
        client.get(CREATE), client.post(CREATE, new_competency_data()),
        client.get(edit), client.post(edit, new_competency_data(code="communication", name="改名")),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert Competency.objects.count() == before
    communication.refresh_from_db()
    assert communication.name == "沟通能力"
