from __future__ import annotations

from django.urls import URLPattern, URLResolver

staff_urls: list[URLPattern | URLResolver] = []
public_urls: list[URLPattern | URLResolver] = []
