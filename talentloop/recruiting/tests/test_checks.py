"""Background checks: request, the candidate's consent, items by HR and by the provider's signed webhook."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from talentloop.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry
from talentloop.core.testing.factories import JobFactory
from talentloop.org.models import Department, JobLevel
from talentloop.recruiting.models import (
    Application,
    BackgroundCheck,
    BackgroundCheckItem,
    Candidate,
    CheckProvider,
    Stage,
    StageChange,
    WebhookDelivery,
)
from talentloop.recruiting.services import checks
from talentloop.recruiting.services.checks import signature_for

SITE = "https://jobs.example.com/"
SECRET = "provider-secret-123"
WEBHOOK = "/api/v1/background-checks/webhook/{slug}/"
API = "/api/v1/background-checks/"
ITEM = {"kind": "identity", "status": "verified"}
CRIMINAL = "Criminal record (where lawful)"
NOT_SIGNED = "The request is not signed (X-Signature-256 header missing)."
MISMATCH = "The signature does not match the body."
PENDING = [("identity", "pending", ""), ("education", "pending", "")]


def make_application(
    department: Department, *, name: str = "Li Lei", email: str = "lilei@example.com", phone: str = "13800138000",
    language: str = "en", stage: str = Stage.INTERVIEW, title: str = "Sales engineer", **fields: Any,
) -> Application:
    """An application of a candidate for a new open job of `department` (mid level), in `stage`."""
    job = JobFactory.create(title=title, department=department, level=JobLevel.objects.get(code="mid"))
    candidate = Candidate.objects.create(name=name, email=email, phone=phone, language=language)
    return Application.objects.create(candidate=candidate, job=job, stage=stage, **fields)


def wording(*, provider: str = "") -> str:
    by = f" and its background check provider {provider}" if provider else ""
    return (
        f"I, Li Lei, authorise Acme{by} to verify the following information about me for my application for "
        "Sales engineer: Identity; Education. I understand that the results are used only to decide on this "
        "application, are kept with my application record, and that I may ask Acme to show them to me."
    )


@pytest.fixture(autouse=True)
def _english(api: Any, client: Client, settings: Any) -> None:
    """Messages are asserted in English: the clients ask for it, as a browser set to English would."""
    settings.TALENTLOOP_COMPANY_NAME = "Acme"
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def application(org: dict[str, Any]) -> Application:
    return make_application(org["departments"]["sales"])


@pytest.fixture
def provider(db: Any) -> CheckProvider:
    return CheckProvider.objects.create(slug="verify-co", name="Verify Co", secret=SECRET)


def request_check(
    org: dict[str, Any], application: Application, provider: CheckProvider | None = None,
    items: tuple[str, ...] = ("identity", "education"),
) -> BackgroundCheck:
    recruiter = org["users"]["recruiter"]
    return checks.check_request(actor=recruiter, application=application, items=items, provider=provider, site_url=SITE)


def consented(org: dict[str, Any], application: Application, provider: CheckProvider | None = None) -> BackgroundCheck:
    check = request_check(org, application, provider)
    return checks.check_consent(token=check.consent_token)


def refused(error: type[DomainError], call: Callable[[], object]) -> DomainError:
    """The domain error `call` raises (pytest.raises, as an expression)."""
    with pytest.raises(error) as caught:
        call()
    return caught.value


def items_of(check: BackgroundCheck) -> list[tuple[str, str, str]]:
    return list(BackgroundCheckItem.objects.filter(check_request=check).values_list("kind", "status", "result"))


# --------------------------------------------------------------------------------------------- requesting


def test_request_creates_a_check_awaiting_consent_moves_the_application_and_emails_the_link(
    org: dict[str, Any], application: Application, provider: CheckProvider, mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        check = request_check(org, application, provider, items=("identity", "education", "identity"))
    check.refresh_from_db()
    assert (check.status, check.provider, check.consent_given_at) == ("awaiting_consent", provider, None)
    assert len(check.consent_token) == 43
    assert items_of(check) == PENDING
    application.refresh_from_db()
    assert application.stage == Stage.BACKGROUND_CHECK
    assert list(StageChange.objects.filter(application=application).values_list("from_stage", "to_stage", "actor")) == [
        ("interview", "background_check", org["users"]["recruiter"].pk)
    ]
    assert [m.subject for m in mailoutbox] == [
        "Acme: background check consent", "Acme: please give your consent to the background check",
    ]
    assert mailoutbox[1].to == ["lilei@example.com"]
    assert f"https://jobs.example.com/careers/check/{check.consent_token}/" in mailoutbox[1].body
    assert AuditEntry.objects.filter(object_type="recruiting.backgroundcheck", object_id=str(check.pk)).count() == 1


def test_a_later_application_stays_in_its_stage_and_a_candidate_without_email_gets_no_email(
    org: dict[str, Any], mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    application = make_application(org["departments"]["sales"], email="", stage=Stage.OFFER)
    with django_capture_on_commit_callbacks(execute=True):
        check = request_check(org, application)
    application.refresh_from_db()
    assert (application.stage, StageChange.objects.filter(application=application).count()) == (Stage.OFFER, 0)
    assert mailoutbox == []
    assert BackgroundCheck.objects.filter(pk=check.pk, status="awaiting_consent").exists()


def test_request_refuses_bad_items_a_closed_application_and_a_second_check_under_way(
    org: dict[str, Any], application: Application
) -> None:
    with pytest.raises(ValidationFailed) as empty:
        request_check(org, application, items=())
    assert empty.value.errors == {"items": ["Choose at least one item to check."]}
    with pytest.raises(ValidationFailed) as unknown:
        request_check(org, application, items=("identity", "credit_score"))
    assert unknown.value.errors == {"items": ["“credit_score” is not a background check item."]}
    assert BackgroundCheck.objects.count() == 0
    closed = make_application(org["departments"]["sales"], email="x@example.com", stage=Stage.REJECTED)
    with pytest.raises(Conflict) as caught:
        request_check(org, closed)
    assert str(caught.value) == "The application is closed (Rejected); no background check can be requested."
    request_check(org, application)
    with pytest.raises(Conflict) as caught:
        request_check(org, application)
    assert str(caught.value) == "This application already has a background check under way. Cancel it first."
    assert BackgroundCheck.objects.count() == 1


@pytest.mark.parametrize("role", ["manager", "employee", "candidate"])
def test_only_hr_and_recruiters_request_checks(org: dict[str, Any], application: Application, role: str) -> None:
    with pytest.raises(PermissionDenied):
        checks.check_request(actor=org["users"][role], application=application, items=["identity"])
    assert BackgroundCheck.objects.count() == 0
    check = checks.check_request(actor=org["users"]["hr"], application=application, items=["criminal_record"])
    assert items_of(check) == [("criminal_record", "pending", "")]


# ---------------------------------------------------------------------------------------------- consent


def test_consent_records_the_time_and_the_exact_wording_and_starts_the_check(
    org: dict[str, Any], application: Application, provider: CheckProvider
) -> None:
    check = request_check(org, application, provider)
    before = timezone.now()
    assert checks.check_consent(token=check.consent_token).pk == check.pk
    check.refresh_from_db()
    assert check.status == BackgroundCheck.Status.IN_PROGRESS
    assert check.consent_given_at is not None
    assert before <= check.consent_given_at <= timezone.now()
    assert check.consent_text == wording(provider="Verify Co")
    without_provider = consented(org, make_application(org["departments"]["sales"], email="n@example.com"))
    assert without_provider.consent_text == wording()


def test_consent_is_refused_twice_after_a_cancel_and_for_an_unknown_token(
    org: dict[str, Any], application: Application
) -> None:
    check = consented(org, application)
    at = timezone.localtime(check.consent_given_at).strftime("%Y-%m-%d %H:%M")
    twice = refused(Conflict, lambda: checks.check_consent(token=check.consent_token))
    assert str(twice) == f"You already gave your consent on {at}. Thank you."
    cancelled = request_check(org, make_application(org["departments"]["sales"], email="other@example.com"))
    checks.check_cancel(actor=org["users"]["recruiter"], check=cancelled)
    after_cancel = refused(Conflict, lambda: checks.check_consent(token=cancelled.consent_token))
    assert str(after_cancel) == "This background check was cancelled; there is nothing to consent to."
    cancelled.refresh_from_db()
    assert cancelled.consent_given_at is None
    for token in ("not-a-token", ""):
        with pytest.raises(NotFound):
            checks.check_consent(token=token)


# ------------------------------------------------------------------------------------------ items by HR


def test_the_check_completes_when_every_item_is_final_and_reopens_when_one_is_pending_again(
    org: dict[str, Any], application: Application
) -> None:
    check = consented(org, application)
    recruiter = org["users"]["recruiter"]
    item = checks.check_item_update(
        actor=recruiter, check=check, kind="identity", status="verified", result="  ID card matches  "
    )
    assert (item.kind, item.status, item.result) == ("identity", "verified", "ID card matches")
    check.refresh_from_db()
    assert (check.status, check.completed_at) == (BackgroundCheck.Status.IN_PROGRESS, None)
    checks.check_item_update(actor=recruiter, check=check, kind="education", status="discrepancy", result="No degree")
    check.refresh_from_db()
    assert check.status == BackgroundCheck.Status.COMPLETED
    assert check.completed_at is not None
    assert items_of(check) == [("identity", "verified", "ID card matches"), ("education", "discrepancy", "No degree")]
    checks.check_item_update(actor=recruiter, check=check, kind="education", status="pending")
    check.refresh_from_db()
    assert (check.status, check.completed_at) == (BackgroundCheck.Status.IN_PROGRESS, None)
    changes = AuditEntry.objects.filter(object_type="recruiting.backgroundcheckitem").order_by("id")
    assert [(e.field, e.old_value, e.new_value) for e in changes][:2] == [
        ("status", "pending", "verified"), ("result", "", "ID card matches"),
    ]


def test_items_need_consent_and_valid_input(org: dict[str, Any], application: Application) -> None:
    check = request_check(org, application)
    recruiter = org["users"]["recruiter"]

    def update(kind: str = "identity", status: str = "verified", result: str = "", actor: Any = recruiter) -> None:
        checks.check_item_update(actor=actor, check=check, kind=kind, status=status, result=result)

    assert str(refused(Conflict, update)) == (
        "The candidate has not consented yet; items can be filled in after their consent."
    )
    checks.check_consent(token=check.consent_token)
    for call, errors in [
        (lambda: update(status="great"), {"status": ["“great” is not an item status."]}),
        (lambda: update(kind="criminal_record"), {"kind": [f"This check does not include “{CRIMINAL}”."]}),
        (lambda: update(result="x" * 5001), {"result": ["Keep the result under 5000 characters."]}),
    ]:
        assert refused(ValidationFailed, call).errors == errors
    refused(PermissionDenied, lambda: update(actor=org["users"]["manager"]))
    assert items_of(check) == PENDING


def test_cancel_stops_a_check_but_not_a_finished_one(org: dict[str, Any], application: Application) -> None:
    check = consented(org, application)
    recruiter = org["users"]["recruiter"]
    for kind in ("identity", "education"):
        checks.check_item_update(actor=recruiter, check=check, kind=kind, status="verified")
    done = refused(Conflict, lambda: checks.check_cancel(actor=recruiter, check=check))
    assert str(done) == "The check is already completed."
    other = consented(org, make_application(org["departments"]["sales"], email="b@example.com"))
    assert checks.check_cancel(actor=recruiter, check=other).status == BackgroundCheck.Status.CANCELLED
    with pytest.raises(Conflict) as late:
        checks.check_item_update(actor=recruiter, check=other, kind="identity", status="verified")
    assert str(late.value) == "This background check was cancelled."


# --------------------------------------------------------------------------------------------- webhook


def post_webhook(
    payload: Any, *, slug: str = "verify-co", secret: str = SECRET, signature: str | None = None, sign: bool = True
) -> Any:
    """Posted like a provider would: no login, no CSRF token, the raw JSON signed with the shared secret."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {}
    if sign:
        headers["X-Signature-256"] = signature if signature is not None else signature_for(secret, body)
    client = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    return client.post(WEBHOOK.format(slug=slug), data=body, content_type="application/json", headers=headers)


