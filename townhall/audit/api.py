"""The audit trail over the API: read-only for everyone, like its pages."""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from rest_framework import serializers, viewsets

from townhall.audit.models import AuditEntry
from townhall.audit.views import AuditFilterSet
from townhall.core.api import ModelSerializer

# In a list, a value longer than this (as JSON) is shortened: one entry for a long plan's
# content would otherwise make a page of the list many megabytes. One entry's own address
# gives its values whole.
LIST_VALUE_LIMIT = 2000


def _shortened(values: Any, url: str, cut: set[str]) -> Any:
    if not isinstance(values, dict):
        return values
    result = {}
    for name, value in values.items():
        text = value if isinstance(value, str) else None
        size = len(text) if text is not None else len(json.dumps(value, cls=DjangoJSONEncoder))
        if size <= LIST_VALUE_LIMIT:
            result[name] = value
            continue
        cut.add(name)
        start = text[:200] if text is not None else ""
        result[name] = f"{start}… (shortened from {size:,} characters; read it whole at {url})"
    return result


class AuditEntrySerializer(ModelSerializer):
    kind = serializers.CharField(source="content_type.model", read_only=True)
    shortened = serializers.SerializerMethodField(
        help_text="In a list, the fields whose long values (before and after) are shortened "
        "to a note; the entry's own address gives them whole."
    )

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
            "shortened",
        ]
        read_only_fields = fields

    def get_shortened(self, entry: AuditEntry) -> list[str]:
        return []  # filled in by to_representation, in a list

    def to_representation(self, instance: AuditEntry) -> dict[str, Any]:
        data = super().to_representation(instance)
        if self.context.get("shorten"):
            url = f"/api/audit/entries/{instance.pk}/"
            cut: set[str] = set()
            data["before"] = _shortened(data["before"], url, cut)
            data["after"] = _shortened(data["after"], url, cut)
            data["shortened"] = sorted(cut)
        return data


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEntrySerializer
    filterset_class = AuditFilterSet
    queryset = AuditEntry.objects.none()

    def get_queryset(self) -> models.QuerySet:
        return AuditEntry.objects.restrict(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "shorten": self.action == "list"}
