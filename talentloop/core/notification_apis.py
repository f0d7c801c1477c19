"""`/api/v1/notifications/`: the asking user's own notifications (everyone with a login has some), marked read
one by one or all at once. Nobody reads or marks anyone else's: another user's notification is "not found"."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from .errors import NotFound
from .models import Notification, User
from .selectors import notification_get, notification_list, notification_unread_count
from .services import notification_mark_read


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    is_read = serializers.SerializerMethodField(help_text="Whether the user has read it.")

    class Meta:
        model = Notification
        fields = ["id", "subject", "body", "link", "is_read", "read_at", "created_at"]
        read_only_fields = fields

    def get_is_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class NotificationListParams(serializers.Serializer[dict[str, Any]]):
    unread = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text="true: only unread notifications; false: only read ones; absent: all.",
    )


_Count = inline_serializer("NotificationCount", {"unread": serializers.IntegerField()})
_Marked = inline_serializer("NotificationsMarked", {"marked": serializers.IntegerField()})


@extend_schema_view(list=extend_schema(parameters=[NotificationListParams]))
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The user's notifications, newest first."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema generator; get_queryset() is what runs
    permission_classes = [IsAuthenticated]
    filter_backends: list[Any] = []
    lookup_value_regex = r"\d+"

    def _user(self) -> User:
        return cast(User, self.request.user)

    def get_queryset(self) -> QuerySet[Notification]:
        unread = None
        if self.action == "list":
            params = NotificationListParams(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            unread = params.validated_data.get("unread")
        return notification_list(user=self._user(), unread=unread)

    def get_object(self) -> Notification:
        try:
            pk = int(self.kwargs["pk"])
        except (TypeError, ValueError):
            raise NotFound() from None
        return notification_get(user=self._user(), pk=pk)

    @extend_schema(request=None, responses=NotificationSerializer, description="Mark this notification read.")
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notification = self.get_object()
        notification_mark_read(user=self._user(), ids=[notification.pk])
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=_Marked, description="Mark every unread notification read.")
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": notification_mark_read(user=self._user())})

    @extend_schema(responses=_Count, description="How many notifications are unread (the top bar's badge).")
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: Request) -> Response:
        return Response({"unread": notification_unread_count(user=self._user())})
