"""The technology estate: who delivers what to whom, on which systems and infrastructure."""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from townhall.core.models import OwnedModel, TrackedModel


def _url(obj: models.Model) -> str:
    return reverse(f"estate:{obj._meta.model_name}_detail", args=[obj.pk])


class SupportState(models.TextChoices):
    """What is known of a product version's support: "unknown" is a gap to fill, not a
    third kind of support."""

    UNKNOWN = "unknown", "Unknown"
    NO_END_DATE = "no_end_date", "Supported, no end date announced"
    DATED = "dated", "End of support date known"


class VendorDates(models.Model):
    """The dates a vendor publishes for a product version."""

    general_availability = models.DateField(null=True, blank=True)
    end_of_sale = models.DateField(null=True, blank=True)
    support_state = models.CharField(
        "support status",
        max_length=20,
        choices=SupportState.choices,
        default=SupportState.UNKNOWN,
        help_text="Whether the vendor has announced when support ends.",
    )
    # Indexed by each model: a component's index on (end_of_support, status) starts with
    # it, so a second index on the date alone would only cost every insert.
    end_of_support = models.DateField(null=True, blank=True)
    end_of_security_fixes = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        """A date and a status that disagree would count the item twice or not at all in
        the support coverage, so the model keeps them together on every door. A date given
        with the status left unknown says the status itself."""
        super().clean()
        if self.end_of_support is not None:
            if self.support_state == SupportState.UNKNOWN:
                self.support_state = SupportState.DATED
            elif self.support_state != SupportState.DATED:
                raise ValidationError(
                    {
                        "support_state": "An end-of-support date is given: the status is "
                        "“End of support date known”, or clear the date."
                    }
                )
        elif self.support_state == SupportState.DATED:
            raise ValidationError(
                {
                    "end_of_support": "Give the end-of-support date, or choose another "
                    "support status."
                }
            )


class Person(OwnedModel):
    name = models.CharField(max_length=200)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField(
        max_length=50, blank=True, help_text="A number that works when e-mail is down."
    )
    title = models.CharField(max_length=200, blank=True)
    is_it_staff = models.BooleanField("IT staff", default=False)
    owner_department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name="department",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _url(self)


class Location(OwnedModel):
    class Kind(models.TextChoices):
        DATA_CENTER = "data_center", "Data center"
        OFFICE = "office", "Office"
        PSAP = "911_center", "911 center"
        TOWER = "tower_site", "Tower site"
        CLOUD = "cloud_region", "Cloud region"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    address = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OFFICE)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _url(self)


class Vendor(TrackedModel):
    """A company the government buys technology from; shared by every department."""

    name = models.CharField(max_length=200, unique=True)
    aliases = models.TextField(
        blank=True, help_text="Other spellings, one per line, used to match purchasing data."
    )
    website = models.URLField(blank=True)
    support_contact = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _url(self)

    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.splitlines() if a.strip()]


class Service(OwnedModel):
    """Something the government delivers: 911 dispatch, payroll, building permits."""

    class Audience(models.TextChoices):
        RESIDENTS = "residents", "Residents"
        BUSINESSES = "businesses", "Businesses"
        INTERNAL = "internal", "Internal"

    name = models.CharField(max_length=200)
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.RESIDENTS)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_department", "name"], name="service_name_in_dept"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _url(self)


RATING = [MinValueValidator(1), MaxValueValidator(4)]


