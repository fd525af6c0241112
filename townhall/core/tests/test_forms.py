from django import forms

from townhall.core.forms import style_fields


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
