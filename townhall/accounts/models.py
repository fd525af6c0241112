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
    IT_MANAGER = "it_manager", "IT manager"
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
        # A new password or a deactivation, whatever the door (edit page, API, password
        # page, a command): the API tokens and sessions made before stop working.
        password_changed = self._password is not None and self._new_password()
        deactivated = not self.is_active and self._was_active()
        super().save(*args, **kwargs)
        if password_changed or deactivated:
            from townhall.accounts import sessions

            self._end_access(sessions.DEACTIVATED if deactivated else sessions.PASSWORD_CHANGED)

    def _was_active(self) -> bool:
        """Saved as active until now: this save deactivates the account."""
        if self.pk is None:
            return False
        manager = type(self)._default_manager
        return manager.filter(pk=self.pk, is_active=True).exists()

    def _end_access(self, reason: str) -> None:
        """Whatever the door (a page, the API, a command, Django's password form): the
        person's API tokens stop working and their sessions end, at once. A page that keeps
        its own session after a new password records it again (sessions.start). Written by
        the system, in the same request as the change that caused it."""
        from townhall.accounts import sessions, tokens
        from townhall.core.context import SYSTEM

        tokens.revoke_all(SYSTEM, self, reason)
        sessions.end_all(SYSTEM, self, reason)

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
        return self.is_active and self.role in (Role.ADMIN, Role.IT_MANAGER, Role.STAFF)


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


def _only_changed(obj: models.Model, before: dict[str, Any], allowed: set[str]) -> None:
    """A token or session changes in one way only (it is revoked or ended): nobody moves
    it to another owner, widens its scope or stretches its expiry afterwards."""
    from townhall.core.services import snapshot

    now = snapshot(obj)
    changed = sorted(k for k in now if k not in allowed and now[k] != before.get(k))
    if changed:
        raise ValidationError(
            {name: "This cannot be changed once made; make a new one instead." for name in changed}
        )


def _owner_rows(qs: Any, user: Any, action: str) -> Any:
    """A person's own tokens and sessions are theirs to see and end; administrators see
    and end anyone's. Nobody deletes them: an ended one stays, for the record."""
    from townhall.core.permissions import is_admin

    if action == "delete" or action == "add":
        return qs.none()
    return qs if is_admin(user) else qs.filter(owner=user.pk)


