"""Candidate pages under /interview/ (namespace "interview"): no login, the session's secret token only."""

from .views import candidate, feedback

app_name = "interview"
urlpatterns = [*candidate.public_urls, *feedback.public_urls]
