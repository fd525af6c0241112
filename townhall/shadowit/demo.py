"""Shadow IT's sources for Juniper County, the fictional demo jurisdiction: a month of
purchasing-card lines and accounts-payable invoices with the merchant names statements
print, a few application sign-ins from the county's Entra ID and a DNS list."""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from townhall.core import context, services
from townhall.org.models import Department
from townhall.shadowit.models import DomainUse, Purchase, SignInApp

# (merchant as printed, merchant category code, typical amount)
CARD_MERCHANTS: tuple[tuple[str, str, int], ...] = (
    ("PAYPAL *ZOOM.US 888-799", "4816", 15),
    ("SQ *GOVFORMS", "7372", 49),
    ("AMZN Mktp US*2K3", "5942", 38),
    ("GITHUB.COM DL0OU", "5734", 21),
    ("CANVA* 103948572", "5817", 13),
    ("DROPBOX*6YH2K", "4816", 20),
    ("SURVEYMONKEY", "7372", 39),
    ("STARBUCKS STORE 1234", "5814", 6),
)
PAYEES: tuple[tuple[str, int], ...] = (
    ("Smartsheet Inc", 4200),
    ("Mailchimp (Intuit)", 1800),
    ("DocuSign Inc.", 6400),
)
APPS = ("Zoom", "Smartsheet", "Canva", "Dropbox", "SurveyMonkey", "Office 365 Exchange Online")
DOMAINS = ("zoom.us", "smartsheet.com", "canva.com", "dropbox.com", "surveymonkey.com")


def load(scale: str = "small", seed: int = 1) -> int:
    """Create the demo's shadow IT sources; return how many were created. Does nothing when
    purchases exist already or there are no departments."""
    departments = list(Department.objects.order_by("pk")[:12])
    if Purchase.objects.exists() or not departments:
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    start = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    lines = 60 if scale == "small" else 3000
    purchases: list[dict[str, Any]] = []
    for n in range(lines):
        descriptor, mcc, typical = rng.choice(CARD_MERCHANTS)
        cents = Decimal(rng.randint(typical * 60, typical * 140)) / 100
        purchases.append(
            {
                "paid_by": "card",
                "purchased_on": start + datetime.timedelta(days=n % 28),
                "descriptor": descriptor,
                "amount": -cents if n % 29 == 28 else cents,  # now and then a refund
                "mcc": mcc,
                "cardholder": f"Cardholder {n % 15 + 1}",
                "owner_department": rng.choice(departments),
                "reference": f"P{seed:02d}{n:06d}",
            }
        )
    for n, (payee, amount) in enumerate(PAYEES):
        purchases.append(
            {
                "paid_by": "payables",
                "purchased_on": start + datetime.timedelta(days=3 + 7 * n),
                "descriptor": payee,
                "amount": Decimal(amount),
                "owner_department": departments[n % len(departments)],
                "description": "Annual subscription",
                "reference": f"INV-{seed}{n:04d}",
            }
        )
    with context.acting("demo"):
        count = len(services.create_many(context.SYSTEM, Purchase, purchases))
        sign_ins = [
            {
                "application": app,
                "username": f"user{n}@juniper.example",
                "last_sign_in": today - datetime.timedelta(days=n % 20),
                "system": "entra",
                "owner_department": departments[n % len(departments)],
            }
            for n, app in enumerate(APPS * 4)
        ]
        count += len(services.create_many(context.SYSTEM, SignInApp, sign_ins))
        end = start.replace(day=28)
        domains = [
            {
                "domain": domain,
                "requests": rng.randint(200, 20000),
                "users": rng.randint(3, 120),
                "period_start": start,
                "period_end": end,
            }
            for domain in DOMAINS
        ]
        count += len(services.create_many(context.SYSTEM, DomainUse, domains))
    return count
