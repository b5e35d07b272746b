"""Signing in, lockout after repeated failures, changing one's password."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from units.roles import Role

WRONG_PASSWORD = "Sai-mật-khẩu-123"
NEW_PASSWORD = "Mật-khẩu-mới-Thái-Bình-2026"


@pytest.fixture
def officer(tree, make_user):
    return make_user(
        Role.COMMUNE_OFFICER, tree.commune("13249"), username="canbo.songan", first_name="Hương", last_name="Nguyễn Thị"
    )


def expect_signed_out(page):
    """No user menu, and the home page sends the browser back to the sign-in form."""
    expect(page.get_by_test_id("user-menu")).to_have_count(0)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_test_id("login-form")).to_be_visible()


@pytest.mark.e2e
def test_five_wrong_passwords_lock_the_account(page, login, officer):
    for _attempt in range(4):
        login(page, officer.username, WRONG_PASSWORD)
        expect(page.get_by_test_id("login-error")).to_contain_text("Sai tên đăng nhập hoặc mật khẩu")
        expect(page.get_by_test_id("locked-out")).to_have_count(0)

    login(page, officer.username, WRONG_PASSWORD)  # the fifth failure reaches the limit
    expect(page.get_by_test_id("login-error").or_(page.get_by_test_id("locked-out"))).to_be_visible()

    login(page, officer.username, PASSWORD)  # even the right password no longer opens the account
    expect(page.get_by_test_id("locked-out")).to_be_visible()
    expect(page.get_by_test_id("locked-out")).to_contain_text("30 phút")
    expect_signed_out(page)


@pytest.mark.e2e
def test_change_password_then_sign_in_with_the_new_one(page, login, officer):
    login(page, officer.username)
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("password-change-link").click()

    form = page.get_by_test_id("password-change-form")
    form.locator("[name=old_password]").fill(PASSWORD)
    form.locator("[name=new_password1]").fill(NEW_PASSWORD)
    form.locator("[name=new_password2]").fill(NEW_PASSWORD)
    page.get_by_test_id("password-change-submit").click()
    expect(page.get_by_test_id("password-changed")).to_be_visible()

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("login-form")).to_be_visible()

    login(page, officer.username, PASSWORD)
    expect(page.get_by_test_id("login-error")).to_contain_text("Sai tên đăng nhập hoặc mật khẩu")

    login(page, officer.username, NEW_PASSWORD)
    expect(page.get_by_test_id("greeting")).to_contain_text("Nguyễn Thị Hương")


@pytest.mark.e2e
def test_an_administrator_hands_a_new_account_a_link_to_set_its_password(page, new_page, login, tree, make_user):
    newcomer = make_user(
        Role.COMMUNE_OFFICER,
        tree.commune("13249"),
        username="tonnu.thi.ngoc.bich",
        last_name="Tôn Nữ Thị Ngọc",
        first_name="Bích",
        password=None,
    )
    make_user(is_superuser=True, is_staff=True, username="quantri", last_name="Hoàng Minh", first_name="Tuấn")

    login(page, "quantri")
    page.goto("/admin/units/user/")
    page.locator(f"input.action-select[value='{newcomer.pk}']").check()
    page.locator("select[name=action]").select_option("password_links")
    page.locator("button[name=index]").click()
    card = page.get_by_test_id("password-link-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Tôn Nữ Thị Ngọc Bích")
    expect(card).to_contain_text("Cán bộ xã — Xã Song An")
    expect(card.locator("svg")).to_be_visible()  # the QR code for a printed sheet
    link = card.get_by_test_id("password-link").get_attribute("href")

    owner = new_page()  # the owner, on their own computer
    owner.goto(link)
    expect(owner.get_by_test_id("password-set-for")).to_contain_text("tonnu.thi.ngoc.bich")
    form = owner.get_by_test_id("password-set-form")
    form.locator("[name=new_password1]").fill(NEW_PASSWORD)
    form.locator("[name=new_password2]").fill("Mật-khẩu-khác-2026")
    owner.get_by_test_id("password-set-submit").click()
    expect(owner.get_by_test_id("password-set-form")).to_contain_text("Hai trường mật khẩu không giống nhau")
    form = owner.get_by_test_id("password-set-form")
    form.locator("[name=new_password1]").fill(NEW_PASSWORD)
    form.locator("[name=new_password2]").fill(NEW_PASSWORD)
    owner.get_by_test_id("password-set-submit").click()
    expect(owner.get_by_test_id("password-set-done")).to_be_visible()

    login(owner, newcomer.username, NEW_PASSWORD)
    expect(owner.get_by_test_id("greeting")).to_contain_text("Tôn Nữ Thị Ngọc Bích")

    owner.goto(link)  # used once: it does not work again
    expect(owner.get_by_test_id("password-link-invalid")).to_be_visible()
