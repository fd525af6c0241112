"""The recovery plan: versions numbered and copied, approval rules and their messages,
superseding, content frozen on approval, the generated content checked by hand on a small
estate (tests/estate.py), and the pages and exports with who may use them."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from townhall.audit.models import AuditEntry
from townhall.continuity import models as m
from townhall.continuity import plan_content, plans
from townhall.continuity.pages import plan as plan_pages
from townhall.continuity.tests import estate
from townhall.continuity.tests import factories as f
from townhall.core import context, services
from townhall.core.pdf import document
from townhall.estate import models as e
from townhall.jobs.models import Job

S = context.SYSTEM
APPROVED_LINE = "Version 1, approved by Dana Reyes, County Manager on January 5, 2026"


def person(name, department=None, **values):
    return services.create(S, e.Person, {"name": name, "owner_department": department, **values})


def ready(plan, coordinator=None):
    """Give a version what approval needs."""
    coordinator = coordinator or person("Casey Coordinator")
    return services.update(
        S,
        plan,
        {
            "purpose": plan.purpose or "Bring services back.",
            "scope": plan.scope or "Every service.",
            "activation": plan.activation or "When a service is down too long.",
            "coordinator": coordinator,
        },
        version=None,
    )


def approve(user, plan, day=datetime.date(2026, 1, 5)):
    return plans.approve(
        user, plan, approver_name="Dana Reyes", approver_title="County Manager", approved_on=day
    )


def names(refs):
    return [r["name"] for r in refs]


# --- versions ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_first_version_starts_from_suggested_text_and_roles(users):
    first = plans.new_plan(users["staff"])
    assert (first.number, first.status) == (1, "draft")
    for field, text in plans.DEFAULTS.items():
        assert getattr(first, field) == text
    roles = list(first.roles.order_by("order"))
    assert [r.role for r in roles] == [role for role, _ in plans.DEFAULT_ROLES]
    assert all(r.person_id is None for r in roles)
    assert first.coordinator_id is None and first.content == {}
    entry = AuditEntry.objects.filter(object_id=str(first.pk), action="create").first()
    assert entry.actor == users["staff"]


@pytest.mark.django_db
def test_the_next_version_copies_the_written_sections_and_roles(users, departments):
    staff = users["staff"]
    lead, backup = person("Lee Lead"), person("Bo Backup")
    first = ready(plans.new_plan(staff), coordinator=lead)
    first = services.update(
        staff,
        first,
        {"purpose": "Our own purpose.", "alternate_coordinator": backup, "changes": "First"},
        version=first.version,
    )
    role = first.roles.order_by("order").first()
    services.update(staff, role, {"person": lead, "alternate": backup}, version=role.version)
    approve(staff, first)

    second = plans.new_plan(staff)
    assert (second.number, second.status) == (2, "draft")
    assert second.purpose == "Our own purpose." and second.scope == plans.DEFAULTS["scope"]
    assert second.coordinator == lead and second.alternate_coordinator == backup
    assert second.changes == "" and second.approver_name == "" and second.content == {}
    copied = [(r.role, r.person_id, r.alternate_id, r.order) for r in second.roles.all()]
    original = [(r.role, r.person_id, r.alternate_id, r.order) for r in first.roles.all()]
    assert copied == original and len(copied) == len(plans.DEFAULT_ROLES)
    assert not set(second.roles.values_list("pk", flat=True)) & set(
        first.roles.values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_one_draft_at_a_time(users):
    plans.new_plan(users["staff"])
    with pytest.raises(ValidationError) as refused:
        plans.new_plan(users["admin"])
    assert refused.value.messages == [
        "Version 1 is still a draft: change it, or approve it before starting another version."
    ]
    assert m.RecoveryPlan.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["liaison", "viewer", "board"])
def test_only_it_staff_start_a_version(role, users, client_for):
    with pytest.raises(PermissionDenied):
        plans.new_plan(users[role])
    client = client_for(role)
    assert client.get("/continuity/recovery-plans/new/").status_code == 403
    assert client.post("/continuity/recovery-plans/new/").status_code == 403
    assert not m.RecoveryPlan.objects.exists()


@pytest.mark.django_db
def test_new_version_page(client_for, users):
    staff = client_for("staff")
    page = staff.get("/continuity/recovery-plans/new/").content.decode()
    assert "Start version 1" in page
    response = staff.post("/continuity/recovery-plans/new/")
    first = m.RecoveryPlan.objects.get()
    assert response["Location"] == first.get_absolute_url()
    again = staff.post("/continuity/recovery-plans/new/", follow=True)
    assert "Version 1 is still a draft" in again.content.decode()
    assert "is still a draft" in staff.get("/continuity/recovery-plans/new/").content.decode()
    assert m.RecoveryPlan.objects.count() == 1


# --- approval -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_approval_names_what_is_missing(users):
    blank = services.create(S, m.RecoveryPlan, {"number": 1})
    with pytest.raises(ValidationError) as refused:
        approve(users["staff"], blank)
    assert refused.value.messages == [
        "Version 1 cannot be approved yet: fill in the purpose, the scope and the activation "
        "criteria, and choose a continuity coordinator."
    ]
    blank = services.update(
        S, blank, {"purpose": "P", "scope": "  ", "activation": "A"}, version=None
    )
    assert plans.missing_message(blank) == (
        "Version 1 cannot be approved yet: fill in the scope, and choose a continuity coordinator."
    )
    blank = services.update(S, blank, {"scope": "S"}, version=None)
    assert plans.missing_message(blank) == (
        "Version 1 cannot be approved yet: choose a continuity coordinator."
    )
    blank = ready(blank)
    assert plans.missing_message(blank) == "" and plans.missing_for_approval(blank) == []
    blank.refresh_from_db()
    assert blank.status == "draft"


@pytest.mark.django_db
def test_approval_needs_a_named_approver_and_a_past_date(users):
    draft = ready(plans.new_plan(users["staff"]))
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        plans.approve(
            users["staff"], draft, approver_name=" ", approver_title="", approved_on=tomorrow
        )
    errors = refused.value.message_dict
    assert errors["approver_name"] == ["Give the name of the person who approved the plan."]
    assert errors["approver_title"] == ["Give the approver's title, such as County Manager."]
    assert errors["approved_on"] == ["The approval date cannot be in the future."]
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.content == {}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["liaison", "viewer", "board"])
def test_only_it_staff_approve(role, users, client_for):
    draft = ready(plans.new_plan(users["staff"]))
    with pytest.raises(PermissionDenied):
        approve(users[role], draft)
    client = client_for(role)
    url = f"/continuity/recovery-plans/{draft.pk}/approve/"
    assert client.get(url).status_code == 403
    post = {
        "approver_name": "Me",
        "approver_title": "Liaison",
        "approved_on": "2026-01-05",
        "version": draft.version,
    }
    assert client.post(url, post).status_code == 403
    page = client.get(draft.get_absolute_url()).content.decode()
    assert url not in page and ">New version<" not in page
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.django_db
def test_approving_freezes_the_content_and_supersedes_the_version_before(users, departments):
    estate.build(departments)
    staff = users["staff"]
    first = approve(staff, ready(plans.new_plan(staff)))
    assert first.status == "approved"
    assert (first.approver_name, first.approver_title) == ("Dana Reyes", "County Manager")
    assert first.approved_on == datetime.date(2026, 1, 5)
    assert first.content["schema"] == plan_content.SCHEMA
    assert first.content["generated_by"] == "staff1"
    assert [r["service"]["name"] for r in first.content["runbooks"]] == [
        "Dispatch",
        "Payroll",
        "Permits",
    ]
    assert plans.status_line(first) == APPROVED_LINE
    assert plans.current_approved() == first

    second = plans.new_plan(staff)
    version_before = first.version
    second = approve(users["admin"], second, day=datetime.date(2026, 2, 1))
    first.refresh_from_db()
    assert first.status == "superseded" and first.version == version_before + 1
    assert plans.current_approved() == second
    entry = AuditEntry.objects.filter(object_id=str(first.pk)).order_by("-pk").first()
    assert entry.action == "update" and entry.actor == users["admin"]
    assert (entry.before["status"], entry.after["status"]) == ("approved", "superseded")
    assert plans.status_line(first).endswith("superseded by a later version")
    with pytest.raises(ValidationError, match="already superseded"):
        approve(staff, first)


@pytest.mark.django_db
def test_approved_content_is_unchanged_after_the_estate_changes(users, departments, client_for):
    s = estate.build(departments)
    staff = users["staff"]
    first = approve(staff, ready(plans.new_plan(staff)))
    stored = json.loads(json.dumps(first.content))
    capability = s["san"].recovery_capability
    services.update(S, capability, {"restore_hours": 1}, version=None)
    f.service("Libraries", departments["PW"])

    first.refresh_from_db()
    assert first.content == stored
    assert plans.content_for(staff, first) == stored
    payroll = plan_content.runbook_in(first.content, s["payroll"].pk)
    assert payroll["recovery_text"] == "22 h"
    html = client_for("viewer").get(f"/continuity/recovery-plans/{first.pk}/pdf/?format=html")
    assert "Libraries" not in html.content.decode()

    second = plans.new_plan(staff)
    live = plans.content_for(staff, second)
    assert plan_content.runbook_in(live, s["payroll"].pk)["recovery_text"] == "11 h"
    assert "Libraries" in [r["service"]["name"] for r in live["runbooks"]]


@pytest.mark.django_db
def test_a_draft_is_worked_out_once_until_something_changes(users, departments, monkeypatch):
    s = estate.build(departments)
    staff = users["staff"]
    draft = plans.new_plan(staff)
    built = []
    real = plan_content.build_content

    def counting(*args, **kwargs):
        built.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(plan_content, "build_content", counting)
    first = plans.content_for(staff, draft)
    assert plans.content_for(staff, draft) == first and len(built) == 1
    plans.content_for(users["viewer"], draft)  # each reader sees what they may see
    assert len(built) == 2
    services.update(S, s["san"].recovery_capability, {"restore_hours": 1}, version=None)
    live = plans.content_for(staff, draft)
    assert len(built) == 3
    assert plan_content.runbook_in(live, s["payroll"].pk)["recovery_text"] == "11 h"


@pytest.mark.django_db
def test_approve_page(client_for, users, departments):
    estate.build(departments)
    draft = plans.new_plan(users["staff"])
    staff = client_for("staff")
    url = f"/continuity/recovery-plans/{draft.pk}/approve/"
    page = staff.get(url).content.decode()
    assert "Version 1 cannot be approved yet: choose a continuity coordinator." in page
    assert 'name="approver_name"' not in page  # no form until the version is ready
    draft = ready(draft)
    page = staff.get(url).content.decode()
    assert 'name="approver_name"' in page and "csrfmiddlewaretoken" in page
    post = {
        "approver_name": "Dana Reyes",
        "approver_title": "County Manager",
        "approved_on": "2026-01-05",
        "version": draft.version,
    }
    bad = staff.post(url, {**post, "approved_on": "not a date", "approver_name": ""})
    assert bad.status_code == 400
    assert "Enter a valid date." in bad.content.decode()
    stale = staff.post(url, {**post, "version": draft.version - 1})
    assert stale.status_code == 409
    assert "after you opened it" in stale.content.decode()
    response = staff.post(url, post, follow=True)
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    text = response.content.decode()
    assert "Approved version 1." in text and APPROVED_LINE in text
    draft.refresh_from_db()
    assert draft.status == "approved" and draft.content["counts"]["services"] == 3
    # An approved version sends the approve address back to its page.
    again = staff.get(url)
    assert again.status_code == 302 and again["Location"] == draft.get_absolute_url()


@pytest.mark.django_db
def test_approval_runs_as_a_background_job(client_for, users, departments, monkeypatch):
    """With a worker, the approval page queues the approval and sends the approver to the
    job's page; the job freezes the content and links to the approved version."""
    from townhall.jobs import runner

    estate.build(departments)
    draft = ready(plans.new_plan(users["staff"]))
    queued = []

    def queue_only(user, kind, title, params, **kwargs):
        job = Job.objects.create(kind=kind, title=title, created_by=user, params=params)
        queued.append(job)
        return job

    monkeypatch.setattr(plan_pages.runner, "submit", queue_only)
    staff = client_for("staff")
    post = {
        "approver_name": "Dana Reyes",
        "approver_title": "County Manager",
        "approved_on": "2026-01-05",
        "version": draft.version,
    }
    response = staff.post(f"/continuity/recovery-plans/{draft.pk}/approve/", post)
    [job] = queued
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == plans.APPROVE_JOB
    draft.refresh_from_db()
    assert draft.status == "draft"  # nothing is approved until the job runs
    runner.execute(job.pk)
    job.refresh_from_db()
    draft.refresh_from_db()
    assert job.status == "done" and job.total == 2, job.message
    assert job.result_url == draft.get_absolute_url()
    assert draft.status == "approved" and draft.approved_on == datetime.date(2026, 1, 5)
    assert draft.content["counts"]["services"] == 3
    # A second job for the same version fails, saying why, and changes nothing.
    again = Job.objects.create(
        kind=plans.APPROVE_JOB, title="again", created_by=users["staff"], params=job.params
    )
    runner.execute(again.pk)
    again.refresh_from_db()
    assert again.status == "failed" and "already approved" in again.message


