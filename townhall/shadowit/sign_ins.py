"""The ORM side of `usage`: each merchant's sign-in application, people and last sign-in,
written from the single sign-on exports (`SignInApp`) and the domains reached (`DomainUse`).

`work_out(user)` runs in the merchant job (`tasks.py`), after the merchants are brought up
to date, and writes through the write path only the merchants whose figures changed: run
again on the same sign-ins it writes nothing. A write to sign-ins or domains asks for the
merchant job (`connect`), once per transaction and only once it commits.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import Max

from townhall.core import changes, services
from townhall.shadowit import merchants, usage
from townhall.shadowit.models import DomainUse, Merchant, SignInApp

BATCH = 1000


def _ask() -> None:
    merchants.refresh()


def _changed(model: type) -> None:
    if any(entry[1] is _ask for entry in connection.run_on_commit):
        return
    transaction.on_commit(_ask)


def connect() -> None:
    """Hear of every write to sign-ins and domains (the app config calls this)."""
    changes.listen(["shadowit.SignInApp", "shadowit.DomainUse"], _changed)


def _sign_ins() -> list[usage.SignIn]:
    """One row per application and person, with their last sign-in: a person's many days
    are one row, read by the database."""
    rows = (
        SignInApp.objects.values("application", "username")
        .annotate(last=Max("last_sign_in"))
        .order_by()
    )
    return [usage.SignIn(r["application"], r["username"], r["last"]) for r in rows.iterator()]


def _domains() -> list[tuple[str, int | None]]:
    rows = DomainUse.objects.values("domain").annotate(most=Max("users")).order_by()
    return [(r["domain"], r["most"]) for r in rows]


def work_out(user: Any) -> int:
    """Write each merchant's sign-in application, people and last sign-in; how many
    merchants changed. A merchant no longer matched has no people and no last sign-in."""
    held = list(Merchant.objects.order_by("pk"))
    matcher = usage.Matcher(
        usage.Candidate(m.key, m.name, m.domain, m.sign_in_application) for m in held
    )
    found = usage.summarise(matcher, _sign_ins(), _domains())
    edits: list[tuple[Merchant, dict[str, Any]]] = []
    for merchant in held:
        use = found.get(merchant.key, usage.Usage())
        wanted = {
            # A name a person gave is kept while no sign-in matches.
            "sign_in_application": use.application[:200] or merchant.sign_in_application,
            "users": use.users,
            "last_sign_in": use.last_sign_in,
        }
        differ = {k: v for k, v in wanted.items() if getattr(merchant, k) != v}
        if differ:
            edits.append((merchant, differ))
    with transaction.atomic():
        for start in range(0, len(edits), BATCH):
            services.update_rows(user, edits[start : start + BATCH])
    return len(edits)
