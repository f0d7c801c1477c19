from django.contrib import admin

from .models import Competency, Department, Employee, EmployeeEvent, Job, JobCompetency, JobLevel


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "parent"]
    search_fields = ["code", "name", "name_en"]


@admin.register(JobLevel)
class JobLevelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "rank", "fit_min", "fit_max"]


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "category", "is_active", "is_builtin"]
    list_filter = ["category", "is_active", "is_builtin"]
    search_fields = ["code", "name", "name_en"]


class JobCompetencyInline(admin.TabularInline):
    model = JobCompetency
    extra = 0


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "department", "level", "headcount", "status"]
    list_filter = ["status", "level"]
    search_fields = ["title"]
    inlines = [JobCompetencyInline]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["employee_no", "name", "department", "job", "status"]
    list_filter = ["status"]
    search_fields = ["employee_no", "name", "english_name"]
    list_select_related = ["department", "job"]
    raw_id_fields = ["manager", "user", "department", "job"]


@admin.register(EmployeeEvent)
class EmployeeEventAdmin(admin.ModelAdmin):
    list_display = ["employee", "kind", "occurred_on", "summary"]
    list_filter = ["kind"]
    raw_id_fields = ["employee", "actor"]