class System(VendorDates, OwnedModel):
    """A business application: what staff and residents use to get work done."""

    class Hosting(models.TextChoices):
        ON_PREMISES = "on_premises", "On premises"
        SAAS = "saas", "SaaS"
        CLOUD = "cloud", "Cloud IaaS/PaaS"
        PARTNER = "partner", "Hosted by a partner agency"

    class Lifecycle(models.TextChoices):
        PLANNED = "planned", "Planned"
        PHASE_IN = "phase_in", "Phase-in"
        ACTIVE = "active", "Active"
        PHASE_OUT = "phase_out", "Phase-out"
        RETIRED = "retired", "Retired"

    class Disposition(models.TextChoices):
        TOLERATE = "tolerate", "Tolerate"
        INVEST = "invest", "Invest"
        MIGRATE = "migrate", "Migrate"
        ELIMINATE = "eliminate", "Eliminate"

    class Classification(models.TextChoices):
        PUBLIC = "public", "Public"
        INTERNAL = "internal", "Internal"
        CONFIDENTIAL = "confidential", "Confidential"
        RESTRICTED = "restricted", "Restricted"

    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    business_owner = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    technical_owner = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, null=True, blank=True, related_name="systems"
    )
    product = models.CharField(max_length=200, blank=True)
    product_version = models.CharField("version", max_length=100, blank=True)
    hosting = models.CharField(max_length=20, choices=Hosting.choices, default=Hosting.ON_PREMISES)
    lifecycle = models.CharField(
        max_length=20, choices=Lifecycle.choices, default=Lifecycle.ACTIVE, db_index=True
    )
    time_disposition = models.CharField(
        "TIME disposition", max_length=20, choices=Disposition.choices, blank=True
    )
    time_rationale = models.TextField("TIME rationale", blank=True)
    functional_fit = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=RATING, help_text="1 (poor) to 4 (excellent)."
    )
    technical_fit = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=RATING, help_text="1 (poor) to 4 (excellent)."
    )
    criticality = models.PositiveSmallIntegerField(
        "criticality tier",
        null=True,
        blank=True,
        validators=RATING,
        help_text="1 (life-safety or mission-critical) to 4 (can wait).",
    )
    users = models.PositiveIntegerField(null=True, blank=True)
    cost_license = models.DecimalField(
        "annual licence cost", max_digits=14, decimal_places=2, null=True, blank=True
    )
    cost_support = models.DecimalField(
        "annual support cost", max_digits=14, decimal_places=2, null=True, blank=True
    )
    cost_hosting = models.DecimalField(
        "annual hosting cost", max_digits=14, decimal_places=2, null=True, blank=True
    )
    cost_staff = models.DecimalField(
        "annual staff cost", max_digits=14, decimal_places=2, null=True, blank=True
    )
    data_classification = models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.INTERNAL
    )
    holds_cjis = models.BooleanField("CJIS data", default=False)
    holds_hipaa = models.BooleanField("HIPAA data", default=False)
    holds_pci = models.BooleanField("PCI data", default=False)
    holds_pii = models.BooleanField("PII", default=False)
    sanctioned = models.BooleanField(
        default=True, help_text="Known to IT. Untick for technology discovered outside IT."
    )
    go_live = models.DateField("go-live date", null=True, blank=True)
    discovered_outside_it = models.BooleanField(
        "discovered outside IT",
        default=False,
        help_text="Found in purchases or sign-ins made outside IT, then taken under management.",
    )

    class Meta:
        ordering = ["name"]
        # Lists sort by name then id: an index in that order spares a sort per page.
        indexes = [
            models.Index(fields=["name", "id"], name="system_name_id"),
            models.Index(fields=["end_of_support"], name="system_end_of_support"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["owner_department", "name"], name="system_name_in_dept")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _url(self)

    @property
    def annual_cost(self) -> Decimal | None:
        """The four costs added up; None when none is known (not zero: unknown is not free)."""
        parts = [self.cost_license, self.cost_support, self.cost_hosting, self.cost_staff]
        known = [p for p in parts if p is not None]
        return sum(known, Decimal(0)) if known else None


class Component(VendorDates, OwnedModel):
    """Infrastructure a system runs on: servers, storage, network, radios, sensor fleets."""

    class Kind(models.TextChoices):
        SERVER = "server", "Server"
        VM = "virtual_machine", "Virtual machine"
        STORAGE = "storage", "Storage"
        NETWORK = "network_device", "Network device"
        FIREWALL = "firewall", "Firewall"
        ENDPOINTS = "endpoint_fleet", "Endpoint fleet"
        RADIO = "radio_system", "Radio system"
        IOT = "iot_fleet", "IoT sensor fleet"
        DATABASE = "database", "Database"
        CLOUD = "cloud_service", "Cloud service"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_SERVICE = "in_service", "In service"
        SPARE = "spare", "Spare"
        RETIRED = "retired", "Retired"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SERVER, db_index=True)
    manufacturer = models.CharField(max_length=200, blank=True)
    model_number = models.CharField("model", max_length=200, blank=True)
    os_firmware = models.CharField("OS or firmware", max_length=200, blank=True)
    os_version = models.CharField("OS or firmware version", max_length=100, blank=True)
    asset_tag = models.CharField("serial or asset tag", max_length=100, blank=True)
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="components"
    )
    quantity = models.PositiveIntegerField(default=1, help_text="More than 1 for fleets.")
    install_date = models.DateField(null=True, blank=True)
    service_life_years = models.PositiveSmallIntegerField(
        "expected service life (years)", null=True, blank=True
    )
    replacement_cost = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_SERVICE)

    class Meta:
        ordering = ["name"]
        # Lists sort by name then id: an index in that order spares a sort per page.
        # What is past end of support and not retired (the insurer's question, the cyber
        # front page) is counted from the index alone: a county has tens of thousands.
        indexes = [
            models.Index(fields=["name", "id"], name="component_name_id"),
            models.Index(fields=["end_of_support", "status"], name="component_support_status"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _url(self)

    @property
    def replacement_due(self) -> datetime.date | None:
        if not (self.install_date and self.service_life_years):
            return None
        try:
            return self.install_date.replace(year=self.install_date.year + self.service_life_years)
        except ValueError:  # 29 February
            return self.install_date.replace(
                year=self.install_date.year + self.service_life_years, day=28
            )


class Contract(OwnedModel):
    class Kind(models.TextChoices):
        LICENCE = "licence", "Licence"
        SUBSCRIPTION = "subscription", "Subscription"
        SUPPORT = "support", "Support"
        MAINTENANCE = "maintenance", "Maintenance"
        SERVICES = "services", "Services"

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="contracts")
    number = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SUBSCRIPTION)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True, db_index=True)
    auto_renew = models.BooleanField(default=False)
    notice_days = models.PositiveIntegerField("notice period (days)", null=True, blank=True)
    annual_cost = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    total_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    notice_deadline = models.DateField(
        "notice by",
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="The last day to give notice: the end date less the notice period.",
    )
    systems = models.ManyToManyField(System, blank=True, related_name="contracts")
    components = models.ManyToManyField(Component, blank=True, related_name="contracts")

    class Meta:
        ordering = ["end", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.number})" if self.number else self.title

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The contract cannot end before it starts."})

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Stored, not computed on read, so lists and the dashboard can filter and sort by it.
        self.notice_deadline = (
            self.end - datetime.timedelta(days=self.notice_days or 0) if self.end else None
        )
        super().save(*args, **kwargs)


