"""Reads of 360° feedback, narrowed to what the asking user may see, with the raters' anonymity kept.

Who sees a request: HR all; a manager those about themself and their team; an employee those about themself;
anyone the requests they are invited to rate (for their own invitation only).

Results (aggregates) are for HR, the subject and the subject's managers: per competency and rater group, the
mean and the number of raters, with peer and report groups shown only when at least
TALENTLOOP_FEEDBACK_MIN_GROUP (default 3) of them rated (talentloop.assessment.feedback). No view but HR's
status list ever names a rater, and HR's raw answers leave out who the peers and reports were (and when they
answered, which HR's status list would otherwise give away)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from talentloop.assessment.feedback import ANONYMOUS, RELATIONS, Answer, aggregate, group_size
from talentloop.core.access import require_role, role_of
from talentloop.core.errors import NotFound, PermissionDenied
from talentloop.core.models import Role, User
from talentloop.org.models import Competency, Employee
from talentloop.org.selectors import team_ids_sql

from .feedback import feedback_competencies, feedback_may_manage
from .models import FeedbackAnswer, FeedbackInvitation, FeedbackRequest
from .selectors import MAX_ID, PERFORMANCE_ROLES, employee_of

Relation = FeedbackInvitation.Relation


def feedback_min_group() -> int:
    return max(1, int(getattr(settings, "TALENTLOOP_FEEDBACK_MIN_GROUP", 3)))


def _is_hr(user: User) -> bool:
    return role_of(user) == Role.HR_ADMIN


def feedback_request_visible(*, user: User) -> QuerySet[FeedbackRequest]:
    require_role(user, PERFORMANCE_ROLES)
    base = FeedbackRequest.objects.all()
    if _is_hr(user):
        return base
    me = employee_of(user)
    if me is None:
        return base.none()
    seen = Q(subject_id=me.pk) | Q(pk__in=FeedbackInvitation.objects.filter(rater_id=me.pk).values("request_id"))
    if role_of(user) == Role.HIRING_MANAGER:
        seen |= Q(subject_id__in=team_ids_sql(me.pk))
    return base.filter(seen)


def feedback_request_list(
    *, user: User, cycle: int | None = None, subject: int | None = None, status: str | None = None
) -> QuerySet[FeedbackRequest]:
    """Visible requests with cycle, subject and invitations loaded: three queries a page."""
    qs = feedback_request_visible(user=user).select_related("cycle", "subject").prefetch_related(
        Prefetch("invitations", queryset=FeedbackInvitation.objects.select_related("rater").order_by("relation", "id"))
    )
    if cycle is not None:
        qs = qs.filter(cycle_id=cycle)
    if subject is not None:
        qs = qs.filter(subject_id=subject)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def feedback_request_get(*, user: User, pk: int) -> FeedbackRequest:
    request = feedback_request_list(user=user).filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if request is not None:
        return request
    if 0 < pk <= MAX_ID and FeedbackRequest.objects.filter(pk=pk).exists():
        raise PermissionDenied(_("You do not have permission to see this 360° request."))
    raise NotFound(_("No such 360° request."))


def feedback_may_see_results(*, user: User, request: FeedbackRequest) -> bool:
    me = employee_of(user)
    if me is not None and me.pk == request.subject_id and role_of(user) in PERFORMANCE_ROLES:
        return True
    return feedback_may_manage(user=user, subject=request.subject)


# --- status -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupStatus:
    relation: str
    label: str
    invited: int
    answered: int | None  # None: an anonymous group with fewer answers than the minimum (not for HR)


@dataclass(frozen=True)
class InvitationStatus:
    """HR's view of one rater (to chase the missing ones)."""

    id: int
    rater: Employee
    relation: str
    submitted_at: datetime | None


@dataclass(frozen=True)
class RequestStatus:
    groups: list[GroupStatus]
    invited: int
    answered: int
    invitations: list[InvitationStatus] | None  # HR only
    my_invitation: FeedbackInvitation | None
    may_see_results: bool
    may_manage: bool


def feedback_request_status(*, user: User, request: FeedbackRequest) -> RequestStatus:
    """Counts per rater group (small anonymous groups' answered count hidden except to HR), the rater list for
    HR, and the user's own invitation. Uses the prefetched invitations."""
    order = {relation: i for i, relation in enumerate(RELATIONS)}
    invitations = sorted(request.invitations.all(), key=lambda i: (order[i.relation], i.pk))
    hr = _is_hr(user)
    min_group = feedback_min_group()
    groups = []
    labels = dict(Relation.choices)
    for relation in RELATIONS:
        mine = [i for i in invitations if i.relation == relation]
        if not mine:
            continue
        answered = sum(1 for i in mine if i.submitted_at is not None)
        groups.append(GroupStatus(
            relation=relation, label=str(labels[relation]), invited=len(mine),
            answered=answered if hr else group_size(relation, answered, min_group),
        ))
    me = employee_of(user)
    return RequestStatus(
        groups=groups, invited=len(invitations),
        answered=sum(1 for i in invitations if i.submitted_at is not None),
        invitations=[
            InvitationStatus(id=i.pk, rater=i.rater, relation=i.relation, submitted_at=i.submitted_at)
            for i in invitations
        ] if hr else None,
        my_invitation=next((i for i in invitations if me is not None and i.rater_id == me.pk), None),
        may_see_results=feedback_may_see_results(user=user, request=request),
        may_manage=feedback_may_manage(user=user, subject=request.subject),
    )


