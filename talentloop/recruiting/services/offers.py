"""Offers: written from the letter template in the candidate's language, sent with a secret link, and accepted
or declined by the candidate through it (or recorded by HR when the candidate answers another way)."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from talentloop.core.access import HR_AND_RECRUITING, has_role
from talentloop.core.errors import Conflict, NotFound, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record
from talentloop.org.models import JobLevel

from ..access import applications_in_reach, require_application_access, require_recruiter
from ..models import Application, Offer, OfferTemplate, Stage
from .checks import absolute_link, candidate_language, company_name, is_before
from .pipeline import CLOSED, application_transition, render_template

DEFAULT_VALID_DAYS = 7
MAX_VALID_DAYS = 60
MAX_SALARY = Decimal("99999999.99")  # the column holds 10 digits, 2 after the point
OPEN_STATUSES = (Offer.Status.DRAFT, Offer.Status.SENT)


# Reads -------------------------------------------------------------------------------------------------


def offer_list(*, user: User, application: int | None = None, status: str | None = None) -> QuerySet[Offer]:
    """Offers of the applications the user may see (HR, recruiters, a hiring manager for their jobs)."""
    qs = Offer.objects.filter(application__in=applications_in_reach(user)).select_related(
        "level", "application__candidate", "application__job"
    )
    if application is not None:
        qs = qs.filter(application_id=application)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def offer_get(*, user: User, pk: int) -> Offer:
    offer = offer_list(user=user).filter(pk=pk).first()
    if offer is None:
        raise NotFound(_("No such offer, or you may not see it."))
    return offer


def offer_by_token(*, token: str) -> Offer:
    """The sent offer a candidate's link points to (a draft has no working link yet)."""
    offer = None
    if token:
        offer = (
            Offer.objects.select_related("level", "application__candidate", "application__job")
            .filter(token=token).exclude(status=Offer.Status.DRAFT).first()
        )
    if offer is None:
        raise NotFound(_("This link is not valid. Please use the link from your email, or contact us."))
    return offer


def offer_is_expired(offer: Offer, now: dt.datetime | None = None) -> bool:
    return offer.expires_at is not None and (now or timezone.now()) > offer.expires_at


# Writes ------------------------------------------------------------------------------------------------


def _respond_by(days: int) -> dt.datetime:
    """The end of the local day `days` from today: a candidate told "by 8 March" has all of 8 March."""
    last_day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(last_day, dt.time(23, 59, 59)))


def offer_letter_render(*, offer: Offer, respond_by: dt.datetime) -> str:
    """The letter from the template of the candidate's language (falling back to the site's language)."""
    candidate = offer.application.candidate
    language = candidate_language(candidate.language)
    template = (
        OfferTemplate.objects.filter(language=language).first()
        or OfferTemplate.objects.filter(language=settings.LANGUAGE_CODE).first()
        or OfferTemplate.objects.order_by("language").first()
    )
    if template is None:
        raise Conflict(_("There is no offer letter template. Add one in the admin first."))
    with translation.override(language):
        context: dict[str, Any] = {
            "candidate": candidate.name or candidate.email,
            "title": offer.title,
            "level": offer.level.display_name if offer.level else "—",
            "salary": f"{offer.salary:,.2f}",
            "start_date": formats.date_format(offer.start_date, "DATE_FORMAT"),
            "company": company_name(),
            "respond_by": formats.date_format(timezone.localdate(respond_by), "DATE_FORMAT"),
        }
        return render_template(template.body, context)


def _clean_salary(value: Any) -> Decimal:
    try:
        salary = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(_("Enter the salary as a number."), field="salary") from exc
    if not salary.is_finite() or salary <= 0:
        raise ValidationFailed(_("The salary must be more than 0."), field="salary")
    if salary > MAX_SALARY or salary != salary.quantize(Decimal("0.01")):
        raise ValidationFailed(_("Enter a salary below 100,000,000 with at most 2 decimals."), field="salary")
    return salary


def _future_start(start_date: dt.date | None) -> dt.date:
    if start_date is None:
        raise ValidationFailed(_("Give the start date."), field="start_date")
    if start_date < timezone.localdate():
        raise ValidationFailed(_("The start date is in the past."), field="start_date")
    return start_date


