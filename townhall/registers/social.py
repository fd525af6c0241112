"""Social media accounts: what puts each one at risk of being lost, and which accounts go
with a person who leaves. Plain Python, fed by `social_input.py`."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Mail services anyone may sign up to: an address there is a person's own, even if many of
# the estate's people use one.
FREE_MAIL = frozenset(
    {
        "aol.com",
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "icloud.com",
        "live.com",
        "mac.com",
        "me.com",
        "msn.com",
        "outlook.com",
        "proton.me",
        "protonmail.com",
        "yahoo.com",
        "ymail.com",
        "comcast.net",
        "att.net",
        "verizon.net",
        "gmx.com",
        "mail.com",
        "zoho.com",
    }
)

# Flags, in the order the page shows them: (key, label).
ONE_ADMIN = "one_admin"
PERSONAL_RECOVERY = "personal_recovery"
NO_RECOVERY = "no_recovery"
NO_MFA = "no_mfa"
NOT_REVIEWED = "not_reviewed"
PERSONAL_CREDENTIALS = "personal_credentials"
FLAGS: tuple[tuple[str, str], ...] = (
    (ONE_ADMIN, "One administrator or none"),
    (PERSONAL_RECOVERY, "Personal recovery contacts"),
    (NO_RECOVERY, "No recovery contact"),
    (NO_MFA, "No multi-factor sign-in"),
    (NOT_REVIEWED, "Not reviewed within a year"),
    (PERSONAL_CREDENTIALS, "Credentials in a person's own account"),
)
LABELS = dict(FLAGS)

ONLY_ADMIN = "the only administrator"
THEIR_RECOVERY = "the recovery contacts are theirs"


@dataclass(frozen=True)
class Person:
    pk: int
    name: str
    url: str


@dataclass(frozen=True)
class Account:
    """What the flags need to know about one account."""

    pk: int
    name: str
    url: str
    department: str
    administrators: tuple[Person, ...]
    multi_factor: bool
    credentials: str  # SocialAccount.Credentials value
    recovery_email: str
    recovery_phone: str
    recovery_phone_government: bool
    recovery_person: Person | None
    last_reviewed_on: datetime.date | None


def domain_of(email: str) -> str:
    """The part after the @, in lower case ("" if there is none)."""
    _, at, domain = email.strip().rpartition("@")
    return domain.lower().rstrip(".") if at else ""


def government_domains(configured: Iterable[str], people_emails: Iterable[str]) -> frozenset[str]:
    """The domains the government owns: those configured, or, when none are, the domains
    of the estate's people's addresses that are no free mail service's."""
    chosen = {d.strip().lower().lstrip("@").rstrip(".") for d in configured if d.strip()}
    if not chosen:
        chosen = {domain_of(e) for e in people_emails} - FREE_MAIL - {""}
    return frozenset(chosen)


def is_government_email(email: str, domains: frozenset[str]) -> bool:
    """On a government domain or below one (parks.juniper.gov under juniper.gov); any .gov
    or .mil address is a government's by who may hold those names."""
    domain = domain_of(email)
    if not domain:
        return False
    if domain.endswith((".gov", ".mil")):
        return True
    return any(domain == d or domain.endswith("." + d) for d in domains)


def year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def personal_recovery(account: Account, domains: frozenset[str]) -> bool:
    """A reset would reach a person, not the government."""
    email = bool(account.recovery_email) and not is_government_email(
        account.recovery_email, domains
    )
    phone = bool(account.recovery_phone.strip()) and not account.recovery_phone_government
    return email or phone


def no_recovery(account: Account) -> bool:
    """Neither a recovery e-mail nor a recovery phone: a lost password or a locked account
    cannot be reset, so the account is lost with it."""
    return not account.recovery_email.strip() and not account.recovery_phone.strip()


def flags(account: Account, domains: frozenset[str], today: datetime.date) -> list[str]:
    """The account's flags, as keys of FLAGS, in their order."""
    found = []
    if len(account.administrators) < 2:
        found.append(ONE_ADMIN)
    if personal_recovery(account, domains):
        found.append(PERSONAL_RECOVERY)
    if no_recovery(account):
        found.append(NO_RECOVERY)
    if not account.multi_factor:
        found.append(NO_MFA)
    if account.last_reviewed_on is None or year_after(account.last_reviewed_on) < today:
        found.append(NOT_REVIEWED)
    if account.credentials == "personal":
        found.append(PERSONAL_CREDENTIALS)
    return found


@dataclass(frozen=True)
class Flagged:
    account: Account
    flags: tuple[str, ...]

    @property
    def labels(self) -> list[str]:
        return [LABELS[f] for f in self.flags]


@dataclass(frozen=True)
class Loss:
    """An account a person's leaving would lose or lock, and why."""

    account: Account
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PersonLeaving:
    person: Person
    losses: tuple[Loss, ...]


def if_one_left(accounts: Sequence[Account], domains: frozenset[str]) -> list[PersonLeaving]:
    """For each person, the accounts lost or locked if they left: they are its only
    administrator, or the platform would send a reset to their own e-mail or phone. The
    people with most at stake first."""
    by_person: dict[int, tuple[Person, list[Loss]]] = {}
    for account in accounts:
        reasons: dict[int, list[str]] = {}
        people: dict[int, Person] = {}
        if len(account.administrators) == 1:
            only = account.administrators[0]
            people[only.pk] = only
            reasons.setdefault(only.pk, []).append(ONLY_ADMIN)
        if account.recovery_person is not None and personal_recovery(account, domains):
            who = account.recovery_person
            people[who.pk] = who
            reasons.setdefault(who.pk, []).append(THEIR_RECOVERY)
        for pk, why in reasons.items():
            entry = by_person.setdefault(pk, (people[pk], []))
            entry[1].append(Loss(account, tuple(why)))
    found = [
        PersonLeaving(person, tuple(sorted(losses, key=lambda loss: loss.account.name.lower())))
        for person, losses in by_person.values()
    ]
    found.sort(key=lambda p: (-len(p.losses), p.person.name.lower(), p.person.pk))
    return found


@dataclass(frozen=True)
class Overview:
    accounts: list[Flagged]
    counts: list[tuple[str, str, int]]  # (key, label, accounts with the flag)
    leaving: list[PersonLeaving]


def overview(
    accounts: Sequence[Account], domains: frozenset[str], today: datetime.date
) -> Overview:
    """The social media page: every account with its flags, counts per flag, and what each
    person's leaving would take."""
    flagged = [Flagged(a, tuple(flags(a, domains, today))) for a in accounts]
    counts = [(key, label, sum(key in f.flags for f in flagged)) for key, label in FLAGS]
    return Overview(flagged, counts, if_one_left(accounts, domains))
