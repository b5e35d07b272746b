"""The import screens in a real browser with a real worker: upload, watch the check, confirm, see the result."""

import re
import time

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from households.models import Household
from imports import pipeline
from imports.importers import get_importer
from tests.e2e.conftest import browser_context_args, login, page  # noqa: F401 - the e2e fixtures
from units.roles import Role

from .conftest import HEADER, family, member, workbook


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


def _bad_and_good_rows(*, fixed):
    """Six families of three, and two households of one whose rows are wrong unless `fixed`."""
    rows = [*family("SA-001"), *family("SA-002", village="Thôn 2")]
    village = "Thôn 2" if fixed else "Thôn 99"
    rows.append(member("SA-003", "Bùi Văn Nam", "Chủ hộ", "01/01/1970", "Nam", village=village))
    rows += [*family("SA-004", village="Thôn Đông Hồ"), *family("SA-005")]
    born = "28/02/1980" if fixed else "31/02/1980"
    rows.append(member("SA-006", "Lê Thị Hoa", "Chủ hộ", born, "Nữ", village="Thôn 3"))
    rows += [*family("SA-007", village="Thôn Nguyệt Lâm"), *family("SA-008")]
    return rows


def _slow_worker(monkeypatch):
    """Blocks of three rows, each reported with a pause: the progress bar has time to be seen moving.

    The worker runs in this process (a thread), so the pause applies to it; it only stretches the import, which
    otherwise takes a few milliseconds for these rows.
    """
    monkeypatch.setattr(get_importer("households"), "block_rows", 3)
    report = pipeline.Progress.update

    def slowly(self, rows_done, *, total=None):
        report(self, rows_done, total=total)
        time.sleep(0.6)

    monkeypatch.setattr(pipeline.Progress, "update", slowly)


def _download(browser_page, testid, tmp_path):
    with browser_page.expect_download() as download:
        browser_page.get_by_test_id(testid).click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return download.value.suggested_filename, load_workbook(path)


def _upload(browser_page, path, unit):
    """Upload a households roster for `unit` (all or nothing); returns the new job's number."""
    browser_page.goto("/imports/new/")
    form = browser_page.get_by_test_id("import-form")
    form.get_by_test_id("import-kind").select_option("households")
    form.get_by_test_id("import-unit").select_option(str(unit.pk))
    form.get_by_test_id("import-file").set_input_files(str(path))
    form.get_by_test_id("import-submit").click()
    expect(browser_page).to_have_url(re.compile(r"/imports/\d+/$"))
    return int(browser_page.url.rstrip("/").rsplit("/", 1)[1])


