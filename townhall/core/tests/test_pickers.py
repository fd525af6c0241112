"""Search-and-choose pickers: the widgets (core/widgets.py), the endpoint (core/pickers.py)
and the estate forms that use them, through the Django test client."""

import datetime
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.core import context, services
from townhall.core.widgets import PickMany, PickOne, clean_ids
from townhall.estate import forms as estate_forms
from townhall.estate import models as m

PICK = "/pick/{}/{}/"


def component(n: int, dept=None) -> m.Component:  # noqa: ANN001
    values = {"name": f"srv-{n:04d}", "kind": "server", "status": "in_service", "quantity": 1}
    if dept is not None:
        values["owner_department"] = dept
    return services.create(context.SYSTEM, m.Component, values)


def system(name: str, dept) -> m.System:  # noqa: ANN001
    return services.create(context.SYSTEM, m.System, {"name": name, "owner_department": dept})


def service(name: str, dept) -> m.Service:  # noqa: ANN001
    return services.create(context.SYSTEM, m.Service, {"name": name, "owner_department": dept})


def vendor(name: str) -> m.Vendor:
    return services.create(context.SYSTEM, m.Vendor, {"name": name})


def checked_values(html: str, name: str) -> list[str]:
    found = []
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and re.search(r"\schecked[\s>]", tag):
            found.append(re.search(r'value="([^"]*)"', tag).group(1))
    return found


# --- the widgets --------------------------------------------------------------------------


def test_values_in_and_out():
    one, many = PickOne(), PickMany()
    assert one.format_value(None) == [] and one.format_value("") == []
    assert one.format_value(5) == ["5"]
    assert many.format_value([1, "2"]) == ["1", "2"]
    data = QueryDict("a=3&b=1&b=2")
    assert one.value_from_datadict(data, {}, "a") == "3"
    assert one.value_from_datadict(data, {}, "b") == "2"
    assert many.value_from_datadict(data, {}, "b") == ["1", "2"]
    assert many.value_from_datadict(data, {}, "none") == []
    assert many.value_from_datadict({"b": "7"}, {}, "b") == ["7"]
    assert one.value_omitted_from_data(data, {}, "zzz")
    assert not many.value_omitted_from_data(data, {}, "zzz")


def test_clean_ids_drops_what_is_not_an_id():
    bad = ["x", "", None, "1\x00", "99999999999999999999999", "-", "3", "3", 4]
    assert clean_ids(m.Component, bad) == [3, 4]


def test_widget_queries_only_the_chosen_records(departments):
    pw = departments["PW"]
    parts = [component(n, pw) for n in range(12)]
    form = estate_forms.ContractForm(initial={"components": [parts[3].pk, parts[7].pk]})
    with CaptureQueriesContext(connection) as ctx:
        html = str(form["components"])
    component_queries = [q["sql"] for q in ctx.captured_queries if "estate_component" in q["sql"]]
    assert len(component_queries) == 1 and " IN " in component_queries[0]
    assert checked_values(html, "components") == [str(parts[3].pk), str(parts[7].pk)]
    assert "srv-0003" in html and "srv-0007" in html and "srv-0005" not in html
    assert 'type="checkbox"' in html and "usa-checkbox__input" in html

    with CaptureQueriesContext(connection) as ctx:
        str(estate_forms.ContractForm()["components"])
    assert not ctx.captured_queries  # nothing chosen: nothing looked up


def test_single_optional_field_offers_none(departments):
    pw = departments["PW"]
    c = component(1, pw)
    html = str(estate_forms.DependencyForm()["from_component"])
    assert checked_values(html, "from_component") == [""]
    assert ">None</label>" in html
    html = str(estate_forms.DependencyForm(initial={"from_component": c.pk})["from_component"])
    assert checked_values(html, "from_component") == [str(c.pk)]
    assert 'type="radio"' in html and "usa-radio__input" in html
    # A bad posted value is shown as nothing chosen, never an error while rendering.
    form = estate_forms.DependencyForm({"from_component": "nope", "to_component": "10**99"})
    assert not form.is_valid()
    assert checked_values(str(form["from_component"]), "from_component") == [""]


def test_widget_markup_wires_the_search(departments):
    html = str(estate_forms.DependencyForm()["to_system"])
    assert 'hx-get="/pick/estate/system/?field=to_system&amp;multiple=0&amp;optional=1"' in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert '<label class="usa-label" for="id_to_system_q">Search systems</label>' in html
    assert 'role="status"' in html and ">Search</button>" in html
    assert "style=" not in html and "<script" not in html


