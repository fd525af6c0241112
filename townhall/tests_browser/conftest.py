"""Browser fixtures: one headless Chromium for the package, pages that record problems,
an axe-core check and a sign-in helper.

The tests drive Debian's Chromium (/usr/bin/chromium) through Playwright; they skip, with a
reason, only when that browser is not installed. No browser is ever downloaded.
"""

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, sync_playwright

from townhall.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(settings.BASE_DIR).parent / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
# Set to a folder to keep a screenshot of every page axe checks, for looking at by eye.
SHOTS = os.environ.get("TOWNHALL_BROWSER_SHOTS", "")


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Headless Chromium, launched once for all the browser tests.

    Playwright's sync API keeps an asyncio loop running in this thread while it is alive,
    which makes Django refuse ORM calls from the test thread (fixtures, the database flush
    after each test). The flag that allows them is set only for as long as the loop runs,
    and the browser is closed when this package's tests end, so other tests are untouched.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium): no browser tests")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        pw.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class PageProblems:
    """What went wrong in a page while a test drove it."""

    csp: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_assets: list[str] = field(default_factory=list)

    def unexpected(self) -> list[str]:
        return self.csp + self.console_errors + self.page_errors + self.failed_assets


def _watch(page: Page) -> PageProblems:
    problems = PageProblems()

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type != "error":
            return
        text = msg.text
        if "Content Security Policy" in text:
            problems.csp.append(f"{page.url}: {text}")
        elif text.startswith("Failed to load resource: the server responded with a status of"):
            pass  # the page itself answering 400/403/404/409 is expected; assets are checked below
        else:
            problems.console_errors.append(f"{page.url}: {text}")

    def on_response(response: Response) -> None:
        request: Request = response.request
        if request.resource_type != "document" and response.status >= 400:
            problems.failed_assets.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.page_errors.append(f"{page.url}: {exc}"))
    page.on("response", on_response)

    def on_failed(request: Request) -> None:
        # A load the page itself gives up on (it navigated away, the tab closed) is no fault.
        if "ERR_ABORTED" not in (request.failure or ""):
            problems.failed_assets.append(f"{request.failure} {request.url}")

    page.on("requestfailed", on_failed)
    # Catches violations even when nothing is logged (the event fires for every blocked load).
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " (window.__cspViolations = window.__cspViolations || [])"
        ".push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')); });"
    )
    return problems


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """new_page() -> a fresh page in its own browser context (its own cookies).

    new_page(context_of=page) opens another tab in that page's context (same session).
    new_page(width=375) sets the viewport width. Every page is checked at the end of the
    test for CSP violations, script errors and static files that failed to load.
    """
    contexts = []
    watched: list[tuple[Page, PageProblems]] = []

    def make(context_of: Page | None = None, width: int = 1280, height: int = 900) -> Page:
        if context_of is not None:
            context = context_of.context
        else:
            context = browser.new_context(viewport={"width": width, "height": height})
            context.set_default_timeout(TIMEOUT_MS)
            contexts.append(context)
        page = context.new_page()
        watched.append((page, _watch(page)))
        return page

    yield make
    problems = []
    for page, found in watched:
        problems += found.unexpected()
        if not page.is_closed():
            problems += [f"{page.url}: CSP {v}" for v in csp_violations(page)]
    for context in contexts:
        context.close()
    assert not problems, "Problems in the browser:\n" + "\n".join(problems)


def csp_violations(page: Page) -> list[str]:
    """Violations the current document has reported through `securitypolicyviolation`."""
    try:
        return page.evaluate("window.__cspViolations || []")
    except Exception:  # noqa: BLE001 - a page mid-navigation has no document to ask
        return []


def _axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make setup-dev` (npm ci installs axe-core)")
    return AXE_JS.read_text(encoding="utf-8")


_AXE_RUN = """async (disabled) => {
  const rules = Object.fromEntries(disabled.map(id => [id, {enabled: false}]));
  const results = await axe.run(document, {resultTypes: ["violations"], rules});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html,
                              summary: n.failureSummary}))
  }));
}"""


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}  <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:200]}")
            for detail in (node["summary"] or "").splitlines():
                lines.append(f"        {detail}")
    return "\n".join(lines)


@pytest.fixture(scope="package")
def axe_source() -> str:
    return _axe_source()


@pytest.fixture
def axe_check(axe_source: str, request: pytest.FixtureRequest) -> Callable[..., None]:
    """axe_check(page): run axe-core (all its default rules, best practices included) on the
    page as it is now and fail on any violation, listing each rule and the elements at fault.

    axe_check(page, disable=("rule-id",)) leaves rules out; say why where it is used.
    The source is evaluated through the DevTools protocol, which the page's CSP does not
    govern, so the pages keep their strict policy while being checked.
    """

    shots: list[str] = []

    def check(page: Page, disable: tuple[str, ...] = ()) -> None:
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        violations = page.evaluate(_AXE_RUN, list(disable))
        if SHOTS:
            shots.append(page.url)
            name = f"{request.node.name}-{len(shots):02d}.png"
            page.screenshot(path=str(Path(SHOTS) / name), full_page=True)
        if violations:
            pytest.fail(format_violations(page.url, violations), pytrace=False)

    return check


def _sign_in(page: Page, live_server: Any, user: Any, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def sign_in() -> Callable[..., None]:
    """sign_in(page, live_server, user): sign in through the sign-in page, typing the
    username and password; returns on the home page."""
    return _sign_in
