"""Single sign-on records: which provider group gives which role, who is linked to which
provider identity, and every refused sign-in. Only administrators see or change them."""

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from townhall.accounts.models import Role
from townhall.core.models import TrackedModel, field_named
from townhall.signin.config import graph_url_allowed

# When several of a person's groups are mapped, the strongest role wins.
ROLE_STRENGTH: dict[str, int] = {
    Role.ADMIN: 6,
    Role.IT_MANAGER: 5,
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
        help_text="The provider's name, as on the providers page or in TOWNHALL_OIDC_PROVIDERS "
        "or TOWNHALL_SAML_PROVIDERS (such as entra); scim for provisioning; blank for every "
        "provider.",
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


# Settings only an OpenID Connect provider has (text; blank when unset).
OIDC_ONLY = (
    "issuer",
    "client_id",
    "client_secret",
    "scopes",
    "tenants",
    "acr_values",
    "prompt",
    "graph_url",
)


class SignInProvider(TrackedModel):
    """A sign-in provider added by an administrator on the Single sign-on page, beside those
    the server's environment names (townhall/signin/config.py); both are offered alike
    (townhall/signin/providers.py)."""

    admin_only = True
    department_field: ClassVar[str | None] = None
    # Never copied into the audit log (core.services.secret_fields); kept sealed (sealing.py).
    secret_fields: ClassVar[tuple[str, ...]] = ("client_secret", "private_key")

    class Kind(models.TextChoices):
        OIDC = "oidc", "OpenID Connect"
        SAML = "saml", "SAML 2.0"

    class Roles(models.TextChoices):
        GROUPS = "groups", "From the person's groups at the provider (group mappings)"
        TOWNHALL = "townhall", "Kept in Townhall: the provider sends no groups (Login.gov)"

    kind = models.CharField(max_length=4, choices=Kind.choices, default=Kind.OIDC)
    provider_id = models.CharField(
        "provider name",
        max_length=30,
        unique=True,
        help_text="Lower-case letters, digits and dashes, starting with a letter (such as "
        "entra). It is part of the addresses registered at the provider, so it cannot be "
        "changed later.",
    )
    name = models.CharField(
        "button words",
        max_length=100,
        help_text='Shown on the sign-in page as "Sign in with …", such as County account.',
    )
    enabled = models.BooleanField(
        "on",
        default=True,
        help_text="Switched off, its button is not offered and its sign-ins are refused.",
    )
    issuer = models.CharField(
        max_length=500,
        blank=True,
        help_text="OpenID Connect: the provider's https:// address, where it publishes "
        "/.well-known/openid-configuration.",
    )
    client_id = models.CharField("client ID", max_length=255, blank=True)
    client_secret = models.TextField(blank=True, editable=False)
    scopes = models.CharField(
        max_length=500,
        blank=True,
        help_text="OpenID Connect: separated by spaces; blank for openid profile email.",
    )
    groups_claim = models.CharField(
        max_length=200,
        blank=True,
        help_text="OpenID Connect: the ID token's claim holding groups; blank for groups.",
    )
    tenants = models.CharField(
        "Entra tenants",
        max_length=1000,
        blank=True,
        help_text="Entra ID multi-tenant issuers ({tenantid}) only: the tenant IDs allowed, "
        "separated by spaces or commas.",
    )
    # Sealed like the client secret (sealing.seal_key); with it the token request is
    # signed (private_key_jwt) and the client secret is not needed.
    private_key = models.TextField(blank=True, editable=False)
    acr_values = models.CharField(
        "level of assurance (acr_values)",
        max_length=500,
        blank=True,
        help_text="OpenID Connect: sent with every sign-in request, such as "
        "urn:acr.login.gov:auth-only for Login.gov; several are separated by spaces. Blank "
        "for none.",
    )
    prompt = models.CharField(
        max_length=100,
        blank=True,
        help_text="OpenID Connect: sent with every sign-in request, such as select_account "
        "for Login.gov. Blank for none.",
    )
    userinfo = models.BooleanField(
        "read e-mail and names from the userinfo endpoint",
        default=False,
        help_text="OpenID Connect: for providers whose ID token has no e-mail address "
        "(Login.gov). Groups are never read from it.",
    )
    roles = models.CharField(
        "how roles are given",
        max_length=8,
        choices=Roles.choices,
        default=Roles.GROUPS,
        help_text="Kept in Townhall: only people who already have an account sign in, with "
        "the role set on it; group mappings do not apply.",
    )
    graph_url = models.CharField(
        "Microsoft Graph address",
        max_length=500,
        blank=True,
        help_text="Entra ID: where the groups of a person in more than 200 groups are read. "
        "Blank for https://graph.microsoft.com; https://graph.microsoft.us in the U.S. "
        "Government clouds.",
    )
    metadata_url = models.CharField(
        "metadata address",
        max_length=500,
        blank=True,
        help_text="SAML: the provider's metadata address (re-read every four hours). Leave "
        "blank to import the metadata on the Single sign-on page instead.",
    )
    groups_attribute = models.CharField(
        max_length=300,
        blank=True,
        help_text="SAML: the attribute holding groups; blank for the usual ADFS, Entra ID "
        "and Okta ones.",
    )
    entity_id = models.CharField(
        "identity provider's entity ID",
        max_length=500,
        blank=True,
        help_text="SAML: which identity provider of a metadata file that holds several; "
        "blank for the first.",
    )

    class Meta:
        ordering = ["provider_id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider_id})"

    def get_absolute_url(self) -> str:
        return reverse("signin:provider_edit", args=[self.pk])

    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def tenant_list(self) -> list[str]:
        return self.tenants.replace(",", " ").split()

    def clean(self) -> None:
        from townhall.signin import providers
        from townhall.signin.config import PROVIDER_ID

        errors: dict[str, str] = {}
        if not PROVIDER_ID.match(self.provider_id or ""):
            errors["provider_id"] = (
                "Use up to 30 lower-case letters, digits and dashes, starting with a letter "
                "(such as entra)."
            )
        elif self.provider_id in providers.RESERVED:
            errors["provider_id"] = f"{self.provider_id} is kept for Townhall's own use."
        elif self.provider_id in providers.environment_ids():
            errors["provider_id"] = (
                f"The server's environment already names a provider {self.provider_id}; "
                "choose another name."
            )
        elif (
            self.pk
            and SignInProvider.objects.filter(pk=self.pk)
            .exclude(provider_id=self.provider_id)
            .exists()
        ):
            errors["provider_id"] = (
                "A provider's name cannot change: it is in the addresses registered at the "
                "provider and in its people's links. Add a new provider instead."
            )
        if self.name != self.name.strip() or not self.name.strip():
            errors["name"] = "Give the words of the button, without spaces around them."
        if self.kind == self.Kind.OIDC:
            errors.update(self._clean_oidc())
        else:
            errors.update(self._clean_saml())
        if errors:
            raise ValidationError(errors)

    def _clean_oidc(self) -> dict[str, str]:
        from townhall.signin import sealing
        from townhall.signin.oidc import TENANT as tenant

        errors: dict[str, str] = {}
        self.issuer = self.issuer.strip().rstrip("/")
        if not self.issuer.startswith("https://") and not self.issuer.startswith("http://"):
            errors["issuer"] = "Give the provider's https:// address (its issuer)."
        elif " " in self.issuer:
            errors["issuer"] = "The issuer is one address, without spaces."
        if not self.client_id.strip():
            errors["client_id"] = "Give the client ID the provider gave Townhall."
        secret = "client_secret"  # noqa: S105 - a field name
        if not self.client_secret and not self.private_key:
            errors[secret] = (
                "Give the client secret the provider gave Townhall, or a private key for a "
                "provider that signs token requests (such as Login.gov)."
            )
        elif self.client_secret and not sealing.looks_sealed(self.client_secret):
            errors[secret] = "Give the client secret sealed (townhall.signin.sealing.seal)."
        errors.update(self._clean_private_key())
        self.graph_url = self.graph_url.strip().rstrip("/")
        if self.graph_url and not graph_url_allowed(self.graph_url, settings.PRODUCTION):
            errors["graph_url"] = (
                "Give an https:// address (people's access tokens are sent there), or leave "
                "it blank for Microsoft Graph."
            )
        self.acr_values = " ".join(self.acr_values.split())
        self.prompt = " ".join(self.prompt.split())
        if self.roles not in self.Roles.values:
            errors["roles"] = (
                f"Choose {self.Roles.GROUPS} (roles from the provider's groups) or "
                f"{self.Roles.TOWNHALL} (the role set in Townhall)."
            )
        if self.tenants.strip() and tenant not in self.issuer:
            errors["tenants"] = (
                "Tenants count only for an Entra ID multi-tenant issuer, one with {tenantid} "
                "in it; leave this blank for this issuer."
            )
        if tenant in self.issuer and not self.tenant_list():
            errors["tenants"] = (
                "This issuer serves every Entra ID tenant: list the tenant IDs allowed to sign in."
            )
        if self.groups_claim != self.groups_claim.strip():
            errors["groups_claim"] = "Remove the spaces around the claim's name."
        if self.scopes.strip() and "openid" not in self.scope_list():
            errors["scopes"] = "The scopes must include openid."
        return errors

    def _clean_private_key(self) -> dict[str, str]:
        """The same rule as the environment's key file (config.checked_private_key). A key
        that cannot be opened (SECRET_KEY changed) is not refused here: the providers page
        asks for it again, as for a client secret."""
        from townhall.signin import sealing
        from townhall.signin.config import checked_private_key

        if not self.private_key:
            return {}
        if not sealing.looks_sealed(self.private_key):
            return {
                "private_key": "Give the private key sealed (townhall.signin.sealing.seal_key)."
            }
        pem = sealing.unseal_key(self.private_key)
        if pem is None:
            return {}
        try:
            checked_private_key(pem)
        except ValueError as exc:
            return {"private_key": f"Give {exc}"}
        return {}

    def _clean_saml(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        self.metadata_url = self.metadata_url.strip()
        if self.metadata_url and not self.metadata_url.startswith(("https://", "http://")):
            errors["metadata_url"] = "Give the metadata's https:// address, or leave it blank."
        for name in (*OIDC_ONLY, "private_key"):
            if getattr(self, name):
                label = field_named(SignInProvider, name).verbose_name
                errors[name] = f"A SAML provider has no {label}; leave it blank."
        if self.userinfo:
            errors["userinfo"] = "A SAML provider has no userinfo endpoint; leave it off."
        if self.roles != self.Roles.GROUPS:
            errors["roles"] = "A SAML provider's roles come from its groups."
        return errors

    def check_delete(self, user: object) -> None:
        """People linked through this provider would lose their way in: refused, with why."""
        linked = Identity.objects.filter(provider=self.provider_id).count()
        if linked:
            people = "person is" if linked == 1 else "people are"
            raise ValidationError(
                f"{linked} {people} linked to {self.name} and sign in with it. Switch it off "
                "instead (their links stay, and it can be switched on again), or undo their "
                "links on the Linked accounts page first."
            )
