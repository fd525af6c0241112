"""Other modules name their choices in English ("Deployed", "Approved"): every choice a
publishable field can show is collected for translation (choice_words.py) and has Spanish,
and a yes-or-no field reads as words in the visitor's language, never "True"."""

from django.utils import translation

from townhall.public import choice_words, kinds, publishing


def _choice_labels() -> dict[str, str]:
    found = {}
    for kind in kinds.all_kinds():
        for field in (kind.title, *kind.fields):
            if field.choices is not None or field.reader:
                continue  # the kind's own words, translated where they are declared
            model_field = publishing._model_field(kind, field.path)
            for _value, label in getattr(model_field, "flatchoices", None) or ():
                found[str(label)] = f"{kind.key}.{field.name}"
    return found


def test_every_choice_shown_is_collected_and_has_spanish():
    labels = _choice_labels()
    assert "Deployed" in labels and "Approved" in labels  # the check reads real choices
    missing = sorted(
        f"{label} ({where})" for label, where in labels.items() if label not in choice_words.WORDS
    )
    assert not missing, "add to choice_words.py: " + "; ".join(missing)
    # Read from the Spanish catalog itself: some words are the same in both ("Drones").
    spanish = translation.trans_real.translation("es")._catalog  # type: ignore[attr-defined]
    untranslated = sorted(label for label in labels if not spanish.get(label))
    with translation.override("es"):
        assert translation.gettext("Deployed") == "En uso"
        assert publishing._text(True, None) == "Sí" and publishing._text(False, None) == "No"
    assert not untranslated, "no Spanish for: " + "; ".join(untranslated)
    with translation.override("en"):
        assert publishing._text(True, None) == "Yes"
