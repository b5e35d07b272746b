"""Browser-only fixtures: a Vietnamese Chromium context on the live server, a login helper, page-error capture."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

# Messages the browser logs for a page that answered with an error status on purpose (404 pages in scope tests).
_EXPECTED_CONSOLE = re.compile(r"Failed to load resource: the server responded with a status of (404|403|429)")


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    """Every page talks to the live server, as a browser set up in Vietnam would (Accept-Language vi)."""
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
    }


def _watch(page: Page, problems: list):
    """Collect the page's script errors and console errors (CSP violations are logged as such)."""
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console.{msg.type}: {msg.text}")
            if msg.type == "error" and not _EXPECTED_CONSOLE.search(msg.text)
            else None
        ),
    )


@pytest.fixture
def page(page: Page, live_server, transactional_db):
    """The pytest-playwright page, failing the test on any script error or Content-Security-Policy violation."""
    problems = []
    _watch(page, problems)
    yield page
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def new_page(new_context, live_server, transactional_db):
    """new_page(context=None) -> another page, watched like `page`.

    Without a context it opens a fresh browser context (another person on another computer, signed out);
    with `page.context` it opens a second tab of the same signed-in browser.
    """
    problems = []

    def open_page(context=None) -> Page:
        other = (context or new_context()).new_page()
        _watch(other, problems)
        return other

    yield open_page
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def login():
    """login(page, username, password=PASSWORD): sign in through the real form (no session shortcut)."""

    def sign_in(page: Page, username: str, password: str = PASSWORD):
        page.goto("/accounts/login/")
        form = page.get_by_test_id("login-form")
        expect(form).to_be_visible()
        form.locator("[name=username]").fill(username)
        form.locator("[name=password]").fill(password)
        form.get_by_test_id("login-submit").click()
        page.wait_for_load_state()

    return sign_in


def show_as_of(page: Page, day: str):
    """Pick a date in the "as of" form and press "Xem"."""
    form = page.get_by_test_id("as-of-form")
    form.locator("input[name=as_of]").fill(day)
    form.get_by_test_id("as-of-submit").click()
    expect(page).to_have_url(re.compile(rf"[?&]as_of={day}"))
