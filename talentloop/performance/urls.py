"""Staff pages under /performance/ (namespace "performance")."""

from .views import feedback, kpis, okr, phases, profile, reviews

app_name = "performance"
urlpatterns = [
    *okr.staff_urls, *phases.staff_urls, *kpis.staff_urls, *feedback.staff_urls, *reviews.staff_urls,
    *profile.staff_urls,
]
