"""Background checks: HR requests one, the candidate consents through a secret link, then each item is filled
in by HR or by the provider's signed webhook. A check is complete when every item has a final status."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from talentloop.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record

from ..access import applications_in_reach, require_application_access, require_recruiter
from ..models import Application, BackgroundCheck, BackgroundCheckItem, CheckProvider, Stage, WebhookDelivery
from .pipeline import CLOSED, PIPELINE, application_transition

Kind = BackgroundCheckItem.Kind
ItemStatus = BackgroundCheckItem.Status
MAX_RESULT_CHARS = 5000
SIGNATURE_PREFIX = "sha256="


class SignatureInvalid(DomainError):
    """A webhook whose signature is missing or wrong: 401, and nothing is stored."""

    status_code = 401


@dataclass(frozen=True)
class WebhookOutcome:
    check: BackgroundCheck | None
    duplicate: bool


def company_name() -> str:
    return str(getattr(settings, "TALENTLOOP_COMPANY_NAME", "TalentLoop"))


def candidate_language(language: str) -> str:
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def absolute_link(site_url: str, path: str) -> str:
    """The link put into an email: the site's address (from the request that caused it) plus the path."""
    base = (site_url or str(getattr(settings, "TALENTLOOP_SITE_URL", ""))).rstrip("/")
    return f"{base}{path}"


def is_before(stage: str, target: str) -> bool:
    """Whether an open application is in a pipeline stage earlier than `target` (so it should move there)."""
    return stage not in CLOSED and stage in PIPELINE and PIPELINE.index(stage) < PIPELINE.index(target)


# Reads -------------------------------------------------------------------------------------------------


def check_list(*, user: User, application: int | None = None, status: str | None = None) -> QuerySet[BackgroundCheck]:
    require_recruiter(user)
    qs = (
        BackgroundCheck.objects.filter(application__in=applications_in_reach(user))
        .select_related("provider", "application__candidate", "application__job")
        .prefetch_related(Prefetch("items", queryset=BackgroundCheckItem.objects.order_by("id")))
    )
    if application is not None:
        qs = qs.filter(application_id=application)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def check_get(*, user: User, pk: int) -> BackgroundCheck:
    check = check_list(user=user).filter(pk=pk).first()
    if check is None:
        raise NotFound(_("No such background check."))
    return check


def check_by_token(*, token: str) -> BackgroundCheck:
    """The check a candidate's consent link points to."""
    check = None
    if token:
        check = (
            BackgroundCheck.objects.select_related("provider", "application__candidate", "application__job")
            .prefetch_related(Prefetch("items", queryset=BackgroundCheckItem.objects.order_by("id")))
            .filter(consent_token=token)
            .first()
        )
    if check is None:
        raise NotFound(_("This link is not valid. Please use the link from your email, or contact us."))
    return check


def check_consent_text(*, check: BackgroundCheck) -> str:
    """The consent wording, in the active language, naming exactly what will be checked and by whom."""
    application = check.application
    labels = [str(Kind(item.kind).label) for item in check.items.all()]
    params = {
        "candidate": application.candidate.name or application.candidate.email or _("the candidate"),
        "company": company_name(),
        "job": application.job.title,
        "items": _("; ").join(labels),
        "provider": check.provider.name if check.provider else "",
    }
    if check.provider is not None:
        text = _(
            "I, %(candidate)s, authorise %(company)s and its background check provider %(provider)s to verify "
            "the following information about me for my application for %(job)s: %(items)s. I understand that "
            "the results are used only to decide on this application, are kept with my application record, and "
            "that I may ask %(company)s to show them to me."
        )
    else:
        text = _(
            "I, %(candidate)s, authorise %(company)s to verify the following information about me for my "
            "application for %(job)s: %(items)s. I understand that the results are used only to decide on this "
            "application, are kept with my application record, and that I may ask %(company)s to show them to me."
        )
    return text % params


# Writes ------------------------------------------------------------------------------------------------


def _clean_kinds(items: Sequence[str]) -> list[str]:
    kinds: list[str] = []
    for kind in items:
        if kind not in Kind.values:
            raise ValidationFailed(_("“%(kind)s” is not a background check item.") % {"kind": kind}, field="items")
        if kind not in kinds:
            kinds.append(kind)
    if not kinds:
        raise ValidationFailed(_("Choose at least one item to check."), field="items")
    return kinds


