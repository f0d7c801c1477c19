"""Interview vendors on other pages: `{% provider_link_options application as provider_link %}` (the application
page's "run the next round with a vendor" form, templates/interviews/providers/link_form.html) and
`{% provider_report_section session as vendor %}` (the report page's vendor section,
templates/interviews/providers/report_source.html)."""

from __future__ import annotations

from typing import Any

from django import template

from talentloop.core.access import HR_AND_RECRUITING, has_role

from ..selectors.providers import active_providers, provider_report_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def provider_link_options(context: Any, application: Any) -> dict[str, Any] | None:
    """The active vendors, for HR and recruiters; None when there is none or the reader may not link one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if application is None or not has_role(user, HR_AND_RECRUITING):
        return None
    providers = active_providers()
    return {"application": application, "providers": providers} if providers else None


@register.simple_tag
def provider_report_section(session: Any) -> dict[str, Any] | None:
    """The vendor's part of a report: None for an interview TalentLoop ran itself."""
    if session is None or getattr(session, "provider_id", None) is None:
        return None
    return provider_report_panel(session)
