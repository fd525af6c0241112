"""The pages in a real browser: a department's whole life through the UI, a conflicting
edit, axe-core on every page visited, keyboard use, a narrow screen and the CSP."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from townhall.conftest import PASSWORD
from townhall.core import context, services
from townhall.org.models import Department
from townhall.tests_browser.conftest import csp_violations

pytestmark = pytest.mark.browser

DEPT_URL = "/org/departments/"

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, type: el.type || "",
    name: (el.getAttribute("aria-label") || label || el.innerText || el.value || "").trim(),
    inMain: !!el.closest("main"), inNav: !!el.closest("nav.usa-nav"),
    inFooter: !!el.closest("footer"), shown: box.width > 0 && box.height > 0,
  };
}"""


def focused(page: Page) -> dict[str, Any] | None:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, name: str, limit: int = 60, key: str = "Tab") -> dict[str, Any]:
    """Press Tab until the focused element's name is `name` (a required field's name ends in
    " *"); fail if it never is."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        el = focused(page)
        if el and el["name"].removesuffix(" *") == name:
            return el
        seen.append(el and el["name"])
    pytest.fail(f"{name!r} was not reached by {key}; focus went through {seen}")


# --- the life of a department -------------------------------------------------------------


def test_department_life_with_conflict(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()

    # Sign in, typing, from the sign-in page (checked empty and after a failed try too).
    page.goto(f"{url}/accounts/sign-in/")
    axe_check(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#form-errors")).to_contain_text("Not signed in")
    axe_check(page)
    page.get_by_label("Username").press_sequentially(users["staff"].username)
    page.get_by_label("Password").press_sequentially(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Juniper County (fictional demo)")
    axe_check(page)

    # The main navigation: Organization › Departments.
    nav = page.get_by_role("navigation", name="Primary navigation")
    nav.get_by_role("button", name="Organization").click()
    nav.get_by_role("link", name="Departments").click()
    page.wait_for_url(f"{url}{DEPT_URL}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Departments")
    axe_check(page)

    # A filter (htmx swaps the results in and pushes the address) and a sort.
    pw = departments["PW"]
    page.get_by_label("Part of").select_option(label="Public Works")
    page.wait_for_url(re.compile(rf"parent={pw.pk}"))
    expect(page.locator("#results-count")).to_have_text("0 departments match")
    expect(page.locator("#results-status")).to_have_text("0 departments match")
    axe_check(page)
    page.get_by_role("link", name="Clear").click()
    page.wait_for_url(f"{url}{DEPT_URL}")
    page.get_by_role("link", name=re.compile(r"^Code")).click()
    page.wait_for_url(re.compile(r"sort=code"))
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Code")
    page.get_by_role("link", name=re.compile(r"^Code")).click()
    page.wait_for_url(re.compile(r"sort=-code"))
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Code")
    expect(page.locator("tbody tr td:nth-child(3)")).to_have_text(["PW", "FIN"])
    axe_check(page)

    # Open a department.
    page.get_by_role("link", name="Public Works", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Public Works")
    axe_check(page)

    # Add one: first empty (errors), then filled in.
    page.goto(f"{url}{DEPT_URL}")
    page.get_by_role("link", name="Add department").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add department")
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    summary = page.locator("#form-errors")
    expect(summary).to_contain_text("Not saved")
    expect(summary).to_contain_text("Name: This field is required.")
    expect(summary.get_by_role("link", name="Name")).to_have_attribute("href", "#id_name")
    expect(page.get_by_label("Name")).to_have_attribute("aria-invalid", "true")
    axe_check(page)
    page.get_by_label("Name").fill("Information Technology")
    page.get_by_label("Code").fill("IT")
    page.get_by_label("Employees").fill("12")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Information Technology")
    expect(page.locator(".th-messages")).to_contain_text("Added department")
    axe_check(page)
    detail_url = page.url

    # Edit it.
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Information Technology")
    axe_check(page)
    page.get_by_label("Employees").fill("15")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(detail_url)
    expect(page.locator(".th-fields")).to_contain_text("15")

    # A conflicting edit: two tabs open the form; the first saves, then the second.
    edit_url = detail_url + "edit/"
    first = page
    second = new_page(context_of=page)
    first.goto(edit_url)
    second.goto(edit_url)
    first.get_by_label("Notes").fill("Set by the first writer")
    first.get_by_role("button", name="Save").click()
    first.wait_for_url(detail_url)
    second.get_by_label("Notes").fill("Set by the second writer")
    second.get_by_label("Employees").fill("99")
    second.get_by_role("button", name="Save").click()
    conflict = second.locator("#conflict")
    expect(conflict).to_contain_text("changed this department while you were editing")
    expect(conflict).to_contain_text("Nothing was overwritten")
    table = conflict.get_by_role("table", name="What changed meanwhile")
    row = table.get_by_role("row", name=re.compile(r"^Notes"))
    expect(row.get_by_role("cell")).to_have_text(["—", "Set by the first writer", "staff1"])
    expect(table.get_by_role("row")).to_have_count(2)  # the header and Notes only
    expect(second.get_by_label("Notes")).to_have_value("Set by the second writer")
    axe_check(second)
    second.goto(detail_url)
    fields = second.locator(".th-fields")
    expect(fields).to_contain_text("Set by the first writer")
    expect(fields).to_contain_text("15")
    expect(fields).not_to_contain_text("99")
    expect(fields).not_to_contain_text("second writer")
    second.close()

    # History, then delete through the confirmation page.
    page.goto(detail_url)
    page.get_by_role("link", name="History", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of Information Technology")
    expect(page.locator("main table")).to_contain_text("Set by the first writer")
    axe_check(page)
    page.goto(detail_url)
    page.get_by_role("link", name="Delete", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete Information Technology?")
    axe_check(page)
    page.get_by_role("button", name="Delete department").click()
    page.wait_for_url(f"{url}{DEPT_URL}")
    expect(page.locator(".th-messages")).to_contain_text("Deleted department")
    expect(page.get_by_role("link", name="Information Technology")).to_have_count(0)
    axe_check(page)
    assert not Department.objects.filter(code="IT").exists()


# --- the other pages ----------------------------------------------------------------------


def test_other_pages_are_accessible(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check, settings
):
    settings.EXPORT_INLINE_LIMIT = 1  # so that exporting two rows makes a background job
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])

    # Search from the header.
    page.get_by_role("searchbox", name="Search all records").fill("Public")
    page.get_by_role("searchbox", name="Search all records").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("link", name="Public Works")).to_be_visible()
    axe_check(page)

    # The audit log and one of its entries, from the Records page's latest changes.
    page.goto(f"{url}/records/")
    page.get_by_role("link", name="The whole audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    axe_check(page)
    page.locator("main tbody tr th a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Created department")
    axe_check(page)

    # An export large enough to run in the background: its page, then the list of jobs.
    page.goto(f"{url}{DEPT_URL}")
    page.get_by_role("link", name="Export CSV").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Export of departments (CSV)")
    expect(page.get_by_role("link", name="Download the file")).to_be_visible()
    axe_check(page)
    nav = page.get_by_role("navigation", name="Primary navigation")
    nav.get_by_role("button", name="Records & tools").click()
    nav.get_by_role("link", name="Background jobs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Background jobs")
    expect(page.get_by_role("link", name="Export of departments (CSV)")).to_be_visible()
    axe_check(page)

    # Documents, a missing page, the password page (also with errors).
    for path, title in [
        ("/org/documents/", "Documents"),
        ("/org/documents/add/", "Add document"),
        (f"{DEPT_URL}999999/", "Page not found"),
    ]:
        page.goto(url + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        axe_check(page)
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    axe_check(page)
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("#form-errors")).to_be_visible()
    axe_check(page)


def test_viewer_is_refused_an_edit_page(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    page = new_page()
    sign_in(page, live_server, users["viewer"])
    response = page.goto(f"{live_server.url}{DEPT_URL}{departments['PW'].pk}/edit/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access")
    axe_check(page)


def test_admin_user_list(transactional_db, live_server, users, new_page, sign_in, axe_check):
    page = new_page()
    sign_in(page, live_server, users["admin"])
    nav = page.get_by_role("navigation", name="Primary navigation")
    nav.get_by_role("button", name="Records & tools").click()
    nav.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    expect(page.get_by_role("link", name="viewer1")).to_be_visible()
    axe_check(page)


# --- keyboard -----------------------------------------------------------------------------


def test_skip_link_by_keyboard(transactional_db, live_server, new_page):
    page = new_page()
    page.goto(f"{live_server.url}/accounts/sign-in/")
    first = tab_to(page, "Skip to main content", limit=1)
    assert first["tag"] == "a" and first["shown"], "the skip link shows when it has focus"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    after = tab_to(page, "Username", limit=1)
    assert after["inMain"]


@pytest.fixture
def three_departments(departments) -> dict[str, Department]:
    with context.acting("system"):
        parks = services.create(context.SYSTEM, Department, {"name": "Parks", "code": "PK"})
    return {**departments, "PK": parks}


def test_keyboard_navigation_and_bulk_edit(
    transactional_db, live_server, users, three_departments, new_page, sign_in, axe_check
):
    page = new_page()
    sign_in(page, live_server, users["staff"])

    # The main menu opens with Enter and its links follow by Tab.
    menu = tab_to(page, "Organization")
    assert menu["inNav"] and menu["tag"] == "button"
    button = page.get_by_role("button", name="Organization")
    expect(button).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.locator("nav.usa-nav").get_by_role("link", name="Departments")).to_be_visible()
    tab_to(page, "Departments", limit=1)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{DEPT_URL}")

    # Every row, the Export and Edit buttons are reachable by Tab, in reading order.
    order = []
    for _ in range(80):
        page.keyboard.press("Tab")
        el = focused(page)
        if el is None or el["inFooter"]:
            break
        assert el["shown"], f"{el} has focus but is not shown"
        order.append(el["name"])
    wanted = [
        "Export CSV",
        "Export Excel",
        "Edit selected",
        "Delete selected",
        "Select Finance",
        "Finance",
        "Select Parks",
        "Parks",
        "Select Public Works",
        "Public Works",
    ]
    missing = [name for name in wanted if name not in order]
    assert not missing, f"not reachable by Tab: {missing}; reached {order}"
    positions = [order.index(name) for name in wanted]
    assert positions == sorted(positions), f"tab order is not reading order: {order}"

    # Pick two rows with the keyboard and press Edit selected.
    for name in ("Select Finance", "Select Parks"):
        page.get_by_label(name).focus()
        page.keyboard.press("Space")
        expect(page.get_by_label(name)).to_be_checked()
    page.get_by_role("button", name="Edit selected").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit 2 departments")
    axe_check(page)
    page.get_by_label("Parent").select_option(label="Public Works")
    page.get_by_role("button", name="Apply to 2").click()
    page.wait_for_url(f"{live_server.url}{DEPT_URL}")
    expect(page.locator(".th-messages")).to_contain_text("Changed 2 departments")
    for name in ("Finance", "Parks"):
        row = page.locator("tbody tr", has=page.get_by_role("link", name=name, exact=True))
        expect(row).to_contain_text("Public Works")
    axe_check(page)


# --- narrow screens -----------------------------------------------------------------------


def test_menu_on_a_narrow_screen(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    page = new_page(width=375, height=740)
    sign_in(page, live_server, users["staff"])
    menu = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Primary navigation")
    expect(menu).to_be_visible()
    expect(nav).to_be_hidden()
    axe_check(page)
    menu.click()
    expect(nav).to_be_visible()
    # The open menu hides the page behind it, as a dialog does, main and h1 included.
    axe_check(page, disable=("landmark-one-main", "page-has-heading-one"))
    assert page.evaluate("document.querySelector('main').inert"), "the page behind is inert"
    nav.get_by_role("button", name="Organization").click()
    nav.get_by_role("link", name="Departments").click()
    page.wait_for_url(f"{live_server.url}{DEPT_URL}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Departments")
    axe_check(page)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Close").click()
    expect(nav).to_be_hidden()
    assert not page.evaluate("document.querySelector('main').inert")

    # Nothing is wider than the screen (WCAG reflow): wide tables scroll in their own box.
    pk = departments["PW"].pk
    for path in ["/", DEPT_URL, f"{DEPT_URL}{pk}/", f"{DEPT_URL}{pk}/history/", "/audit/"]:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide on a 375px screen"
    axe_check(page)


# Where each menu entry, the header and the account links and search sit on the screen.
HEADER_BOXES = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  return {
    items: [...document.querySelectorAll(".usa-nav__primary > .usa-nav__primary-item")].map(box),
    header: box(document.querySelector(".usa-header")),
    secondary: box(document.querySelector(".usa-nav__secondary")),
    page: document.documentElement.scrollWidth,
  };
}"""


