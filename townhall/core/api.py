"""REST API for every registered record, through the same permission and write path as pages."""

import datetime
from typing import Any

from django.db import models
from django.http import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.routers import DefaultRouter

from townhall.core import permissions, registry, services
from townhall.core.forms import edited_fields, free_states, read_only_fields
from townhall.core.models import field_named


class DateTimeField(serializers.DateTimeField):
    """A date and time as RFC 3339 says, whatever the year: before standard time zones
    (1883 in the United States) the local offset has seconds (-05:50:36), which RFC 3339
    cannot write, so such a time is given in UTC instead."""

    def to_representation(self, value: Any) -> Any:
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            offset = self.enforce_timezone(value).utcoffset()
            if offset is not None and offset.total_seconds() % 60:
                return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
        return super().to_representation(value)


class ModelSerializer(serializers.ModelSerializer):
    """The API's base for records: its dates and times always read as RFC 3339."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: DateTimeField,
    }


class RecordSerializer(ModelSerializer):
    """Base serializer: exposes `version`, which updates must send back unchanged."""

    version = serializers.IntegerField(
        required=False,
        help_text="The version you read. Updates must send it; a stale one answers 409.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Model-level rules (clean()) are checked by the write path; field rules here.
        return attrs


def serializer_for(resource: registry.Resource) -> type[serializers.ModelSerializer]:
    if resource.serializer is not None:
        return resource.serializer
    fields = ["id", "version", *edited_fields(resource.form), "created_at", "updated_at"]
    meta = type(
        "Meta",
        (),
        {
            "model": resource.model,
            "fields": fields,
            "read_only_fields": [
                "id",
                "created_at",
                "updated_at",
                *read_only_fields(resource.form),  # shown, set by the app itself
            ],
            # The schema's name for the record; `extra["api_name"]` renames one whose name
            # would clash with another's request body ("Campaign" + "Request").
            "ref_name": resource.extra.get("api_name", resource.model.__name__),
        },
    )
    return type(f"{resource.model.__name__}Serializer", (RecordSerializer,), {"Meta": meta})


HELD = "Changed by the actions on the record's page, not by an edit."


def held_states(model: type[models.Model], fields: list[str]) -> dict[str, dict[str, Any]]:
    """How an update's serializer takes each workflow state among `fields` (a field named in
    the model's `transitions`): read-only, or, where people set some of its values freely
    (`edited_states`), only those, as the edit form offers them. The write path refuses any
    other move (`core.services`), so the schema says so rather than promise a 400."""
    held: dict[str, dict[str, Any]] = {}
    for name in getattr(model, "transitions", {}):
        if name not in fields:
            continue
        free = free_states(model, name)
        if not free:
            held[name] = {"read_only": True, "help_text": HELD}
            continue
        field = field_named(model, name)
        offered = [(value, label) for value, label in field.choices or () if value in free]
        others = ", ".join(sorted(v for v, _ in field.choices or () if v not in free))
        held[name] = {
            "choices": offered,
            "help_text": f"An edit sets only these; the others ({others}) are changed by the "
            "record's own actions, and a record in one of them keeps it through an edit.",
        }
    return held


def update_serializer_for(
    resource: registry.Resource, base: type[serializers.ModelSerializer] | None = None
) -> type[serializers.ModelSerializer]:
    """The serializer of an update (PUT, PATCH): the record's own (`base`), with the
    workflow states an edit may not move held (`held_states`); `base` itself for a record
    without one. Answers are still written by the record's own (its schema too)."""
    base = base or serializer_for(resource)
    meta = getattr(base, "Meta", None)
    fields = list(getattr(meta, "fields", None) or [])
    held = held_states(resource.model, fields) if resource.serializer is None else {}
    if not held or meta is None:
        return base
    name = resource.extra.get("api_name", resource.model.__name__)
    update_meta = type(
        "Meta",
        (meta,),
        {
            "extra_kwargs": {**getattr(meta, "extra_kwargs", {}), **held},
            # The schema's name for the body of an edit: "ExposureEdit" + "Request".
            "ref_name": f"{name}Edit",
        },
    )
    return type(f"{resource.model.__name__}EditSerializer", (base,), {"Meta": update_meta})


