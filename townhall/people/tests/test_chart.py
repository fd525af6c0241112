"""The organization chart page: teams nested, positions with who fills them, vacancies
marked, operating models with their staff, and a number of queries that does not grow
with the organization."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.core import context, services
from townhall.people.models import OperatingModel
from townhall.people.pages import chart
from townhall.people.tests import factories as f


def _organization(departments, n):
    it = f.team(f"Information Technology {n}")
    ops = f.team(f"Operations {n}", parent=it)
    desk = f.team(f"Service Desk {n}", parent=ops)
    cio = f.position(f"CIO {n}", it, f.person(f"Ada {n}"))
    for i in range(3):
        f.position(f"Technician {n}.{i}", desk, f.person(f"Tech {n}.{i}"), reports_to=cio)
    f.position(f"Analyst {n}", ops, None, vacant_since=datetime.date(2026, 3, 1), funded=False)
    sheriff = f.team(f"Sheriff IT {n}", departments["PW"], placement="embedded")
    f.position(f"Coordinator {n}", sheriff, placement="embedded")
    return it


@pytest.mark.django_db
def test_the_chart_nests_teams_and_marks_vacancies(departments, client_for):
    _organization(departments, 1)
    with context.acting("system"):
        services.create(
            context.SYSTEM,
            OperatingModel,
            {
                "owner_department": departments["PW"],
                "model": "hybrid",
                "as_of": datetime.date(2025, 7, 1),
            },
        )
    page = client_for("viewer").get("/people/chart/")
    assert page.status_code == 200
    html = page.content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "6 positions (6 FTE): 4 filled, 2 vacant (33%), of which 1 funded." in text
    # Service Desk sits inside Operations, inside Information Technology.
    assert (
        html.index("Information Technology 1")
        < html.index("Operations 1")
        < html.index("Service Desk 1")
    )
    assert "Vacant</span> since 1 March 2026" in html
    assert "Unfunded" in html
    assert "reports to CIO 1" in text
    assert "in Public Works" in text
    models = re.sub(r"\s+", " ", html[html.index('id="people-models-table"') :])
    assert "Hybrid" in models and '<td class="th-num">1</td>' in models


@pytest.mark.django_db
def test_the_chart_queries_do_not_grow_with_positions(departments, client_for):
    client = client_for("staff")
    _organization(departments, 1)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/people/chart/").status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for n in range(2, 6):
        _organization(departments, n)
    assert queries() == few


def test_a_loop_in_the_data_still_draws():
    from townhall.people.models import Team

    a, b = Team(pk=1, name="A", parent_id=2), Team(pk=2, name="B", parent_id=1)
    roots = chart.tree([a, b], [])
    assert {n.team.name for n in roots} == {"A", "B"}


@pytest.mark.django_db
def test_an_empty_organization_says_so(client_for):
    page = client_for("viewer").get("/people/chart/")
    assert "No teams yet." in page.content.decode()


def test_the_drawing_escapes_names_and_joins_each_team_to_its_unit():
    from townhall.people import chart_svg

    rows = [
        chart_svg.Row(0, "IT <central>", 2, 1, None),
        chart_svg.Row(1, "Ops & Desk", 0, 2, 0),
    ]
    drawn = chart_svg.svg(rows, "Teams", "Two teams")
    assert drawn.startswith('<svg role="img"')
    assert "IT &lt;central&gt;" in drawn and "Ops &amp; Desk" in drawn
    assert drawn.count("<path") == 1
    assert "2 filled, 1 vacant" in drawn and "0 filled, 2 vacant" in drawn
    many = [chart_svg.Row(0, f"T{i}", 1, 0, None) for i in range(chart_svg.MAX_ROWS + 5)]
    assert chart_svg.svg(many, "t", "s").count("<circle") == chart_svg.MAX_ROWS


@pytest.mark.django_db
def test_an_operating_models_page_counts_the_staff_behind_it(departments, client_for):
    _organization(departments, 1)
    with context.acting("system"):
        model = services.create(
            context.SYSTEM,
            OperatingModel,
            {"owner_department": departments["PW"], "model": "decentralized"},
        )
    html = client_for("viewer").get(model.get_absolute_url()).content.decode()
    summary = re.sub(r"<[^>]+>", "", html[html.index('id="operating-staff-summary"') :])
    assert summary.startswith('id="operating-staff-summary">1 embedded IT position: 0 filled')
    assert "1 vacant, 1 FTE." in summary
