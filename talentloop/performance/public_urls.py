"""360° feedback rater pages under /feedback/ (namespace "feedback"): the invitation's secret token only."""

from .views import feedback

app_name = "feedback"
urlpatterns = [*feedback.public_urls]
