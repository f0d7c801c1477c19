"""Learning pages: course catalogue, recommendations, enrolments, development plans (issue 7)."""

from __future__ import annotations

from django.urls import URLPattern

staff_urls: list[URLPattern] = []
