"""The exchange's records. A Townhall is a member (its profile, the metrics it submitted,
the cohort statistics it fetched), a hub (its members, their submissions, the cohort
statistics it computed), or both: the same tables serve either role."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from townhall.core.models import TrackedModel
from townhall.exchange import bands, library
from townhall.exchange.metrics import METRIC_SET_VERSION

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]

# --- the member's side -----------------------------------------------------------------


class JurisdictionProfile(TrackedModel):
    """This government as it joins an exchange: who it is, the figures its metrics are
    counted against, and its membership at a hub. One record. Only administrators see it
    (it holds the sealed signing key); the hub is told only the bands (`bands.profile`)."""

    admin_only = True

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=bands.KINDS)
    population = models.PositiveIntegerField(help_text="Residents, from the latest census.")
    region = models.CharField(max_length=20, choices=bands.REGIONS)
    operating_budget = models.DecimalField(
        "operating budget ($)", max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    employees = models.PositiveIntegerField(
        "government employees", help_text="Everyone the government employs, IT included."
    )
    it_operating_budget = models.DecimalField(
        "IT operating budget ($)",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    hub_url = models.URLField("exchange hub address", blank=True)
    member_id = models.CharField("member id at the hub", max_length=64, blank=True)
    signing_key = models.TextField(
        blank=True, help_text="The Ed25519 private key, sealed (core.sealing)."
    )
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "jurisdiction profile"

    def __str__(self) -> str:
        return self.name


class MetricSubmission(TrackedModel):
    """The metrics this government sent to its hub for a year, as the administrator saw
    and approved them, with the hub's answer."""

    admin_only = True

    year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    metric_set_version = models.CharField(max_length=20, default=METRIC_SET_VERSION)
    values = models.JSONField(default=dict, help_text="Metric key to value, as submitted.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    hub_revision = models.PositiveIntegerField(null=True, blank=True)
    hub_answer = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "metric_set_version"], name="exchange_submission_once_a_year"
            )
        ]
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Metrics for {self.year}"


class PeerStatistic(TrackedModel):
    """One cohort's statistics for one metric and year, as fetched from the hub: never a
    peer's own value, only the cohort's size and quartiles."""

    year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    metric_set_version = models.CharField(max_length=20)
    metric = models.CharField(max_length=60)
    cohort = models.CharField(max_length=200, help_text="The cohort's key at the hub.")
    cohort_label = models.CharField(max_length=200)
    members = models.PositiveIntegerField()
    q1 = models.FloatField("first quartile")
    median = models.FloatField()
    q3 = models.FloatField("third quartile")
    fetched_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "metric_set_version", "metric", "cohort"],
                name="exchange_peer_statistic_once",
            )
        ]
        ordering = ["-year", "metric", "cohort"]

    def __str__(self) -> str:
        return f"{self.metric}, {self.cohort_label}, {self.year}"


# --- the hub's side --------------------------------------------------------------------


class HubMember(TrackedModel):
    """A government that joined this hub: its public key and profile bands. Its name is
    seen only by the hub's administrators; no member ever sees another's."""

    admin_only = True

    member_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    public_key = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=bands.KINDS)
    population_band = models.CharField(
        max_length=30, choices=[(b.key, b.label) for b in bands.POPULATION_BANDS]
    )
    region = models.CharField(max_length=20, choices=bands.REGIONS)
    budget_band = models.CharField(
        max_length=30, choices=[(b.key, b.label) for b in bands.BUDGET_BANDS]
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class HubSubmission(TrackedModel):
    """A member's metrics for a year and metric set version, as signed and sent. Sending
    again replaces the values and counts the revision up; the same values change nothing."""

    admin_only = True

    member = models.ForeignKey(HubMember, on_delete=models.PROTECT, related_name="submissions")
    year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    metric_set_version = models.CharField(max_length=20)
    values = models.JSONField(default=dict)
    signature = models.CharField(max_length=200)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "metric_set_version"],
                name="exchange_hub_submission_once",
            )
        ]
        ordering = ["-year", "member"]

    def __str__(self) -> str:
        return f"{self.member} {self.year}"


