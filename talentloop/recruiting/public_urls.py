"""Candidate pages under /careers/ (namespace "careers"): no login; secret links where personal."""

from .views import careers, checks, offers, pipeline, written_tests

app_name = "careers"
urlpatterns = [
    *careers.public_urls, *pipeline.public_urls, *written_tests.public_urls, *checks.public_urls, *offers.public_urls,
]
