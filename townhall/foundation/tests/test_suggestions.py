"""Support suggestions: the job that makes them from hand-made releases, accepting and
rejecting them (one and many), who may, and what history keeps."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.cyber.models import ProductRelease
from townhall.estate.models import Component, System
from townhall.foundation import suggestions
from townhall.foundation.models import SupportSuggestion
from townhall.jobs.models import Job

D = datetime.date
TODAY = D(2026, 6, 1)


def create(model, **values):
    return services.create(context.SYSTEM, model, values)


@pytest.fixture
def estate(departments) -> dict:
    """Releases of one product, and items on them: one with nothing recorded, one already
    recording what the release says, one on a release without a date but not ended, one on
    a release that says nothing, and a retired one."""
    pw = departments["PW"]
    for cycle, eol, passed in [
        ("2019", D(2029, 1, 9), None),
        ("2022", D(2031, 10, 14), None),
        ("2025", None, False),
        ("2016", None, None),
    ]:
        create(
            ProductRelease,
            product="windows-server",
            label="Windows Server",
            cycle=cycle,
            end_of_life=eol,
            end_of_life_passed=passed,
        )

    def box(name, version, **extra):
        return create(
            Component,
            name=name,
            owner_department=pw,
            manufacturer="Microsoft",
            os_firmware="Windows Server",
            os_version=version,
            **extra,
        )

    return {
        "unknown": box("srv-unknown", "2019"),
        "agreed": box("srv-agreed", "2022", end_of_support=D(2031, 10, 14)),
        "open": box("srv-open", "2025"),
        "silent": box("srv-silent", "2016"),
        "retired": box("srv-retired", "2019", status="retired"),
        "system": create(
            System,
            name="File server",
            owner_department=pw,
            product="Windows Server",
            product_version="2019",
            end_of_support=D(2028, 1, 1),
        ),
    }


def history(obj):
    kind = ContentType.objects.get_for_model(obj)
    return AuditEntry.objects.filter(content_type=kind, object_id=str(obj.pk)).order_by("-pk")


def pending() -> dict[str, SupportSuggestion]:
    return {
        str(s.item): s
        for s in SupportSuggestion.objects.filter(status="pending").select_related(
            "system", "component"
        )
    }


@pytest.mark.django_db
def test_the_job_suggests_what_differs_and_only_that(estate, users, client_for):
    response = client_for("staff").post("/foundation/support-suggestions/run/")
    job = Job.objects.get(kind=suggestions.JOB_KIND)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == Job.Status.DONE and job.created_by == users["staff"]
    assert job.message.startswith("3 new suggestions; 1 matched items already record")
    found = pending()
    assert set(found) == {"srv-unknown", "srv-open", "File server"}
    assert (found["srv-unknown"].support_state, found["srv-unknown"].end_of_support) == (
        "dated",
        D(2029, 1, 9),
    )
    assert (found["srv-open"].support_state, found["srv-open"].end_of_support) == (
        "no_end_date",
        None,
    )
    assert found["File server"].end_of_support == D(2029, 1, 9)  # records 2028: differs
    assert found["srv-unknown"].release.cycle == "2019"
    # Running again adds nothing: each is pending already.
    again = suggestions.make_suggestions(users["staff"])
    assert (again.made, again.decided) == (0, 3)


@pytest.mark.django_db
def test_accepting_records_the_support_on_the_item_and_in_history(estate, users):
    suggestions.make_suggestions(users["staff"])
    found = pending()
    suggestions.accept(users["staff"], found["srv-unknown"])
    box = Component.objects.get(pk=estate["unknown"].pk)
    assert (box.support_state, box.end_of_support) == ("dated", D(2029, 1, 9))
    decided = SupportSuggestion.objects.get(pk=found["srv-unknown"].pk)
    assert decided.status == "accepted" and decided.decided_by == users["staff"]
    assert decided.decided_at is not None
    entry = history(decided).first()
    assert entry.actor == users["staff"]
    assert entry.after["transition"].startswith("status: pending → accepted")
    assert entry.after["decided_by"] is not None
    item_entry = history(box).first()
    assert item_entry.actor == users["staff"] and item_entry.action == "update"
    assert item_entry.before["support_state"] == "unknown"
    assert item_entry.after["support_state"] == "dated"
    # The open-ended one: "supported, no end date announced".
    suggestions.accept(users["admin"], found["srv-open"])
    assert Component.objects.get(pk=estate["open"].pk).support_state == "no_end_date"


@pytest.mark.django_db
def test_a_rejected_suggestion_is_not_made_again_for_the_same_release(estate, users):
    suggestions.make_suggestions(users["staff"])
    suggestions.reject(users["staff"], pending()["File server"])
    system = System.objects.get(pk=estate["system"].pk)
    assert system.end_of_support == D(2028, 1, 1)  # kept as recorded
    report = suggestions.make_suggestions(users["staff"])
    assert report.made == 0
    assert SupportSuggestion.objects.filter(system=system).count() == 1


@pytest.mark.django_db
def test_a_decision_is_never_an_edit(estate, users):
    """Accepting and rejecting are the suggestion's own steps: an edit may not move it."""
    from django.core.exceptions import ValidationError

    suggestions.make_suggestions(users["staff"])
    one = pending()["srv-unknown"]
    for to in ("accepted", "rejected"):
        with pytest.raises(ValidationError) as refused:
            services.update(users["staff"], one, {"status": to}, version=None)
        assert "status" in refused.value.error_dict
        with pytest.raises(services.RowInvalid):
            services.update_rows(users["staff"], [(one, {"status": to})])
    one.refresh_from_db()
    assert one.status == "pending"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["liaison", "viewer", "board"])
