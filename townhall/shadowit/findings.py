"""What shadow IT means for the city, worked out from plain rows (no Django): tools bought
twice and what buying them once would save, how much of the technology spend happens
outside IT, discovered services holding residents' data without a contract or a security
review, and services used without single sign-on. Every figure keeps the ids of the records
behind it, so a leader can open them. Fed by `findings_input.py`.

Definitions (said the same way on the front page, in the brief and in docs/shadow-it.md):

- The window is the twelve complete calendar months before the current one.
- A *technology purchase* is a purchase whose merchant is a software or cloud service, IT
  hardware or telecom. It is *outside IT* when IT has neither adopted its merchant nor
  marked it known and allowed (the merchant is new or dismissed), and IT's own department
  (`Input.it_departments`) did not buy it.
- *Technology spend* is every technology purchase plus the estate's recorded annual costs
  of the systems in use (planned and retired systems left out), a twelfth of them in each
  month. A system a merchant was adopted as, with purchases of that merchant in the
  window, is counted by those purchases alone, not by its recorded cost as well.
- A *consolidation saving* keeps the largest department's spend on a tool (or, for
  equivalent tools, the largest one tool's spend in one department) and counts a share
  (`CONSOLIDATION_SHARE`) of everything else as saved: one city contract brings volume
  pricing and drops overlapping seats, but the people still need the tool.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

TECHNOLOGY = ("software", "hardware", "telecom")
# Tools bought again and again: a department's hardware order is not a tool to share.
TOOLS = ("software", "telecom")
INSIDE_IT = ("adopted", "known")
CONSOLIDATION_SHARE = Decimal("0.30")
REVIEW_DAYS = 365  # a security review older than this is no longer counted
IN_USE = ("phase_in", "active", "phase_out")  # systems whose annual cost is spent now
ZERO = Decimal(0)
CENT = Decimal("0.01")


# --- what goes in -------------------------------------------------------------------------


@dataclass(frozen=True)
class MerchantRow:
    id: int
    key: str
    name: str
    category: str
    status: str
    tool_kind: str = ""
    vendor_id: int | None = None
    system_id: int | None = None
    sign_in_application: str = ""
    users: int = 0
    security_reviewed_on: datetime.date | None = None


@dataclass(frozen=True)
class PurchaseRow:
    id: int
    merchant_key: str
    department_id: int | None
    amount: Decimal
    purchased_on: datetime.date


@dataclass(frozen=True)
class AnswerRow:
    id: int
    merchant_id: int
    department_id: int | None
    resident_data: str  # yes, no, unsure


@dataclass(frozen=True)
class ContractRow:
    id: int
    vendor_id: int | None
    start: datetime.date | None
    end: datetime.date | None
    system_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class SystemRow:
    id: int
    department_id: int | None
    annual_cost: Decimal | None
    lifecycle: str = "active"
    holds_pii: bool = False


@dataclass(frozen=True)
class Input:
    today: datetime.date
    merchants: Sequence[MerchantRow]
    purchases: Sequence[PurchaseRow]
    answers: Sequence[AnswerRow] = ()
    contracts: Sequence[ContractRow] = ()
    systems: Sequence[SystemRow] = ()
    share: Decimal = CONSOLIDATION_SHARE
    # IT's own departments: what they buy is never outside IT, whatever its merchant.
    it_departments: frozenset[int] = frozenset()


# --- what comes out -----------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One merchant's spend in one department, within a duplicate."""

    merchant_id: int
    department_id: int | None
    spend: Decimal
    purchase_ids: tuple[int, ...]


