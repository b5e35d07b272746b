"""In a real browser: the provincial Women's Union proposes a good practice with a photo, DOLISA returns it with a
comment, the union corrects it and proposes it again, DOLISA selects it and sends the half-year list; the worker
renders the numbered report, whose text lists the practice; the Emulation Board reads the list.

The journey travels to 20 June 2025, inside the movement's period and the first half-year (session and CSRF
cookies without expiry, as in test_leader_queue)."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from deadlines.models import Fulfilment
from movement import seed
from movement.models import GoodPractice, Milestone
from units.models import Unit
from units.roles import Role

JUNE_2025 = datetime(2025, 6, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TITLE = "Mô hình “Tổ hợp tác nuôi bò sinh sản” giúp phụ nữ nghèo"


@pytest.fixture
def in_june_2025(settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(JUNE_2025, tick=True) as traveller:
        yield traveller


def _open_practices(page: Page):
    page.get_by_test_id("nav-campaign").click()
    page.get_by_test_id("nav-practices").click()
    expect(page).to_have_url(re.compile(r"/movement/practices/$"))


@pytest.mark.e2e
def test_a_practice_is_proposed_returned_corrected_selected_and_listed_for_the_board(
    page: Page, new_page, login, in_june_2025, celery_worker, tree, make_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    movement = seed.load_movement(seed.read()).movement
    women = Unit.objects.get(short_name="Hội LHPN tỉnh")
    make_user(Role.UNIT_REPORTER, women, username="hlhpn.baocao", last_name="Nguyễn Thị", first_name="Hạnh")
    make_user(Role.DOLISA_STAFF, movement.lead_unit, username="sldtbxh.thidua", last_name="Trần Văn", first_name="Minh")
    make_user(Role.EMULATION_BOARD, Unit.objects.get(short_name="Ban TĐKT"), username="ban.tdkt", first_name="Thuỷ")
    photo = tmp_path / "bo-sinh-san.png"
    Image.new("RGB", (40, 30), (120, 90, 40)).save(photo, "PNG")
    not_a_photo = tmp_path / "anh-gia.jpg"
    not_a_photo.write_text("đây không phải là ảnh", encoding="utf-8")

    # The union proposes, first with a file that is not a photo.
    login(page, "hlhpn.baocao")
    _open_practices(page)
    page.get_by_test_id("practice-new").click()
    form = page.get_by_test_id("practice-form")
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=kind]").select_option("model")
    form.locator("[name=description]").fill("Hội cho hội viên nghèo vay bò giống, hướng dẫn kỹ thuật chăn nuôi.")
    form.locator("[name=results]").fill("Sau 2 năm, các hộ tham gia có thu nhập ổn định.")
    form.locator("[name=households_out_of_poverty]").fill("12")
    form.locator("[name=value_mobilised]").fill("1.200.000.000")
    form.locator("[name=files]").set_input_files(str(not_a_photo))
    page.get_by_test_id("practice-propose").click()
    expect(page.get_by_test_id("practice-form")).to_contain_text(
        "“anh-gia.jpg” không phải ảnh JPEG, PNG, tệp PDF hoặc Word (DOCX)."
    )
    assert not GoodPractice.objects.exists()
    form.locator("[name=files]").set_input_files(str(photo))
    page.get_by_test_id("practice-propose").click()
    expect(page.get_by_test_id("practice-state")).to_have_text("Đã đề xuất")
    expect(page.get_by_test_id("practice-photo")).to_be_visible()
    practice_url = page.url

    # DOLISA returns it with a comment.
    dolisa = new_page()
    login(dolisa, "sldtbxh.thidua")
    _open_practices(dolisa)
    dolisa.get_by_test_id("practices").get_by_role("link", name=TITLE).click()
    dolisa.get_by_test_id("practice-step-return").click()  # no comment: refused
    expect(dolisa.get_by_role("alert")).to_contain_text("Ghi rõ nội dung cần sửa.")
    dolisa.get_by_test_id("return-comment-input").fill("Bổ sung số người có việc làm nhờ mô hình.")
    dolisa.get_by_test_id("practice-step-return").click()
    expect(dolisa.get_by_test_id("practice-state")).to_have_text("Bị trả lại để sửa")

    # The union reads the comment, corrects and proposes again.
    page.goto(practice_url)
    expect(page.get_by_test_id("practice-history")).to_contain_text("Bổ sung số người có việc làm nhờ mô hình.")
    page.get_by_test_id("practice-edit").click()
    expect(page.get_by_test_id("return-comment")).to_contain_text("Bổ sung số người có việc làm nhờ mô hình.")
    page.get_by_test_id("practice-form").locator("[name=people_employed]").fill("35")
    page.get_by_test_id("practice-propose").click()
    expect(page.get_by_test_id("practice-state")).to_have_text("Đã đề xuất")
    expect(page.get_by_test_id("practice-figures")).to_contain_text("35")

    # DOLISA selects it, compiles the half-year and the worker renders the report.
    dolisa.goto(practice_url)
    dolisa.get_by_test_id("practice-step-select").click()
    expect(dolisa.get_by_test_id("practice-state")).to_have_text("Đã lựa chọn")
    _open_practices(dolisa)
    dolisa.get_by_test_id("compilations-link").click()
    row = dolisa.locator("[data-testid=half-year-row][data-half='2025-1']")
    expect(row).to_contain_text("1")
    row.get_by_test_id("compile").click()
    expect(dolisa.get_by_test_id("compilation-title")).to_have_text("Mô hình, cách làm hay 6 tháng đầu năm 2025")
    expect(dolisa.get_by_test_id("compilation-practices")).to_contain_text(TITLE)
    dolisa.get_by_test_id("compilation-document").click()
    expect(dolisa.get_by_test_id("document-ready")).to_be_visible(timeout=90_000)
    with dolisa.expect_download() as download:
        dolisa.get_by_test_id("document-download").click()
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages).split()
    )
    for words in [
        "UBND TỈNH THÁI BÌNH",
        "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
        "Số: 1/BC-SLĐTBXH",
        "Thái Bình, ngày 20 tháng 6 năm 2025",
        "BÁO CÁO",
        "6 tháng đầu năm 2025",
        "Hội Liên hiệp Phụ nữ tỉnh Thái Bình",
        "Tổ hợp tác nuôi bò sinh sản",
        "Người có việc làm: 35",
        "- Ban Thi đua - Khen thưởng, Sở Nội vụ (để tổng hợp);",
    ]:
        assert words in text, words
    deadline = Milestone.objects.get(movement=movement, key="good-practices-2025-06").deadline
    assert Fulfilment.objects.get(deadline=deadline).unit == movement.lead_unit

    # The Board member sees the list, its practice, and fetches the report.
    board = new_page()
    login(board, "ban.tdkt")
    expect(board.get_by_test_id("bell-count")).to_have_text("1")
    _open_practices(board)
    expect(board.get_by_test_id("practice-new")).to_have_count(0)
    board.get_by_test_id("compilations-link").click()
    expect(board.get_by_test_id("compile")).to_have_count(0)
    board.get_by_test_id("compilation-row").get_by_role("link").click()
    expect(board.get_by_test_id("compilation-practices")).to_contain_text("Hội Liên hiệp Phụ nữ tỉnh Thái Bình")
    expect(board.get_by_test_id("compilation-practices")).to_contain_text(TITLE)
    with board.expect_download() as pdf:
        board.get_by_test_id("compilation-pdf").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    with board.expect_download() as workbook:
        board.get_by_test_id("compilation-xlsx").click()
    assert workbook.value.suggested_filename == "mo-hinh-cach-lam-hay-2025-1.xlsx"