@pytest.mark.django_db
def test_posts_need_the_csrf_token(users):
    draft = ready(plans.new_plan(users["staff"]))
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["staff"])
    post = {
        "approver_name": "Dana Reyes",
        "approver_title": "County Manager",
        "approved_on": "2026-01-05",
        "version": draft.version,
    }
    assert client.post(f"/continuity/recovery-plans/{draft.pk}/approve/", post).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"
    approve(users["staff"], draft)
    assert client.post("/continuity/recovery-plans/new/").status_code == 403
    assert m.RecoveryPlan.objects.count() == 1


# --- the generated content, by hand on a small estate -------------------------------------------


def annotated_estate(departments):
    """tests/estate.py with people, a vendor and a recovery site to find in the plan."""
    s = estate.build(departments)
    pw, fin = departments["PW"], departments["FIN"]
    s["head"] = person("Pat Head", pw, title="Director", phone="555-0100", email="pat@x.example")
    s["liaison"] = person("Lou Liaison", fin, phone="555-0101")
    s["owner"] = person("Olga Owner", fin, title="Payroll manager")
    services.update(S, pw, {"head": s["head"]}, version=None)
    services.update(S, fin, {"it_liaison": s["liaison"]}, version=None)
    vendor = services.create(S, e.Vendor, {"name": "Acme ERP", "support_contact": "1-800-ACME"})
    s["erp"] = services.update(
        S, s["erp"], {"business_owner": s["owner"], "vendor": vendor}, version=None
    )
    site = services.create(S, e.Location, {"name": "Backup data center", "kind": "data_center"})
    services.update(
        S,
        s["sql"].recovery_capability,
        {"recovery_site": site, "procedure_link": "https://wiki.example/sql"},
        version=None,
    )
    analysis = s["payroll"].impact_analysis
    services.update(
        S,
        analysis,
        {
            "essential_function": "mef",
            "manual_workarounds": "Cut paper checks.",
            "minimum_staff": 3,
            "vital_records": "Last pay register.",
        },
        version=None,
    )
    s["vendor"], s["site"] = vendor, site
    return s