def test_the_menu_and_wide_tables_on_a_wide_screen(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    """Every section of the menu is on the screen, none under the account links or the
    search, and a list wider than its box shows a shadow at the edge it scrolls to."""
    from townhall.estate.models import Component

    with context.acting("system"):
        services.create(
            context.SYSTEM,
            Component,
            {
                "name": "Core switch with a long name for the list's first column",
                "kind": "network_device",
                "manufacturer": "Northwind Hardware Manufacturing",
                "model_number": "NW-9000 Series Extended Chassis",
                "owner_department": departments["PW"],
            },
        )
    page = new_page(width=1280, height=900)
    sign_in(page, live_server, users["admin"])
    page.goto(f"{live_server.url}/estate/components/")
    boxes = page.evaluate(HEADER_BOXES)
    assert len(boxes["items"]) > 10
    for item in boxes["items"]:
        assert item["right"] <= boxes["header"]["right"] + 1, f"a menu entry ends at {item}"
        clear = item["top"] >= boxes["secondary"]["bottom"] or (
            item["right"] <= boxes["secondary"]["left"]
        )
        assert clear, f"a menu entry {item} is under the account links {boxes['secondary']}"
    assert boxes["page"] <= 1280
    region = page.locator(".usa-table-container--scrollable").first
    sizes = region.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] > sizes[1], f"the list fits its box ({sizes}); the test needs it wider"
    shadow = region.evaluate("(el) => getComputedStyle(el).backgroundImage")
    assert shadow.count("radial-gradient") == 2, shadow
    axe_check(page)


