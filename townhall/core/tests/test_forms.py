import pytest
from django import forms

from townhall.core.forms import edited_fields, style_fields


def test_choice_groups_are_not_styled_as_text_boxes():
    """Radio groups were given the text-box class and drew as overlapping boxes."""
    fields = {
        "pick": forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect),
        "many": forms.MultipleChoiceField(
            choices=[("a", "A")], widget=forms.CheckboxSelectMultiple
        ),
        "text": forms.CharField(),
    }
    style_fields(fields.values())
    assert "class" not in fields["pick"].widget.attrs
    assert "class" not in fields["many"].widget.attrs
    assert fields["text"].widget.attrs["class"] == "usa-input"


def test_edited_fields_are_the_forms_own_list_in_order():
    from townhall.org.forms import DepartmentForm

    assert edited_fields(DepartmentForm) == list(DepartmentForm.Meta.fields)
    assert edited_fields(DepartmentForm()) == list(DepartmentForm.Meta.fields)


def test_field_named_is_a_models_own_field_never_a_reverse_relation():
    from townhall.core.models import field_named
    from townhall.org.models import Department

    assert field_named(Department, "code").name == "code"
    reverse = next(f for f in Department._meta.get_fields() if f.auto_created and not f.concrete)
    with pytest.raises(TypeError):
        field_named(Department, reverse.name)


def test_related_model_is_the_class_a_reference_points_to():
    from townhall.core.models import field_named, related_model
    from townhall.org.models import Department, Document

    assert related_model(field_named(Document, "owner_department")) is Department
    with pytest.raises(TypeError):
        related_model(field_named(Department, "code"))  # not a reference


def test_a_yes_no_filter_offers_any_yes_and_no(client_for):
    """Its empty choice read "Unknown", as if it chose records whose value is unknown."""
    page = client_for("admin").get("/accounts/users/").content.decode()
    start = page.index('name="is_active"')
    select = page[start : page.index("</select>", start)]
    assert '<option value="" selected>Any</option>' in select
    assert "Unknown" not in select and ">Yes<" in select and ">No<" in select
    assert client_for("admin").get("/accounts/users/?is_active=unknown").status_code == 200
