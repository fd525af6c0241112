"""Foundation records on the platform's generic pages and API; the front page, the support
suggestions, the forecast and the schedule live in `pages/`."""

from townhall.core.registry import declare
from townhall.foundation import models as m

SERVICE_LIVES = declare(m.ServiceLife, ["kind"], nav_label="Expected service life")
UNIT_COSTS = declare(m.UnitCost, ["model_number"], nav_label="Unit costs")
CAPITAL_CAPS = declare(m.CapitalCap, [], nav_label="Yearly capital caps")