def test_only_it_staff_decide(estate, users, client_for, role):
    suggestions.make_suggestions(users["staff"])
    one = pending()["srv-unknown"]
    with pytest.raises(PermissionDenied):
        suggestions.accept(users[role], one)
    with pytest.raises(PermissionDenied):
        suggestions.make_suggestions(users[role])
    client = client_for(role)
    assert client.get("/foundation/support-suggestions/").status_code == 200
    url = f"/foundation/support-suggestions/{one.pk}/decide/"
    assert client.post(url, {"action": "accept"}).status_code == 403
    assert (
        client.post(
            "/foundation/support-suggestions/decide/", {"chosen": [one.pk], "action": "accept"}
        ).status_code
        == 403
    )
    assert client.post("/foundation/support-suggestions/run/").status_code == 403
    assert SupportSuggestion.objects.get(pk=one.pk).status == "pending"
    assert Component.objects.get(pk=estate["unknown"].pk).support_state == "unknown"
    # Nor through the transition itself.
    with pytest.raises(PermissionDenied):
        services.transition(users[role], one, "rejected")


@pytest.mark.django_db
def test_the_page_decides_one_and_many(estate, users, client_for):
    suggestions.make_suggestions(users["staff"])
    found = pending()
    client = client_for("staff")
    page = client.get("/foundation/support-suggestions/").content.decode()
    assert "srv-unknown" in page and "3 pending suggestions" in page
    one = found["srv-open"]
    reply = client.post(
        f"/foundation/support-suggestions/{one.pk}/decide/",
        {"action": "reject", f"version-{one.pk}": one.version},
    )
    assert reply.status_code == 302
    assert SupportSuggestion.objects.get(pk=one.pk).status == "rejected"
    rest = [found["srv-unknown"].pk, found["File server"].pk]
    reply = client.post(
        "/foundation/support-suggestions/decide/", {"chosen": rest, "action": "accept"}
    )
    assert reply.status_code == 302
    assert set(SupportSuggestion.objects.filter(pk__in=rest).values_list("status", flat=True)) == {
        "accepted"
    }
    assert System.objects.get(pk=estate["system"].pk).end_of_support == D(2029, 1, 9)
    assert (
        "No suggestion is waiting"
        in client.get("/foundation/support-suggestions/").content.decode()
    )


