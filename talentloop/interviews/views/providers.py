"""(filled in by issue #5 work)"""

from __future__ import annotations

from django.urls import URLPattern

staff_urls: list[URLPattern] = []