@transaction.atomic
def check_request(
    *, actor: User, application: Application, items: Sequence[str], provider: CheckProvider | None = None,
    site_url: str = "",
) -> BackgroundCheck:
    """Create a check awaiting the candidate's consent, move the application to the background check stage when
    it is earlier in the pipeline, and email the candidate the consent link after commit."""
    require_recruiter(actor)
    require_application_access(actor, application)
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("candidate", "job").get(pk=application.pk)
    )
    kinds = _clean_kinds(items)
    if application.stage in CLOSED:
        raise Conflict(
            _("The application is closed (%(stage)s); no background check can be requested.")
            % {"stage": Stage(application.stage).label}
        )
    active = (BackgroundCheck.Status.AWAITING_CONSENT, BackgroundCheck.Status.IN_PROGRESS)
    if application.background_checks.filter(status__in=active).exists():
        raise Conflict(_("This application already has a background check under way. Cancel it first."))
    check = BackgroundCheck.objects.create(
        application=application, provider=provider, consent_token=secrets.token_urlsafe(32)
    )
    BackgroundCheckItem.objects.bulk_create(BackgroundCheckItem(check_request=check, kind=k) for k in kinds)
    audit_record(actor=actor, obj=check, action=AuditEntry.Action.CREATE)
    if is_before(application.stage, Stage.BACKGROUND_CHECK):
        application_transition(actor=actor, application=application, to=Stage.BACKGROUND_CHECK)
    check_id = check.pk
    transaction.on_commit(lambda: check_consent_email_send(check_id=check_id, site_url=site_url))
    return check


def check_consent_email_send(*, check_id: int, site_url: str = "") -> bool:
    """Email the candidate the consent link, in their language. False when they have no email address."""
    check = BackgroundCheck.objects.select_related("application__candidate", "application__job").get(pk=check_id)
    candidate = check.application.candidate
    if not candidate.email:
        return False
    link = absolute_link(site_url, reverse("careers:check_consent", args=[check.consent_token]))
    with translation.override(candidate_language(candidate.language)):
        params = {
            "candidate": candidate.name or candidate.email, "company": company_name(),
            "job": check.application.job.title, "link": link,
        }
        subject = _("%(company)s: please give your consent to the background check") % params
        body = _(
            "Dear %(candidate)s,\n\nBefore the background check for your application for %(job)s can start, we "
            "need your consent. Open this link to see what will be checked and to give your consent:\n\n%(link)s"
            "\n\nThe %(company)s recruiting team"
        ) % params
    send_mail(subject, body, None, [candidate.email])
    return True


@transaction.atomic
def check_consent(*, token: str) -> BackgroundCheck:
    """The candidate consents through their link: the time and the exact wording shown (in the active language)
    are recorded, and the check starts."""
    found = check_by_token(token=token)
    check = BackgroundCheck.objects.select_for_update().get(pk=found.pk)
    if check.status == BackgroundCheck.Status.CANCELLED:
        raise Conflict(_("This background check was cancelled; there is nothing to consent to."))
    if check.consent_given_at is not None:
        raise Conflict(_("You already gave your consent on %(date)s. Thank you.") % {
            "date": timezone.localtime(check.consent_given_at).strftime("%Y-%m-%d %H:%M")
        })
    check.consent_text = check_consent_text(check=found)
    check.consent_given_at = timezone.now()
    check.status = BackgroundCheck.Status.IN_PROGRESS
    check.save(update_fields=["consent_text", "consent_given_at", "status", "updated_at"])
    return check


def _require_started(check: BackgroundCheck) -> None:
    if check.status == BackgroundCheck.Status.CANCELLED:
        raise Conflict(_("This background check was cancelled."))
    if check.consent_given_at is None:
        raise Conflict(_("The candidate has not consented yet; items can be filled in after their consent."))


def _validate_item(kind: str, status: str, result: str) -> None:
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = _("“%(kind)s” is not a background check item.") % {"kind": kind}
    if status not in ItemStatus.values:
        errors["status"] = _("“%(status)s” is not an item status.") % {"status": status}
    if len(result) > MAX_RESULT_CHARS:
        errors["result"] = _("Keep the result under %(n)d characters.") % {"n": MAX_RESULT_CHARS}
    if errors:
        raise ValidationFailed(errors=errors)


def _apply_items(check: BackgroundCheck, updates: Sequence[tuple[str, str, str]]) -> list[BackgroundCheckItem]:
    """Set (kind, status, result) on the check's items, then complete or reopen the check."""
    items = {item.kind: item for item in BackgroundCheckItem.objects.select_for_update().filter(check_request=check)}
    changed = []
    for kind, status, result in updates:
        item = items.get(kind)
        if item is None:
            raise ValidationFailed(
                _("This check does not include “%(kind)s”.") % {"kind": Kind(kind).label}, field="kind"
            )
        item.status, item.result = status, result
        item.save(update_fields=["status", "result", "updated_at"])
        changed.append(item)
    final = all(item.status != ItemStatus.PENDING for item in items.values())
    if final and check.status != BackgroundCheck.Status.COMPLETED:
        check.status, check.completed_at = BackgroundCheck.Status.COMPLETED, timezone.now()
        check.save(update_fields=["status", "completed_at", "updated_at"])
    elif not final and check.status == BackgroundCheck.Status.COMPLETED:
        check.status, check.completed_at = BackgroundCheck.Status.IN_PROGRESS, None
        check.save(update_fields=["status", "completed_at", "updated_at"])
    return changed


