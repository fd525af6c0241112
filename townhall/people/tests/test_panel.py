"""What people shows elsewhere: a person's position, skills and certifications on their
page, and certification expiries in the calendar feed."""

import datetime

import pytest

from townhall.core import context, services
from townhall.people import panel
from townhall.people.models import Certification, Proficiency
from townhall.people.tests import factories as f


@pytest.mark.django_db
def test_a_persons_page_shows_position_skills_and_certifications(departments, client_for):
    pat = f.person("Pat Rivera", departments["PW"])
    team = f.team("Infrastructure")
    f.position("Database Administrator", team, pat)
    sql = f.skill("TECH-POSTGRESQL", "PostgreSQL", "technology")
    with context.acting("system"):
        services.create(context.SYSTEM, Proficiency, {"person": pat, "skill": sql, "level": 4})
        services.create(
            context.SYSTEM,
            Certification,
            {"person": pat, "name": "PostgreSQL Associate", "expires": datetime.date(2027, 5, 1)},
        )
    html = client_for("viewer").get(pat.get_absolute_url()).content.decode()
    assert "Position and skills" in html
    assert "Database Administrator</a> in" in html
    assert "PostgreSQL</a>: level 4" in html
    assert "PostgreSQL Associate</a>, expires 1 May 2027" in html


@pytest.mark.django_db
def test_the_cyber_functions_a_person_performs_show_on_their_panel(departments, client_for):
    from townhall.cyber.models import Coverage

    pat = f.person("Pat Rivera", departments["PW"])
    other = f.person("Lee Chen", departments["PW"])
    with context.acting("system"):
        for name, who in (("Log monitoring", pat), ("Backups", pat), ("Phishing tests", other)):
            services.create(
                context.SYSTEM,
                Coverage,
                {"function": name, "performer": "in_house", "contact": who, "hours": "24×7"},
            )
    html = client_for("viewer").get(pat.get_absolute_url()).content.decode()
    assert "Cyber functions performed" in html
    assert "Log monitoring</a> (In-house staff, 24×7)" in html
    assert "Backups</a>" in html and "Phishing tests" not in html


@pytest.mark.django_db
def test_no_panel_for_someone_with_nothing_recorded(departments, client_for):
    pat = f.person("Pat Rivera", departments["PW"])
    html = client_for("viewer").get(pat.get_absolute_url()).content.decode()
    assert "Position and skills" not in html


@pytest.mark.django_db
def test_certification_expiries_are_calendar_events(users):
    pat = f.person("Pat Rivera")
    with context.acting("system"):
        cert = services.create(
            context.SYSTEM,
            Certification,
            {
                "person": pat,
                "name": "CISSP",
                "issuer": "ISC2",
                "expires": datetime.date(2027, 2, 1),
            },
        )
        services.create(
            context.SYSTEM,
            Certification,
            {"person": pat, "name": "Later", "expires": datetime.date(2029, 2, 1)},
        )
    events = panel.certification_events(
        users["viewer"], datetime.date(2027, 1, 1), datetime.date(2027, 12, 31), "https://th"
    )
    assert [(e.day, e.summary) for e in events] == [
        (datetime.date(2027, 2, 1), "Certification expires: CISSP (Pat Rivera)")
    ]
    assert events[0].url == f"https://th{cert.get_absolute_url()}"
    from townhall.core import plugins

    assert panel.certification_events in plugins._calendar_events


@pytest.mark.django_db
def test_only_administrators_and_it_managers_see_a_persons_staff_record(departments, client_for):
    from townhall.people.models import StaffRecord

    pat = f.person("Pat Rivera", departments["PW"])
    f.position("Database Administrator", f.team("Infrastructure"), pat)
    with context.acting("system"):
        services.create(
            context.SYSTEM,
            StaffRecord,
            {
                "person": pat,
                "retirement_eligible_on": datetime.date(2029, 3, 1),
                "annual_pay": "91250.00",
                "performance_rating": "meets",
                "reviewed_on": datetime.date(2026, 6, 30),
            },
        )
    for role in ("admin", "manager"):
        html = client_for(role).get(pat.get_absolute_url()).content.decode()
        assert "Eligible to retire: 1 March 2029" in html
        assert "Annual pay: $91,250" in html
        assert "Meets expectations, 30 June 2026" in html
    for role in ("staff", "liaison", "board", "viewer"):
        html = client_for(role).get(pat.get_absolute_url()).content.decode()
        assert "Database Administrator</a> in" in html  # names and roles: yes
        assert "91,250" not in html and "91250" not in html and "2029" not in html
        assert "Meets expectations" not in html and "Staff record" not in html
