"""The registers' records on the platform's generic pages and API (`declare`)."""

from townhall.core.registry import declare
from townhall.registers import models as m

# --- Emergency communications ---

CONTINUUM_ASSESSMENTS = declare(
    m.ContinuumAssessment, ["notes"], nav_label="Continuum self-assessments", related=["lanes"]
)
LANE_RATINGS = declare(m.LaneRating, ["evidence"], in_nav=False)
TALKGROUPS = declare(
    m.Talkgroup,
    ["name", "identifier", "radio_system__name"],
    related=[("links", "Who can reach it")],
)
PARTNER_AGENCIES = declare(
    m.PartnerAgency, ["name"], related=[("links", "Talkgroups it can reach")]
)
INTEROP_LINKS = declare(
    m.InteropLink, ["partner__name", "talkgroup__name"], nav_label="Interoperability links"
)
