from __future__ import annotations

from typing import cast

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .errors import NotFound
from .models import User
from .selectors import home_dashboard
from .web import staff_view


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
