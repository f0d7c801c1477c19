"""Setting vendors up (HR admins: slug, name, webhook secret, the mapping of the vendor's dimensions onto our
competencies) and linking an application's next interview round to one (HR and recruiters)."""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
import secrets
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentloop.core.access import HR, require_role
from talentloop.core.errors import Conflict, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record
from talentloop.org.models import Competency
from talentloop.recruiting.access import require_application_access, require_recruiter
from talentloop.recruiting.models import Application, Stage
from talentloop.recruiting.services.pipeline import application_transition

from ...models import InterviewProvider, InterviewReport, InterviewSession, QuestionLanguage
from ..rules import Status, check_invitable, expiry_days_default

SIGNATURE_PREFIX = "sha256="
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
RESERVED_SLUGS = frozenset({"new"})  # a page address under /interviews/providers/
SECRET_PATTERN = re.compile(r"^[\x21-\x7e]{16,200}$")  # printable ASCII without spaces: safe in a shell
SECRET_MIN, SECRET_MAX = 16, 200
MAX_NAME = 120
MAX_DIMENSION = 120
MAX_MAPPING_ROWS = 50
HIDDEN = "********"  # what the audit log shows of a secret
# Stages before the AI interview: linking a vendor interview moves the application on, as an invitation does.
BEFORE_INTERVIEW: frozenset[str] = frozenset({Stage.APPLIED, Stage.SCREENING})


# --- set-up (HR admins) --------------------------------------------------------------------------------------


def secret_generate() -> str:
    return secrets.token_urlsafe(32)


def signature_for(secret: str, body: bytes) -> str:
    """The `X-Signature-256` header value a vendor sends with `body`."""
    return SIGNATURE_PREFIX + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def number(value: Any) -> int | float:
    """A JSON number as people write it: 10 rather than 10.0."""
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else as_float


