"""The menu lists each module's pages; pages only some roles may use are offered to them
alone, and records reached from other pages stay out of it."""

from townhall.core import navigation


def _labels(user) -> list[str]:
    return [link["label"] for s in navigation.sections(user) for link in s["links"]]


def test_editor_pages_are_offered_to_editors_only(users):
    assert "Start an assessment" in _labels(users["staff"])
    assert "Import a framework catalog" in _labels(users["admin"])
    for role in ("viewer", "board", "liaison"):
        labels = _labels(users[role])
        assert "Start an assessment" not in labels
        assert "Cyber health" in labels


def test_records_kept_out_of_the_menu(users):
    labels = _labels(users["staff"])
    assert "Assessments" in labels
    assert "Scores" not in labels and "Requirement mappings" not in labels
