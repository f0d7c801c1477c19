"""The vendor's webhook (docs/providers.md, "Webhook"): `provider_webhook_receive` checks the signature before
reading the body, keeps every signed delivery once per event id (applied or rejected, with the reason), and turns a
valid result into the interview's report: each dimension normalised to 0-100 through the provider's mapping, fused
onto the job's competency model like TalentLoop's own answer scores, and marked with its source.

A delivery that fails the signature (or names an unknown or inactive provider) stores nothing. A repeated event id
changes nothing, and a rejected delivery keeps its id (the vendor fixes the body and sends it with a new id). The
delivery is one transaction; the (provider, event_id) unique constraint settles a race between two copies."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentloop.assessment.interview import ScoredAnswer, fuse
from talentloop.core.errors import DomainError
from talentloop.core.models import AuditEntry
from talentloop.core.services import audit_record

from ...models import InterviewProvider, InterviewReport, InterviewSession, ProviderEvent
from ..generation import competency_model, fit_bands
from ..rules import Status
from .setup import MAX_DIMENSION, finite, number, positive, signature_for

SIGNATURE_HEADER = "X-Signature-256"
MAX_DIMENSIONS = 100
MAX_SUMMARY = 5000
MAX_EVENT_ID = 200
MAX_ERROR = 500
MAX_RAW_BODY_KEPT = 2000
DEFAULT_MAX = 100
NORMALISATION = ("score / max × 100 (max from the mapping, else the payload, else 100); a competency's score is "
                 "the mean of its dimensions")


class SignatureRejected(DomainError):
    """401: the delivery is not from the provider (or the provider is unknown or switched off)."""

    status_code = 401


@dataclass(frozen=True)
class Problem:
    """A reason a delivery was rejected, written in whichever language reads it (the vendor's response, HR's
    event list)."""

    message: Promise
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        return str(self.message) % dict(self.params) if self.params else str(self.message)


@dataclass(frozen=True)
class WebhookResult:
    status: str  # "applied" | "duplicate" | "rejected"
    event_id: str
    detail: str = ""
    event: ProviderEvent | None = None
    session_id: int | None = None
    report: InterviewReport | None = None
    original_status: str = ""  # a duplicate: what happened to the first delivery


@dataclass(frozen=True)
class Dimension:
    name: str
    score: float
    max: float
    max_source: str  # "mapping" | "payload" | "default"
    competency: str | None  # the mapped competency code, None when not mapped
    scored: bool  # counted in the scores: mapped onto a competency of the job's model

    @property
    def normalised(self) -> float:
        return self.score / self.max * 100

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "score": number(self.score), "max": number(self.max), "max_source": self.max_source,
            "normalised": round(self.normalised, 1), "competency": self.competency, "scored": self.scored,
        }


def _problem(message: Promise, **params: Any) -> Problem:
    return Problem(message, params)


def _detail(problems: Sequence[Problem]) -> str:
    return " ".join(problem.text() for problem in problems[:5])


def _stored_error(problems: Sequence[Problem]) -> str:
    # HR reads the event list in the site's language, whatever language the vendor's request asked for.
    with translation.override(settings.LANGUAGE_CODE):
        text = _detail(problems)
    return text if len(text) <= MAX_ERROR else text[: MAX_ERROR - 1] + "…"


def _verify(slug: str, body: bytes, signature: str | None) -> InterviewProvider:
    # Slugs are not secret (they are in the URL), so an unknown one may say so: it helps a vendor's typo.
    provider = InterviewProvider.objects.filter(slug=str(slug)[:40], is_active=True).first()
    given = str(signature or "").strip()
    if provider is None:
        raise SignatureRejected(
            _("No active interview provider “%(slug)s”: check the webhook URL, or ask HR to activate the provider.")
            % {"slug": str(slug)[:40]}
        )
    if not given:
        raise SignatureRejected(
            _("The %(header)s header is missing: send sha256=<hex>, the HMAC-SHA256 of the raw body with the "
              "provider's secret.") % {"header": SIGNATURE_HEADER}
        )
    # Hex is case-insensitive; compare as ASCII bytes so an odd header cannot raise instead of failing.
    expected = signature_for(provider.secret, body)
    if not hmac.compare_digest(expected.encode("ascii"), given.lower().encode("utf-8", "replace")):
        raise SignatureRejected(
            _("The signature does not match the body: sign the raw body, byte for byte as sent, with HMAC-SHA256 "
              "and the provider's secret.")
        )
    return provider


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _parse(body: bytes) -> tuple[Any, list[Problem]]:
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError):
        return None, [_problem(gettext_lazy("The body is not valid JSON (UTF-8)."))]
    if not isinstance(data, dict):
        return data, [_problem(gettext_lazy("The body must be a JSON object with event_id, interview and "
                                            "dimensions."))]
    return data, []


def _event_id(data: Any) -> tuple[str | None, list[Problem]]:
    if not isinstance(data, dict):
        return None, []  # the body itself is the problem, already named
    value = data.get("event_id")
    if value is None:
        return None, [_problem(gettext_lazy("event_id is missing: give every delivery its own event_id."))]
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > MAX_EVENT_ID:
        return None, [_problem(gettext_lazy("event_id must be a non-empty string of at most %(max)d characters."),
                               max=MAX_EVENT_ID)]
    return value.strip(), []


def _interview_id(data: dict[str, Any]) -> tuple[int | None, list[Problem]]:
    value = data.get("interview")
    if value is None:
        return None, [_problem(gettext_lazy("interview is missing: give the TalentLoop interview id you were given "
                                            "when the interview was linked to you."))]
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 2**63 - 1:
        return None, [_problem(gettext_lazy("interview must be the TalentLoop interview id (a whole number)."))]
    return value, []


def _dimensions(data: dict[str, Any], mapping: Sequence[Mapping[str, Any]],
                in_model: set[str]) -> tuple[list[Dimension], list[Problem]]:
    raw = data.get("dimensions")
    if not isinstance(raw, list) or not raw:
        return [], [_problem(gettext_lazy('dimensions must be a non-empty list of {"name", "score", "max"} '
                                          'objects.'))]
    if len(raw) > MAX_DIMENSIONS:
        return [], [_problem(gettext_lazy("At most %(max)d dimensions are accepted."), max=MAX_DIMENSIONS)]
    by_name = {str(row["dimension"]).casefold(): row for row in mapping}
    problems: list[Problem] = []
    found: list[Dimension] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            problems.append(_problem(gettext_lazy("dimensions[%(n)d] must be an object with name, score and max."),
                                     n=index))
            continue
        name = item.get("name")
        name = " ".join(name.split()) if isinstance(name, str) else ""
        if not name or len(name) > MAX_DIMENSION:
            problems.append(_problem(gettext_lazy("dimensions[%(n)d]: name must be a non-empty string of at most "
                                                  "%(max)d characters."), n=index, max=MAX_DIMENSION))
            continue
        if name.casefold() in seen:
            problems.append(_problem(gettext_lazy("dimensions[%(n)d]: “%(name)s” is sent twice (names are compared "
                                                  "without case)."), n=index, name=name))
            continue
        seen.add(name.casefold())
        score, sent_max = finite(item.get("score")), positive(item.get("max"))
        if score is None:
            problems.append(_problem(gettext_lazy("dimensions[%(n)d] (“%(name)s”): score must be a number."),
                                     n=index, name=name))
            continue
        if item.get("max") is not None and sent_max is None:
            problems.append(_problem(gettext_lazy("dimensions[%(n)d] (“%(name)s”): max must be a positive number "
                                                  "or null."), n=index, name=name))
            continue
        row = by_name.get(name.casefold())
        if row is not None and row.get("max"):
            maximum, source = float(row["max"]), "mapping"
        elif sent_max is not None:
            maximum, source = sent_max, "payload"
        else:
            maximum, source = float(DEFAULT_MAX), "default"
        if not 0 <= score <= maximum:
            problems.append(_problem(gettext_lazy("dimensions[%(n)d] (“%(name)s”): score %(score)s is outside 0 to "
                                                  "%(max)s."), n=index, name=name, score=number(score),
                                     max=number(maximum)))
            continue
        competency = str(row["competency"]) if row is not None else None
        found.append(Dimension(
            name=name, score=score, max=maximum, max_source=source, competency=competency,
            scored=competency is not None and competency in in_model,
        ))
    summary = data.get("summary")
    if summary is not None and (not isinstance(summary, str) or len(summary) > MAX_SUMMARY):
        problems.append(_problem(gettext_lazy("summary must be a string of at most %(max)d characters."),
                                 max=MAX_SUMMARY))
    return found, problems


def _payload_of(data: Any, body: bytes) -> dict[str, Any]:
    if isinstance(data, dict):
        return data
    return {"body": body[:MAX_RAW_BODY_KEPT].decode("utf-8", "replace")}


def _store_rejected(provider: InterviewProvider, event_id: str, session: InterviewSession | None, payload: Any,
                    problems: Sequence[Problem]) -> ProviderEvent | None:
    try:
        with transaction.atomic():
            return ProviderEvent.objects.create(
                provider=provider, event_id=event_id, session=session, payload=payload,
                status=ProviderEvent.Status.REJECTED, error=_stored_error(problems),
            )
    except IntegrityError:
        return None  # the same delivery, rejected already (or a copy racing this one)


def _seen(provider: InterviewProvider, event_id: str) -> ProviderEvent | None:
    """The first delivery of this event id. Only a shortcut: two copies arriving together may both miss it, and
    then the unique constraint decides (see _apply)."""
    return ProviderEvent.objects.filter(provider=provider, event_id=event_id).first()


def provider_webhook_receive(*, slug: str, body: bytes, signature: str | None) -> WebhookResult:
    """One delivery of a vendor's result. Raises SignatureRejected (401, nothing stored); otherwise returns what
    was done: "applied" (the report is ready), "duplicate" (the event id was seen before: nothing changed) or
    "rejected" (the body breaks a rule; the event is kept with the reason, `detail` says it)."""
    provider = _verify(slug, body, signature)
    data, problems = _parse(body)
    event_id, id_problems = _event_id(data)
    problems += id_problems
    if event_id is not None:
        first = _seen(provider, event_id)
        if first is not None:
            return WebhookResult(status="duplicate", event_id=event_id, event=first, session_id=first.session_id,
                                 original_status=first.status)
    # A body without a usable event id is kept under one made from its bytes: resending it is not stored twice.
    key = event_id or "body-sha256:" + hashlib.sha256(body).hexdigest()
    session: InterviewSession | None = None
    dimensions: list[Dimension] = []
    if not problems:
        interview, interview_problems = _interview_id(data)
        problems += interview_problems
        if interview is not None:
            session = (
                InterviewSession.objects.select_related("application__job")
                .filter(pk=interview, provider=provider).first()
            )
            if session is None:
                problems.append(_problem(gettext_lazy("Interview %(id)s does not exist or is not linked to this "
                                                      "provider."), id=interview))
        model_codes = {item.code for item in competency_model(session.application.job)} if session else set()
        dimensions, dimension_problems = _dimensions(data, provider.mapping or [], model_codes)
        problems += dimension_problems
        if session is not None and not problems and not any(d.scored for d in dimensions):
            problems.append(_problem(
                gettext_lazy("None of the dimensions (%(names)s) is mapped onto a competency of the job's "
                             "competency model. HR maps them on the provider's page; then send the result again "
                             "with a new event_id."),
                names=", ".join(d.name for d in dimensions),
            ))
    if problems:
        return _rejected(provider, key, session, _payload_of(data, body), problems)
    assert session is not None
    return _apply(provider, key, session, data, dimensions)


def _rejected(provider: InterviewProvider, key: str, session: InterviewSession | None, payload: Any,
              problems: Sequence[Problem]) -> WebhookResult:
    event = _store_rejected(provider, key, session, payload, problems)
    return WebhookResult(status="rejected", event_id=key, detail=_detail(problems), event=event,
                         session_id=session.pk if session else None)


def _apply(provider: InterviewProvider, event_id: str, session: InterviewSession, data: dict[str, Any],
           dimensions: Sequence[Dimension]) -> WebhookResult:
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = ProviderEvent.objects.create(
                    provider=provider, event_id=event_id, session=session, payload=data,
                    status=ProviderEvent.Status.APPLIED,
                )
        except IntegrityError:
            # A copy of this delivery got in first (a vendor retrying while the first attempt was still running).
            first = ProviderEvent.objects.filter(provider=provider, event_id=event_id).first()
            return WebhookResult(status="duplicate", event_id=event_id, event=first, session_id=session.pk,
                                 original_status=first.status if first else "")
        session = (
            InterviewSession.objects.select_for_update(of=("self",)).select_related("application__job").get(pk=session.pk)
        )
        report, _created = InterviewReport.objects.get_or_create(session=session)
        report = InterviewReport.objects.select_for_update().get(pk=report.pk)
        problem = _state_problem(session, report)
        if problem is not None:
            event.status, event.error = ProviderEvent.Status.REJECTED, _stored_error([problem])
            event.save(update_fields=["status", "error", "updated_at"])
            return WebhookResult(status="rejected", event_id=event_id, detail=_detail([problem]), event=event,
                                 session_id=session.pk)
        _write_report(report, provider, event_id, session, str(data.get("summary") or ""), dimensions)
        if session.status != Status.COMPLETED:
            old = session.status
            session.status, session.completed_at = Status.COMPLETED, timezone.now()
            session.save(update_fields=["status", "completed_at", "updated_at"])
            audit_record(actor=None, obj=session, action=AuditEntry.Action.UPDATE,
                         changes={"status": (old, session.status)})
    return WebhookResult(status="applied", event_id=event_id, event=event, session_id=session.pk, report=report)


def _state_problem(session: InterviewSession, report: InterviewReport) -> Problem | None:
    if session.status == Status.CANCELLED:
        return _problem(gettext_lazy("Interview %(id)s was cancelled in TalentLoop; its result is not accepted."),
                        id=session.pk)
    if report.feedback_released_at is not None:
        return _problem(gettext_lazy("The feedback of interview %(id)s has been released to the candidate; its "
                                     "result can no longer change."), id=session.pk)
    if session.status not in (Status.IN_PROGRESS, Status.COMPLETED):
        return _problem(gettext_lazy("Interview %(id)s is not waiting for a vendor's result (%(status)s)."),
                        id=session.pk, status=session.status)
    return None


def _write_report(report: InterviewReport, provider: InterviewProvider, event_id: str, session: InterviewSession,
                  summary: str, dimensions: Sequence[Dimension]) -> None:
    """The vendor's mapped scores fused like TalentLoop's answer scores: each scored dimension is one "answer"
    of its competency (so several dimensions of one competency are averaged), the overall score and fit level
    over the competencies the vendor measured. The model's other competencies are listed as not measured."""
    model = competency_model(session.application.job)
    measured = {d.competency for d in dimensions if d.scored}
    scored = [
        ScoredAnswer(position=index, competency=str(d.competency), score=d.normalised, evidence=())
        for index, d in enumerate(dimensions, start=1) if d.scored
    ]
    result = fuse(answers=scored, model=[m for m in model if m.code in measured], bands=fit_bands())
    doc = result.to_dict()
    cited: dict[str, list[dict[str, Any]]] = {code: [] for code in measured if code}
    for d in dimensions:
        if d.scored and d.competency:
            cited[d.competency].append(d.to_dict())
    fused = {item["code"]: item for item in doc["competencies"]}
    competencies = []
    for item in model:
        if item.code in fused:
            competencies.append({**fused[item.code], "measured": True, "dimensions": cited[item.code]})
        else:
            competencies.append({
                "code": item.code, "score": None, "required_score": item.required_score, "weight": float(item.weight),
                "answers": 0, "evidence": [], "missing_key_points": [], "measured": False, "dimensions": [],
            })
    engine = doc["engine"]
    engine["provider"] = {"slug": provider.slug, "name": provider.name, "event_id": event_id}
    engine["normalisation"] = NORMALISATION
    engine["mapping"] = list(provider.mapping or [])
    engine["not_measured"] = [item.code for item in model if item.code not in measured]
    old = (report.status, report.overall_score, report.fit_level)
    report.overall_score = float(doc["overall_score"])
    report.fit_level = str(doc["fit_level"])
    report.competencies = competencies
    report.strengths = [{**item, "dimensions": cited[item["code"]]} for item in doc["strengths"]]
    report.weaknesses = [{**item, "dimensions": cited[item["code"]]} for item in doc["weaknesses"]]
    report.engine = engine
    report.source, report.provider = "provider", provider
    report.provider_summary = summary.strip()
    report.provider_dimensions = [d.to_dict() for d in dimensions]
    report.status, report.built_at = InterviewReport.Status.READY, timezone.now()
    report.save()
    audit_record(actor=None, obj=report, action=AuditEntry.Action.UPDATE, changes={
        "status": (old[0], report.status), "overall_score": (old[1], report.overall_score),
        "fit_level": (old[2], report.fit_level), "source": ("", f"provider:{provider.slug}:{event_id}"),
    })
