"""An officer types an income in a real browser: an ambiguous figure is refused in Vietnamese with an example, a
very low one is saved only once confirmed, and the causes of poverty are greyed out for a household not poor.

As in the registry journey, the clock of the test process is on 15 October 2025 (the 2025 period open) and the
session and CSRF cookies are browser-session cookies, so the browser's own clock does not expire them.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from households import services
from households.models import Review
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

MID_OCTOBER_2025 = datetime(2025, 10, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def review(settings, tree, make_user):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(MID_OCTOBER_2025, tick=True):
        song_an = tree.commune("13249")
        village = Unit.objects.create(
            kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name="Thôn Nguyệt Lâm", parent=song_an
        )
        officer = make_user(Role.COMMUNE_OFFICER, song_an, username="canbo.songan", last_name="Lê Thị", first_name="Hà")
        household = services.create_household(
            user=officer,
            village=village,
            code="13249-00108",
            head={"full_name": "Bùi Thị Nguyệt", "birth_date": date(1949, 7, 19), "sex": "F", "cccd": "034149001108"},
        )
        yield services.start_review(user=officer, household=household, year=2025, today=MID_OCTOBER_2025.date())


@pytest.mark.e2e
def test_an_ambiguous_income_is_refused_and_a_low_one_must_be_confirmed(page, login, review):
    login(page, "canbo.songan")
    page.goto(review.get_absolute_url())
    form = page.get_by_test_id("review-form")
    income = form.locator("[name=income]")

    # "1.500,5": one and a half thousand, or a typing slip? Nothing is guessed.
    income.fill("1.500,5")
    form.get_by_test_id("save").click()
    field = page.get_by_test_id("income-field")
    expect(field).to_contain_text("Không đọc được “1.500,5” thành số tiền (đồng).")
    expect(field).to_contain_text("Nhập thu nhập như 1.500.000 hoặc 1500000.")
    expect(income).to_have_value("1.500,5")
    assert Review.objects.get(pk=review.pk).version == review.version

    # 50.000 đ a month is read, but saved only once the officer confirms it.
    income.fill("50.000")
    form.get_by_test_id("save").click()
    expect(field).to_contain_text("Thu nhập 50.000 đ/người/tháng là rất thấp (dưới 100.000 đ)")
    confirmation = page.get_by_label("Tôi xác nhận thu nhập này đúng")
    expect(confirmation).not_to_be_checked()
    assert Review.objects.get(pk=review.pk).income == 0

    confirmation.check()
    page.get_by_test_id("review-form").get_by_test_id("save").click()
    expect(page.get_by_role("alert").filter(has_text="Đã lưu phiếu rà soát.")).to_be_visible()
    expect(page.get_by_test_id("review-form").locator("[name=income]")).to_have_value("50.000")
    assert Review.objects.get(pk=review.pk).income == 50_000

    # Near-poor (no deprivation): causes of poverty cannot be ticked, and the page says why.
    expect(page.get_by_test_id("live-class")).to_have_text("Hộ cận nghèo")
    expect(page.get_by_test_id("causes-note")).to_be_visible()
    expect(page.get_by_label("Thiếu vốn sản xuất, kinh doanh")).to_be_disabled()
