"""An import in progress (its file kept between the steps) and mappings saved for reuse."""

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from townhall.core import permissions
from townhall.imports.kinds import choices


class ImportRunQuerySet(models.QuerySet):
    def restrict(self, user: Any) -> "ImportRunQuerySet":
        """One's own imports; administrators see everyone's."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if permissions.is_admin(user):
            return self
        return self.filter(created_by=user)


class ImportRun(models.Model):
    """One uploaded file on its way from mapping to preview to commit.

    The file lives here rather than in the session, so a large import can be previewed and
    committed by a background job, and the person can come back to it."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        CHECKING = "checking", "Checking"
        PREVIEWED = "previewed", "Checked"
        IMPORTING = "importing", "Importing"
        COMMITTED = "committed", "Imported"
        NOT_COMMITTED = "not_committed", "Not imported"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=choices)
    file = models.FileField(upload_to="imports/", max_length=300)
    filename = models.CharField(max_length=300)
    rows = models.PositiveIntegerField(default=0)
    mapping = models.JSONField(default=dict, blank=True)
    value_map = models.JSONField(
        default=dict, blank=True, help_text="Field -> {value in the file: choice}, as mapped."
    )
    saved_mapping = models.ForeignKey(
        "SavedMapping", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    valid_only = models.BooleanField(default=False)
    counts = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_runs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import of {self.filename}"

    def get_absolute_url(self) -> str:
        return reverse("imports:preview", args=[self.pk])

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.COMMITTED, self.Status.NOT_COMMITTED)


class SavedMapping(models.Model):
    """A named column mapping ("Finance's asset list") for files that arrive every month."""

    kind = models.CharField(max_length=20, choices=choices)
    name = models.CharField(max_length=100)
    columns = models.JSONField(default=dict, help_text="Column heading -> field name.")
    values = models.JSONField(
        default=dict, blank=True, help_text="Field -> {value in the file: choice}."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="saved_mapping_name_per_kind")
        ]

    def __str__(self) -> str:
        return self.name

    # Saved on the write path (imports.services.save_mapping), audited. Mappings are shared:
    # whoever may import uses any of them, and may save one or replace one of the same name.
    @classmethod
    def restrict_rows(cls, qs: Any, user: Any, action: str, by_role: Any) -> Any:
        return qs if action in ("view", "change") else by_role

    @classmethod
    def may_add(cls, user: Any, department_id: int | None) -> bool:
        return bool(getattr(user, "is_active", False))
