"""Foundation records on the platform's generic pages and API; the front page and the
support suggestions live in `pages/`."""

from townhall.core.registry import declare
from townhall.foundation import models as m

SERVICE_LIVES = declare(m.ServiceLife, ["kind"], nav_label="Expected service life")