def event(check: BackgroundCheck, event_id: str = "evt-1", **statuses: str) -> dict[str, Any]:
    return {
        "event_id": event_id, "check": check.pk,
        "items": [{"kind": k, "status": s, "result": f"{k} {s}"} for k, s in statuses.items()],
    }


def test_signed_events_update_the_items_and_complete_the_check(
    org: dict[str, Any], application: Application, provider: CheckProvider
) -> None:
    # echo -n '{"a":1}' | openssl dgst -sha256 -hmac key
    assert signature_for("key", b'{"a":1}') == "sha256=88a67f24bbcdaed0e6c997404bb79a743baf44c6bab2f4c27328e3009d22e342"
    check = consented(org, application, provider)
    partial = post_webhook(event(check, "evt-1", education="verified"))
    assert (partial.status_code, partial.json()) == (200, {"status": "processed", "check": check.pk})
    check.refresh_from_db()
    assert check.status == BackgroundCheck.Status.IN_PROGRESS
    assert post_webhook(event(check, "evt-2", identity="verified", education="unable")).status_code == 200
    assert items_of(check) == [
        ("identity", "verified", "identity verified"), ("education", "unable", "education unable"),
    ]
    check.refresh_from_db()
    assert check.status == BackgroundCheck.Status.COMPLETED
    assert list(WebhookDelivery.objects.order_by("id").values_list("source", "event_id")) == [
        ("checks:verify-co", "evt-1"), ("checks:verify-co", "evt-2"),
    ]


