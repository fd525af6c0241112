"""The audit trail: who changed what, when, through which door, with before and after."""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.db.models.query import ModelIterable

from townhall.core import permissions
from townhall.core.permissions import has_row_rules

# What an entry shows in place of a value the reader may not see.
HIDDEN_VALUE = "(hidden: you may not see this)"


def _sides(entry: "AuditEntry") -> list[dict[str, Any]]:
    return [side for side in (entry.before, entry.after) if isinstance(side, dict)]


def _redact_links(user: Any, model: type[models.Model], entries: list["AuditEntry"]) -> None:
    """History keeps many-to-many links as the linked records' names: a link to a record
    the person may not see (another department's risk or draft) loses its name."""
    for field in model._meta.many_to_many:
        related = field.related_model
        if not has_row_rules(related):
            continue
        names = {n for e in entries for side in _sides(e) for n in side.get(field.name) or []}
        if not names:
            continue
        manager = related._default_manager
        visible = permissions.restrict(manager.all(), user, "view")
        unseen = manager.exclude(pk__in=visible.values("pk"))
        hidden = {str(obj) for obj in unseen} & names
        for entry in entries:
            for side in _sides(entry):
                if hidden and isinstance(side.get(field.name), list):
                    side[field.name] = [
                        HIDDEN_VALUE if n in hidden else n for n in side[field.name]
                    ]


def redact(user: Any, entries: list["AuditEntry"]) -> None:
    """Take out of `entries` the values `user` may not see, in place.

    Links to records the person may not see lose their names. A record whose history can
    hold values more private than the record itself (a saved plan holds the board's
    weighted totals) defines `redact_history(user, entries)` beside its model, which
    replaces them in each entry's `before` and `after` with HIDDEN_VALUE. Both run once per
    kind of record for all the entries read together, so a page costs a few queries.
    """
    by_model: dict[type[models.Model], list[AuditEntry]] = {}
    for entry in entries:
        model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
        if model is not None:
            by_model.setdefault(model, []).append(entry)
    for model, group in by_model.items():
        _redact_links(user, model, group)
        if hasattr(model, "redact_history"):
            model.redact_history(user, group)


def _kinds_from_cache(entries: list["AuditEntry"]) -> None:
    """Give each entry its kind of record from Django's content-type cache, so readers need
    not join `django_content_type`: with that join SQLite started from the kinds and sorted
    the whole log for every page (200 ms at 500,000 entries, where the index walk takes 2)."""
    field = AuditEntry._meta.get_field("content_type")
    for entry in entries:
        if not field.is_cached(entry):
            entry.content_type = ContentType.objects.get_for_id(entry.content_type_id)


def sign_in_kinds() -> list[int]:
    """The content type ids of the models marked `sign_in_activity`."""
    from django.apps import apps

    marked = [m for m in apps.get_models() if getattr(m, "sign_in_activity", False)]
    return [ct.pk for ct in ContentType.objects.get_for_models(*marked).values()]


class AuditQuerySet(models.QuerySet):
    # The person entries are read for, set by restrict(): values they may not see are
    # taken out of every entry as it is read (see `redact`), whichever page or API reads it.
    _viewer: Any = None

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit entries cannot be deleted.")

    _no_values = False

    def _clone(self) -> "AuditQuerySet":
        clone = super()._clone()  # type: ignore[misc]  # Django's private copy, not in the stubs
        clone._viewer = self._viewer
        clone._no_values = self._no_values
        return clone

    def without_values(self) -> "AuditQuerySet":
        """For lists that say who changed what and when but show no values (the home page,
        the audit log): `before` and `after` are not read (a recovery plan's entry holds
        its whole content, 11 MB on the large estate) and read as empty."""
        clone = self.defer("before", "after")
        clone._no_values = True
        return clone

    def _entries(self) -> list["AuditEntry"]:
        """The fetched rows, as entries (only called when they were fetched as models)."""
        return [row for row in self._result_cache or [] if isinstance(row, AuditEntry)]

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._iterable_class is ModelIterable:
            _kinds_from_cache(self._entries())
        if fresh and self._no_values and self._iterable_class is ModelIterable:
            for entry in self._entries():
                entry.before = entry.after = None  # never loaded, so nothing to redact
            return
        if fresh and self._viewer is not None and self._iterable_class is ModelIterable:
            redact(self._viewer, self._entries())

    def without_sign_ins(self) -> "AuditQuerySet":
        """Entries about the government's records only: sign-in activity (sign-ins, tokens,
        sessions, second steps, models marked `sign_in_activity`) is left out, so that a
        person signing in changes no kept figure and fills no list of recent changes."""
        return self.exclude(content_type_id__in=sign_in_kinds())

    def restrict(self, user: Any, action: str = "view") -> "AuditQuerySet":
        """Everyone signed in reads the history of what they may see; nobody changes it.

        Rows: entries of records the person may not see are left out (admin-only records,
        and rows hidden by a record's row rules). Values: entries read through the result
        have what the person may not see taken out (`redact`)."""
        if action != "view" or not getattr(user, "is_authenticated", False):
            return self.none()
        viewing = self._clone()
        viewing._viewer = user
        if permissions.is_admin(user):
            return viewing
        from django.apps import apps

        hidden = [m for m in apps.get_models() if getattr(m, "admin_only", False)]
        qs = viewing.exclude(content_type__in=ContentType.objects.get_for_models(*hidden).values())
        # Records with row rules of their own (a private ballot, another department's draft):
        # their history shows only for the rows the person may see now.
        for model in apps.get_models():
            if getattr(model, "restrict_rows", None) is None or model in hidden:
                continue
            visible = permissions.restrict(model._default_manager.all(), user, "view")
            if not visible.query.where:
                continue  # the person sees every row: nothing to leave out
            visible = visible.annotate(audit_id=Cast("pk", models.CharField())).values("audit_id")
            content_type = ContentType.objects.get_for_model(model)
            qs = qs.exclude(Q(content_type=content_type) & ~Q(object_id__in=visible))
        return qs


class AuditEntry(models.Model):
    # Set by audit.display.describe for history pages: (label, before, after) per field.
    rows: list[tuple[str, str, str]]

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, help_text="Kept even if the account is removed.")
    request_id = models.CharField(max_length=64)  # indexed below, for equality alone
    via = models.CharField(max_length=20)
    action = models.CharField(max_length=10, choices=Action.choices)
    # Not indexed alone: the index on (content_type, object_id, -at) starts with it.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    object_version = models.PositiveIntegerField(null=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"]),
            # The log's order: its newest page is read from the start of this index.
            models.Index(fields=["at", "id"], name="audit_at_id"),
            # One request's entries (the log's filter). A plain index: db_index=True also
            # gave PostgreSQL a second one for LIKE, which no query uses, on every write.
            models.Index(fields=["request_id"], name="audit_request_id"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr} by {self.actor_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.pop("restoring", False):
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("Audit entries cannot be deleted.")

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for each field whose value differs."""
        before, after = self.before or {}, self.after or {}
        # In the model's field order: PostgreSQL's jsonb does not keep the order keys had.
        model = self.content_type.model_class() if self.content_type_id else None
        order = [f.name for f in model._meta.get_fields()] if model else []
        keys = sorted(
            set(before) | set(after),
            key=lambda k: (order.index(k) if k in order else len(order), k),
        )
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
