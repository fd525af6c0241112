from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from townhall.core.forms import DateInput, RecordForm, field_of, style_fields
from townhall.core.http import whole_number
from townhall.core.widgets import PickMany, PickOne
from townhall.governance import models as m

GRID_YEARS = 5  # cost and staff columns shown by default; more when the duration is longer


class SkillPoolForm(RecordForm):
    class Meta:
        model = m.SkillPool
        fields = ["name", "code", "description", "notes"]


class CriteriaSetForm(RecordForm):
    class Meta:
        model = m.CriteriaSet
        fields = ["name", "description", "scale_min", "scale_max", "notes"]


def anchors_to_text(anchors: list) -> str:
    return "\n".join(f"{a.get('score')}: {a.get('text', '')}" for a in anchors or [])


def anchors_from_text(text: str) -> list[dict[str, Any]]:
    """ "3: Helps one department" lines -> [{"score": 3, "text": "Helps one department"}]."""
    anchors = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        score, sep, words = line.partition(":")
        if not sep or whole_number(score.strip(), 3) is None or not words.strip():
            raise forms.ValidationError(
                f"Line {number}: write the score, a colon, then what it means "
                f"(such as “3: Helps one department”)."
            )
        anchors.append({"score": int(score.strip()), "text": words.strip()})
    return sorted(anchors, key=lambda a: a["score"])


class CriterionForm(RecordForm):
    anchors = forms.CharField(
        label="What each score means",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One line per score: the score, a colon, then what it means. "
        "Such as “1: No measurable benefit”.",
    )

    class Meta:
        model = m.Criterion
        fields = ["criteria_set", "name", "weight", "description", "anchors", "order", "notes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(
            self, "criteria_set", forms.ModelChoiceField
        ).queryset = m.CriteriaSet.objects.filter(cycles__isnull=True)
        self.fields["order"].required = False
        self.fields["order"].help_text = "Position on score sheets; lower comes first."
        if self.instance.pk and not self.is_bound:
            self.initial["anchors"] = anchors_to_text(self.instance.anchors)
        style_fields(self.fields.values())

    def clean_order(self) -> int:
        return self.cleaned_data.get("order") or 0

    def clean_anchors(self) -> list[dict[str, Any]]:
        return anchors_from_text(self.cleaned_data.get("anchors") or "")


class BudgetCycleForm(RecordForm):
    class Meta:
        model = m.BudgetCycle
        fields = [
            "name",
            "first_year",
            "years",
            "criteria_set",
            "status",
            "intake_deadline",
            "infrastructure_share",
            "notes",
        ]
        widgets = {"intake_deadline": DateInput}


def _number(value: Any, label: str) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    try:
        number = Decimal(str(value).replace(",", "").replace("$", "").strip())
    except InvalidOperation:
        raise forms.ValidationError(f"{label}: “{value}” is not a number.") from None
    if not number.is_finite() or number < 0:
        raise forms.ValidationError(f"{label}: use zero or a positive amount.")
    return number


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


