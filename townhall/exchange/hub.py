"""The hub's verbs: a government joins, a member submits its metrics, the hub recomputes
its cohort statistics. Every write goes through the write path as the system, since no
person at the hub makes these changes (the API's door is "api")."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from townhall.core import context, services
from townhall.exchange import bands, cohorts, metrics, privacy, protocol
from townhall.exchange.models import CohortStatistic, HubJoinCode, HubMember, HubSubmission

JOB_KIND = "exchange.recompute"
CODE_DAYS = 14
PROFILE_FIELDS = ("kind", "population_band", "region", "budget_band")


class Refused(Exception):
    """The request cannot be accepted; the message says why (the API answers 400)."""


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def make_join_code(user: Any, note: str = "", days: int = CODE_DAYS) -> str:
    """A new one-use join code, shown once: only its hash is kept. It expires after `days`."""
    code = secrets.token_urlsafe(18)
    services.create(
        user,
        HubJoinCode,
        {
            "code_hash": _hash(code),
            "note": note[:200],
            "expires_at": timezone.now() + timedelta(days=days),
        },
    )
    return code


def join(code: object, name: object, public_key: object, profile: object) -> HubMember:
    """Admit a government with a valid join code; the code is used up."""
    if not isinstance(code, str) or not code or len(code) > 100:
        raise Refused("join_code is missing")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise Refused("name must be text of 1 to 200 characters")
    if not protocol.valid_public_key(public_key):
        raise Refused("public_key must be an Ed25519 public key in base64")
    if problems := bands.profile_problems(profile):
        raise Refused("; ".join(problems))
    assert isinstance(profile, dict) and isinstance(public_key, str)
    with transaction.atomic(), context.acting("api"):
        found = (
            HubJoinCode.objects.select_for_update()
            .filter(code_hash=_hash(code), used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if found is None:
            raise Refused("join_code is unknown, used or expired")
        member = services.create(
            context.SYSTEM,
            HubMember,
            {
                "member_id": secrets.token_hex(16),
                "name": name.strip(),
                "public_key": public_key,
                **{f: profile[f] for f in PROFILE_FIELDS},
            },
        )
        services.update(
            context.SYSTEM,
            found,
            {"used_at": timezone.now(), "used_by": member},
            version=None,
        )
    return member


def submit(member: HubMember, payload: object, signature: object) -> tuple[int, str]:
    """Keep a member's signed metrics for a year: (revision, "accepted" | "unchanged")."""
    if not isinstance(payload, dict) or not isinstance(signature, str) or len(signature) > 200:
        raise Refused("payload must be an object and signature text")
    try:
        protocol.verify_document(member.public_key, payload, signature)
    except protocol.BadSignature as exc:
        raise Refused(f"signature: {exc}") from exc
    year = payload.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise Refused("year must be a whole number from 2000 to 2100")
    version = payload.get("metric_set_version")
    values = payload.get("values")
    if problems := metrics.problems(version, values) + bands.profile_problems(
        payload.get("profile")
    ):
        raise Refused("; ".join(problems))
    profile: dict = payload["profile"]
    with transaction.atomic(), context.acting("api"):
        changed = {f: profile[f] for f in PROFILE_FIELDS if getattr(member, f) != profile[f]}
        if changed:
            services.update(context.SYSTEM, member, changed, version=None)
        existing = (
            HubSubmission.objects.select_for_update()
            .filter(member=member, year=year, metric_set_version=version)
            .first()
        )
        if existing is None:
            services.create(
                context.SYSTEM,
                HubSubmission,
                {
                    "member": member,
                    "year": year,
                    "metric_set_version": version,
                    "values": values,
                    "signature": signature,
                },
            )
            revision, status = 1, "accepted"
        elif existing.values == values:
            revision, status = existing.revision, "unchanged"
        elif existing.revision > settings.EXCHANGE_MAX_REVISIONS:
            raise Refused(
                f"the figures for {year} were already changed "
                f"{settings.EXCHANGE_MAX_REVISIONS} times, the most this hub accepts in a year"
            )
        else:
            revision, status = existing.revision + 1, "accepted"
            services.update(
                context.SYSTEM,
                existing,
                {"values": values, "signature": signature, "revision": revision},
                version=None,
            )
        if status == "accepted" or changed:
            ask_recompute()
    return revision, status


