"""Admin pages of the AI-interview records, for support and inspection. The product's own pages and the API
(which go through the services) are how HR works with them; scores and reports are read-only here."""

from django.contrib import admin

from .models import (
    HumanReviewRequest,
    InterviewAnswer,
    InterviewQuestion,
    InterviewReport,
    InterviewSession,
    ScoringCalibration,
    SessionQuestion,
)


@admin.register(InterviewQuestion)
class InterviewQuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "competency", "language", "type", "difficulty", "time_limit_seconds", "source", "is_active"]
    list_filter = ["language", "type", "difficulty", "source", "is_active"]
    search_fields = ["code", "text"]
    list_select_related = ["competency"]
    raw_id_fields = ["created_by"]


class SessionQuestionInline(admin.TabularInline):
    model = SessionQuestion
    extra = 0
    can_delete = False
    fields = ("position", "question", "competency", "type", "difficulty", "time_limit_seconds", "shown_at")
    readonly_fields = ("position", "question", "competency", "type", "difficulty", "time_limit_seconds", "shown_at")


@admin.register(InterviewSession)
class InterviewSessionAdmin(admin.ModelAdmin):
    list_display = ["id", "application", "round", "language", "status", "expires_at", "completed_at", "created_at"]
    list_filter = ["status", "language"]
    search_fields = ["application__candidate__name", "application__candidate__email", "token"]
    list_select_related = ["application__candidate", "application__job"]
    raw_id_fields = ["application", "invited_by"]
    readonly_fields = ["token", "consent", "consented_at", "started_at", "completed_at", "generator"]
    inlines = [SessionQuestionInline]


@admin.register(InterviewAnswer)
class InterviewAnswerAdmin(admin.ModelAdmin):
    list_display = ["id", "session_question", "status", "score", "is_late", "language_mismatch", "submitted_at"]
    list_filter = ["status", "is_late", "language_mismatch"]
    raw_id_fields = ["session_question", "rated_by"]
    readonly_fields = [
        "text", "draft_text", "draft_saved_at", "submitted_at", "score", "subscores", "evidence",
        "missing_key_points", "matched_key_points", "flags", "engine", "scored_at",
    ]


@admin.register(InterviewReport)
class InterviewReportAdmin(admin.ModelAdmin):
    list_display = ["id", "session", "status", "overall_score", "fit_level", "decision", "built_at"]
    list_filter = ["status", "fit_level", "decision"]
    raw_id_fields = ["session", "decided_by", "feedback_released_by"]
    readonly_fields = ["overall_score", "fit_level", "competencies", "strengths", "weaknesses", "engine", "built_at"]


@admin.register(HumanReviewRequest)
class HumanReviewRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "session", "kind", "status", "created_at", "resolved_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["session", "resolved_by"]


@admin.register(ScoringCalibration)
class ScoringCalibrationAdmin(admin.ModelAdmin):
    list_display = ["version", "engine", "engine_version", "method", "n_ratings", "pearson_r", "qwk", "is_active"]
    list_filter = ["is_active"]
    readonly_fields = ["parameters", "n_ratings", "pearson_r", "qwk"]
