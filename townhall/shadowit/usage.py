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

The sign-in system's own applications (its portal, its second-factor app:
`vendors.ignored_applications`) are left out: everyone signs in to them.

What matches no merchant is discovered (`discover`): an application people sign in to that
no purchase names (a free tier, a trial, a tool paid for personally) becomes a merchant of
its own, keyed as a purchase of it would be (`descriptors.group` with the keys already
known), so that a later purchase of the same tool lands on it; and a domain of a reference
vendor's tool that no merchant has becomes one too. A reference vendor whose products span
many kinds (Microsoft, Google: no `kind`) is never discovered from a domain: everyone
reaches those sites, and the domain says nothing of what was used.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from townhall.shadowit import classify, vendors
from townhall.shadowit.descriptors import Merchant, compact, group, normalize

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
    # The department the person's sign-in belongs to (its id), when the export says.
    department: int | None = None


@dataclass(frozen=True)
class Reached:
    """A domain reached, with the most users or clients a period saw, and by whom."""

    domain: str
    users: int | None = None
    department: int | None = None


@dataclass
class Discovered:
    """A merchant found in the sign-ins or the domains reached, not in any purchase."""

    key: str
    name: str
    category: str
    why: str
    found_in: str  # "sign_ins" or "domains"
    application: str = ""
    domain: str = ""
    kind: str = ""
    confidence: float = 0.6
    people: int = 0
    departments: frozenset[int] = frozenset()


@dataclass
class Usage:
    """A merchant's use: the application it is in the sign-in exports (the one with the most
    people when several match), the distinct people and the last sign-in. From domains
    alone (`from_domains`): no application, and the most users or clients one period saw."""

    application: str = ""
    users: int = 0
    last_sign_in: datetime.date | None = None
    from_domains: bool = False
    # The departments whose people sign in to it (or, from domains alone, reach it), each
    # with how many distinct people.
    departments: dict[int, int] = field(default_factory=dict)


def ignored(application: str) -> bool:
    """Whether the application is the sign-in system's own (its portal, its second factor)."""
    return (application or "").strip().lower() in vendors.ignored_applications()


def _reached(row: Reached | tuple[str, int | None]) -> Reached:
    return row if isinstance(row, Reached) else Reached(row[0], row[1])


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
    domains: Iterable[Reached | tuple[str, int | None]] = (),
) -> dict[str, Usage]:
    """Each matched merchant's use, by its key. People are counted once however many
    applications or days they signed in on (user names compared in lower case); the
    application kept is the one named on the merchant if it has sign-ins, else the one with
    the most people. A merchant no sign-in matches takes the largest users-or-clients count
    of its domains. The sign-in system's own applications are left out."""
    people: dict[str, set[str]] = defaultdict(set)
    last: dict[str, datetime.date] = {}
    per_app: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    per_department: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    apps: dict[str, Found | None] = {}
    for s in sign_ins:
        if s.application not in apps:
            apps[s.application] = (
                None if ignored(s.application) else matcher.application(s.application)
            )
        found = apps[s.application]
        if found is None:
            continue
        who = s.username.strip().lower()
        people[found.key].add(who)
        per_app[found.key][s.application].add(who)
        if s.department is not None:
            per_department[found.key][s.department].add(who)
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
        departments = {d: len(who) for d, who in per_department[key].items()}
        result[key] = Usage(application, len(everyone), last.get(key), departments=departments)
    for row in map(_reached, domains):
        found = matcher.domain(row.domain)
        if found is None or found.key in people:
            continue
        held = result.setdefault(found.key, Usage(from_domains=True))
        held.users = max(held.users, row.users or 0)
        if row.department is not None:
            most = max(held.departments.get(row.department, 0), row.users or 0)
            held.departments[row.department] = most
    return result


