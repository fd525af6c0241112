"""Shadow IT's records on the platform's generic pages and API."""

from townhall.core.registry import declare
from townhall.shadowit import models as m
from townhall.shadowit.pages.merchants import merchant_context

PURCHASES = declare(m.Purchase, ["descriptor", "cardholder", "reference"], nav_label="Purchases")
SIGN_INS = declare(m.SignInApp, ["application", "username"], nav_label="Application sign-ins")
DOMAINS = declare(m.DomainUse, ["domain"], nav_label="Domains reached")
MERCHANTS = declare(
    m.Merchant,
    ["name", "key", "domain"],
    nav_label="Merchants",
    detail_template="shadowit/merchant_detail.html",
    detail_context=merchant_context,
    detail_skip=["why"],
)
RULES = declare(m.MerchantRule, ["name", "pattern"], nav_label="Merchant rules")
SUBSCRIPTIONS = declare(m.Subscription, ["merchant__name"], nav_label="Subscriptions")
ANSWERS = declare(m.MerchantAnswer, ["merchant__name", "purpose"], nav_label="Department answers")
