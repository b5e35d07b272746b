"""A browser set up in English still gets the Vietnamese product; the language switch alone changes it."""

import pytest
from playwright.sync_api import expect

from units.roles import Role


@pytest.fixture
def english_browser(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, locale="en-US", timezone_id="Asia/Ho_Chi_Minh")
    yield context.new_page()
    context.close()


@pytest.mark.e2e
def test_an_english_browser_sees_vietnamese_until_it_switches(english_browser, login, tree, make_user):
    page = english_browser
    officer = make_user(
        Role.COMMUNE_OFFICER, tree.commune("13249"), username="canbo.songan", first_name="Thảo", last_name="Lê Thị"
    )
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_test_id("login-submit")).to_have_text("Đăng nhập")

    login(page, officer.username)
    expect(page.get_by_test_id("nav-home")).to_have_text("Trang chủ")
    expect(page.get_by_test_id("nav-home")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("greeting")).to_contain_text("Lê Thị Thảo")

    page.get_by_test_id("language-switch").locator("select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("nav-home")).to_have_text("Home")
    page.get_by_test_id("nav-households").click()
    expect(page.get_by_test_id("nav-households")).to_have_text("Households")  # the choice sticks across pages
    expect(page.get_by_test_id("nav-households")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("nav-home")).not_to_have_attribute("aria-current", "page")

    page.get_by_test_id("language-switch").locator("select").select_option("vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_test_id("nav-households")).to_have_text("Hộ gia đình")