@dataclass(frozen=True)
class Duplicate:
    """The same tool (one merchant) or equivalent tools (one kind of tool, several
    merchants) bought by two or more departments."""

    kind: str  # "same" or "equivalent"
    label: str  # the merchant's name, or the kind of tool
    parts: tuple[Part, ...]  # largest first
    spend: Decimal
    saving: Decimal

    @property
    def merchant_ids(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(p.merchant_id for p in self.parts))

    @property
    def department_ids(self) -> tuple[int | None, ...]:
        return tuple(dict.fromkeys(p.department_id for p in self.parts))

    @property
    def purchase_ids(self) -> tuple[int, ...]:
        return tuple(i for p in self.parts for i in p.purchase_ids)


@dataclass(frozen=True)
class Share:
    """Spend outside IT against technology spend, for one department or one month."""

    label: str  # department id as text, or "YYYY-MM"
    outside: Decimal
    technology: Decimal
    purchase_ids: tuple[int, ...]  # the technology purchases outside IT
    system_ids: tuple[int, ...] = ()  # systems whose cost is counted

    @property
    def percent(self) -> float | None:
        """Outside IT as a percentage of technology spend; None when there was none."""
        if self.technology <= 0:
            return None
        return float(self.outside / self.technology * 100)


@dataclass(frozen=True)
class Exposure:
    """A discovered service holding residents' data without a contract or a review."""

    merchant_id: int
    name: str
    reasons: tuple[str, ...]  # why it holds residents' data, why it is exposed
    answer_ids: tuple[int, ...]
    system_id: int | None
    no_contract: bool
    no_review: bool


@dataclass(frozen=True)
class NoSignOn:
    """A software service paid for in the window that nobody reaches by single sign-on."""

    merchant_id: int
    name: str
    spend: Decimal
    department_ids: tuple[int | None, ...]
    purchase_ids: tuple[int, ...]
    why: str


@dataclass(frozen=True)
class Findings:
    first_day: datetime.date
    last_day: datetime.date
    duplicates: list[Duplicate]
    saving: Decimal
    overall: Share
    by_department: list[Share]
    by_month: list[Share]
    exposures: list[Exposure]
    no_sign_on: list[NoSignOn]
    share: Decimal = CONSOLIDATION_SHARE


# --- the window ---------------------------------------------------------------------------


def window(today: datetime.date) -> tuple[datetime.date, datetime.date, list[str]]:
    """The twelve complete calendar months before `today`'s: first day, last day, months."""
    first_of_this = today.replace(day=1)
    last = first_of_this - datetime.timedelta(days=1)
    year, month = first_of_this.year, first_of_this.month - 12
    if month < 1:
        year, month = year - 1, month + 12
    first = datetime.date(year, month, 1)
    months = []
    y, m = year, month
    for _ in range(12):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return first, last, months


# --- the findings -------------------------------------------------------------------------


def compute(data: Input) -> Findings:
    """Every finding for the rows given (already only what the reader may see)."""
    first, last, months = window(data.today)
    by_key = {m.key: m for m in data.merchants}
    recent = [
        p for p in data.purchases if first <= p.purchased_on <= last and p.merchant_key in by_key
    ]
    duplicates = find_duplicates(data.merchants, recent, data.share)
    overall, by_department, by_month = outside_share(
        data.merchants, recent, data.systems, months, data.it_departments
    )
    return Findings(
        first_day=first,
        last_day=last,
        duplicates=duplicates,
        saving=sum((d.saving for d in duplicates), ZERO),
        overall=overall,
        by_department=by_department,
        by_month=by_month,
        exposures=exposures(data.merchants, data.answers, data.contracts, data.systems, data.today),
        no_sign_on=without_sign_on(data.merchants, recent),
        share=data.share,
    )


def _parts(
    merchants: Iterable[MerchantRow], purchases: Iterable[PurchaseRow]
) -> dict[int, list[Part]]:
    """Each merchant's spend per department (net of refunds), only where it is positive."""
    ids = {m.key: m.id for m in merchants}
    spend: dict[tuple[int, int | None], Decimal] = defaultdict(lambda: ZERO)
    bought: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    for p in purchases:
        merchant_id = ids.get(p.merchant_key)
        if merchant_id is None:
            continue
        spend[(merchant_id, p.department_id)] += p.amount
        bought[(merchant_id, p.department_id)].append(p.id)
    out: dict[int, list[Part]] = defaultdict(list)
    for (merchant_id, dept), amount in spend.items():
        if amount > 0:
            bought_ids = tuple(bought[(merchant_id, dept)])
            out[merchant_id].append(Part(merchant_id, dept, amount, bought_ids))
    return out


