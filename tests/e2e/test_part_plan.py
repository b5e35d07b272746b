"""In a real browser: Xã Song An's officer registers for the movement with its commitments and files its
implementation plan after the 30/09/2022 deadline (a file that is not a PDF is refused first); DOLISA then reads
on the milestones' page, province → Huyện Vũ Thư, that Song An filed late.

The journey travels to 5 October 2022, after the plan milestone's due day (session and CSRF cookies without
expiry, as in test_registry_journey)."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect
from weasyprint import HTML

from movement import seed
from units.roles import Role

FIFTH_OF_OCTOBER_2022 = datetime(2022, 10, 5, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def after_the_plan_deadline(settings, tmp_path):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(FIFTH_OF_OCTOBER_2022, tick=True) as traveller:
        yield traveller


def _plan_pdf():
    return HTML(
        string="<h1>KẾ HOẠCH</h1><p>Tổ chức thực hiện Phong trào thi đua “Vì người nghèo - Không để ai bị bỏ lại "
        "phía sau” trên địa bàn xã Song An, giai đoạn 2021-2025.</p>"
    ).write_pdf()


@pytest.mark.e2e
def test_a_commune_files_its_plan_late_and_dolisa_sees_it_late(
    page: Page, new_page, login, after_the_plan_deadline, tree, make_user
):
    seed.load_movement(seed.read())
    song_an = tree.commune("13249")
    make_user(Role.COMMUNE_OFFICER, song_an, username="canbo.songan", first_name="Hằng", last_name="Nguyễn Thị")
    make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"), username="ldtbxh.tinh")

    login(page, "canbo.songan")
    page.get_by_test_id("nav-campaign").click()
    expect(page.get_by_test_id("nav-milestones")).to_have_count(0)
    page.get_by_test_id("nav-participation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Song An")
    expect(page.get_by_test_id("plan-status")).to_have_text("chưa nộp")

    page.get_by_test_id("registration-start").click()
    form = page.get_by_test_id("registration-form")
    form.get_by_test_id("commitments").fill("Giúp 12 hộ nghèo thoát nghèo bền vững; xây dựng mô hình nuôi bò sinh sản.")
    form.get_by_test_id("households-to-lift").fill("12")
    form.get_by_test_id("support-pledged").fill("150.000.000")
    form.get_by_test_id("models-planned").fill("2")
    form.get_by_test_id("save").click()
    expect(page.get_by_test_id("registration-commitments")).to_contain_text("Giúp 12 hộ nghèo thoát nghèo")
    expect(page.get_by_test_id("registration-pledge")).to_contain_text("150.000.000")
    expect(page.get_by_test_id("registration-households")).to_have_text("12")

    page.get_by_test_id("plan-start").click()
    form = page.get_by_test_id("plan-form")
    form.get_by_test_id("plan-number").fill("45/KH-UBND")
    form.get_by_test_id("plan-date").fill("03/10/2022")
    form.get_by_test_id("plan-signer").fill("Trần Văn Thắng")
    # A picture renamed to .pdf is refused by its content, and nothing is filed.
    form.get_by_test_id("plan-file").set_input_files(
        files=[{"name": "ke-hoach.pdf", "mimeType": "application/pdf", "buffer": b"\x89PNG\r\n\x1a\n" + b"0" * 200}]
    )
    form.get_by_test_id("save").click()
    expect(page.get_by_test_id("plan-form")).to_contain_text("Tệp này không phải PDF")
    form = page.get_by_test_id("plan-form")
    expect(form.get_by_test_id("plan-number")).to_have_value("45/KH-UBND")
    form.get_by_test_id("plan-file").set_input_files(
        files=[{"name": "ke-hoach-45.pdf", "mimeType": "application/pdf", "buffer": _plan_pdf()}]
    )
    form.get_by_test_id("save").click()
    expect(page.get_by_test_id("plan-number-shown")).to_have_text("45/KH-UBND")
    expect(page.get_by_test_id("plan-status")).to_have_text("nộp muộn")

    dolisa = new_page()
    login(dolisa, "ldtbxh.tinh")
    dolisa.get_by_test_id("nav-campaign").click()
    expect(dolisa.get_by_test_id("nav-participation")).to_have_count(0)
    dolisa.get_by_test_id("nav-milestones").click()
    expect(dolisa.get_by_role("heading", level=1)).to_contain_text("Tỉnh Thái Bình")
    vu_thu = dolisa.get_by_test_id("district-row").filter(has_text="Huyện Vũ Thư")
    expect(vu_thu.locator("td").nth(2)).to_have_text("0")  # on time
    expect(vu_thu.locator("td").nth(3)).to_have_text("1")  # late
    vu_thu.get_by_test_id("district-link").click()
    expect(dolisa).to_have_url(re.compile(rf"unit={song_an.parent_id}"))
    row = dolisa.get_by_test_id("status-unit").filter(has_text="Xã Song An")
    expect(row.get_by_test_id("unit-status")).to_have_text("nộp muộn")
    expect(row).to_contain_text("45/KH-UBND")
    vu_hoi = dolisa.get_by_test_id("status-unit").filter(has_text="Xã Vũ Hội")
    expect(vu_hoi.get_by_test_id("unit-status")).to_have_text("chưa nộp")
