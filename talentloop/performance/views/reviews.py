"""Competency review pages under /performance/: a cycle's reviews (HR: every participant; a manager: their
team) and the review form per employee: per competency of the job model the manager's rating and comment,
next to the evidence (the 360° mean of the non-self answers, never who said what; KPI targets and key
results linked to the competency; the interview score for reference). A submitted review, and any review a
person may only read (an employee their own, once submitted), shows read-only."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from talentloop.core.access import require_role
from talentloop.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import apply_domain_errors, staff_view
from talentloop.org.models import Employee

from .. import reviews, selectors
from ..models import PerformanceCycle, Review, ReviewScore
from ..review_evidence import CompetencyEvidence, ModelLine, model_lines, review_evidence

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


# --- the cycle's reviews ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    employee: Employee
    review: Review | None


@staff_view
@require_GET
def review_list(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, reviews.REVIEWER_ROLES)
    cycle = selectors.cycle_get(user=actor, pk=pk)
    people = reviews.reviewable_employees(user=actor, cycle=cycle)
    in_cycle = Review.objects.filter(cycle=cycle, employee__in=people)
    counts = {
        "participants": people.count(),
        "draft": in_cycle.filter(status=Review.Status.DRAFT).count(),
        "submitted": in_cycle.filter(status=Review.Status.SUBMITTED).count(),
    }
    counts["none"] = counts["participants"] - counts["draft"] - counts["submitted"]
    status = request.GET.get("status", "")
    if status == "none":
        people = people.exclude(pk__in=in_cycle.values("employee_id"))
    elif status in (Review.Status.DRAFT, Review.Status.SUBMITTED):
        people = people.filter(pk__in=in_cycle.filter(status=status).values("employee_id"))
    else:
        status = ""
    page_obj = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    by_employee = {
        r.employee_id: r
        for r in Review.objects.filter(cycle=cycle, employee_id__in=[e.pk for e in page_obj])
    }
    return render(request, "performance/review_list.html", {
        "cycle": cycle, "page_obj": page_obj, "counts": counts, "status": status,
        "rows": [Row(employee=e, review=by_employee.get(e.pk)) for e in page_obj],
        "status_choices": [
            ("", _("All")), ("none", _("Not started")), (Review.Status.DRAFT, _("Draft")),
            (Review.Status.SUBMITTED, _("Submitted")),
        ],
    })


# --- the review form ----------------------------------------------------------------------------------------


class ReviewForm(forms.Form):
    """A rating and a comment per competency of the job model, and the summary. Only parses: the service
    checks the ranges and names the competency in its messages."""

    summary = forms.CharField(
        label=gettext_lazy("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The employee reads it once the review is submitted."),
    )

    def __init__(self, *args: Any, lines: list[ModelLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            pk = line.competency.pk
            self.fields[f"rating_{pk}"] = forms.DecimalField(
                label=_("Your rating of %(name)s (0–100)") % {"name": line.competency.display_name},
                required=False, max_digits=6, decimal_places=2,
                widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.5", "inputmode": "decimal"}),
            )
            self.fields[f"comment_{pk}"] = forms.CharField(
                label=_("Comment on %(name)s") % {"name": line.competency.display_name}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def initial_for(review: Review | None) -> dict[str, Any]:
        if review is None:
            return {}
        initial: dict[str, Any] = {"summary": review.summary}
        for row in review.scores.all():
            initial[f"rating_{row.competency_id}"] = row.manager_rating
            initial[f"comment_{row.competency_id}"] = row.comment
        return initial

    def competency_scores(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "competency": line.competency, "manager_rating": data.get(f"rating_{line.competency.pk}"),
                "comment": data.get(f"comment_{line.competency.pk}") or "",
            }
            for line in self.lines
        ]


@dataclass(frozen=True)
class Item:
    """One competency on the page: its line of the model, the evidence, the saved score and its inputs."""

    line: ModelLine
    evidence: CompetencyEvidence | None
    saved: ReviewScore | None
    rating: forms.BoundField | None
    comment: forms.BoundField | None


def _items(
    lines: list[ModelLine], evidence: dict[int, CompetencyEvidence], review: Review | None, form: ReviewForm | None,
) -> list[Item]:
    saved = {row.competency_id: row for row in review.scores.all()} if review is not None else {}
    if not lines:  # reviewed (through the API) without a job model: show what was scored
        lines = [ModelLine(competency=row.competency, weight=Decimal(1), required_score=None)
                 for row in saved.values()]
    return [
        Item(
            line=line, evidence=evidence.get(line.competency.pk), saved=saved.get(line.competency.pk),
            rating=form[f"rating_{line.competency.pk}"] if form is not None else None,
            comment=form[f"comment_{line.competency.pk}"] if form is not None else None,
        )
        for line in lines
    ]


def _participant(cycle: PerformanceCycle, employee_pk: int) -> Employee:
    employee = cycle.employees.select_related("job", "department").filter(pk=employee_pk).first()
    if employee is None:
        raise NotFound(_("This employee does not take part in the cycle."))
    return employee


def _save(actor: User, *, review: Review | None, employee: Employee, cycle: PerformanceCycle,
          form: ReviewForm) -> Review:
    scores, summary = form.competency_scores(), str(form.cleaned_data.get("summary") or "")
    if review is None:
        return reviews.review_create(
            actor=actor, employee=employee, cycle=cycle, competency_scores=scores, summary=summary
        )
    return reviews.review_update(actor=actor, review=review, changes={"competency_scores": scores, "summary": summary})


@staff_view
@require_http_methods(["GET", "POST"])
def review_form(request: HttpRequest, pk: int, employee: int) -> HttpResponse:
    actor = _actor(request)
    cycle = selectors.cycle_get(user=actor, pk=pk)
    person = _participant(cycle, employee)
    review = reviews.review_for(cycle=cycle, employee=person)
    may_write = _may_review(actor, person)
    if review is not None and (review.status == Review.Status.SUBMITTED or not may_write):
        return redirect("performance:review_detail", pk=review.pk)
    reviews.require_reviewer(actor=actor, employee=person)  # the reason, on a 403 page
    lines = model_lines(person)
    form = ReviewForm(request.POST or None, lines=lines, initial=ReviewForm.initial_for(review))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            review = _save(actor, review=review, employee=person, cycle=cycle, form=form)
        except (ValidationFailed, Conflict) as exc:
            _show_errors(form, exc)
            status = 400
        else:
            if request.POST.get("action") != "submit":
                messages.success(request, _("Review of %(name)s saved as a draft.") % {"name": person.name})
                return redirect("performance:review_form", pk=cycle.pk, employee=person.pk)
            try:
                review = reviews.review_submit(actor=actor, review=review)
            except (ValidationFailed, Conflict) as exc:
                messages.warning(request, _("Saved as a draft but not submitted: %(reason)s")
                                 % {"reason": _readable(exc)})
                return redirect("performance:review_form", pk=cycle.pk, employee=person.pk)
            messages.success(request, _("Review of %(name)s submitted.") % {"name": person.name})
            return redirect("performance:review_detail", pk=review.pk)
    elif request.method == "POST":
        status = 400
    if review is not None:
        review = reviews.review_for(cycle=cycle, employee=person)
    evidence = review_evidence(employee=person, cycle=cycle, lines=lines)
    return render(request, "performance/review_form.html", {
        "cycle": cycle, "employee": person, "review": review, "form": form, "has_model": bool(lines),
        "items": _items(lines, evidence, review, form if lines else None),
    }, status=status)


@staff_view
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    review = reviews.review_get(user=actor, pk=pk)
    can_edit = review.status == Review.Status.DRAFT and _may_review(actor, review.employee)
    lines = model_lines(review.employee)
    return render(request, "performance/review_detail.html", {
        "review": review, "cycle": review.cycle, "employee": review.employee, "can_edit": can_edit,
        "items": _items(lines, {}, review, None),
    })


def _may_review(actor: User, employee: Employee) -> bool:
    try:
        reviews.require_reviewer(actor=actor, employee=employee)
    except DomainError:
        return False
    return True


def _show_errors(form: forms.Form, exc: DomainError) -> None:
    errors = {k: [str(m) for m in v] for k, v in exc.errors.items()}
    apply_domain_errors(form, errors)
    message = str(exc.message) if exc.message else ""
    if message and not any(message in msgs for msgs in errors.values()):
        form.add_error(None, message)


def _readable(exc: DomainError) -> str:
    if exc.message:
        return str(exc.message)
    return " ".join("; ".join(str(m) for m in msgs) for msgs in exc.errors.values())


staff_urls: list[URLPattern] = [
    path("cycles/<int:pk>/reviews/", review_list, name="review_list"),
    path("cycles/<int:pk>/reviews/<int:employee>/", review_form, name="review_form"),
    path("reviews/<int:pk>/", review_detail, name="review_detail"),
]
