"""Staff recruiting pages: the candidate email templates (list, edit, placeholders, access)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from talentloop.core.models import AuditEntry
from talentloop.recruiting.models import EmailTemplate, Stage
from talentloop.recruiting.tests._pipeline_support import EMAILS, Login, Org, page_text, texts, tree

# ------------------------------------------------------------------------------------------------ emails


def test_email_templates_list_every_stage_and_language(login: Login, org: Org) -> None:
    response = login(org["users"]["recruiter"]).get(EMAILS)

    assert response.status_code == 200
    rows = tree(response).xpath('//tr[@data-testid="email-row"]')
    assert len(rows) == len(Stage.values) * len(settings.LANGUAGES)
    interview_en = tree(response).xpath('//tr[@data-stage="interview"][@data-language="en"]')[0]
    assert "{company}: interview for {job}" in interview_en.text_content()
    placeholders = page_text(response)
    for code in ("{candidate}", "{job}", "{stage}", "{company}", "{reason}"):
        assert code in placeholders


def test_email_templates_are_for_hr_and_recruiters(login: Login, org: Org) -> None:
    assert login(org["users"]["manager"]).get(EMAILS).status_code == 403
    url = reverse("recruiting:email_template_edit", args=["interview", "en"])
    assert login(org["users"]["manager"]).get(url).status_code == 403
    assert login(org["users"]["manager"]).post(url, {"subject": "x", "body": "y"}).status_code == 403


def test_editing_an_email_template(login: Login, org: Org) -> None:
    client = login(org["users"]["recruiter"])
    url = reverse("recruiting:email_template_edit", args=["interview", "zh-hans"])
    shown = client.get(url)
    assert shown.status_code == 200
    assert tree(shown).xpath('//input[@name="subject"]/@value') == ["{company}：{job} 职位面试邀请"]

    response = client.post(url, {"subject": "{company}：{job} 面试", "body": "{candidate}，您好：请准备面试。"})

    assert response.status_code == 302
    template = EmailTemplate.objects.get(stage="interview", language="zh-hans")
    assert (template.subject, template.body, template.is_active) == (
        "{company}：{job} 面试", "{candidate}，您好：请准备面试。", False,
    )
    entries = AuditEntry.objects.filter(object_type="recruiting.emailtemplate", object_id=str(template.pk))
    assert set(entries.values_list("field", flat=True)) == {"subject", "body", "is_active"}


def test_writing_an_email_for_a_stage_without_one(login: Login, org: Org) -> None:
    url = reverse("recruiting:email_template_edit", args=["screening", "en"])
    assert not EmailTemplate.objects.filter(stage="screening", language="en").exists()

    response = login(org["users"]["hr"]).post(url, {
        "subject": "We are reading your resume", "body": "Dear {candidate}, ...", "is_active": "on",
    })

    assert response.status_code == 302
    assert EmailTemplate.objects.get(stage="screening", language="en").is_active is True


def test_an_unknown_placeholder_is_refused(login: Login, org: Org) -> None:
    url = reverse("recruiting:email_template_edit", args=["interview", "en"])

    data = {"subject": "Hi {nmae}", "body": "Dear {candidate", "is_active": "on"}

    response = login(org["users"]["hr"]).post(url, data)

    assert response.status_code == 400
    errors = texts(tree(response).xpath('//*[contains(@class, "field-error")]'))
    assert errors == [
        "Unknown placeholder {nmae}. Use {candidate}, {job}, {stage}, {company}, {reason}.",
        "Use braces only around a placeholder, such as {candidate}.",
    ]
    assert EmailTemplate.objects.get(stage="interview", language="en").subject == "{company}: interview for {job}"


def test_an_unknown_stage_or_language_is_not_found(login: Login, org: Org) -> None:
    client = login(org["users"]["hr"])

    assert client.get(reverse("recruiting:email_template_edit", args=["moon", "en"])).status_code == 404
    assert client.get(reverse("recruiting:email_template_edit", args=["interview", "fr"])).status_code == 404
