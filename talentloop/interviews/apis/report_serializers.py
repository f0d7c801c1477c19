"""JSON shapes of the interview report API (apis/reports.py). The report itself is built by
selectors.reports.report_document; the serializers below document it for the OpenAPI schema and parse input."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import HumanReviewRequest, InterviewSession
from ..services.feedback import MAX_REASON
from ..services.review import MAX_COMMENT, MAX_RESOLUTION

MAX_ID = 2**63 - 1


class InterviewListParams(serializers.Serializer[dict[str, Any]]):
    application = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(choices=InterviewSession.Status.choices, required=False)


class ReviewRequestListParams(serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(choices=HumanReviewRequest.Status.choices, required=False)
    kind = serializers.ChoiceField(choices=HumanReviewRequest.Kind.choices, required=False)


class InterviewListItemSerializer(serializers.ModelSerializer[InterviewSession]):
    # Plain strings in the schema (the values are documented in help_text): enums named "language" and
    # "status" already exist elsewhere in the API with other values.
    language = serializers.CharField(read_only=True, help_text="zh-hans or en")
    status = serializers.CharField(read_only=True, help_text="The interview's status: invited, consented, "
                                   "in_progress, completed, human_review or cancelled.")
    candidate_name = serializers.CharField(source="application.candidate.name", read_only=True)
    job = serializers.IntegerField(source="application.job_id", read_only=True)
    job_title = serializers.CharField(source="application.job.title", read_only=True)
    report_status = serializers.CharField(source="report.status", read_only=True, allow_null=True)
    overall_score = serializers.FloatField(source="report.overall_score", read_only=True, allow_null=True)
    fit_level = serializers.CharField(source="report.fit_level", read_only=True, allow_null=True)
    decision = serializers.CharField(source="report.decision", read_only=True, allow_null=True)
    feedback_released_at = serializers.DateTimeField(
        source="report.feedback_released_at", read_only=True, allow_null=True
    )
    report_url = serializers.SerializerMethodField()

    class Meta:
        model = InterviewSession
        fields = [
            "id", "application", "round", "language", "status", "expires_at", "completed_at", "candidate_name", "job",
            "job_title", "report_status", "overall_score", "fit_level", "decision", "feedback_released_at",
            "report_url",
        ]
        read_only_fields = fields

    def get_report_url(self, session: InterviewSession) -> str:
        return reverse("interview-report", kwargs={"pk": session.pk})


# --- the report document (documentation only: the view returns the selector's dict) -------------------------


class ReportEvidenceSerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField(help_text="The question (answer) the sentence comes from.")
    sentence = serializers.CharField()


class ReportFitSerializer(serializers.Serializer[Any]):
    level = serializers.CharField(allow_null=True, help_text='A position level code, or "below" under every band.')
    # A field named like DRF's Field.label: the serializer's metaclass moves it out of the class attributes.
    label = serializers.CharField(allow_null=True, help_text="In the reader's language.")  # type: ignore[assignment]


class ReportCompetencySerializer(serializers.Serializer[Any]):
    competency = serializers.IntegerField(allow_null=True, help_text="The competency's id.")
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the reader's language.")
    score = serializers.FloatField()
    required_score = serializers.IntegerField()
    weight = serializers.FloatField()
    answers = serializers.IntegerField(help_text="How many answers measured it.")
    evidence = ReportEvidenceSerializer(many=True)
    missing_key_points = serializers.ListField(child=serializers.CharField())
    measured = serializers.BooleanField(required=False, help_text="Vendor reports only: whether the vendor's "
                                        "dimensions measured this competency.")
    dimensions = serializers.ListField(child=serializers.DictField(), required=False, help_text="Vendor reports "
                                       "only: the vendor's dimensions mapped onto this competency.")


class ReportFindingSerializer(serializers.Serializer[Any]):
    competency = serializers.IntegerField(allow_null=True)
    code = serializers.CharField()
    name = serializers.CharField()
    score = serializers.FloatField()
    required_score = serializers.IntegerField()
    gap = serializers.FloatField(help_text="score − required_score")
    explanation = serializers.CharField(help_text="One sentence citing the evidence, in the reader's language.")
    evidence = ReportEvidenceSerializer(many=True)
    missing_key_points = serializers.ListField(child=serializers.CharField())
    measured = serializers.BooleanField(required=False, help_text="Vendor reports only.")
    dimensions = serializers.ListField(child=serializers.DictField(), required=False,
                                       help_text="Vendor reports only: the vendor's dimensions it cites.")


@extend_schema_field({"type": "object", "additionalProperties": True, "properties": {
    "engine": {"type": "object"}, "audio": {"type": "object", "nullable": True},
    "video": {"type": "object", "nullable": True}, "flags": {"type": "array", "items": {"type": "string"}},
    "timeline": {"type": "array", "items": {"type": "object"}}, "score": {"type": "number", "nullable": True},
}})
class DeliveryField(serializers.JSONField):
    pass


class ReportAnswerSerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField()
    question = serializers.CharField(help_text="The question as the candidate saw it.")
    competency = serializers.CharField()
    competency_name = serializers.CharField()
    text = serializers.CharField(help_text="The submitted answer (empty when unanswered); for a recording, its "
                                 "transcript (as corrected by HR, if it was).")
    status = serializers.CharField(help_text="draft, submitted, processing (a recording being analysed), scored, "
                                   "failed, no_speech, unreadable, too_long (a recording that could not be used: "
                                   "it counts as unanswered) or unanswered")
    submitted_at = serializers.DateTimeField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    subscores = serializers.DictField(child=serializers.FloatField())
    evidence = serializers.ListField(child=serializers.DictField(), help_text="Sentences that earned credit.")
    missing_key_points = serializers.ListField(child=serializers.CharField())
    matched_key_points = serializers.ListField(child=serializers.CharField())
    flags = serializers.ListField(child=serializers.CharField())
    is_late = serializers.BooleanField()
    language_mismatch = serializers.BooleanField()
    engine = serializers.DictField(help_text='{"name", "version", "parameters", "calibration"} of the text scorer; '
                                   'with delivery counted, also "delivery": {"text_score", "delivery_score", '
                                   '"weights"}.')
    hr_rating = serializers.IntegerField(allow_null=True)
    modality = serializers.CharField(help_text="text, audio (voice) or video")
    status_detail = serializers.CharField(
        allow_blank=True, help_text="Why a recording could not be used, e.g. “Recording unreadable: ...”, or empty."
    )
    transcript = serializers.CharField(allow_blank=True, help_text="What was said (empty for typed answers).")
    transcript_original = serializers.CharField(
        allow_blank=True, help_text="The speech recogniser's transcript, kept when HR corrected it."
    )
    transcript_corrected = serializers.BooleanField(help_text="Whether HR corrected the transcript.")
    asr_backend = serializers.CharField(allow_blank=True, help_text='The speech recogniser used, e.g. '
                                        '"pocketsphinx 5.0.4 (en-us)".')
    delivery = DeliveryField(help_text="The delivery analysis (metrics, flags, 1-second timeline, delivery score); "
                             "{} for typed answers. Never an emotion or personality label.")
    delivery_used_in_score = serializers.BooleanField(
        help_text="Whether delivery counted in this answer's score (0.8 × text + 0.2 × delivery): the job counts "
        "it and the candidate agreed to that modality's analysis."
    )
    media_url = serializers.CharField(allow_null=True, help_text="Where HR plays the recording; null when there is "
                                      "none or it was deleted after the retention period.")
    media_format = serializers.CharField(allow_blank=True, help_text='e.g. "webm/opus"')
    media_seconds = serializers.FloatField(allow_null=True)
    media_deleted_at = serializers.DateTimeField(allow_null=True, help_text="When the recording was deleted.")


class InterviewReviewRequestSerializer(serializers.ModelSerializer[HumanReviewRequest]):
    interview = serializers.IntegerField(source="session_id", read_only=True)
    application = serializers.IntegerField(source="session.application_id", read_only=True)
    candidate_name = serializers.CharField(source="session.application.candidate.name", read_only=True)
    resolved_by = serializers.SerializerMethodField()
    kind = serializers.CharField(read_only=True, help_text="instead_of_ai or of_result")
    status = serializers.CharField(read_only=True, help_text="open or resolved")

    class Meta:
        model = HumanReviewRequest
        fields = [
            "id", "interview", "application", "candidate_name", "kind", "reason", "status", "resolution", "created_at",
            "resolved_at", "resolved_by",
        ]
        read_only_fields = fields

    def get_resolved_by(self, request: HumanReviewRequest) -> str | None:
        return str(request.resolved_by) if request.resolved_by else None


class ReportReviewRequestSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    reason = serializers.CharField()
    status = serializers.CharField()
    resolution = serializers.CharField()
    created_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolved_by = serializers.CharField(allow_null=True)


class ReportCandidateSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ReportJobSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()


@extend_schema_field({"type": "object", "nullable": True, "properties": {
    "language": {"type": "string"}, "strengths": {"type": "array", "items": {"type": "string"}},
    "suggestions": {"type": "array", "items": {"type": "string"}},
    "delivery_tips": {"type": "array", "items": {"type": "string"}},
}})
class FeedbackField(serializers.JSONField):
    pass


@extend_schema_field({"type": "object", "nullable": True, "properties": {
    "slug": {"type": "string"}, "name": {"type": "string"},
}})
class ProviderField(serializers.JSONField):
    pass


class HRInterviewReportSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="The interview (session) id.")
    application = serializers.IntegerField()
    candidate = ReportCandidateSerializer()
    job = ReportJobSerializer()
    round = serializers.IntegerField()
    language = serializers.CharField()
    session_status = serializers.CharField()
    completed_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField(help_text="in_progress, scoring or ready")
    overall_score = serializers.FloatField(allow_null=True)
    fit = ReportFitSerializer()
    competencies = ReportCompetencySerializer(many=True)
    strengths = ReportFindingSerializer(many=True)
    weaknesses = ReportFindingSerializer(many=True)
    answers = ReportAnswerSerializer(many=True)
    engine = serializers.DictField(help_text='{"name", "version", "parameters", "answer_engines", "calibration"}')
    built_at = serializers.DateTimeField(allow_null=True)
    hr_rating = serializers.IntegerField(allow_null=True)
    decision = serializers.CharField(help_text='"", advance, hold or reject')
    decision_comment = serializers.CharField()
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    feedback_released_at = serializers.DateTimeField(allow_null=True)
    feedback = FeedbackField(help_text="What the candidate reads, once released.")
    review_requests = ReportReviewRequestSerializer(many=True)
    delivery_in_score = serializers.BooleanField(
        help_text="The job's setting: whether delivery signals count in the scores of recorded answers (when the "
        "candidate agreed to that analysis). Off: shown, not scored."
    )
    modalities = serializers.ListField(child=serializers.CharField(), help_text="The answer modes offered.")
    consented_modalities = serializers.ListField(
        child=serializers.CharField(), help_text="What the candidate agreed to have analysed."
    )
    # A field named like DRF's Field.source: the serializer's metaclass moves it out of the class attributes.
    source = serializers.CharField(  # type: ignore[assignment]
        help_text="talentloop (our scoring) or provider (an external interview vendor)."
    )
    provider = ProviderField(help_text="The vendor that ran the interview, or null.")
    provider_summary = serializers.CharField(allow_blank=True, help_text="The vendor's own summary.")
    provider_dimensions = serializers.ListField(child=serializers.DictField(), help_text="The vendor's dimensions "
                                                "as received, with the competency each maps to.")


# --- input ------------------------------------------------------------------------------------------------


class TranscriptCorrectionSerializer(serializers.Serializer[Any]):
    # Blank is the service's to refuse, with its own message.
    transcript = serializers.CharField(allow_blank=True, trim_whitespace=False,
                                       help_text="What the candidate actually said.")


class InterviewAnswerRatingSerializer(serializers.Serializer[Any]):
    rating = serializers.IntegerField(min_value=0, max_value=100)


class InterviewAnswerRatingResultSerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField()
    hr_rating = serializers.IntegerField()
    rated_at = serializers.DateTimeField()


class InterviewDecisionSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=["advance", "hold", "reject"])
    comment = serializers.CharField(required=False, allow_blank=True, max_length=MAX_COMMENT)
    rating = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=100)


class ReviewRequestResolveSerializer(serializers.Serializer[Any]):
    resolution = serializers.CharField(max_length=MAX_RESOLUTION, help_text="What was done about the request.")


class InterviewFeedbackReviewRequestSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=MAX_REASON, allow_blank=True)


class InterviewReviewReceiptSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class InterviewFeedbackSerializer(serializers.Serializer[Any]):
    language = serializers.CharField()
    job = serializers.CharField()
    strengths = serializers.ListField(child=serializers.CharField())
    suggestions = serializers.ListField(child=serializers.CharField())
    delivery_tips = serializers.ListField(
        child=serializers.CharField(), help_text="Tips on how the recorded answers were spoken or filmed, only for "
        "analyses the candidate agreed to; empty for typed interviews."
    )
    released_at = serializers.DateTimeField()
    available_until = serializers.DateTimeField()
