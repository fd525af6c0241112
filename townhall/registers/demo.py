"""The registers' part of the demo county: each register's records, reviewed and not."""

from collections.abc import Callable

# Each register's loader, (scale, seed) -> records made; a register adds its own.
LOADERS: list[Callable[[str, int], int]] = []


def load(scale: str = "small", seed: int = 1) -> int:
    """Create the demo's register records; return how many were created."""
    return sum(loader(scale, seed) for loader in LOADERS)


# --- Social media accounts ---
# (department, platform, handle, admins, multi-factor, credentials, recovery e-mail or "",
#  recovery phone kind: "gov", "own" or "", which admin's own contacts, reviewed days ago)
SOCIAL = [
    ("PRK", "instagram", "@JuniperParks", 1, True, "personal", "gmail", "own", 0, 500),
    ("SHF", "x", "@JuniperSheriff", 2, False, "shared_document", "gov", "gov", None, 200),
    (
        "SHF",
        "facebook",
        "JuniperCountySheriff",
        3,
        True,
        "business_manager",
        "gov",
        "gov",
        None,
        90,
    ),
    ("ADM", "facebook", "JuniperCounty", 2, True, "business_manager", "gov", "gov", None, 40),
    ("ADM", "youtube", "@JuniperCountyTV", 2, True, "vault", "gov", "", None, 300),
    ("EM", "x", "@JuniperReady", 1, True, "vault", "gov", "own", 0, 420),
    ("LIB", "tiktok", "@juniperlibrary", 1, False, "personal", "yahoo", "own", 0, None),
    ("HLT", "instagram", "@JuniperHealth", 2, True, "shared_document", "gov", "gov", None, 150),
    ("HR", "linkedin", "juniper-county-jobs", 2, True, "vault", "gov", "gov", None, 30),
    ("PW", "nextdoor", "Juniper Public Works", 0, False, "unknown", "", "", None, None),
    ("FIRE", "bluesky", "@juniperfire.bsky.social", 2, False, "vault", "outlook", "gov", 1, 380),
]


def load_social(scale: str = "small", seed: int = 1) -> int:
    """Social media accounts across departments, with the problems counties find: Parks'
    Instagram run by one person through her own Gmail, the Sheriff's X without multi-factor,
    a Nextdoor page nobody is named on."""
    import datetime

    from django.utils import timezone

    from townhall.core import context, services
    from townhall.estate.models import Person
    from townhall.org.models import Department
    from townhall.registers.models import SocialAccount

    if SocialAccount.objects.exists():
        return 0
    departments = {d.code: d for d in Department.objects.all()}
    people: dict[str, list[Person]] = {}
    for person in (
        Person.objects.filter(owner_department__isnull=False)
        .select_related("owner_department")
        .order_by("pk")
    ):
        if person.owner_department is not None:
            people.setdefault(person.owner_department.code, []).append(person)
    today = timezone.localdate()
    rows = []
    for code, platform, handle, admins, mfa, kept, email, phone, own, days in SOCIAL:
        staff = people.get(code, [])
        if code not in departments or len(staff) < max(admins, 1):
            continue
        chosen = staff[:admins]
        slug = handle.lstrip("@").split(".")[0].lower().replace(" ", "")
        mail = {
            "gov": f"social.{code.lower()}@juniper-county.example",
            "gmail": f"{slug}.admin@gmail.com",
            "yahoo": f"{slug}@yahoo.com",
            "outlook": f"{slug}.fire@outlook.com",
        }.get(email, "")
        reviewed = today - datetime.timedelta(days=days) if days is not None else None
        rows.append(
            {
                "platform": platform,
                "handle": handle.replace(" ", "") if platform != "nextdoor" else "JuniperPW",
                "address": f"https://{platform}.example/{slug}",
                "owner_department": departments[code],
                "owner": staff[0],
                "administrators": chosen,
                "multi_factor": mfa,
                "credentials_kept_in": kept,
                "recovery_email": mail,
                "recovery_phone": {"gov": "555-0100", "own": "555-0199"}.get(phone, ""),
                "recovery_phone_government": phone == "gov",
                "recovery_person": chosen[own] if own is not None and chosen else None,
                "review_owner": staff[0],
                "last_reviewed_on": reviewed,
                "source": "demo",
            }
        )
    with context.acting("demo"):
        services.create_many(context.SYSTEM, SocialAccount, rows)
    return len(rows)


LOADERS.append(load_social)
