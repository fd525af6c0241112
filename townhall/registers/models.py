"""The registers: what the government has and does beyond its core systems, each tied to
the estate. Every register's record is `Reviewed`: a department answers for it, a person
owns its review, and the day it is next due puts it in the calendar and, once past, on IT
staff's home page (`reviews.py`)."""

import datetime
from typing import Any, ClassVar, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from townhall.core.models import OwnedModel, TrackedModel, field_named
from townhall.estate.models import System
from townhall.registers import pilots, readiness
from townhall.registers.dcat import FREQUENCIES, MEDIA_TYPE_RE, is_temporal


def _url(obj: models.Model) -> str:
    return reverse(f"registers:{obj._meta.model_name}_detail", args=[obj.pk])


class Reviewed(OwnedModel):
    """A register's record: owned by a department, reviewed by a person on a schedule.
    Every register's records take these fields, so one calendar, one overdue list and one
    front page serve them all."""

    review_owner = models.ForeignKey(
        "estate.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="review owner",
        help_text="The person who reviews this record and answers for it.",
    )
    last_reviewed_on = models.DateField("last reviewed on", null=True, blank=True)
    next_review_on = models.DateField(
        "next review due",
        null=True,
        blank=True,
        help_text="Empty: a year after the last review.",
    )

    class Meta:
        abstract = True

    # The review days as last read from the database, so `clean` can tell a newly recorded
    # review from a record saved again.
    _stored_review: tuple[datetime.date | None, datetime.date | None] = (None, None)

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> Self:
        obj = super().from_db(*args, **kwargs)
        obj._stored_review = (
            obj.__dict__.get("last_reviewed_on"),
            obj.__dict__.get("next_review_on"),
        )
        return obj

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        super().clean()
        stored_last, stored_next = self._stored_review
        recorded_anew = stored_last != self.last_reviewed_on and stored_next == self.next_review_on
        # A review recorded with no new due day moves the next review a year after it: left
        # as it was, the record would stay past its review day however often it is reviewed.
        if self.last_reviewed_on and (self.next_review_on is None or recorded_anew):
            self.next_review_on = add_year(self.last_reviewed_on)
        if (
            self.last_reviewed_on
            and self.next_review_on
            and self.next_review_on < self.last_reviewed_on
        ):
            raise ValidationError({"next_review_on": "The next review comes after the last one."})


def add_year(day: datetime.date) -> datetime.date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


# --- Social media accounts ---


class SocialAccount(Reviewed):
    """An account the government speaks through on a social platform, and what it would take
    to keep it when a person leaves: its administrators, multi-factor sign-in, where its
    credentials are kept and who the platform would send a reset to."""

    class Platform(models.TextChoices):
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"
        X = "x", "X"
        YOUTUBE = "youtube", "YouTube"
        LINKEDIN = "linkedin", "LinkedIn"
        NEXTDOOR = "nextdoor", "Nextdoor"
        TIKTOK = "tiktok", "TikTok"
        THREADS = "threads", "Threads"
        BLUESKY = "bluesky", "Bluesky"
        OTHER = "other", "Other"

    class Credentials(models.TextChoices):
        VAULT = "vault", "Password manager or vault"
        BUSINESS_MANAGER = "business_manager", "The platform's business manager"
        SHARED_DOCUMENT = "shared_document", "Shared document"
        PERSONAL = "personal", "A person's own account"
        UNKNOWN = "unknown", "Unknown"

    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(
        max_length=200, help_text="The account's name on the platform, such as @JuniperParks."
    )
    address = models.URLField("address", max_length=500, blank=True)
    owner = models.ForeignKey(
        "estate.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_accounts_owned",
        verbose_name="account owner",
        help_text="The person who answers for what the account says.",
    )
    administrators = models.ManyToManyField(
        "estate.Person",
        blank=True,
        related_name="social_accounts_administered",
        help_text="Everyone who can sign in and manage the account: two at least.",
    )
    multi_factor = models.BooleanField(
        "multi-factor on", default=False, help_text="Signing in asks for a second factor."
    )
    credentials_kept_in = models.CharField(
        "credentials kept in",
        max_length=20,
        choices=Credentials.choices,
        default=Credentials.UNKNOWN,
    )
    recovery_email = models.EmailField(
        "recovery e-mail", blank=True, help_text="Where the platform sends a password reset."
    )
    recovery_phone = models.CharField(
        "recovery phone",
        max_length=50,
        blank=True,
        help_text="Where the platform sends a sign-in code.",
    )
    recovery_phone_government = models.BooleanField(
        "recovery phone is a government line",
        default=False,
        help_text="The government pays for the line, not a person.",
    )
    recovery_person = models.ForeignKey(
        "estate.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_accounts_recovered",
        verbose_name="personal recovery contacts belong to",
        help_text="The person whose own e-mail or phone is the recovery contact, if so.",
    )

    class Meta:
        ordering = ["platform", "handle"]
        verbose_name = "social media account"
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "handle"], name="registers_social_platform_handle"
            )
        ]

    def __str__(self) -> str:
        return f"{self.handle} on {self.get_platform_display()}"

    def clean(self) -> None:
        super().clean()
        self.handle = (self.handle or "").strip()
        if any(ch.isspace() for ch in self.handle):
            raise ValidationError({"handle": "A handle has no spaces."})
        if self.recovery_phone_government and not self.recovery_phone.strip():
            raise ValidationError(
                {"recovery_phone_government": "Give the recovery phone that is a government line."}
            )