@pytest.mark.django_db
def test_content_worked_out_by_hand(users, departments):
    s = annotated_estate(departments)
    draft = ready(plans.new_plan(users["staff"]), coordinator=s["head"])
    content = plan_content.build_content(None, plan=draft)
    assert json.loads(json.dumps(content)) == content  # JSON as it is
    assert content["schema"] == 1 and content["generated_by"] == "system"
    assert content["counts"] == {
        "services": 3,
        "items": 8,
        "dependencies": 6,
        "hidden_dependencies": 0,
        "tiers": 4,
        "runbooks": 3,
        "mission_essential": 2,
    }
    data = plan_content.expanded(content)

    # The sequence: what needs nothing first; CAD server has no recovery details recorded.
    tiers = data["sequence"]
    assert [names(t["items"]) for t in tiers] == [
        ["SAN"],
        ["Dispatch", "SQL cluster"],
        ["ERP", "Permit system"],
        ["Payroll", "Permits"],
    ]
    assert [t["count"] for t in tiers] == [2, 2, 2, 2]
    assert (tiers[0]["more"], tiers[0]["more_text"]) == (1, "1 component")
    assert tiers[0]["longest_text"] == "at least 12 h"  # CAD server's time is unknown
    assert tiers[1]["longest_text"] == "6 h"
    sql = tiers[1]["items"][1]
    assert sql["restore_text"] == "6 h" and sql["department"] == "Finance"
    assert sql["recovery_site"] == {
        "name": "Backup data center",
        "url": f"/estate/locations/{s['site'].pk}/",
    }
    assert sql["procedure_link"] == "https://wiki.example/sql"
    assert tiers[1]["items"][0]["restore_text"] == "when what it needs is back"

    # Runbooks: mission-essential first, tightest RTO first.
    books = {b["service"]["name"]: b for b in data["runbooks"]}
    assert [b["service"]["name"] for b in data["runbooks"]] == ["Dispatch", "Payroll", "Permits"]
    payroll = books["Payroll"]
    assert payroll["department"] == {
        "name": "Finance",
        "url": f"/org/departments/{departments['FIN'].pk}/",
    }
    assert payroll["essential_function"] == "Mission-essential function (MEF)"
    assert (payroll["mtd_text"], payroll["rto_text"], payroll["rpo_text"]) == ("24 h", "8 h", "1 h")
    assert (payroll["recovery_text"], payroll["rto_status"], payroll["gap_text"]) == (
        "22 h",
        "missed",
        "14 h",
    )
    assert names(payroll["chain"]) == ["Payroll", "ERP", "SQL cluster", "SAN"]
    first = payroll["restore_first"]
    assert [(i["name"], i["tier"], i["on_chain"]) for i in first] == [
        ("SAN", 0, True),
        ("SQL cluster", 1, True),
        ("ERP", 2, True),
    ]
    assert [i["restore_text"] for i in first] == ["12 h", "6 h", "4 h"]
    assert payroll["more"] == 0 and payroll["unknown_count"] == 0
    assert payroll["rpo"]["status"] == "missed"
    assert payroll["rpo"]["text"] == (
        "Could lose up to 24 h of work: SQL cluster is backed up only that often."
    )
    assert (payroll["manual_workarounds"], payroll["minimum_staff"]) == ("Cut paper checks.", 3)
    assert [
        (c["role"], c["of"] and c["of"]["name"], c["person"]["name"]) for c in payroll["contacts"]
    ] == [("IT liaison", None, "Lou Liaison"), ("Business owner", "ERP", "Olga Owner")]
    assert [(v["name"], v["support_contact"], names(v["systems"])) for v in payroll["vendors"]] == [
        ("Acme ERP", "1-800-ACME", ["ERP"])
    ]
    dispatch = books["Dispatch"]
    assert (dispatch["rto_status"], dispatch["recovery_text"]) == ("unconfirmed", "at least 0 h")
    assert names(dispatch["unknown"]) == ["CAD server"] and dispatch["unknown_count"] == 1
    assert names(dispatch["restore_first"]) == ["CAD server"]
    assert dispatch["restore_first"][0]["restore_text"] == "not recorded"
    assert [c["person"]["name"] for c in dispatch["contacts"]] == ["Pat Head"]
    assert books["Permits"]["rto_status"] == "met"
    assert books["Permits"]["rpo"]["status"] == "none"

    # Contact lists.
    contacts = data["contacts"]
    assert contacts["coordinator"]["name"] == "Pat Head"
    assert contacts["coordinator"]["phone"] == "555-0100"
    assert [r["role"] for r in contacts["roles"]] == [r for r, _ in plans.DEFAULT_ROLES]
    assert [
        (d["name"], d["head"] and d["head"]["name"], d["it_liaison"] and d["it_liaison"]["name"])
        for d in contacts["departments"]
    ] == [("Finance", None, "Lou Liaison"), ("Public Works", "Pat Head", None)]
    [owner] = contacts["system_owners"]
    assert owner["system"]["name"] == "ERP" and owner["business_owner"]["name"] == "Olga Owner"
    assert contacts["systems_without_owner"] == 1
    assert [(v["name"], v["systems"]) for v in contacts["vendors"]] == [("Acme ERP", 1)]

    # Known gaps.
    gaps = data["gaps"]
    assert [(g["name"], g["gap_text"]) for g in gaps["rto_gaps"]] == [("Payroll", "14 h")]
    assert [(g["name"], g["data_store"]["name"]) for g in gaps["rpo_gaps"]] == [
        ("Payroll", "SQL cluster")
    ]
    assert names(gaps["rto_unconfirmed"]) == ["Dispatch"]