class RedundancyGroup(OwnedModel):
    """Systems or components that stand in for each other (two load-balanced web servers,
    dual internet links, a database cluster): whatever depends on the group keeps running
    while any one member is up."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    systems = models.ManyToManyField(System, blank=True, related_name="redundancy_groups")
    components = models.ManyToManyField(Component, blank=True, related_name="redundancy_groups")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_department", "name"], name="redundancygroup_name_in_dept"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean_links(self, links: Mapping[str, Any]) -> None:
        """A group of one is no redundancy: it would hide a single point of failure. The
        members given count, else those saved."""
        count = 0
        for name in ("systems", "components"):
            if name in links:
                count += len(links[name])
            elif self.pk is not None:
                count += getattr(self, name).count()
        if count < 2:
            raise ValidationError(
                {
                    "components": "A redundancy group needs at least two members (systems or "
                    "components), any one of which is enough."
                }
            )

    def clean_relations(self) -> None:
        self.clean_links({})


class Dependency(OwnedModel):
    """One thing relying on another: a service on a system, a system on a server, …"""

    class Kind(models.TextChoices):
        RUNS_ON = "runs_on", "Runs on"
        STORES_DATA_IN = "stores_data_in", "Stores data in"
        AUTHENTICATES_WITH = "authenticates_with", "Authenticates with"
        NETWORK_PATH = "network_path", "Network path"
        INTEGRATES_WITH = "integrates_with", "Integrates with"
        POWERED_BY = "powered_by", "Powered by"

    ENDS: ClassVar[tuple[str, ...]] = ("service", "system", "component")
    # What a dependency may be on: the ends, or a redundancy group (never what depends).
    TARGETS: ClassVar[tuple[str, ...]] = (*ENDS, "group")

    from_service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="needs",
        db_index=False,  # the (from_service, id) index below serves it
    )
    from_system = models.ForeignKey(
        System,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="needs",
        db_index=False,  # the (from_system, id) index below serves it
    )
    from_component = models.ForeignKey(
        Component,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="needs",
        db_index=False,  # the (from_component, id) index below serves it
    )
    to_service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="needed_by",
        db_index=False,  # the (to_service, id) index below serves it
    )
    to_system = models.ForeignKey(
        System,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="needed_by",
        db_index=False,  # the (to_system, id) index below serves it
    )
    to_component = models.ForeignKey(
        Component,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="needed_by",
        db_index=False,  # the (to_component, id) index below serves it
    )
    to_group = models.ForeignKey(
        RedundancyGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="needed_by",
        verbose_name="to redundancy group",
        help_text="Any one of the group's members is enough.",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.RUNS_ON)

    class Meta:
        verbose_name_plural = "dependencies"
        ordering = ["id"]
        # A record's dependencies in id order, the first 25 of a hub's thousands read from
        # the start of one index (its page and the dependency walk ask for exactly that).
        indexes = [
            models.Index(fields=[f"{side}_{end}", "id"], name=f"dependency_{side}_{end}_id")
            for side in ("from", "to")
            for end in ("service", "system", "component")
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"

    def get_absolute_url(self) -> str:
        return _url(self)

    # Django lets a model replace a field of its abstract base; a dependency has no text
    # `source` column (its migrations never made one): `source` is the end that depends.
    # The checker keeps the base's field type, so the override is marked.
    @property
    def source(self) -> Service | System | Component | None:  # type: ignore[override]
        return self.from_service or self.from_system or self.from_component

    @property
    def target(self) -> Service | System | Component | RedundancyGroup | None:
        return self.to_service or self.to_system or self.to_component or self.to_group

    def department_id_value(self) -> int | None:
        """The owner department; left blank, the department that owns the depending record
        (what relies on the other), which `clean` fills it in with."""
        if self.owner_department_id:
            return self.owner_department_id
        source = self.source
        return source.owner_department_id if source is not None else None

    def clean(self) -> None:
        if self.owner_department_id is None:
            self.owner_department_id = self.department_id_value()
        froms = [e for e in self.ENDS if getattr(self, f"from_{e}_id")]
        tos = [e for e in self.TARGETS if getattr(self, f"to_{e}_id")]
        errors = {}
        if len(froms) != 1:
            errors["from_system"] = (
                "Choose exactly one thing that depends (a service, system or component)."
            )
        if len(tos) != 1:
            errors["to_system"] = (
                "Choose exactly one thing it depends on (a service, system, component or "
                "redundancy group)."
            )
        if (
            not errors
            and froms == tos
            and getattr(self, f"from_{froms[0]}_id") == getattr(self, f"to_{tos[0]}_id")
        ):
            errors["to_system"] = "A record cannot depend on itself."
        if errors:
            raise ValidationError(errors)