# --- AI use cases ---
# The fields of the federal AI use case inventory (OMB memorandum M-25-21 and the inventory
# guidance that follows it), for a city's own register. Choice labels are the values the
# federal file writes, so the inventory's CSV (ai_inventory.py) reads and writes them as is.

YES_NO = [("yes", "Yes"), ("no", "No")]


class AIUseCase(Reviewed):
    """One use of AI by the government: what it is for, how far along it is, whether it can
    affect people's rights or safety (high-impact), and, when it can, how its risks are
    managed before and after it goes live."""

    class TopicArea(models.TextChoices):
        GOVERNMENT_SERVICES = "government_services", "Government Services"
        MISSION_ENABLING = "mission_enabling", "Mission-Enabling"
        HEALTH = "health", "Health & Medical"
        LAW_JUSTICE = "law_justice", "Law & Justice"
        EMERGENCY = "emergency", "Emergency Management"
        TRANSPORTATION = "transportation", "Transportation"
        ENERGY_ENVIRONMENT = "energy_environment", "Energy & the Environment"
        EDUCATION_WORKFORCE = "education_workforce", "Education & Workforce"
        SCIENCE = "science", "Science & Space"
        AGRICULTURE = "agriculture", "Agriculture"
        OTHER = "other", "Other"

    class Stage(models.TextChoices):
        PRE_DEPLOYMENT = "pre_deployment", "Pre-deployment"
        PILOT = "pilot", "Pilot"
        DEPLOYED = "deployed", "Deployed"
        RETIRED = "retired", "Retired"

    class HighImpact(models.TextChoices):
        YES = "yes", "High-impact"
        PRESUMED = "presumed", "Presumed high-impact"
        NO = "no", "Not high-impact"

    class Development(models.TextChoices):
        IN_HOUSE = "in_house", "Developed in-house"
        CONTRACTED = "contracted", "Developed with contracting resources"
        BOTH = "both", "Developed with both contracting and in-house resources"

    class Practice(models.TextChoices):
        DONE = "done", "Yes"
        IN_PROGRESS = "in_progress", "In progress"
        NOT_DONE = "not_done", "No"
        WAIVED = "waived", "Waived"

    name = models.CharField("use case name", max_length=200)
    topic_area = models.CharField("topic area", max_length=30, choices=TopicArea.choices)
    topic_other = models.CharField(
        "other topic area",
        max_length=200,
        blank=True,
        help_text="When the topic area is Other: what it is.",
    )
    purpose = models.TextField(
        "purpose and expected benefits",
        help_text="What the AI is for, and what the government and the public gain by it.",
    )
    outputs = models.TextField(
        "outputs", help_text="What the AI produces: text, scores, alerts, decisions."
    )
    stage = models.CharField("stage of development", max_length=20, choices=Stage.choices)
    high_impact = models.CharField(
        "high-impact",
        max_length=10,
        choices=HighImpact.choices,
        help_text="High-impact: its output is a principal basis for decisions with legal, "
        "material or similarly significant effects on people's rights or safety. Presumed: "
        "it falls in a category the memorandum presumes high-impact.",
    )
    high_impact_reason = models.TextField(
        "why high-impact (or not)",
        blank=True,
        help_text="Required for a high-impact or presumed high-impact use.",
    )
    initiated_on = models.DateField("date initiated", null=True, blank=True)
    implemented_on = models.DateField("date implemented", null=True, blank=True)
    retired_on = models.DateField("date retired", null=True, blank=True)
    development = models.CharField(
        "developed by", max_length=20, choices=Development.choices, blank=True
    )
    vendor = models.ForeignKey(
        "estate.Vendor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ai_use_cases",
        help_text="The company that supplies the AI, when it is bought.",
    )
    contract_number = models.CharField(
        "contract number",
        max_length=200,
        blank=True,
        help_text="The contract (procurement instrument identifier) it is bought under.",
    )
    system = models.ForeignKey(
        "estate.System",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ai_use_cases",
        help_text="The system in the estate the AI runs in or is part of.",
    )
    public_facing = models.CharField(
        "public-facing",
        max_length=3,
        choices=YES_NO,
        blank=True,
        help_text="Does it give information to, or talk with, the public?",
    )
    personal_data = models.CharField(
        "involves personal information",
        max_length=3,
        choices=YES_NO,
        blank=True,
        help_text="Does it use personally identifiable information the government keeps?",
    )
    privacy_assessed = models.CharField(
        "privacy risks assessed",
        max_length=3,
        choices=YES_NO,
        blank=True,
        help_text="For a use with personal information: has the privacy officer assessed it?",
    )
    demographic_features = models.TextField(
        "demographic features used",
        blank=True,
        help_text="Demographic variables the model uses as inputs, if any.",
    )
    # The minimum risk practices for a high-impact use: each as a status and how it is done.
    testing = models.CharField(
        "pre-deployment testing", max_length=20, choices=Practice.choices, blank=True
    )
    testing_notes = models.TextField("pre-deployment testing: how", blank=True)
    impact_assessment = models.CharField(
        "impact assessment", max_length=20, choices=Practice.choices, blank=True
    )
    impact_assessment_notes = models.TextField("impact assessment: how", blank=True)
    monitoring = models.CharField(
        "ongoing monitoring", max_length=20, choices=Practice.choices, blank=True
    )
    monitoring_notes = models.TextField("ongoing monitoring: how", blank=True)
    training = models.CharField(
        "operator training", max_length=20, choices=Practice.choices, blank=True
    )
    training_notes = models.TextField("operator training: how", blank=True)
    oversight = models.CharField(
        "human oversight", max_length=20, choices=Practice.choices, blank=True
    )
    oversight_notes = models.TextField("human oversight: how", blank=True)
    remedy = models.CharField(
        "appeal or remedy", max_length=20, choices=Practice.choices, blank=True
    )
    remedy_notes = models.TextField("appeal or remedy: how", blank=True)
    feedback = models.CharField(
        "public feedback", max_length=20, choices=Practice.choices, blank=True
    )
    feedback_notes = models.TextField("public feedback: how", blank=True)

    class Meta:
        verbose_name = "AI use case"
        verbose_name_plural = "AI use cases"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        from townhall.registers import ai_rules

        problems = ai_rules.problems(ai_rules.Answers.of(self))
        if problems:
            raise ValidationError(problems)