@pytest.mark.parametrize(
    ("signature", "detail"),
    [(None, NOT_SIGNED), ("", NOT_SIGNED), ("sha256=" + "0" * 64, MISMATCH), ("deadbeef", MISMATCH),
     ("sha256=签名", MISMATCH), ("tampered", MISMATCH), ("other-secret", MISMATCH)],
)
def test_a_missing_or_wrong_signature_is_401_and_stores_nothing(
    org: dict[str, Any], application: Application, provider: CheckProvider, signature: str | None, detail: str
) -> None:
    check = consented(org, application, provider)
    body = json.dumps(event(check, identity="verified")).encode()
    if signature == "tampered":  # signed, then changed
        signature = signature_for(SECRET, json.dumps(event(check, identity="discrepancy")).encode())
    elif signature == "other-secret":
        signature = signature_for("other-secret", body)
    response = post_webhook(body, signature=signature, sign=signature is not None)
    assert (response.status_code, response.json()) == (401, {"detail": detail})
    assert items_of(check) == PENDING
    assert WebhookDelivery.objects.count() == 0


def test_a_repeated_event_id_is_acknowledged_and_ignored(
    org: dict[str, Any], application: Application, provider: CheckProvider
) -> None:
    check = consented(org, application, provider)
    assert post_webhook(event(check, "evt-7", identity="verified")).status_code == 200
    again = post_webhook(event(check, "evt-7", identity="discrepancy"))
    assert (again.status_code, again.json()) == (200, {"status": "duplicate", "check": None})
    assert items_of(check) == [("identity", "verified", "identity verified"), ("education", "pending", "")]
    assert WebhookDelivery.objects.count() == 1
    # The same event id from another provider is not a repeat: it is refused for the check's provider.
    CheckProvider.objects.create(slug="other-co", name="Other Co", secret="other-secret")
    other = post_webhook(event(check, "evt-7", identity="verified"), slug="other-co", secret="other-secret")
    assert other.status_code == 400
    assert other.json()["errors"] == {"check": ["This background check is not assigned to this provider."]}


