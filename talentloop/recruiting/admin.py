from django.contrib import admin

from .models import (
    Application,
    BackgroundCheck,
    BackgroundCheckItem,
    Candidate,
    CheckProvider,
    EmailTemplate,
    Offer,
    OfferTemplate,
    ScreeningRules,
    StageChange,
    WrittenTest,
    WrittenTestQuestion,
    WrittenTestSitting,
)


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "phone", "source", "consent_given_at", "created_at"]
    list_filter = ["source"]
    search_fields = ["name", "email", "phone"]


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "actor", "reason", "email_sent", "at"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["candidate", "job", "stage", "screening_score", "resume_status", "created_at"]
    list_filter = ["stage", "resume_status"]
    search_fields = ["candidate__name", "candidate__email"]
    list_select_related = ["candidate", "job"]
    raw_id_fields = ["candidate", "job", "employee"]
    inlines = [StageChangeInline]


@admin.register(ScreeningRules)
class ScreeningRulesAdmin(admin.ModelAdmin):
    list_display = ["job", "min_degree", "min_years", "pass_score", "auto_advance"]


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    list_display = ["stage", "language", "subject", "is_active"]
    list_filter = ["language", "is_active"]


@admin.register(OfferTemplate)
class OfferTemplateAdmin(admin.ModelAdmin):
    list_display = ["language"]


@admin.register(CheckProvider)
class CheckProviderAdmin(admin.ModelAdmin):
    """Background-check vendors: the secret signs their webhook deliveries (HMAC-SHA256)."""

    list_display = ["slug", "name"]


class CheckItemInline(admin.TabularInline):
    model = BackgroundCheckItem
    extra = 0


@admin.register(BackgroundCheck)
class BackgroundCheckAdmin(admin.ModelAdmin):
    list_display = ["application", "status", "provider", "consent_given_at"]
    list_filter = ["status"]
    raw_id_fields = ["application"]
    inlines = [CheckItemInline]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["application", "title", "salary", "start_date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["application"]


class QuestionInline(admin.StackedInline):
    model = WrittenTestQuestion
    extra = 0


@admin.register(WrittenTest)
class WrittenTestAdmin(admin.ModelAdmin):
    list_display = ["title", "job", "time_limit_minutes"]
    inlines = [QuestionInline]


@admin.register(WrittenTestSitting)
class WrittenTestSittingAdmin(admin.ModelAdmin):
    list_display = ["test", "application", "status", "score", "expires_at"]
    list_filter = ["status"]
    raw_id_fields = ["application"]
    exclude = ["token"]
