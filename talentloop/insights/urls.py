"""Staff pages under /insights/ (namespace "insights")."""

from .views import calibration, fairness, metrics

app_name = "insights"
urlpatterns = [*calibration.staff_urls, *metrics.staff_urls, *fairness.staff_urls]
