"""Every role's main pages pass axe-core (vendored in static/vendor/axe-core) with no serious or critical
violation: labels, contrast, landmarks, the page language, names of buttons and links."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from units.demo import DEMO_PASSWORD, DEMO_USERS

AXE = "/static/vendor/axe-core/axe.min.js"
BLOCKING = ("serious", "critical")


@pytest.fixture
def demo(reference_data, transactional_db):
    """The demo of `make run`, small: the real units, one account per role, a registry with this year's reviews."""
    call_command("seed_demo", households=150, stdout=io.StringIO())


def violations(page: Page):
    """axe's serious and critical violations on the page as it is now, one line per rule."""
    # Loaded from the site itself, so the Content Security Policy (script-src 'self') lets it run.
    page.add_script_tag(url=AXE)
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{v['impact']} {v['id']}: {v['help']}\n"
        + "\n".join(
            f"      {' '.join(n['target'])}: {n['failureSummary'].splitlines()[-1].strip()}" for n in v["nodes"][:5]
        )
        for v in found
        if v["impact"] in BLOCKING
    ]


def main_pages(page: Page):
    """The menu's pages for the signed-in user, then a household and one of its reviews when the user may see
    households and has any."""
    links = page.get_by_test_id("main-nav").locator("a.nav-link[data-testid^='nav-']:not([data-testid='nav-admin'])")
    urls = [links.nth(i).get_attribute("href") for i in range(links.count())]
    yield from urls
    households = page.get_by_test_id("nav-households")
    if not households.count():  # a role that sees figures, not people
        return
    page.goto(households.get_attribute("href"))
    household = page.get_by_test_id("household-link").first
    if household.count():
        url = household.evaluate(
            "link => link.href"
        )  # the address the browser resolves (the list's links are relative)
        yield url
        page.goto(url)
        review = page.get_by_test_id("timeline-year").locator("a").first
        if review.count():
            yield review.evaluate("link => link.href")


@pytest.mark.e2e
def test_every_roles_main_pages_have_no_serious_accessibility_violation(page, login, demo):
    report = {}
    page.goto("/accounts/login/")
    report["(signed out) /accounts/login/"] = violations(page)
    page.goto("/no-such-page/")
    report["(signed out) /no-such-page/"] = violations(page)
    for account in DEMO_USERS:
        login(page, account.username, DEMO_PASSWORD)
        for url in list(main_pages(page)):
            page.goto(url)
            report[f"{account.username} {page.url}"] = violations(page)  # the address reached (links may be relative)
        page.get_by_test_id("user-menu").click()
        page.get_by_test_id("logout").click()
    visited = len(report)
    failing = {where: found for where, found in report.items() if found}
    assert not failing, (
        f"axe-core found serious or critical violations on {len(failing)} of {visited} pages:\n"
        + "\n".join(f"  {where}\n" + "\n".join(f"    {line}" for line in found) for where, found in failing.items())
    )
    assert visited >= 40  # every role's menu was walked (the roles reach 6 to 10 pages each)
    # The pages with the most forms and tables were reached, not skipped: a household and one of its reviews.
    assert any(re.search(r"/households/\d+/$", where) for where in report), "\n".join(sorted(report))
    assert any("/reviews/" in where for where in report), sorted(report)