@pytest.mark.django_db
def test_a_runbook_lists_what_the_service_runs_on_and_counts_the_rest(departments):
    pw = departments["PW"]
    svc, app = f.service("Parks booking", pw), f.system("Booking app", pw)
    vm, switch, storage = (
        f.component("Booking VM", pw),
        f.component("Core switch", pw, kind="network_device"),
        f.component("Array", pw, kind="storage"),
    )
    f.recovery(app, restore_hours=1)
    f.recovery(vm, restore_hours=1)
    f.recovery(switch, restore_hours=1)
    f.recovery(storage, restore_hours=5)
    f.needs(svc, app)
    f.needs(app, vm)
    f.needs(vm, switch)  # deeper, and not on the slowest path: counted, not listed
    f.needs(vm, storage)
    book = plan_content.build_runbook(None, svc.pk)
    assert names(book["chain"]) == ["Parks booking", "Booking app", "Booking VM", "Array"]
    assert names(book["restore_first"]) == ["Array", "Booking VM", "Booking app"]
    assert book["more"] == 1
    assert plan_content.build_runbook(None, 999_999) is None


@pytest.mark.django_db
def test_the_content_holds_only_what_the_reader_may_see(users, departments, monkeypatch):
    annotated_estate(departments)

    def own_systems_only(cls, qs, user, action, by_role):
        if user.department_id:
            return by_role.filter(owner_department_id=user.department_id)
        return by_role

    monkeypatch.setattr(e.System, "restrict_rows", classmethod(own_systems_only), raising=False)
    seen = json.dumps(plan_content.build_content(users["liaison"]))  # of Public Works
    assert "ERP" not in seen and "Olga Owner" not in seen and "Acme ERP" not in seen
    assert "Permit system" in seen
    everything = json.dumps(plan_content.build_content(users["staff"]))
    assert "ERP" in everything and "Olga Owner" in everything