@transaction.atomic
def check_item_update(
    *, actor: User, check: BackgroundCheck, kind: str, status: str, result: str = ""
) -> BackgroundCheckItem:
    """HR records one item's status and result. Refused before the candidate's consent and after a cancel."""
    require_recruiter(actor)
    require_application_access(actor, check.application)
    result = (result or "").strip()
    _validate_item(kind, status, result)
    locked = BackgroundCheck.objects.select_for_update().get(pk=check.pk)
    _require_started(locked)
    old = BackgroundCheckItem.objects.filter(check_request=locked, kind=kind).values_list("status", "result").first()
    item = _apply_items(locked, [(kind, status, result)])[0]
    if old is not None:
        audit_record(
            actor=actor, obj=item, action=AuditEntry.Action.UPDATE,
            changes={f: (o, n) for f, o, n in (("status", old[0], status), ("result", old[1], result)) if o != n},
        )
    check.refresh_from_db()
    return item


@transaction.atomic
def check_cancel(*, actor: User, check: BackgroundCheck) -> BackgroundCheck:
    """Stop a check that has not completed (the candidate withdrew, or it was requested by mistake)."""
    require_recruiter(actor)
    require_application_access(actor, check.application)
    locked = BackgroundCheck.objects.select_for_update().get(pk=check.pk)
    if locked.status in (BackgroundCheck.Status.COMPLETED, BackgroundCheck.Status.CANCELLED):
        raise Conflict(
            _("The check is already %(status)s.") % {"status": BackgroundCheck.Status(locked.status).label.lower()}
        )
    old = locked.status
    locked.status = BackgroundCheck.Status.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, obj=locked, action=AuditEntry.Action.UPDATE, changes={"status": (old, locked.status)})
    return locked


# The provider's webhook ---------------------------------------------------------------------------------


def signature_for(secret: str, body: bytes) -> str:
    """The header value a provider sends: `sha256=` and the HMAC-SHA256 of the raw body, in hex."""
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _verify(provider: CheckProvider, body: bytes, signature: str | None) -> None:
    if not signature:
        raise SignatureInvalid(_("The request is not signed (X-Signature-256 header missing)."))
    expected = signature_for(provider.secret, body).encode()
    if not hmac.compare_digest(expected, signature.strip().encode("utf-8", "replace")):
        raise SignatureInvalid(_("The signature does not match the body."))


def _parse_event(body: bytes) -> tuple[str, int, list[tuple[str, str, str]]]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationFailed(_("The body is not valid JSON.")) from exc
    if not isinstance(data, Mapping):
        raise ValidationFailed(_("The body must be a JSON object."))
    errors: dict[str, str] = {}
    event_id = data.get("event_id")
    if not isinstance(event_id, str | int) or isinstance(event_id, bool) or not str(event_id).strip():
        errors["event_id"] = _("Give the event's id.")
    elif len(str(event_id)) > 120:
        errors["event_id"] = _("The event id is longer than 120 characters.")
    check_id = data.get("check")
    if not isinstance(check_id, int) or isinstance(check_id, bool) or not 0 < check_id < 2**63:
        errors["check"] = _("Give the check's id (an integer).")
        check_id = 0
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        errors["items"] = _("Give a list of items, each with kind, status and result.")
        raw_items = []
    if errors:
        raise ValidationFailed(errors=errors)
    items: list[tuple[str, str, str]] = []
    for n, raw in enumerate(raw_items, start=1):
        if not isinstance(raw, Mapping):
            raise ValidationFailed(_("Item %(n)d is not an object.") % {"n": n}, field="items")
        kind, status, result = raw.get("kind"), raw.get("status"), raw.get("result") or ""
        if not isinstance(kind, str) or not isinstance(status, str) or not isinstance(result, str):
            raise ValidationFailed(_("Item %(n)d needs kind, status and result as text.") % {"n": n}, field="items")
        items.append((kind, status, result.strip()))
    return str(event_id).strip(), check_id, items


@transaction.atomic
def check_webhook(*, provider_slug: str, body: bytes, signature: str | None) -> WebhookOutcome:
    """A provider's result. The signature is verified before anything is read; an event id seen before is
    acknowledged and ignored; otherwise the items are applied, all or nothing."""
    provider = CheckProvider.objects.filter(slug=provider_slug).first()
    if provider is None:
        raise NotFound(_("No such check provider."))
    _verify(provider, body, signature)
    event_id, check_id, updates = _parse_event(body)
    for kind, status, result in updates:
        _validate_item(kind, status, result)
    try:
        with transaction.atomic():
            WebhookDelivery.objects.create(source=f"checks:{provider.slug}", event_id=event_id)
    except IntegrityError:
        return WebhookOutcome(check=None, duplicate=True)
    check = BackgroundCheck.objects.select_for_update().filter(pk=check_id).first()
    if check is None:
        raise NotFound(_("No such background check."))
    if check.provider_id != provider.pk:
        raise ValidationFailed(_("This background check is not assigned to this provider."), field="check")
    _require_started(check)
    _apply_items(check, updates)
    audit_record(
        actor=None, obj=check, action=AuditEntry.Action.UPDATE,
        changes={f"item:{kind}": ("", f"{status} ({provider.slug} event {event_id})") for kind, status, _r in updates},
    )
    return WebhookOutcome(check=check, duplicate=False)
