"""Staff pages under /recruiting/ (namespace "recruiting")."""

from .views import attachments, careers, checks, offers, pipeline, written_tests

app_name = "recruiting"
urlpatterns = [
    *pipeline.staff_urls, *careers.staff_urls, *written_tests.staff_urls, *checks.staff_urls, *offers.staff_urls,
    *attachments.staff_urls,
]