class BudgetGridForm(forms.Form):
    """Capital and operating budget per fiscal year, and staff hours per pool per year."""

    def __init__(self, cycle: m.BudgetCycle, pools: list[m.SkillPool], *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.cycle, self.pools = cycle, pools
        for year in cycle.fiscal_years():
            for kind in ("capital", "operating"):
                self.fields[f"{kind}_{year}"] = forms.DecimalField(
                    label=f"{kind.capitalize()} budget, FY{year}",
                    required=False,
                    min_value=0,
                    max_digits=14,
                    decimal_places=2,
                    initial=cycle.budget(year, kind),
                )
            for pool in pools:
                self.fields[f"hours_{pool.code}_{year}"] = forms.DecimalField(
                    label=f"{pool.name} staff hours, FY{year}",
                    required=False,
                    min_value=0,
                    max_digits=10,
                    decimal_places=1,
                    initial=cycle.capacity(pool.code, year),
                )
        style_fields(self.fields.values())

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        budgets = {
            str(y): {
                k: _plain(data.get(f"{k}_{y}") or Decimal(0)) for k in ("capital", "operating")
            }
            for y in self.cycle.fiscal_years()
        }
        capacities = {
            p.code: {
                str(y): _plain(data.get(f"hours_{p.code}_{y}") or Decimal(0))
                for y in self.cycle.fiscal_years()
            }
            for p in self.pools
        }
        return {"budgets": budgets, "capacities": capacities}


class ProposalForm(RecordForm):
    """The intake form: a guided request, with costs and staff hours by project year."""

    SECTIONS = [
        ("The request", ["title", "cycle", "owner_department", "sponsor", "kind"]),
        ("Problem and outcome", ["problem", "outcome"]),
        ("Mandate", ["mandated", "mandate"]),
        ("Timing", ["earliest_start", "duration"]),
        ("Recurring cost", ["recurring_operating"]),
        (
            "What it changes in the estate",
            [
                "replaces_systems",
                "retires_systems",
                "extends_systems",
                "replaces_components",
                "extends_components",
            ],
        ),
        ("Depends on", ["prerequisites"]),
        ("Other", ["external_id", "tags", "notes"]),
    ]

    class Meta:
        model = m.Proposal
        fields = [
            "title",
            "cycle",
            "owner_department",
            "sponsor",
            "kind",
            "problem",
            "outcome",
            "mandated",
            "mandate",
            "earliest_start",
            "duration",
            "capital_costs",
            "operating_costs",
            "recurring_operating",
            "effort",
            "replaces_systems",
            "retires_systems",
            "extends_systems",
            "replaces_components",
            "extends_components",
            "prerequisites",
            "external_id",
            "tags",
            "notes",
        ]
        widgets = {
            "sponsor": PickOne,
            "replaces_systems": PickMany,
            "retires_systems": PickMany,
            "extends_systems": PickMany,
            "replaces_components": PickMany,
            "extends_components": PickMany,
            "prerequisites": PickMany,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("capital_costs", "operating_costs", "effort"):
            # Filled from the grid in clean(); kept as fields so ModelForm can set them.
            self.fields[name].required = False
            self.fields[name].widget = forms.HiddenInput()
        self.fields["owner_department"].required = True
        self.fields["earliest_start"].required = False
        self.pools = list(m.SkillPool.objects.all())
        self.grid_years = max(GRID_YEARS, self._duration())
        instance = self.instance
        for i in range(1, self.grid_years + 1):
            for kind, label in (
                ("capital", "One-time capital"),
                ("operating", "One-time operating"),
            ):
                self.fields[f"{kind}_{i}"] = forms.CharField(
                    label=f"{label}, year {i}",
                    required=False,
                    initial=_at(getattr(instance, f"{kind}_costs", None), i),
                )
            for pool in self.pools:
                self.fields[f"hours_{pool.code}_{i}"] = forms.CharField(
                    label=f"{pool.name} hours, year {i}",
                    required=False,
                    initial=_at((instance.effort or {}).get(pool.code), i),
                )
        style_fields(self.fields.values())

    def _duration(self) -> int:
        raw = self.data.get(self.add_prefix("duration")) if self.is_bound else None
        raw = raw or self.initial.get("duration") or getattr(self.instance, "duration", 1)
        if raw is None:
            return 1
        try:
            return max(1, min(int(raw), m.MAX_YEARS))
        except (TypeError, ValueError):
            return 1

    def sections(self) -> list[tuple[str, list[Any]]]:
        return [
            (title, [self[n] for n in names if n in self.fields]) for title, names in self.SECTIONS
        ]

    def grid(self) -> dict[str, Any]:
        years = list(range(1, self.grid_years + 1))
        rows = [("One-time capital", "capital"), ("One-time operating", "operating")]
        return {
            "years": years,
            "cost_rows": [(label, [self[f"{k}_{i}"] for i in years]) for label, k in rows],
            "effort_rows": [
                (p.name, [self[f"hours_{p.code}_{i}"] for i in years]) for p in self.pools
            ],
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # ModelForm.clean returns cleaned_data
        duration = data.get("duration") or 1
        errors = []
        lists: dict[str, list] = {}
        for kind, label in (("capital", "One-time capital"), ("operating", "One-time operating")):
            values = []
            for i in range(1, self.grid_years + 1):
                try:
                    number = _number(data.get(f"{kind}_{i}"), f"{label}, year {i}")
                except forms.ValidationError as exc:
                    self.add_error(f"{kind}_{i}", exc)
                    continue
                if i > duration and number:
                    errors.append(f"{label}, year {i}: the request lasts {duration} year(s).")
                values.append(number)
            lists[kind] = [_plain(v) for v in values[:duration]]
        effort = {}
        for pool in self.pools:
            hours = []
            for i in range(1, self.grid_years + 1):
                label = f"{pool.name} hours, year {i}"
                try:
                    number = _number(data.get(f"hours_{pool.code}_{i}"), label)
                except forms.ValidationError as exc:
                    self.add_error(f"hours_{pool.code}_{i}", exc)
                    continue
                if i > duration and number:
                    errors.append(f"{label}: the request lasts {duration} year(s).")
                hours.append(number)
            if any(hours[:duration]):
                effort[pool.code] = [_plain(v) for v in hours[:duration]]
        if errors:
            raise forms.ValidationError(errors)
        data["capital_costs"] = lists.get("capital", [])
        data["operating_costs"] = lists.get("operating", [])
        data["effort"] = effort
        return data


def _at(values: Any, i: int) -> Any:
    values = list(values or [])
    return values[i - 1] if i <= len(values) and values[i - 1] else ""


class ScenarioForm(RecordForm):
    class Meta:
        model = m.Scenario
        fields = [
            "cycle",
            "name",
            "description",
            "objective",
            "budget_level",
            "infrastructure_share",
            "force_in",
            "force_out",
            "time_limit",
            "selected",
            "notes",
        ]
        widgets = {"force_in": PickMany, "force_out": PickMany}
        # Which proposals may be forced in or out is Scenario.clean_relations' rule.


class DecisionForm(forms.Form):
    """The board's decision on a scored proposal, with its reason and vote."""

    decision = forms.ChoiceField(
        choices=[
            (m.Proposal.Status.APPROVED, "Approve"),
            (m.Proposal.Status.DEFERRED, "Defer"),
            (m.Proposal.Status.REJECTED, "Reject"),
        ],
        widget=forms.RadioSelect,
    )
    rationale = forms.CharField(widget=forms.Textarea, help_text="Why the board decided this.")
    votes_for = forms.IntegerField(min_value=0, max_value=99, required=False)
    votes_against = forms.IntegerField(min_value=0, max_value=99, required=False)
    votes_abstaining = forms.IntegerField(min_value=0, max_value=99, required=False)
    approved_start = forms.IntegerField(
        label="Approved start (fiscal year)", min_value=2000, max_value=2100, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())


class StepForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Kept with this step and shown to the requester.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())


# --- Project updates for residents ---


class ProjectUpdateForm(RecordForm):
    class Meta:
        model = m.ProjectUpdate
        fields = ["proposal", "day", "text", "notes"]
        widgets = {"proposal": PickOne, "day": DateInput}