def _form_page_queries(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.content)


def test_form_queries_do_not_grow_with_the_table(client_for, departments):
    pw = departments["PW"]
    client = client_for("staff")
    for n in range(10):
        component(n, pw)
    small = _form_page_queries(client, "/estate/dependencies/add/")
    small_contract = _form_page_queries(client, "/estate/contracts/add/")
    for n in range(10, 200):
        component(n, pw)
    large = _form_page_queries(client, "/estate/dependencies/add/")
    large_contract = _form_page_queries(client, "/estate/contracts/add/")
    assert small[0] == large[0] and small_contract[0] == large_contract[0]
    assert abs(large[1] - small[1]) < 200  # the page does not list the components
    assert b"srv-0150" not in client.get("/estate/dependencies/add/").content


# --- the endpoint -------------------------------------------------------------------------


def test_endpoint_requires_sign_in(client, departments):
    component(1, departments["PW"])
    response = client.get(PICK.format("estate", "component"), {"q": "srv", "field": "x"})
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


@pytest.mark.parametrize(
    "app,model",
    [
        ("estate", "nothing"),
        ("nothing", "component"),
        ("sessions", "session"),  # a real model, but not a registered record
        ("contenttypes", "contenttype"),
        ("estate", "dependency"),  # registered, but nothing to search by
        ("estate", "vendordates"),
    ],
)
def test_unknown_or_unregistered_model_is_400(client_for, app, model):
    response = client_for("viewer").get(PICK.format(app, model), {"q": "a", "field": "f"})
    assert response.status_code == 400


@pytest.mark.parametrize("field", ["", "a b", "<script>", "x" * 101, "q", "9abc", "a\x00"])
def test_malformed_field_name_is_400(client_for, field):
    response = client_for("staff").get(PICK.format("estate", "component"), {"field": field})
    assert response.status_code == 400


NASTY = [
    "",
    " ",
    "x" * 10_000,
    "é" * 500,
    "名前🙂\u200b\u202e",
    "%",
    "_",
    "\\",
    "'; DROP TABLE estate_component; --",
    '"><script>alert(1)</script>',
    "\U0010ffff" * 50,
]


@pytest.mark.parametrize("q", NASTY)
def test_nasty_search_text_never_fails(client_for, departments, q):
    component(1, departments["PW"])
    client = client_for("staff")
    for multiple in ("0", "1", "yes", ""):
        response = client.get(
            PICK.format("estate", "component"),
            {"q": q, "field": "to_component", "multiple": multiple},
        )
        assert response.status_code == 200
        assert b"<script>" not in response.content


@pytest.mark.parametrize("raw", ["q=%00srv", "q=srv%00%00", "q=%ED%A0%80", "q=%FF%FE", "q=%"])
def test_undecodable_or_nul_search_text_is_not_an_error(client_for, raw):
    # NUL is refused with 400 by core.middleware before any view; bad UTF-8 is replaced.
    response = client_for("staff").get(
        PICK.format("estate", "component"), QUERY_STRING=f"{raw}&field=to_component"
    )
    assert response.status_code in (200, 400)
    assert response.status_code == (400 if "%00" in raw else 200)


def test_nasty_chosen_values_never_fail(client_for, departments):
    c = component(1, departments["PW"])
    client = client_for("staff")
    url = PICK.format("estate", "component")
    values = ["abc", "", "1e9", "99999999999999999999999", "-1", str(c.pk), "٣", "1.0"]
    response = client.get(url, {"field": "components", "multiple": "1", "components": values})
    assert response.status_code == 200
    assert checked_values(response.content.decode(), "components") == [str(c.pk)]


