"""The dependency page in a real browser: the Cytoscape picture, the nested lists by
keyboard, axe-core, a narrow screen, no JavaScript, and the CSP (checked by `new_page`)."""

import pytest
from playwright.sync_api import Page, expect

from townhall.conftest import PASSWORD
from townhall.core import context, services
from townhall.estate import models as m
from townhall.tests_browser.conftest import csp_violations

pytestmark = pytest.mark.browser


def make(model, name, **values):
    return services.create(context.SYSTEM, model, {"name": name, **values})


def depend(source, target, kind="runs_on"):
    values = {f"from_{source._meta.model_name}": source, "kind": kind}
    values[f"to_{target._meta.model_name}"] = target
    return services.create(context.SYSTEM, m.Dependency, values)


@pytest.fixture
def estate(transactional_db):
    """Permits → Permitting app → db-01 → SAN; the app also authenticates with Directory,
    which runs on db-01 and integrates back with the app (a cycle of two)."""
    with context.acting("system"):
        permits = make(m.Service, "Building permits")
        app = make(m.System, "Permitting app")
        directory = make(m.System, "Directory")
        db01 = make(m.Component, "db-01", kind="database")
        san = make(m.Component, "SAN", kind="storage")
        depend(permits, app)
        depend(app, db01, "stores_data_in")
        depend(app, directory, "authenticates_with")
        depend(directory, db01)
        depend(directory, app, "integrates_with")
        depend(db01, san)
    return {"permits": permits, "app": app, "directory": directory, "db01": db01, "san": san}


def address(live_server, obj, query=""):
    return f"{live_server.url}/estate/{obj._meta.verbose_name_plural}/{obj.pk}/dependencies/{query}"


def wait_for_graph(page: Page) -> None:
    page.wait_for_function("() => window.townhallGraph && window.townhallGraph.nodes().length")


def focused_name(page: Page) -> str:
    return page.evaluate(
        "() => document.activeElement ? document.activeElement.innerText.trim() : ''"
    )


def test_graph_list_keyboard_and_axe(live_server, users, estate, new_page, sign_in, axe_check):
    page = new_page()
    sign_in(page, live_server, users["viewer"])
    app = estate["app"]
    page.goto(address(live_server, app))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dependencies of Permitting app")
    crumbs = page.get_by_role("navigation", name="Breadcrumbs")
    expect(crumbs.get_by_role("link", name="Permitting app")).to_have_attribute(
        "href", app.get_absolute_url()
    )

    # The picture: every record drawn, the focus marked, a cycle's edges marked.
    wait_for_graph(page)
    graph = page.evaluate(
        """() => {
          const cy = window.townhallGraph;
          const box = document.getElementById('dependency-graph').getBoundingClientRect();
          return {
            nodes: cy.nodes().map(n => n.data('label')).sort(),
            focus: cy.nodes('[?focus]').map(n => n.data('label')),
            cycleEdges: cy.edges('[?cycle]').length,
            shapes: Object.fromEntries(cy.nodes().map(n => [n.data('label'), n.style('shape')])),
            height: box.height, width: box.width,
            visible: cy.nodes().every(n => {
              const b = n.renderedBoundingBox();
              return b.x1 >= -1 && b.y1 >= -1 && b.x2 <= box.width + 1 && b.y2 <= box.height + 1;
            }),
          };
        }"""
    )
    assert graph["nodes"] == sorted(
        ["Building permits", "Permitting app", "Directory", "db-01", "SAN"]
    )
    assert graph["focus"] == ["Permitting app"]
    assert graph["cycleEdges"] == 2
    assert graph["shapes"]["Building permits"] == "ellipse"
    assert graph["shapes"]["Directory"] == "round-rectangle"
    assert graph["shapes"]["SAN"] == "diamond"
    assert graph["height"] > 200 and graph["width"] > 200
    assert graph["visible"], "every node is inside the drawing"
    assert csp_violations(page) == [], "Cytoscape added no inline style or script"
    expect(page.locator("#dependency-graph")).to_have_attribute("role", "img")
    expect(page.get_by_text("Keyboard and screen reader users")).to_be_visible()
    legend = page.get_by_role("list", name="Legend")
    expect(legend).to_contain_text("Service: circle")
    expect(legend).to_contain_text("Component: diamond")

    # The lists: both directions, the kind of each dependency, the cycle marked.
    needs = page.locator("section", has=page.locator("#needs-heading"))
    expect(needs.get_by_role("heading")).to_have_text("What Permitting app depends on (3)")
    expect(needs).to_contain_text("Stores data in db-01 (component)")
    expect(needs).to_contain_text("cycle: already listed above")
    needed_by = page.locator("section", has=page.locator("#needed_by-heading"))
    expect(needed_by).to_contain_text("Building permits (service) runs on Permitting app")
    axe_check(page)

    # Keyboard: Tab reaches the records in the lists, Enter opens one.
    page.locator("#needs-heading").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused_name(page) == "db-01":
            break
    else:
        pytest.fail("db-01 in the list was not reached by Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{estate['db01'].get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("db-01")

    # The cycle mark jumps back up to where the record is listed in full.
    page.goto(address(live_server, app))
    wait_for_graph(page)
    page.get_by_role("link", name="cycle: already listed above").first.click()
    assert page.evaluate("location.hash") in ("#needs-heading", "#needed_by-heading")

    # Clicking a shape in the picture opens its record.
    page.goto(address(live_server, app))
    wait_for_graph(page)
    page.locator("#dependency-graph").scroll_into_view_if_needed()
    point = page.evaluate(
        """() => {
          const cy = window.townhallGraph;
          const node = cy.nodes().filter(n => n.data('label') === 'SAN')[0];
          const box = document.getElementById('dependency-graph').getBoundingClientRect();
          const p = node.renderedPosition();
          return {x: box.left + p.x, y: box.top + p.y};
        }"""
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(f"{live_server.url}{estate['san'].get_absolute_url()}")


def test_depth_limit_in_the_browser(live_server, users, estate, new_page, sign_in, axe_check):
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(address(live_server, estate["permits"], "?depth=1"))
    expect(page.get_by_text("2 more levels not shown.")).to_be_visible()
    wait_for_graph(page)
    assert page.evaluate("window.townhallGraph.nodes().length") == 2
    axe_check(page)
    page.get_by_label("Levels to show").select_option("6")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**depth=6")
    wait_for_graph(page)
    assert page.evaluate("window.townhallGraph.nodes().length") == 5
    expect(page.get_by_text("more levels not shown")).to_have_count(0)


def test_narrow_screen(live_server, users, estate, new_page, sign_in, axe_check):
    page = new_page(width=375, height=740)
    sign_in(page, live_server, users["board"])
    page.goto(address(live_server, estate["app"]))
    wait_for_graph(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the dependency page is {width}px wide on a 375px screen"
    box = page.locator("#dependency-graph").bounding_box()
    assert box and box["width"] <= 375 and box["height"] > 100
    axe_check(page)


def test_without_javascript(live_server, users, estate, browser, axe_source):
    context_ = browser.new_context(java_script_enabled=False)
    try:
        page = context_.new_page()
        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.get_by_label("Username").fill(users["viewer"].username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(address(live_server, estate["app"]))
        expect(page.locator("#dependency-graph")).to_be_hidden()
        expect(page.get_by_text("The picture needs JavaScript")).to_be_visible()
        needs = page.locator("section", has=page.locator("#needs-heading"))
        expect(needs.get_by_role("link", name="SAN")).to_have_attribute(
            "href", estate["san"].get_absolute_url()
        )
    finally:
        context_.close()