def ask_recompute() -> None:
    """Queue one recomputation; asking again while one waits adds nothing."""
    from townhall.jobs import runner

    transaction.on_commit(
        lambda: runner.submit(context.SYSTEM, JOB_KIND, "Recompute cohort statistics", {})
    )


def recompute(user: Any = context.SYSTEM) -> int:
    """Work out every cohort statistic again from the submissions; the number of rows.

    Only what changed is written: new cohorts created, changed ones updated, vanished ones
    deleted, each through the write path. An unchanged cohort keeps its row, and with it
    its figures (`cohorts.release` is given the last release as `kept`)."""
    members = {
        m.pk: {f: getattr(m, f) for f in PROFILE_FIELDS}
        for m in HubMember.objects.filter(active=True)
    }
    grouped: dict[tuple[int, str, str], list[tuple[dict[str, str], float]]] = {}
    rows = HubSubmission.objects.filter(member__active=True).values_list(
        "member_id", "year", "metric_set_version", "values"
    )
    for member_pk, year, version, values in rows.iterator(chunk_size=2000):
        for metric, value in values.items():
            grouped.setdefault((year, version, metric), []).append((members[member_pk], value))
    existing = {
        (r.year, r.metric_set_version, r.metric, r.cohort): r
        for r in CohortStatistic.objects.iterator(chunk_size=2000)
    }
    kept: dict[tuple[int, str, str], dict[str, cohorts.Cell]] = {}
    for (year, version, metric, cohort), r in existing.items():
        if r.inputs:  # a withheld cohort keeps no digest, so no figures to keep
            cell = cohorts.Cell(
                cohort, r.cohort_label, r.members, r.q1, r.median, r.q3, inputs=r.inputs
            )
            kept.setdefault((year, version, metric), {})[cohort] = cell
    salt = f"epsilon={settings.EXCHANGE_EPSILON}"
    new: list[dict[str, Any]] = []
    changed: list[tuple[CohortStatistic, dict[str, Any]]] = []
    seen: set[tuple[int, str, str, str]] = set()
    for (year, version, metric), found in grouped.items():
        noise = _noise(version, metric)
        before = kept.get((year, version, metric))
        for cell in cohorts.release(found, settings.EXCHANGE_MIN_COHORT, noise, before, salt):
            key = (year, version, metric, cell.cohort)
            seen.add(key)
            values = {
                "cohort_label": cell.label,
                "members": cell.members,
                "q1": cell.q1,
                "median": cell.median,
                "q3": cell.q3,
                "suppressed": cell.suppressed,
                "inputs": cell.inputs,
            }
            row = existing.get(key)
            if row is None:
                new.append(
                    {
                        "year": year,
                        "metric_set_version": version,
                        "metric": metric,
                        "cohort": cell.cohort,
                        **values,
                    }
                )
            elif diff := {k: v for k, v in values.items() if getattr(row, k) != v}:
                changed.append((row, diff))
    gone = [row for key, row in existing.items() if key not in seen]
    with transaction.atomic():
        services.delete_many(user, gone)
        services.update_rows(user, changed)
        services.create_many(user, CohortStatistic, new)
    return len(seen)


def budget(version: str) -> privacy.Budget | None:
    """The privacy budget of a metric set version, or None when no noise is added."""
    epsilon = settings.EXCHANGE_EPSILON
    if epsilon is None or version not in metrics.VERSIONS:
        return None
    return privacy.Budget(epsilon, len(metrics.VERSIONS[version]))


def _noise(version: str, metric: str) -> Callable[[float], float] | None:
    found = budget(version)
    known = metrics.VERSIONS.get(version, {})
    if found is None or metric not in known:
        return None
    return privacy.noise_for(known[metric], found)


def statistics(year: int, version: str) -> list[dict[str, Any]]:
    """The released cohort statistics of a year and metric set version."""
    rows = CohortStatistic.objects.filter(
        year=year, metric_set_version=version, suppressed=""
    ).order_by("metric", "cohort")
    return [
        {
            "metric": r.metric,
            "cohort": r.cohort,
            "cohort_label": r.cohort_label,
            "members": r.members,
            "q1": r.q1,
            "median": r.median,
            "q3": r.q3,
        }
        for r in rows
    ]
