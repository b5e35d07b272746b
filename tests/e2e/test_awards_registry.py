"""The award registry in Chromium: DOLISA searches without accents, narrows the list to a district and downloads
it as Excel; a district officer sees only its district's awards."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.awards.registry_fixtures import build_registry


@pytest.fixture
def reg(tree, movement, make_user):
    return build_registry(tree, movement, make_user)


def rows_of(download):
    with open(download.path(), "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


@pytest.mark.e2e
def test_dolisa_searches_filters_and_exports_the_registry(page, login, reg):
    login(page, "ldtbxh.awards")
    page.goto("/awards/registry/")
    expect(page.get_by_test_id("registry-row")).to_have_count(9)

    filters = page.get_by_test_id("registry-filters")
    filters.get_by_test_id("registry-q").fill("nguyen van an")
    filters.get_by_test_id("registry-search").click()
    names = page.get_by_test_id("registry-name")
    expect(names).to_have_count(2)
    expect(names).to_have_text(["Nguyễn Văn An", "Nguyễn Văn Ân"])
    expect(page.get_by_test_id("registry-cccd").first).to_have_text("034*******34")

    filters.locator("[name=unit]").select_option(label="Huyện Vũ Thư")
    filters.get_by_test_id("registry-search").click()
    expect(names).to_have_text(["Nguyễn Văn An"])
    expect(page.get_by_test_id("registry-decision")).to_contain_text("1234/QĐ-UBND")

    with page.expect_download() as download:
        page.get_by_test_id("registry-export").click()
    assert download.value.suggested_filename.startswith("so-khen-thuong-")
    rows = rows_of(download.value)
    header = next(n for n, row in enumerate(rows) if row and row[0] == "Người, tập thể được khen")
    assert [row[0] for row in rows[header + 1 :]] == ["Nguyễn Văn An"]
    assert rows[header + 1][3] == "034*******34"

    names.first.click()
    expect(page.get_by_test_id("award-name")).to_have_text("Nguyễn Văn An")
    expect(page.get_by_test_id("award-bonus")).to_contain_text("3.510.000")

    page.go_back()
    page.get_by_test_id("registry-0603-link").click()
    form = page.get_by_test_id("period-form")
    form.locator("[name=signed_from]").fill("01/01/2024")
    form.locator("[name=signed_to]").fill("31/12/2025")
    form.get_by_test_id("period-submit").click()
    expect(page.get_by_test_id("form-0603-row").first).to_contain_text("Tổng số khen thưởng cấp tỉnh")
    expect(page.get_by_test_id("form-0603-row").first.locator("td").nth(2)).to_have_text("9")


@pytest.mark.e2e
def test_a_district_sees_only_its_awards(page, login, reg):
    login(page, "quynhphu.awards")
    page.goto("/awards/registry/?q=nguyen+van+an")
    expect(page.get_by_test_id("registry-name")).to_have_text(["Nguyễn Văn Ân"])
    other = reg.awards["Nguyễn Văn An"]
    response = page.goto(f"/awards/registry/{other.pk}/")
    assert response.status == 404