def grow(departments, n, start=0):
    """n more services, each with an analysis, a system with owners and a vendor, and a
    component with a recovery site: written in bulk, as a large estate would be."""
    pw = departments["PW"]
    with context.writing():
        people = e.Person.objects.bulk_create(
            [e.Person(name=f"Owner {start + i}", owner_department=pw) for i in range(n)]
        )
        vendor = e.Vendor.objects.bulk_create([e.Vendor(name=f"Vendor {start}")])[0]
        site = e.Location.objects.bulk_create([e.Location(name=f"Site {start}")])[0]
        svcs = e.Service.objects.bulk_create(
            [e.Service(name=f"Service {start + i}", owner_department=pw) for i in range(n)]
        )
        systems = e.System.objects.bulk_create(
            [
                e.System(
                    name=f"System {start + i}",
                    owner_department=pw,
                    business_owner=people[i],
                    technical_owner=people[i],
                    vendor=vendor,
                )
                for i in range(n)
            ]
        )
        comps = e.Component.objects.bulk_create(
            [e.Component(name=f"Server {start + i}", owner_department=pw) for i in range(n)]
        )
        m.ImpactAnalysis.objects.bulk_create(
            [
                m.ImpactAnalysis(
                    service=svc, owner_department=pw, rto_hours=4, mission_essential=True
                )
                for svc in svcs
            ]
        )
        m.RecoveryCapability.objects.bulk_create(
            [m.RecoveryCapability(system=x, owner_department=pw, restore_hours=2) for x in systems]
            + [
                m.RecoveryCapability(
                    component=c, owner_department=pw, restore_hours=3, recovery_site=site
                )
                for c in comps
            ]
        )
        e.Dependency.objects.bulk_create(
            [
                e.Dependency(from_service=svc, to_system=x, owner_department=pw)
                for svc, x in zip(svcs, systems, strict=True)
            ]
            + [
                e.Dependency(from_system=x, to_component=c, owner_department=pw)
                for x, c in zip(systems, comps, strict=True)
            ]
        )


