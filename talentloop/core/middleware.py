"""Language selection: the user's own choice first, then the operator's TALENTLOOP_LANGUAGE, then the
browser's Accept-Language, then Chinese."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class TalentLoopLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        if chosen in supported:
            language = chosen
        elif getattr(settings, "TALENTLOOP_LANGUAGE_EXPLICIT", False) and settings.LANGUAGE_CODE in supported:
            language = settings.LANGUAGE_CODE
        else:
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


