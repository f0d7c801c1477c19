"""The AI-interview panel of the application page: `{% application_interviews_panel application as panel %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from talentloop.core.access import HR_AND_RECRUITING, has_role
from talentloop.core.errors import PermissionDenied

from ..selectors.sessions import application_interviews, session_is_open
from ..services.invitations import candidate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def application_interviews_panel(context: Any, application: Any) -> dict[str, Any] | None:
    """The application's interviews for the page's user; None when the user may not see them."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or application is None:
        return None
    try:
        sessions = list(application_interviews(user=user, application=application))
    except PermissionDenied:
        return None
    can_invite = has_role(user, HR_AND_RECRUITING)
    now = timezone.now()
    rows = []
    for session in sessions:
        is_open = session_is_open(session, now)
        rows.append({
            "session": session, "open": is_open,
            "expired": session.status in ("invited", "consented") and not is_open,
            # A vendor's round has no TalentLoop link: the vendor invites the candidate. It can still be cancelled.
            "url": candidate_url(session) if can_invite and is_open and session.provider_id is None else "",
            "cancellable": can_invite and is_open,
            "report": getattr(session, "report", None),
        })
    return {"rows": rows, "can_invite": can_invite, "application": application}
