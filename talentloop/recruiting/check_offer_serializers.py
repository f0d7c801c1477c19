"""The public JSON shapes of background checks, offers and the hire action. Related objects are integer ids,
except a check's provider, which is its slug (the same slug as in the provider's webhook address)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from talentloop.org.models import Department, Employee, JobLevel
from talentloop.org.serializers import EmployeeSerializer

from .models import BackgroundCheck, BackgroundCheckItem, CheckProvider, Offer
from .services.offers import DEFAULT_VALID_DAYS, MAX_VALID_DAYS

MAX_ID = 2**63 - 1


class CheckItemSerializer(serializers.Serializer[BackgroundCheckItem]):
    """One item, as read and as written (POST .../items/). The item's status and kind appear in this one shape
    only, so the OpenAPI schema names their choice sets once."""

    kind = serializers.ChoiceField(choices=BackgroundCheckItem.Kind.choices)
    status = serializers.ChoiceField(choices=BackgroundCheckItem.Status.choices)
    result = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class BackgroundCheckSerializer(serializers.ModelSerializer[BackgroundCheck]):
    provider: serializers.SlugRelatedField[CheckProvider] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    items = CheckItemSerializer(many=True, read_only=True)
    consent_url = serializers.SerializerMethodField(
        help_text=_("The candidate's consent page (sent to them by email); works until they consent.")
    )

    class Meta:
        model = BackgroundCheck
        fields = [
            "id", "application", "status", "provider", "consent_given_at", "items", "completed_at",
            "consent_url", "created_at",
        ]
        read_only_fields = fields

    def get_consent_url(self, check: BackgroundCheck) -> str | None:
        if check.status != BackgroundCheck.Status.AWAITING_CONSENT:
            return None
        return reverse("careers:check_consent", args=[check.consent_token])


class BackgroundCheckCreateSerializer(serializers.Serializer[dict[str, Any]]):
    application = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    items = serializers.ListField(
        child=serializers.CharField(max_length=30), min_length=1, max_length=10,
        help_text=_("What to check, by kind: identity, education, employment, criminal_record (where lawful)."),
    )
    provider = serializers.SlugRelatedField(
        slug_field="slug", queryset=CheckProvider.objects.all(), required=False, allow_null=True, default=None,
        help_text=_("The provider's slug, when a provider reports the results through the webhook."),
    )


class CheckItemUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    """The body of PATCH .../items/{kind}/ (documented as a partial CheckItem)."""

    status = serializers.ChoiceField(choices=BackgroundCheckItem.Status.choices)
    result = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class CheckListParams(serializers.Serializer[dict[str, Any]]):
    application = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(choices=BackgroundCheck.Status.choices, required=False)


class WebhookEventSerializer(serializers.Serializer[dict[str, Any]]):
    """What a provider posts (documented here; the service reads the raw body it verified)."""

    event_id = serializers.CharField(max_length=120)
    check = serializers.IntegerField()
    items = CheckItemSerializer(many=True)


class WebhookAnswerSerializer(serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(choices=[("processed", "processed"), ("duplicate", "duplicate")])
    check = serializers.IntegerField(allow_null=True)


class OfferSerializer(serializers.ModelSerializer[Offer]):
    respond_url = serializers.SerializerMethodField(
        help_text=_("The candidate's page to accept or decline (sent to them by email); null for a draft.")
    )

    class Meta:
        model = Offer
        fields = [
            "id", "application", "title", "level", "salary", "start_date", "status", "letter", "expires_at",
            "sent_at", "responded_at", "response_note", "respond_url", "created_at",
        ]
        read_only_fields = fields

    def get_respond_url(self, offer: Offer) -> str | None:
        if offer.status == Offer.Status.DRAFT:
            return None
        return reverse("careers:offer_respond", args=[offer.token])


class OfferCreateSerializer(serializers.Serializer[dict[str, Any]]):
    """Salary and start date are checked by the service (more than 0; not in the past) so the page and the API
    give the same messages."""

    application = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    title = serializers.CharField(max_length=120)
    salary = serializers.DecimalField(max_digits=14, decimal_places=4, help_text=_("Monthly, in CNY."))
    start_date = serializers.DateField()
    level = serializers.PrimaryKeyRelatedField(
        queryset=JobLevel.objects.all(), required=False, allow_null=True, default=None,
        help_text=_("Defaults to the job's level."),
    )


class OfferSendSerializer(serializers.Serializer[dict[str, Any]]):
    valid_days = serializers.IntegerField(
        required=False, default=DEFAULT_VALID_DAYS, min_value=1, max_value=MAX_VALID_DAYS,
        help_text=_("Days the candidate has to answer (the deadline is the end of the last day)."),
    )


class OfferAnswerSerializer(serializers.Serializer[dict[str, Any]]):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=150,
        help_text=_("How the candidate answered (by phone, signed letter...)."),
    )


class OfferListParams(serializers.Serializer[dict[str, Any]]):
    application = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(choices=Offer.Status.choices, required=False)


class HireSerializer(serializers.Serializer[dict[str, Any]]):
    hire_date = serializers.DateField()
    employee_no = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=30,
        help_text=_("Generated (\"E\" and the next number) when not given."),
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True, default=None,
        help_text=_("Defaults to the job's department."),
    )
    manager = serializers.PrimaryKeyRelatedField(
        queryset=Employee.objects.all(), required=False, allow_null=True, default=None,
        help_text=_("Who the new employee reports to (they approve the OKRs drafted from the interview)."),
    )


class HireAnswerSerializer(serializers.Serializer[dict[str, Any]]):
    employee = EmployeeSerializer(read_only=True)