# --- Data inventory ---------------------------------------------------------------------


class Dataset(Reviewed):
    """A body of data the government keeps: who publishes and stewards it, which system
    holds it, how sensitive it is, how long it is kept, and whether (and where) the public
    may have it. The public and restricted-public ones make the `data.json` catalog."""

    # The estate's words for how sensitive data is: a dataset's and a system's agree.
    Classification = System.Classification

    class AccessLevel(models.TextChoices):
        PUBLIC = "public", "Public"
        RESTRICTED_PUBLIC = "restricted public", "Restricted public"
        NON_PUBLIC = "non-public", "Not public"

    title = models.CharField(max_length=200)
    identifier = models.CharField(
        max_length=200,
        unique=True,
        help_text="The dataset's lasting identifier in the catalog; an import matches on it.",
    )
    description = models.TextField()
    keywords = models.CharField(
        max_length=500, help_text="Words people search for, separated by commas."
    )
    themes = models.CharField(max_length=300, blank=True, help_text="Separated by commas.")
    steward = models.ForeignKey(
        "estate.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The person who answers for the data's meaning and quality.",
    )
    contact_name = models.CharField(
        "contact name", max_length=200, blank=True, help_text="Empty: the steward."
    )
    contact_email = models.EmailField(
        "contact e-mail", blank=True, help_text="Empty: the steward's e-mail."
    )
    system = models.ForeignKey(
        "estate.System",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="datasets",
        verbose_name="system of record",
    )
    classification = models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.INTERNAL
    )
    personal_data = models.BooleanField("contains personal data", default=False)
    sensitive_personal_data = models.BooleanField(
        "sensitive personal data",
        default=False,
        help_text="Health, criminal justice, benefits or similar.",
    )
    childrens_data = models.BooleanField("children's data", default=False)
    retention_schedule = models.CharField(
        "retention schedule", max_length=200, blank=True, help_text="The schedule and item."
    )
    retention_years = models.PositiveSmallIntegerField("kept for (years)", null=True, blank=True)
    accrual_periodicity = models.CharField(
        "update frequency", max_length=20, choices=FREQUENCIES, blank=True
    )
    access_level = models.CharField(
        "access level",
        max_length=20,
        choices=AccessLevel.choices,
        default=AccessLevel.NON_PUBLIC,
        db_index=True,
    )
    rights = models.CharField(
        max_length=255,
        blank=True,
        help_text="Why access is limited and how to ask for it (needed unless public).",
    )
    landing_page = models.URLField(
        "open-data address", max_length=500, blank=True, help_text="The dataset's public page."
    )
    license = models.URLField(max_length=500, blank=True)
    spatial = models.CharField("area covered", max_length=200, blank=True)
    temporal = models.CharField(
        "period covered",
        max_length=100,
        blank=True,
        help_text="ISO 8601 interval, such as 2015-01-01/2026-12-31.",
    )
    issued = models.DateField("first published", null=True, blank=True)
    data_modified_on = models.DateField(
        "data last changed", null=True, blank=True, help_text="Empty: the record's last change."
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        public = self.access_level == self.AccessLevel.PUBLIC
        if public and not self.landing_page and not (self.pk and self.distributions.exists()):
            errors["landing_page"] = (
                "A public dataset needs an open-data address or a distribution."
            )
        if not public and not self.rights.strip():
            errors["rights"] = "Say why access is limited and how to ask for it."
        if public and self.classification in (
            self.Classification.RESTRICTED,
            self.Classification.CONFIDENTIAL,
        ):
            errors["access_level"] = (
                f"A {self.get_classification_display().lower()} dataset cannot be public."
            )
        steward_email = self.steward.email if self.steward_id and self.steward else ""
        if self.access_level != self.AccessLevel.NON_PUBLIC and not (
            self.contact_email or steward_email
        ):
            errors["contact_email"] = (
                "A dataset in the catalog needs a contact e-mail (or a steward with one)."
            )
        if (self.sensitive_personal_data or self.childrens_data) and not self.personal_data:
            errors["personal_data"] = (
                "Sensitive or children's data is personal data: tick this as well."
            )
        if self.temporal and not is_temporal(self.temporal):
            errors["temporal"] = "Give an ISO 8601 interval, such as 2015-01-01/2026-12-31."
        if errors:
            raise ValidationError(errors)


class Distribution(TrackedModel):
    """One way to get a dataset: a file to download or a service to query."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="distributions")
    title = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    download_url = models.URLField("download address", max_length=500, blank=True)
    access_url = models.URLField(
        "access address", max_length=500, blank=True, help_text="A page or service, not a file."
    )
    media_type = models.CharField(
        "media type", max_length=100, blank=True, help_text="Such as text/csv."
    )
    format = models.CharField(max_length=50, blank=True, help_text="Such as CSV or API.")

    class Meta:
        ordering = ["dataset__title", "title", "pk"]

    def __str__(self) -> str:
        return self.title or self.format or self.download_url or self.access_url

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.download_url and not self.access_url:
            errors["download_url"] = "Give a download address or an access address."
        if self.download_url and not self.media_type:
            errors["media_type"] = "A download needs its media type, such as text/csv."
        if self.media_type and not MEDIA_TYPE_RE.match(self.media_type):
            errors["media_type"] = "A media type is type/subtype, such as text/csv."
        if errors:
            raise ValidationError(errors)


# --- Innovation pilots and emerging technology ---


class Technology(models.TextChoices):
    """The kinds of emerging technology a pilot tries, in the words city staff use."""

    AI = "ai", "Artificial intelligence"
    IOT = "iot", "IoT sensors"
    VEHICLE = "vehicle", "Connected and automated vehicles"
    BODY_CAMERA = "body_camera", "Body-worn cameras"
    DRONE = "drone", "Drones"
    PLATE_READER = "plate_reader", "Licence-plate readers"
    OTHER = "other", "Other"


class Pilot(Reviewed):
    """An idea tried on a small scale before the government commits: its sponsor
    department, vendor, the data it collects, how it will be judged and what came of it.
    It moves idea → pilot → evaluation → scaled or stopped only by `pilot_moves.move`, so
    each move is its own audit entry and a pilot needing a surveillance review cannot run
    without an approved one."""

    class Stage(models.TextChoices):
        IDEA = pilots.IDEA, "Idea"
        PILOT = pilots.PILOT, "Pilot"
        EVALUATION = pilots.EVALUATION, "Evaluation"
        SCALED = pilots.SCALED, "Scaled"
        STOPPED = pilots.STOPPED, "Stopped"

    title = models.CharField(max_length=200)
    technology = models.CharField(
        "kind of technology", max_length=20, choices=Technology.choices, default=Technology.OTHER
    )
    description = models.TextField("what it tries", blank=True)
    stage = models.CharField(
        max_length=20, choices=Stage.choices, default=Stage.IDEA, db_index=True
    )
    idea_on = models.DateField("idea recorded on", null=True, blank=True)
    pilot_on = models.DateField("pilot started on", null=True, blank=True)
    evaluation_on = models.DateField("evaluation started on", null=True, blank=True)
    scaled_on = models.DateField("scaled on", null=True, blank=True)
    stopped_on = models.DateField("stopped on", null=True, blank=True)
    vendor = models.ForeignKey(
        "estate.Vendor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pilots",
    )
    data_collected = models.TextField(
        "data collected", blank=True, help_text="What the pilot records, and about whom."
    )
    personal_data = models.BooleanField(
        "collects personal data",
        default=False,
        help_text="It records something that can identify a person: faces, voices, plates, "
        "phone signals, names.",
    )
    evaluation_criteria = models.TextField(
        "evaluation criteria", blank=True, help_text="How the pilot will be judged."
    )
    results = models.TextField(blank=True, help_text="What the evaluation found.")
    systems = models.ManyToManyField(
        "estate.System",
        blank=True,
        related_name="pilots",
        help_text="Systems the pilot adds to the estate.",
    )
    components = models.ManyToManyField(
        "estate.Component",
        blank=True,
        related_name="pilots",
        help_text="Components (devices, servers) the pilot adds to the estate.",
    )

    transitions: ClassVar[dict[str, set[tuple[str, str]]]] = {"stage": set(pilots.MOVES)}

    class Meta:
        ordering = ["title", "id"]
        verbose_name = "pilot"

    def __str__(self) -> str:
        return self.title

    @property
    def review_required(self) -> bool:
        """Whether the city's rule asks for a surveillance review before this pilot runs."""
        return pilots.review_required(self.technology, self.personal_data, surveillance_rule())

    def clean(self) -> None:
        super().clean()
        needed = pilots.REQUIRED_DAYS.get(self.stage, ())
        for name in needed:
            if getattr(self, name) is None:
                label = field_named(Pilot, name).verbose_name
                message = f"A pilot at the {self.stage} stage needs its day “{label}”."
                raise ValidationError({name: message})
        for end in (pilots.SCALED, pilots.STOPPED):
            name = pilots.DAY_FIELD[end]
            if self.stage != end and getattr(self, name) is not None:
                raise ValidationError({name: f"Only a {end} pilot has a day it was {end}."})
        days = [
            (name, getattr(self, name))
            for name in pilots.DAY_FIELD.values()
            if getattr(self, name) is not None
        ]
        for (_, earlier), (name, later) in zip(days, days[1:], strict=False):
            if later < earlier:
                label = field_named(Pilot, name).verbose_name
                raise ValidationError({name: f"The day {label} comes after the stage before it."})


def surveillance_rule() -> dict[str, tuple[str, ...]]:
    """The city's rule for which pilots need a surveillance review: the setting
    `TOWNHALL_SURVEILLANCE_REVIEW` ({"always": kinds, "personal_data": kinds}, read from
    the environment), our default for a list it leaves out."""
    configured = settings.TOWNHALL_SURVEILLANCE_REVIEW
    return {key: tuple(configured.get(key, kinds)) for key, kinds in pilots.DEFAULT_RULE.items()}


class SurveillanceReview(Reviewed):
    """A privacy and surveillance-technology review of a pilot or a system, as a city's
    ordinance asks: what is collected, how long it is kept, who can see it, how the
    community was heard, and the decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
        REJECTED = "rejected", "Rejected"

    pilot = models.ForeignKey(
        Pilot,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="surveillance_reviews",
    )
    system = models.ForeignKey(
        "estate.System",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="surveillance_reviews",
    )
    collected = models.TextField("what is collected")
    retention = models.TextField("how long it is kept", blank=True)
    access = models.TextField("who can access it", blank=True)
    community_input = models.TextField(
        "community input", blank=True, help_text="How and when residents were heard."
    )
    community_input_on = models.DateField("community heard on", null=True, blank=True)
    decision = models.CharField(
        max_length=30, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    conditions = models.TextField(blank=True)
    decided_on = models.DateField("decided on", null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "surveillance review"

    def __str__(self) -> str:
        return f"Surveillance review: {self.subject}"

    @property
    def subject(self) -> str:
        """What is reviewed, in words: the register's list names a review by it."""
        return str(self.pilot or self.system or "nothing chosen")

    def clean(self) -> None:
        super().clean()
        if bool(self.pilot_id) == bool(self.system_id):
            raise ValidationError({"pilot": "A review concerns one pilot or one system."})
        if self.decision != self.Decision.PENDING and self.decided_on is None:
            raise ValidationError({"decided_on": "Give the day the decision was made."})
        if self.decision == self.Decision.PENDING and self.decided_on is not None:
            raise ValidationError({"decided_on": "A pending review has no decision day yet."})
        if self.decision == self.Decision.APPROVED_WITH_CONDITIONS and not self.conditions.strip():
            raise ValidationError({"conditions": "Write down the conditions of the approval."})


class ReadinessAssessment(Reviewed):
    """How ready the government is for a technology, answered as a scored questionnaire
    (`reference/readiness.json`, scored by `readiness.score`)."""

    title = models.CharField(max_length=200, help_text="What was assessed, and for whom.")
    technology = models.CharField(
        "kind of technology", max_length=20, choices=readiness.technologies()
    )
    assessed_on = models.DateField("assessed on", null=True, blank=True)
    pilot = models.ForeignKey(
        Pilot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="readiness_assessments",
    )
    answers = models.JSONField(
        default=dict, blank=True, help_text="Each question's score, from the questionnaire page."
    )

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = "readiness assessment"

    def __str__(self) -> str:
        return self.title

    @property
    def result(self) -> readiness.Result:
        return readiness.score(self.technology, self.answers or {})

    def clean(self) -> None:
        super().clean()
        found = readiness.problems(self.technology, self.answers)
        if found:
            raise ValidationError({"answers": found})


# --- Emergency communications ---


class ContinuumAssessment(Reviewed):
    """A self-assessment of how far the government's emergency communications have come on
    the five lanes of the interoperability continuum (`reference/continuum.json`): one
    rating per lane, each with its evidence. The latest rating of each lane is where the
    government stands."""

    assessed_on = models.DateField("assessed on")

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = "continuum self-assessment"
        verbose_name_plural = "continuum self-assessments"

    def __str__(self) -> str:
        return f"Continuum self-assessment of {self.assessed_on:%d %B %Y}".replace(" 0", " ")


class LaneRating(TrackedModel):
    """Where one lane of the continuum stood on the day of an assessment, and why we say so."""

    class Lane(models.TextChoices):
        GOVERNANCE = "governance", "Governance"
        SOPS = "procedures", "Standard operating procedures"
        TECHNOLOGY = "technology", "Technology"
        TRAINING = "training", "Training and exercises"
        USAGE = "usage", "Usage"

    assessment = models.ForeignKey(
        ContinuumAssessment, on_delete=models.CASCADE, related_name="lanes"
    )
    lane = models.CharField(max_length=20, choices=Lane.choices)
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (least developed) to 5 (most developed).",
    )
    evidence = models.TextField(blank=True, help_text="What shows the lane is at this level.")
    evidence_document = models.ForeignKey(
        "org.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="evidence document",
    )

    class Meta:
        ordering = ["assessment", "lane", "id"]
        verbose_name = "lane rating"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "lane"],
                name="lanerating_one_per_lane",
                violation_error_message="This assessment already rates that lane.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_lane_display()}: level {self.level}"

    def get_absolute_url(self) -> str:
        return _url(self)