@pytest.mark.e2e
def test_a_district_officer_imports_households_from_the_template_to_the_registry(
    page,  # noqa: F811
    login,  # noqa: F811
    celery_worker,
    make_user,
    song_an,
    vu_thu,
    settings,
    tmp_path,
    monkeypatch,
):
    settings.MEDIA_ROOT = tmp_path
    _slow_worker(monkeypatch)
    make_user(Role.DISTRICT_OFFICER, vu_thu, username="canbo.vuthu", last_name="Phạm Thị", first_name="Thu Hương")
    login(page, "canbo.vuthu")

    # The template: the header row, the lists (the commune's villages) and the instructions.
    page.goto("/imports/new/")
    templates = page.get_by_test_id("template-form")
    templates.get_by_test_id("template-kind").select_option("households")
    templates.get_by_test_id("template-unit").select_option(str(song_an.pk))
    name, template = _download(page, "template-download", tmp_path)
    assert name == "mau-nhap-households-13249.xlsx"
    assert template.sheetnames == ["Dữ liệu", "Danh mục", "Hướng dẫn"]
    header = [cell.value for cell in template["Dữ liệu"][1]]
    assert header[:3] == ["Mã hộ (*)", "Xã/Phường/Thị trấn", "Thôn/Tổ dân phố (*)"]
    assert {"Họ và tên (*)", "Ngày sinh (*)", "Số CCCD"} <= set(header)
    lists = {cell for row in template["Danh mục"].iter_rows(values_only=True) for cell in row}
    assert {"Thôn 1", "Thôn Đông Hồ", "Thôn Nguyệt Lâm"} <= lists
    assert "Mã hộ" in {row[0] for row in template["Hướng dẫn"].iter_rows(values_only=True)}

    # A roster with two bad rows: nothing is written, the counts and both errors are shown.
    bad = tmp_path / "danh-sach-ho-song-an.xlsx"
    bad.write_bytes(workbook(_bad_and_good_rows(fixed=False)))
    first = _upload(page, bad, song_an)
    expect(page.get_by_test_id("job-state")).to_have_text("Có lỗi", timeout=30_000)
    expect(page.get_by_test_id("count-total")).to_have_text("20")
    expect(page.get_by_test_id("count-new")).to_have_text("18")
    expect(page.get_by_test_id("count-errors")).to_have_text("2")
    errors = page.get_by_test_id("row-error")
    expect(errors).to_have_count(2)
    expect(errors.nth(0).get_by_test_id("row-error-row")).to_have_text("8")  # header, SA-001, SA-002, then SA-003
    expect(errors.nth(0).get_by_test_id("row-error-column")).to_have_text("Thôn/Tổ dân phố")
    expect(errors.nth(0).get_by_test_id("row-error-message")).to_contain_text("Không tìm thấy thôn “Thôn 99”")
    expect(errors.nth(1).get_by_test_id("row-error-row")).to_have_text("15")
    expect(errors.nth(1).get_by_test_id("row-error-column")).to_have_text("Ngày sinh")
    expect(errors.nth(1).get_by_test_id("row-error-message")).to_have_text(
        "“31/02/1980” không phải là ngày; hãy ghi theo dạng dd/mm/yyyy."
    )
    assert not Household.objects.exists()

    # The error workbook: the two rows as they were read, and what is wrong with each in a last column.
    name, errors_book = _download(page, "job-error-workbook", tmp_path)
    assert name == f"loi-nhap-{first}.xlsx"
    rows = list(errors_book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][-1] == "Lỗi"
    assert rows[0][:-1] == tuple(HEADER)
    assert [(row[0], row[4]) for row in rows[1:]] == [("SA-003", "Bùi Văn Nam"), ("SA-006", "Lê Thị Hoa")]
    assert "Thôn 99" in rows[1][-1] and "31/02/1980" in rows[2][-1]

    # The corrected file is a new job; once confirmed, the progress bar moves until the import is done.
    fixed = tmp_path / "danh-sach-ho-song-an-da-sua.xlsx"
    fixed.write_bytes(workbook(_bad_and_good_rows(fixed=True)))
    second = _upload(page, fixed, song_an)
    assert second != first
    expect(page.get_by_test_id("job-state")).to_have_text("Chờ xác nhận", timeout=30_000)
    expect(page.get_by_test_id("count-new")).to_have_text("20")
    expect(page.get_by_test_id("count-errors")).to_have_text("0")
    page.get_by_test_id("job-confirm").click()
    meter = page.get_by_role("progressbar")
    expect(page.get_by_test_id("job-state")).to_have_text("Đang nhập", timeout=30_000)
    expect(meter).to_have_attribute("aria-valuenow", re.compile(r"^[1-9][0-9]?$"), timeout=30_000)  # under way
    percent, width = meter.evaluate(  # read together: the page updates both every second
        "meter => [meter.getAttribute('aria-valuenow'), meter.querySelector('[data-testid=job-progress-bar]')"
        ".style.width]"
    )
    assert width == f"{percent}%"
    expect(page.get_by_test_id("job-state")).to_have_text("Hoàn thành", timeout=30_000)
    expect(page.get_by_test_id("job-summary")).to_contain_text("Đã nhập. Hộ: 8 mới")
    expect(page.get_by_test_id("job-progress")).to_have_count(0)
    assert Household.objects.count() == 8

    # The households are in the registry: found by code, and by name without accents.
    page.goto("/households/")
    filters = page.get_by_test_id("household-filters")
    filters.locator("[name=q]").fill("SA-003")
    filters.get_by_test_id("search").click()
    found = page.get_by_test_id("household-row")
    expect(found).to_have_count(1)
    expect(found.first.get_by_test_id("household-link")).to_have_text("SA-003")
    expect(found.first).to_contain_text("Bùi Văn Nam")
    expect(found.first).to_contain_text("Thôn 2")
    filters.locator("[name=q]").fill("nguyen thi hong nhung")
    filters.get_by_test_id("search").click()
    expect(page.get_by_test_id("household-row")).to_have_count(6)

    # The same file again: a third job, every row unchanged, nothing to confirm.
    third = _upload(page, fixed, song_an)
    assert third not in (first, second)
    expect(page.get_by_test_id("job-state")).to_have_text("Hoàn thành", timeout=30_000)
    expect(page.get_by_test_id("count-unchanged")).to_have_text("20")
    expect(page.get_by_test_id("count-new")).to_have_text("0")
    expect(page.get_by_test_id("count-updated")).to_have_text("0")
    expect(page.get_by_test_id("job-summary")).to_contain_text("Không có gì thay đổi")
    expect(page.get_by_test_id("job-confirm")).to_have_count(0)
    assert Household.objects.count() == 8