class ApiToken(models.Model):
    """A secret a program sends to act as its owner through the API.

    Only a SHA-256 hash of the secret is kept, beside its first characters (`prefix`,
    not secret on its own) by which the token is found in one indexed read; the secret
    itself is shown once, when it is made."""

    sign_in_activity = True  # see audit.models.AuditQuerySet.without_sign_ins

    # Their history (the audit log) shows to administrators only, like accounts'; the
    # records themselves follow `restrict_rows`: one's own, or anyone's for administrators.
    admin_only = True

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, in your words.")
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    expires_at = models.DateTimeField("expires")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField("last used", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("revoked", null=True, blank=True)
    revoked_reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from townhall.core.models import guard

        guard(self)
        super().save(*args, **kwargs)

    @classmethod
    def restrict_rows(cls, qs: Any, user: Any, action: str, by_role: Any) -> Any:
        return _owner_rows(qs, user, action)

    @classmethod
    def may_add(cls, user: Any, department_id: int | None) -> bool:
        return bool(getattr(user, "is_active", False))

    def check_write(self, user: Any, before: dict[str, Any] | None) -> None:
        """People make tokens for themselves; a revoked token stays revoked."""
        from townhall.core.permissions import is_admin

        if before is None:
            if self.owner_id != getattr(user, "pk", None) and not is_admin(user):
                raise PermissionDenied("You may make API tokens only for yourself.")
            return
        if before.get("revoked_at") and not self.revoked_at:
            raise ValidationError({"revoked_at": "A revoked token cannot be brought back."})
        _only_changed(self, before, {"revoked_at", "revoked_reason"})

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE

    def state(self, now: Any = None) -> str:
        """In use, expired or revoked, as a person would say it."""
        from django.utils import timezone

        if self.revoked_at:
            return "Revoked"
        if self.expires_at <= (now or timezone.now()):
            return "Expired"
        return "Active"


class SignedInSession(models.Model):
    """One signed-in browser session, so a person can see where they are signed in and end
    it. Only a hash of the session's key is kept: this table gives nobody a way in."""

    sign_in_activity = True  # see audit.models.AuditQuerySet.without_sign_ins

    admin_only = True  # in the audit log; the records follow `restrict_rows`

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("signed in", auto_now_add=True)
    last_seen_at = models.DateTimeField("last seen")
    ip_address = models.GenericIPAddressField("address", null=True, blank=True)
    user_agent = models.CharField("browser", max_length=200, blank=True)
    ended_at = models.DateTimeField("ended", null=True, blank=True)
    ended_reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        verbose_name = "signed-in session"
        indexes = [models.Index(fields=["owner", "ended_at"], name="session_owner_ended")]

    def __str__(self) -> str:
        return f"{self.owner} since {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def restrict_rows(cls, qs: Any, user: Any, action: str, by_role: Any) -> Any:
        return _owner_rows(qs, user, action)

    def check_write(self, user: Any, before: dict[str, Any] | None) -> None:
        if before is None:
            return
        if before.get("ended_at") and not self.ended_at:
            raise ValidationError({"ended_at": "An ended session cannot be resumed."})
        _only_changed(self, before, {"ended_at", "ended_reason"})


class SessionPolicy(models.Model):
    """How long a signed-in session lasts, set by an administrator: one row. Without it the
    limits are those of the settings (TOWNHALL_SESSION_HOURS, ..._MAX_HOURS)."""

    admin_only = True
    system_fields: ClassVar[tuple[str, ...]] = ()  # the one row is saved with id 1
    MAX_IDLE_MINUTES = 24 * 60
    MAX_ABSOLUTE_HOURS = 30 * 24

    idle_minutes = models.PositiveIntegerField(
        "idle limit (minutes)",
        help_text="A session nobody uses for this long ends. Between 5 minutes and 24 hours.",
    )
    absolute_hours = models.PositiveIntegerField(
        "absolute limit (hours)",
        help_text="A session ends this long after signing in, however busy. "
        "Between 1 hour and 30 days.",
    )
    mfa_roles = models.JSONField(
        "roles that must use two-step sign-in",
        default=list,
        blank=True,
        help_text="People of these roles who sign in with a password must enter a code from "
        "an authenticator app too; those without one enrol before doing anything else.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "session policy"
        verbose_name_plural = "session policy"

    def __str__(self) -> str:
        return "Session limits"

    def clean(self) -> None:
        errors = {}
        if not 5 <= (self.idle_minutes or 0) <= self.MAX_IDLE_MINUTES:
            errors["idle_minutes"] = "Choose between 5 and 1,440 minutes (24 hours)."
        if not 1 <= (self.absolute_hours or 0) <= self.MAX_ABSOLUTE_HOURS:
            errors["absolute_hours"] = "Choose between 1 and 720 hours (30 days)."
        elif not errors and self.absolute_hours * 60 < self.idle_minutes:
            errors["absolute_hours"] = "The absolute limit cannot be shorter than the idle one."
        unknown = [r for r in self.mfa_roles or [] if r not in Role.values]
        if not isinstance(self.mfa_roles, list) or unknown:
            errors["mfa_roles"] = "Choose among the roles Townhall has."
        if errors:
            raise ValidationError(errors)


class PersonalSecret:
    """What a person's own secrets share (an authenticator app, a recovery code, a passkey,
    a calendar address): each is its owner's to add, see and remove; administrators see
    and remove anyone's (a lost phone, a leaked address). Nobody changes one: a new one
    replaces it."""

    @classmethod
    def restrict_rows(cls, qs: Any, user: Any, action: str, by_role: Any) -> Any:
        from townhall.core.permissions import is_admin

        if action == "change":
            return qs.none()
        return qs if is_admin(user) else qs.filter(owner=user.pk)

    @classmethod
    def may_add(cls, user: Any, department_id: int | None) -> bool:
        return bool(getattr(user, "is_active", False))


class AuthenticatorApp(PersonalSecret, models.Model):
    """A person's authenticator app (RFC 6238 one-time codes), the second step of signing
    in with a password. The shared secret is needed to check codes, so it cannot be hashed:
    it is kept sealed (core.sealing, opened by accounts.mfa), never shown again after
    enrolment and never copied into history."""

    sign_in_activity = True  # see audit.models.AuditQuerySet.without_sign_ins

    admin_only = True  # in the audit log; the records follow `restrict_rows`

    owner = models.OneToOneField(User, on_delete=models.CASCADE, related_name="authenticator")
    totp_secret = models.CharField(max_length=255, editable=False)
    # The last time step whose code was accepted: a code is never accepted twice.
    last_used_step = models.BigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField("enrolled", auto_now_add=True)

    class Meta:
        verbose_name = "authenticator app"

    def __str__(self) -> str:
        return f"Authenticator app of {self.owner}"

    def check_write(self, user: Any, before: dict[str, Any] | None) -> None:
        if before is None and self.owner_id != getattr(user, "pk", None):
            raise PermissionDenied("People enrol their own authenticator app.")
        if before is not None:
            raise PermissionDenied("An authenticator app is not changed; enrol a new one.")


class RecoveryCode(PersonalSecret, models.Model):
    """One of the ten codes that stand in for the authenticator app, each once. Only a
    SHA-256 hash is kept: the codes are random, so a hash without salt is enough."""

    sign_in_activity = True  # see audit.models.AuditQuerySet.without_sign_ins

    admin_only = True

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, editable=False)
    used_at = models.DateTimeField("used", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "code_hash"], name="recoverycode_owner_hash")]

    def __str__(self) -> str:
        return f"Recovery code of {self.owner}"

    def check_write(self, user: Any, before: dict[str, Any] | None) -> None:
        if before is None and self.owner_id != getattr(user, "pk", None):
            raise PermissionDenied("People make their own recovery codes.")
        if before is not None:
            raise PermissionDenied("A recovery code is not changed; make new ones.")


