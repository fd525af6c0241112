"""What an identity provider keeps in Townhall through SCIM provisioning: the account it
created or linked (with the enterprise extension's fields Townhall has room for) and its
groups, whose names the sign-in group mappings turn into a role and department."""

from typing import ClassVar

from django.conf import settings
from django.db import models

from townhall.core.models import TrackedModel


class ProvisionedUser(TrackedModel):
    """The provider's side of one account: its `externalId` (kept in `external_id`) and the
    enterprise user fields that have no column on the account itself."""

    admin_only = True
    department_field: ClassVar[str | None] = None

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provisioned"
    )
    employee_number = models.CharField(max_length=100, blank=True)
    department_name = models.CharField(
        "department (as the provider names it)", max_length=200, blank=True
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["user_id"]
        indexes = [models.Index(fields=["external_id"], name="scim_user_external_id")]

    def __str__(self) -> str:
        return f"{self.user} (provisioned)"


class ProvisionedGroup(TrackedModel):
    """A group the provider pushes; its display name is the group name that sign-in's group
    mappings look for."""

    admin_only = True
    department_field: ClassVar[str | None] = None

    display_name = models.CharField(max_length=200, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="provisioned_groups"
    )

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name
