from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from .errors import NotFound
from .models import User
from .selectors import home_dashboard, notification_get, notification_list
from .services import notification_mark_read
from .web import staff_view

NOTIFICATIONS_PAGE_SIZE = 30


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness with the database checked: load balancers take the node out when this is not 200."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"; the reason helps the operator
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@staff_view
def home(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    return render(request, "core/home.html", {"dashboard": home_dashboard(user=user)})


@staff_view
def my_profile(request: HttpRequest) -> HttpResponse:
    """The menu's "My profile": the layout knows only the role, so the employee record is looked up here."""
    own = getattr(request.user, "employee", None)
    if own is None:
        raise NotFound(_("Your login is not linked to an employee record. Ask HR to link it."))
    return redirect("org:employee_detail", pk=own.pk)


@require_GET
@staff_view
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first; `?unread=1` shows only the unread ones."""
    user = cast(User, request.user)
    unread_only = request.GET.get("unread") == "1"
    rows = notification_list(user=user, unread=True if unread_only else None)
    page_obj = Paginator(rows, NOTIFICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page_obj": page_obj, "unread_only": unread_only})


@require_POST
@staff_view
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go where it points (or back to the list)."""
    user = cast(User, request.user)
    notification = notification_get(user=user, pk=pk)
    notification_mark_read(user=user, ids=[notification.pk])
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications")


@require_POST
@staff_view
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notification_mark_read(user=cast(User, request.user))
    messages.success(
        request,
        ngettext("%(count)d notification marked read.", "%(count)d notifications marked read.", count)
        % {"count": count},
    )
    return redirect("notifications")
