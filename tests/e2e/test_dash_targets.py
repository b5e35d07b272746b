"""In a real browser: DOLISA sets the province's target and its districts' (a target that is not a whole number is
refused in Vietnamese and nothing is saved), then drills the dashboard province → district → commune and reads the
numbers the movement table gives for that unit and year; the commune's dashboard fits a phone."""

import re

import pytest
from playwright.sync_api import Page, expect

from households.models import PovertyStandard
from movement import seed
from movement.models import Target
from tests.e2e.test_accessibility import violations
from tests.households.test_movement_table import generate
from units.roles import Role

YEAR = 2024


def figure(locator):
    return int(re.sub(r"\D", "", locator.inner_text()))


def targets(movement):
    return {t.unit_id: (t.yearly_min, t.yearly_max) for t in Target.objects.filter(movement=movement)}


def read_dashboard_year(page: Page, year):
    row = page.get_by_test_id(f"year-{year}")
    moves = page.get_by_test_id(f"moves-{year}")
    return {
        "poor": figure(row.locator("[data-field=poor]")),
        "near": figure(row.locator("[data-field=near_poor]")),
        "start": figure(moves.locator("[data-field=poor_start]")),
        "newly": figure(moves.locator("[data-field=newly_poor]")),
        "repoor": figure(moves.locator("[data-field=re_poor]")),
    }


def read_movement_table(page: Page):
    def cell(table, column):
        return figure(page.get_by_test_id(f"movement-{table}-total-households").locator(f"td[data-col='{column}']"))

    return {
        "poor": cell("poor", 9),
        "near": cell("near", 9),
        "start": cell("poor", 1),
        "newly": cell("poor", 7),
        "repoor": cell("poor", 6),
    }


@pytest.mark.e2e
def test_dolisa_sets_targets_and_drills_the_dashboard(page: Page, login, tree, make_user):
    data = generate(tree, PovertyStandard.objects.get(code="nd07-2021"))
    movement = seed.load_movement(seed.read()).movement
    make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"), username="so.ldtbxh", last_name="Vũ Đức")
    vu_thu, dong_hung = tree.district("344"), tree.district("343")
    song_an = tree.commune("13249")
    assert vu_thu in data.districts and song_an in data.communes

    login(page, "so.ldtbxh")
    page.get_by_test_id("nav-campaign").click()
    page.get_by_test_id("nav-targets").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chỉ tiêu")
    form = page.get_by_test_id("targets-form")
    form.locator(f"[name='yearly_min-{tree.province.pk}']").fill("1100")
    form.locator(f"[name='yearly_max-{tree.province.pk}']").fill("1600")
    form.locator(f"[name='yearly_min-{vu_thu.pk}']").fill("1,5")
    form.locator(f"[name='yearly_max-{vu_thu.pk}']").fill("3")
    form.locator(f"[name='yearly_min-{dong_hung.pk}']").fill("2")
    form.locator(f"[name='yearly_max-{dong_hung.pk}']").fill("4")
    page.get_by_test_id("targets-save").click()
    expect(page.get_by_test_id("targets-errors")).to_contain_text("Chưa lưu gì")
    expect(page.get_by_test_id(f"target-error-{vu_thu.pk}")).to_contain_text("“1,5” không phải là số nguyên (số hộ).")
    assert targets(movement) == {tree.province.pk: (1000, 1500)}, "nothing saved"
    expect(form.locator(f"[name='yearly_min-{tree.province.pk}']")).to_have_value("1100")  # the input is kept

    form.locator(f"[name='yearly_min-{vu_thu.pk}']").fill("1")
    page.get_by_test_id("targets-save").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu chỉ tiêu (3 thay đổi).")
    assert targets(movement) == {tree.province.pk: (1100, 1600), vu_thu.pk: (1, 3), dong_hung.pk: (2, 4)}
    assert violations(page) == [], "the targets page passes axe-core"

    page.get_by_test_id("nav-campaign").click()
    page.get_by_test_id("nav-dashboard").click()
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("Tổng quan phong trào — Tỉnh Thái Bình")
    page.get_by_test_id("dashboard-year").select_option(str(YEAR))
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("summary-band")).to_have_text("1.100–1.600")
    expect(page.get_by_test_id("chart-households")).to_be_visible()
    province = read_dashboard_year(page, YEAR)

    page.get_by_test_id(f"drill-{vu_thu.pk}").click()
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("Huyện Vũ Thư")
    expect(page.get_by_test_id("dashboard-breadcrumb")).to_contain_text("Tỉnh Thái Bình")
    district = read_dashboard_year(page, YEAR)
    page.get_by_test_id(f"drill-{song_an.pk}").click()
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("Xã Song An")
    commune = read_dashboard_year(page, YEAR)

    page.get_by_test_id("dashboard-movement-link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{YEAR}")
    assert read_movement_table(page) == commune
    assert commune["poor"] > 0 and commune["newly"] + commune["repoor"] > 0, "the figures compared are not all zero"
    page.get_by_test_id("movement-breadcrumb").get_by_role("link", name="Huyện Vũ Thư").click()
    assert read_movement_table(page) == district
    page.get_by_test_id("movement-breadcrumb").get_by_role("link", name="Tỉnh Thái Bình").click()
    assert read_movement_table(page) == province
    assert province["poor"] > district["poor"] > commune["poor"]

    # A phone: the commune's dashboard scrolls its tables in their boxes and its charts follow the width.
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"/movement/dashboard/?unit={song_an.pk}&year={YEAR}")
    expect(page.get_by_test_id("chart-moves")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.get_by_test_id("chart-households").bounding_box()["width"] <= 375
    page.get_by_test_id("dashboard-children").get_by_role("button", name="Giảm", exact=True).click()
    expect(page.get_by_test_id("dashboard-children").locator("th[aria-sort=ascending]")).to_contain_text("Giảm")
    assert violations(page) == [], "the dashboard passes axe-core"
