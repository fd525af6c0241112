"""The people module's records on the platform's generic pages and API."""

from townhall.core.registry import declare
from townhall.people import models as m
from townhall.people.pages.operating import operating_context
from townhall.people.pages.requisition import requisition_context
from townhall.people.pages.skill import skill_context

TEAMS = declare(
    m.Team,
    ["name"],
    nav_label="Teams",
    bulk_fields=["placement"],
    related=[("children", "Teams within it"), "positions"],
)
POSITIONS = declare(
    m.Position,
    ["title", "grade", "person__name"],
    nav_label="Positions",
    bulk_fields=["funded", "placement"],
    related=[("reports", "Positions reporting to it")],
)
OPERATING_MODELS = declare(
    m.OperatingModel,
    ["owner_department__name"],
    nav_label="Operating models",
    detail_template="people/operatingmodel_detail.html",
    detail_context=operating_context,
)
SKILLS = declare(
    m.Skill,
    ["code", "name"],
    nav_label="Skills",
    bulk_fields=["kind"],
    related=["proficiencies"],
    detail_template="people/skill_detail.html",
    detail_context=skill_context,
    detail_skip=["systems", "components"],
)
PROFICIENCIES = declare(
    m.Proficiency, ["person__name", "skill__name", "skill__code"], nav_label="Proficiencies"
)
CERTIFICATIONS = declare(
    m.Certification, ["name", "issuer", "person__name"], nav_label="Certifications"
)
STAFF_RECORDS = declare(m.StaffRecord, ["person__name"], nav_label="Staff records")
REQUISITIONS = declare(
    m.Requisition,
    ["title", "position__title", "team__name"],
    nav_label="Requisitions",
    bulk_fields=["kind"],
    related=[("declined_offers", "Offers declined")],
    detail_template="people/requisition_detail.html",
    detail_context=requisition_context,
)
DECLINED_OFFERS = declare(
    m.DeclinedOffer, ["requisition__title", "note"], nav_label="Declined offers"
)
MARKET_RATES = declare(
    m.MarketRate, ["name", "source"], nav_label="Market rates", related=["positions"]
)
TRAINING_PLANS = declare(
    m.TrainingPlan,
    ["person__name", "skill__name", "skill__code", "system__name", "component__name"],
    nav_label="Training plans",
)
