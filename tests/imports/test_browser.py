"""The import screens in a real browser with a real worker: upload, watch the check, confirm, see the result."""

import pytest
from playwright.sync_api import expect

from households.models import Household
from tests.e2e.conftest import browser_context_args, login, page  # noqa: F401 - the e2e fixtures
from units.roles import Role

from .conftest import family, member, workbook


@pytest.mark.e2e
def test_an_officer_imports_a_roster_and_sees_the_errors(
    page,  # noqa: F811
    login,  # noqa: F811
    celery_worker,
    make_user,
    song_an,
    vu_thu,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    make_user(Role.DISTRICT_OFFICER, vu_thu, username="canbo.vuthu", last_name="Phạm Thị", first_name="Thu Hương")
    rows = [*family("SA-001"), member("SA-002", "Bùi Văn Nam", "Chủ hộ", "01/01/1970", "Nam", village="Thôn 99")]
    path = tmp_path / "danh-sach-ho-song-an.xlsx"
    path.write_bytes(workbook(rows, title_rows=["DANH SÁCH HỘ GIA ĐÌNH XÃ SONG AN"]))

    login(page, "canbo.vuthu")
    page.goto("/imports/new/")
    form = page.get_by_test_id("import-form")
    form.get_by_test_id("import-kind").select_option("households")
    form.get_by_test_id("import-unit").select_option(str(song_an.pk))
    form.locator("[data-testid=import-mode][value=valid_only]").check()
    form.get_by_test_id("import-file").set_input_files(str(path))
    form.get_by_test_id("import-submit").click()

    expect(page.get_by_test_id("job-state")).to_have_text("Chờ xác nhận", timeout=30_000)  # the page polled
    expect(page.get_by_test_id("count-new")).to_have_text("3")
    expect(page.get_by_test_id("count-errors")).to_have_text("1")
    expect(page.get_by_test_id("job-header-row")).to_contain_text("3")
    error = page.get_by_test_id("row-error").first
    expect(error.get_by_test_id("row-error-row")).to_have_text("7")  # title, blank, header, three members
    expect(error.get_by_test_id("row-error-message")).to_contain_text("Không tìm thấy thôn “Thôn 99”")
    with page.expect_download() as download:
        page.get_by_test_id("job-error-workbook").click()
    assert download.value.suggested_filename.startswith("loi-nhap-")

    page.get_by_test_id("job-confirm").click()
    expect(page.get_by_test_id("job-state")).to_have_text("Hoàn thành", timeout=30_000)
    expect(page.get_by_test_id("job-summary")).to_contain_text("Đã nhập. Hộ: 1 mới")
    assert list(Household.objects.values_list("code", flat=True)) == ["SA-001"]