def test_list_filters_fold_on_a_phone_and_open_on_a_wide_screen(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    """On a phone the first row is in the first screenful; the filters are one keyboard
    press away. On a wide screen they are open beside the list."""
    from townhall.estate.models import System

    with context.acting("system"):
        for n in range(30):
            services.create(
                context.SYSTEM,
                System,
                {
                    "name": f"System {n:02d}",
                    "owner_department": departments["PW" if n % 2 else "FIN"],
                },
            )
    url = f"{live_server.url}/estate/systems/"
    phone = new_page(width=390, height=844)
    sign_in(phone, live_server, users["staff"])
    phone.goto(url)
    first_row = phone.locator("#results tbody tr").first
    expect(first_row).to_be_visible()
    top = first_row.bounding_box()["y"]  # from the top of the screen, nothing scrolled
    assert top + first_row.bounding_box()["height"] <= 844, f"first row at {top}px"
    search = phone.get_by_label("Search", exact=True)
    expect(search).to_be_hidden()
    axe_check(phone)
    # From the keyboard: Tab to the folded filters, open them, filter, see fewer rows.
    tab_to(phone, "Filter", limit=40)
    phone.keyboard.press("Enter")
    expect(search).to_be_visible()
    search.focus()
    phone.keyboard.type("System 0")
    phone.keyboard.press("Enter")
    expect(phone.locator("#results-count")).to_have_text("10 systems match")
    axe_check(phone)

    wide = new_page(width=1280)
    sign_in(wide, live_server, users["staff"])
    wide.goto(url)
    expect(wide.get_by_label("Search", exact=True)).to_be_visible()
    assert wide.evaluate("document.querySelector('details[data-open-wide]').open")
    axe_check(wide)


# --- content security policy --------------------------------------------------------------

# Whether USWDS's and Townhall's CSS and scripts all came through.
LOADED = """() => ({
  uswdsCss: getComputedStyle(document.querySelector(".usa-skipnav")).position === "absolute",
  townhallCss: getComputedStyle(document.querySelector("main")).paddingTop === "16px",
  uswdsJs: !document.documentElement.classList.contains("usa-js-loading"),
  htmx: typeof window.htmx === "object",
})"""


def test_pages_keep_to_the_content_security_policy(
    transactional_db, live_server, users, departments, new_page, sign_in
):
    """No CSP bypass anywhere: every page loads its CSS and scripts with nothing refused."""
    page = new_page()
    refused = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    sign_in(page, live_server, users["staff"])
    pk = departments["PW"].pk
    for path in [
        "/",
        DEPT_URL,
        f"{DEPT_URL}?parent={pk}",
        f"{DEPT_URL}{pk}/",
        f"{DEPT_URL}{pk}/edit/",
        f"{DEPT_URL}add/",
        "/org/documents/add/",
        "/audit/",
        "/search/?q=Pub",
        "/accounts/password/",
        "/no-such-page/",
    ]:
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        loaded = page.evaluate(LOADED)
        assert all(loaded.values()), f"{path}: not everything loaded: {loaded}"
        assert csp_violations(page) == [], path
    page.goto(live_server.url + DEPT_URL)
    page.get_by_label("Part of").select_option(label="Public Works")  # an htmx swap, too
    page.wait_for_url(re.compile(r"parent="))
    assert csp_violations(page) == []
    assert refused == []