class CohortStatistic(TrackedModel):
    """What the hub may release about one cohort's values of one metric in one year: its
    size and quartiles, or nothing but the reason (`suppressed`)."""

    year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    metric_set_version = models.CharField(max_length=20)
    metric = models.CharField(max_length=60)
    cohort = models.CharField(max_length=200)
    cohort_label = models.CharField(max_length=200)
    members = models.PositiveIntegerField()
    q1 = models.FloatField("first quartile", null=True, blank=True)
    median = models.FloatField(null=True, blank=True)
    q3 = models.FloatField("third quartile", null=True, blank=True)
    suppressed = models.CharField(max_length=200, blank=True)
    # A digest of the values behind the figures: an unchanged cohort keeps its figures (and
    # their noise) at the next recomputation. Stays at the hub; the API never sends it.
    inputs = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "metric_set_version", "metric", "cohort"],
                name="exchange_cohort_statistic_once",
            )
        ]
        ordering = ["-year", "metric", "cohort"]

    def __str__(self) -> str:
        return f"{self.metric}, {self.cohort_label}, {self.year}"


# --- scorecard ---
class ScorecardReading(models.Model):
    """Where one priority stood on one day, as the whole city stands: kept once a day by
    the readings job (`exchange/tasks.py`) so the scorecard can say which way each moves.
    Bookkeeping kept by the job alone, never edited by a person."""

    day = models.DateField()
    priority = models.CharField(max_length=60)
    status = models.CharField(max_length=20)
    value = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "priority"], name="exchange_reading_once")
        ]
        ordering = ["-day", "priority"]
        verbose_name = "scorecard reading"

    def __str__(self) -> str:
        return f"{self.priority} on {self.day:%Y-%m-%d}: {self.status}"


# --- survey ---
from townhall.exchange.survey_models import (  # noqa: E402, F401
    MemberSurvey,
    Survey,
    SurveyQuote,
    SurveyResponse,
)

# --- library ---


class PracticeDocument(TrackedModel):
    """A document a member shared in the hub's practice library, with the licence it is
    shared under and who at the member consented. Members see it through the signed API
    (without the member's name unless it chose to be named); withdrawn ones never."""

    admin_only = True

    member = models.ForeignKey(
        HubMember, on_delete=models.PROTECT, related_name="practice_documents"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=library.KINDS)
    summary = models.TextField(blank=True)
    priorities = models.JSONField(default=list, help_text="Keys of exchange.priorities.")
    licence = models.CharField(
        max_length=20, choices=[(k, name) for k, (name, _) in library.LICENCES.items()]
    )
    consent_name = models.CharField("consented by", max_length=200)
    consent_title = models.CharField("their title", max_length=200)
    consent_day = models.DateField("consented on")
    shown_as = models.CharField(max_length=20, choices=library.SHOWN_AS)
    file = models.FileField(upload_to="library/%Y/", max_length=300)
    file_name = models.CharField(max_length=100)
    file_type = models.CharField(
        max_length=10, choices=[(k, v[0]) for k, v in library.FILE_TYPES.items()]
    )
    size = models.PositiveIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "practice document"

    def __str__(self) -> str:
        return self.title


# --- hub ---


class HubJoinCode(TrackedModel):
    """A one-use code a hub administrator gives a government so it can join: kept only as
    its SHA-256, so a copy of the database lets nobody join; it expires unused."""

    admin_only = True

    code_hash = models.CharField(max_length=64, unique=True)
    note = models.CharField("for whom", max_length=200, blank=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        HubMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-expires_at"]

    def __str__(self) -> str:
        return self.note or f"Join code until {self.expires_at:%Y-%m-%d}"