def _category(key: str, name: str, rules: Iterable[classify.Rule]) -> tuple[str, float, str]:
    """What a discovered merchant is: a person's rule naming it first, then the reference
    list, else software (people sign in to it); with how sure and why."""
    merchant = Merchant(key, name, None)
    answer = classify.classify(merchant, None, tuple(rules))
    if answer.source == "rule":
        return answer.category, answer.confidence, answer.why
    reference = vendors.lookup_key(key)
    if reference is not None:
        kind = f" ({reference.kind})" if reference.kind else ""
        label = classify.LABELS.get(reference.category, reference.category)
        return (
            reference.category,
            0.9,
            f"The reference list knows it as {reference.name}{kind}: {label}.",
        )
    return "software", 0.6, "An application people sign in to is software or a cloud service."


def discover(
    matcher: Matcher,
    sign_ins: Iterable[SignIn],
    domains: Iterable[Reached | tuple[str, int | None]] = (),
    known: Iterable[str] = (),
    rules: Iterable[classify.Rule] = (),
) -> list[Discovered]:
    """The merchants to add: applications of the sign-in exports no merchant matches (less
    the sign-in system's own), each keyed as a purchase of it would be, so that a later
    purchase lands on it; and domains of a reference vendor's tool no merchant has.
    Applications that key alike are one merchant, named after the one with the most
    people. `known` are the names the keys may join (the estate's vendors, normalised)."""
    rules = tuple(rules)
    people: dict[str, set[str]] = defaultdict(set)
    departments: dict[str, set[int]] = defaultdict(set)
    unmatched: dict[str, bool] = {}  # asked once per application, not per sign-in
    for s in sign_ins:
        if s.application not in unmatched:
            unmatched[s.application] = (
                not ignored(s.application)
                and matcher.application(s.application) is None
                and bool(normalize(s.application).key)
            )
        if not unmatched[s.application]:
            continue
        people[s.application].add(s.username.strip().lower())
        if s.department is not None:
            departments[s.application].add(s.department)
    raw = {app: normalize(app).key for app in people}
    canonical = group(list(raw.values()), known=[*known, *matcher.by_key])
    found: dict[str, Discovered] = {}
    # The application with the most people names the merchant.
    for app in sorted(people, key=lambda a: (-len(people[a]), a)):
        key = (canonical.get(raw[app], raw[app]) or raw[app])[:200]
        held = found.get(key)
        if held is not None:
            held.people += len(people[app])
            held.departments = held.departments | frozenset(departments[app])
            continue
        reference = vendors.lookup_key(key)
        name = reference.name if reference is not None else " ".join(app.split())
        category, confidence, why = _category(key, name, rules)
        found[key] = Discovered(
            key=key,
            name=name[:200],
            category=category,
            confidence=confidence,
            why=f"Found in the sign-in exports: people sign in to “{app}”, and no purchase "
            f"names it (a free tier, a trial, or a tool paid for personally). {why}",
            found_in="sign_ins",
            application=app[:200],
            kind=reference.kind if reference is not None else "",
            people=len(people[app]),
            departments=frozenset(departments[app]),
        )
    by_domain: dict[str, tuple[vendors.Vendor, str]] = {}
    reached: dict[str, set[int]] = defaultdict(set)
    for row in map(_reached, domains):
        if matcher.domain(row.domain) is not None:
            continue
        for parent in _parents(row.domain):
            vendor = vendors.reference().by_domain.get(parent)
            if vendor is None:
                continue
            # A tool, not a platform everyone reaches (Microsoft, Google: no kind).
            if vendor.category == "software" and vendor.kind and vendor.key not in found:
                by_domain.setdefault(vendor.key, (vendor, parent))
                if row.department is not None:
                    reached[vendor.key].add(row.department)
            break
    for key, (vendor, domain) in sorted(by_domain.items()):
        category, confidence, why = _category(key, vendor.name, rules)
        found[key] = Discovered(
            key=key,
            name=vendor.name,
            category=category,
            confidence=confidence,
            why=f"Found in the domains reached: people reach {domain}, and no purchase or "
            f"sign-in names it. {why}",
            found_in="domains",
            domain=domain,
            kind=vendor.kind,
            departments=frozenset(reached[key]),
        )
    return [found[k] for k in sorted(found)]