def test_webhook_refusals_store_nothing_so_a_retry_after_consent_is_applied(
    org: dict[str, Any], application: Application, provider: CheckProvider
) -> None:
    check = request_check(org, application, provider)
    early = post_webhook(event(check, "evt-9", identity="verified"))
    assert (early.status_code, early.json()) == (
        409, {"detail": "The candidate has not consented yet; items can be filled in after their consent."}
    )
    assert WebhookDelivery.objects.count() == 0
    checks.check_consent(token=check.consent_token)
    assert post_webhook(event(check, "evt-9", identity="verified")).status_code == 200
    assert items_of(check)[0] == ("identity", "verified", "identity verified")


def test_webhook_unknown_provider_unknown_check_and_another_providers_check(
    org: dict[str, Any], application: Application, provider: CheckProvider
) -> None:
    check = consented(org, application, provider)
    assert post_webhook(event(check, identity="verified"), slug="nobody").status_code == 404
    assert Client().get(WEBHOOK.format(slug="verify-co")).status_code == 405
    missing = post_webhook({"event_id": "e", "check": check.pk + 1000, "items": [ITEM]})
    assert (missing.status_code, missing.json()) == (404, {"detail": "No such background check."})
    own = consented(org, make_application(org["departments"]["sales"], email="c@example.com"))
    assert post_webhook(event(own, "evt-2", identity="verified")).status_code == 400
    assert items_of(own) == PENDING
    assert WebhookDelivery.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "detail", "errors"),
    [
        (b"{not json", "The body is not valid JSON.", None),
        (b"\xff\xfe", "The body is not valid JSON.", None),
        (b"[1, 2]", "The body must be a JSON object.", None),
        ({"check": 1, "items": [ITEM]}, None, {"event_id": ["Give the event's id."]}),
        ({"event_id": "e", "check": "one", "items": [ITEM]}, None, {"check": ["Give the check's id (an integer)."]}),
        ({"event_id": "e", "check": True, "items": [ITEM]}, None, {"check": ["Give the check's id (an integer)."]}),
        ({"event_id": "e", "check": 1, "items": []}, None,
         {"items": ["Give a list of items, each with kind, status and result."]}),
        ({"event_id": "e", "check": 1, "items": ["identity"]}, None, {"items": ["Item 1 is not an object."]}),
        ({"event_id": "e", "check": 1, "items": [{"kind": "identity", "status": 3}]}, None,
         {"items": ["Item 1 needs kind, status and result as text."]}),
        ({"event_id": "e", "check": 1, "items": [{"kind": "dna", "status": "verified"}]}, None,
         {"kind": ["“dna” is not a background check item."]}),
        ({"event_id": "x" * 121, "check": 1, "items": [ITEM]}, None,
         {"event_id": ["The event id is longer than 120 characters."]}),
    ],
)
def test_malformed_events_are_400(
    org: dict[str, Any], application: Application, provider: CheckProvider, body: Any, detail: str | None,
    errors: dict[str, list[str]] | None,
) -> None:
    consented(org, application, provider)
    response = post_webhook(body)
    assert response.status_code == 400
    if errors is None:
        assert response.json() == {"detail": detail}
    else:
        assert response.json()["errors"] == errors
    assert WebhookDelivery.objects.count() == 0


