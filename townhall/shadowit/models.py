"""Shadow IT's sources: what the city paid for outside IT (purchasing-card transactions and
accounts-payable lines), which applications people sign in to (single sign-on exports), and
which domains they reach (DNS or web-proxy logs). Each is imported from the spreadsheet its
system exports; what they show is worked out from them later."""

import re
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse

from townhall.core import permissions
from townhall.core.models import OwnedModel, TrackedModel
from townhall.shadowit import classify


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
    # The merchant's normalised name, for matching and grouping: given from the descriptor
    # when the purchase is created (`keying`), grouped again by the merchant job.
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

    _printed: str | None = None  # the descriptor as read from the database

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> "Purchase":
        obj = super().from_db(*args, **kwargs)
        obj._printed = obj.__dict__.get("descriptor")  # to see the descriptor change
        return obj

    def clean(self) -> None:
        self.currency = (self.currency or "USD").strip().upper()
        printed = self._printed
        if self.descriptor and (
            not self.merchant_key or (printed is not None and printed != self.descriptor)
        ):
            # Derived from the descriptor, so the history entry of the write holds it; the
            # merchant job groups it with the other spellings.
            from townhall.shadowit import keying

            self.merchant_key = keying.key_for(self.descriptor)


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


CATEGORY_CHOICES = [
    ("software", "Software or cloud service"),
    ("hardware", "IT hardware"),
    ("telecom", "Telecom"),
    ("not_technology", "Not technology"),
    ("unknown", "Unknown"),
]