def _duplicate(kind: str, label: str, parts: list[Part], share: Decimal) -> Duplicate:
    parts = sorted(parts, key=lambda p: (-p.spend, p.merchant_id, p.department_id or 0))
    spend = sum((p.spend for p in parts), ZERO)
    saving = ((spend - parts[0].spend) * share).quantize(CENT)
    return Duplicate(kind, label, tuple(parts), spend, saving)


def find_duplicates(
    merchants: Sequence[MerchantRow],
    purchases: Sequence[PurchaseRow],
    share: Decimal = CONSOLIDATION_SHARE,
) -> list[Duplicate]:
    """Tools two or more departments pay for, largest saving first. A merchant whose kind of
    tool is shared with another merchant is counted once, in its kind's finding, so the
    savings add up without counting anything twice."""
    tools = [m for m in merchants if m.category in TOOLS and m.status != "dismissed"]
    parts = _parts(tools, purchases)
    kinds: dict[str, list[MerchantRow]] = defaultdict(list)
    for m in tools:
        if m.tool_kind.strip() and parts.get(m.id):
            kinds[m.tool_kind.strip().lower()].append(m)
    grouped: set[int] = set()
    found = []
    for kind, members in kinds.items():
        if len(members) < 2:
            continue
        grouped.update(m.id for m in members)
        all_parts = [p for m in members for p in parts[m.id]]
        if len({p.department_id for p in all_parts}) >= 2:
            label = members[0].tool_kind.strip()
            found.append(_duplicate("equivalent", label or kind, all_parts, share))
    for m in tools:
        if m.id in grouped or len(parts.get(m.id, ())) < 2:
            continue
        found.append(_duplicate("same", m.name, parts[m.id], share))
    return sorted(found, key=lambda d: (-d.saving, -d.spend, d.label))


def outside_share(
    merchants: Sequence[MerchantRow],
    purchases: Sequence[PurchaseRow],
    systems: Sequence[SystemRow],
    months: Sequence[str],
    it_departments: frozenset[int] = frozenset(),
) -> tuple[Share, list[Share], list[Share]]:
    """Spend outside IT as a share of technology spend: over the window, per department
    (by the purchase's and the system's owning department) and per month. IT's own
    departments' purchases count in technology spend, never outside IT."""
    by_key = {m.key: m for m in merchants}
    tech = [p for p in purchases if by_key[p.merchant_key].category in TECHNOLOGY]
    # A system IT adopted a merchant as took its recorded cost from the card spend: while
    # the window holds purchases of it, they are its spend, and the cost is not added again.
    paid = {by_key[p.merchant_key].system_id for p in tech} - {None}
    running = [s for s in systems if s.lifecycle in IN_USE and s.annual_cost and s.id not in paid]

    def share(
        label: str, bought: list[PurchaseRow], costs: list[SystemRow], part: Decimal
    ) -> Share:
        outside = [
            p
            for p in bought
            if by_key[p.merchant_key].status not in INSIDE_IT
            and p.department_id not in it_departments
        ]
        recorded = sum((s.annual_cost or ZERO for s in costs), ZERO) * part
        return Share(
            label,
            sum((p.amount for p in outside), ZERO),
            sum((p.amount for p in bought), ZERO) + recorded,
            tuple(p.id for p in outside),
            tuple(s.id for s in costs),
        )

    overall = share("all", tech, running, Decimal(1))
    departments = sorted(
        {p.department_id for p in tech} | {s.department_id for s in running},
        key=lambda d: (d is None, d or 0),
    )
    by_department = [
        share(
            str(d),
            [p for p in tech if p.department_id == d],
            [s for s in running if s.department_id == d],
            Decimal(1),
        )
        for d in departments
    ]
    by_department.sort(key=lambda s: -s.outside)
    by_month = [
        share(
            month,
            [p for p in tech if f"{p.purchased_on:%Y-%m}" == month],
            running,
            Decimal(1) / 12,
        )
        for month in months
    ]
    return overall, by_department, by_month


