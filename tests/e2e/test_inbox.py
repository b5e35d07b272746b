"""In a real browser: the commune leader returns a review with a comment; the officer sees the bell's count, opens
the inbox, and the notification leads to the review with the leader's comment; once read, the bell is quiet.

The 2025 review period (01/09 - 14/12/2025) is closed today, so the journey travels to 15 October 2025 (session and
CSRF cookies without expiry, as in test_registry_journey)."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from households import services
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

MID_OCTOBER_2025 = datetime(2025, 10, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
CODE = "13249-00042"
COMMENT = "Kiểm tra lại chỉ số nhà ở: mái tôn mới lợp năm 2025"


@pytest.fixture
def in_october_2025(settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(MID_OCTOBER_2025, tick=True) as traveller:
        yield traveller


@pytest.fixture
def submitted_review(in_october_2025, tree, make_user):
    song_an = tree.commune("13249")
    village = Unit.objects.create(
        kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name="Thôn Nguyệt Giám", parent=song_an
    )
    officer = make_user(
        Role.COMMUNE_OFFICER, song_an, username="canbo.songan", first_name="Nhung", last_name="Nguyễn Thị Hồng"
    )
    make_user(Role.COMMUNE_LEADER, song_an, username="lanhdao.songan", first_name="Phúc", last_name="Trần Văn")
    household = services.create_household(
        user=officer,
        village=village,
        code=CODE,
        head={"full_name": "Hoàng Văn Thụ", "birth_date": date(1966, 4, 12), "sex": "M", "cccd": "034066004321"},
    )
    today = MID_OCTOBER_2025.date()
    review = services.start_review(user=officer, household=household, year=2025, today=today)
    return services.transition(user=officer, review=review, name="submit", today=today)


@pytest.mark.e2e
def test_a_returned_review_reaches_the_officer_through_the_bell(page: Page, new_page, login, submitted_review):
    login(page, "lanhdao.songan")
    page.goto(submitted_review.get_absolute_url())
    page.get_by_test_id("return-comment-input").fill(COMMENT)
    page.get_by_test_id("return").click()
    expect(page.get_by_test_id("review-state")).to_have_text("Bị trả lại để sửa")
    expect(page.get_by_test_id("bell-count")).to_have_count(0)  # the leader is not told of their own return

    officer = new_page()
    login(officer, "canbo.songan")
    expect(officer.get_by_test_id("bell-count")).to_have_text("1")
    expect(officer.get_by_test_id("bell")).to_have_attribute("aria-label", "Thông báo: 1 chưa đọc")
    officer.get_by_test_id("bell").click()

    notification = officer.get_by_test_id("notification")
    expect(notification).to_have_count(1)
    expect(notification).to_have_attribute("data-read", "false")
    expect(notification).to_contain_text(f"Kết quả rà soát năm 2025 của hộ {CODE} bị trả lại để sửa")
    expect(notification).to_contain_text(f"Trần Văn Phúc viết: {COMMENT}")
    notification.get_by_test_id("notification-link").click()

    expect(officer).to_have_url(re.compile(re.escape(submitted_review.get_absolute_url()) + "$"))
    expect(officer.get_by_test_id("return-comment")).to_contain_text(COMMENT)
    expect(officer.get_by_test_id("bell-count")).to_have_count(0)

    officer.get_by_test_id("bell").click()
    expect(officer.get_by_test_id("notification")).to_have_attribute("data-read", "true")
    expect(officer.get_by_test_id("read-all")).to_have_count(0)
