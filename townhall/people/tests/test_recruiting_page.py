"""Recruiting on the platform: a requisition moved from stage to stage with its day and
its own audit entry, filling its position in the same transaction; the recruiting page's
figures from what the reader may see, pay shown only to administrators and IT managers,
and query counts that do not grow with the rows."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.people import recruiting_input
from townhall.people import services as people_services
from townhall.people.models import (
    DeclinedOffer,
    MarketRate,
    Position,
    Requisition,
    StaffRecord,
)
from townhall.people.tests import factories as f

TODAY = timezone.localdate()


def _days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def _create(model, values):
    with context.acting("system"):
        return services.create(context.SYSTEM, model, values)


def _world(n: int = 1) -> dict:
    """A security team with a vacant analyst position on a posted requisition, an engineer
    hired 60 days after opening, an offer declined for pay, an internship cohort and a
    market rate the engineers' pay sits below."""
    team = f.team(f"Security {n}")
    rate = _create(MarketRate, {"name": f"Security analyst {n}", "market_pay": Decimal(100000)})
    ann = f.person(f"Ann Lee {n}")
    filled = f.position(f"Engineer {n}", team, ann, market_rate=rate)
    vacant = f.position(
        f"Security analyst {n}", team, None, vacant_since=_days_ago(120), market_rate=rate
    )
    f.position(f"Unfunded {n}", team, None, funded=False)
    _create(StaffRecord, {"person": ann, "annual_pay": Decimal("88000.00")})
    posted = _create(
        Requisition,
        {
            "title": f"Security analyst hire {n}",
            "position": vacant,
            "stage": "posted",
            "opened_on": _days_ago(130),
            "posted_on": _days_ago(120),
        },
    )
    done = _create(
        Requisition,
        {
            "title": f"Engineer hire {n}",
            "position": filled,
            "stage": "filled",
            "opened_on": _days_ago(100),
            "filled_on": _days_ago(40),
            "hired": ann,
        },
    )
    _create(DeclinedOffer, {"requisition": posted, "declined_on": _days_ago(20), "reason": "pay"})
    _create(
        Requisition,
        {
            "title": f"Summer interns {n}",
            "kind": "internship",
            "stage": "interviewing",
            "team": team,
            "openings": 4,
            "applicants": 30,
            "interviewed": 10,
            "opened_on": _days_ago(30),
        },
    )
    return {"team": team, "vacant": vacant, "posted": posted, "done": done, "rate": rate}


# --- stage moves ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_stage_move_sets_its_day_and_has_its_own_audit_entry(users):
    world = _world()
    req = world["posted"]
    with context.acting(users["staff"]):
        people_services.move_requisition(users["staff"], req, "interviewing", _days_ago(10))
        moved = people_services.move_requisition(users["staff"], req, "offer", _days_ago(5))
    assert moved.stage == "offer" and moved.offer_on == _days_ago(5)
    entry = AuditEntry.objects.filter(object_id=str(req.pk)).order_by("-id").first()
    assert entry.after["transition"] == "stage: interviewing → offer"


@pytest.mark.django_db
def test_filling_names_the_hire_and_fills_the_position_in_one_transaction(users):
    world = _world()
    req = world["posted"]
    bo = f.person("Bo Diaz")
    with context.acting(users["staff"]):
        people_services.move_requisition(users["staff"], req, "offer", _days_ago(5))
        people_services.move_requisition(users["staff"], req, "filled", _days_ago(1), hired=bo)
    req.refresh_from_db()
    position = Position.objects.get(pk=world["vacant"].pk)
    assert req.stage == "filled" and req.filled_on == _days_ago(1) and req.hired == bo
    assert position.person == bo and position.vacant_since is None


@pytest.mark.django_db
def test_a_refused_fill_leaves_both_records_as_they_were(users):
    world = _world()
    req = world["posted"]
    with context.acting(users["staff"]):
        people_services.move_requisition(users["staff"], req, "offer", _days_ago(5))
    other = f.person("Cy Park")
    with context.acting("system"):
        services.update(
            context.SYSTEM,
            world["vacant"],
            {"person": other, "vacant_since": None},
            version=world["vacant"].version,
        )
    with context.acting(users["staff"]), pytest.raises(ValidationError) as refused:
        people_services.move_requisition(
            users["staff"], req, "filled", _days_ago(1), hired=f.person("Di Fox")
        )
    assert "hired" in refused.value.message_dict
    req.refresh_from_db()
    assert req.stage == "offer" and req.filled_on is None


@pytest.mark.django_db
def test_moves_are_refused_with_a_reason(users):
    req = _world()["posted"]
    with context.acting(users["staff"]):
        with pytest.raises(ValidationError) as refused:
            people_services.move_requisition(users["staff"], req, "approved", TODAY)
        assert "stage" in refused.value.message_dict
        with pytest.raises(ValidationError) as refused:
            people_services.move_requisition(users["staff"], req, "offer", _days_ago(500))
        assert "offer_on" in refused.value.message_dict
        with pytest.raises(ValidationError):
            people_services.move_requisition(users["staff"], req, "nonsense", TODAY)


