"""Pickers write their HTML in Python (core.widgets.picker_html) rather than render a
template each: the same HTML as templates/core/widgets/picker.html, so a page of a hundred
pickers behaves and reads as before."""

import itertools

import pytest
from django.template.loader import render_to_string

from townhall.core import widgets
from townhall.core.widgets import PickOne, picker_html

CHOSEN = ([], [("7", "Ann <b> & Co")], [("1", "A"), ("2", 'B "the second"')])


@pytest.mark.parametrize(
    ("optional", "multiple", "chosen", "invalid"),
    list(itertools.product((True, False), (True, False), CHOSEN, (True, False))),
)
def test_the_same_html_as_the_template(optional, multiple, chosen, invalid):
    picker = {
        "id": "pick_s1-responsible",
        "q_id": "id_s1-responsible_q",
        "invalid": invalid,
        "name": "s1-responsible",
        "multiple": multiple,
        "optional": optional,
        "empty_label": "None <of these>",
        "chosen": chosen,
        "url": "/pick/estate/person/?field=s1-responsible&multiple=0&optional=1",
        "plural": "people",
        "singular": "person",
    }
    assert picker_html(picker) == render_to_string(PickOne.template_name, {"picker": picker})


def test_only_the_stock_template_is_written_in_python(monkeypatch):
    rendered = []

    def render(name, context=None, *args, **kwargs):
        rendered.append(name)
        return "from the template"

    monkeypatch.setattr(widgets.loader, "render_to_string", render)

    class Elsewhere(PickOne):
        template_name = "somewhere/else.html"

    assert 'class="th-picker"' in PickOne().render("who", None)
    assert rendered == []
    assert Elsewhere().render("who", None) == "from the template"
    assert rendered == ["somewhere/else.html"]
