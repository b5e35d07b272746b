"""In a real browser: a district officer opens the statistic forms from the movement menu and downloads a
commune's movement form as Excel and as PDF; a commune officer produces a village's public posting list."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from households.models import Household, Member, PovertyClass, PovertyStandard, Review, ReviewState
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

P, N = PovertyClass.POOR, PovertyClass.NEAR_POOR


def _read(download):
    with open(download.path(), "rb") as handle:
        return handle.read()


def _text(data):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def song_an(tree, make_user):
    commune = tree.commune("13249")
    village = Unit.objects.create(
        kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name="Thôn Hữu Lộc Đoài", parent=commune
    )
    standard = PovertyStandard.objects.get(code="nd07-2021")
    for n, (head, before, now) in enumerate(
        [("Vũ Thị Xuân", P, P), ("Bùi Văn Cường", P, N), ("Ngô Thị Lan", None, P)], start=1
    ):
        household = Household.objects.create(province=tree.province, village=village, code=f"13249-{n:05d}")
        Member.objects.create(
            household=household,
            full_name=head,
            birth_date=date(1968, 3, n),
            sex="F",
            relation="head",
            cccd=f"03416800{n:04d}",
        )
        for year, cls in ((2024, before), (2025, now)):
            if cls:
                Review.objects.create(
                    household=household,
                    village=village,
                    year=year,
                    standard=standard,
                    is_urban=False,
                    income=987_654,
                    deprived=[1, 2, 3] if cls == P else [1],
                    member_count=3,
                    computed_class=cls,
                    recognised_class=cls,
                    state=ReviewState.LOCKED,
                )
    make_user(
        Role.DISTRICT_OFFICER, tree.district("344"), username="canbo.vuthu", last_name="Đinh Thị", first_name="Hoa"
    )
    make_user(Role.COMMUNE_OFFICER, commune, username="canbo.songan", last_name="Lương Văn", first_name="Tâm")
    return commune, village


def _open_forms(page: Page):
    page.get_by_test_id("nav-campaign").click()
    page.get_by_test_id("nav-forms").click()
    expect(page.get_by_test_id("forms-table")).to_be_visible()


@pytest.mark.e2e
def test_district_downloads_a_communes_movement_form_and_the_commune_posts_a_village_list(page: Page, login, song_an):
    _commune, village = song_an
    login(page, "canbo.vuthu")
    _open_forms(page)
    expect(page.get_by_test_id("forms-heading")).to_contain_text("Huyện Vũ Thư")
    page.get_by_test_id("forms-sub-units").get_by_role("link", name="Xã Song An").click()
    page.get_by_test_id("forms-year").select_option("2025")
    page.get_by_test_id("forms-year-form").get_by_role("button").click()
    expect(page.get_by_test_id("forms-heading")).to_contain_text("2025")
    expect(page.get_by_test_id("forms-heading")).to_contain_text("Xã Song An")
    expect(page.get_by_test_id("posting-lists")).to_contain_text("Thôn Hữu Lộc Đoài")  # the district sees people

    with page.expect_download() as download:
        page.get_by_test_id("form-movement-xlsx").click()
    assert download.value.suggested_filename == "dien-bien-ho-ngheo-2025-xa-song-an.xlsx"
    rows = [list(r) for r in load_workbook(io.BytesIO(_read(download.value))).worksheets[0].iter_rows(values_only=True)]
    assert rows[1][0] == "Đơn vị: Xã Song An"
    total = next(row for row in rows if row[1] == "Tổng cộng")
    # Poor: Xuân stays, Cường moves to near-poor, Lan (no review in 2024) joins as an other increase.
    assert total[2:20:2] == [2, 1, 0, 0, 0, 0, 0, 1, 2]

    with page.expect_download() as download:
        page.get_by_test_id("form-movement-pdf").click()
    assert download.value.suggested_filename == "dien-bien-ho-ngheo-2025-xa-song-an.pdf"
    text = _text(_read(download.value))
    assert "ỦY BAN NHÂN DÂN" in text and "XÃ SONG AN" in text
    assert "BIỂU TỔNG HỢP DIỄN BIẾN HỘ NGHÈO, HỘ CẬN NGHÈO" in text and "Thôn Hữu Lộc Đoài" in text

    page.context.clear_cookies()
    login(page, "canbo.songan")
    _open_forms(page)
    expect(page.get_by_test_id("forms-heading")).to_contain_text("Xã Song An")
    page.get_by_test_id("forms-year").select_option("2025")
    page.get_by_test_id("forms-year-form").get_by_role("button").click()
    with page.expect_download() as download:
        page.get_by_test_id(f"posting-list-{village.pk}").click()
    assert download.value.suggested_filename == "danh-sach-cong-khai-2025-thon-huu-loc-doai-xa-song-an.pdf"
    text = _text(_read(download.value))
    assert "DANH SÁCH CÔNG KHAI" in text and "Thôn Hữu Lộc Đoài, Xã Song An" in text
    assert "1 Ngô Thị Lan Đã công nhận 2 Vũ Thị Xuân Đã công nhận" in text  # by given name: Lan, Xuân
    assert "III. Hộ thoát nghèo (1 hộ)" in text and "Bùi Văn Cường" in text
    assert "034168" not in text and "987" not in text
