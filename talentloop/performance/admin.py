from django.contrib import admin

from .models import CheckIn, KeyResult, KRRule, Objective, PerformanceCycle


@admin.register(PerformanceCycle)
class PerformanceCycleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "method", "start", "end", "phase"]
    list_filter = ["kind", "method", "phase"]
    search_fields = ["name"]
    raw_id_fields = ["employees"]


class KeyResultInline(admin.TabularInline):
    model = KeyResult
    extra = 0


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["title", "cycle", "level", "owner_employee", "department", "status"]
    list_filter = ["level", "status", "cycle"]
    search_fields = ["title"]
    raw_id_fields = ["owner_employee", "parent"]
    inlines = [KeyResultInline]


@admin.register(KeyResult)
class KeyResultAdmin(admin.ModelAdmin):
    list_display = ["title", "objective", "start_value", "target_value", "current_value", "direction", "weight"]
    list_filter = ["direction"]
    search_fields = ["title", "metric"]
    raw_id_fields = ["objective"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["key_result", "value", "author", "created_at"]
    raw_id_fields = ["key_result", "author"]


@admin.register(KRRule)
class KRRuleAdmin(admin.ModelAdmin):
    list_display = ["competency", "title_en", "formula", "parameter", "cap", "weight", "is_active"]
    list_filter = ["formula", "is_active"]
    raw_id_fields = ["competency"]