def test_results_are_limited_and_searched_by_search_fields(client_for, departments):
    pw = departments["PW"]
    for n in range(25):
        component(n, pw)
    special = services.create(
        context.SYSTEM,
        m.Component,
        {"name": "core-switch", "kind": "network_device", "asset_tag": "TAG-4242"},
    )
    client = client_for("viewer")
    url = PICK.format("estate", "component")
    html = client.get(url, {"q": "srv", "field": "to_component", "multiple": "0"}).content.decode()
    assert html.count('type="radio"') == 20
    assert "More than 20 matches" in html
    assert "<legend" in html and "Matching components" in html
    assert 'id="pick_to_component_count"' in html
    # Searched by the resource's search_fields (asset tag here), not only the name.
    html = client.get(url, {"q": "tag-42", "field": "to_component"}).content.decode()
    assert f'value="{special.pk}"' in html and "1 match." in html
    html = client.get(url, {"q": "no such thing", "field": "to_component"}).content.decode()
    assert "0 matches." in html and "<fieldset" not in html
    # Checkboxes when several may be chosen; chosen ones are left out of the results and
    # sent back out of band as the chosen list.
    html = client.get(
        url, {"q": "core", "field": "components", "multiple": "1", "components": [special.pk]}
    ).content.decode()
    assert "0 matches." in html
    assert 'hx-swap-oob="true"' in html
    assert checked_values(html, "components") == [str(special.pk)]


def test_results_use_name_when_no_search_fields(client_for, departments, monkeypatch):
    from townhall.core import registry

    resource = registry.for_model(m.Location)
    monkeypatch.setattr(resource, "search_fields", ())
    services.create(context.SYSTEM, m.Location, {"name": "North yard", "kind": "office"})
    html = (
        client_for("staff")
        .get(PICK.format("estate", "location"), {"q": "north", "field": "location"})
        .content.decode()
    )
    assert "North yard" in html


def test_only_visible_records_are_searched(client_for, users):
    client = client_for("viewer")  # accounts are for administrators only
    url = PICK.format("accounts", "user")
    html = client.get(url, {"q": "1", "field": "who"}).content.decode()
    assert "0 matches." in html and "admin1" not in html
    # Even when sent as chosen values, records they may not see are not shown.
    html = client.get(url, {"field": "who", "who": users["admin"].pk}).content.decode()
    assert "admin1" not in html
    html = client_for("admin").get(url, {"q": "admin", "field": "who"}).content.decode()
    assert "admin1" in html


def test_endpoint_queries_are_constant(client_for, departments):
    pw = departments["PW"]
    client = client_for("staff")
    url = PICK.format("estate", "component")

    def count() -> int:
        chosen = list(m.Component.objects.values_list("pk", flat=True)[:3])
        params = {"q": "srv", "field": "components", "multiple": "1", "components": chosen}
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params).status_code == 200
        return len(ctx.captured_queries)

    for n in range(5):
        component(n, pw)
    few = count()
    for n in range(5, 60):
        component(n, pw)
    assert count() == few


def test_post_is_refused(client_for):
    response = client_for("staff").post(PICK.format("estate", "component"), {"field": "x"})
    assert response.status_code == 405


# --- forms through the client -------------------------------------------------------------


def _page_values(html: str, names: list[str]) -> dict[str, list[str]]:
    return {name: checked_values(html, name) for name in names}


ENDS = [f"{end}_{kind}" for end in ("from", "to") for kind in ("service", "system", "component")]


