"""Deciding on many merchants at once from the queue (all or nothing, the refused one
named), adopting a merchant as a system the estate already has, and reopening a decision:
the verbs and their pages."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.estate.models import System
from townhall.shadowit import services as shadow_services
from townhall.shadowit.models import Merchant

pytestmark = pytest.mark.django_db

NAMES = ("Zoom", "Canva", "Slack", "Trello")


@pytest.fixture
def merchants(departments) -> dict[str, Merchant]:
    with context.acting("system"):
        found = {
            name: services.create(
                context.SYSTEM,
                Merchant,
                {"key": name.lower(), "name": name, "category": "software"},
            )
            for name in NAMES
        }
        services.create(
            context.SYSTEM, System, {"name": "Meetings", "owner_department": departments["PW"]}
        )
    return found


def _statuses() -> dict[str, str]:
    return dict(Merchant.objects.values_list("name", "status"))


def _messages(answer) -> str:
    return " ".join(str(m) for m in get_messages(answer.wsgi_request))


def test_marking_several_known_at_once(merchants, users):
    chosen = [merchants["Zoom"], merchants["Canva"]]
    with context.acting("web"):
        decided = shadow_services.decide_many(users["staff"], chosen, "known")
    assert [m.status for m in decided] == ["known", "known"]
    assert _statuses() == {"Zoom": "known", "Canva": "known", "Slack": "new", "Trello": "new"}
    # Each went through the write path: one audited transition per merchant.
    entries = AuditEntry.objects.filter(
        object_repr__in=["Zoom", "Canva"], action=AuditEntry.Action.UPDATE
    )
    assert entries.count() == 2
    assert all("status: new → known" in e.after["transition"] for e in entries)


def test_dismissing_several_keeps_the_one_reason(merchants, users):
    chosen = [merchants["Slack"], merchants["Trello"]]
    with pytest.raises(ValidationError, match="Say why"):
        shadow_services.decide_many(users["staff"], chosen, "dismissed", "  ")
    shadow_services.decide_many(users["staff"], chosen, "dismissed", "Personal accounts")
    for m in Merchant.objects.filter(name__in=["Slack", "Trello"]):
        assert (m.status, m.dismiss_reason) == ("dismissed", "Personal accounts")


def test_one_refused_leaves_every_merchant_as_it_was(merchants, users):
    staff = users["staff"]
    system = System.objects.get(name="Meetings")
    shadow_services.adopt(staff, merchants["Zoom"], system=system)
    before = dict(Merchant.objects.values_list("name", "version"))
    chosen = [merchants["Canva"], merchants["Zoom"], merchants["Slack"]]
    with pytest.raises(shadow_services.DecisionRefused) as refused:
        shadow_services.decide_many(staff, chosen, "dismissed", "Not ours")
    assert refused.value.merchant.pk == merchants["Zoom"].pk
    assert "Zoom: it is already adopted by IT" in " ".join(refused.value.messages)
    # Canva, decided before Zoom was reached, was rolled back with the rest.
    assert _statuses() == {"Zoom": "adopted", "Canva": "new", "Slack": "new", "Trello": "new"}
    assert dict(Merchant.objects.values_list("name", "version")) == before


def test_a_stale_version_is_refused_by_name(merchants, users):
    canva, slack = merchants["Canva"], merchants["Slack"]
    versions = {canva.pk: canva.version, slack.pk: slack.version}
    with context.acting("web"):
        services.update(users["staff"], slack, {"tool_kind": "chat"}, version=slack.version)
    with pytest.raises(shadow_services.DecisionRefused, match="Slack: someone changed it"):
        shadow_services.decide_many(users["staff"], [canva, slack], "known", versions=versions)
    assert _statuses()["Canva"] == "new"


@pytest.mark.parametrize("role", ["liaison", "viewer", "board"])
def test_only_it_staff_decide_many(merchants, users, role):
    with pytest.raises(PermissionDenied):
        shadow_services.decide_many(users[role], [merchants["Zoom"]], "known")
    assert _statuses()["Zoom"] == "new"


def test_nonsense_is_refused_by_the_verb(merchants, users):
    with pytest.raises(ValidationError, match="known or to dismiss"):
        shadow_services.decide_many(users["staff"], [merchants["Zoom"]], "adopted")
    with pytest.raises(ValidationError, match="at least one"):
        shadow_services.decide_many(users["staff"], [], "known")


def _post(client, picked, action, reason="", **extra):
    data = {"action": action, "reason": reason, "next": reverse("shadowit:queue"), **extra}
    data["merchant"] = [str(m.pk) for m in picked]
    for m in picked:
        data[f"version-{m.pk}"] = str(m.version)
    return client.post(reverse("shadowit:queue_decide"), data)


def test_the_queue_page_decides_on_the_ticked(merchants, client_for):
    staff = client_for("staff")
    page = staff.get(reverse("shadowit:queue")).content.decode()
    assert "Select all on this page" in page and "Decide on the selected merchants" in page
    assert f'id="pick-{merchants["Zoom"].pk}"' in page
    answer = _post(staff, [merchants["Slack"], merchants["Trello"]], "dismiss", "Free plans")
    assert answer.status_code == 302 and answer["Location"] == reverse("shadowit:queue")
    assert "2 merchants dismissed: Slack, Trello." in _messages(answer)
    statuses = _statuses()
    assert statuses == {"Zoom": "new", "Canva": "new", "Slack": "dismissed", "Trello": "dismissed"}
    # A decided merchant has no box to tick.
    page = staff.get(reverse("shadowit:queue")).content.decode()
    assert f'id="pick-{merchants["Slack"].pk}"' not in page


def test_all_on_the_page_takes_every_row_shown(merchants, client_for):
    staff = client_for("staff")
    data = {"action": "known", "all": "1"}
    data.update({f"version-{m.pk}": str(m.version) for m in merchants.values()})
    answer = staff.post(reverse("shadowit:queue_decide"), data)
    assert answer.status_code == 302
    assert set(_statuses().values()) == {"known"}


def test_the_page_names_the_refused_merchant(merchants, users, client_for):
    staff = client_for("staff")
    shadow_services.mark_known(users["staff"], merchants["Canva"])
    # The queue showed Canva before someone marked it known: its stale version is sent.
    answer = _post(staff, [merchants["Zoom"], merchants["Canva"]], "dismiss", "Not ours")
    said = _messages(answer)
    assert "Nothing was changed" in said and "Canva: it is already known and allowed" in said
    assert _statuses()["Zoom"] == "new"


def test_nonsense_from_the_page_is_told_never_an_error(merchants, client_for):
    staff = client_for("staff")
    url = reverse("shadowit:queue_decide")
    zoom = merchants["Zoom"]
    for data in (
        {},
        {"action": "known"},
        {"action": "explode", "merchant": str(zoom.pk)},
        {"action": "known", "merchant": ["abc", "99999999999999999999"]},
        {"action": "known", "merchant": "987654"},
        {"action": "dismiss", "merchant": str(zoom.pk)},
        {"action": "known", "merchant": str(zoom.pk), f"version-{zoom.pk}": "x"},
        {"action": "known", "all": "1"},
        {"action": "known", "merchant": str(zoom.pk), "next": "https://evil.example/"},
    ):
        answer = staff.post(url, data)
        assert answer.status_code == 302, data
        assert answer["Location"].startswith("/"), data
    assert staff.get(url).status_code == 405
    # Only the last, a valid decision with a foreign return address, changed anything.
    assert _statuses()["Zoom"] == "known"


@pytest.mark.parametrize("role", ["liaison", "viewer", "board"])
def test_the_bulk_page_is_it_staffs(merchants, client_for, role):
    client = client_for(role)
    assert _post(client, [merchants["Zoom"]], "known").status_code == 403
    assert "Select all on this page" not in client.get(reverse("shadowit:queue")).content.decode()
    assert _statuses()["Zoom"] == "new"


def test_adopting_as_a_system_the_estate_has(merchants, users, client_for):
    staff = client_for("staff")
    zoom = merchants["Zoom"]
    system = System.objects.get(name="Meetings")
    page = staff.get(zoom.get_absolute_url()).content.decode()
    assert "Or link a system the estate already has" in page and "Meetings (Public Works)" in page
    assert "Reopen" not in page  # it is new
    act = reverse("shadowit:merchant_act", args=[zoom.pk, "adopt"])
    answer = staff.post(act, {"system": str(system.pk), "version": str(zoom.version)})
    assert "Zoom linked to the estate's system Meetings (Public Works)." in _messages(answer)
    zoom.refresh_from_db()
    assert (zoom.status, zoom.system_id) == ("adopted", system.pk)
    assert System.objects.count() == 1  # nothing created, and the system left as it was
    assert not System.objects.get().discovered_outside_it
    # Reopened from its page: back to new, unlinked; the system stays.
    assert "Reopen" in staff.get(zoom.get_absolute_url()).content.decode()
    reopen = reverse("shadowit:merchant_act", args=[zoom.pk, "reopen"])
    staff.post(reopen, {"version": str(zoom.version)})
    zoom.refresh_from_db()
    assert (zoom.status, zoom.system_id) == ("new", None)
    assert System.objects.filter(pk=system.pk).exists()


def test_linking_a_system_that_is_not_there_is_refused(merchants, users):
    zoom = merchants["Zoom"]
    for wrong in (987654, "abc", -1):
        with pytest.raises(ValidationError, match="Choose a system"):
            shadow_services.adopt(users["staff"], zoom, system=wrong)
    zoom.refresh_from_db()
    assert (zoom.status, zoom.system_id) == ("new", None)
    with pytest.raises(PermissionDenied):
        shadow_services.adopt(users["liaison"], zoom, system=System.objects.get())