class ConflictException(exceptions.APIException):
    """409: the record changed since the version sent; `payload` is the answer's body."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__(payload.get("detail"))
        self.payload = payload


class ResourceViewSet(viewsets.ModelViewSet):
    resource: registry.Resource  # each record's viewset is made by viewset_for
    update_serializer_class: type[serializers.BaseSerializer]

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if getattr(self, "action", None) in ("update", "partial_update"):
            return self.update_serializer_class
        return super().get_serializer_class()

    def get_queryset(self) -> models.QuerySet:
        table = self.resource.table()
        model = self.resource.model
        qs = permissions.restrict(model._default_manager.all(), self.request.user, "view")
        m2m = [f.name for f in self.resource.model._meta.many_to_many]
        qs = qs.select_related(*table.select_related()).prefetch_related(*m2m)
        return qs.order_by("pk")

    def _data(self, serializer: serializers.BaseSerializer) -> dict[str, Any]:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        return data

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.create(
            self.request.user, self.resource.model, self._data(serializer)
        )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        instance = serializer.instance
        if not isinstance(instance, models.Model):  # update() gives it the record it read
            raise TypeError("An update's serializer holds the record it changes.")
        version = serializer.validated_data.get("version")
        if version is None and hasattr(instance, "version"):
            raise exceptions.ValidationError(
                {"version": ["Send the version you read, so nobody's change is overwritten."]}
            )
        try:
            serializer.instance = services.update(
                self.request.user, instance, self._data(serializer), version=version
            )
        except services.ConflictError as exc:
            raise ConflictException(
                {
                    "detail": str(exc),
                    "current_version": exc.current.version,
                    "changes": {
                        k: {"yours": a, "now": b, "by": who}
                        for k, (a, b, who) in exc.changed_fields().items()
                    },
                }
            ) from exc

    def perform_destroy(self, instance: models.Model) -> None:
        services.delete(self.request.user, instance)


def viewset_for(resource: registry.Resource) -> type[ResourceViewSet]:
    serializer = serializer_for(resource)  # one class: the schema names each component once
    return type(
        f"{resource.model.__name__}ViewSet",
        (ResourceViewSet,),
        {
            "resource": resource,
            "serializer_class": serializer,
            "update_serializer_class": update_serializer_for(resource, serializer),
            "filterset_class": resource.filterset,
            "queryset": resource.model._default_manager.none(),
        },
    )


@extend_schema(exclude=True)  # not an operation: only where the records' operations are
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
def moved(request: Request, old: str, prefix: str, rest: str = "") -> HttpResponseBase:
    """An API address as it was: the caller signs in as anywhere in the API (401 in JSON
    otherwise), then is sent on, its method kept (`registry.moved`)."""
    return registry.moved(request._request, old, prefix, rest)


def moved_urls() -> list[Any]:
    """The API's addresses as they were before they were all lower case
    (`registers/AI-use-cases/`), answering with a permanent redirect that keeps the method."""
    found: list[Any] = []
    for resource in registry.all_resources():
        old = [f"{resource.app_label}/{name}" for name in resource.old_url_prefixes]
        new = f"{resource.app_label}/{resource.url_prefix}"
        found += registry.moved_urls(old, new, view=moved)
    return found


def router() -> DefaultRouter:
    from townhall.audit.api import AuditEntryViewSet

    r = DefaultRouter()
    r.register("audit/entries", AuditEntryViewSet, basename="audit-entry")
    for resource in registry.all_resources():
        r.register(
            f"{resource.app_label}/{resource.url_prefix}",
            viewset_for(resource),
            basename=f"{resource.app_label}-{resource.name}",
        )
    return r