def _current(contract: ContractRow, today: datetime.date) -> bool:
    return (contract.start is None or contract.start <= today) and (
        contract.end is None or contract.end >= today
    )


def exposures(
    merchants: Sequence[MerchantRow],
    answers: Sequence[AnswerRow],
    contracts: Sequence[ContractRow],
    systems: Sequence[SystemRow],
    today: datetime.date,
) -> list[Exposure]:
    """Technology merchants (not dismissed) holding residents' data — a department answered
    yes, or the system IT adopted it as holds personal data — that have no current contract
    (with their vendor, or covering their system) or no security review in `REVIEW_DAYS`."""
    yes: dict[int, list[int]] = defaultdict(list)
    for a in answers:
        if a.resident_data == "yes":
            yes[a.merchant_id].append(a.id)
    pii = {s.id for s in systems if s.holds_pii}
    current = [c for c in contracts if _current(c, today)]
    vendors = {c.vendor_id for c in current if c.vendor_id is not None}
    covered = {s for c in current for s in c.system_ids}
    since = today - datetime.timedelta(days=REVIEW_DAYS)
    found = []
    for m in merchants:
        if m.category not in TECHNOLOGY or m.status == "dismissed":
            continue
        holds = []
        if yes.get(m.id):
            n = len(yes[m.id])
            holds.append(f"{n} department{'' if n == 1 else 's'} said it holds residents' data")
        if m.system_id is not None and m.system_id in pii:
            holds.append("the system it was adopted as holds personal data")
        if not holds:
            continue
        no_contract = m.vendor_id not in vendors and m.system_id not in covered
        no_review = m.security_reviewed_on is None or m.security_reviewed_on < since
        if not (no_contract or no_review):
            continue
        gaps = []
        if no_contract:
            gaps.append("no current contract")
        if no_review:
            gaps.append(
                "no security review"
                if m.security_reviewed_on is None
                else f"last security review on {m.security_reviewed_on:%B %-d, %Y}"
            )
        found.append(
            Exposure(
                m.id,
                m.name,
                (*holds, *gaps),
                tuple(yes.get(m.id, ())),
                m.system_id,
                no_contract,
                no_review,
            )
        )
    return sorted(found, key=lambda e: (-(e.no_contract + e.no_review), e.name.lower()))


def without_sign_on(
    merchants: Sequence[MerchantRow], purchases: Sequence[PurchaseRow]
) -> list[NoSignOn]:
    """Software services (not dismissed) with spend in the window that are not reached
    through single sign-on: no sign-in application linked, or nobody signing in through it."""
    software = [m for m in merchants if m.category == "software" and m.status != "dismissed"]
    parts = _parts(software, purchases)
    found = []
    for m in software:
        bought = parts.get(m.id)
        if not bought:
            continue
        if m.sign_in_application.strip() and m.users > 0:
            continue
        why = (
            "no sign-in application is linked to it"
            if not m.sign_in_application.strip()
            else f"nobody signs in to {m.sign_in_application} through single sign-on"
        )
        found.append(
            NoSignOn(
                m.id,
                m.name,
                sum((p.spend for p in bought), ZERO),
                tuple(p.department_id for p in bought),
                tuple(i for p in bought for i in p.purchase_ids),
                why,
            )
        )
    return sorted(found, key=lambda n: (-n.spend, n.name.lower()))