@transaction.atomic
def offer_create(
    *, actor: User, application: Application, title: str, salary: Any, start_date: dt.date | None,
    level: JobLevel | None = None,
) -> Offer:
    """A draft offer with its letter. One open or accepted offer per application at a time."""
    require_recruiter(actor)
    require_application_access(actor, application)
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("candidate", "job").get(pk=application.pk)
    )
    title = (title or "").strip()
    errors: dict[str, list[Any]] = {}
    if not title:
        errors["title"] = [_("Give the position title.")]
    elif len(title) > 120:
        errors["title"] = [_("Keep the title under 120 characters.")]
    clean_salary, clean_start = Decimal(0), timezone.localdate()
    try:
        clean_salary = _clean_salary(salary)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    try:
        clean_start = _future_start(start_date)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors=errors)
    if application.stage in CLOSED:
        raise Conflict(
            _("The application is closed (%(stage)s); no offer can be made.")
            % {"stage": Stage(application.stage).label}
        )
    if application.offers.filter(status__in=(*OPEN_STATUSES, Offer.Status.ACCEPTED)).exists():
        raise Conflict(_("This application already has an open or accepted offer. Withdraw it first."))
    offer = Offer(
        application=application, title=title, level=level if level is not None else application.job.level,
        salary=clean_salary, start_date=clean_start, token=secrets.token_urlsafe(32),
    )
    offer.letter = offer_letter_render(offer=offer, respond_by=_respond_by(DEFAULT_VALID_DAYS))
    offer.save()
    audit_record(actor=actor, obj=offer, action=AuditEntry.Action.CREATE)
    return offer


def _locked(offer: Offer) -> Offer:
    related = ("level", "application__candidate", "application__job")
    return Offer.objects.select_for_update(of=("self",)).select_related(*related).get(pk=offer.pk)


@transaction.atomic
def offer_send(*, actor: User, offer: Offer, valid_days: int = DEFAULT_VALID_DAYS, site_url: str = "") -> Offer:
    """Send a draft: it gets its answer deadline, the application moves to the offer stage, and the candidate
    is emailed the link after commit."""
    require_recruiter(actor)
    require_application_access(actor, offer.application)
    offer = _locked(offer)
    if offer.status != Offer.Status.DRAFT:
        raise Conflict(
            _("This offer was already sent (it is %(status)s).") % {"status": Offer.Status(offer.status).label.lower()}
        )
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        raise ValidationFailed(
            _("The candidate needs between 1 and %(max)d days to answer.") % {"max": MAX_VALID_DAYS},
            field="valid_days",
        )
    _future_start(offer.start_date)
    application = offer.application
    if application.stage in CLOSED:
        raise Conflict(
            _("The application is closed (%(stage)s); the offer cannot be sent.")
            % {"stage": Stage(application.stage).label}
        )
    offer.expires_at = _respond_by(valid_days)
    offer.letter = offer_letter_render(offer=offer, respond_by=offer.expires_at)
    offer.status, offer.sent_at = Offer.Status.SENT, timezone.now()
    offer.save(update_fields=["expires_at", "letter", "status", "sent_at", "updated_at"])
    audit_record(
        actor=actor, obj=offer, action=AuditEntry.Action.UPDATE, changes={"status": (Offer.Status.DRAFT, offer.status)}
    )
    if is_before(application.stage, Stage.OFFER):
        application_transition(actor=actor, application=application, to=Stage.OFFER)
    offer_id = offer.pk
    transaction.on_commit(lambda: offer_email_send(offer_id=offer_id, site_url=site_url))
    return offer


def offer_email_send(*, offer_id: int, site_url: str = "") -> bool:
    """Email the candidate the link to their offer, in their language. False when they have no email."""
    offer = Offer.objects.select_related("application__candidate", "application__job").get(pk=offer_id)
    candidate = offer.application.candidate
    if not candidate.email or offer.expires_at is None:
        return False
    link = absolute_link(site_url, reverse("careers:offer_respond", args=[offer.token]))
    with translation.override(candidate_language(candidate.language)):
        params = {
            "candidate": candidate.name or candidate.email, "company": company_name(), "title": offer.title,
            "link": link, "date": formats.date_format(timezone.localdate(offer.expires_at), "DATE_FORMAT"),
        }
        subject = _("%(company)s: your offer for %(title)s") % params
        body = _(
            "Dear %(candidate)s,\n\nWe are happy to offer you the position of %(title)s. Read the offer and accept "
            "or decline it here by %(date)s:\n\n%(link)s\n\nThe %(company)s recruiting team"
        ) % params
    send_mail(subject, body, None, [candidate.email])
    return True


