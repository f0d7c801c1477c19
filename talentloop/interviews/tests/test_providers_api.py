"""`/api/v1/providers/` (HR admins write, recruiters read, the secret write-only) and
`POST /api/v1/applications/{id}/provider-interviews/` (linking an interview round to a vendor)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talentloop.core.models import AuditEntry
from talentloop.interviews.models import InterviewProvider, InterviewReport, InterviewSession
from talentloop.recruiting.models import Application, Stage

from ._providers_support import MAPPING, SECRET, body_of, client_as, deliver, link, make_provider
from ._support import InterviewSetup

pytestmark = pytest.mark.django_db

PROVIDERS = "/api/v1/providers/"
READ_KEYS = {"id", "slug", "name", "mapping", "is_active", "webhook_url", "interview_count", "last_event_at",
             "created_at", "updated_at"}


def _create(setup: InterviewSetup, **data: Any) -> Any:
    body = {"slug": "acme-ai", "name": "Acme AI Interviews", "mapping": MAPPING, **data}
    return client_as(setup.hr).post(PROVIDERS, body, format="json")


# --- CRUD and the secret ---------------------------------------------------------------------------------------


def test_hr_creates_a_provider_and_sees_the_secret_once(setup: InterviewSetup) -> None:
    response = _create(setup, secret=SECRET)
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == READ_KEYS | {"secret"}
    assert body["secret"] == SECRET
    assert body["slug"] == "acme-ai"
    assert body["webhook_url"] == "http://127.0.0.1:8000/api/v1/providers/acme-ai/webhook/"
    assert body["mapping"][1] == {"dimension": "Clarity", "competency": "communication", "max": None}
    assert (body["interview_count"], body["last_event_at"], body["is_active"]) == (0, None, True)
    again = client_as(setup.hr).get(f"{PROVIDERS}acme-ai/").json()
    assert set(again) == READ_KEYS  # never read back
    listed = client_as(setup.hr).get(PROVIDERS).json()
    assert [set(row) for row in listed["results"]] == [READ_KEYS]


def test_a_secret_is_generated_when_none_is_given(setup: InterviewSetup) -> None:
    body = _create(setup).json()
    assert len(body["secret"]) >= 32
    assert InterviewProvider.objects.get().secret == body["secret"]


def test_the_secret_never_reaches_the_audit_log(setup: InterviewSetup) -> None:
    _create(setup, secret=SECRET)
    client_as(setup.hr).patch(f"{PROVIDERS}acme-ai/", {"secret": "another-secret-0123456789"}, format="json")
    client_as(setup.hr).post(f"{PROVIDERS}acme-ai/rotate-secret/")
    rows = AuditEntry.objects.filter(object_type="interviews.interviewprovider")
    assert rows.filter(field="secret").count() == 3
    assert not any(SECRET in r.new_value + r.old_value for r in rows)
    assert set(rows.filter(field="secret").values_list("new_value", flat=True)) == {"********"}


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"slug": "Acme AI"}, "slug", "Use 1 to 40 lowercase letters, digits, hyphens or underscores, starting with a "
                                  "letter or digit (the slug is part of the webhook URL)."),
    ({"slug": "-acme"}, "slug", "Use 1 to 40 lowercase letters, digits, hyphens or underscores, starting with a "
                                "letter or digit (the slug is part of the webhook URL)."),
    ({"slug": "new"}, "slug", "“new” is reserved; choose another slug."),
    ({"name": "  "}, "name", "Give the vendor's name."),
    ({"secret": "short"}, "secret", "The secret is 16 to 200 characters: letters, digits and punctuation, no spaces."),
    ({"secret": "has spaces in it 0123456789"}, "secret",
     "The secret is 16 to 200 characters: letters, digits and punctuation, no spaces."),
    ({"mapping": {"a": 1}}, "mapping", "The mapping is a list of rows {dimension, competency, max}."),
])
def test_bad_fields_are_400_naming_the_field(setup: InterviewSetup, data: dict[str, Any], field: str,
                                             message: str) -> None:
    response = _create(setup, **data)
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {field: [message]}
    assert not InterviewProvider.objects.exists()


def test_every_bad_mapping_row_is_named(setup: InterviewSetup) -> None:
    response = _create(setup, mapping=[
        {"dimension": "Communication", "competency": "communication", "max": 10},
        {"dimension": " ", "competency": "communication"},
        {"dimension": "COMMUNICATION", "competency": "teamwork"},
        {"dimension": "Clarity", "competency": "no_such_thing"},
        {"dimension": "Focus", "competency": "", "max": 0},
        {"dimension": "Grit", "competency": "teamwork", "max": "ten"},
        "not a row",
    ])
    assert response.status_code == 400
    assert response.json()["errors"]["mapping"] == [
        "Row 2: the vendor's dimension name is empty.",
        "Row 3: “COMMUNICATION” is already mapped in row 1 (names are compared without case).",
        "Row 4: there is no competency with the code “no_such_thing”.",
        "Row 5: choose the competency the dimension measures.",
        "Row 5: the maximum is a positive number, or empty to take the one sent with each score.",
        "Row 6: the maximum is a positive number, or empty to take the one sent with each score.",
        "Row 7: give a dimension, a competency and a maximum.",
    ]
    assert response.json()["detail"].startswith("mapping: Row 2: the vendor's dimension name is empty.")


def test_a_taken_slug_is_400(setup: InterviewSetup) -> None:
    assert _create(setup).status_code == 201
    response = _create(setup)
    assert response.status_code == 400
    assert response.json()["errors"] == {"slug": ["A provider with the slug “acme-ai” exists already."]}


def test_hr_edits_the_mapping_and_name_but_not_the_slug(setup: InterviewSetup) -> None:
    _create(setup)
    client = client_as(setup.hr)
    changed = client.patch(f"{PROVIDERS}acme-ai/", {"name": "Acme", "mapping": MAPPING[:1], "slug": "acme-ai"},
                           format="json")
    assert changed.status_code == 200, changed.content
    assert (changed.json()["name"], changed.json()["mapping"]) == ("Acme", MAPPING[:1])
    assert "secret" not in changed.json()
    refused = client.patch(f"{PROVIDERS}acme-ai/", {"slug": "acme-2"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["slug"] == [
        "The slug cannot be changed: the vendor calls the webhook URL made of it. Create a new provider instead."]
    assert client.put(f"{PROVIDERS}acme-ai/", {"name": "x"}, format="json").status_code == 405


def test_a_new_secret_replaces_the_old_one_at_once(setup: InterviewSetup) -> None:
    provider = make_provider(setup.hr)
    session = link(setup, provider)
    rotated = client_as(setup.hr).post(f"{PROVIDERS}acme-ai/rotate-secret/")
    assert rotated.status_code == 200
    new = rotated.json()["secret"]
    assert rotated.json() == {"slug": "acme-ai", "secret": new}
    assert new != SECRET
    assert deliver(body_of(session)).status_code == 401
    assert deliver(body_of(session), secret=new).status_code == 200


def test_a_provider_with_interviews_is_deactivated_not_deleted(setup: InterviewSetup) -> None:
    provider = make_provider(setup.hr)
    make_provider(setup.hr, slug="unused")
    assert client_as(setup.hr).delete(f"{PROVIDERS}unused/").status_code == 204
    link(setup, provider)
    refused = client_as(setup.hr).delete(f"{PROVIDERS}acme-ai/")
    assert refused.status_code == 409
    assert refused.json()["detail"] == ("“Acme AI Interviews” is linked to 1 interview(s), whose reports cite it. "
                                        "Deactivate it instead.")
    off = client_as(setup.hr).patch(f"{PROVIDERS}acme-ai/", {"is_active": False}, format="json")
    assert off.json()["is_active"] is False
    assert list(InterviewProvider.objects.values_list("slug", flat=True)) == ["acme-ai"]


def test_events_are_listed_newest_first(setup: InterviewSetup) -> None:
    provider = make_provider(setup.hr)
    session = link(setup, provider)
    deliver(body_of(session, event_id="a", dimensions=[{"name": "Communication", "score": 11}]))
    deliver(body_of(session, event_id="b"))
    body = client_as(setup.recruiter).get(f"{PROVIDERS}acme-ai/events/").json()
    assert body["count"] == 2
    assert [(e["event_id"], e["status"], e["interview"]) for e in body["results"]] == [
        ("b", "applied", session.pk), ("a", "rejected", session.pk)]
    assert body["results"][1]["error"]
    listed = client_as(setup.recruiter).get(PROVIDERS).json()["results"][0]
    assert listed["interview_count"] == 1
    assert listed["last_event_at"] is not None


def test_the_list_runs_a_constant_number_of_queries(setup: InterviewSetup) -> None:
    client = client_as(setup.recruiter)
    make_provider(setup.hr)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PROVIDERS).status_code == 200
        return len(queries)

    one = count()
    for n in range(5):
        make_provider(setup.hr, slug=f"vendor-{n}")
    assert count() == one


# --- permissions -----------------------------------------------------------------------------------------------


def test_who_may_do_what(org: dict[str, Any], setup: InterviewSetup) -> None:
    make_provider(setup.hr)
    users = org["users"]
    assert client_as(users["recruiter"]).get(PROVIDERS).status_code == 200
    assert client_as(users["recruiter"]).get(f"{PROVIDERS}acme-ai/").status_code == 200
    for name in ("recruiter", "manager", "employee"):
        client = client_as(users[name])
        assert client.post(PROVIDERS, {"slug": "x1", "name": "X"}, format="json").status_code == 403
        assert client.patch(f"{PROVIDERS}acme-ai/", {"name": "X"}, format="json").status_code == 403
        assert client.post(f"{PROVIDERS}acme-ai/rotate-secret/").status_code == 403
        assert client.delete(f"{PROVIDERS}acme-ai/").status_code == 403
    for name in ("manager", "employee", "candidate"):
        assert client_as(users[name]).get(PROVIDERS).status_code == 403
        assert client_as(users[name]).get(f"{PROVIDERS}acme-ai/events/").status_code == 403
    assert client_as(None).get(PROVIDERS).status_code in (401, 403)
    assert InterviewProvider.objects.get().name == "Acme AI Interviews"


def test_unknown_provider_is_404(setup: InterviewSetup) -> None:
    response = client_as(setup.hr).get(f"{PROVIDERS}nobody/")
    assert response.status_code == 404
    assert response.json()["detail"] == "No such interview provider."


# --- linking an interview --------------------------------------------------------------------------------------


def _link(user: Any, application: Application, **data: Any) -> Any:
    return client_as(user).post(f"/api/v1/applications/{application.pk}/provider-interviews/",
                             {"provider": "acme-ai", **data}, format="json")


def test_linking_creates_a_vendor_round_with_no_questions(setup: InterviewSetup) -> None:
    make_provider(setup.hr)
    response = _link(setup.recruiter, setup.application)
    assert response.status_code == 201, response.content
    session = InterviewSession.objects.get()
    assert response.json() == {
        "id": session.pk, "application": setup.application.pk, "round": 1, "language": "en",
        "status": "in_progress", "provider": "acme-ai", "report_status": "in_progress",
        "report_url": f"/api/v1/interviews/{session.pk}/report/",
        "webhook_url": "http://127.0.0.1:8000/api/v1/providers/acme-ai/webhook/",
    }
    assert session.questions.count() == 0
    assert session.provider is not None
    assert session.invited_by == setup.recruiter
    report = InterviewReport.objects.get(session=session)
    assert (report.status, report.source, report.provider_id) == ("in_progress", "provider", session.provider.pk)
    setup.application.refresh_from_db()
    assert setup.application.stage == Stage.AI_INTERVIEW
    assert AuditEntry.objects.filter(object_type="interviews.interviewsession", field="provider",
                                     new_value="acme-ai").exists()


def test_linking_sends_no_interview_link(setup: InterviewSetup,
                                        django_capture_on_commit_callbacks: Any) -> None:
    from django.core import mail

    provider = make_provider(setup.hr)
    with django_capture_on_commit_callbacks(execute=True):
        session = link(setup, provider)
    assert not [m for m in mail.outbox if session.token in m.body]


def test_the_vendor_round_follows_earlier_rounds(setup: InterviewSetup) -> None:
    from talentloop.interviews.services.sessions import interview_cancel

    make_provider(setup.hr)
    own = setup.session()
    refused = _link(setup.hr, setup.application)
    assert refused.status_code == 409  # one open interview at a time
    assert "already has an open AI interview (round 1" in refused.json()["detail"]
    interview_cancel(actor=setup.hr, session=own)
    linked = _link(setup.hr, setup.application, language="zh-hans")
    assert (linked.json()["round"], linked.json()["language"]) == (2, "zh-hans")
    # And the other way round: TalentLoop's own invitation waits for the vendor's round.
    invite = client_as(setup.hr).post(f"/api/v1/applications/{setup.application.pk}/interviews/",
                                   {"language": "en"}, format="json")
    assert invite.status_code == 409


@pytest.mark.parametrize(("data", "status", "message"), [
    ({"provider": "nobody"}, 400, "There is no interview provider “nobody”."),
    ({"provider": ""}, 400, None),
    ({"language": "fr"}, 400, "Choose the interview language: zh-hans, en."),
])
def test_bad_links_are_refused(setup: InterviewSetup, data: dict[str, Any], status: int,
                               message: str | None) -> None:
    make_provider(setup.hr)
    response = _link(setup.hr, setup.application, **data)
    assert response.status_code == status
    if message:
        assert response.json()["detail"] == message
    assert not InterviewSession.objects.exists()


def test_an_inactive_provider_or_a_closed_application_cannot_be_linked(setup: InterviewSetup) -> None:
    make_provider(setup.hr, is_active=False)
    off = _link(setup.hr, setup.application)
    assert off.status_code == 400
    assert off.json()["detail"] == "The provider “Acme AI Interviews” is switched off; activate it first."
    InterviewProvider.objects.update(is_active=True)
    Application.objects.filter(pk=setup.application.pk).update(stage=Stage.REJECTED)
    closed = _link(setup.hr, setup.application)
    assert closed.status_code == 409
    assert not InterviewSession.objects.exists()


def test_only_hr_and_recruiters_link(org: dict[str, Any], setup: InterviewSetup) -> None:
    make_provider(setup.hr)
    # The sales manager may see the application (their department's job) but not invite.
    assert _link(org["users"]["manager"], setup.application).status_code == 403
    assert _link(org["users"]["employee"], setup.application).status_code == 403
    missing = client_as(setup.hr).post("/api/v1/applications/999999/provider-interviews/", {"provider": "acme-ai"},
                                    format="json")
    assert missing.status_code == 404
    assert not InterviewSession.objects.exists()


def test_the_schema_documents_the_endpoints() -> None:
    from django.test import Client

    schema = Client().get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert set(paths[f"{PROVIDERS}"]) == {"get", "post"}
    assert set(paths[f"{PROVIDERS}{{slug}}/"]) == {"get", "patch", "delete"}
    assert set(paths[f"{PROVIDERS}{{slug}}/rotate-secret/"]) == {"post"}
    assert set(paths[f"{PROVIDERS}{{slug}}/events/"]) == {"get"}
    assert set(paths["/api/v1/applications/{id}/provider-interviews/"]) == {"post"}
    webhook = paths[f"{PROVIDERS}{{slug}}/webhook/"]["post"]
    assert webhook.get("security", []) in ([], [{}])  # no login: the signature is the credential
    assert [p["name"] for p in webhook["parameters"] if p["in"] == "header"] == ["X-Signature-256"]
    assert "secret" not in schema["components"]["schemas"]["Provider"]["properties"]