class Merchant(TrackedModel):
    """One merchant the purchases name, worked out from their descriptors by the merchant
    job (`shadowit/merchants.py`): what it is, how sure, and why, with the figures of its
    purchases kept on the row for the lists. People decide what it is to IT (its triage
    status); the job never changes that decision. Shared by every department: only IT staff
    change it."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ADOPTED = "adopted", "Adopted by IT"
        KNOWN = "known", "Known and allowed"
        DISMISSED = "dismissed", "Dismissed"

    key = models.CharField(
        max_length=200, unique=True, help_text="The normalised name purchases are grouped by."
    )
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, blank=True)
    processor = models.CharField(
        max_length=100,
        blank=True,
        help_text="The payment processor or marketplace it came through.",
    )
    category = models.CharField(
        max_length=20, choices=CATEGORY_CHOICES, default="unknown", db_index=True
    )
    confidence = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    why = models.TextField(blank=True, help_text="Why it was classified so.")
    vendor = models.ForeignKey(
        "estate.Vendor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shadow_merchants",
        verbose_name="estate vendor",
    )
    status = models.CharField(
        "triage status", max_length=10, choices=Status.choices, default="new", db_index=True
    )
    dismiss_reason = models.TextField("why dismissed", blank=True)
    first_seen = models.DateField("first purchase", null=True, blank=True)
    last_seen = models.DateField("last purchase", null=True, blank=True)
    total_spend = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    purchases = models.PositiveIntegerField("number of purchases", default=0)
    departments = models.ManyToManyField(
        "org.Department", blank=True, related_name="shadow_merchants"
    )
    sign_in_departments = models.ManyToManyField(
        "org.Department",
        blank=True,
        related_name="shadow_merchants_signed_in",
        verbose_name="departments signing in",
        help_text="The departments whose people sign in to it, from the sign-in exports.",
    )
    tool_kind = models.CharField(
        "kind of tool",
        max_length=60,
        blank=True,
        help_text="What the tool does (video meetings, e-signature, online forms): merchants "
        "of one kind bought by several departments may be consolidated.",
    )
    system = models.ForeignKey(
        "estate.System",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shadow_merchants",
        verbose_name="estate system",
        help_text="The system it became when IT adopted it.",
    )
    sign_in_application = models.CharField(
        "sign-in application",
        max_length=200,
        blank=True,
        help_text="The application in the sign-in exports that is this merchant's service.",
    )
    users = models.PositiveIntegerField(
        "people signing in", default=0, help_text="From the single sign-on exports."
    )
    last_sign_in = models.DateField("last sign-in", null=True, blank=True)
    security_reviewed_on = models.DateField(
        "security review", null=True, blank=True, help_text="When IT last reviewed its security."
    )

    department_field = None
    transitions: ClassVar[dict[str, set[tuple[str, str]]]] = {
        "status": {
            ("new", "adopted"),
            ("new", "known"),
            ("new", "dismissed"),
            ("adopted", "new"),
            ("known", "new"),
            ("dismissed", "new"),
            ("known", "adopted"),
            ("adopted", "known"),
        }
    }

    class Meta:
        ordering = ["-total_spend", "key"]
        indexes = [models.Index(fields=["status", "category"], name="shadowit_merchant_triage")]

    def __str__(self) -> str:
        return self.name or self.key

    def get_absolute_url(self) -> str:
        return _url(self)

    @property
    def found_in(self) -> list[str]:
        """Where it was found: in the purchases, the sign-in exports, the domains reached."""
        where = []
        if self.purchases or self.first_seen is not None:
            where.append("purchases")
        if self.last_sign_in is not None:
            where.append("sign-ins")
        elif self.users or not where:
            # People counted without a sign-in came from the domains reached; a merchant in
            # neither purchases nor sign-ins was found there.
            where.append("domains reached")
        return where

    def may_transition(self, user: Any, field: str, was: str, to: str) -> bool:
        """Only IT staff decide what a merchant is to IT."""
        return permissions.is_it_staff(user)

    def clean(self) -> None:
        super().clean()
        self.dismiss_reason = (self.dismiss_reason or "").strip()
        if self.status == self.Status.DISMISSED and not self.dismiss_reason:
            raise ValidationError({"dismiss_reason": "Say why the merchant is dismissed."})
        if self.status != self.Status.DISMISSED:
            self.dismiss_reason = ""
        # The estate system is the one it was adopted as (`services.adopt`): an edit by page
        # or API may correct the link of an adopted merchant, never give one to another.
        if self.system_id is not None and self.status != self.Status.ADOPTED:
            raise ValidationError(
                {"system": "Only an adopted merchant has an estate system: adopt it instead."}
            )


class MerchantRule(TrackedModel):
    """A person's rule: merchants it matches are of its category, before the reference list
    and the merchant category codes are asked (`classify.Rule`)."""

    class Match(models.TextChoices):
        KEY = "key", "Merchant key is"
        CONTAINS = "contains", "Descriptor contains"
        REGEX = "regex", "Descriptor matches the pattern"
        MCC = "mcc", "Merchant category code is"

    name = models.CharField(max_length=200, unique=True)
    match = models.CharField("match by", max_length=10, choices=Match.choices, default="contains")
    pattern = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=CATEGORY_CHOICES)
    active = models.BooleanField(default=True)

    department_field = None

    class Meta:
        ordering = ["name"]
        verbose_name = "merchant rule"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _url(self)

    def as_rule(self) -> classify.Rule:
        """The plain rule the classifier reads."""
        return classify.Rule(name=self.name, category=self.category, **{self.match: self.pattern})

    def clean(self) -> None:
        super().clean()
        self.pattern = (self.pattern or "").strip()
        if self.match == self.Match.KEY:
            self.pattern = self.pattern.lower()
        if self.match == self.Match.MCC and not re.fullmatch(r"\d{4}", self.pattern):
            raise ValidationError({"pattern": "A merchant category code is four digits."})
        try:
            self.as_rule()
        except ValueError as e:
            raise ValidationError({"pattern": str(e).split(": ", 1)[-1]}) from e


class Subscription(TrackedModel):
    """A recurring series of one merchant's charges in one department, found by the merchant
    job (`subscriptions.detect`) and replaced whenever it runs: people read it, never edit."""

    class Cadence(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        YEARLY = "yearly", "Yearly"

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="subscriptions")
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shadow_subscriptions",
    )
    cadence = models.CharField(max_length=10, choices=Cadence.choices)
    first_charge = models.DateField("first charge")
    typical_amount = models.DecimalField(max_digits=14, decimal_places=2)
    last_charge = models.DateField("last charge")
    next_expected = models.DateField("next charge expected")
    annual_cost = models.DecimalField(max_digits=16, decimal_places=2)
    lapsed = models.BooleanField(default=False)
    why = models.TextField(blank=True)

    # Worked out, not owned: only IT staff change it (the department is a fact about it).
    department_field = None

    class Meta:
        ordering = ["next_expected", "id"]
        indexes = [models.Index(fields=["merchant", "department"], name="shadowit_sub_merchant")]

    def __str__(self) -> str:
        return f"{self.merchant}: {self.get_cadence_display().lower()} {self.typical_amount}"

    def get_absolute_url(self) -> str:
        return _url(self)


class MerchantAnswer(OwnedModel):
    """A department's answer about one merchant it bought from: what the service is for and
    whether it holds residents' data. Liaisons answer for their own department."""

    class ResidentData(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNSURE = "unsure", "Not sure"

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="answers")
    purpose = models.TextField("what it is for", blank=True)
    resident_data = models.CharField(
        "holds residents' data",
        max_length=10,
        choices=ResidentData.choices,
        default=ResidentData.UNSURE,
    )

    class Meta:
        ordering = ["merchant", "owner_department"]
        verbose_name = "department answer"
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "owner_department"], name="shadowit_answer_per_dept"
            )
        ]

    def __str__(self) -> str:
        return f"{self.merchant}: {self.owner_department}"

    def clean(self) -> None:
        super().clean()
        self.purpose = (self.purpose or "").strip()
        if not self.purpose:
            raise ValidationError({"purpose": "Say what the department uses it for."})
        self._check_department_uses_it()

    def _check_department_uses_it(self) -> None:
        """A department answers only about what it bought or its people sign in to: the
        page, the API and the importer all save through here. An answer kept for the same
        merchant and department is not asked again (a department's past answer stays)."""
        if self.merchant_id is None or self.owner_department_id is None:
            return
        if self.pk is not None:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values_list("merchant_id", "owner_department_id")
                .first()
            )
            if stored == (self.merchant_id, self.owner_department_id):
                return
        merchant = Merchant.objects.filter(pk=self.merchant_id)
        uses = (
            merchant.filter(departments=self.owner_department_id).exists()
            or merchant.filter(sign_in_departments=self.owner_department_id).exists()
        )
        if not uses:
            name = merchant.values_list("name", flat=True).first() or "this merchant"
            raise ValidationError(
                {
                    "merchant": f"The department neither bought from {name} nor signs in to "
                    "it: it has nothing to answer about it."
                }
            )

    def get_absolute_url(self) -> str:
        return _url(self)


