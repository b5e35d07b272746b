"""Language switch and the layout on a phone."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from households.models import Household, Member
from tests.factories import ReviewFactory
from units.choices import UnitKind
from units.models import Unit
from units.roles import Role


@pytest.fixture
def officer(tree, make_user):
    return make_user(
        Role.COMMUNE_OFFICER, tree.commune("13249"), username="canbo.songan", first_name="Hương", last_name="Nguyễn Thị"
    )


@pytest.mark.e2e
def test_language_switch_to_english_and_back(page, login, officer):
    login(page, officer.username)
    page.get_by_test_id("nav-units").click()
    expect(page.get_by_test_id("unit-name")).to_have_text("Xã Song An")
    unit_url = page.url
    expect(page.get_by_test_id("nav-home")).to_have_text("Trang chủ")
    expect(page.get_by_test_id("nav-units")).to_have_text("Đơn vị")

    page.get_by_test_id("language-switch").locator("select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("nav-home")).to_have_text("Home")
    expect(page.get_by_test_id("nav-units")).to_have_text("Units")
    expect(page).to_have_url(unit_url)  # the switch stays on the same page
    expect(page.get_by_test_id("unit-name")).to_have_text("Xã Song An")  # names of units are not translated

    page.get_by_test_id("nav-home").click()  # the choice sticks across pages
    expect(page.get_by_test_id("greeting")).to_contain_text("Hello, Nguyễn Thị Hương")

    page.get_by_test_id("language-switch").locator("select").select_option("vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_test_id("nav-home")).to_have_text("Trang chủ")
    expect(page.get_by_test_id("nav-units")).to_have_text("Đơn vị")


def horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth") - 375


@pytest.mark.e2e
def test_phone_width_has_no_horizontal_scroll_and_the_menu_opens(page, login, officer):
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, officer.username)
    expect(page.get_by_test_id("greeting")).to_be_visible()
    assert horizontal_overflow(page) <= 1

    toggler = page.get_by_test_id("navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.get_by_test_id("nav-units")).to_be_hidden()
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_test_id("main-nav")).to_be_visible()
    expect(page.get_by_test_id("nav-units")).to_be_visible()
    expect(page.get_by_test_id("user-menu")).to_have_text("Nguyễn Thị Hương")

    page.get_by_test_id("nav-units").click()
    expect(page).to_have_url(re.compile(r"/units/\d+/"))
    expect(page.get_by_test_id("unit-name")).to_have_text("Xã Song An")
    assert horizontal_overflow(page) <= 1


@pytest.mark.e2e
def test_a_household_page_fits_a_phone_without_sideways_scrolling(page, login, tree, officer):
    village = Unit.objects.create(kind=UnitKind.VILLAGE, name="Thôn Nhân Thanh Hạ", parent=tree.commune("13249"))
    household = Household.objects.create(province=tree.province, village=village, code="13249-00007", address="Xóm 4")
    for n, (name, relation) in enumerate([("Tôn Nữ Thị Ngọc Bích", "head"), ("Nguyễn Phước Vĩnh Thụy", "spouse")]):
        Member.objects.create(household=household, full_name=name, birth_date=date(1968, 3, 1 + n), relation=relation)
    for year in (2024, 2025):
        ReviewFactory(household=household, year=year, income=1_450_000, state="locked")
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, officer.username)
    page.goto(household.get_absolute_url())
    expect(page.get_by_test_id("timeline-row")).to_have_count(2)
    assert horizontal_overflow(page) <= 1
    for table in ("members", "timeline"):  # the essentials show; the rest waits for a wider screen
        box = page.get_by_test_id(table).evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
        assert box[0] <= box[1], (table, box)
    expect(page.get_by_test_id("timeline-state").first).to_be_visible()
    expect(page.get_by_test_id("timeline-last-step").first).to_be_hidden()


@pytest.mark.e2e
def test_the_leaders_queue_shows_the_class_to_recognise_on_a_phone(page, login, tree, make_user):
    commune = tree.commune("13249")
    make_user(Role.COMMUNE_LEADER, commune, username="lanhdao.songan", first_name="Thắng", last_name="Trần Văn")
    village = Unit.objects.create(kind=UnitKind.VILLAGE, name="Thôn Nhân Thanh Thượng", parent=commune)
    household = Household.objects.create(province=tree.province, village=village, code="13249-00123")
    Member.objects.create(
        household=household, full_name="Nguyễn Phước Vĩnh Thụy", birth_date=date(1958, 2, 3), relation="head"
    )
    ReviewFactory(household=household, state="submitted")
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, "lanhdao.songan")
    page.goto("/households/queue/")
    badge = page.get_by_test_id("queue-row").first.get_by_test_id("queue-class")
    expect(badge).to_have_text("Hộ nghèo")
    box = badge.bounding_box()
    assert box["x"] + box["width"] <= 375, box
    assert horizontal_overflow(page) <= 1
