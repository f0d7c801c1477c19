"""Performance pages: a cycle's phase progress (/performance/cycles/<id>/phases/). Everyone who sees the cycle
sees its phases and deadlines; HR also sees who still has work in the current phase (what the reminders say)
and can send the reminders now. Moving phases, setting deadlines and drafting a whole cycle's OKRs are on the
cycle page (views/okr.py), which calls the same services in phases.py."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from talentloop.core.access import HR, has_role
from talentloop.core.errors import ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import staff_view

from .. import phases, selectors

OUTSTANDING_SHOWN = 200


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


@require_GET
@staff_view
def cycle_phases(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=_actor(request), pk=pk)
    is_hr = has_role(request.user, HR)
    outstanding = phases.cycle_outstanding(cycle=cycle) if is_hr else []
    today = timezone.localdate()
    return render(request, "performance/phases_cycle.html", {
        "cycle": cycle, "is_hr": is_hr, "today": today,
        "deadlines": phases.cycle_deadline_rows(cycle=cycle, today=today),
        "waiting": phases.drafted_waiting(cycle=cycle),
        "outstanding": outstanding[:OUTSTANDING_SHOWN], "outstanding_count": len(outstanding),
        "reminder_days": phases.REMINDER_DAYS,
    })


@require_POST
@staff_view
def cycle_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the current phase's reminders now (HR); at most one per person and day, like the daily job."""
    cycle = selectors.cycle_get(user=_actor(request), pk=pk)
    try:
        sent = phases.cycle_reminders_send_now(actor=_actor(request), cycle=cycle, today=timezone.localdate())
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, ngettext(
            "%(count)d reminder sent (people reminded earlier today are not reminded again).",
            "%(count)d reminders sent (people reminded earlier today are not reminded again).", sent,
        ) % {"count": sent})
    return redirect("performance:cycle_phases", pk=cycle.pk)


staff_urls: list[URLPattern] = [
    path("cycles/<int:pk>/phases/", cycle_phases, name="cycle_phases"),
    path("cycles/<int:pk>/phases/remind/", cycle_remind, name="cycle_remind"),
]
