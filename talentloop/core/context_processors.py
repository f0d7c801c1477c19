from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .access import role_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the shared layout needs to draw the menu for the current user."""
    return {"user_role": role_of(getattr(request, "user", None))}