@pytest.mark.django_db
def test_the_stage_moves_only_by_its_buttons_and_a_filled_one_stays_filled(users, client_for):
    """An edit moved the stage back from filled and left the position filled by the hire:
    now the stage is read-only on the form, the API and the write path, and a filled
    requisition is closed, its position kept (a hire that falls through gets a new one)."""
    world = _world()
    req = world["posted"]
    bo = f.person("Bo Diaz")
    with context.acting(users["staff"]):
        people_services.move_requisition(users["staff"], req, "offer", _days_ago(5))
        people_services.move_requisition(users["staff"], req, "filled", _days_ago(1), hired=bo)
        with pytest.raises(ValidationError) as refused:
            services.update(users["staff"], req, {"stage": "interviewing"}, version=None)
        assert "not by an edit" in refused.value.message_dict["stage"][0]
        with pytest.raises(ValidationError) as refused:
            people_services.move_requisition(users["staff"], req, "interviewing", TODAY)
        assert "new requisition" in refused.value.message_dict["stage"][0]
        with pytest.raises(ValidationError):
            services.transition(users["staff"], req, "offer", field="stage")
    edit = f"/people/requisitions/{req.pk}/edit/"
    form = client_for("staff").get(edit).content.decode()
    stage_input = form[form.index('name="stage"') :].split(">", 1)[0]
    assert "disabled" in stage_input
    hired_at = form.index('name="hired"')
    assert "th-picker" in form[hired_at - 3000 : hired_at]  # the people picker, no list
    assert "Ann Lee 1</option>" not in form  # nobody listed, the hire shown as chosen
    req.refresh_from_db()
    post = {
        "title": req.title,
        "kind": "regular",
        "stage": "interviewing",
        "opened_on": str(req.opened_on),
        "posted_on": str(req.posted_on),
        "offer_on": str(_days_ago(5)),
        "filled_on": str(_days_ago(1)),
        "openings": "1",
        "hired": str(bo.pk),
        "notes": "Edited",
        "version": str(req.version),
    }
    assert client_for("staff").post(edit, post).status_code == 302
    req.refresh_from_db()
    assert req.notes == "Edited"  # the edit saved, its stage left as it was
    api = client_for("admin").patch(
        f"/api/people/requisitions/{req.pk}/",
        {"stage": "interviewing", "version": req.version},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["stage"] == "filled"
    req.refresh_from_db()
    position = Position.objects.get(pk=world["vacant"].pk)
    assert req.stage == "filled" and req.hired == bo
    assert position.person == bo and position.vacant_since is None


@pytest.mark.django_db
def test_the_buttons_move_a_requisition_for_staff_only(client_for):
    req = _world()["posted"]
    page = client_for("staff").get(req.get_absolute_url())
    assert b'name="stage" value="interviewing"' in page.content
    assert b"csrfmiddlewaretoken" in page.content
    viewer = client_for("viewer").get(req.get_absolute_url())
    assert b'name="stage"' not in viewer.content
    assert b"Offers declined" in viewer.content
    url = f"/people/requisitions/{req.pk}/move/"
    refused = client_for("viewer").post(url, {"stage": "interviewing", "day": str(TODAY)})
    assert refused.status_code == 302
    req.refresh_from_db()
    assert req.stage == "posted"
    done = client_for("staff").post(
        url, {"stage": "interviewing", "day": str(TODAY), "version": str(req.version)}
    )
    assert done.status_code == 302
    req.refresh_from_db()
    assert req.stage == "interviewing"
    for bad in ({"stage": "offer", "day": "not a day"}, {"stage": "zzz", "day": str(TODAY)}, {}):
        answer = client_for("staff").post(url, bad, follow=True)
        assert answer.status_code == 200
        assert b"The stage was not changed" in answer.content


# --- the recruiting page -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_stages_time_to_fill_vacancies_reasons_and_pipelines(client_for):
    _world()
    page = client_for("viewer").get("/people/recruiting/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Security analyst hire 1" in html
    assert 'id="recruiting-fill-table"' in html and "60 days" in html
    assert 'id="recruiting-vacancy-chart"' in html and "<svg" in html
    table = html[html.index('id="recruiting-vacancy-table"') :]
    assert "50%" in table and "120 days" in table
    assert "Pay</th>" in html  # the reason
    assert "applicants" in html and "30 applicants, 10 interviewed, 0 hired" in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "viewer", "board", "liaison"])
def test_roles_that_do_not_see_pay_get_no_pay_figures(client_for, role):
    _world()
    html = client_for(role).get("/people/recruiting/").content.decode()
    assert 'id="recruiting-pay-hidden"' in html
    assert "recruiting-pay-table" not in html
    for figure in ("88,000", "88000", "100,000", "100000", "−12%", "-12%"):
        assert figure not in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "admin"])
def test_administrators_and_it_managers_see_pay_against_market(client_for, role):
    _world()
    html = client_for(role).get("/people/recruiting/").content.decode()
    table = html[html.index('id="recruiting-pay-table"') :]
    assert "$88,000" in table and "$100,000" in table and "−$12,000 (-12%)" in table
    assert "recruiting-pay-hidden" not in html


@pytest.mark.django_db
def test_the_feeder_gives_no_pay_to_a_role_that_does_not_see_it(users):
    _world()
    assert recruiting_input.gather(users["staff"]).pays == []
    assert recruiting_input.gather(users["manager"]).pays


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "manager"])
def test_the_page_queries_do_not_grow_with_rows(departments, client_for, role):
    client = client_for(role)
    _world(1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/people/recruiting/").status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for n in range(2, 6):
        _world(n)
    assert queries() == few


@pytest.mark.django_db
def test_the_page_with_nothing_recorded(client_for):
    html = client_for("admin").get("/people/recruiting/").content.decode()
    assert "No requisition is open." in html
    assert "No market rate is recorded yet." in html


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), [("staff", 5), ("manager", 6)])
def test_the_feeder_reads_in_a_fixed_number_of_queries(users, role, expected):
    _world(1)
    _world(2)
    with CaptureQueriesContext(connection) as captured:
        recruiting_input.gather(users[role])
    assert len(captured.captured_queries) == expected