class MerchantReading(models.Model):
    """What the merchant job last read of one merchant's purchases: a fingerprint of them
    (how many, their sum, first and last day, their ids, the latest change), so the next run
    works out again only the merchants whose purchases changed. The row with an empty key
    holds the fingerprint of what every merchant is classified by (the active rules and the
    estate's vendors): when it changes, every merchant is classified again. Kept by the job
    alone, never edited, no history: it is bookkeeping, not a record."""

    key = models.CharField(max_length=200, unique=True)
    fingerprint = models.CharField(max_length=255)

    class Meta:
        verbose_name = "merchant job reading"

    def __str__(self) -> str:
        return self.key or "(rules and vendors)"


class MerchantSpelling(models.Model):
    """How the merchant job grouped one spelling of a merchant: a descriptor's normalised key
    (``govform``) and the merchant key it was grouped under (``govforms``). A new purchase is
    given its merchant key from it when it is created, so most purchases arrive keyed and the
    job keys again only those whose spelling it has not grouped yet. Kept by the job alone,
    never edited, no history: it is bookkeeping, not a record."""

    spelling = models.CharField(max_length=200, unique=True)
    key = models.CharField(max_length=200)

    class Meta:
        verbose_name = "merchant spelling"

    def __str__(self) -> str:
        return f"{self.spelling} → {self.key}"
