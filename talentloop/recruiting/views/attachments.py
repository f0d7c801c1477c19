"""Adding a file to an application from its page."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talentloop.core.errors import ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import staff_view

from .. import selectors
from ..services.attachments import MAX_ATTACHMENT_BYTES, application_attachment_add


@require_POST
@staff_view
def application_attachment_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    application = selectors.application_get(user=user, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
    else:
        too_big = (upload.size or 0) > MAX_ATTACHMENT_BYTES
        try:
            application_attachment_add(
                actor=user, application=application, name=upload.name or "", size=upload.size or 0,
                data=None if too_big else upload.read(),
            )
        except ValidationFailed as exc:
            messages.error(request, "; ".join(m for ms in exc.errors.values() for m in ms) or str(exc.message))
        else:
            messages.success(request, _("The file was attached."))
    return redirect(reverse("recruiting:application_detail", args=[pk]) + "#attachments")


staff_urls: list[URLPattern | URLResolver] = [
    path("applications/<int:pk>/attachments/", application_attachment_add_view, name="application_attachment_add"),
]
public_urls: list[URLPattern | URLResolver] = []
