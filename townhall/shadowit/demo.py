"""Shadow IT's sources for Juniper County, the fictional demo jurisdiction: a year of
purchasing-card lines and accounts-payable invoices as statements print them, sign-ins to a
handful of applications from the county's Entra ID, and a DNS list of the domains reached.

The year is the twelve months before this one. In it: the same tools bought on cards by
several departments (Zoom, SurveyMonkey, Adobe, Canva, Dropbox, DocuSign), monthly,
quarterly and yearly, one price increase, subscriptions that lapse, a charge posted twice,
one-off hardware, telephone bills, and mostly ordinary spending (fuel, office supplies,
restaurants, tools stores, training, travel), with refunds. Payables hold the larger
vendors' invoices, one of them paid twice. Everything is drawn from `random.Random(seed)`,
so the same seed and day give the same lines, and written through `services.create_many`.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from townhall.core import context, services
from townhall.org.models import Department
from townhall.shadowit import descriptors, merchants, sign_ins
from townhall.shadowit import services as shadow_services
from townhall.shadowit.models import DomainUse, Merchant, MerchantAnswer, Purchase, SignInApp

# The departments that buy on cards, in the order the plans below number them (`slot`);
# a county without them (a test's two departments) uses the departments it has.
BUYERS = ("PRK", "HLT", "PIO", "LIB", "PLN", "HR", "ECD", "PW", "CLK", "ELE", "SHF", "IT")
IT = 11  # the slot of Information Technology


@dataclass(frozen=True)
class Plan:
    """A recurring charge: as printed ("{ref}" becomes a fresh reference each time), its
    merchant category code, amount, every how many months, which department, on which day
    of the month, from which month to which (0 to 11: a lapsed one stops early) and a price
    increase (from month `raise_at`, the amount `raised`)."""

    printed: str
    mcc: str
    amount: str
    every: int
    slot: int
    day: int
    first: int = 0
    last: int = 11
    raise_at: int = 12
    raised: str = ""


SUBSCRIPTIONS: tuple[Plan, ...] = (
    # The same tools, bought by three departments each, each printed its own way.
    Plan("PAYPAL *ZOOM.US 888-799", "4816", "14.99", 1, 0, 3),
    Plan("ZOOM.US 888-799-9666 CA", "4816", "15.99", 1, 2, 11, raise_at=7, raised="17.99"),
    Plan("ZOOM VIDEO COMM SAN JOSE CA", "4816", "149.90", 12, 5, 20, first=2),
    Plan("SURVEYMONKEY 971-2445566 CA", "7372", "39.00", 1, 1, 8),
    Plan("SURVEYMONKEY.COM", "7372", "384.00", 12, 3, 14, first=1),
    Plan("PAYPAL *SURVEYMONKE", "7372", "25.00", 1, 6, 22, last=4),  # lapsed
    Plan(
        "ADOBE *CREATIVE CLD 408-536-6000 CA", "5734", "54.99", 1, 0, 12, raise_at=8, raised="59.99"
    ),
    Plan("ADOBE *ACROPRO SUBS 800-833-6687 CA", "5734", "19.99", 1, 4, 5),
    Plan("ADOBE *ADOBE STOCK 408-536-6000 CA", "5734", "29.99", 1, 2, 17),
    Plan("CANVA* {ref}", "5817", "12.99", 1, 1, 9),
    Plan("CANVA* {ref}", "5817", "12.99", 1, 4, 26),
    Plan("CANVA* {ref}", "5817", "119.99", 12, 7, 2),
    Plan("DROPBOX*{ref} DROPBOX.COM CA", "4816", "19.99", 1, 2, 6),
    Plan("DROPBOX*{ref} DROPBOX.COM CA", "4816", "11.99", 1, 5, 15, last=5),  # lapsed
    Plan("PAYPAL *DROPBOX", "4816", "11.99", 1, 8, 19),
    Plan("DOCUSIGN INC 866-219-4318 CA", "7372", "45.00", 1, 3, 4),
    Plan("DOCUSIGN*ESIGNATURE", "7372", "25.00", 1, 6, 13),
    Plan("DOCUSIGN INC 866-219-4318 CA", "7372", "480.00", 12, 9, 27, first=3),
    # One department's own tools.
    Plan("GITHUB.COM {ref}", "5734", "21.00", 1, IT, 1),
    Plan("SLACK {ref} DUBLIN IE", "7372", "43.75", 1, 7, 10),
    Plan("MAILCHIMP *MONTHLY", "7372", "59.99", 1, 2, 16),
    Plan("HOOTSUITE MEDIA INC 866-2338550 BC", "7372", "99.00", 1, 2, 21),
    Plan("GOOGLE *GSUITE_juniperparks.org", "7372", "12.00", 1, 0, 1),
    Plan("MSFT * E0400{ref}", "5734", "12.50", 1, 10, 9),
    Plan("CALENDLY", "5734", "12.00", 1, 5, 24),
    Plan("GRAMMARLY CO*{ref}", "5734", "12.00", 1, 3, 28, last=7),  # lapsed
    Plan("AIRTABLE.COM/BILL", "5734", "20.00", 1, 4, 11),
    Plan("CONSTANT CONTACT 855-2295506 MA", "7372", "45.00", 1, 6, 7),
    Plan("SQ *GOVFORMS", "7372", "147.00", 3, 8, 5),
    Plan("IN *RIVERBEND IT SOLUTIONS", "7379", "450.00", 3, 10, 12, first=1),
    Plan("SQSP* INV{ref}", "7372", "216.00", 12, 6, 18, first=4),
    Plan("DNH*GODADDY.COM 480-5058855 AZ", "4816", "21.99", 12, 2, 3, first=1),
    Plan("DNH*GODADDY.COM 480-5058855 AZ", "4816", "21.99", 12, 3, 23, first=6),
    Plan("1PASSWORD*{ref}", "5734", "35.88", 12, 10, 8, first=5),
    Plan("FS *TECHSMITH", "5734", "62.99", 12, 5, 16, first=9),
    # Telephone bills.
    Plan("VZWRLSS*APOCC VISN", "4814", "412.60", 1, 10, 24),
    Plan("VZWRLSS*APOCC VISN", "4814", "186.25", 1, 7, 24),
    Plan("VZWRLSS*APOCC VISN", "4814", "98.40", 1, 1, 24),
    Plan("ATT*BILL PAYMENT 800-331-0500 TX", "4814", "264.10", 1, 8, 14),
    Plan("ATT*BILL PAYMENT 800-331-0500 TX", "4814", "131.55", 1, 3, 14),
)

# One-off technology: (as printed, code, lowest and highest amount in dollars, how many).
HARDWARE: tuple[tuple[str, str, int, int, int], ...] = (
    ("AMZN Mktp US*{ref}", "5942", 12, 480, 110),
    ("B&H PHOTO 800-606-6969 NY", "5732", 120, 2400, 8),
    ("CDW GOVT #{ref} 800-808-4239 IL", "5045", 90, 1900, 10),
    ("BEST BUY 00012345 BEND OR", "5732", 40, 900, 9),
    ("DELL MARKETING L.P. 800-456-3355 TX", "5045", 650, 1800, 5),
    ("GOOGLE *TODOIST", "5817", 4, 4, 3),
    ("APPLE.COM/BILL 866-712-7753 CA", "5735", 1, 10, 6),
)

# Ordinary spending: (as printed, code, lowest and highest amount, how often: a weight).
ORDINARY: tuple[tuple[str, str, int, int, int], ...] = (
    ("STAPLES 00112 JUNIPER OR", "5943", 8, 180, 9),
    ("OFFICE DEPOT #2145 800-463-3768 OR", "5943", 10, 220, 6),
    ("SHELL OIL 57444128701 JUNIPER OR", "5542", 25, 95, 10),
    ("CHEVRON 0091234 PINE RIDGE OR", "5542", 25, 90, 6),
    ("PILOT_00384 CEDAR FALLS OR", "5542", 40, 140, 3),
    ("THE HOME DEPOT #4012 JUNIPER OR", "5200", 12, 420, 8),
    ("LOWES #01234* CEDAR FALLS OR", "5200", 12, 380, 5),
    ("SHERWIN-WILLIAMS 7012 JUNIPER OR", "5231", 30, 310, 2),
    ("NAPA AUTO PARTS 0123 JUNIPER OR", "5533", 15, 300, 3),
    ("GRAINGER 877-202-2594 IL", "5085", 40, 650, 3),
    ("TRACTOR SUPPLY #1423 PINE RIDGE OR", "5261", 15, 260, 2),
    ("TST* RIVERSIDE GRILL JUNIPER OR", "5812", 24, 190, 5),
    ("SQ *BLUE DOOR COFFEE JUNIPER OR", "5814", 5, 64, 6),
    ("STARBUCKS STORE 12345 JUNIPER OR", "5814", 5, 38, 6),
    ("DOMINO'S 7391 503-555-0143 OR", "5814", 28, 140, 2),
    ("SAFEWAY #1923 JUNIPER OR", "5411", 8, 120, 3),
    ("COSTCO WHSE #0482 BEND OR", "5300", 40, 420, 3),
    ("WALMART.COM 8009666546 AR", "5310", 12, 260, 3),
    ("USPS PO 4028760231 JUNIPER OR", "9402", 8, 130, 4),
    ("FEDEX OFFIC23400003246 JUNIPER OR", "7338", 10, 160, 2),
    ("CINTAS CORP #463 800-246-8271 OH", "7211", 45, 210, 1),
    ("MARRIOTT PORTLAND DWTN PORTLAND OR", "3509", 149, 620, 2),
    ("SOUTHWES 526{ref} 800-435-9792 TX", "3066", 118, 460, 1),
    ("UBER *TRIP HELP.UBER.COM CA", "4121", 9, 62, 2),
    ("EB *GFOA ANNUAL CONFER 801-413-9888 CA", "8299", 195, 890, 1),
    ("ICMA REGISTRATION 202-962-3680 DC", "8699", 150, 750, 1),
    ("PAYPAL *ORPARKSASSN", "8699", 60, 240, 1),
    ("OSU PROF & CONT ED 541-737-4197 OR", "8220", 90, 520, 1),
)
ORDINARY_PER_MONTH = 15  # ordinary lines a buying department's cards print in a month

# Accounts payable, larger vendors: (payee, amount, every how many months, first month,
# department code, description). Amounts vary a little when monthly.
PAYABLES: tuple[tuple[str, int, int, int, str, str], ...] = (
    ("Tyler Technologies Inc", 148500, 12, 1, "IT", "Enterprise ERP annual maintenance"),
    ("SHI International Corp", 212000, 12, 6, "IT", "Microsoft Enterprise Agreement"),
    ("Esri Inc", 38000, 12, 3, "IT", "ArcGIS Enterprise term license"),
    ("Motorola Solutions Inc", 62000, 3, 0, "E911", "Radio system service agreement"),
    ("Verizon Wireless", 4180, 1, 0, "IT", "Wireless lines and data"),
    ("AT&T Corp", 2930, 1, 0, "IT", "Circuits and voice"),
    ("Smartsheet Inc", 4200, 12, 2, "PW", "Smartsheet Business annual"),
    ("DocuSign Inc.", 6400, 12, 4, "HR", "eSignature envelopes"),
    ("Granicus LLC", 24000, 12, 7, "CLK", "Agenda and meeting video"),
    ("Mailchimp (Intuit)", 1800, 12, 5, "PRK", "Newsletter plan"),
    ("Juniper Valley Fuel Co", 11200, 1, 0, "FLT", "Bulk fuel"),
    ("Pacific Power", 38600, 1, 0, "FAC", "Electricity, county buildings"),
    ("Waste Connections of Oregon", 5400, 1, 0, "SWM", "Transfer station hauling"),
    ("Cascade Office Interiors", 18400, 12, 8, "FAC", "Office furniture, annex"),
)
ONE_OFF_PAYABLES: tuple[tuple[str, int, int, str, str], ...] = (
    ("CDW Government LLC", 2000, 26000, "IT", "Laptops and docks"),
    ("W.W. Grainger Inc", 400, 6800, "FAC", "Maintenance supplies"),
    ("Northwest Asphalt Paving", 40000, 180000, "RDS", "Road resurfacing"),
)

# Sign-ins from the county's Entra ID: (application as Entra names it, which departments'
# people use it, how many each). Several were bought on cards, outside IT.
APPS: tuple[tuple[str, tuple[int, ...], int], ...] = (
    ("Office 365 Exchange Online", (0, 1, 2, 3, 4, 5, 7, 8, IT), 5),
    ("Microsoft Teams", (0, 2, 5, 7, IT), 4),
    ("Zoom", (0, 2, 5), 4),
    ("Canva", (1, 4, 7), 2),
    ("SurveyMonkey Enterprise", (1, 3, 6), 2),
    ("Dropbox Business", (2, 5, 8), 3),
    ("DocuSign", (3, 6, 9), 2),
    ("Adobe Identity Management", (0, 2, 4), 2),
    ("Smartsheet", (7,), 5),
    ("Slack", (7,), 6),
    ("ArcGIS Online", (4, 7, IT), 3),
    ("Tyler Identity Workforce", (8, IT), 4),
    # Used but never bought (a free plan): found in the sign-ins alone.
    ("Notion", (2, 7), 3),
    # The sign-in system's own start page: everyone, and left out of the findings.
    ("Microsoft Office 365 Portal", (0, 1, 2, 3, 4, 5, 7, 8, IT), 3),
)
LAPSED_APP = ("Dropbox Business", 5)  # the department stopped paying; its people stopped too

# Domains reached, from the DNS resolver's monthly summary: (domain, requests a month, users).
DOMAINS: tuple[tuple[str, int, int], ...] = (
    ("zoom.us", 48000, 140),
    ("canva.com", 9200, 31),
    ("surveymonkey.com", 3100, 22),
    ("dropbox.com", 15400, 44),
    ("docusign.net", 4800, 61),
    ("adobe.com", 22000, 96),
    ("smartsheet.com", 7700, 38),
    ("slack.com", 26000, 41),
    ("airtable.com", 2300, 9),
    ("calendly.com", 1400, 12),
    ("hootsuite.com", 3600, 6),
    ("mailchimp.com", 2900, 8),
    ("grammarly.com", 5200, 17),
    ("govforms.example", 1100, 14),
    ("github.com", 8800, 12),
    ("notion.so", 4100, 19),
    ("trello.com", 3300, 15),
    ("chat.openai.com", 6900, 47),
    ("wetransfer.com", 1200, 23),
    ("office.com", 310000, 1400),
    ("arcgis.com", 41000, 210),
    ("tylertech.com", 18000, 260),
    ("weather.gov", 12000, 380),
    ("oregon.gov", 27000, 640),
)

FIRST = ("Maria", "James", "Aisha", "Tom", "Priya", "Luis", "Hannah", "Dev", "Grace", "Omar")
LAST = ("Alvarez", "Chen", "Okafor", "Brennan", "Nair", "Ortiz", "Schultz", "Patel", "Kim")


def load(scale: str = "small", seed: int = 1) -> int:
    """Create the demo's shadow IT sources; return how many were created. Each source is
    left alone once it has records, and nothing is made without departments."""
    all_departments = list(Department.objects.order_by("pk"))
    if not all_departments:
        return 0
    by_code = {d.code: d for d in all_departments}
    buyers = [by_code[c] for c in BUYERS if c in by_code] or all_departments
    buyers = [buyers[n % len(buyers)] for n in range(len(BUYERS))]
    rng = random.Random(seed)
    today = timezone.localdate()
    months = _months(today)
    people = _people(rng, buyers)
    count = 0
    with context.acting("demo"):
        if not Purchase.objects.exists():
            rows = _card(rng, months, buyers, people) + _payables(rng, months, by_code, buyers)
            count += len(services.create_many(context.SYSTEM, Purchase, rows))
        if not SignInApp.objects.exists():
            rows = _sign_ins(rng, today, buyers, people)
            count += len(services.create_many(context.SYSTEM, SignInApp, rows))
        if not DomainUse.objects.exists():
            rows = _domains(rng, months[-3:])
            count += len(services.create_many(context.SYSTEM, DomainUse, rows))
    triage(today)
    with context.acting("demo"):
        count += _answers(by_code)
    return count


# IT's first decisions in the queue: tools it took into the estate, and tools it knows of
# and allows (by merchant key).
ADOPTED = ("smartsheet", "zoom")
KNOWN = ("docusign", "canva")


def triage(today: datetime.date) -> None:
    """Work the merchants and their people out from the sources now (the job would, after
    the demo commits), then adopt and know a few; only while IT has decided nothing yet,
    so loading the demo again changes nothing."""
    if Merchant.objects.exclude(status=Merchant.Status.NEW).exists():
        return
    with context.acting("demo"):
        merchants.work_out(context.SYSTEM, today)
        sign_ins.work_out(context.SYSTEM)
        found = {m.key: m for m in Merchant.objects.filter(key__in=ADOPTED + KNOWN)}
        for key in ADOPTED:
            if key in found:
                try:
                    shadow_services.adopt(context.SYSTEM, found[key])
                except ValidationError:
                    continue  # the estate has a system of that name already: left to IT
        for key in KNOWN:
            if key in found:
                shadow_services.mark_known(context.SYSTEM, found[key])


def _months(today: datetime.date) -> list[datetime.date]:
    """The first days of the twelve months before this one, oldest first."""
    first = today.replace(day=1)
    result = []
    for _ in range(12):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        result.append(first)
    return result[::-1]


def _day(month: datetime.date, day: int) -> datetime.date:
    return month.replace(day=max(1, min(day, 28)))


def _ref(rng: random.Random, length: int = 6) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(length))


def _people(rng: random.Random, buyers: list[Department]) -> list[list[str]]:
    """Three cardholders for each buying department."""
    return [[f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(3)] for _ in buyers]


def _line(
    rng: random.Random,
    on: datetime.date,
    printed: str,
    mcc: str,
    amount: Decimal,
    holder: str,
    department: Department,
) -> dict[str, Any]:
    return {
        "paid_by": "card",
        "purchased_on": on,
        "descriptor": printed.replace("{ref}", _ref(rng)),
        "amount": amount,
        "mcc": mcc,
        "cardholder": holder,
        "owner_department": department,
        "reference": f"2449{rng.randrange(10**18):018d}",
    }


def _card(
    rng: random.Random,
    months: list[datetime.date],
    buyers: list[Department],
    people: list[list[str]],
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for plan in SUBSCRIPTIONS:
        holder = people[plan.slot][0]
        for n in range(plan.first, plan.last + 1, plan.every):
            price = plan.raised if n >= plan.raise_at else plan.amount
            on = _day(months[n], plan.day + rng.randint(-1, 1))
            row = _line(rng, on, plan.printed, plan.mcc, Decimal(price), holder, buyers[plan.slot])
            rows.append(row)
    zoom = next(r for r in rows if r["descriptor"].startswith("PAYPAL *ZOOM"))
    refund = {**zoom, "amount": -zoom["amount"], "reference": "24490000000000000000001"}
    rows.append({**refund, "purchased_on": zoom["purchased_on"] + datetime.timedelta(days=4)})
    weights = [w for *_, w in ORDINARY]
    for month in months:
        for slot, department in enumerate(buyers):
            for printed, mcc, low, high, times in HARDWARE:
                if rng.random() < times / (12 * len(BUYERS)):
                    row = _line(
                        rng,
                        _day(month, rng.randint(1, 28)),
                        printed,
                        mcc,
                        Decimal(rng.randint(low * 100, high * 100)) / 100,
                        rng.choice(people[slot]),
                        department,
                    )
                    rows.append(row)
                    if printed.startswith("AMZN") and rng.random() < 0.12:  # sent back
                        back = row["purchased_on"] + datetime.timedelta(days=rng.randint(3, 20))
                        rows.append(
                            _line(
                                rng,
                                back,
                                row["descriptor"],
                                mcc,
                                -row["amount"],
                                row["cardholder"],
                                department,
                            )
                        )
            for printed, mcc, low, high, _w in rng.choices(
                ORDINARY, weights, k=ORDINARY_PER_MONTH + rng.randint(-3, 3)
            ):
                amount = Decimal(rng.randint(low * 100, high * 100)) / 100
                on = _day(month, rng.randint(1, 28))
                holder = rng.choice(people[slot])
                rows.append(_line(rng, on, printed, mcc, amount, holder, department))
                if rng.random() < 0.02:  # returned
                    later = on + datetime.timedelta(days=rng.randint(1, 12))
                    rows.append(_line(rng, later, printed, mcc, -amount, holder, department))
    twice = next(r for r in rows if r["descriptor"].startswith("SQ *BLUE DOOR"))
    rows.append({**twice, "reference": "24490000000000000000002"})  # the terminal posted it twice
    return rows


def _payables(
    rng: random.Random,
    months: list[datetime.date],
    by_code: dict[str, Department],
    buyers: list[Department],
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    number = 0

    def invoice(payee: str, on: datetime.date, amount: Decimal, code: str, what: str) -> None:
        nonlocal number
        number += 1
        rows.append(
            {
                "paid_by": "payables",
                "purchased_on": on,
                "descriptor": payee,
                "amount": amount,
                "owner_department": by_code.get(code, buyers[IT]),
                "description": what,
                "reference": f"INV-{months[0].year % 100:02d}{number:04d}",
            }
        )

    for payee, amount, every, first, code, what in PAYABLES:
        for n in range(first, 12, every):
            wobble = Decimal(rng.randint(-400, 400)) / 10000 if every == 1 else Decimal(0)
            value = (Decimal(amount) * (1 + wobble)).quantize(Decimal("0.01"))
            invoice(payee, _day(months[n], rng.randint(5, 25)), value, code, what)
    for payee, low, high, code, what in ONE_OFF_PAYABLES:
        for _ in range(rng.randint(4, 8)):
            value = Decimal(rng.randint(low * 100, high * 100)) / 100
            invoice(payee, _day(rng.choice(months), rng.randint(1, 28)), value, code, what)
    fuel = next(r for r in rows if r["descriptor"] == "Juniper Valley Fuel Co")
    later = fuel["purchased_on"] + datetime.timedelta(days=9)
    rows.append({**fuel, "purchased_on": later})  # the same invoice, paid twice
    return rows


def _sign_ins(
    rng: random.Random, today: datetime.date, buyers: list[Department], people: list[list[str]]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen = set()
    for app, slots, users in APPS:
        for slot in slots:
            for n in range(users):
                name = people[slot][n % 3] if n < 3 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                username = name.lower().replace(" ", ".") + "@juniper.example"
                if (app, username) in seen:
                    continue
                seen.add((app, username))
                stale = (app, slot) == LAPSED_APP
                ago = rng.randint(150, 200) if stale else rng.randint(0, 25)
                rows.append(
                    {
                        "application": app,
                        "username": username,
                        "last_sign_in": today - datetime.timedelta(days=ago),
                        "system": "entra",
                        "owner_department": buyers[slot],
                    }
                )
    return rows


def _domains(rng: random.Random, months: list[datetime.date]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for month in months:
        end = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        for domain, requests, users in DOMAINS:
            rows.append(
                {
                    "domain": domain,
                    "requests": int(requests * rng.uniform(0.8, 1.2)),
                    "users": max(1, int(users * rng.uniform(0.85, 1.15))),
                    "period_start": month,
                    "period_end": end,
                }
            )
    return rows


# Departments' answers about what they bought: (merchant key, department code, what it is
# for, holds residents' data). Public Works, the demo liaison's department, answers for
# Canva only and leaves the rest of its technology (`ASKED`) to answer.
ANSWERS: tuple[tuple[str, str, str, str], ...] = (
    ("canva", "PW", "Flyers and notices about road closures and crew work.", "no"),
    ("canva", "HLT", "Posters and social media posts for the clinics.", "no"),
    ("surveymonkey", "HLT", "Surveys of residents after a clinic visit.", "yes"),
    ("surveymonkey", "LIB", "The reading programme's sign-up and feedback forms.", "yes"),
    ("docusign", "HR", "Offer letters and new hires' forms.", "no"),
    ("docusign", "ECD", "Small business grant agreements.", "unsure"),
    ("zoom", "PIO", "Live streams of public meetings.", "no"),
    ("dropbox", "CLK", "Sending large files to the printer.", "unsure"),
)
# The merchants of the answers and Public Works' questions, as the merchant job names them;
# the job, run after the demo, fills in the rest (figures, why, subscriptions).
ASKED: dict[str, tuple[str, str]] = {
    "canva": ("Canva", "software"),
    "surveymonkey": ("SurveyMonkey", "software"),
    "docusign": ("DocuSign", "software"),
    "zoom": ("Zoom", "software"),
    "dropbox": ("Dropbox", "software"),
    "smartsheet": ("Smartsheet", "software"),
    "verizon": ("Verizon", "telecom"),
    "cdw": ("CDW", "hardware"),
}


def _answers(by_code: dict[str, Department]) -> int:
    """Some departments' answers about merchants they bought from (two say the service holds
    residents' data), with the merchants they name; nothing once any answer exists. Returns
    how many merchants and answers were created."""
    if MerchantAnswer.objects.exists():
        return 0
    # Who bought from whom, read from the purchases as the merchant job reads them.
    bought: dict[str, set[int]] = {}
    lines = Purchase.objects.order_by().values_list("descriptor", "owner_department").distinct()
    for printed, department_id in lines:
        key = descriptors.normalize(printed).key
        if department_id is not None:
            bought.setdefault(key, set()).add(department_id)
    grouped = descriptors.group(list(bought))
    buyers: dict[str, set[int]] = {}
    for key, found in bought.items():
        buyers.setdefault(grouped.get(key, key), set()).update(found)
    held = {m.key: m for m in Merchant.objects.filter(key__in=ASKED)}
    created = 0
    for key, (name, category) in ASKED.items():
        if key in held or key not in buyers:
            continue
        values: dict[str, Any] = {"key": key, "name": name, "category": category}
        values["departments"] = sorted(buyers[key])
        held[key] = services.create(context.SYSTEM, Merchant, values)
        created += 1
    for key, code, purpose, resident_data in ANSWERS:
        department = by_code.get(code)
        merchant = held.get(key)
        if department is None or merchant is None or department.pk not in buyers.get(key, ()):
            continue
        shadow_services.answer(context.SYSTEM, merchant, department, purpose, resident_data)
        created += 1
    return created
