"""Performance pages: profile (filled in by issue 6's work)."""

from __future__ import annotations

from django.urls import URLPattern

staff_urls: list[URLPattern] = []