def _is_radio(component_id: int) -> bool:
    from townhall.estate.models import Component

    return Component.objects.filter(pk=component_id, kind=Component.Kind.RADIO).exists()


class Talkgroup(Reviewed):
    """A talkgroup or conventional channel on one of the estate's radio systems: what it is
    for, whether it is encrypted and the number radios know it by."""

    class Purpose(models.TextChoices):
        DISPATCH = "dispatch", "Dispatch"
        TACTICAL = "tactical", "Tactical"
        MUTUAL_AID = "mutual_aid", "Mutual aid"
        INTEROP = "interoperability", "Interoperability"
        EVENT = "event", "Event"

    name = models.CharField(max_length=200)
    radio_system = models.ForeignKey(
        "estate.Component",
        on_delete=models.PROTECT,
        related_name="talkgroups",
        limit_choices_to={"kind": "radio_system"},
        verbose_name="radio system",
        help_text="A component of the estate whose kind is radio system.",
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.DISPATCH)
    encrypted = models.BooleanField(default=False)
    identifier = models.CharField(
        "channel or talkgroup ID",
        max_length=50,
        blank=True,
        help_text="The number or frequency radios know it by.",
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "talkgroup"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.radio_system_id and not _is_radio(self.radio_system_id):
            raise ValidationError(
                {"radio_system": "Choose a component whose kind is radio system."}
            )


class PartnerAgency(Reviewed):
    """An agency outside the government that emergency responders need to talk to."""

    class Kind(models.TextChoices):
        NEIGHBOUR = "neighbouring", "Neighbouring jurisdiction"
        STATE = "state", "State"
        FEDERAL = "federal", "Federal"
        UTILITY = "utility", "Utility"
        HOSPITAL = "hospital", "Hospital"
        SCHOOL = "school", "School"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEIGHBOUR)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "partner agency"
        verbose_name_plural = "partner agencies"

    def __str__(self) -> str:
        return self.name


