"""KR derivation rule pages under /performance/rules/: HR lists, creates, edits and deletes the rules that turn a
hire's interview scores into their first key results; managers read them."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentloop.core.access import HR, require_role, role_of
from talentloop.core.errors import Conflict, ValidationFailed
from talentloop.core.models import Role, User
from talentloop.core.web import staff_view

from .. import drafting, selectors
from ..models import KeyResult, KRRule
from .okr_forms import RuleForm, show_errors


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


@staff_view
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    rules = selectors.kr_rule_list(user=actor)
    return render(request, "performance/rule_list.html", {
        "rules": rules, "is_hr": role_of(actor) == Role.HR_ADMIN,
    })


def _rule_form_page(request: HttpRequest, rule: KRRule | None) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR)
    current = rule.competency if rule is not None else None
    if request.method == "POST":
        form = RuleForm(request.POST, current=current)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if rule is None:
                    saved = drafting.kr_rule_create(actor=actor, **data)
                else:
                    saved = drafting.kr_rule_update(actor=actor, rule=rule, changes=data)
            except (ValidationFailed, Conflict) as exc:
                show_errors(form, exc)
            else:
                message = _("Rule “%(title)s” created.") if rule is None else _("Rule “%(title)s” saved.")
                messages.success(request, message % {"title": str(saved)})
                return redirect("performance:rule_list")
    elif rule is not None:
        form = RuleForm(initial=RuleForm.initial_for(rule), current=current)
    else:
        form = RuleForm(initial={"formula": KRRule.Formula.OFFSET, "cap": 100, "weight": 20, "is_active": True,
                                 "direction": KeyResult.Direction.INCREASE}, current=None)
    return render(request, "performance/rule_form.html", {"form": form, "rule": rule})


@staff_view
@require_http_methods(["GET", "POST"])
def rule_create(request: HttpRequest) -> HttpResponse:
    return _rule_form_page(request, None)


@staff_view
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(_actor(request), HR)
    return _rule_form_page(request, selectors.kr_rule_get(user=_actor(request), pk=pk))


@staff_view
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    rule = selectors.kr_rule_get(user=actor, pk=pk)
    title = str(rule)
    drafting.kr_rule_delete(actor=actor, rule=rule)
    messages.success(request, _("Rule “%(title)s” deleted; key results drafted with it keep their source.")
                     % {"title": title})
    return redirect("performance:rule_list")


staff_urls: list[URLPattern] = [
    path("rules/", rule_list, name="rule_list"),
    path("rules/new/", rule_create, name="rule_create"),
    path("rules/<int:pk>/edit/", rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete/", rule_delete, name="rule_delete"),
]