# ------------------------------------------------------------------------------------------------- API


def check_json(check: BackgroundCheck) -> dict[str, Any]:
    check.refresh_from_db()
    return {
        "id": check.pk, "application": check.application_id, "status": check.status,
        "provider": check.provider.slug if check.provider else None,
        "consent_given_at": timezone.localtime(check.consent_given_at).isoformat() if check.consent_given_at else None,
        "items": [{"kind": k, "status": s, "result": r} for k, s, r in items_of(check)],
        "completed_at": timezone.localtime(check.completed_at).isoformat() if check.completed_at else None,
        "consent_url": f"/careers/check/{check.consent_token}/" if check.status == "awaiting_consent" else None,
        "created_at": timezone.localtime(check.created_at).isoformat(),
    }


def test_api_create_list_retrieve(
    org: dict[str, Any], application: Application, provider: CheckProvider, api_as: Any, mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = api_as(org["users"]["recruiter"])
    body = {"application": application.pk, "items": ["identity", "education"], "provider": "verify-co"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(API, body, format="json")
    check = BackgroundCheck.objects.get()
    assert (response.status_code, response.json()) == (201, check_json(check))
    assert (response.json()["status"], response.json()["provider"]) == ("awaiting_consent", "verify-co")
    assert f"http://testserver/careers/check/{check.consent_token}/" in mailoutbox[1].body
    listed = client.get(API, {"application": application.pk})
    assert listed.json() == {"count": 1, "next": None, "previous": None, "results": [check_json(check)]}
    assert client.get(API, {"status": "completed"}).json()["count"] == 0
    assert client.get(API, {"status": "lost"}).status_code == 400
    assert client.get(f"{API}{check.pk}/").json() == check_json(check)
    assert client.get(f"{API}999999/").status_code == 404
    assert client.get(f"{API}9999999999999999999/").status_code == 404


def test_api_item_updates_need_consent_complete_the_check_and_cancel(
    org: dict[str, Any], application: Application, api_as: Any
) -> None:
    check = request_check(org, application)
    client = api_as(org["users"]["hr"])
    early = client.patch(f"{API}{check.pk}/items/identity/", {"status": "verified"}, format="json")
    assert (early.status_code, early.json()) == (
        409, {"detail": "The candidate has not consented yet; items can be filled in after their consent."}
    )
    checks.check_consent(token=check.consent_token)
    patched = client.patch(f"{API}{check.pk}/items/identity/", {"status": "verified", "result": "OK"}, format="json")
    assert (patched.status_code, patched.json()["items"]) == (200, [
        {"kind": "identity", "status": "verified", "result": "OK"},
        {"kind": "education", "status": "pending", "result": ""},
    ])
    posted = client.post(f"{API}{check.pk}/items/", {"kind": "education", "status": "unable"}, format="json")
    assert (posted.status_code, posted.json()) == (200, check_json(check))
    assert posted.json()["status"] == "completed"
    assert client.post(f"{API}{check.pk}/cancel/").json() == {"detail": "The check is already completed."}
    other = request_check(org, make_application(org["departments"]["sales"], email="z@example.com"))
    assert client.post(f"{API}{other.pk}/cancel/").json()["status"] == "cancelled"


def test_api_refuses_bad_input_with_400(org: dict[str, Any], application: Application, api_as: Any) -> None:
    client = api_as(org["users"]["recruiter"])
    bad: list[tuple[dict[str, Any], dict[str, list[str]]]] = [
        ({"items": []}, {"items": ["Ensure this field has at least 1 elements."]}),
        ({"items": ["dna"]}, {"items": ["“dna” is not a background check item."]}),
        ({"application": 99999}, {"application": ["No such application, or you may not see it."]}),
        ({"provider": "x"}, {"provider": ["Object with slug=x does not exist."]}),
    ]
    for body, errors in bad:
        response = client.post(API, {"application": application.pk, "items": ["identity"]} | body, format="json")
        assert (response.status_code, response.json()["errors"]) == (400, errors)
    assert client.post(API, ["identity"], format="json").status_code == 400
    assert BackgroundCheck.objects.count() == 0
    check = consented(org, application)
    items = f"{API}{check.pk}/items/"
    for body in ({"kind": "dna", "status": "verified"}, {"kind": "identity", "status": "fine"},
                 {"kind": "criminal_record", "status": "verified"}, {"status": "verified"}):
        assert client.post(items, body, format="json").status_code == 400
    assert client.patch(f"{items}dna/", {"status": "verified"}, format="json").status_code == 400
    assert items_of(check) == PENDING


@pytest.mark.parametrize("role", ["manager", "employee", "candidate", None])
def test_api_is_for_hr_and_recruiters_only(
    org: dict[str, Any], application: Application, api: Any, api_as: Any, role: str | None
) -> None:
    check = consented(org, application)
    client = api_as(org["users"][role]) if role else api
    code = 403 if role else 401
    assert client.get(API).status_code == code
    assert client.get(f"{API}{check.pk}/").status_code == code
    assert client.post(API, {"application": application.pk, "items": ["identity"]}, format="json").status_code == code
    assert client.post(f"{API}{check.pk}/items/", ITEM, format="json").status_code == code
    assert items_of(check) == PENDING


def test_api_list_runs_a_constant_number_of_queries(
    org: dict[str, Any], api_as: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        consented(org, make_application(org["departments"]["sales"], email=f"p{n}@example.com"))
    client = api_as(org["users"]["recruiter"])
    with django_assert_max_num_queries(6):
        response = client.get(API)
    assert response.json()["count"] == 6
    assert [len(r["items"]) for r in response.json()["results"]] == [2] * 6


# ----------------------------------------------------------------------------------------------- pages


def test_candidate_consent_page_shows_what_is_checked_and_records_consent(
    org: dict[str, Any], application: Application, provider: CheckProvider, client: Client
) -> None:
    check = request_check(org, application, provider)
    url = f"/careers/check/{check.consent_token}/"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert ("<li>Identity</li>" in html, "<li>Education</li>" in html, "I consent" in html) == (True, True, True)
    assert wording(provider="Verify Co") in html
    done = client.post(url)
    assert (done.status_code, done["Location"]) == (302, url)
    check.refresh_from_db()
    assert (check.status, check.consent_text) == (BackgroundCheck.Status.IN_PROGRESS, wording(provider="Verify Co"))
    assert "Thank you: your consent is recorded" in client.get(url).content.decode()
    twice = client.post(url)
    assert twice.status_code == 409
    assert "You already gave your consent on" in twice.content.decode()


def test_candidate_consent_page_for_unknown_and_cancelled_links(
    org: dict[str, Any], application: Application, client: Client
) -> None:
    missing = client.get("/careers/check/nope/")
    assert missing.status_code == 404
    assert "This link is not valid. Please use the link from your email, or contact us." in missing.content.decode()
    assert client.post("/careers/check/nope/").status_code == 404
    check = request_check(org, application)
    checks.check_cancel(actor=org["users"]["recruiter"], check=check)
    page = client.get(f"/careers/check/{check.consent_token}/")
    assert page.status_code == 200
    assert "This background check was cancelled; there is nothing to consent to." in page.content.decode()
    assert "I consent" not in page.content.decode()


def test_staff_request_page_creates_the_check_and_refuses_other_roles(
    org: dict[str, Any], application: Application, client: Client
) -> None:
    client.force_login(org["users"]["recruiter"])
    url = f"/recruiting/applications/{application.pk}/checks/new/"
    page = client.get(url)
    assert (page.status_code, 'value="criminal_record"' in page.content.decode()) == (200, True)
    response = client.post(url, {"items": ["identity", "employment"]})
    check = BackgroundCheck.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/recruiting/checks/{check.pk}/")
    assert items_of(check) == [("identity", "pending", ""), ("employment", "pending", "")]
    again = client.post(url, {"items": ["identity"]})
    assert again.status_code == 409
    assert "This application already has a background check under way." in again.content.decode()
    empty = client.post(url, {})
    assert (empty.status_code, "This field is required." in empty.content.decode()) == (400, True)
    client.force_login(org["users"]["manager"])
    assert client.get(url).status_code == 403
    assert client.get(f"/recruiting/checks/{check.pk}/").status_code == 403
    client.force_login(org["users"]["employee"])
    assert client.post(f"/recruiting/checks/{check.pk}/cancel/").status_code == 403
    client.logout()
    assert client.get(f"/recruiting/checks/{check.pk}/").status_code == 302


def test_staff_detail_page_updates_items_after_consent(
    org: dict[str, Any], application: Application, client: Client
) -> None:
    check = request_check(org, application)
    client.force_login(org["users"]["hr"])
    detail = client.get(f"/recruiting/checks/{check.pk}/")
    assert (detail.status_code, f"/careers/check/{check.consent_token}/" in detail.content.decode()) == (200, True)
    item_url = f"/recruiting/checks/{check.pk}/items/identity/"
    early = client.post(item_url, {"identity-status": "verified", "identity-result": "ok"})
    assert (early.status_code, "The candidate has not consented yet" in early.content.decode()) == (409, True)
    checks.check_consent(token=check.consent_token)
    assert client.post(item_url, {"identity-status": "verified", "identity-result": "Matches"}).status_code == 302
    assert items_of(check)[0] == ("identity", "verified", "Matches")
    assert client.post(item_url, {"identity-status": "great"}).status_code == 400
    assert client.post(f"/recruiting/checks/{check.pk}/items/dna/", {"dna-status": "verified"}).status_code == 404
    assert client.post(f"/recruiting/checks/{check.pk}/cancel/").status_code == 302
    check.refresh_from_db()
    assert check.status == BackgroundCheck.Status.CANCELLED
    assert client.post(f"/recruiting/checks/{check.pk}/cancel/").status_code == 409
