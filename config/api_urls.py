"""Every REST resource under /api/v1/, registered in one router."""

from rest_framework.routers import DefaultRouter

from talentloop.org import apis as org

router = DefaultRouter()
router.register("departments", org.DepartmentViewSet, basename="department")
router.register("levels", org.JobLevelViewSet, basename="level")
router.register("competencies", org.CompetencyViewSet, basename="competency")
router.register("jobs", org.JobViewSet, basename="job")
router.register("employees", org.EmployeeViewSet, basename="employee")

urlpatterns = router.urls
