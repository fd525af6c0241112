"""People who sign in, the role each has, and failed sign-ins for throttling."""

from typing import Any, ClassVar

from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import PermissionDenied, ValidationError
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


class TownhallUserManager(UserManager):
    """Django's user manager over UserQuerySet, written out (what from_queryset() would
    build) so the type checker can follow it."""

    _queryset_class = UserQuerySet

    def get_queryset(self) -> UserQuerySet:
        qs = super().get_queryset()
        assert isinstance(qs, UserQuerySet)  # built from _queryset_class
        return qs

    def restrict(self, user: Any, action: str = "view") -> UserQuerySet:
        return self.get_queryset().restrict(user, action)


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
    # AbstractBaseUser keeps here the raw password set_password() was given, until saved;
    # django-stubs leaves it out.
    _password: str | None

    objects: ClassVar[TownhallUserManager] = TownhallUserManager()

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
        # A new password, whatever the door (edit page, API, password page, a command):
        # the API token made under the old one stops working. Sessions end by themselves
        # (Django ties them to the password's hash).
        password_changed = self._password is not None and self._new_password()
        super().save(*args, **kwargs)
        if password_changed:
            from rest_framework.authtoken.models import Token

            Token.objects.filter(user=self).delete()

    def _new_password(self) -> bool:
        """set_password() was called with another password than the stored one (not the
        same one hashed again, as signing in does when the hashing settings change)."""
        if self.pk is None:
            return False
        stored = type(self)._default_manager.filter(pk=self.pk).values_list("password", flat=True)
        old = stored.first()
        return not old or not check_password(self._password, old)

    @classmethod
    def restrict_rows(cls, qs: Any, user: Any, action: str, by_role: Any) -> Any:
        """Nobody deletes their own account (see `check_delete`)."""
        return by_role.exclude(pk=user.pk) if action == "delete" else by_role

    def check_delete(self, user: Any) -> None:
        if getattr(user, "pk", None) == self.pk:
            raise PermissionDenied(
                "You cannot delete your own account: another administrator must, "
                "so that someone can always manage accounts."
            )

    def check_write(self, user: Any, before: dict[str, Any] | None) -> None:
        """An administrator cannot lock themselves out of managing accounts."""
        if before is None or getattr(user, "pk", None) != self.pk:
            return
        if before.get("role") == Role.ADMIN and self.role != Role.ADMIN:
            raise ValidationError(
                {
                    "role": "You cannot remove your own administrator role; "
                    "ask another administrator."
                }
            )
        if before.get("is_active") and not self.is_active:
            raise ValidationError(
                {"is_active": "You cannot deactivate your own account; ask another administrator."}
            )

    @property
    def can_edit_anything(self) -> bool:
        return self.is_active and self.role in (Role.ADMIN, Role.STAFF)


class LoginFailure(models.Model):
    """One failed sign-in (or API token) attempt; recent ones slow or refuse more attempts
    (accounts/throttle.py). `username` is kept in lower case; blank for a bad API token."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    known_browser = models.BooleanField(
        default=False, help_text="Made from a browser that had signed in to this account before."
    )

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"], name="loginfailure_username_at"),
            models.Index(fields=["ip_address", "at"], name="loginfailure_address_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} at {self.at}"
