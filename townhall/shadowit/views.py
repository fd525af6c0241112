"""Shadow IT's sources on the platform's generic pages and API."""

from townhall.core.registry import declare
from townhall.shadowit import models as m

PURCHASES = declare(m.Purchase, ["descriptor", "cardholder", "reference"], nav_label="Purchases")
SIGN_INS = declare(m.SignInApp, ["application", "username"], nav_label="Application sign-ins")
DOMAINS = declare(m.DomainUse, ["domain"], nav_label="Domains reached")
