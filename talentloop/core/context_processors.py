from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest

from .access import role_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the shared layout needs to draw the menu for the current user. The unread count is a cached
    callable (templates call it): one query on a page that draws the top bar, none on one that does not."""
    user = getattr(request, "user", None)
    return {
        "user_role": role_of(user),
        "unread_notifications": functools.cache(lambda: _unread(user)),
    }


def _unread(user: Any) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    from .selectors import notification_unread_count  # the selectors import the org app's models

    return notification_unread_count(user=user)
