"""Staff pages under /learning/ (namespace "learning")."""

from .views import catalogue, plans, training

app_name = "learning"
urlpatterns = [*training.staff_urls, *catalogue.staff_urls, *plans.staff_urls]
