"""The estate dashboard: its arithmetic, its numbers against hand-made records, the links
behind every number, a fixed number of queries, and who may see it."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from townhall.core import context, services
from townhall.estate import dashboard
from townhall.estate import models as m
from townhall.estate.pages.dashboard import estate_summary

URL = "/estate/dashboard/"
D = datetime.date


# --- pure arithmetic ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 11, 25), 12, D(2027, 11, 25)),
        (D(2026, 11, 25), 36, D(2029, 11, 25)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 1, 15), -13, D(2024, 12, 15)),
        (D(2026, 5, 31), 4, D(2026, 9, 30)),
    ],
)
def test_add_months(day, months, expected):
    assert dashboard.add_months(day, months) == expected


def test_support_windows():
    today = D(2028, 2, 29)
    ws = dashboard.support_windows(today)
    assert [w.key for w in ws] == ["past", "12m", "24m", "36m"]
    assert [(w.after, w.before) for w in ws] == [
        (None, today),
        (today, D(2029, 2, 28)),
        (today, D(2030, 2, 28)),
        (today, D(2031, 2, 28)),
    ]
    assert ws[0].label == "Already out of support"
    assert ws[2].label == "Support ends within 24 months"


def test_notice_window_includes_both_ends():
    assert dashboard.notice_window(D(2026, 11, 25)) == (D(2026, 11, 25), D(2027, 2, 23))
    assert dashboard.notice_window(D(2026, 12, 31), 1) == (D(2026, 12, 31), D(2027, 1, 1))


def test_bar_chart_scales_to_the_largest_value():
    chart = dashboard.bar_chart(
        [("a", 10), ("b", 5), ("c", 0), ("d", 1)],
        width=300,
        label_width=100,
        value_room=0,
        bar_height=20,
        gap=10,
    )
    assert [b.width for b in chart.bars] == [200, 100, 0, 20]
    assert [b.y for b in chart.bars] == [10, 40, 70, 100]
    assert chart.height == 130
    tiny = dashboard.bar_chart([("big", 100_000), ("small", 1)])
    assert tiny.bars[1].width == 2  # a non-zero value is never invisible
    assert dashboard.bar_chart([]).bars == []
    assert [b.width for b in dashboard.bar_chart([("x", 0)]).bars] == [0]


# --- the page ----------------------------------------------------------------------------


def _system(n, dept, **values):
    data = {
        "name": f"System {n}",
        "owner_department": dept,
        "lifecycle": "active",
        "hosting": "on_premises",
        "criticality": 2,
        "data_classification": "internal",
    }
    data.update(values)
    return services.create(context.SYSTEM, m.System, data)


@pytest.fixture
def estate(departments):
    """Hand-made records with known answers."""
    today = timezone.localdate()
    pw, fin = departments["PW"], departments["FIN"]
    person = services.create(context.SYSTEM, m.Person, {"name": "Pat Owner"})
    owners = {"business_owner": person, "technical_owner": person}
    systems = [
        _system(1, pw, end_of_support=today - datetime.timedelta(days=1), **owners),
        _system(2, pw, end_of_support=today + datetime.timedelta(days=200), **owners),
        _system(3, fin, end_of_support=dashboard.add_months(today, 12), hosting="saas"),
        _system(4, fin, end_of_support=dashboard.add_months(today, 30), lifecycle="retired"),
        _system(5, fin, lifecycle="planned", criticality=None, sanctioned=False, **owners),
        _system(6, pw, end_of_support=today, criticality=1, technical_owner=person),
    ]
    components = [
        services.create(
            context.SYSTEM,
            m.Component,
            {"name": f"srv-{i}", "kind": "server", "owner_department": pw, "end_of_support": eos},
        )
        for i, eos in enumerate(
            [today - datetime.timedelta(days=400), dashboard.add_months(today, 20), None]
        )
    ]
    vendor = services.create(context.SYSTEM, m.Vendor, {"name": "Example Vendor"})

    def contract(title, end, notice):
        return services.create(
            context.SYSTEM,
            m.Contract,
            {
                "title": title,
                "vendor": vendor,
                "end": end,
                "notice_days": notice,
                "owner_department": pw,
                "annual_cost": Decimal("1000.00"),
            },
        )

    contracts = {
        "due today": contract("Due today", today + datetime.timedelta(days=60), 60),
        "due in 90": contract("Due in 90", today + datetime.timedelta(days=120), 30),
        "due in 91": contract("Due in 91", today + datetime.timedelta(days=121), 30),
        "passed": contract("Passed", today + datetime.timedelta(days=10), 30),
        "ended": contract("Ended", today - datetime.timedelta(days=1), 0),
    }
    return {"today": today, "systems": systems, "components": components, "contracts": contracts}


def _count(rows, label):
    return next(r["value"] for r in rows if r["label"] == label)


def test_numbers_match_the_records(estate, users):
    s = estate_summary(users["viewer"], estate["today"])
    assert s["systems_total"] == 6
    assert s["components_total"] == 3
    assert _count(s["lifecycle"], "Active") == 4
    assert _count(s["lifecycle"], "Retired") == 1
    assert _count(s["lifecycle"], "Planned") == 1
    assert _count(s["lifecycle"], "Phase-out") == 0
    assert _count(s["hosting"], "SaaS") == 1
    assert _count(s["hosting"], "On premises") == 5
    tiers = {r["label"][:6]: r["value"] for r in s["tiers"]}
    assert tiers == {"Tier 1": 1, "Tier 2": 4, "Tier 3": 0, "Tier 4": 0, "Tier n": 1}
    support = {r["label"]: (r["systems"], r["components"]) for r in s["support"]}
    assert support == {
        "Already out of support": (1, 1),  # ending today is not past yet
        "Support ends within 12 months": (2, 0),  # the 12-month date itself is outside
        "Support ends within 24 months": (3, 1),
        "Support ends within 36 months": (4, 1),
    }
    assert s["without_owner"] == 3
    assert s["discovered"] == 1
    assert [c.title for c in s["notice_contracts"]] == ["Due today", "Due in 90"]
    assert s["notice_count"] == 2


def _links(html):
    return {
        href.replace("&amp;", "&"): text
        for href, text in re.findall(r'<a href="(/estate/[^"#]*)"[^>]*>(\d+)</a>', html)
    }


LIST_COUNT = re.compile(r'id="results-count">(\d+) ')


def test_every_number_links_to_the_records_behind_it(estate, client_for):
    client = client_for("board")
    html = client.get(URL).content.decode()
    links = _links(html)
    today = estate["today"]
    in_24 = dashboard.add_months(today, 24).isoformat()
    expected = {
        "/estate/systems/": "6",
        "/estate/components/": "3",
        "/estate/systems/?lifecycle=active": "4",
        "/estate/systems/?hosting=saas": "1",
        "/estate/systems/?criticality=1": "1",
        f"/estate/systems/?end_of_support_before={today.isoformat()}": "1",
        f"/estate/components/?end_of_support_before={today.isoformat()}": "1",
        f"/estate/systems/?end_of_support_after={today}&end_of_support_before={in_24}": "3",
        f"/estate/components/?end_of_support_after={today}&end_of_support_before={in_24}": "1",
        "/estate/systems/?sanctioned=false": "1",
        "/estate/systems/?without_owner=true": "3",
        "/estate/systems/?criticality_missing=true": "1",
    }
    for url, number in expected.items():
        assert links.get(url) == number, url
    first, last = dashboard.notice_window(today)
    notice = f"/estate/contracts/?notice_after={first}&notice_before={last}"
    assert links[notice] == "2"
    # Following a link lists exactly that many records (where the filter already exists).
    checked = 0
    for url, number in links.items():
        page = client.get(url).content.decode()
        found = LIST_COUNT.search(page)
        assert found, url
        if _filter_exists(client, url):
            assert found.group(1) == number, url
            checked += 1
    assert checked >= 15


def _filter_exists(client, url):
    """Whether the list page knows every parameter of the address (some are still to come)."""
    if "?" not in url:
        return True
    path, query = url.split("?", 1)
    html = client.get(path).content.decode()
    return all(f'name="{p.split("=")[0]}"' in html for p in query.split("&"))


def test_charts_are_accessible_svg_with_tables(estate, client_for):
    response = client_for("viewer").get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<svg role="img" aria-labelledby="') == 4
    assert html.count("<title id=") == 4
    assert html.count('<table class="usa-table') == 5
    main = html.split('<main id="main-content"')[1].split("</main>")[0]
    assert "style=" not in main
    assert "<script" not in main


def test_queries_do_not_grow_with_systems(departments, users, client_for):
    client = client_for("staff")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    for n in range(10):
        _system(n, departments["PW"])
    ten = queries()
    for n in range(10, 100):
        _system(n, departments["FIN"], hosting="saas", criticality=n % 4 + 1)
    assert queries() == ten


def test_anyone_signed_in_sees_it_and_no_one_else(estate, client_for, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]
    for role in ("admin", "staff", "liaison", "board", "viewer"):
        assert client_for(role).get(URL).status_code == 200


def test_counts_only_what_the_person_may_view(estate, users, monkeypatch):
    from townhall.core import permissions

    real = permissions.restrict

    def fake(qs, user, action):  # a future rule hiding Finance's records from the viewer
        qs = real(qs, user, action)
        if user.role == "viewer" and hasattr(qs.model, "owner_department"):
            return qs.exclude(owner_department__code="FIN")
        return qs

    monkeypatch.setattr(permissions, "restrict", fake)
    assert estate_summary(users["viewer"], estate["today"])["systems_total"] == 3
    assert estate_summary(users["staff"], estate["today"])["systems_total"] == 6


def test_contracts_needing_a_decision_are_the_soonest_few_and_a_link_to_all(
    estate, users, client_for, monkeypatch
):
    """A county has hundreds of notice deadlines in a quarter: the page lists the soonest
    and counts them all, whatever their number, at the same cost."""
    monkeypatch.setattr("townhall.estate.pages.dashboard.NOTICE_ROWS", 1)
    s = estate_summary(users["viewer"], estate["today"])
    assert [c.title for c in s["notice_contracts"]] == ["Due today"]
    assert s["notice_count"] == 2
    html = client_for("viewer").get(URL).content.decode()
    assert "The 1 soonest of 2" in html and "see all 2 contracts" in html
    vendor = estate["contracts"]["due today"].vendor
    client = client_for("staff")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    for n in range(5):
        services.create(
            context.SYSTEM,
            m.Contract,
            {
                "title": f"More {n}",
                "vendor": vendor,
                "end": estate["today"] + datetime.timedelta(days=70),
                "notice_days": 30,
                "owner_department": estate["systems"][0].owner_department,
            },
        )
    assert queries() == before
    assert "see all 7 contracts" in client.get(URL).content.decode()
