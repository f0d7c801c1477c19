"""Staff pages under /interviews/ (namespace "interviews")."""

from .views import questions, reports, sessions

app_name = "interviews"
urlpatterns = [*sessions.staff_urls, *reports.staff_urls, *questions.staff_urls]