def count_queries(action):
    with CaptureQueriesContext(connection) as ctx:
        action()
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_plan_builds_in_a_fixed_number_of_queries(users, departments):
    draft = plans.new_plan(users["staff"])
    grow(departments, 5)
    few = count_queries(lambda: plan_content.build_content(users["liaison"], plan=draft))
    grow(departments, 1500, start=5)
    content = {}

    def build():
        content.update(plan_content.build_content(users["liaison"], plan=draft))

    assert count_queries(build) == few <= 20
    assert content["counts"]["runbooks"] == 1505
    assert len(content["contacts"]["system_owners"]) == 1505


@pytest.mark.django_db
def test_pages_do_not_grow_in_queries(users, departments, client_for):
    draft = plans.new_plan(users["staff"])
    grow(departments, 3)
    client = client_for("viewer")
    svc = e.Service.objects.get(name="Service 0")
    urls = [
        draft.get_absolute_url(),
        f"/continuity/runbooks/{svc.pk}/",
        "/continuity/contacts/",
    ]
    few = [count_queries(lambda u=u: client.get(u)) for u in urls]
    grow(departments, 60, start=3)
    cache.clear()  # `grow` writes around the audit log, so a kept draft would not know
    assert [count_queries(lambda u=u: client.get(u)) for u in urls] == few
    assert "System 62" in client.get("/continuity/contacts/").content.decode()


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "board", "liaison", "staff"])
def test_every_role_reads_the_plan(role, users, departments, client_for):
    s = estate.build(departments)
    draft = plans.new_plan(users["staff"])
    page = client_for(role).get(draft.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "DRAFT — version 1, not approved" in text
    assert f'href="/continuity/runbooks/{s["payroll"].pk}/"' in text
    assert "Missed by 14 h" in text
    assert f"/continuity/recovery-plans/{draft.pk}/pdf/" in text
    assert f"/continuity/recovery-plans/{draft.pk}/docx/" in text
    approve_link = f"/continuity/recovery-plans/{draft.pk}/approve/"
    assert (approve_link in text) == (role == "staff")
    assert ">New version<" not in text  # a draft is in progress


@pytest.mark.django_db
def test_an_approved_version_page(users, departments, client_for):
    s = estate.build(departments)
    first = approve(users["staff"], ready(plans.new_plan(users["staff"])))
    text = client_for("staff").get(first.get_absolute_url()).content.decode()
    assert APPROVED_LINE in text and "when the version was approved and is kept" in text
    assert ">New version<" in text and "/approve/" not in text
    assert f'href="/continuity/runbooks/{s["payroll"].pk}/?plan={first.pk}"' in text
    second = plans.new_plan(users["staff"])
    text = client_for("viewer").get(first.get_absolute_url()).content.decode()
    assert f'A newer draft is in progress: <a href="{second.get_absolute_url()}"' in text


@pytest.mark.django_db
def test_the_runbook_page_links_every_named_item(users, departments, client_for):
    s = annotated_estate(departments)
    client = client_for("liaison")
    page = client.get(f"/continuity/runbooks/{s['payroll'].pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<h1>Runbook: Payroll</h1>" in text
    for item in ("erp", "sql", "san"):
        obj = s[item]
        kind = type(obj).__name__.lower()
        assert f'href="/estate/{kind}s/{obj.pk}/"' in text, item
    assert f'href="/estate/people/{s["owner"].pk}/"' in text
    assert f'href="/estate/vendors/{s["vendor"].pk}/"' in text
    assert f'href="/estate/locations/{s["site"].pk}/"' in text
    assert 'href="https://wiki.example/sql"' in text
    assert "Cut paper checks." in text
    # From an approved version: the frozen runbook, said to be so.
    first = approve(users["staff"], ready(plans.new_plan(users["staff"])))
    services.update(S, s["san"].recovery_capability, {"restore_hours": 1}, version=None)
    frozen = client.get(f"/continuity/runbooks/{s['payroll'].pk}/?plan={first.pk}")
    assert "As approved in the recovery plan" in frozen.content.decode()
    assert APPROVED_LINE in frozen.content.decode() and "22 h" in frozen.content.decode()
    live = client.get(f"/continuity/runbooks/{s['payroll'].pk}/").content.decode()
    assert "11 h" in live


@pytest.mark.django_db
def test_contacts_page(users, departments, client_for):
    s = annotated_estate(departments)
    ready(plans.new_plan(users["staff"]), coordinator=s["head"])
    text = client_for("board").get("/continuity/contacts/").content.decode()
    assert "<h1>Recovery contacts</h1>" in text
    assert "555-0100" in text and 'href="mailto:pat@x.example"' in text
    assert "1-800-ACME" in text
    assert "1 system has no owner recorded" in text
    assert "Infrastructure recovery lead" in text
    html = client_for("board").get("/continuity/contacts/pdf/?format=html").content.decode()
    assert "Lou Liaison" in html and "As recorded on" in html
    # The PDF is laid out by a background job, whose page offers the file.
    board = client_for("board")
    response = board.get("/continuity/contacts/pdf/")
    job = Job.objects.order_by("-pk").first()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == plan_pages.EXPORT_JOB and job.created_by == users["board"]
    assert job.status == "done" and job.total == 2
    assert job.result_file.name.endswith(".pdf") and "recovery-contacts-" in job.result_file.name
    download = board.get(f"/jobs/{job.pk}/download/")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert board.get("/continuity/contacts/pdf/")["Location"] == f"/jobs/{job.pk + 1}/"


@pytest.mark.django_db
def test_no_server_error_on_bad_addresses(users, departments, client_for):
    s = estate.build(departments)
    draft = plans.new_plan(users["staff"])
    staff = client_for("staff")
    huge = "9" * 30
    for url in (
        "/continuity/recovery-plans/999999/approve/",
        "/continuity/recovery-plans/999999/pdf/",
        "/continuity/recovery-plans/999999/docx/",
        f"/continuity/recovery-plans/{huge}/pdf/",
        "/continuity/runbooks/999999/",
        "/continuity/runbooks/999999/pdf/",
        f"/continuity/runbooks/{huge}/",
        f"/continuity/runbooks/{s['payroll'].pk}/?plan=abc",
        f"/continuity/runbooks/{s['payroll'].pk}/?plan=999999",
        f"/continuity/runbooks/{s['payroll'].pk}/?plan={huge}",
    ):
        assert staff.get(url).status_code == 404, url
    url = f"/continuity/recovery-plans/{draft.pk}/approve/"
    ready(draft)
    assert staff.post(url, {"version": "x", "approved_on": "2026-13-45"}).status_code == 400
    assert staff.post(url, {}).status_code == 400
    assert staff.delete(url).status_code == 405
    assert staff.post(f"/continuity/runbooks/{s['payroll'].pk}/").status_code == 405
    assert Client().get("/continuity/contacts/").status_code == 302


# --- exports -------------------------------------------------------------------------------


def page_texts(html):
    """The text of each page of the PDF drawn from `html`, margin boxes included."""
    texts = []
    for page in document(html).pages:
        words = " ".join(b.text for b in page._page_box.descendants() if getattr(b, "text", ""))
        texts.append(" ".join(words.split()))
    return texts


@pytest.mark.django_db
def test_a_draft_pdf_says_draft_on_every_page(users, departments, client_for):
    estate.build(departments)
    draft = plans.new_plan(users["staff"])
    client = client_for("liaison")
    html = client.get(f"/continuity/recovery-plans/{draft.pk}/pdf/?format=html").content.decode()
    assert "DRAFT — version 1, not approved" in html
    assert '@top-center { content: "DRAFT"' in html
    texts = page_texts(html)
    assert len(texts) > 3
    assert all("DRAFT" in t and "DRAFT — version 1, not approved" in t for t in texts)
    assert "Runbook: Payroll" in " ".join(texts)
    response = client.get(f"/continuity/recovery-plans/{draft.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == 'attachment; filename="recovery-plan-v1-draft.pdf"'
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_an_approved_pdf_carries_the_approval_on_every_page(users, departments, client_for):
    estate.build(departments)
    first = approve(users["staff"], ready(plans.new_plan(users["staff"])))
    client = client_for("viewer")
    html = client.get(f"/continuity/recovery-plans/{first.pk}/pdf/?format=html").content.decode()
    assert APPROVED_LINE in html and '@top-center { content: "DRAFT"' not in html
    texts = page_texts(html)
    assert all(APPROVED_LINE in t and "DRAFT" not in t for t in texts)
    joined = " ".join(texts)
    for part in (
        "1. Purpose, scope and assumptions",
        "2. Roles and contacts",
        "3. Activation and notification",
        "4. Recovery sequence",
        "5. Reconstitution",
        "6. Known gaps",
        "Appendix: runbooks by service",
    ):
        assert part in joined
    response = client.get(f"/continuity/recovery-plans/{first.pk}/pdf/")
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == 'attachment; filename="recovery-plan-v1.pdf"'


@pytest.mark.django_db
def test_an_approved_version_names_one_date_everywhere(users, departments, client_for):
    """Approved on January 5 and recorded later (today): the PDF, the Word file, the plan's
    page and its frozen runbook give the approval's date, never a second one for the
    generated part."""
    import io

    import docx

    s = estate.build(departments)
    first = approve(users["staff"], ready(plans.new_plan(users["staff"])))
    recorded = first.content["generated_at"][:10]
    assert recorded != "2026-01-05"
    said = "generated from the estate when the version was approved, on January 5, 2026"
    client = client_for("viewer")
    html = client.get(f"/continuity/recovery-plans/{first.pk}/pdf/?format=html").content.decode()
    assert APPROVED_LINE in html and said in html
    assert f"from the estate on {recorded}" not in html
    body = client.get(f"/continuity/recovery-plans/{first.pk}/docx/").content
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)
    assert APPROVED_LINE in text and said in text
    assert f"from the estate on {recorded}" not in text
    page = client.get(first.get_absolute_url()).content.decode()
    assert "generated from the estate when the version was approved" in page
    assert f"from the estate on {recorded}" not in page
    book = client.get(f"/continuity/runbooks/{s['payroll'].pk}/?plan={first.pk}").content.decode()
    assert (
        APPROVED_LINE in book and "generated from the estate when the version was approved" in book
    )
    assert f"from the estate on {recorded}" not in book
    # A draft still says when its live content was generated.
    draft = plans.new_plan(users["staff"])
    html = client.get(f"/continuity/recovery-plans/{draft.pk}/pdf/?format=html").content.decode()
    assert "generated from the estate on " in html


@pytest.mark.django_db
def test_runbook_pdf(users, departments, client_for):
    s = estate.build(departments)
    client = client_for("viewer")
    url = f"/continuity/runbooks/{s['payroll'].pk}/pdf/"
    html = client.get(url + "?format=html").content.decode()
    assert "Runbook: Payroll" in html and "not part of an approved plan" in html
    response = client.get(url)
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == 'attachment; filename="runbook-payroll.pdf"'


@pytest.mark.django_db
def test_docx_download(users, departments, client_for):
    estate.build(departments)
    first = approve(users["staff"], ready(plans.new_plan(users["staff"])))
    response = client_for("liaison").get(f"/continuity/recovery-plans/{first.pk}/docx/")
    assert response.status_code == 200
    assert response["Content-Type"] == plan_pages.DOCX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="recovery-plan-v1.docx"'
    assert response.content.startswith(b"PK")


@pytest.mark.django_db
def test_a_large_plan_is_drawn_in_the_background(users, departments, client_for, monkeypatch):
    estate.build(departments)
    draft = plans.new_plan(users["staff"])
    monkeypatch.setattr(plan_pages, "INLINE_ROWS", 1)
    client = client_for("liaison")
    for kind, magic in (("pdf", b"%PDF-"), ("docx", b"PK")):
        response = client.get(f"/continuity/recovery-plans/{draft.pk}/{kind}/")
        job = Job.objects.order_by("-pk").first()
        assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
        assert job.status == "done" and job.created_by == users["liaison"]
        assert job.result_file.name.endswith(f".{kind}")
        download = client.get(f"/jobs/{job.pk}/download/")
        assert b"".join(download.streaming_content).startswith(magic)
        assert client_for("viewer").get(f"/jobs/{job.pk}/").status_code == 404
    response = client.get("/continuity/contacts/pdf/")
    job = Job.objects.order_by("-pk").first()
    assert response["Location"] == job.get_absolute_url() and job.status == "done"
