"""A bank records a preferential loan for a household by its registry code; the commune officer sees it on the
household's page; the bank never opens the registry; a wrong code and a negative value are refused in Vietnamese."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from movement import seed
from tests.movement.ledger import HEAD, Ledger


@pytest.fixture
def ledger(tree, make_user):
    seed.load_movement(seed.read())
    return Ledger(tree, make_user)


def fill_support(page, code, value):
    page.get_by_test_id("support-code").fill(code)
    page.get_by_test_id("support-kind").select_option("loan")
    page.get_by_test_id("support-value").fill(value)
    page.get_by_test_id("support-date").fill("2025-03-15")
    page.get_by_test_id("support-save").click()


@pytest.mark.e2e
def test_a_bank_records_support_and_the_commune_sees_it(page, new_page, login, ledger):
    login(page, "nganhang")
    page.get_by_test_id("nav-campaign").click()
    page.get_by_test_id("nav-support").click()
    expect(page.locator("h1")).to_have_text("Hỗ trợ hộ nghèo")
    page.get_by_test_id("support-new").click()

    # A code that is no household: refused, and nothing about the registry is shown.
    fill_support(page, "13249-99999", "50.000.000")
    expect(page.get_by_test_id("support-form")).to_contain_text("Mã hộ 13249-99999 không phải là hộ có thể nhận hỗ trợ")
    # A real household's code with a negative value: refused before anything is saved, and no name shown.
    fill_support(page, "13249-00017", "-50.000.000")
    expect(page.get_by_test_id("support-form")).to_contain_text("Giá trị hỗ trợ không thể âm")
    expect(page.locator("main")).not_to_contain_text(HEAD)

    # The same code typed with spaces and a long dash finds the household.
    fill_support(page, "  13249 – 00017 ", "50.000.000")
    expect(page.get_by_test_id("support-row")).to_have_count(1)
    row = page.get_by_test_id("support-row")
    expect(row.get_by_test_id("support-household-code")).to_have_text("13249-00017")
    expect(row).to_contain_text(HEAD)  # once saved, the giver sees whom it supported
    expect(row.get_by_test_id("support-kind-cell")).to_have_text("Vay vốn ưu đãi")
    expect(row.get_by_test_id("support-value-cell")).to_have_text("50.000.000 đ")
    expect(page.get_by_test_id("support-totals")).to_contain_text("50.000.000 đ")

    # The registry stays closed to the bank: the list and the household's own page do not exist for it.
    for url in (reverse("households:list"), reverse("households:detail", args=[ledger.first.pk])):
        response = page.goto(url)
        assert response.status == 404
        expect(page.get_by_test_id("not-found")).to_be_visible()
        expect(page.locator("main")).not_to_contain_text(HEAD)

    # The commune officer of Xã Song An sees the loan on the household's page.
    officer = new_page()
    login(officer, "canbo.songan")
    officer.goto(reverse("households:detail", args=[ledger.first.pk]))
    support = officer.get_by_test_id("household-support-row")
    expect(support).to_have_count(1)
    expect(support.get_by_test_id("household-support-giver")).to_have_text("NHCSXH Thái Bình")
    expect(support.get_by_test_id("household-support-kind")).to_have_text("Vay vốn ưu đãi")
    expect(support.get_by_test_id("household-support-value")).to_have_text("50.000.000 đ")
