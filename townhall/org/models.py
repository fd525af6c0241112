"""The government's departments and the documents they keep in Townhall."""

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from townhall.core.models import OwnedModel, TrackedModel


class Department(TrackedModel):
    """A department, office or agency of the government; it owns records."""

    department_field: ClassVar[str | None] = "pk"
    # A liaison keeps their department's record up to date but cannot remove the department.
    liaison_actions: ClassVar[tuple[str, ...]] = ("change",)

    name = models.CharField(max_length=200, unique=True)
    code = models.CharField(
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Za-z0-9_.-]+$", "Use letters, digits, dot, dash or underscore.")
        ],
        help_text='A short code used in files and reports, such as "PW" for Public Works.',
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    employees = models.PositiveIntegerField(null=True, blank=True)
    head = models.ForeignKey(
        "estate.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The department's director or head.",
    )
    it_liaison = models.ForeignKey(
        "estate.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="IT liaison",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:department_detail", args=[self.pk])

    def clean(self) -> None:
        node, seen = self.parent, set()
        while node is not None:
            if (self.pk is not None and node.pk == self.pk) or node.pk in seen:
                raise ValidationError({"parent": "A department cannot sit under itself."})
            seen.add(node.pk)
            node = node.parent


class Document(OwnedModel):
    """A file a department keeps with its records: a policy, a plan, a signed contract."""

    class Kind(models.TextChoices):
        POLICY = "policy", "Policy"
        PLAN = "plan", "Plan"
        CONTRACT = "contract", "Contract"
        REPORT = "report", "Report"
        OTHER = "other", "Other"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(upload_to="documents/%Y/", max_length=300)
    effective_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("org:document_detail", args=[self.pk])

    def clean(self) -> None:
        limit = settings.UPLOAD_MAX_MB * 1024 * 1024
        # Only a new upload is measured: a stored file may live elsewhere or be missing.
        if self.file and not getattr(self.file, "_committed", True) and self.file.size > limit:
            raise ValidationError(
                {"file": f"The file is larger than the {settings.UPLOAD_MAX_MB} MB limit."}
            )
