from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from talentloop.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("talentloop.core.urls")),
    path("org/", include("talentloop.org.urls")),
    path("recruiting/", include("talentloop.recruiting.urls")),
    path("careers/", include("talentloop.recruiting.public_urls")),
    path("interviews/", include("talentloop.interviews.urls")),
    path("interview/", include("talentloop.interviews.public_urls")),
    path("performance/", include("talentloop.performance.urls")),
    path("feedback/", include("talentloop.performance.public_urls")),
    path("learning/", include("talentloop.learning.urls")),
    path("insights/", include("talentloop.insights.urls")),
]
