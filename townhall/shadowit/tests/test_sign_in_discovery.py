"""Applications used but never bought: found in the sign-in exports (or the domains
reached), they become merchants the merchant job never deletes or zeroes, that a later
purchase of the same tool lands on; the queue says where each merchant was found; adopting
one gives the department with the most people the system, its cost unknown; and a
department answers only about what it bought or signs in to, whatever the door."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from townhall.core import context, services
from townhall.estate.models import System
from townhall.org.models import Department
from townhall.shadowit import merchants, sign_ins
from townhall.shadowit import services as shadow_services
from townhall.shadowit.models import DomainUse, Merchant, MerchantAnswer, Purchase, SignInApp

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
QUESTIONS = "/shadow-it/my-department/"


def _sign_in(app, who, department, days_ago=2):
    return {
        "application": app,
        "username": who,
        "last_sign_in": TODAY - datetime.timedelta(days=days_ago),
        "owner_department": department,
        "system": "entra",
    }


def _buy(descriptor, amount, department, days_ago=10):
    return {
        "purchased_on": TODAY - datetime.timedelta(days=days_ago),
        "descriptor": descriptor,
        "amount": Decimal(amount),
        "owner_department": department,
        "mcc": "5734",
    }


def _create(model, rows):
    with context.acting("import"):
        services.create_many(context.SYSTEM, model, rows)


def _run():
    merchants.work_out(context.SYSTEM, TODAY)
    return sign_ins.work_out(context.SYSTEM)


@pytest.fixture
def signed_in(departments):
    """Zoom bought by Public Works; Notion used by three in Finance and one in Public Works,
    bought by nobody; the Microsoft 365 portal everyone lands on."""
    pw, fin = departments["PW"], departments["FIN"]
    with context.acting("system"):
        health = {"name": "Health", "code": "HLT"}
        departments["HLT"] = services.create(context.SYSTEM, Department, health)
    _create(Purchase, [_buy("ZOOM.US 888-799-9666", "14.99", pw)])
    _create(
        SignInApp,
        [
            _sign_in("Zoom", "ana@county.gov", pw),
            _sign_in("Notion", "ana@county.gov", pw),
            _sign_in("Notion", "bo@county.gov", fin, days_ago=1),
            _sign_in("Notion", "cy@county.gov", fin),
            _sign_in("Notion", "dee@county.gov", fin),
            _sign_in("Microsoft Office 365 Portal", "ana@county.gov", pw),
            _sign_in("Microsoft Office 365 Portal", "bo@county.gov", fin),
        ],
    )
    _run()
    return departments


def test_an_application_nobody_bought_becomes_a_merchant(signed_in):
    notion = Merchant.objects.get(key="notion")
    assert (notion.name, notion.category, notion.tool_kind) == (
        "Notion",
        "software",
        "notes and wiki",
    )
    assert (notion.purchases, notion.total_spend, notion.first_seen) == (0, 0, None)
    assert (notion.sign_in_application, notion.users) == ("Notion", 4)
    assert notion.last_sign_in == TODAY - datetime.timedelta(days=1)
    assert "sign-in exports" in notion.why
    assert sorted(d.code for d in notion.departments.all()) == ["FIN", "PW"]
    assert sorted(d.code for d in notion.sign_in_departments.all()) == ["FIN", "PW"]
    assert notion.found_in == ["sign-ins"] and notion.status == "new"
    # The sign-in system's own portal is neither discovered nor anyone's use.
    assert not Merchant.objects.filter(key="microsoft").exists()
    zoom = Merchant.objects.get(key="zoom")
    assert zoom.found_in == ["purchases", "sign-ins"]
    assert [d.code for d in zoom.sign_in_departments.all()] == ["PW"]


def test_running_again_writes_nothing_and_the_job_never_zeroes_it(signed_in):
    versions = dict(Merchant.objects.values_list("key", "version"))
    assert _run() == 0
    assert merchants.work_out(context.SYSTEM, TODAY).created == 0
    assert dict(Merchant.objects.values_list("key", "version")) == versions
    # A new purchase of something else: the job runs, the discovered merchant stays as is.
    _create(Purchase, [_buy("GITHUB.COM DL0OU", "4.00", signed_in["PW"])])
    _run()
    notion = Merchant.objects.get(key="notion")
    assert (notion.version, notion.users) == (versions["notion"], 4)


def test_a_later_purchase_lands_on_the_same_merchant(signed_in):
    notion = Merchant.objects.get(key="notion")
    _create(Purchase, [_buy("NOTION LABS INC", "96.00", signed_in["HLT"])])
    _run()
    assert Merchant.objects.filter(key__startswith="notion").count() == 1
    assert Purchase.objects.get(descriptor="NOTION LABS INC").merchant_key == "notion"
    notion = Merchant.objects.get(pk=notion.pk)
    assert (notion.purchases, notion.total_spend) == (1, Decimal("96.00"))
    assert notion.found_in == ["purchases", "sign-ins"]
    # Bought by Health; Finance and Public Works still sign in (and may still answer).
    assert [d.code for d in notion.departments.all()] == ["HLT"]
    assert sorted(d.code for d in notion.sign_in_departments.all()) == ["FIN", "PW"]


def test_a_tools_domain_is_discovered_too(departments):
    _create(
        DomainUse,
        [
            {
                "domain": "trello.com",
                "users": 15,
                "period_start": TODAY.replace(day=1),
                "period_end": TODAY,
                "owner_department": departments["PW"],
            },
            {"domain": "office.com", "users": 900, "period_start": TODAY, "period_end": TODAY},
        ],
    )
    _run()
    trello = Merchant.objects.get(key="trello")
    assert (trello.domain, trello.users, trello.category) == ("trello.com", 15, "software")
    assert trello.found_in == ["domains reached"] and "domains reached" in trello.why
    assert [d.code for d in trello.departments.all()] == ["PW"]
    assert not Merchant.objects.filter(key="microsoft").exists()


def test_the_queue_says_where_and_filters_only_in_sign_ins(signed_in, client_for):
    staff = client_for("staff")
    url = reverse("shadowit:queue")
    page = staff.get(url).content.decode()
    assert "Found in" in page and "Purchases, sign-ins" in page and "Nothing bought" in page
    only = staff.get(url + "?found=only_sign_ins").content.decode()
    assert ">Notion<" in only and ">Zoom<" not in only
    assert "Last sign-in" in only
    bought = staff.get(url + "?found=purchases").content.decode()
    assert ">Zoom<" in bought and ">Notion<" not in bought
    both = staff.get(url + "?found=both").content.decode()
    assert ">Zoom<" in both and ">Notion<" not in both
    # A department whose people sign in finds it under its department too.
    fin = staff.get(url + f"?department={signed_in['FIN'].pk}").content.decode()
    assert ">Notion<" in fin
    assert staff.get(url + "?found=nonsense").status_code == 200


def test_adopting_a_merchant_nobody_bought(signed_in, users):
    notion = Merchant.objects.get(key="notion")
    system = shadow_services.adopt(users["staff"], notion)
    # Finance has three people signing in, Public Works one; nothing was spent: unknown.
    assert system.owner_department.code == "FIN"
    assert system.cost_license is None
    assert (system.users, system.discovered_outside_it) == (4, True)
    assert "sign-ins to Notion" in system.notes
    assert Merchant.objects.get(pk=notion.pk).system == system


def test_adopting_for_another_department_that_signs_in(signed_in, users):
    notion = Merchant.objects.get(key="notion")
    with pytest.raises(ValidationError, match="sign in to it"):
        shadow_services.adopt(users["staff"], notion, signed_in["HLT"])
    assert not System.objects.filter(name="Notion").exists()
    system = shadow_services.adopt(users["staff"], notion, signed_in["PW"])
    assert system.owner_department.code == "PW"


def test_an_answer_only_where_the_department_bought_or_signs_in(signed_in, users):
    notion = Merchant.objects.get(key="notion")
    zoom = Merchant.objects.get(key="zoom")
    with context.acting("test"):
        # Finance signs in to Notion; Public Works bought Zoom.
        shadow_services.answer(users["staff"], notion, signed_in["FIN"], "Team notes", "no")
        shadow_services.answer(users["staff"], zoom, signed_in["PW"], "Meetings", "no")
        with pytest.raises(ValidationError, match="neither bought from Zoom nor signs in"):
            shadow_services.answer(users["staff"], zoom, signed_in["HLT"], "Meetings", "no")
    assert MerchantAnswer.objects.count() == 2


def test_the_api_and_the_page_refuse_alike(signed_in, client_for):
    zoom = Merchant.objects.get(key="zoom")
    client = client_for("staff")
    body = {
        "merchant": zoom.pk,
        "owner_department": signed_in["HLT"].pk,
        "purpose": "Not ours",
        "resident_data": "no",
    }
    refused = client.post(
        "/api/shadowit/department-answers/", json.dumps(body), content_type="application/json"
    )
    assert refused.status_code == 400
    assert "neither bought from Zoom nor signs in" in refused.content.decode()
    page = client.post(
        QUESTIONS,
        {
            "merchant": zoom.pk,
            "department": signed_in["HLT"].pk,
            "version": 0,
            "purpose": "Not ours",
            "resident_data": "no",
        },
    )
    assert page.status_code == 400
    assert "neither bought from Zoom nor signs in" in page.content.decode()
    assert not MerchantAnswer.objects.exists()


def test_a_liaison_is_asked_about_what_their_people_use_and_answers_it(signed_in, client_for):
    notion = Merchant.objects.get(key="notion")
    client = client_for("liaison")  # of Public Works, whose one person signs in to Notion
    page = client.get(QUESTIONS)
    assert page.status_code == 200 and "Notion" in page.content.decode()
    answered = client.post(
        QUESTIONS,
        {
            "merchant": notion.pk,
            "department": signed_in["PW"].pk,
            "version": 0,
            "purpose": "Crew notes",
            "resident_data": "no",
        },
    )
    assert answered.status_code == 302
    assert MerchantAnswer.objects.get().purpose == "Crew notes"


def test_the_merchants_page_says_where_it_was_found(signed_in, client_for):
    notion = Merchant.objects.get(key="notion")
    page = client_for("viewer").get(notion.get_absolute_url()).content.decode()
    assert "Found in: sign-ins." in page
    assert "Departments signing in: Finance, Public Works." in page
