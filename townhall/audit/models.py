"""The audit trail: who changed what, when, through which door, with before and after."""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit entries cannot be deleted.")

    def restrict(self, user: Any, action: str = "view") -> "AuditQuerySet":
        """Everyone signed in reads the history of what they may see; nobody changes it."""
        if action != "view" or not getattr(user, "is_authenticated", False):
            return self.none()
        if getattr(user, "role", None) == "admin":
            return self
        from django.apps import apps

        hidden = [m for m in apps.get_models() if getattr(m, "admin_only", False)]
        qs = self.exclude(content_type__in=ContentType.objects.get_for_models(*hidden).values())
        # Records with row rules of their own (a private ballot, another department's draft):
        # their history shows only for the rows the person may see now.
        for model in apps.get_models():
            if getattr(model, "restrict_rows", None) is None or model in hidden:
                continue
            visible = (
                model._default_manager.restrict(user, "view")
                .annotate(audit_id=Cast("pk", models.CharField()))
                .values("audit_id")
            )
            content_type = ContentType.objects.get_for_model(model)
            qs = qs.exclude(Q(content_type=content_type) & ~Q(object_id__in=visible))
        return qs


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, help_text="Kept even if the account is removed.")
    request_id = models.CharField(max_length=64, db_index=True)
    via = models.CharField(max_length=20)
    action = models.CharField(max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    object_version = models.PositiveIntegerField(null=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
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
        keys = set(before) | set(after)
        # In the model's field order: PostgreSQL's jsonb does not keep the order keys had.
        model = self.content_type.model_class() if self.content_type_id else None
        order = [f.name for f in model._meta.get_fields()] if model else []
        keys = sorted(keys, key=lambda k: (order.index(k) if k in order else len(order), k))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