# --- results ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupResult:
    relation: str
    label: str
    n: int | None
    mean: float | None
    hidden: bool
    comments: tuple[str, ...]


@dataclass(frozen=True)
class CompetencyRow:
    code: str
    name: str
    groups: list[GroupResult]
    others: float | None

    def group(self, relation: str) -> GroupResult:
        return next(g for g in self.groups if g.relation == relation)


@dataclass(frozen=True)
class FeedbackResults:
    request: FeedbackRequest
    min_group: int
    competencies: list[CompetencyRow]
    comments: list[tuple[str, str, tuple[str, ...]]]  # (relation, label, overall comments) of the groups shown


def _submitted_answers(request: FeedbackRequest) -> QuerySet[FeedbackAnswer]:
    return (
        FeedbackAnswer.objects.filter(invitation__request=request, invitation__submitted_at__isnull=False)
        .select_related("competency", "invitation")
    )


def feedback_results(*, user: User, request: FeedbackRequest) -> FeedbackResults:
    """The aggregate for HR, the subject and their managers; anyone else is refused."""
    if not feedback_may_see_results(user=user, request=request):
        raise PermissionDenied(_("Only HR, the employee and their manager can see the results of this 360° feedback."))
    rows = list(_submitted_answers(request))
    min_group = feedback_min_group()
    model = feedback_competencies(request.subject)
    names: dict[str, Competency] = {c.code: c for c in model}
    names.update({row.competency.code: row.competency for row in rows})
    result = aggregate(
        [Answer(rater=row.invitation.rater_id, relation=row.invitation.relation, competency=row.competency.code,
                score=row.score) for row in rows],
        min_group=min_group, competencies=[c.code for c in model],
    )
    labels = dict(Relation.choices)
    comments: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        if row.comment:
            comments.setdefault((row.competency.code, row.invitation.relation), []).append(row.comment)
    competencies = [
        CompetencyRow(
            code=item.competency, name=names[item.competency].display_name, others=item.others,
            groups=[
                GroupResult(
                    relation=g.relation, label=str(labels[g.relation]), n=g.n, mean=g.mean, hidden=g.hidden,
                    # Sorted, so their order says nothing about who answered first.
                    comments=() if g.hidden else tuple(sorted(comments.get((item.competency, g.relation), []))),
                )
                for g in item.groups
            ],
        )
        for item in result.competencies
    ]
    overall: dict[str, list[str]] = {}
    for invitation in request.invitations.all():
        if invitation.submitted_at is not None and invitation.comment:
            overall.setdefault(invitation.relation, []).append(invitation.comment)
    overall_rows = [
        (relation, str(labels[relation]), tuple(sorted(overall[relation])))
        for relation in RELATIONS if relation in overall and relation not in result.hidden_relations
    ]
    return FeedbackResults(request=request, min_group=min_group, competencies=competencies, comments=overall_rows)


# --- raw answers (HR) -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawAnswer:
    competency: str
    name: str
    rating: Decimal
    score: Decimal
    comment: str


@dataclass(frozen=True)
class RawResponse:
    relation: str
    label: str
    rater: Employee | None  # None for peers and reports
    submitted_at: datetime | None  # None for peers and reports
    comment: str
    answers: list[RawAnswer]


def feedback_responses(*, user: User, request: FeedbackRequest) -> list[RawResponse]:
    """Each submitted rater's answers, for HR only. Peers and reports stay nameless, in an order unrelated to
    who they are (by their random token)."""
    if not _is_hr(user):
        raise PermissionDenied(_("Only HR can read individual 360° answers; the aggregated results are available "
                                 "to the employee and their manager."))
    invitations = (
        FeedbackInvitation.objects.filter(request=request, submitted_at__isnull=False)
        .select_related("rater")
        .prefetch_related(Prefetch("answers", queryset=FeedbackAnswer.objects.select_related("competency")))
    )
    order = {relation: i for i, relation in enumerate(RELATIONS)}
    labels = dict(Relation.choices)
    responses = []
    for invitation in sorted(invitations, key=lambda i: (order[i.relation], i.token)):
        anonymous = invitation.relation in ANONYMOUS
        responses.append(RawResponse(
            relation=invitation.relation, label=str(labels[invitation.relation]),
            rater=None if anonymous else invitation.rater,
            submitted_at=None if anonymous else invitation.submitted_at,
            comment=invitation.comment,
            answers=[
                RawAnswer(competency=a.competency.code, name=a.competency.display_name, rating=a.rating,
                          score=a.score, comment=a.comment)
                for a in sorted(invitation.answers.all(), key=lambda a: a.competency.code)
            ],
        ))
    return responses


# --- raters -----------------------------------------------------------------------------------------------


def feedback_invitation_by_token(*, token: str) -> FeedbackInvitation:
    invitation = (
        FeedbackInvitation.objects.select_related("request__subject__job", "request__cycle", "rater")
        .filter(token=str(token)[:64]).first()
    )
    if invitation is None:
        raise NotFound(_("This feedback link is not valid."))
    return invitation


def feedback_my_invitations(*, user: User) -> QuerySet[FeedbackInvitation]:
    """The user's invitations still waiting for an answer (open requests before their deadline)."""
    me = employee_of(user)
    if me is None:
        return FeedbackInvitation.objects.none()
    return (
        FeedbackInvitation.objects.filter(
            rater=me, submitted_at__isnull=True, request__status=FeedbackRequest.Status.OPEN,
            request__deadline__gt=timezone.now(),
        )
        .select_related("request__subject", "request__cycle")
        .order_by("request__deadline", "id")
    )
