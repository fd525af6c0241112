"""The audit trail over the API: read-only for everyone, like its pages."""

from django.db import models
from rest_framework import serializers, viewsets

from townhall.audit.models import AuditEntry
from townhall.audit.views import AuditFilterSet
from townhall.core.api import ModelSerializer


class AuditEntrySerializer(ModelSerializer):
    kind = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "request_id",
            "via",
            "action",
            "kind",
            "object_id",
            "object_repr",
            "object_version",
            "before",
            "after",
        ]
        read_only_fields = fields


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEntrySerializer
    filterset_class = AuditFilterSet
    queryset = AuditEntry.objects.none()

    def get_queryset(self) -> models.QuerySet:
        return AuditEntry.objects.restrict(self.request.user)
