"""The triage queue and its decisions: adopting a merchant into the estate (one transaction,
refused cleanly on a name clash), marking it known, dismissing it, a rule from a merchant;
the same refusals through the API; people from the sign-in exports; and a queue page whose
query count does not grow with its rows."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.core import context, services
from townhall.estate.models import System, Vendor
from townhall.shadowit import merchants, sign_ins
from townhall.shadowit import services as shadow_services
from townhall.shadowit.models import Merchant, MerchantAnswer, MerchantRule, Purchase, SignInApp

TODAY = datetime.date.today()


def _buy(days_ago, descriptor, amount, department, mcc=""):
    return {
        "purchased_on": TODAY - datetime.timedelta(days=days_ago),
        "descriptor": descriptor,
        "amount": Decimal(amount),
        "mcc": mcc,
        "owner_department": department,
        "cardholder": "Pat",
    }


@pytest.fixture
def bought(departments):
    pw, fin = departments["PW"], departments["FIN"]
    rows = [
        # Zoom: monthly in Public Works, once (more) in Finance.
        _buy(95, "ZOOM.US 888-799-9666", "14.99", pw, "4899"),
        _buy(65, "ZOOM.US 888-799-9666", "14.99", pw, "4899"),
        _buy(35, "ZOOM.US 888-799-9666", "14.99", pw, "4899"),
        _buy(5, "ZOOM.US 888-799-9666", "14.99", pw, "4899"),
        _buy(20, "ZOOM VIDEO COMM SAN JOSE CA", "149.90", fin),
        # DocuSign and Adobe in Finance, once each; GitHub in Public Works.
        _buy(40, "DOCUSIGN INC", "300.00", fin, "5734"),
        _buy(30, "ADOBE *ACROPRO SUBS", "19.99", fin, "5734"),
        _buy(10, "GITHUB.COM DL0OU", "4.00", pw, "5734"),
        # A café: not technology, never in the queue.
        _buy(3, "JOES CAFE #12", "8.75", pw, "5814"),
    ]
    with context.acting("system"):
        services.create(
            context.SYSTEM, Vendor, {"name": "DocuSign", "website": "https://docusign.com"}
        )
        services.create_many(context.SYSTEM, Purchase, rows)
    merchants.work_out(context.SYSTEM, TODAY)
    return departments


def _m(key):
    return Merchant.objects.get(key=key)


def test_adopting_makes_a_system_owned_by_the_biggest_buyer(bought, users):
    zoom = _m("zoom")
    with context.acting("web"):
        services.create(
            users["staff"],
            MerchantAnswer,
            {"merchant": zoom, "owner_department": bought["FIN"], "purpose": "Council meetings"},
        )
        system = shadow_services.adopt(users["staff"], zoom)
    # Finance spent 149.90, Public Works 59.96.
    assert system.owner_department == bought["FIN"]
    assert system.name == "Zoom" and system.discovered_outside_it
    assert system.hosting == "saas"
    assert system.vendor.name == "Zoom"  # created, no estate vendor matched
    assert system.purpose == "Council meetings"
    # The Public Works monthly subscription's yearly cost is the licence cost.
    assert system.cost_license == zoom.subscriptions.get().annual_cost
    zoom.refresh_from_db()
    assert zoom.status == "adopted" and zoom.system == system


def test_adopting_for_another_buying_department_with_the_matched_vendor(bought, users):
    docusign = _m("docusign")
    assert docusign.vendor.name == "DocuSign"
    with pytest.raises(ValidationError, match="departments that bought it"):
        shadow_services.adopt(users["staff"], docusign, bought["PW"])
    system = shadow_services.adopt(users["staff"], docusign, bought["FIN"].pk)
    assert system.vendor == docusign.vendor and Vendor.objects.filter(name="DocuSign").count() == 1
    # No subscription: the last twelve months' spend.
    assert system.cost_license == Decimal("300.00")


def test_a_name_clash_writes_nothing(bought, users):
    zoom = _m("zoom")
    with context.acting("web"):
        services.create(users["staff"], System, {"name": "ZOOM", "owner_department": bought["FIN"]})
    systems, vendors = System.objects.count(), Vendor.objects.count()
    with pytest.raises(ValidationError, match="already has a system named"):
        shadow_services.adopt(users["staff"], zoom)
    assert (System.objects.count(), Vendor.objects.count()) == (systems, vendors)
    assert _m("zoom").status == "new"
    # Another name, or another buying department, works.
    assert shadow_services.adopt(users["staff"], zoom, name="Zoom meetings").name == "Zoom meetings"


def test_a_stale_version_rolls_the_system_back(bought, users):
    zoom = _m("zoom")
    with pytest.raises(services.ConflictError):
        shadow_services.adopt(users["staff"], zoom, version=zoom.version - 1)
    assert not System.objects.exists() and _m("zoom").status == "new"


def test_only_it_staff_decide(bought, users):
    zoom = _m("zoom")
    for role in ("liaison", "viewer", "board"):
        with pytest.raises(PermissionDenied):
            shadow_services.adopt(users[role], zoom)
        with pytest.raises(PermissionDenied):
            shadow_services.mark_known(users[role], zoom)
    assert not System.objects.exists()


def test_known_dismissed_and_back(bought, users):
    zoom, adobe = _m("zoom"), _m("adobe")
    shadow_services.mark_known(users["staff"], zoom)
    assert _m("zoom").status == "known"
    with pytest.raises(ValidationError, match="Say why"):
        shadow_services.dismiss(users["staff"], adobe, " ")
    shadow_services.dismiss(users["staff"], adobe, "A personal licence, refunded")
    assert _m("adobe").dismiss_reason == "A personal licence, refunded"
    with pytest.raises(ValidationError, match="cannot be adopted"):
        shadow_services.adopt(users["staff"], _m("adobe"))
    # Adopted, then known: the system stays in the estate, the link goes.
    system = shadow_services.adopt(users["staff"], _m("zoom"))
    shadow_services.mark_known(users["staff"], _m("zoom"))
    assert _m("zoom").system is None and System.objects.filter(pk=system.pk).exists()


def test_a_rule_from_a_merchant(bought, users):
    github = _m("github")
    rule = shadow_services.add_rule(users["staff"], github, "not_technology")
    assert (rule.match, rule.pattern, rule.category) == ("key", "github", "not_technology")
    merchants.work_out(context.SYSTEM, TODAY)
    assert _m("github").category == "not_technology"
    with pytest.raises(PermissionDenied):
        shadow_services.add_rule(users["liaison"], _m("zoom"))
    assert MerchantRule.objects.count() == 1


def test_the_api_refuses_a_system_on_a_merchant_not_adopted(bought, users, client_for):
    zoom = _m("zoom")
    with context.acting("web"):
        other = services.create(
            users["staff"], System, {"name": "Webex", "owner_department": bought["PW"]}
        )
    api = client_for("staff")
    url = f"/api/shadowit/merchants/{zoom.pk}/"
    answer = api.patch(
        url, {"system": other.pk, "version": zoom.version}, content_type="application/json"
    )
    assert answer.status_code == 400, answer.content
    assert "adopt" in answer.content.decode()
    answer = api.patch(url, {"status": "adopted"}, content_type="application/json")
    assert _m("zoom").status == "new" and _m("zoom").system is None
    # An adopted merchant's link may be corrected.
    shadow_services.adopt(users["staff"], zoom)
    fresh = _m("zoom")
    answer = api.patch(
        url, {"system": other.pk, "version": fresh.version}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    assert _m("zoom").system == other


def test_people_from_the_sign_in_exports(bought, users):
    pw, fin = bought["PW"], bought["FIN"]
    day = TODAY - datetime.timedelta(days=2)
    rows = [
        {
            "application": "Zoom",
            "username": "ana@county.gov",
            "last_sign_in": day,
            "owner_department": pw,
            "system": "entra",
        },
        {
            "application": "Zoom",
            "username": "ben@county.gov",
            "last_sign_in": day - datetime.timedelta(days=3),
            "owner_department": pw,
            "system": "entra",
        },
        {
            "application": "Adobe Acrobat Sign",
            "username": "cy@county.gov",
            "last_sign_in": day,
            "owner_department": fin,
            "system": "okta",
        },
        {
            "application": "DocuSign",
            "username": "cy@county.gov",
            "last_sign_in": day,
            "owner_department": fin,
            "system": "okta",
        },
        {
            "application": "DocuSign",
            "username": "dee@county.gov",
            "last_sign_in": day,
            "owner_department": fin,
            "system": "okta",
        },
        {
            "application": "Microsoft Teams",
            "username": "ana@county.gov",
            "last_sign_in": day,
            "owner_department": pw,
            "system": "entra",
        },
    ]
    with context.acting("import"):
        services.create_many(context.SYSTEM, SignInApp, rows)
    # Zoom, Adobe and DocuSign gain people; Microsoft Teams, bought by nobody, is found.
    assert sign_ins.work_out(context.SYSTEM) == 4
    zoom, adobe, docusign = _m("zoom"), _m("adobe"), _m("docusign")
    teams = _m("microsoft")
    assert (teams.purchases, teams.users, teams.sign_in_application) == (0, 1, "Microsoft Teams")
    assert [d.code for d in teams.departments.all()] == ["PW"]
    assert (zoom.sign_in_application, zoom.users, zoom.last_sign_in) == ("Zoom", 2, day)
    assert (adobe.sign_in_application, adobe.users) == ("Adobe Acrobat Sign", 1)
    assert (docusign.sign_in_application, docusign.users) == ("DocuSign", 2)
    assert _m("github").users == 0
    # Again: nothing changes, nothing is written.
    versions = dict(Merchant.objects.values_list("key", "version"))
    assert sign_ins.work_out(context.SYSTEM) == 0
    assert dict(Merchant.objects.values_list("key", "version")) == versions


def test_a_write_to_sign_ins_asks_for_the_merchant_job(bought, django_capture_on_commit_callbacks):
    from townhall.jobs.models import Job

    Job.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with context.acting("import"):
            services.create(
                context.SYSTEM,
                SignInApp,
                {
                    "application": "Zoom",
                    "username": "x@county.gov",
                    "last_sign_in": TODAY,
                    "owner_department": bought["PW"],
                },
            )
    assert any(c is sign_ins._ask for c in callbacks)


WORDS = "ORCHID PELICAN QUARTZ RAVEN SAFFRON TUNDRA UMBER VIOLET WALNUT XENON YARROW ZEPHYR".split()


def _queue_queries(client, url):
    with CaptureQueriesContext(connection) as q:
        answer = client.get(url)
    assert answer.status_code == 200
    return len(q), answer.content.decode()


def test_the_queue_page(bought, users, client_for):
    url = reverse("shadowit:queue")
    staff = client_for("staff")
    shadow_services.dismiss(users["staff"], _m("adobe"), "Refunded")
    answer = staff.get(url)
    page = answer.content.decode()
    assert "Zoom" in page and "Joes Cafe" not in page.replace("JOES", "")
    assert page.index(">Zoom<") < page.index(">Adobe<")  # undecided first
    assert "Finance: 149.90" in page and "Public Works: 59.96" in page
    assert "Adopt into the estate" in page
    assert "Adopt into the estate" not in client_for("viewer").get(url).content.decode()
    dismissed = staff.get(url + "?status=dismissed").content.decode()
    assert ">Adobe<" in dismissed and ">Zoom<" not in dismissed
    assert ">GitHub<" in staff.get(url + f"?department={bought['PW'].pk}").content.decode()
    # Nonsense in the filters and page is ignored, never an error.
    for junk in (
        "?status=x&category=zz&department=99999999999999999999",
        "?page=-3",
        "?department=abc",
    ):
        assert staff.get(url + junk).status_code == 200


def test_queue_queries_do_not_grow_with_rows(bought, users, client_for):
    staff = client_for("staff")
    url = reverse("shadowit:queue")
    shadow_services.adopt(users["staff"], _m("zoom"))
    few, _ = _queue_queries(staff, url)
    rows = [
        _buy(7 + i, f"{word} SOFTWARE", "10.00", bought["FIN" if i % 2 else "PW"], "5734")
        for i, word in enumerate(WORDS)
    ]
    with context.acting("system"):
        services.create_many(context.SYSTEM, Purchase, rows)
    merchants.work_out(context.SYSTEM, TODAY)
    assert Merchant.objects.exclude(category="not_technology").count() > 10
    many, _ = _queue_queries(staff, url)
    assert many == few, (few, many)


def test_the_actions_from_the_queue(bought, users, client_for):
    staff = client_for("staff")
    zoom = _m("zoom")
    back = reverse("shadowit:queue") + "?status=new"
    act = lambda action: reverse("shadowit:merchant_act", args=[zoom.pk, action])  # noqa: E731
    answer = staff.post(
        act("adopt"),
        {"department": bought["PW"].pk, "name": "Zoom", "version": zoom.version, "next": back},
    )
    assert answer.status_code == 302 and answer["Location"] == back
    assert _m("zoom").system.owner_department == bought["PW"]
    # Adopting twice is refused with a message, not an error.
    answer = staff.post(act("adopt"), {"next": "https://evil.example/"}, follow=True)
    assert answer.status_code == 200 and "cannot be adopted" in answer.content.decode()
    assert staff.post(act("explode")).status_code == 302
    assert staff.post(act("dismiss"), {"reason": ""}).status_code == 302
    assert staff.post(act("rule"), {"category": "nonsense"}).status_code == 302
    assert MerchantRule.objects.get().category == "software"
    assert client_for("liaison").post(act("known")).status_code == 403
    assert staff.get(act("known")).status_code == 405
    # The merchant's page offers the same decisions.
    page = staff.get(_m("adobe").get_absolute_url()).content.decode()
    assert "Adopt into the estate" in page and "Add the rule" in page
