"""Every REST resource under /api/v1/, registered in one router."""

from rest_framework.routers import DefaultRouter

from talentloop.insights import apis as insights
from talentloop.interviews import apis as interviews
from talentloop.learning import apis as learning
from talentloop.org import apis as org
from talentloop.performance import apis as performance
from talentloop.recruiting import apis as recruiting

# No browsable root listing: the OpenAPI schema documents the endpoints, and a root view would answer
# roles (candidates) that may see nothing else here.
router = DefaultRouter()
router.include_root_view = False
router.register("departments", org.DepartmentViewSet, basename="department")
router.register("levels", org.JobLevelViewSet, basename="level")
router.register("competencies", org.CompetencyViewSet, basename="competency")
router.register("jobs", org.JobViewSet, basename="job")
router.register("employees", org.EmployeeViewSet, basename="employee")

recruiting.register(router)
interviews.register(router)
performance.register(router)
learning.register(router)
insights.register(router)

urlpatterns = [*recruiting.extra_urlpatterns(), *interviews.extra_urlpatterns(), *performance.extra_urlpatterns(),
               *learning.extra_urlpatterns(), *insights.extra_urlpatterns(), *router.urls]
