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


def test_pages_a_role_cannot_open_are_not_offered(users):
    liaison = _labels(users["liaison"])
    for label in ("Exposure", "Plan of action", "Boots on the ground", "Insurance readiness"):
        assert label not in liaison  # shared with IT, auditors and the board only
        assert label in _labels(users["viewer"]) and label in _labels(users["board"])
    assert "Risk register" in liaison  # their own department's risks


def test_record_lists_a_role_never_sees_a_row_of_are_not_offered(users):
    liaison = _labels(users["liaison"])
    assert "Assessments" not in liaison and "Evidence" not in liaison
    assert "Risks" in liaison and "Incidents" in liaison  # their department's rows
    assert "Assessments" in _labels(users["viewer"])


def test_requests_are_offered_to_those_who_make_them(users):
    assert "Our requests" in _labels(users["liaison"])
    assert "Our requests" in _labels(users["staff"])
    assert "Our requests" not in _labels(users["board"])
    assert "Our requests" not in _labels(users["viewer"])


def test_deciding_the_menu_reads_nothing_from_the_database(users, django_assert_num_queries):
    """The menu is on every page: who may open what is decided from the role alone."""
    for user in users.values():
        with django_assert_num_queries(0):
            navigation.sections(user)
