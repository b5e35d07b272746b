"""In a real browser: DOLISA follows the reporting rate of the units' 2025 reports and sees it move once Huyện Vũ
Thư submits its report; compiles the year's summary, writes its narrative (Vietnamese with diacritics), submits it
to the Emulation Board (number 1/BC-SLĐTBXH), has the worker render the Decree 30 PDF and downloads it; the Board's
member sees the summary in the bell, opens it and acknowledges receipt; DOLISA sees it acknowledged.

(A user seeing a reminder in the bell is tests/e2e/test_remind_bell.py.) The journey travels to 24 November 2025,
before the 25 November deadline (session and CSRF cookies without expiry, as in test_ureports_journey)."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from deadlines import rates
from households import figures as registry
from movement import seed
from reports.models import Summary
from reports.unit_reports import services as report_services
from tests.e2e.test_accessibility import violations
from tests.reports.summary_helpers import NARRATIVE
from tests.reports.unit_report_helpers import SECTIONS, generate
from units.roles import Role

NOV_24 = datetime(2025, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def in_late_november_2025(settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(NOV_24, tick=True) as traveller:
        yield traveller


def _rate(counts):
    return f"{counts.rate:.1f}".replace(".", ",")


@pytest.mark.e2e
def test_dolisa_compiles_submits_and_prints_the_summary_and_the_board_acknowledges_it(
    page: Page, new_page, login, in_late_november_2025, celery_worker, tree, make_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    movement = seed.load_movement(seed.read()).movement
    generate(tree, communes=("13249", "13255"), households=25)
    vu_thu = tree.district("344")
    make_user(Role.DOLISA_STAFF, movement.lead_unit, username="sldtbxh.thidua", last_name="Vũ Đức", first_name="Hạnh")
    district = make_user(Role.DISTRICT_OFFICER, vu_thu, username="ldtbxh.vuthu")
    make_user(Role.EMULATION_BOARD, tree.participant("Ban TĐKT"), username="bantdkt.thamdinh", last_name="Đỗ Thị")
    deadline = movement.milestones.get(key="unit-report-2025").deadline

    # DOLISA follows the rate of the units' reports; Vũ Thư submits and the rate moves on reload.
    login(page, "sldtbxh.thidua")
    page.get_by_test_id("nav-campaign").click()
    page.get_by_test_id("nav-rates").click()
    form = page.get_by_test_id("rates-form")
    form.get_by_test_id("rates-year").select_option("2025")
    form.get_by_role("button", name="Xem").click()
    row = page.locator(f'[data-testid="rates-deadline"][data-deadline="{deadline.pk}"]')
    expect(row.locator('[data-field="rate"]')).to_have_text(_rate(rates.rates(deadline, tree.province).total))
    report = report_services.open_report(user=district, movement=movement, unit=vu_thu, year=2025)
    report_services.submit_report(user=district, report=report, sections=SECTIONS)
    moved = rates.rates(deadline, tree.province).total
    assert moved.submitted == 1
    page.reload()
    expect(row.locator('[data-field="rate"]')).to_have_text(_rate(moved))

    # DOLISA compiles the summary, writes its narrative and submits it.
    page.get_by_test_id("nav-campaign").click()
    page.get_by_test_id("nav-summaries").click()
    page.get_by_test_id("summary-open-2025").click()
    expect(page.get_by_test_id("summary-state")).to_have_text("bản nháp")
    _rows, total = registry.movement_table(tree.province, 2025)
    poor_end = str(total.get("poor", "households", 9))
    expect(page.get_by_test_id("summary-total-registry_poor").locator("td").last).to_have_text(poor_end)
    expect(page.get_by_test_id("summary-table-units")).to_contain_text("Huyện Vũ Thư")
    assert violations(page) == []
    for name, text in NARRATIVE.items():
        page.get_by_test_id(f"section-{name}").fill(text)
    page.get_by_test_id("summary-compile").click()
    expect(
        page.get_by_role("alert").filter(has_text="Đã lưu nội dung và tổng hợp lại các biểu số liệu.")
    ).to_be_visible()
    expect(page.get_by_test_id("section-practices")).to_have_value(NARRATIVE["practices"])
    page.get_by_test_id("summary-submit").click()
    expect(page.get_by_test_id("summary-state")).to_have_text("đã gửi")
    expect(page.get_by_test_id("summary-number")).to_contain_text("Số 1/BC")
    expect(page.get_by_test_id("summary-timeliness")).to_have_text("gửi đúng hạn")
    expect(page.get_by_test_id("summary-narrative")).to_contain_text("Tổ tiết kiệm vì phụ nữ nghèo")

    # The worker renders the Decree 30 PDF; DOLISA downloads it.
    page.get_by_test_id("summary-pdf").click()
    expect(page.get_by_test_id("document-ready")).to_be_visible(timeout=90_000)
    with page.expect_download() as download:
        page.get_by_test_id("document-download").click()
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages).split()
    )
    for words in [
        "UBND TỈNH THÁI BÌNH",
        "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
        "Số: 1/BC-SLĐTBXH",
        "Thái Bình, ngày 24 tháng 11 năm 2025",
        "BÁO CÁO",
        "Toàn tỉnh giảm hộ nghèo, vượt chỉ tiêu Ủy ban nhân dân tỉnh giao.",
        "Tổng cộng " + " ".join(str(total.get("poor", "households", c)) for c in range(1, 10)),
        "Nơi nhận:",
        "GIÁM ĐỐC",
    ]:
        assert words in text, words

    # The Board's member sees it in the bell, opens it and acknowledges receipt.
    board = new_page()
    login(board, "bantdkt.thamdinh")
    expect(board.get_by_test_id("bell-count")).to_have_text("1")
    board.get_by_test_id("bell").click()
    board.get_by_test_id("notification-link").filter(has_text="năm 2025").click()
    expect(board.get_by_test_id("summary-state")).to_have_text("đã gửi")
    expect(board.get_by_test_id("summary-form")).to_have_count(0)
    assert violations(board) == []
    board.get_by_test_id("acknowledge-comment-input").fill("Ban đã nhận đủ báo cáo và phụ lục.")
    board.get_by_test_id("summary-step-acknowledge").click()
    expect(board.get_by_test_id("summary-state")).to_have_text("đã xác nhận đã nhận")
    board.get_by_test_id("nav-campaign").click()
    board.get_by_test_id("nav-summaries").click()
    expect(board.get_by_test_id("received-state")).to_have_text("đã xác nhận đã nhận")

    # DOLISA sees it acknowledged, with the Board's comment in the history.
    page.goto(Summary.objects.get().get_absolute_url())
    expect(page.get_by_test_id("summary-state")).to_have_text("đã xác nhận đã nhận")
    expect(page.get_by_test_id("history-comment")).to_have_text("Ban đã nhận đủ báo cáo và phụ lục.")
    expect(page.get_by_test_id("summary-submit")).to_have_count(0)
