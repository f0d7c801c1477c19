"""Staff pages under /learning/ (namespace "learning")."""

from .views import catalogue

app_name = "learning"
urlpatterns = [*catalogue.staff_urls]