def finite(value: Any) -> float | None:
    """A JSON number (not a boolean, not NaN or infinite) as a float; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def positive(value: Any) -> float | None:
    found = finite(value)
    return found if found is not None and found > 0 else None


def mapping_clean(raw: Any) -> list[dict[str, Any]]:
    """The mapping as stored: [{"dimension", "competency", "max"}]. Every problem is named by its row (1-based)
    in one ValidationFailed on the field "mapping"."""
    if raw is None:
        return []
    if not isinstance(raw, list | tuple):
        raise ValidationFailed(_("The mapping is a list of rows {dimension, competency, max}."), field="mapping")
    if len(raw) > MAX_MAPPING_ROWS:
        raise ValidationFailed(_("A mapping has at most %(max)d rows.") % {"max": MAX_MAPPING_ROWS}, field="mapping")
    codes = {
        str(row.get("competency")).strip() for row in raw
        if isinstance(row, Mapping) and isinstance(row.get("competency"), str)
    }
    known = set(Competency.objects.filter(code__in=codes).values_list("code", flat=True))
    problems: list[str] = []
    seen: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    for index, row in enumerate(raw, start=1):
        params: dict[str, Any] = {"n": index}
        if not isinstance(row, Mapping):
            problems.append(_("Row %(n)d: give a dimension, a competency and a maximum.") % params)
            continue
        dimension = row.get("dimension")
        dimension = " ".join(dimension.split()) if isinstance(dimension, str) else ""
        competency = row.get("competency")
        competency = competency.strip() if isinstance(competency, str) else ""
        maximum = row.get("max")
        if not dimension:
            problems.append(_("Row %(n)d: the vendor's dimension name is empty.") % params)
        elif len(dimension) > MAX_DIMENSION:
            problems.append(_("Row %(n)d: keep the dimension name under %(max)d characters.")
                            % {**params, "max": MAX_DIMENSION})
        elif dimension.casefold() in seen:
            problems.append(_("Row %(n)d: “%(dimension)s” is already mapped in row %(first)d (names are compared "
                              "without case).") % {**params, "dimension": dimension,
                                                   "first": seen[dimension.casefold()]})
        else:
            seen[dimension.casefold()] = index
        if not competency:
            problems.append(_("Row %(n)d: choose the competency the dimension measures.") % params)
        elif competency not in known:
            problems.append(_("Row %(n)d: there is no competency with the code “%(code)s”.")
                            % {**params, "code": competency})
        if maximum is not None and maximum != "" and positive(maximum) is None:
            problems.append(_("Row %(n)d: the maximum is a positive number, or empty to take the one sent with "
                              "each score.") % params)
        rows.append({
            "dimension": dimension, "competency": competency,
            "max": number(maximum) if positive(maximum) is not None else None,
        })
    if problems:
        raise ValidationFailed(errors={"mapping": problems})
    return rows


def _check_name(name: Any) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationFailed(_("Give the vendor's name."), field="name")
    if len(name) > MAX_NAME:
        raise ValidationFailed(_("Keep the name under %(max)d characters.") % {"max": MAX_NAME}, field="name")
    return name


def _check_secret(secret: Any) -> str:
    secret = str(secret or "")
    if not SECRET_PATTERN.fullmatch(secret):
        raise ValidationFailed(
            _("The secret is %(min)d to %(max)d characters: letters, digits and punctuation, no spaces.")
            % {"min": SECRET_MIN, "max": SECRET_MAX},
            field="secret",
        )
    return secret


def _mapping_audit(mapping: Sequence[Mapping[str, Any]]) -> str:
    return json.dumps(list(mapping), ensure_ascii=False, sort_keys=True)


@transaction.atomic
def provider_create(
    *,
    actor: User,
    slug: str,
    name: str,
    secret: str | None = None,
    mapping: Sequence[Mapping[str, Any]] | None = None,
    is_active: bool = True,
) -> InterviewProvider:
    """A new vendor. Without a secret one is generated; the caller shows it once (it is never shown again)."""
    require_role(actor, HR)
    slug = str(slug or "").strip()
    if slug in RESERVED_SLUGS:
        raise ValidationFailed(_("“%(slug)s” is reserved; choose another slug.") % {"slug": slug}, field="slug")
    if not SLUG_PATTERN.fullmatch(slug):
        raise ValidationFailed(
            _("Use 1 to 40 lowercase letters, digits, hyphens or underscores, starting with a letter or digit "
              "(the slug is part of the webhook URL)."),
            field="slug",
        )
    if InterviewProvider.objects.filter(slug=slug).exists():
        raise ValidationFailed(_("A provider with the slug “%(slug)s” exists already.") % {"slug": slug},
                               field="slug")
    name = _check_name(name)
    secret = secret_generate() if secret in (None, "") else _check_secret(secret)
    rows = mapping_clean(mapping)
    provider = InterviewProvider.objects.create(
        slug=slug, name=name, secret=secret, mapping=rows, is_active=bool(is_active)
    )
    audit_record(actor=actor, obj=provider, action=AuditEntry.Action.CREATE, changes={
        "slug": ("", slug), "name": ("", name), "secret": ("", HIDDEN), "mapping": ("", _mapping_audit(rows)),
        "is_active": ("", provider.is_active),
    })
    return provider


@transaction.atomic
def provider_update(*, actor: User, provider: InterviewProvider, changes: Mapping[str, Any]) -> InterviewProvider:
    """Change the name, mapping, active flag or secret. The slug is fixed: the vendor calls a URL made of it."""
    require_role(actor, HR)
    provider = InterviewProvider.objects.select_for_update().get(pk=provider.pk)
    if "slug" in changes and str(changes["slug"] or "").strip() != provider.slug:
        raise ValidationFailed(
            _("The slug cannot be changed: the vendor calls the webhook URL made of it. Create a new provider "
              "instead."),
            field="slug",
        )
    audit: dict[str, tuple[Any, Any]] = {}
    if "name" in changes:
        name = _check_name(changes["name"])
        if name != provider.name:
            audit["name"] = (provider.name, name)
            provider.name = name
    if "mapping" in changes:
        rows = mapping_clean(changes["mapping"])
        if rows != provider.mapping:
            audit["mapping"] = (_mapping_audit(provider.mapping or []), _mapping_audit(rows))
            provider.mapping = rows
    if "is_active" in changes:
        active = bool(changes["is_active"])
        if active != provider.is_active:
            audit["is_active"] = (provider.is_active, active)
            provider.is_active = active
    if changes.get("secret") not in (None, ""):
        secret = _check_secret(changes["secret"])
        if secret != provider.secret:
            audit["secret"] = (HIDDEN, HIDDEN)
            provider.secret = secret
    if audit:
        provider.save()
        audit_record(actor=actor, obj=provider, action=AuditEntry.Action.UPDATE, changes=audit)
    return provider


@transaction.atomic
def provider_secret_rotate(*, actor: User, provider: InterviewProvider) -> InterviewProvider:
    """A new generated secret; the old one stops working at once. The caller shows the new one once."""
    return provider_update(actor=actor, provider=provider, changes={"secret": secret_generate()})


@transaction.atomic
def provider_delete(*, actor: User, provider: InterviewProvider) -> None:
    """Delete a provider no interview was linked to (its deliveries go with it); otherwise deactivate it."""
    require_role(actor, HR)
    linked = InterviewSession.objects.filter(provider=provider).count()
    if linked:
        raise Conflict(
            _("“%(name)s” is linked to %(n)d interview(s), whose reports cite it. Deactivate it instead.")
            % {"name": provider.name, "n": linked}
        )
    audit_record(actor=actor, obj=provider, action=AuditEntry.Action.DELETE, changes={"slug": (provider.slug, "")})
    provider.delete()


# --- linking an interview (HR and recruiters) ------------------------------------------------------------------


def _language(application: Application, language: str | None) -> str:
    if language in (None, ""):
        own = application.candidate.language
        return own if own in QuestionLanguage.values else settings.LANGUAGE_CODE
    if language not in QuestionLanguage.values:
        raise ValidationFailed(
            _("Choose the interview language: %(choices)s.") % {"choices": ", ".join(QuestionLanguage.values)},
            field="language",
        )
    return str(language)


@transaction.atomic
def provider_interview_create(
    *, actor: User, application: Application, provider: str | InterviewProvider, language: str | None = None
) -> InterviewSession:
    """The application's next interview round, run by the vendor: a session with no questions (its link is never
    sent: the vendor invites the candidate) and its report, in progress until the vendor's result arrives. The
    same rules as an invitation: HR and recruiters with access, the application open, no other open interview."""
    require_recruiter(actor)
    require_application_access(actor, application)
    slug = provider.slug if isinstance(provider, InterviewProvider) else str(provider or "").strip()
    found = InterviewProvider.objects.filter(slug=slug).first() if slug else None
    if found is None:
        raise ValidationFailed(_("There is no interview provider “%(slug)s”.") % {"slug": slug}, field="provider")
    if not found.is_active:
        raise ValidationFailed(
            _("The provider “%(name)s” is switched off; activate it first.") % {"name": found.name}, field="provider"
        )
    application = Application.objects.select_for_update(of=("self",)).select_related("job", "candidate").get(
        pk=application.pk
    )
    language = _language(application, language)
    now = timezone.now()
    check_invitable(application, now)
    last_round = (
        InterviewSession.objects.filter(application=application).order_by("-round").values_list("round", flat=True)
        .first()
    )
    session = InterviewSession.objects.create(
        application=application, round=(last_round or 0) + 1, token=secrets.token_urlsafe(32), language=language,
        status=Status.IN_PROGRESS, started_at=now, expires_at=now + timedelta(days=expiry_days_default()),
        invited_by=actor, provider=found,
        generator={"name": "provider", "version": "1.0", "seed": None, "parameters": {"provider": found.slug}},
    )
    InterviewReport.objects.create(session=session, source="provider", provider=found)
    audit_record(actor=actor, obj=session, action=AuditEntry.Action.CREATE, changes={
        "application": ("", application), "round": ("", session.round), "language": ("", language),
        "provider": ("", found.slug),
    })
    if application.stage in BEFORE_INTERVIEW:
        application_transition(
            actor=actor, application=application, to=Stage.AI_INTERVIEW,
            reason=_("Interview round %(round)d linked to %(provider)s.") % {"round": session.round,
                                                                           "provider": found.name},
        )
    return session


