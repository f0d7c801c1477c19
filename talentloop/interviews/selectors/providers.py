"""Reads of the interview vendors: the providers (HR admins and recruiters), their recent webhook deliveries, the
webhook URL and a signed example request, and the sentences a vendor-scored report shows."""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from talentloop.core.access import HR_AND_RECRUITING, require_role
from talentloop.core.errors import NotFound
from talentloop.core.models import User
from talentloop.org.models import Competency

from .. import explain
from ..models import InterviewProvider, InterviewReport, InterviewSession, ProviderEvent
from ..services.providers import SIGNATURE_HEADER
from ..services.providers.setup import number

RECENT_EVENTS = 25


def provider_list(*, actor: User, active: bool | None = None) -> QuerySet[InterviewProvider]:
    """Every provider with how many interviews were linked to it and when it last delivered (one query)."""
    require_role(actor, HR_AND_RECRUITING)
    qs = InterviewProvider.objects.annotate(
        interview_count=Count("sessions", distinct=True), last_event_at=Max("events__created_at"),
    )
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("name", "id")


def provider_get(*, actor: User, slug: str) -> InterviewProvider:
    found = provider_list(actor=actor).filter(slug=str(slug)[:40]).first()
    if found is None:
        raise NotFound(_("No such interview provider."))
    return found


def provider_events(*, actor: User, provider: InterviewProvider) -> QuerySet[ProviderEvent]:
    """The provider's deliveries that passed the signature check, newest first."""
    require_role(actor, HR_AND_RECRUITING)
    return (
        ProviderEvent.objects.filter(provider=provider)
        .select_related("session__application__candidate")
        .order_by("-created_at", "-id")
    )


def active_providers() -> list[InterviewProvider]:
    return list(InterviewProvider.objects.filter(is_active=True).order_by("name", "id"))


def webhook_path(provider: InterviewProvider) -> str:
    return reverse("provider-webhook", kwargs={"slug": provider.slug})


def webhook_url(provider: InterviewProvider) -> str:
    """The address the vendor posts to: the site's public URL (TALENTLOOP_SITE_URL), not the one HR browses."""
    return settings.TALENTLOOP_SITE_URL.rstrip("/") + webhook_path(provider)


def example_body(provider: InterviewProvider, interview: int | None = None) -> str:
    """A delivery for the provider's mapping (its first two dimensions and one it does not map), compact JSON."""
    dimensions: list[dict[str, Any]] = []
    for row in (provider.mapping or [])[:2]:
        maximum = row.get("max") or 100
        dimensions.append({"name": row["dimension"], "score": number(round(0.8 * float(maximum), 1)), "max": maximum})
    dimensions = dimensions or [{"name": "Communication", "score": 8, "max": 10}]
    dimensions.append({"name": "Enthusiasm", "score": 4, "max": 5})
    body = {"event_id": "evt-0001", "interview": interview or 123, "dimensions": dimensions,
            "summary": "Clear, structured answers."}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def curl_example(provider: InterviewProvider, *, secret: str = "", interview: int | None = None) -> str:
    """A shell session that signs an example body with openssl and posts it: what a vendor's developer tries
    first. Without the secret a placeholder stands in for it."""
    secret_value = shlex.quote(secret) if secret else "'<the provider secret>'"
    return "\n".join([
        f"SECRET={secret_value}",
        f"BODY={shlex.quote(example_body(provider, interview))}",
        "SIG=$(printf '%s' \"$BODY\" | openssl dgst -sha256 -hmac \"$SECRET\" | awk '{print $NF}')",
        f"curl -sS -X POST {shlex.quote(webhook_url(provider))} \\",
        "  -H 'Content-Type: application/json' \\",
        f"  -H \"{SIGNATURE_HEADER}: sha256=$SIG\" \\",
        "  --data-binary \"$BODY\"",
    ])


def provider_interviews(*, provider: InterviewProvider, limit: int = 10) -> list[InterviewSession]:
    """The interviews most recently linked to the provider (HR gives the vendor their ids)."""
    return list(
        InterviewSession.objects.filter(provider=provider)
        .select_related("application__candidate", "application__job", "report")
        .order_by("-created_at", "-id")[:limit]
    )


# --- a vendor-scored report --------------------------------------------------------------------------------------


def _dimension_text(dimension: Mapping[str, Any]) -> str:
    return _("“%(dimension)s” %(score)s of %(max)s") % {
        "dimension": explain.shorten(str(dimension.get("name", "")), 60),
        "score": explain.number(dimension.get("score")), "max": explain.number(dimension.get("max")),
    }


def _joined(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    separator = "、" if explain.chinese() else ", "
    return _("%(items)s and %(last)s") % {"items": separator.join(items[:-1]), "last": items[-1]}


def provider_finding_sentence(
    *, name: str, score: float, required: int, dimensions: Sequence[Mapping[str, Any]], strength: bool
) -> str:
    """A strength or weakness of a vendor-scored report, citing the vendor's dimensions instead of the candidate's
    sentences: “Strong in Communication (80, required 70): the vendor rated “Communication” 8 of 10.”"""
    params = {"name": name, "score": explain.number(score), "required": explain.number(required),
              "dimensions": _joined([_dimension_text(d) for d in dimensions])}
    if strength:
        return _("Strong in %(name)s (%(score)s, required %(required)s): the vendor rated %(dimensions)s.") % params
    return _("Below the requirement in %(name)s (%(score)s, required %(required)s): the vendor rated "
             "%(dimensions)s.") % params


def provider_report_panel(session: InterviewSession) -> dict[str, Any] | None:
    """What the report page's vendor section shows (templates/interviews/providers/report_source.html): the
    vendor, its summary, every dimension with the competency it counted for (or why it did not count) and the
    competencies of the job it did not measure."""
    if session.provider_id is None:
        return None
    report = InterviewReport.objects.filter(session=session).first()
    names: dict[str, str] = {}
    codes = {str(d.get("competency")) for d in (report.provider_dimensions if report else []) if d.get("competency")}
    codes |= {str(c.get("code")) for c in (report.competencies if report else [])}
    if codes:
        names = {c.code: c.display_name for c in Competency.objects.filter(code__in=codes)}
    rows = []
    for item in (report.provider_dimensions if report else []) or []:
        code = item.get("competency")
        if item.get("scored"):
            counted = names.get(str(code), str(code))
        elif code:
            counted = _("not scored: %(competency)s is not in this job's competency model") % {
                "competency": names.get(str(code), str(code))}
        else:
            counted = _("not scored: the mapping does not list this dimension")
        rows.append({**item, "counted_for": counted, "scored": bool(item.get("scored"))})
    not_measured = [
        names.get(str(c.get("code")), str(c.get("code")))
        for c in (report.competencies if report else []) or [] if c.get("measured") is False
    ]
    return {
        "provider": session.provider, "report": report, "ready": report is not None and report.status == "ready",
        "summary": report.provider_summary if report else "", "dimensions": rows, "not_measured": not_measured,
    }
