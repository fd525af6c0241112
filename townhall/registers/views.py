"""The registers' records on the platform's generic pages and API (`declare`)."""

from townhall.core.registry import declare
from townhall.registers import models as m
from townhall.registers.pages.social import social_account_context

# --- Social media accounts ---
SOCIAL_ACCOUNTS = declare(
    m.SocialAccount,
    ["handle", "address", "owner__name", "recovery_email"],
    nav_label="Social media accounts",
    bulk_fields=["multi_factor", "credentials_kept_in"],
    detail_template="registers/socialaccount_detail.html",
    detail_context=social_account_context,
)


# --- AI use cases ---

AI_USE_CASES = declare(
    m.AIUseCase,
    ["name", "purpose", "vendor__name", "system__name"],
    nav_label="AI use cases",
)


# --- Data inventory ---------------------------------------------------------------------

DATASETS = declare(
    m.Dataset,
    ["title", "identifier", "description", "keywords"],
    related=["distributions"],
)
DISTRIBUTIONS = declare(m.Distribution, ["title", "dataset__title"], in_nav=False)
