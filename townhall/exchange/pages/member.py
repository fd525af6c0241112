"""The member's two pages for administrators: the jurisdiction profile (and joining a
hub), and the metrics preview where figures are approved and sent, and peers' fetched."""

import datetime
import json
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from townhall.core import services
from townhall.core.forms import RecordForm, style_fields
from townhall.core.http import whole_number
from townhall.core.permissions import is_admin
from townhall.exchange import bands, figures, member, metrics, metrics_input
from townhall.exchange.models import JurisdictionProfile, MetricSubmission, PeerStatistic
from townhall.jobs import runner

PROFILE_FIELDS = [
    "name",
    "kind",
    "population",
    "region",
    "operating_budget",
    "employees",
    "it_operating_budget",
]


class ProfileForm(RecordForm):
    class Meta:
        model = JurisdictionProfile
        fields = PROFILE_FIELDS


class JoinForm(forms.Form):
    hub_url = forms.URLField(label="Exchange hub address", max_length=200, assume_scheme="https")
    join_code = forms.CharField(
        label="Join code", max_length=200, help_text="The code the hub's administrator gave you."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())


def _admin(request: HttpRequest) -> None:
    if not is_admin(request.user):
        raise PermissionDenied("Only administrators manage the exchange membership.")


def _band_words(profile: JurisdictionProfile | None) -> list[tuple[str, str]]:
    if profile is None:
        return []
    given = member.bands_of(profile)
    labels = {b.key: b.label for b in (*bands.POPULATION_BANDS, *bands.BUDGET_BANDS)}
    return [
        ("Kind", dict(bands.KINDS)[given["kind"]]),
        ("Population", labels[given["population_band"]]),
        ("Region", dict(bands.REGIONS)[given["region"]]),
        ("Budget", labels[given["budget_band"]]),
    ]


@require_http_methods(["GET", "POST"])
def profile_page(request: HttpRequest) -> HttpResponse:
    """Edit the profile; join a hub (on a job)."""
    _admin(request)
    profile = member.the_profile()
    form = ProfileForm(instance=profile, initial={"version": getattr(profile, "version", None)})
    join = JoinForm(initial={"hub_url": getattr(profile, "hub_url", "")})
    if request.method == "POST" and request.POST.get("action") == "join":
        join = JoinForm(request.POST)
        if profile is None:
            join.add_error(None, "Fill in and save the profile before joining a hub.")
        elif join.is_valid():
            params = {"hub_url": join.cleaned_data["hub_url"]}
            params["join_code"] = join.cleaned_data["join_code"]
            job = runner.submit(request.user, member.JOIN, "Joining the exchange hub", params)
            return redirect(job.get_absolute_url())
    elif request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in PROFILE_FIELDS}
            try:
                if profile is None:
                    services.create(request.user, JurisdictionProfile, data)
                else:
                    services.update(
                        request.user, profile, data, version=form.cleaned_data["version"]
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("exchange:profile")
    context = {
        "profile": profile,
        "form": form,
        "join": join,
        "bands": _band_words(profile),
        "joining": runner.unfinished(member.JOIN),
    }
    return render(request, "exchange/profile.html", context)


def _year(raw: object, today: datetime.date) -> int:
    year = whole_number(raw, 4)
    return year if year is not None and 2000 <= year <= 2100 else today.year


def _shown(values: dict[str, float]) -> str:
    return json.dumps(values, sort_keys=True)


@require_http_methods(["GET", "POST"])
def metrics_page(request: HttpRequest) -> HttpResponse:
    """The figures as computed now, for approval; past submissions; peers' statistics."""
    _admin(request)
    today = datetime.date.today()
    profile = member.the_profile()
    source = request.POST if request.method == "POST" else request.GET
    year = _year(source.get("year"), today)
    found = metrics_input.compute(request.user, profile, today) if profile else []
    values = figures.approved_values(found)
    refusal = ""
    if request.method == "POST" and profile is None:
        refusal = "Fill in the profile and join a hub first."
    elif request.method == "POST" and request.POST.get("action") == "fetch":
        job = runner.submit(
            request.user, member.FETCH, f"Cohort statistics for {year}", {"year": year}
        )
        return redirect(job.get_absolute_url())
    elif request.method == "POST":
        if request.POST.get("shown") != _shown(values):
            refusal = "The figures changed since the page was shown: review them again."
        elif not values:
            refusal = "There is no figure to send."
        else:
            params = {"year": year, "values": values}
            job = runner.submit(request.user, member.SUBMIT, f"Metrics for {year}", params)
            return redirect(job.get_absolute_url())
    labels = {m.key: m.label for m in metrics.METRICS}
    context = {
        "profile": profile,
        "year": year,
        "years": range(today.year, today.year - 6, -1),
        "figures": found,
        "shown": _shown(values),
        "refusal": refusal,
        "version": metrics.METRIC_SET_VERSION,
        "submissions": MetricSubmission.objects.restrict(request.user, "view"),
        "peers": [
            (labels.get(p.metric, p.metric), p)
            for p in PeerStatistic.objects.restrict(request.user, "view").filter(year=year)
        ],
    }
    return render(request, "exchange/metrics.html", context, status=400 if refusal else 200)
