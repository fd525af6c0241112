"""Who uses a merchant's service, from the single sign-on exports and the domains reached.

Plain Python, no Django: the ORM step (`sign_ins.py`) feeds it the merchants and the
sign-ins and writes what it answers. An application as a sign-in system names it ("Zoom",
"Adobe Acrobat Sign", "Dropbox Business") is matched to a merchant worked out from the
purchases by, in order:

0. the application named on a merchant (by a person, or by an earlier run);
1. its normalised name (`descriptors.normalize`), exactly or with spaces ignored;
2. the reference vendor it names (`vendors.py`: "Adobe Acrobat Sign" is Adobe), when a
   merchant is that vendor;
3. its name starting, as whole words, with a merchant's name of five letters or more
   ("govforms portal" is Govforms), unless that name is an ordinary word the reference
   list matches only exactly ("Slack Off Timesheets" is not Slack).

A domain reached ("app.zoom.us") is matched by the merchant's own domain or a parent of it,
then by the reference vendor whose domain it is.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from townhall.shadowit import vendors
from townhall.shadowit.descriptors import Merchant, compact, normalize

PREFIX_LETTERS = 5


@dataclass(frozen=True)
class Candidate:
    """A merchant as the purchases made it: its key, name and domain."""

    key: str
    name: str
    domain: str = ""
    # The sign-in application a person (or an earlier run) named as its service.
    application: str = ""


@dataclass(frozen=True)
class Found:
    key: str
    how: str


@dataclass(frozen=True)
class SignIn:
    application: str
    username: str
    last: datetime.date


@dataclass
class Usage:
    """A merchant's use: the application it is in the sign-in exports (the one with the most
    people when several match), the distinct people and the last sign-in. From domains
    alone (`from_domains`): no application, and the most users or clients one period saw."""

    application: str = ""
    users: int = 0
    last_sign_in: datetime.date | None = None
    from_domains: bool = False


def _parents(domain: str) -> list[str]:
    parts = domain.lower().strip().rstrip(".").split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


class Matcher:
    """The merchants indexed by key, key without spaces, reference vendor and domain."""

    def __init__(self, merchants: Iterable[Candidate]) -> None:
        self.by_key: dict[str, str] = {}
        self.by_compact: dict[str, str] = {}
        self.by_vendor: dict[str, str] = {}
        self.by_domain: dict[str, str] = {}
        self.prefixes: list[str] = []
        self.named: dict[str, str] = {}
        for m in sorted(merchants, key=lambda c: c.key):
            if m.application.strip():
                self.named.setdefault(m.application.strip().lower(), m.key)
            self.by_key.setdefault(m.key, m.key)
            self.by_compact.setdefault(compact(m.key), m.key)
            domain = (m.domain or "").lower()
            if domain:
                self.by_domain.setdefault(domain, m.key)
            match = vendors.lookup(Merchant(m.key, m.name, domain or None))
            if match is not None:
                self.by_vendor.setdefault(match.vendor.key, m.key)
            # An ordinary word as a name (Slack, Box) matches only exactly.
            strict = match is not None and m.key in match.vendor.strict
            if len(compact(m.key)) >= PREFIX_LETTERS and not strict:
                self.prefixes.append(m.key)
        # Longest first, so "adobe sign" wins over "adobe".
        self.prefixes.sort(key=lambda k: (-len(k), k))

    def application(self, name: str) -> Found | None:
        """The merchant an application of the sign-in exports is, and how it was found."""
        named = self.named.get((name or "").strip().lower())
        if named is not None:
            return Found(named, "the application named on the merchant")
        key = normalize(name or "").key
        if not key:
            return None
        if key in self.by_key:
            return Found(self.by_key[key], "its name")
        if compact(key) in self.by_compact:
            return Found(self.by_compact[compact(key)], "its name without spaces")
        reference = vendors.lookup_key(key)
        if reference is not None and reference.key in self.by_vendor:
            return Found(self.by_vendor[reference.key], f"the vendor {reference.name}")
        for prefix in self.prefixes:
            if key.startswith(prefix + " "):
                return Found(prefix, f"its name, which starts with '{prefix}'")
        return None

    def domain(self, domain: str) -> Found | None:
        """The merchant a domain reached belongs to, and how it was found."""
        parents = _parents(domain or "")
        for parent in parents:
            if parent in self.by_domain:
                return Found(self.by_domain[parent], f"its domain {parent}")
        for parent in parents:
            match = vendors.reference().by_domain.get(parent)
            if match is not None and match.key in self.by_vendor:
                return Found(self.by_vendor[match.key], f"the vendor {match.name}'s domain")
        return None


def summarise(
    matcher: Matcher,
    sign_ins: Iterable[SignIn],
    domains: Iterable[tuple[str, int | None]] = (),
) -> dict[str, Usage]:
    """Each matched merchant's use, by its key. People are counted once however many
    applications or days they signed in on (user names compared in lower case); the
    application kept is the one named on the merchant if it has sign-ins, else the one with
    the most people. A merchant
    no sign-in matches takes the largest users-or-clients count of its domains."""
    people: dict[str, set[str]] = defaultdict(set)
    last: dict[str, datetime.date] = {}
    per_app: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    apps: dict[str, Found | None] = {}
    for s in sign_ins:
        if s.application not in apps:
            apps[s.application] = matcher.application(s.application)
        found = apps[s.application]
        if found is None:
            continue
        who = s.username.strip().lower()
        people[found.key].add(who)
        per_app[found.key][s.application].add(who)
        if found.key not in last or s.last > last[found.key]:
            last[found.key] = s.last
    result: dict[str, Usage] = {}
    named = {key: app for app, key in matcher.named.items()}
    for key, everyone in people.items():
        by_name = {app.strip().lower(): app for app in per_app[key]}
        application = (
            by_name.get(named.get(key, ""))
            or max(per_app[key].items(), key=lambda a: (len(a[1]), a[0]))[0]
        )
        result[key] = Usage(application, len(everyone), last.get(key))
    for domain, users in domains:
        found = matcher.domain(domain)
        if found is None or found.key in people:
            continue
        held = result.setdefault(found.key, Usage(from_domains=True))
        held.users = max(held.users, users or 0)
    return result