def test_dependency_round_trip(client_for, departments):
    pw = departments["PW"]
    svc = service("Permits", pw)
    sys_a = system("Permit system", pw)
    server = component(7, pw)
    client = client_for("staff")

    response = client.post(
        "/estate/dependencies/add/",
        {
            "from_service": svc.pk,
            "to_system": sys_a.pk,
            "kind": "runs_on",
            "owner_department": pw.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    dep = m.Dependency.objects.get()

    # The edit page shows the chosen ends checked and "None" for the others.
    html = client.get(f"/estate/dependencies/{dep.pk}/edit/").content.decode()
    values = _page_values(html, ENDS)
    assert values["from_service"] == [str(svc.pk)] and values["to_system"] == [str(sys_a.pk)]
    assert values["from_system"] == [""] and values["to_component"] == [""]

    # Saving the page as it is keeps both ends.
    data = {name: v[0] for name, v in values.items()}
    data.update(kind="stores_data_in", owner_department=pw.pk, version=dep.version, q="")
    assert client.post(f"/estate/dependencies/{dep.pk}/edit/", data).status_code == 302
    dep.refresh_from_db()
    assert (dep.from_service, dep.to_system, dep.kind) == (svc, sys_a, "stores_data_in")

    # Changing the target from the system to a component chosen among search results.
    data.update(to_system="", to_component=server.pk, version=dep.version)
    assert client.post(f"/estate/dependencies/{dep.pk}/edit/", data).status_code == 302
    dep.refresh_from_db()
    assert dep.to_system is None and dep.to_component == server

    # A posted id that does not exist is refused as before, and the form shows again.
    data.update(to_component=999999, version=dep.version)
    response = client.post(f"/estate/dependencies/{dep.pk}/edit/", data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_contract_round_trip(client_for, departments):
    pw = departments["PW"]
    client = client_for("staff")
    v = vendor("Acme")
    sys_a, sys_b = system("Alpha", pw), system("Beta", pw)
    parts = [component(n, pw) for n in range(3)]
    base = {
        "title": "Support",
        "vendor": v.pk,
        "kind": "support",
        "owner_department": pw.pk,
        "start": datetime.date(2025, 1, 1),
        "end": datetime.date(2027, 1, 1),
        "notice_days": 30,
        "q": "",
    }
    response = client.post(
        "/estate/contracts/add/", {**base, "systems": [sys_a.pk, sys_b.pk], "components": []}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    contract = m.Contract.objects.get()
    assert set(contract.systems.all()) == {sys_a, sys_b}

    url = f"/estate/contracts/{contract.pk}/edit/"
    html = client.get(url).content.decode()
    assert sorted(checked_values(html, "systems")) == sorted([str(sys_a.pk), str(sys_b.pk)])
    assert checked_values(html, "components") == []

    # Keep as is.
    data = {**base, "systems": checked_values(html, "systems"), "version": contract.version}
    assert client.post(url, data).status_code == 302
    contract.refresh_from_db()
    assert set(contract.systems.all()) == {sys_a, sys_b}

    # Untick one system, tick two components from search results.
    data.update(systems=[sys_b.pk], components=[parts[0].pk, parts[2].pk], version=contract.version)
    assert client.post(url, data).status_code == 302
    contract.refresh_from_db()
    assert set(contract.systems.all()) == {sys_b}
    assert set(contract.components.all()) == {parts[0], parts[2]}

    # Untick everything: an unticked checkbox is not posted at all.
    data.pop("systems")
    data.pop("components")
    data["version"] = contract.version
    assert client.post(url, data).status_code == 302
    contract.refresh_from_db()
    assert not contract.systems.exists() and not contract.components.exists()


def test_system_owners_and_vendor_are_pickers(client_for, departments):
    pw = departments["PW"]
    client = client_for("staff")
    person = services.create(context.SYSTEM, m.Person, {"name": "Pat Owner"})
    services.create(context.SYSTEM, m.Person, {"name": "Other Person"})
    v = vendor("Acme")
    sys_a = system("Alpha", pw)
    html = client.get(f"/estate/systems/{sys_a.pk}/edit/").content.decode()
    assert "Other Person" not in html and "<select" in html  # selects remain for choices
    assert checked_values(html, "business_owner") == [""]
    data = {
        "name": "Alpha",
        "owner_department": pw.pk,
        "business_owner": person.pk,
        "technical_owner": "",
        "vendor": v.pk,
        "hosting": "saas",
        "lifecycle": "active",
        "data_classification": "internal",
        "version": sys_a.version,
    }
    response = client.post(f"/estate/systems/{sys_a.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    sys_a.refresh_from_db()
    assert sys_a.business_owner == person and sys_a.vendor == v
    html = client.get(f"/estate/systems/{sys_a.pk}/edit/").content.decode()
    assert checked_values(html, "business_owner") == [str(person.pk)]
    assert "Pat Owner" in html


def test_bulk_edit_keeps_working_with_a_picker(client_for, departments):
    pw = departments["PW"]
    client = client_for("staff")
    v = vendor("Acme")
    a, b = system("Alpha", pw), system("Beta", pw)
    url = reverse("estate:system_bulk_edit")
    html = client.post(url, {"pk": [a.pk, b.pk]}).content.decode()
    assert "Leave unchanged" in html and checked_values(html, "vendor") == [""]
    response = client.post(url, {"pk": [a.pk, b.pk], "apply": "1", "vendor": v.pk})
    assert response.status_code == 302
    assert set(m.System.objects.values_list("vendor", flat=True)) == {v.pk}


def test_errors_link_to_the_pickers_search_box(client_for, departments):
    client = client_for("staff")
    response = client.post(
        "/estate/dependencies/add/", {"kind": "runs_on", "owner_department": departments["PW"].pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_from_system_q"' in html and 'id="id_from_system_q"' in html
    box = re.search(r'<input[^>]*id="id_from_system_q"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in box