class InteropLink(TrackedModel):
    """How a partner agency reaches one of our talkgroups, when that was last tried and
    whether it worked."""

    class How(models.TextChoices):
        SHARED_SYSTEM = "shared_system", "Shared system"
        GATEWAY = "gateway", "Gateway or patch"
        CACHE = "cache_radios", "Cache radios"
        SHARED_CHANNEL = "shared_channel", "Shared channel"

    class Works(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    partner = models.ForeignKey(PartnerAgency, on_delete=models.CASCADE, related_name="links")
    talkgroup = models.ForeignKey(Talkgroup, on_delete=models.CASCADE, related_name="links")
    how = models.CharField(max_length=20, choices=How.choices, default=How.SHARED_SYSTEM)
    tested_on = models.DateField("last tested on", null=True, blank=True)
    works = models.CharField(
        max_length=10,
        choices=Works.choices,
        default=Works.YES,
        help_text="Whether it worked when last tried (or is expected to, if never tried).",
    )

    class Meta:
        ordering = ["partner", "talkgroup", "id"]
        verbose_name = "interoperability link"

    def __str__(self) -> str:
        return f"{self.partner} on {self.talkgroup} ({self.get_how_display()})"

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        super().clean()
        if self.tested_on and self.tested_on > timezone.localdate():
            raise ValidationError({"tested_on": "A test date cannot be in the future."})