@pytest.mark.django_db
def test_a_stale_version_or_a_decided_suggestion_changes_nothing(estate, users, client_for):
    suggestions.make_suggestions(users["staff"])
    one = pending()["srv-unknown"]
    client = client_for("staff")
    reply = client.post(
        f"/foundation/support-suggestions/{one.pk}/decide/",
        {"action": "accept", f"version-{one.pk}": one.version + 5},
    )
    assert reply.status_code == 302
    assert SupportSuggestion.objects.get(pk=one.pk).status == "pending"
    assert Component.objects.get(pk=estate["unknown"].pk).support_state == "unknown"
    suggestions.reject(users["staff"], one)
    # Decided: no longer on the page's list, so deciding again finds nothing.
    assert (
        client.post(
            f"/foundation/support-suggestions/{one.pk}/decide/", {"action": "accept"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/foundation/support-suggestions/{one.pk + 1000}/decide/", {"action": "nonsense"}
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_a_pending_suggestion_that_no_longer_holds_is_removed_on_the_next_run(estate, users):
    staff = users["staff"]
    suggestions.make_suggestions(staff)
    rejected = pending()["srv-open"]
    suggestions.reject(staff, rejected)
    found = pending()
    # srv-unknown is upgraded to a release that says nothing; File server is retired.
    box = Component.objects.get(pk=estate["unknown"].pk)
    services.update(context.SYSTEM, box, {"os_version": "2016"}, version=box.version)
    system = System.objects.get(pk=estate["system"].pk)
    services.update(context.SYSTEM, system, {"lifecycle": "retired"}, version=system.version)
    report = suggestions.make_suggestions(staff)
    assert report.removed == 2 and "2 pending suggestions no longer held" in report.text()
    left = SupportSuggestion.objects.filter(pk__in=[s.pk for s in found.values()])
    assert not left.exists()
    assert history(found["srv-unknown"]).first().action == "delete"
    # A decided one is never touched.
    assert SupportSuggestion.objects.get(pk=rejected.pk).status == "rejected"


@pytest.mark.django_db
def test_a_pending_suggestion_with_a_changed_release_date_is_made_anew(estate, users):
    staff = users["staff"]
    suggestions.make_suggestions(staff)
    old = pending()["srv-unknown"]
    release = ProductRelease.objects.get(cycle="2019")
    services.update(context.SYSTEM, release, {"end_of_life": D(2029, 6, 1)}, version=None)
    report = suggestions.make_suggestions(staff)
    assert report.removed == 2  # srv-unknown's and File server's, both on 2019
    assert not SupportSuggestion.objects.filter(pk=old.pk).exists()
    assert pending()["srv-unknown"].end_of_support == D(2029, 6, 1)


@pytest.mark.django_db
def test_a_pending_suggestion_the_item_now_records_is_removed(estate, users):
    staff = users["staff"]
    suggestions.make_suggestions(staff)
    one = pending()["srv-unknown"]
    box = Component.objects.get(pk=estate["unknown"].pk)
    values = {"support_state": "dated", "end_of_support": D(2029, 1, 9)}
    services.update(staff, box, values, version=box.version)
    report = suggestions.make_suggestions(staff)
    assert report.removed == 1 and report.superseded == 0
    assert not SupportSuggestion.objects.filter(pk=one.pk).exists()
    assert report.made == 0


@pytest.mark.django_db
def test_a_pending_suggestion_a_person_answered_is_rejected_as_superseded(estate, users):
    staff = users["staff"]
    suggestions.make_suggestions(staff)
    one = pending()["File server"]
    system = System.objects.get(pk=estate["system"].pk)
    services.update(
        users["admin"], system, {"end_of_support": D(2027, 6, 30)}, version=system.version
    )
    report = suggestions.make_suggestions(staff)
    assert (report.superseded, report.made) == (1, 0)
    one.refresh_from_db()
    assert one.status == "rejected"
    assert "superseded" in history(one).first().after["transition"]
    # It is not suggested again, and the item keeps what the person set.
    assert suggestions.make_suggestions(staff).made == 0
    assert System.objects.get(pk=system.pk).end_of_support == D(2027, 6, 30)
