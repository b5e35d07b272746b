"""In a real browser: Xã Song An's officer opens the 2025 report on the movement, pre-filled from the registry,
writes its sections and submits it; Huyện Vũ Thư's officer finds it in the district's inbox, tries to return it
without a comment (refused), returns it with one; the commune corrects and submits again; the district accepts it;
the commune sees it accepted and the history of the steps.

The journey travels to 15 November 2025, before the 20 November deadline (session and CSRF cookies without
expiry, as in test_leader_queue)."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from deadlines.models import Fulfilment
from households import figures as registry
from movement import seed
from reports.models import UnitReport
from tests.reports.unit_report_helpers import SECTIONS, generate
from units.roles import Role

NOV_2025 = datetime(2025, 11, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def in_november_2025(settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(NOV_2025, tick=True) as traveller:
        yield traveller


def _open_reports(page: Page):
    page.get_by_test_id("nav-campaign").click()
    page.get_by_test_id("nav-unit-reports").click()
    expect(page).to_have_url(re.compile(r"/reports/unit-reports/$"))


@pytest.mark.e2e
def test_a_commune_report_is_submitted_returned_corrected_and_accepted(
    page: Page, new_page, login, in_november_2025, tree, make_user
):
    seed.load_movement(seed.read())
    generate(tree, communes=("13249",), households=30)
    song_an, vu_thu = tree.commune("13249"), tree.district("344")
    make_user(Role.COMMUNE_OFFICER, song_an, username="canbo.songan", last_name="Lê Thị", first_name="Hoà")
    make_user(Role.DISTRICT_OFFICER, vu_thu, username="ldtbxh.vuthu", last_name="Phạm Văn", first_name="Quyết")
    _rows, total = registry.movement_table(song_an, 2025)
    poor_end = total.values["poor"]["households"][9]

    # The commune opens its report: the figures are there already.
    login(page, "canbo.songan")
    _open_reports(page)
    page.get_by_test_id("report-open-2025").click()
    expect(page.get_by_test_id("report-state")).to_have_text("bản nháp")
    expect(page.get_by_test_id("figure-poor_end-value")).to_have_text(str(poor_end))
    expect(page.locator("input[name=poor_end]")).to_have_count(0)
    for name, text in SECTIONS.items():
        page.get_by_test_id(f"section-{name}").fill(text)
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("report-state")).to_have_text("đã gửi")
    expect(page.get_by_test_id("report-timeliness")).to_have_text("gửi đúng hạn")
    report = UnitReport.objects.get()

    # The district finds it in its inbox, beside its own figures.
    district = new_page()
    login(district, "ldtbxh.vuthu")
    _open_reports(district)
    district.get_by_test_id("district-inbox-link").click()
    row = district.get_by_test_id("inbox-row").filter(has_text="Xã Song An")
    expect(row.get_by_test_id("inbox-state")).to_have_text("đã gửi")
    expect(row.get_by_test_id("inbox-timeliness")).to_have_text("đúng hạn")
    expect(district.get_by_test_id("own-figures")).to_be_visible()
    row.get_by_test_id("inbox-link").click()
    district.get_by_test_id("report-step-return").click()
    expect(district.get_by_role("alert").filter(has_text="Ghi rõ nội dung cần sửa.")).to_be_visible()
    expect(district.get_by_test_id("report-state")).to_have_text("đã gửi")
    district.get_by_test_id("return-comment-input").fill("Bổ sung kết quả hỗ trợ nhà ở cho hộ nghèo ở mục II.")
    district.get_by_test_id("report-step-return").click()
    expect(district.get_by_test_id("report-state")).to_have_text("bị trả lại để sửa")

    # The commune corrects and submits again.
    page.reload()
    expect(page.get_by_test_id("report-state")).to_have_text("bị trả lại để sửa")
    expect(page.get_by_test_id("history-comment")).to_have_text("Bổ sung kết quả hỗ trợ nhà ở cho hộ nghèo ở mục II.")
    page.get_by_test_id("section-results").fill(SECTIONS["results"] + " Hỗ trợ xây mới 3 nhà đại đoàn kết.")
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("report-state")).to_have_text("đã gửi")

    # The district accepts it; the commune sees it accepted.
    district.reload()
    district.get_by_test_id("report-step-accept").click()
    expect(district.get_by_test_id("report-state")).to_have_text("đã chấp nhận")
    page.reload()
    expect(page.get_by_test_id("report-state")).to_have_text("đã chấp nhận")
    expect(page.get_by_test_id("report-submit")).to_have_count(0)
    expect(page.get_by_test_id("report-narrative")).to_contain_text("3 nhà đại đoàn kết")
    expect(page.get_by_test_id("history-row")).to_have_count(4)
    report.refresh_from_db()
    assert report.state == "accepted"
    assert Fulfilment.objects.get(deadline=report.deadline, unit=song_an).on_time
