"""Single sign-on records: which provider group gives which role, who is linked to which
provider identity, and every refused sign-in. Only administrators see or change them."""

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from townhall.accounts.models import Role
from townhall.core.models import TrackedModel

# When several of a person's groups are mapped, the strongest role wins.
ROLE_STRENGTH: dict[str, int] = {
    Role.ADMIN: 5,
    Role.STAFF: 4,
    Role.LIAISON: 3,
    Role.BOARD: 2,
    Role.VIEWER: 1,
}


class GroupMapping(TrackedModel):
    """A group at a sign-in provider and the Townhall role (and department) it gives."""

    admin_only = True
    department_field: ClassVar[str | None] = None

    provider = models.CharField(
        max_length=30,
        blank=True,
        help_text="The provider's name in TOWNHALL_OIDC_PROVIDERS or TOWNHALL_SAML_PROVIDERS "
        "(such as entra); blank for every provider.",
    )
    group = models.CharField(
        max_length=200,
        help_text="The group exactly as the provider sends it (Entra ID sends the group's "
        "object ID; Okta its name).",
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Required for department liaisons: the department whose records they edit.",
    )

    class Meta:
        ordering = ["provider", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "group"], name="signin_groupmapping_provider_group"
            )
        ]

    def __str__(self) -> str:
        where = self.provider or "any provider"
        return f"{self.group} ({where}) → {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return reverse("signin:mapping_edit", args=[self.pk])

    def clean(self) -> None:
        if self.role == Role.LIAISON and not self.department_id:
            raise ValidationError(
                {"department": "A department liaison needs the department they work for."}
            )
        if self.group != self.group.strip():
            raise ValidationError({"group": "Remove the spaces around the group's name."})


class Identity(TrackedModel):
    """A person's identity at a provider (its `sub`), linked to one Townhall account."""

    admin_only = True
    department_field: ClassVar[str | None] = None

    provider = models.CharField(max_length=30)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identities"
    )

    class Meta:
        ordering = ["provider", "subject"]
        verbose_name_plural = "identities"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="signin_identity_provider_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.provider}"


class SignInRefusal(TrackedModel):
    """One refused single sign-on, kept so administrators can see who was turned away and
    why (each is also an audit entry, as it is created through the write path)."""

    sign_in_activity = True  # see audit.models.AuditQuerySet.without_sign_ins

    class Reason(models.TextChoices):
        BAD_SIGNATURE = "bad_signature", "Signature missing or not the provider's"
        EXPIRED = "expired", "ID token or assertion expired"
        WRONG_AUDIENCE = "wrong_audience", "Issued for another application"
        WRONG_ISSUER = "wrong_issuer", "From another issuer"
        NONCE = "nonce", "Nonce missing or wrong"
        INVALID_TOKEN = "invalid_token", "Answer unreadable or incomplete"
        REPLAYED = "replayed", "ID token or assertion used twice"
        STATE = "state", "Sign-in not started in this browser"
        CANCELLED = "cancelled", "Cancelled or refused at the provider"
        PROVIDER = "provider", "Provider unreachable or answered with an error"
        UNMAPPED = "unmapped", "No group mapped to a role"
        DEACTIVATED = "deactivated", "Account deactivated"
        NO_ACCOUNT = "no_account", "No Townhall account"
        AMBIGUOUS = "ambiguous", "Several accounts share the e-mail address"
        UNSAFE_NEXT = "unsafe_next", "Return address outside Townhall"
        ACCOUNT_INVALID = "account_invalid", "Account could not be saved"
        WRONG_RECIPIENT = "wrong_recipient", "Response sent to another address"
        GRAPH_GROUPS = "graph_groups", "Too many groups, and Microsoft Graph did not list them"

    admin_only = True
    department_field: ClassVar[str | None] = None

    provider = models.CharField(max_length=30)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    message = models.TextField(help_text="What the person was shown.")
    subject = models.CharField(max_length=255, blank=True)
    email = models.CharField(max_length=254, blank=True)
    groups = models.JSONField(default=list, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Sign-in refused at {self.provider}: {self.get_reason_display()}"


class SeenAssertion(TrackedModel):
    """A SAML assertion already used to sign in, kept until it expires so that the same
    assertion, captured and posted again, is refused."""

    sign_in_activity = True  # see audit.models.AuditQuerySet.without_sign_ins

    admin_only = True
    department_field: ClassVar[str | None] = None

    provider = models.CharField(max_length=30)
    assertion_id = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-expires_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "assertion_id"], name="signin_seenassertion_provider_id"
            )
        ]

    def __str__(self) -> str:
        return f"Assertion {self.assertion_id} from {self.provider}"


class ImportedMetadata(TrackedModel):
    """A SAML identity provider's metadata imported by an administrator on the Single
    sign-on page; it takes the place of the metadata named by environment variables."""

    admin_only = True
    department_field: ClassVar[str | None] = None

    provider = models.CharField(max_length=30, unique=True)
    document = models.TextField(help_text="The metadata XML as imported.")
    address = models.URLField(
        max_length=500, blank=True, help_text="Where it was read from (blank: a file)."
    )
    entity_id = models.CharField(max_length=500, help_text="The identity provider's entity ID.")

    class Meta:
        ordering = ["provider"]
        verbose_name_plural = "imported metadata"

    def __str__(self) -> str:
        return f"SAML metadata for {self.provider}"


class BreakGlassSignIn(TrackedModel):
    """A password sign-in of the break-glass account while password sign-in is off: rare by
    design, so each is kept (and audited) for administrators to review."""

    sign_in_activity = True  # see audit.models.AuditQuerySet.without_sign_ins

    admin_only = True
    department_field: ClassVar[str | None] = None

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(max_length=150, help_text="Kept even if the account is removed.")
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Break-glass sign-in by {self.username}"