def require_answerable(offer: Offer, *, by_candidate: bool) -> None:
    """Conflict unless the offer can still be answered: not withdrawn, not answered and, through the candidate's
    link, not past its deadline."""
    if offer.status == Offer.Status.WITHDRAWN:
        raise Conflict(_("This offer was withdrawn."))
    if offer.status in (Offer.Status.ACCEPTED, Offer.Status.DECLINED):
        status = Offer.Status(offer.status).label.lower()
        if by_candidate:
            raise Conflict(_("You already answered this offer: %(status)s.") % {"status": status})
        raise Conflict(_("The offer was already answered: %(status)s.") % {"status": status})
    if by_candidate and offer.expires_at is not None and timezone.now() > offer.expires_at:
        date = formats.date_format(timezone.localdate(offer.expires_at), "DATE_FORMAT")
        raise Conflict(
            _("This offer expired on %(date)s. Please contact us if you are still interested.") % {"date": date}
        )


@transaction.atomic
def offer_respond(*, token: str, accept: bool) -> Offer:
    """The candidate accepts or declines through their link: once, before the deadline, unless withdrawn."""
    offer = _locked(offer_by_token(token=token))
    require_answerable(offer, by_candidate=True)
    offer.status = Offer.Status.ACCEPTED if accept else Offer.Status.DECLINED
    offer.responded_at = timezone.now()
    offer.response_note = _("the candidate, through the offer link")
    offer.save(update_fields=["status", "responded_at", "response_note", "updated_at"])
    audit_record(
        actor=None, obj=offer, action=AuditEntry.Action.UPDATE, changes={"status": (Offer.Status.SENT, offer.status)}
    )
    return offer


@transaction.atomic
def _offer_record_answer(*, actor: User, offer: Offer, accept: bool, note: str = "") -> Offer:
    require_recruiter(actor)
    require_application_access(actor, offer.application)
    note = (note or "").strip()
    if len(note) > 150:
        raise ValidationFailed(_("Keep the note under 150 characters."), field="note")
    offer = _locked(offer)
    require_answerable(offer, by_candidate=False)
    old = offer.status
    offer.status = Offer.Status.ACCEPTED if accept else Offer.Status.DECLINED
    offer.responded_at = timezone.now()
    offer.response_note = f"{actor}: {note}" if note else str(actor)
    offer.save(update_fields=["status", "responded_at", "response_note", "updated_at"])
    audit_record(actor=actor, obj=offer, action=AuditEntry.Action.UPDATE, changes={"status": (old, offer.status)})
    return offer


def offer_record_acceptance(*, actor: User, offer: Offer, note: str = "") -> Offer:
    """HR records that the candidate accepted (by phone, in writing...): allowed for a draft or sent offer,
    also after the link's deadline (HR decides whether a late answer still stands)."""
    return _offer_record_answer(actor=actor, offer=offer, accept=True, note=note)


def offer_record_decline(*, actor: User, offer: Offer, note: str = "") -> Offer:
    """HR records that the candidate declined."""
    return _offer_record_answer(actor=actor, offer=offer, accept=False, note=note)


@transaction.atomic
def offer_withdraw(*, actor: User, offer: Offer) -> Offer:
    """Take back an offer the candidate has not accepted; its link then shows that it was withdrawn."""
    require_recruiter(actor)
    require_application_access(actor, offer.application)
    offer = _locked(offer)
    if offer.status not in OPEN_STATUSES:
        raise Conflict(
            _("Only a draft or sent offer can be withdrawn; this one is %(status)s.")
            % {"status": Offer.Status(offer.status).label.lower()}
        )
    old = offer.status
    offer.status = Offer.Status.WITHDRAWN
    offer.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, obj=offer, action=AuditEntry.Action.UPDATE, changes={"status": (old, offer.status)})
    return offer


def accepted_offer(application: Application) -> Offer | None:
    """The application's accepted offer (the newest, should there ever be several)."""
    return (
        Offer.objects.filter(application=application, status=Offer.Status.ACCEPTED)
        .select_related("level").order_by("-responded_at", "-id").first()
    )


def may_manage_offers(user: User) -> bool:
    return has_role(user, HR_AND_RECRUITING)


