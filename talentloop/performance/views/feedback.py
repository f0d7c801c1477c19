"""Performance pages: feedback (filled in by issue 6's work)."""

from __future__ import annotations

from django.urls import URLPattern

staff_urls: list[URLPattern] = []
# Rater pages reached by an invitation's secret link, under /feedback/ (no other access).
public_urls: list[URLPattern] = []
