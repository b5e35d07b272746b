"""Exports in the browser: the filtered list, its members and a unit's tree as Excel files; a big list is written
by the worker while the page shows progress."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from households.models import Household, Member, PovertyStandard, Review
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role


@pytest.fixture
def song_an_registry(tree, make_user):
    commune = tree.commune("13249")
    village = Unit.objects.create(
        kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name="Thôn Nhân Thanh", parent=commune
    )
    make_user(Role.COMMUNE_OFFICER, commune, username="canbo.songan", last_name="Nguyễn Thị Hồng", first_name="Nhung")
    for n, (head, klass) in enumerate(
        [("Nguyễn Văn Ân", "poor"), ("Đặng Thị Ánh", "near_poor"), ("=Trần Văn Bình", "poor")], start=1
    ):
        household = Household.objects.create(province=tree.province, village=village, code=f"13249-{n:05d}")
        Member.objects.create(
            household=household, full_name=head, birth_date=date(1970, 1, n), sex="M", relation="head"
        )
        Member.objects.create(
            household=household, full_name=f"Lê Thị Thu {n}", birth_date=date(1995, 2, n), sex="F", relation="child"
        )
        Review.objects.create(
            household=household,
            year=2026,
            standard=PovertyStandard.objects.get(code="nd07-2021"),
            is_urban=False,
            income=1_000_000,
            deprived=[1, 2, 3] if klass == "poor" else [1],
            member_count=2,
            computed_class=klass,
        )
    return commune


def rows_of(download):
    with open(download.path(), "rb") as handle:  # the path has no .xlsx suffix, which openpyxl insists on
        book = load_workbook(io.BytesIO(handle.read()), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


@pytest.mark.e2e
def test_the_filtered_list_and_its_members_go_to_excel(page, login, song_an_registry):
    login(page, "canbo.songan")
    page.get_by_test_id("nav-households").click()
    filters = page.get_by_test_id("household-filters")
    filters.locator("[name=klass]").select_option("poor")
    filters.get_by_test_id("search").click()
    expect(page.get_by_test_id("household-row")).to_have_count(2)

    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    name = download.value.suggested_filename
    assert name.startswith("ho-gia-dinh-") and name.endswith("-xa-song-an.xlsx"), name
    rows = rows_of(download.value)[4:]  # below the title block
    assert rows[0][0] == "Mã hộ"
    assert sorted(row[0] for row in rows[1:]) == ["13249-00001", "13249-00003"]
    assert "'=Trần Văn Bình" in [row[1] for row in rows[1:]]  # a formula-looking name stays text

    page.locator(".dropdown-toggle-split").click()
    with page.expect_download() as download:
        page.get_by_test_id("export-members").click()
    rows = rows_of(download.value)
    assert len(rows) == 1 + 4  # two poor households of two members
    assert {"Nguyễn Văn Ân", "Lê Thị Thu 1"} <= {cell for row in rows for cell in row if isinstance(cell, str)}


@pytest.mark.e2e
def test_a_units_tree_goes_to_excel_with_the_names_then(page, login, tree, make_user):
    make_user(
        Role.DISTRICT_OFFICER, tree.district("342"), username="canbo.tienhai", last_name="Vũ Văn", first_name="Hải"
    )
    login(page, "canbo.tienhai")
    page.goto(f"{tree.district('342').get_absolute_url()}?as_of=2023-06-01")
    with page.expect_download() as download:
        page.get_by_test_id("unit-export").click()
    cells = {cell for row in rows_of(download.value) for cell in row if isinstance(cell, str)}
    assert "Xã Đông Trung" in cells and "Xã Đông Quang" in cells  # 2023: both communes, the old names


@pytest.mark.e2e
def test_a_big_list_is_written_by_the_worker(page, login, song_an_registry, celery_worker, settings, tmp_path):
    settings.EXPORT_SYNC_MAX_HOUSEHOLDS = 1
    settings.MEDIA_ROOT = tmp_path
    login(page, "canbo.songan")
    page.get_by_test_id("nav-households").click()
    page.get_by_test_id("export-xlsx").click()
    expect(page.get_by_test_id("export-ready")).to_be_visible(timeout=30_000)
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    assert len(rows_of(download.value)) == 4 + 1 + 3  # title block, header, rows
