"""Staff pages under /interviews/ (namespace "interviews")."""

from .views import drafts, providers, questions, reports, sessions

app_name = "interviews"
urlpatterns = [
    *sessions.staff_urls, *reports.staff_urls, *questions.staff_urls, *drafts.staff_urls, *providers.staff_urls,
]
