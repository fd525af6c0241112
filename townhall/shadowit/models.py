"""Shadow IT's sources: what the city paid for outside IT (purchasing-card transactions and
accounts-payable lines), which applications people sign in to (single sign-on exports), and
which domains they reach (DNS or web-proxy logs). Each is imported from the spreadsheet its
system exports; what they show is worked out from them later."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse

from townhall.core.models import OwnedModel


def _url(obj: models.Model) -> str:
    return reverse(f"shadowit:{obj._meta.model_name}_detail", args=[obj.pk])


class Purchase(OwnedModel):
    """One line of a purchasing-card statement or of accounts payable, as printed: the
    merchant as the statement spells it ("PAYPAL *ZOOM.US 888-799"), the amount (a refund is
    negative) and who bought it. `occurrence` tells apart identical lines of one file (two
    coffees of one day), so that importing the file again finds each of them."""

    class PaidBy(models.TextChoices):
        CARD = "card", "Purchasing card"
        PAYABLES = "payables", "Accounts payable"

    paid_by = models.CharField("paid by", max_length=10, choices=PaidBy.choices, default="card")
    purchased_on = models.DateField("date")
    descriptor = models.CharField(
        "merchant as printed",
        max_length=200,
        help_text="The merchant or payee exactly as the statement or invoice names it.",
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(
        max_length=3,
        default="USD",
        validators=[RegexValidator(r"^[A-Za-z]{3}$", "A currency is three letters, as USD.")],
    )
    mcc = models.CharField(
        "merchant category code",
        max_length=4,
        blank=True,
        default="",
        validators=[RegexValidator(r"^\d{4}$", "A merchant category code is four digits.")],
    )
    cardholder = models.CharField("cardholder or requester", max_length=200, blank=True, default="")
    description = models.TextField(blank=True)
    reference = models.CharField("transaction reference", max_length=100, blank=True, db_index=True)
    occurrence = models.PositiveSmallIntegerField(
        default=1,
        editable=False,
        validators=[MinValueValidator(1)],
        help_text="Which of the identical lines of its file this is (1 for the first).",
    )
    # The merchant's normalised name, for matching and grouping; filled in later.
    merchant_key = models.CharField(max_length=200, blank=True, default="", db_index=True)

    class Meta:
        ordering = ["-purchased_on", "-id"]
        indexes = [
            models.Index(fields=["-purchased_on", "-id"], name="shadowit_purchase_date"),
            models.Index(
                fields=["owner_department", "-purchased_on"], name="shadowit_purchase_dept"
            ),
            models.Index(
                fields=["purchased_on", "descriptor", "amount"], name="shadowit_purchase_key"
            ),
            models.Index(fields=["mcc"], name="shadowit_purchase_mcc"),
        ]

    def __str__(self) -> str:
        return f"{self.descriptor} {self.amount} {self.currency} on {self.purchased_on}"

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        self.currency = (self.currency or "USD").strip().upper()


class SignInApp(OwnedModel):
    """One person's use of one application, from a single sign-on system's export: who
    signed in to what, and when last."""

    class System(models.TextChoices):
        ENTRA = "entra", "Entra ID"
        OKTA = "okta", "Okta"
        OTHER = "other", "Other"

    application = models.CharField("application", max_length=200)
    username = models.CharField(
        "user name", max_length=254, help_text="The person's sign-in name or e-mail."
    )
    last_sign_in = models.DateField("last sign-in")
    system = models.CharField(
        "sign-in system", max_length=10, choices=System.choices, default="other"
    )

    class Meta:
        ordering = ["application", "username"]
        verbose_name = "application sign-in"
        verbose_name_plural = "application sign-ins"
        indexes = [
            models.Index(fields=["application", "username"], name="shadowit_signin_app"),
            models.Index(fields=["owner_department", "application"], name="shadowit_signin_dept"),
            models.Index(fields=["-last_sign_in"], name="shadowit_signin_last"),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.username}"

    def get_absolute_url(self) -> str:
        return _url(self)


class DomainUse(OwnedModel):
    """A domain reached from the city's network in a period, from DNS or web-proxy logs:
    how many requests and how many people or devices."""

    domain = models.CharField(max_length=253)
    requests = models.PositiveBigIntegerField(null=True, blank=True)
    users = models.PositiveIntegerField("users or clients", null=True, blank=True)
    period_start = models.DateField("from")
    period_end = models.DateField("to")

    class Meta:
        ordering = ["domain", "-period_start"]
        verbose_name = "domain use"
        verbose_name_plural = "domain uses"
        indexes = [
            models.Index(fields=["domain", "period_start"], name="shadowit_domain_key"),
            models.Index(fields=["-period_start", "domain"], name="shadowit_domain_period"),
            models.Index(fields=["owner_department", "domain"], name="shadowit_domain_dept"),
        ]

    def __str__(self) -> str:
        return f"{self.domain} ({self.period_start} to {self.period_end})"

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        self.domain = (self.domain or "").strip().lower().rstrip(".")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "The period cannot end before it starts."})
