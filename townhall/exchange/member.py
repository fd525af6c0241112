"""The member's exchanges with its hub, each a job on the one runner (a call to another
server never holds a page): joining, sending the approved metrics, fetching the cohort
statistics. Each writes only after the hub answered well, in one transaction, so a refusal
or a malformed answer leaves nothing half written."""

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from townhall.core import services
from townhall.exchange import bands, client, figures, metrics, protocol
from townhall.exchange.models import JurisdictionProfile, MetricSubmission, PeerStatistic
from townhall.jobs import runner

JOIN = "exchange_join"
SUBMIT = "exchange_submit"
FETCH = "exchange_fetch_statistics"


def the_profile() -> JurisdictionProfile | None:
    """The one jurisdiction profile, or None before an administrator wrote it."""
    return JurisdictionProfile.objects.order_by("pk").first()


def bands_of(profile: JurisdictionProfile) -> dict[str, str]:
    """All the hub is told about the profile."""
    return bands.profile(profile.kind, profile.population, profile.region, profile.operating_budget)


def _profile() -> JurisdictionProfile:
    profile = the_profile()
    if profile is None:
        raise runner.JobFailed("the jurisdiction profile is not filled in yet.")
    return profile


def _hub(call: Any) -> Any:
    try:
        return call()
    except client.HubError as exc:
        raise runner.JobFailed(str(exc)) from exc


@runner.job(JOIN, rerun=False)
def join_job(ctx: runner.JobContext) -> str:
    """Make a signing key, introduce it to the hub with the join code, keep the member id."""
    ctx.start(2, "Making this Townhall's signing key.")
    profile = _profile()
    key = protocol.new_private_key()
    profile.hub_url = ctx.params["hub_url"]  # the address to call; kept only once joined
    doc = {
        "join_code": ctx.params["join_code"],
        "name": profile.name,
        "public_key": protocol.public_key(key),
        "profile": bands_of(profile),
    }
    ctx.progress(1, "Asking the hub to let this Townhall join.")
    answer = _hub(lambda: client.call(profile, "POST", protocol.JOIN, doc, signed=False))
    member_id = answer.get("member_id") if isinstance(answer, dict) else None
    if not isinstance(member_id, str) or not 0 < len(member_id) <= 64:
        raise runner.JobFailed("the hub's answer carried no member id.")
    fresh = JurisdictionProfile.objects.get(pk=profile.pk)
    services.update(
        ctx.user,
        fresh,
        {
            "hub_url": ctx.params["hub_url"],
            "member_id": member_id,
            "signing_key": client.SIGNING_KEYS.seal(key),
            "joined_at": timezone.now(),
        },
        version=None,
    )
    ctx.link(reverse("exchange:profile"), "Back to the profile")
    return f"This Townhall joined the hub at {ctx.params['hub_url']} as member {member_id}."


@runner.job(SUBMIT, rerun=False)
def submit_job(ctx: runner.JobContext) -> str:
    """Sign and send the values the administrator approved, exactly, and record them."""
    ctx.start(2, "Signing the approved figures.")
    profile = _profile()
    key = client.private_key(profile)
    if key is None:
        raise runner.JobFailed("this Townhall has no signing key: join the hub again.")
    year, values = int(ctx.params["year"]), dict(ctx.params["values"])
    version = metrics.METRIC_SET_VERSION
    if problems := metrics.problems(version, values):
        raise runner.JobFailed("; ".join(problems))
    payload = figures.submission(year, bands_of(profile), values, version)
    doc = {"payload": payload, "signature": protocol.sign_document(key, payload)}
    ctx.progress(1, "Sending them to the hub.")
    answer = _hub(lambda: client.call(profile, "POST", protocol.SUBMISSIONS, doc))
    revision = answer.get("revision") if isinstance(answer, dict) else None
    status = answer.get("status") if isinstance(answer, dict) else None
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 1:
        raise runner.JobFailed("the hub's answer carried no revision number.")
    if status not in ("accepted", "unchanged"):
        raise runner.JobFailed("the hub's answer did not say the figures were accepted.")
    data = {
        "values": values,
        "submitted_at": timezone.now(),
        "hub_revision": revision,
        "hub_answer": f"{status}, revision {revision}",
    }
    with transaction.atomic():
        kept = MetricSubmission.objects.filter(year=year, metric_set_version=version).first()
        if kept is None:
            services.create(
                ctx.user, MetricSubmission, {"year": year, "metric_set_version": version, **data}
            )
        else:
            services.update(ctx.user, kept, data, version=None)
    ctx.link(reverse("exchange:metrics") + f"?year={year}", "Back to the metrics")
    return f"The hub {status} the figures for {year} (revision {revision})."


def keep_statistics(user: Any, year: int, version: str, rows: list[dict]) -> None:
    """Replace the year's kept cohort statistics with `rows` (checked by
    `figures.statistic_rows`), all or none."""
    now = timezone.now()
    with transaction.atomic():
        old = PeerStatistic.objects.filter(year=year, metric_set_version=version)
        services.delete_many(user, list(old))
        services.create_many(
            user,
            PeerStatistic,
            [
                {**row, "year": year, "metric_set_version": version, "fetched_at": now}
                for row in rows
            ],
        )


@runner.job(FETCH)
def fetch_job(ctx: runner.JobContext) -> str:
    """Fetch the released cohort statistics for a year, replacing that year's."""
    ctx.start(2, "Asking the hub for the cohort statistics.")
    profile = _profile()
    year, version = int(ctx.params["year"]), metrics.METRIC_SET_VERSION
    query = f"year={year}&version={version}"
    answer = _hub(lambda: client.call(profile, "GET", protocol.STATISTICS, query=query))
    rows, problems = figures.statistic_rows(answer, year, version)
    if problems:
        raise runner.JobFailed("the hub's answer was not understood: " + "; ".join(problems[:5]))
    ctx.progress(1, "Keeping them.")
    keep_statistics(ctx.user, year, version, rows)
    ctx.link(reverse("exchange:metrics") + f"?year={year}", "Back to the metrics")
    return f"{len(rows):,} cohort statistics for {year} fetched."