class SignInEvent(models.Model):
    """A sign-in, or a failed one, kept so that the audit trail shows who came in, how,
    and who tried and failed (accounts/mfa.py writes them on the write path)."""

    sign_in_activity = True  # see audit.models.AuditQuerySet.without_sign_ins

    admin_only = True

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        PASSWORD_FAILED = "password_failed", "Sign-in refused at the password"
        CODE_FAILED = "code_failed", "Sign-in refused at the second step"
        RECOVERY_CODE = "recovery_code", "Signed in with a recovery code"

    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(max_length=150, help_text="As typed, or the account's.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    method = models.CharField(max_length=40, blank=True, help_text="How the person signed in.")
    ip_address = models.GenericIPAddressField("address", null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "sign-in"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.username}"


class Passkey(PersonalSecret, models.Model):
    """A passkey (WebAuthn credential) that stands in for the authenticator app's code at
    the second step. Only its public key is kept: it lets nobody in on its own."""

    sign_in_activity = True  # see audit.models.AuditQuerySet.without_sign_ins

    admin_only = True

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField(max_length=60, help_text="Which device it is on, in your words.")
    credential_id = models.CharField(max_length=1400, unique=True, editable=False)
    public_key = models.TextField(editable=False)
    # Counted up by some authenticators at each use: a lower count means a copied key.
    sign_count = models.BigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField("added", auto_now_add=True)
    last_used_at = models.DateTimeField("last used", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Passkey “{self.name}” of {self.owner}"

    def check_write(self, user: Any, before: dict[str, Any] | None) -> None:
        if before is None and self.owner_id != getattr(user, "pk", None):
            raise PermissionDenied("People add their own passkeys.")
        if before is not None:
            raise PermissionDenied("A passkey is not changed; add a new one.")


class FeedKey(PersonalSecret, models.Model):
    """The secret in a person's calendar feed address, which a calendar app fetches without
    a session. Only its SHA-256 hash is kept, as for an API token: the address is shown
    once, when it is made, and the feed finds its owner by the hash in one indexed read."""

    admin_only = True  # in the audit log; the records follow `restrict_rows`
    secret_fields = ("key_hash",)  # never copied into history

    owner = models.OneToOneField(User, on_delete=models.CASCADE, related_name="feed_key")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("made", auto_now_add=True)

    class Meta:
        verbose_name = "calendar address"

    def __str__(self) -> str:
        return f"Calendar address of {self.owner}"

    def check_write(self, user: Any, before: dict[str, Any] | None) -> None:
        if before is None and self.owner_id != getattr(user, "pk", None):
            raise PermissionDenied("People make their own calendar address.")
