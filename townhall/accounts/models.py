"""People who sign in, the role each has, and failed sign-ins for throttling."""

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    STAFF = "staff", "IT staff"
    LIAISON = "liaison", "Department liaison"
    BOARD = "board", "Board member"
    VIEWER = "viewer", "Viewer"


class UserQuerySet(models.QuerySet):
    def restrict(self, user: Any, action: str = "view") -> "UserQuerySet":
        from townhall.core.permissions import restrict

        return restrict(self, user, action)


class TownhallUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    admin_only = True  # only administrators see and manage accounts

    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        help_text="For department liaisons: the department whose records they may edit.",
    )
    # A secret for personal calendar feeds and similar links that cannot carry a session.
    feed_key = models.CharField(max_length=64, blank=True)

    objects = TownhallUserManager()

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Django's admin flags follow the role so there is one source of truth.
        self.is_staff = self.role == Role.ADMIN
        self.is_superuser = self.role == Role.ADMIN
        super().save(*args, **kwargs)

    @property
    def can_edit_anything(self) -> bool:
        return self.is_active and self.role in (Role.ADMIN, Role.STAFF)


class LoginFailure(models.Model):
    """One failed sign-in; recent ones for a username lock it for a while."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} at {self.at}"
