"""Insights pages: metrics (filled in by issue 7's work)."""

from __future__ import annotations

from django.urls import URLPattern

staff_urls: list[URLPattern] = []
