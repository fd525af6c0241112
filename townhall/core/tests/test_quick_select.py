"""List filters write their drop-down options without a template per option (QuickSelect):
the same HTML as Django's Select, so the filter behaves and reads as before."""

import pytest
from django import forms

from townhall.core import context, services
from townhall.core.widgets import QuickSelect
from townhall.estate import models as m


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    grouped = forms.ChoiceField(
        choices=[
            ("", "---------"),
            ("x&y", 'X "and" <Y>'),
            ("G&H", [("1", "one"), ("2", "2 < 3")]),
        ],
        required=False,
    )
    numbers = forms.TypedChoiceField(
        choices=[(1, "one"), (2, "two")],
        coerce=int,
        widget=forms.Select(
            attrs={"class": "usa-select", "disabled": True, "data-x": False, "title": 'a "b"'}
        ),
    )
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")])


@pytest.mark.parametrize(
    "data", [{}, {"plain": "b", "grouped": "2", "numbers": "2"}, {"grouped": "x&y"}]
)
def test_the_same_html_as_djangos_select(data):
    form = Choices(data or None)
    for name in ("plain", "grouped", "numbers"):
        stock = str(form[name])
        form.fields[name].widget = QuickSelect.like(form.fields[name].widget)
        assert str(form[name]) == stock
    assert str(form["grouped"]).count("<option") == 4


def test_another_template_renders_as_usual():
    class Custom(QuickSelect):
        template_name = "django/forms/widgets/select.html"
        option_template_name = "django/forms/widgets/select_option.html"

    class Spelled(QuickSelect):
        input_type = "radio"
        template_name = "django/forms/widgets/radio.html"
        option_template_name = "django/forms/widgets/radio_option.html"

    html = Spelled(choices=[("a", "A")]).render("r", "a")
    assert 'type="radio"' in html
    assert Custom(choices=[("a", "A")]).render("s", "a") == forms.Select(
        choices=[("a", "A")]
    ).render("s", "a")


@pytest.mark.django_db
def test_list_filters_use_it_and_still_filter(client_for, departments):
    acme = services.create(context.SYSTEM, m.Vendor, {"name": "Acme & Sons"})
    other = services.create(context.SYSTEM, m.Vendor, {"name": "Other Co"})
    for name, vendor in (("Payroll", acme), ("Permits", other)):
        services.create(
            context.SYSTEM,
            m.System,
            {"name": name, "vendor": vendor, "owner_department": departments["PW"]},
        )
    for n in range(40):
        services.create(context.SYSTEM, m.Vendor, {"name": f"Vendor {n:02d}"})
    client = client_for("viewer")
    response = client.get("/estate/systems/", {"vendor": acme.pk})
    per_option = [t for t in response.templates if t.name.endswith("select_option.html")]
    assert len(per_option) < 20  # the few yes/no filters; not one per vendor or department
    html = response.content.decode()
    assert f'<option value="{acme.pk}" selected>Acme &amp; Sons</option>' in html
    assert f'<option value="{other.pk}">Other Co</option>' in html
    assert f'<option value="{departments["PW"].pk}">Public Works</option>' in html
    results = html[html.index('id="results"') :]
    assert "Payroll" in results and "Permits" not in results
    form = response.context["filterset"].form
    assert type(form.fields["vendor"].widget) is QuickSelect
    assert form.fields["vendor"].widget.attrs["class"] == "usa-select"
