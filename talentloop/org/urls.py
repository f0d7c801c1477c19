from django.urls import path

from .views import competencies, departments, employees, jobs

app_name = "org"
urlpatterns = [
    path("departments/", departments.department_list, name="department_list"),
    path("departments/new/", departments.department_create, name="department_create"),
    path("departments/<int:pk>/edit/", departments.department_edit, name="department_edit"),
    path("employees/", employees.employee_list, name="employee_list"),
    path("employees/new/", employees.employee_create, name="employee_create"),
    path("employees/<int:pk>/", employees.employee_detail, name="employee_detail"),
    path("employees/<int:pk>/edit/", employees.employee_edit, name="employee_edit"),
    path("competencies/", competencies.competency_list, name="competency_list"),
    path("competencies/new/", competencies.competency_create, name="competency_create"),
    path("competencies/<int:pk>/", competencies.competency_detail, name="competency_detail"),
    path("competencies/<int:pk>/edit/", competencies.competency_edit, name="competency_edit"),
    path("jobs/", jobs.job_list, name="job_list"),
    path("jobs/new/", jobs.job_create, name="job_create"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job_detail"),
    path("jobs/<int:pk>/edit/", jobs.job_edit, name="job_edit"),
]
